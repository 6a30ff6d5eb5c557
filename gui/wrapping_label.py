"""A word-wrapped label that always gets the height its text needs.

Qt lays a wrapped QLabel out at its one-line height inside a scroll area or beside aligned widgets, and
clips the rest; this one asks for the height its width needs whenever either changes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class WrappingLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)

    def _fit(self) -> None:
        height = self.heightForWidth(self.width())
        if height > 0 and height != self.minimumHeight():
            self.setMinimumHeight(height)

    def setText(self, text: str) -> None:  # noqa: N802  (Qt's name)
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()
