"""Training runs in a child process, not a thread of the window's process.

TensorFlow holds Python's GIL for long stretches while it builds and compiles a model (half a second and
more measured here), which froze the window when training ran in a thread. In a child process it cannot:
the window only reads events from a queue. A crash of the child (even a segfault or the OOM killer) ends
as a clear message while the window keeps running. This module imports no Qt, so the child stays lean.

Loading TensorFlow takes seconds, so the Train tab starts the child ahead of time (a TrainingProcess, as
soon as a dataset is checked): it imports the engine's training while the user reads the check and the
settings, then waits for the one training job the Start click sends.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from typing import Any

POLL_S = 0.05
EVENT, RESULT, ERROR, READY = "event", "result", "error", "ready"


def _train(data_root: str, config, events, stop) -> None:
    """Train, evaluate the saved model, and send everything back through `events`."""
    from engine.errors import StudioError
    from engine.events import StopToken, TrainingListener
    from engine.training import train

    token = StopToken()

    class Forward(TrainingListener):
        def _forward(self, event) -> None:
            if stop.is_set():
                token.request()
            events.put((EVENT, event))

        on_phase = on_progress = on_batch = on_epoch = _forward

    try:
        result = train(data_root, config, Forward(), token)
        evaluation: dict | str | None = None
        if result.model_path is not None:
            events.put((EVENT, "evaluating"))
            evaluation = _evaluation(result.model_path, data_root)
        events.put((RESULT, (result, evaluation)))
    except StudioError as error:
        events.put((ERROR, str(error)))
    except BaseException:  # a bug: its traceback goes to the window's log
        events.put((ERROR, traceback.format_exc(limit=6)))


def _evaluation(model_path, data_root: str) -> dict | str:
    """The new model's scores on the photos of `data_root` it did not train on, or why there are none."""
    from engine.dataset import DatasetError
    from engine.evaluation import evaluate_model
    from engine.modelfile import load_model

    try:
        return evaluate_model(load_model(model_path), data_root).to_dict()
    except DatasetError as error:
        return str(error)


def _child(jobs, events, stop) -> None:
    """The child process: load TensorFlow and the training code, say so, then train the job it is sent."""
    from engine.native_logs import load_tensorflow

    load_tensorflow()
    import engine.training  # noqa: F401  the seconds this takes are what starting early saves

    events.put((READY, None))
    _train(*jobs.get(), events, stop)


class TrainingProcess:
    """A spawned training child that loads TensorFlow at once and then trains one job (see training_events).

    Never forked: the window's process runs Qt and TensorFlow threads. `discard` it when it is not used.
    """

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.jobs, self.events, self.stop = context.Queue(), context.Queue(), context.Event()
        self.child = context.Process(target=_child, args=(self.jobs, self.events, self.stop), daemon=True,
                                     name="densenet-studio-training")
        self.child.start()

    def loaded(self) -> bool:
        """Whether TensorFlow is already loaded; call once, before the job is sent (it takes the READY note)."""
        try:
            kind, _ = self.events.get_nowait()
        except queue.Empty:
            return False
        return kind == READY

    def close(self, timeout_s: float = 60.0) -> None:
        """End a training: it stops within one batch keeping its best model (killed if it does not)."""
        self.stop.set()
        self.child.join(timeout=timeout_s)
        if self.child.is_alive():
            self.child.kill()
            self.child.join()

    def discard(self) -> None:
        """End a child that was given no job (the dataset failed its check, the window closes): at once, since
        it has nothing to keep."""
        self.child.terminate()
        self.child.join()


def training_events(data_root: str, config, stop, process: TrainingProcess | None = None) -> Any:
    """Generator run by a GUI worker: trains in `process` (a new one if None), yields its events, returns
    (TrainResult, evaluation): the evaluation's dict form, or why the model could not be scored.

    `stop` (a threading.Event) is passed on to the child, which ends within one batch keeping the best model.
    The process is closed at the end.
    """
    from engine.errors import StudioError
    from engine.events import STARTING, PhaseStarted

    process = process or TrainingProcess()
    try:
        if not process.loaded():
            yield PhaseStarted(STARTING, "loading TensorFlow")
        process.jobs.put((data_root, config))
        while True:
            if stop.is_set():
                process.stop.set()
            try:
                kind, value = process.events.get(timeout=POLL_S)
            except queue.Empty:
                if not process.child.is_alive():
                    raise StudioError(f"the training process ended unexpectedly (exit code "
                                      f"{process.child.exitcode}); the best model saved so far is kept") from None
                continue
            if kind == EVENT:
                yield value
            elif kind == RESULT:
                return value
            elif kind == ERROR:
                raise StudioError(value)
            # READY, when TensorFlow finished loading after the click, needs nothing
    finally:
        process.close()
