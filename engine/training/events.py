"""What training tells its user interface (the stop request it sends back is engine.runtime.stop).

UI-agnostic and free of TensorFlow: the CLI prints a progress bar from these events, the GUI plots them.
Events are frozen dataclasses; a listener implements the `TrainingListener` methods it cares about (the
others are no-ops). Listener methods run on the training thread: a GUI forwards them to its own thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal, Protocol, get_args

from engine.errors import QT_TRANSLATE_NOOP, Said
from engine.model.modelfile import EpochRecord

# Phases, in the order a training may pass through them.
Phase = Literal["starting", "decoding", "downloading", "building", "features", "head", "fine-tune", "train",
                "compiling", "saving", "evaluating"]
(STARTING, DECODING, DOWNLOADING, BUILDING, FEATURES, HEAD, FINE_TUNE, TRAIN, COMPILING, SAVING,
 EVALUATING) = get_args(Phase)
# What the user reads for each phase: the CLI prints it, the window shows it from its catalogue.
PHASE_NAMES: dict[Phase, str] = {
    STARTING: QT_TRANSLATE_NOOP("EngineText", "starting"),  # a fresh process loads TensorFlow, before the import
    DECODING: QT_TRANSLATE_NOOP("EngineText", "decoding photos"),  # into the image cache
    DOWNLOADING: QT_TRANSLATE_NOOP("EngineText", "downloading the ImageNet weights"),  # once per machine
    # the network is built (before features, and in each phase that trains it whole)
    BUILDING: QT_TRANSLATE_NOOP("EngineText", "building"),
    FEATURES: QT_TRANSLATE_NOOP("EngineText", "computing features"),  # the frozen backbone's, once
    HEAD: QT_TRANSLATE_NOOP("EngineText", "training the classifier"),  # on the cached features
    FINE_TUNE: QT_TRANSLATE_NOOP("EngineText", "fine-tuning"),  # the top blocks train too, batch norm frozen
    TRAIN: QT_TRANSLATE_NOOP("EngineText", "training"),  # from scratch: the whole network
    # before a phase's first batch: its training step is traced and optimised
    COMPILING: QT_TRANSLATE_NOOP("EngineText", "compiling"),
    SAVING: QT_TRANSLATE_NOOP("EngineText", "saving"),
    # the saved model is scored on the photos it did not train on (the app's training)
    EVALUATING: QT_TRANSLATE_NOOP("EngineText", "evaluating on the photos the model did not train on"),
}
# What a phase does, in plain words (PhaseStarted.said), where its name alone does not say it.
LOADING_LIBRARY = QT_TRANSLATE_NOOP("EngineText", "Loading the machine-learning library (a few seconds).")
READING_FOLDER = QT_TRANSLATE_NOOP("EngineText", "Reading each photo of {folder} once.")
BUILDING_NETWORK = QT_TRANSLATE_NOOP("EngineText", "Building a {network} network for photos of {size}x{size} pixels.")
LOOKING_ONCE = QT_TRANSLATE_NOOP("EngineText", "The {network} trained on ImageNet looks at each photo once.")
LEARNING_CLASSES = QT_TRANSLATE_NOOP("EngineText", "A small last layer learns your classes from the {features} "
                                                   "numbers the network found in each photo.")
PREPARING_STEP = QT_TRANSLATE_NOOP("EngineText", "Preparing the training step; the first photos follow shortly.")
WRITING_MODEL = QT_TRANSLATE_NOOP("EngineText", "Writing the model to {path}.")
Unit = Literal["photos", "bytes"]
# How far a phase is, e.g. "120 of 500" or "12.3 of 29.0 MB" (PhaseProgress.amount_said).
AMOUNT = QT_TRANSLATE_NOOP("EngineText", "{done} of {total}")
MEGABYTES = QT_TRANSLATE_NOOP("EngineText", "{done:.1f} MB")
MEGABYTES_OF = QT_TRANSLATE_NOOP("EngineText", "{done:.1f} of {total:.1f} MB")


def clock_text(seconds: float) -> str:
    """A duration as a clock shows it, for ETAs and elapsed times: "4:05", or "1:02:03" from an hour on."""
    minutes, seconds = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@dataclass(frozen=True)
class PhaseStarted:
    """A new phase begins. `said` is what the learner reads of it, in plain words; `detail` is the exact
    technical line (e.g. the precision chosen and why), which --verbose and the window's log details show."""

    phase: Phase
    detail: str = ""
    said: tuple[Said, ...] = ()


# A fresh process loads TensorFlow before anything else can run: the CLI's, the window's training process.
LOADING = PhaseStarted(STARTING, "loading TensorFlow", (Said(LOADING_LIBRARY),))


@dataclass(frozen=True)
class PhaseProgress:
    """Progress of a phase that is not epochs of training (decoding photos, computing features)."""

    phase: Phase
    done: int
    total: int  # 0 when unknown
    unit: Unit = "photos"

    def amount_said(self) -> tuple[str, dict]:
        """How far it is, as a template (AMOUNT, MEGABYTES, MEGABYTES_OF) and the facts that fill it."""
        if self.unit == "bytes":
            return (MEGABYTES_OF if self.total else MEGABYTES), {"done": self.done / 1e6, "total": self.total / 1e6}
        return AMOUNT, {"done": self.done, "total": self.total}

    @property
    def amount(self) -> str:
        """E.g. "120 of 500", or "12.3 of 29.0 MB" for bytes."""
        template, facts = self.amount_said()
        return template.format(**facts)


