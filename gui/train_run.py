"""One training run as the Train tab starts it: engine.training.train in a worker, its listener events
turned into plain (kind, values) tuples for the GUI, then the evaluation and a ready classifier.

Batch events are passed on in groups at most every `BATCH_EMIT_S`, so a fast small model cannot flood the
GUI's event loop with signals.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from gui.workers import listener_events

BATCH_EMIT_S = 0.05


@dataclass(frozen=True)
class TrainRequest:
    """What the Train tab's form says."""

    data_root: str
    output: str
    variant: str
    input_size: int
    pretrained: bool
    epochs: int
    batch_size: int
    learning_rate: float
    augment: bool
    precision: str
    resume: bool


@dataclass(frozen=True)
class TrainOutcome:
    """What the tab needs when training ends or stops."""

    model_path: str
    stopped: bool
    evaluation: dict
    classifier: Any


def _as_dict(event) -> dict:
    from dataclasses import asdict

    return asdict(event)


def run_training(request: TrainRequest, stop):
    """Worker generator: yields ("batches", [dict]), ("epoch", dict) and ("log", str); returns TrainOutcome."""
    from engine.evaluation import evaluate_model
    from engine.inference import Classifier
    from engine.training import TrainConfig, train

    config = TrainConfig(
        variant=request.variant, input_size=request.input_size, epochs=request.epochs,
        batch_size=request.batch_size, learning_rate=request.learning_rate, augment=request.augment,
        pretrained="imagenet" if request.pretrained else None, precision=request.precision,
        resume=request.resume)
    batches: list[dict] = []
    last = time.monotonic()
    events = listener_events(lambda emit: train(request.data_root, request.output, config, listener=emit, stop=stop))
    while True:
        try:
            event = next(events)
        except StopIteration as end:
            result = end.value
            break
        kind = type(event).__name__
        if kind == "BatchEvent":
            batches.append(_as_dict(event))
            if time.monotonic() - last >= BATCH_EMIT_S:
                yield "batches", batches
                batches, last = [], time.monotonic()
            continue
        if batches:
            yield "batches", batches
            batches = []
        if kind == "EpochEvent":
            yield "epoch", _as_dict(event)
        else:
            yield "log", str(event)
    if batches:
        yield "batches", batches
    yield "log", "Evaluating the model on the dataset…"
    classifier = Classifier.from_file(result.model_path)
    evaluation = evaluate_model(classifier.studio_model, request.data_root).to_dict()
    return TrainOutcome(str(result.model_path), bool(result.stopped), evaluation, classifier)
