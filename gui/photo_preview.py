"""The selected photo, large, with its answers; with Grad-CAM on, the heatmap of where the network looked
(computed in a worker for the top class) is blended over it, with its colour scale under it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from engine.data.images import decode_image
from gui.engine_text import photo_reason
from gui.heat_scale import HeatScale, heat_colours
from gui.model_state import ModelState
from gui.status_line import describe
from gui.workers import start_worker

PREVIEW_SIZE = 384


def photo_with_heatmap(path: str, classifier, label: str | None, heatmap: bool) -> QImage:
    """Runs in a worker: the photo scaled to PREVIEW_SIZE px, with the Grad-CAM heatmap of `label` over it."""
    photo = Image.fromarray(decode_image(path))
    scale = PREVIEW_SIZE / max(photo.size)  # small photos are enlarged too, so the heatmap is visible
    photo = photo.resize((max(1, round(photo.width * scale)), max(1, round(photo.height * scale))),
                         Image.Resampling.BICUBIC)
    pixels = np.asarray(photo, dtype=np.float32)
    if heatmap and label is not None:
        from engine.inference.gradcam import gradcam

        cam = gradcam(classifier, path, label)
        cam = np.asarray(Image.fromarray((cam * 255).astype(np.uint8)).resize(photo.size, Image.Resampling.BILINEAR),
                         dtype=np.float32) / 255.0
        weight = 0.5 * cam[..., None]
        pixels = pixels * (1 - weight) + heat_colours(cam) * weight
    data = np.ascontiguousarray(np.clip(pixels, 0, 255).astype(np.uint8))
    height, width = data.shape[:2]
    return QImage(data.tobytes(), width, height, 3 * width, QImage.Format.Format_RGB888).copy()


class PhotoPreview(QWidget):
    def __init__(self, models: ModelState, parent: QWidget | None = None):
        super().__init__(parent)
        self.models = models
        self.row = None
        self.heatmap = False
        self.image = QImage()
        self.ready = False  # the picture shows the latest request
        self._request = 0
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(240, 240)
        self.picture.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scale = HeatScale()  # shown with a heatmap
        self.scale.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.scale)
        layout.addWidget(self.caption)
        self.retranslate()

    def retranslate(self) -> None:
        self.scale.retranslate()
        self.picture.setAccessibleName(self.tr("Selected photo"))
        self.caption.setAccessibleName(self.tr("Answers for the selected photo"))
        if self.row is not None:
            self._write_caption()

    def _write_caption(self) -> None:
        row = self.row
        lines = [Path(row.path).name]
        lines += [photo_reason(row.error)] if row.error else [f"{label}: {p:.1%}" for label, p in row.top]
        if self.heatmap and not row.error:
            lines.append(self.tr("Heatmap: where the network looked for “{0}”.").format(row.top[0][0]))
        self.caption.setText("\n".join(lines))

    def clear(self) -> None:
        self.row = None
        self.scale.hide()
        self._request += 1
        self.picture.clear()
        self.caption.clear()

    def set_heatmap_visible(self, visible: bool) -> None:
        self.heatmap = visible
        if self.row is not None:
            self.show_row(self.row, visible)

    def show_row(self, row, heatmap: bool) -> None:
        self.row, self.heatmap = row, heatmap
        self._write_caption()
        self.scale.setVisible(heatmap and not row.error)
        if row.error:
            self._request += 1
            self.picture.setText(self.tr("(cannot show this file)"))
            return
        label = row.top[0][0] if row.top else None
        self.show_picture(photo_with_heatmap, row.path, self.models.classifier, label, heatmap)

    def show_picture(self, draw: Callable[..., QImage], *args) -> None:
        """Show the QImage `draw(*args)` makes on the TensorFlow thread; a later request replaces it."""
        self._request += 1
        request = self._request
        self.ready = False
        start_worker(draw, *args, tensorflow=True, on_returned=lambda image: self._show(request, image),
                     on_errored=lambda error: self._show_error(request, error))

    def _show(self, request: int, image: QImage) -> None:
        if request == self._request:
            self.image, self.ready = image, True
            self.picture.setPixmap(QPixmap.fromImage(image))

    def _show_error(self, request: int, error: BaseException) -> None:
        if request == self._request:
            self.caption.setText(self.caption.text() + "\n" + describe(error)[0])