@dataclass(frozen=True)
class BatchEnded:
    """One training step: running means over the epoch so far, throughput and time left in this phase."""

    phase: Phase
    epoch: int  # 1-based, counted over the whole training
    epochs: int  # the last epoch this phase may reach
    batch: int  # 1-based within the epoch
    batches: int
    loss: float
    accuracy: float
    images_per_second: float
    eta_seconds: float


@dataclass(frozen=True)
class EpochEnded(EpochRecord):
    """One completed epoch (val_* are None without a validation set), with what only the live event needs."""

    epochs: int  # the last epoch this phase may reach
    improved: bool  # the best so far on validation loss (what the model file holds, but within a budget without
    # early stopping, where it holds the latest epoch)
    saved: bool = False  # the model file holds this epoch now (within a budget it is written at most every 15 s)

    def record(self) -> EpochRecord:
        """What the history keeps of it (the model file's and the training state's)."""
        return EpochRecord(**{item.name: getattr(self, item.name) for item in fields(EpochRecord)})


@dataclass(frozen=True)
class PlanChanged:
    """Within a time budget, the measured epoch times moved the plan: `epochs` instead of `was`, since an epoch
    takes `epoch_seconds`, not the `assumed_seconds` the plan rested on."""

    phase: Phase
    epochs: int
    was: int
    epoch_seconds: float
    assumed_seconds: float

    TEMPLATE = QT_TRANSLATE_NOOP("EngineText", "plan: {epochs} epochs, was {was}: epochs take {seconds:.3g} s, "
                                               "not {assumed:.3g} s")

    def facts(self) -> dict:
        return {"epochs": self.epochs, "was": self.was, "seconds": self.epoch_seconds,
                "assumed": self.assumed_seconds}

    def text(self) -> str:
        return self.TEMPLATE.format(**self.facts())


# Why a training ended (TrainResult.ending), each with the sentence that says so; facts: TrainResult.ending_facts.
# "filled-budget": within a time budget, the plan fitted to it ran (within 10 % of what was told);
# "out-of-time": the budget ran out before the planned epochs; "diverged": the loss became NaN or infinite.
Ending = Literal["planned", "filled-budget", "no-improvement", "out-of-time", "stopped-by-user", "not-started",
                 "diverged"]
PLANNED, FILLED_BUDGET, NO_IMPROVEMENT, OUT_OF_TIME, STOPPED_BY_USER, NOT_STARTED, DIVERGED = get_args(Ending)
ENDINGS: dict[Ending, str] = {
    PLANNED: QT_TRANSLATE_NOOP("EngineText", "done: all {epochs} planned epochs ran"),
    FILLED_BUDGET: QT_TRANSLATE_NOOP("EngineText", "done: {epochs} epochs filled the time budget"),
    NO_IMPROVEMENT: QT_TRANSLATE_NOOP("EngineText", "stopped after epoch {epoch} of {epochs} planned: validation "
                                                    "loss did not improve for {patience} epochs"),
    OUT_OF_TIME: QT_TRANSLATE_NOOP("EngineText", "stopped after epoch {epoch} of {epochs} planned: the time budget "
                                                 "ran out"),
    STOPPED_BY_USER: QT_TRANSLATE_NOOP("EngineText", "stopped by you after epoch {epoch} of {epochs} planned"),
    NOT_STARTED: QT_TRANSLATE_NOOP("EngineText", "stopped before the first epoch completed: no model was written"),
    DIVERGED: QT_TRANSLATE_NOOP("EngineText", "stopped in epoch {epoch}: the loss became NaN (not a number), so the "
                                              "learning rate is too high; train again with a lower one"),
}


@dataclass(frozen=True)
class TrainResult:
    """How a training ended. `model_path` is None only when it stopped before any model could be saved."""

    model_path: Path | None
    class_names: tuple[str, ...]
    history: tuple[EpochRecord, ...]  # every completed epoch, resumed ones included
    best_epoch: int | None
    best_val_loss: float | None
    best_val_accuracy: float | None
    stopped: bool  # a stop request ended it early
    early_stopped: bool  # validation loss stopped improving
    compute: str  # the precision / memory / XLA settings used, and why
    skipped: tuple = field(default=())  # engine.data.dataset.Skipped: photos left out, with reasons
    val_photos: int = 0  # the photos best_val_* are measured on: held out, none of them trained the model
    ending: Ending = PLANNED
    ending_facts: dict = field(default_factory=dict)  # what ENDINGS[ending] is filled with
    model: object = field(default=None, repr=False, compare=False)  # the keras.Model in the file, to use at once

    def ending_text(self) -> str:
        """Why the training ended, e.g. "stopped after epoch 14 of 61 planned: validation loss did not improve
        for 12 epochs"."""
        return ENDINGS[self.ending].format(**self.ending_facts)

    def __getstate__(self) -> dict:
        """Pickled (e.g. from a training process to the window) without the model, which stays in its process."""
        return {**self.__dict__, "model": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


class TrainingListener(Protocol):
    """Receives training events. Subclass it and override what you need; every method defaults to a no-op."""

    def on_phase(self, event: PhaseStarted) -> None:
        return None

    def on_progress(self, event: PhaseProgress) -> None:
        return None

    def on_batch(self, event: BatchEnded) -> None:
        return None

    def on_epoch(self, event: EpochEnded) -> None:
        return None

    def on_plan(self, event: PlanChanged) -> None:
        return None

    def on_finish(self, result: TrainResult) -> None:
        return None


class SilentListener(TrainingListener):
    """The listener used when the caller gives none."""
