"""What a drag over a drop target shows: a tinted, dashed frame over the target and one sentence saying what
the drop will do ("Drop to classify 3 items"), so a user sees where to let go before letting go.

The target says it in its dragEnterEvent (`show_for`); the highlight hides itself when the drag leaves or
drops (it watches its target's events), so no target needs a dragLeaveEvent of its own.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

MARGIN, RADIUS = 6, 12  # px


class DropHighlight(QWidget):
    """An overlay on `cover`, passing every mouse event through; hidden until a drag that `target` (`cover`
    itself unless given) accepts enters."""

    def __init__(self, cover: QWidget, target: QWidget | None = None):
        super().__init__(cover)
        self.text = ""
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()
        (target or cover).installEventFilter(self)
        if target is not None:
            cover.installEventFilter(self)  # to follow its size

    def show_for(self, text: str) -> None:
        """Cover the target and say `text` (what the drop will do)."""
        self.text = text
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.DragLeave, QEvent.Type.Drop):
            self.hide()
        elif event.type() == QEvent.Type.Resize and watched is self.parentWidget() and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = self.palette().highlight().color()
        tint = QColor(accent)
        tint.setAlpha(40)
        pen = QPen(accent, 3, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(tint)
        frame = self.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        painter.drawRoundedRect(frame, RADIUS, RADIUS)
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        painter.setFont(font)
        box = painter.fontMetrics().boundingRect(frame, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                                                 self.text).adjusted(-16, -10, 16, 10)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().base())
        painter.drawRoundedRect(box, RADIUS, RADIUS)
        painter.setPen(accent.darker(130))
        painter.drawText(frame, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.text)
        painter.end()
