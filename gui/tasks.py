"""Run engine work off the GUI thread; results come back to widgets only through Qt signals."""

from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskSignals(QObject):
    """Lives in the GUI thread, so connected slots run there (queued) whatever thread emits."""

    finished = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    """A function run once in the global thread pool."""

    def __init__(self, function: Callable[[], Any]):
        super().__init__()
        self.function = function
        self.signals = TaskSignals()

    def run(self) -> None:
        try:
            result = self.function()
        except Exception as error:  # reported to the window, which keeps running
            from engine.errors import StudioError

            message = str(error) if isinstance(error, StudioError) else traceback.format_exc(limit=3)
            self.signals.failed.emit(message)
        else:
            self.signals.finished.emit(result)


_running: set[Task] = set()  # keeps each task's Python wrapper (and its signals) alive until it reports


def start_task(
    function: Callable[[], Any], on_finished: Callable[[Any], None], on_failed: Callable[[str], None]
) -> Task:
    """Start `function` in a worker thread; `on_finished(result)` or `on_failed(message)` runs in the GUI."""
    task = Task(function)
    task.setAutoDelete(False)
    task.signals.finished.connect(on_finished)
    task.signals.failed.connect(on_failed)
    for signal in (task.signals.finished, task.signals.failed):
        signal.connect(lambda _value, task=task: _running.discard(task))
    _running.add(task)
    QThreadPool.globalInstance().start(task)
    return task
