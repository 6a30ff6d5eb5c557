"""The one way the GUI runs engine work off the GUI thread (after superqt's generator workers).

A worker runs a function in the global thread pool. If the function is a generator, each value it yields is
a progress event delivered to the GUI through `yielded`, and each `yield` is where the generator sees a stop
request: a function that takes a `stop` keyword gets `worker.stop` (a `threading.Event`) and ends itself,
keeping what it has; any other generator is closed at its next `yield`. The generator's
return value arrives through `returned`; an exception through `errored` as the exception object itself (the
window shows it with gui.status_line, which tells a user's error from a bug); the window keeps running.
Signals live on a separate QObject created in the GUI thread, so connected slots run in the GUI thread:
widgets are touched only there.
"""

from __future__ import annotations

import inspect
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Generator, Iterable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class WorkerSignals(QObject):
    """The worker's voice in the GUI thread."""

    yielded = Signal(object)
    returned = Signal(object)
    errored = Signal(object)  # the exception
    finished = Signal()


class Worker(QRunnable):
    """A function or generator function run once in the thread pool."""

    def __init__(self, function: Callable[..., Any], *args: Any, **kwargs: Any):
        super().__init__()
        self.setAutoDelete(False)
        self.stop = threading.Event()
        self._cooperative = "stop" in inspect.signature(function).parameters
        if self._cooperative:
            kwargs["stop"] = self.stop
        self._call = lambda: function(*args, **kwargs)
        self.signals = WorkerSignals()
        self.done = threading.Event()

    def request_stop(self) -> None:
        """Ask the work to end at its next stop point; it still reports what it returns."""
        self.stop.set()

    def run(self) -> None:
        try:
            result = self._call()
            if inspect.isgenerator(result):
                result = self._drain(result)
        except Exception as error:  # reported to the window, which keeps running
            self.signals.errored.emit(error)
        else:
            self.signals.returned.emit(result)
        finally:
            self.done.set()
            self.signals.finished.emit()

    def _drain(self, generator: Generator) -> Any:
        while True:
            try:
                event = next(generator)
            except StopIteration as end:
                return end.value
            self.signals.yielded.emit(event)
            if self.stop.is_set() and not self._cooperative:  # a generator without `stop` ends at a yield
                generator.close()
                return None


def in_groups(items: Iterable, every_s: float, groupable: Callable[[Any], bool] = lambda item: True) -> Generator:
    """For a worker generator: `items` passed on as lists gathered for at most `every_s` seconds, so the GUI's
    event loop gets one signal per list, not per item (and keeps every item: a plot needs each point, which a
    throttle that drops calls, such as superqt's qthrottled, would lose). An item that is not `groupable` ends
    the list and passes alone. Returns what `items` returns."""
    items, group, last = iter(items), [], time.monotonic()
    while True:
        try:
            item = next(items)
        except StopIteration as end:
            if group:
                yield group
            return end.value
        if not groupable(item):
            if group:
                yield group
                group = []
            yield item
            continue
        group.append(item)
        if time.monotonic() - last >= every_s:
            yield group
            group, last = [], time.monotonic()


_engine_thread: ThreadPoolExecutor | None = None


def engine_thread() -> ThreadPoolExecutor:
    """The one Python thread that runs TensorFlow work (loading, classifying, Grad-CAM, building models).

    Eager TensorFlow ops segfaulted here in Qt's pool threads on models loaded there, never in Python
    threads; and one thread also keeps TensorFlow's per-thread state in one place. The jobs queue behind
    each other.
    """
    global _engine_thread
    if _engine_thread is None:
        from engine.runtime.native_logs import load_tensorflow

        _engine_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tensorflow", initializer=load_tensorflow)
    return _engine_thread


_running: set[Worker] = set()  # keeps each worker's Python wrapper (and its signals) alive until it finishes


def start_worker(
    function: Callable[..., Any],
    *args: Any,
    on_yielded: Callable[[Any], None] | None = None,
    on_returned: Callable[[Any], None] | None = None,
    on_errored: Callable[[BaseException], None] | None = None,
    on_finished: Callable[[], None] | None = None,
    tensorflow: bool = False,
    **kwargs: Any,
) -> Worker:
    """Run `function(*args, **kwargs)` in a worker thread; the callbacks run in the GUI thread.

    `tensorflow=True` runs it on the single TensorFlow thread (see engine_thread), else in Qt's global pool.
    """
    worker = Worker(function, *args, **kwargs)
    for signal, slot in ((worker.signals.yielded, on_yielded), (worker.signals.returned, on_returned),
                         (worker.signals.errored, on_errored), (worker.signals.finished, on_finished)):
        if slot is not None:
            signal.connect(slot)
    worker.signals.finished.connect(lambda: _running.discard(worker))
    _running.add(worker)
    if tensorflow:
        engine_thread().submit(worker.run)
    else:
        QThreadPool.globalInstance().start(worker)
    return worker


def stop_all_workers(timeout_s: float = 120.0) -> bool:
    """Ask every running worker to stop and wait for them (at quit: no thread may outlive the app)."""
    workers = list(_running)
    for worker in workers:
        worker.request_stop()
    finished = all([worker.done.wait(timeout_s) for worker in workers])
    return QThreadPool.globalInstance().waitForDone(int(timeout_s * 1000)) and finished
