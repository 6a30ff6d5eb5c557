"""The Sort tab's photo being sorted, large (decoded off the GUI thread), with its suggested class and how
sure the suggestion is written over its lower edge."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from gui.thumbnails import make_thumbnail
from gui.workers import start_worker

PHOTO_SIZE = 640  # px: decoded at most this large, then fitted to the view
CAPTION_PADDING = 5  # px
CAPTION_STYLE = f"background: rgba(0, 0, 0, 160); color: white; padding: {CAPTION_PADDING}px; border-radius: 4px"


class SortPhoto(QLabel):
    """Shows `path` fitted to its size; `caption` (the suggestion) lies over the photo's lower edge."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = ""
        self.image = QImage()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(200, 160)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.setMargin(24)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet(CAPTION_STYLE)
        self.caption.hide()

    def show_photo(self, path: str) -> None:
        """Decode `path` in a worker and show it; a later call replaces it."""
        if path == self.path:
            return
        self.path = path
        self.image = QImage()
        self.clear()
        if path:
            start_worker(make_thumbnail, path, PHOTO_SIZE, on_returned=lambda image: self._decoded(path, image))

    def show_caption(self, text: str) -> None:
        self.caption.setText(text)
        self.caption.setVisible(bool(text))
        self._place_caption()

    def _decoded(self, path: str, image: QImage) -> None:
        if path == self.path:
            self.image = image
            self._fit()
            self._place_caption()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()
        self._place_caption()

    def _place_caption(self) -> None:
        """Centred over the photo's lower edge, wrapped to the room there is (given its height for that width:
        a wrapped label in a layout is given one line's)."""
        shown = self.pixmap()
        bottom = (self.height() + shown.height()) // 2 if not shown.isNull() else self.height()
        padding = self.caption.sizeHint().width() - self.caption.fontMetrics().horizontalAdvance(self.caption.text())
        width = max(1, min(self.caption.fontMetrics().horizontalAdvance(self.caption.text()) + max(padding, 16),
                           self.width() - 24))
        height = self.caption.heightForWidth(width) + 2 * CAPTION_PADDING  # its text's room: within the padding
        self.caption.setGeometry((self.width() - width) // 2, max(0, min(bottom, self.height()) - height - 8),
                                 width, height)

    def _fit(self) -> None:
        if self.image.isNull():
            return
        pixmap = QPixmap.fromImage(self.image)
        self.setPixmap(pixmap.scaled(self.contentsRect().size(), Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation))
