"""A reviewed photo, large, with the Grad-CAM heatmap of where the evaluated model looked for the class it
answered. The model is the one in use when it is the evaluated one (after a training it is loaded for
classifying); otherwise the evaluated model file is loaded once, on the TensorFlow thread, and kept for the
next photo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from engine.inference.classifier import load_classifier
from gui.model_state import ModelState
from gui.photo_preview import PhotoPreview, photo_with_heatmap
from gui.review_menu import moved_text
from gui.review_model import GridPhoto

_loaded: dict[str, object] = {}  # the last evaluated model loaded here, by source; used on the TensorFlow thread only


def reviewed_heatmap(path: str, label: str, in_use, source: str) -> QImage:
    """Runs on the TensorFlow thread: `path` with the heatmap of `label`, from `in_use` (the classifier in use,
    when it is the evaluated model) or the model file `source`."""
    classifier = in_use
    if classifier is None:
        if source not in _loaded:
            _loaded.clear()
            _loaded[source] = load_classifier(source)
        classifier = _loaded[source]
    return photo_with_heatmap(path, classifier, label, True)


class ReviewPhotoDialog(QDialog):
    """Opened by double-click or Enter on a photo of the review grid; Escape closes it. `key_pressed` carries
    the other keys (the grid's: Left, Right, Delete, 1-9)."""

    key_pressed = Signal(int)

    def __init__(self, models: ModelState, source: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.models, self.source = models, source
        self.photo: GridPhoto | None = None
        self.preview = PhotoPreview(models)
        self.preview.scale.show()  # every photo here shows its heatmap
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self.resize(560, 620)

    def show_photo(self, photo: GridPhoto) -> None:
        """`photo` with the heatmap of the class the model answered, and what it answered."""
        self.photo = photo
        self.refresh()
        in_use = self.models.classifier if self.models.source == self.source else None
        self.preview.show_picture(reviewed_heatmap, photo.path, photo.suggested, in_use, self.source)
        self.show()
        self.raise_()

    def refresh(self) -> None:
        """The caption again: the photo was moved, or the language changed."""
        photo = self.photo
        self.setWindowTitle(self.tr("{0}: where the model looked").format(Path(photo.path).name))
        lines = [photo.path,
                 self.tr("Its folder says {0}; the model says {1} ({2:.1%}).").format(photo.given, photo.suggested,
                                                                                     photo.score),
                 self.tr("Heatmap: where the network looked for “{0}”.").format(photo.suggested)]
        if photo.moved is not None:
            lines.append(moved_text(photo.moved))
        self.preview.caption.setText("\n".join(lines))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.photo is not None:
            self.refresh()
        super().changeEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Enter opened it: it does not also close it
            event.accept()
        elif event.key() == Qt.Key.Key_Escape:
            super().keyPressEvent(event)
        else:
            self.key_pressed.emit(event.key())
