"""One training run as the Train tab starts it: engine.training.train in a child process (gui.train_process),
its events turned into (kind, value) tuples for the GUI, then the evaluation and a ready classifier.

The events stay engine.events' frozen dataclasses; batch events are passed on in groups at most every
`BATCH_EMIT_S`, so a fast small model cannot flood the GUI's event loop with signals.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from gui.train_process import TrainingProcess, training_events

BATCH_EMIT_S = 0.05


@dataclass(frozen=True)
class TrainOutcome:
    """What the tab needs when training ends or stops."""

    model_path: str | None  # None when stopped before any epoch was saved
    stopped: bool
    evaluation: dict | str | None  # engine.evaluation's dict form, or why there is no score (None: no model)
    compute: str


def run_training(data_root: str, options: dict, resume: bool, stop, process: TrainingProcess | None = None):
    """Worker generator: yields ("batches", [BatchEnded]) groups and the other events one by one; returns a
    TrainOutcome with the evaluation. `options` are TrainConfig's (validated here: a bad value is a clear
    error). No TensorFlow runs in this process: the child does it all, in `process` when one was started
    ahead (see gui.train_process)."""
    from engine.events import BatchEnded
    from engine.train_config import TrainConfig

    config = TrainConfig(**options, resume=resume)
    batches: list = []
    last = time.monotonic()
    events = training_events(data_root, config, stop, process)
    while True:
        try:
            event = next(events)
        except StopIteration as end:
            result, evaluation = end.value
            break
        if isinstance(event, BatchEnded):
            batches.append(event)
            if time.monotonic() - last >= BATCH_EMIT_S:
                yield "batches", batches
                batches, last = [], time.monotonic()
            continue
        if batches:
            yield "batches", batches
            batches = []
        yield ("evaluating", "") if event == "evaluating" else ("event", event)
    if batches:
        yield "batches", batches
    model_path = None if result.model_path is None else str(result.model_path)
    return TrainOutcome(model_path, result.stopped, evaluation, result.compute)
