"""One training run as the Train tab starts it: engine.training.trainer.train in a child process
(engine.training.training_process), its events passed on to the GUI, then the evaluation.

The events stay engine.training.events' frozen dataclasses; BatchEnded events are passed on as lists, at most one every
`BATCH_EMIT_S`, so a fast small model cannot flood the GUI's event loop with signals.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.inference.report import EvaluationReport, NoScore
from engine.training.events import BatchEnded, Ending
from engine.training.train_config import TrainConfig
from engine.training.training_process import TrainingProcess, training_events
from gui.workers import in_groups

BATCH_EMIT_S = 0.05


@dataclass(frozen=True)
class TrainOutcome:
    """What the tab needs when training ends or stops."""

    model_path: str | None  # None when stopped before any epoch was saved
    stopped: bool
    evaluation: EvaluationReport | NoScore | None  # None: no model was saved
    compute: str
    ending: Ending  # why it ended, said with engine.training.events.ENDINGS
    ending_facts: dict


def run_training(data_root: str, config: TrainConfig, stop, process: TrainingProcess | None = None):
    """Worker generator: yields lists of BatchEnded and the other events one by one; returns a TrainOutcome
    with the evaluation. No TensorFlow runs in this process: the child does it all, in `process` when one
    was started ahead."""
    events = training_events(data_root, config, stop, process)
    result, evaluation = yield from in_groups(events, BATCH_EMIT_S, lambda event: isinstance(event, BatchEnded))
    model_path = None if result.model_path is None else str(result.model_path)
    return TrainOutcome(model_path, result.stopped, evaluation, result.compute, result.ending, result.ending_facts)
