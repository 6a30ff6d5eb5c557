"""Training runs in a child process, not a thread of the window's process.

TensorFlow holds Python's GIL for long stretches while it builds and compiles a model (half a second and
more measured here), which froze the window when training ran in a thread. In a child process it cannot:
the window only reads events from a queue. A crash of the child (even a segfault or the OOM killer) ends
as a clear message while the window keeps running. This module imports no Qt, so the child stays lean.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from typing import Any

POLL_S = 0.05
EVENT, RESULT, ERROR = "event", "result", "error"


def _child(data_root: str, config, events, stop) -> None:
    """The child process: train, evaluate the saved model, and send everything back through `events`."""
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
        evaluation = None
        if result.model_path is not None:
            from engine.evaluation import evaluate_model
            from engine.modelfile import load_model

            events.put((EVENT, "evaluating"))
            evaluation = evaluate_model(load_model(result.model_path), data_root).to_dict()
        events.put((RESULT, (result, evaluation)))
    except StudioError as error:
        events.put((ERROR, str(error)))
    except BaseException:  # a bug: its traceback goes to the window's log
        events.put((ERROR, traceback.format_exc(limit=6)))


def training_events(data_root: str, config, stop) -> Any:
    """Generator run by a GUI worker: starts the child, yields its events, returns (TrainResult, evaluation).

    `stop` (a threading.Event) is passed on to the child, which ends within one batch keeping the best model.
    """
    from engine.errors import StudioError

    context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt and TensorFlow threads
    events, child_stop = context.Queue(), context.Event()
    child = context.Process(target=_child, args=(data_root, config, events, child_stop), daemon=True,
                            name="densenet-studio-training")
    child.start()
    try:
        while True:
            if stop.is_set():
                child_stop.set()
            try:
                kind, value = events.get(timeout=POLL_S)
            except queue.Empty:
                if not child.is_alive():
                    raise StudioError(f"the training process ended unexpectedly (exit code {child.exitcode}); "
                                      "the best model saved so far is kept") from None
                continue
            if kind == EVENT:
                yield value
            elif kind == RESULT:
                return value
            else:
                raise StudioError(value)
    finally:
        child_stop.set()
        child.join(timeout=60)
        if child.is_alive():
            child.kill()
