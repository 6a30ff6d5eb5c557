"""A drawn block-flow diagram of a DenseNet: one box per stage (stem, dense blocks, transitions, head),
arrows between them, each with its layer count and output shape, so the data flow reads left to right.
Each box has a tooltip and can be clicked, like the stage rows of the tree below it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from engine.model.config import DENSE_BLOCK, HEAD, STEM, TRANSITION
from gui.engine_text import stage_name

# Fill colour per stage kind.
COLOURS = {STEM: "#cfe2f3", DENSE_BLOCK: "#b6d7a8", TRANSITION: "#ffe599", HEAD: "#f4cccc"}
ARROW = 18  # pixels between boxes
DIAGRAM_HEIGHT = 82  # pixels: boxes with a two-line caption, and the shape under them


class BlockDiagram(QWidget):
    """Paints the stages of an ArchitectureReport; empty until a report is shown. `clicked` gives a stage's index."""

    clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.stages: list = []
        self.tooltips: list[str] = []  # one a stage, set by the tab
        self.setMinimumHeight(DIAGRAM_HEIGHT)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(900, DIAGRAM_HEIGHT)

    def show_report(self, report) -> None:
        self.stages = list(report.stages)
        self.update()

    def _box(self, index: int) -> QRectF:
        width = (self.width() - 8 - ARROW * (len(self.stages) - 1)) / len(self.stages)
        return QRectF(4 + index * (width + ARROW), 4, width, self.height() - 36)

    def stage_at(self, point: QPointF) -> int | None:
        return next((index for index in range(len(self.stages)) if self._box(index).contains(point)), None)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            index = self.stage_at(QPointF(event.pos()))
            if index is not None and index < len(self.tooltips):
                QToolTip.showText(event.globalPos(), self.tooltips[index], self, self._box(index).toRect())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mousePressEvent(self, event) -> None:
        index = self.stage_at(event.position())
        if index is not None:
            self.clicked.emit(index)

    def _caption(self, stage) -> str:
        name = stage_name(stage.name)
        if stage.kind == DENSE_BLOCK:
            return f"{name}\n× {stage.dense_layers}"
        return name

    def paintEvent(self, event) -> None:
        if not self.stages:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = painter.font()
        font.setPointSizeF(max(6.5, min(9.0, self._box(0).width() / 11)))
        painter.setFont(font)
        for index, stage in enumerate(self.stages):
            box = self._box(index)
            left, width, box_height = box.left(), box.width(), box.height()
            painter.setPen(QPen(QColor("#444444"), 1))
            painter.setBrush(QColor(COLOURS.get(stage.kind, "#eeeeee")))
            painter.drawRoundedRect(box, 6, 6)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self._caption(stage))
            shape = "×".join(str(d) for d in stage.output_shape)
            painter.drawText(QRectF(left - ARROW / 2, box_height + 6, width + ARROW, 26),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, shape)
            if index:
                middle = 4 + box_height / 2
                start, end = QPointF(left - ARROW + 2, middle), QPointF(left - 2, middle)
                painter.drawLine(start, end)
                painter.setBrush(QColor("#444444"))
                painter.drawPolygon(QPolygonF([end, end + QPointF(-6, -4), end + QPointF(-6, 4)]))
        painter.end()
