"""A window with what the loaded model sees in one photo: one row a stage (stem, each dense block and
transition) with its output shape and its most active feature maps, computed by engine.inference.feature_maps on the
TensorFlow thread."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from gui.block_panel import shape_text
from gui.engine_text import stage_name
from gui.status_line import StatusLine
from gui.workers import start_worker

TILE = 56  # pixels a map is shown at; small maps are enlarged without smoothing, so their pixels stay visible


def _pixmap(grey: np.ndarray) -> QPixmap:
    data = np.ascontiguousarray(grey)
    height, width = data.shape
    image = QImage(data.tobytes(), width, height, width, QImage.Format.Format_Grayscale8)
    return QPixmap.fromImage(image.copy()).scaled(TILE, TILE, Qt.AspectRatioMode.KeepAspectRatio,
                                                  Qt.TransformationMode.FastTransformation)


def compute_feature_maps(model, photo: str):
    """Runs in a worker on the TensorFlow thread: engine.inference.feature_maps for one photo."""
    from engine.inference.feature_maps import feature_maps

    return feature_maps(model, photo)


class FeatureMapsDialog(QDialog):
    """Not modal: the window stays usable while the maps are computed and while they are looked at."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.stages: list = []  # the engine.inference.feature_maps.StageMaps shown
        self.photo = self.model = ""
        self._request = 0
        self.status = StatusLine()
        self.grid_widget = QWidget()
        self.grid = QGridLayout(self.grid_widget)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        self.resize(720, 560)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Feature maps of {0}").format(self.photo))
        self.grid_widget.setAccessibleName(self.tr("Feature maps"))
        self.status.retranslate()
        if self.stages:
            self.show_maps(self.stages)

    def run(self, model, model_name: str, photo: str) -> None:
        """Open, and compute `model`'s maps of `photo` in the background; only the newest photo's answer shows."""
        self._request += 1
        request = self._request
        self._start(Path(photo).name, model_name)
        start_worker(compute_feature_maps, model, photo, tensorflow=True,
                     on_returned=lambda stages: self._if_current(request, self.show_maps, stages),
                     on_errored=lambda error: self._if_current(request, self.fail, error))

    def _if_current(self, request: int, handler, value) -> None:
        if request == self._request:
            handler(value)

    def _start(self, photo: str, model: str) -> None:
        """Show that `model` is working on `photo`; older maps are removed, not left to be mistaken for these."""
        self.photo, self.model, self.stages = photo, model, []
        self._clear_grid()
        self.retranslate()
        self.status.show_message(self.tr("Running {0} on {1}…").format(model, photo))
        self.show()
        self.raise_()

    def fail(self, error: BaseException | str) -> None:
        self.status.show_error(error)

    def show_maps(self, stages: list) -> None:
        self.stages = stages
        self._clear_grid()
        self.status.show_message(self.tr("{0} on {1}: the most active of each stage's feature maps, brighter is "
                                    "stronger.").format(self.model, self.photo))
        for row, stage in enumerate(stages):
            caption = QLabel(f"{stage_name(stage.stage)}\n{shape_text(stage.shape)}")
            self.grid.addWidget(caption, row, 0)
            for column, (channel, grey) in enumerate(zip(stage.channels, stage.maps), start=1):
                tile = QLabel()
                tile.setPixmap(_pixmap(grey))
                tile.setToolTip(self.tr("map {0}").format(channel))
                self.grid.addWidget(tile, row, column)

    def _clear_grid(self) -> None:
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
