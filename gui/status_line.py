"""A status line: what happened in one wrapped sentence, the technical cause behind a "Details" toggle.

Errors reach the window as exception objects (gui.workers). A user's error (engine.errors.StudioError) shows
its message, which names the file and what to do, and keeps its `detail` (an OS error, a host name) for the
toggle; anything else is a bug, said in plain words, with its traceback behind the toggle. The text wraps, so
no message can widen the window, and each detail also goes to the app's log (Python logging). A message given
as a function (`lambda: self.tr(...)`) or an error is written again when the language changes, so a switch
to Korean leaves no English sentence behind.
"""

from __future__ import annotations

import logging
import traceback
from typing import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.errors import StudioError
from gui.engine_text import error_text

ERROR_STYLE = "color: #b00020"
DETAILS_HEIGHT = 120
log = logging.getLogger("densenet_studio")


def describe(error: BaseException | str | Callable[[], str]) -> tuple[str, str]:
    """(the sentence a user reads, the technical detail) of an error or of a message that is already plain (or
    a function that writes it in the current language)."""
    if isinstance(error, str):
        return error, ""
    if callable(error):
        return error(), ""
    if isinstance(error, StudioError):
        return error_text(error), error.detail
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__, limit=6)).strip()
    return QCoreApplication.translate(
        "StatusLine", "DenseNet Studio met a problem it did not expect, so this was not finished. Please report "
                      "it with the details."), trace


class StatusLine(QWidget):
    """One wrapped line of status or error, with its details on demand."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.is_error = False
        self.label = QLabel()  # a box layout gives a word-wrapped label the height its width needs
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = QToolButton()
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(lambda shown: self.details.setVisible(shown))
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(DETAILS_HEIGHT)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.details)
        self._shown: str | Callable[[], str] | BaseException = ""
        self._set("", "", error=False)
        self.retranslate()

    def retranslate(self) -> None:
        self.details_button.setText(self.tr("Details"))
        if self.is_error and not isinstance(self._shown, str):
            self._set(*describe(self._shown), error=True)
        elif callable(self._shown):
            self._set(self._shown(), "", error=False)

    def text(self) -> str:
        return self.label.text()

    def show_message(self, text: str | Callable[[], str]) -> None:
        """Show `text`; a function that returns it is called again when the language changes."""
        self._shown = text
        self._set(text() if callable(text) else text, "", error=False)

    def show_error(self, error: BaseException | str | Callable[[], str]) -> None:
        """Show `error` as an error; like a message, anything but a plain string is written again when the
        language changes."""
        self._shown = error
        message, detail = describe(error)
        if detail:
            log.warning("%s\n%s", message, detail)
        self._set(message, detail, error=True)

    def _set(self, text: str, detail: str, error: bool) -> None:
        self.is_error = error
        self.label.setText(text)
        self.label.setStyleSheet(ERROR_STYLE if error else "")
        self.details.setPlainText(detail)
        self.details_button.setVisible(bool(detail))
        self.details_button.setChecked(False)
        self.details.setVisible(False)
