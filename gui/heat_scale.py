"""The key to a Grad-CAM heatmap: its colours from "little" to "most" in one bar, so a reader knows that red,
not blue, is where the network looked."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

STOPS = 11  # colours along the bar; the map is piecewise linear, so more add nothing visible
BAR_WIDTH, BAR_HEIGHT = 160, 10  # px


def heat_colours(cam: np.ndarray) -> np.ndarray:
    """Heatmap values in [0, 1] (any shape) as RGB in [0, 255] (shape + (3,)): blue, green, then red."""
    cam = np.asarray(cam, dtype=np.float32)[..., None]
    return np.concatenate([cam, 1.0 - np.abs(2 * cam - 1.0), 1.0 - cam], axis=-1) * 255.0


class HeatScale(QWidget):
    """A horizontal colour bar between two words: where the network looked little and most."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.retranslate()

    def retranslate(self) -> None:
        self.little, self.most = self.tr("looked little"), self.tr("looked most")
        self.setAccessibleName(self.tr("Heatmap colours: blue where the network looked little, red where it "
                                       "looked most"))
        self.updateGeometry()
        self.update()

    def _word_widths(self) -> tuple[int, int]:
        metrics = self.fontMetrics()
        return metrics.horizontalAdvance(self.little), metrics.horizontalAdvance(self.most)

    def sizeHint(self) -> QSize:
        left, right = self._word_widths()
        return QSize(left + right + BAR_WIDTH + 16, max(BAR_HEIGHT, self.fontMetrics().height()) + 4)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        left, right = self._word_widths()
        start = (self.width() - self.sizeHint().width()) // 2 + left + 8
        bar = QRect(start, (self.height() - BAR_HEIGHT) // 2, BAR_WIDTH, BAR_HEIGHT)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        for position, (red, green, blue) in zip(np.linspace(0, 1, STOPS), heat_colours(np.linspace(0, 1, STOPS))):
            gradient.setColorAt(float(position), QColor(int(red), int(green), int(blue)))
        painter.fillRect(bar, gradient)
        painter.setPen(self.palette().windowText().color())
        centre = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRect(start - left - 6, 0, left, self.height()), centre | Qt.AlignmentFlag.AlignRight,
                         self.little)
        painter.drawText(QRect(bar.right() + 7, 0, right, self.height()), centre | Qt.AlignmentFlag.AlignLeft,
                         self.most)
        painter.end()
