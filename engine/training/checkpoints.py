"""Crash and kill safety: after every epoch the trainer (weights and optimizer state) and the training state
(epoch, phase, history, best so far) are written atomically into OUT.state/, so `--resume` continues from the
last completed epoch. A checkpoint file is complete before the state names it; the state file is replaced
in one rename, so a kill at any moment leaves the previous consistent pair.

The state folder, all of it named here:
    state.json                 the training state (STATE_FILE)
    checkpoint-NNNN.keras      the trainer after epoch NNNN; only the one the state names is kept
    best-head.keras            transfer learning: the best classifier head so far (BEST_HEAD)
    features-NAME-KEY.npy      transfer learning: the frozen backbone's features of the training or
                               validation photos (features_path), with their -labels.npy
"""

from __future__ import annotations

import json
import shutil
import types
import typing
from dataclasses import asdict, dataclass, field
from pathlib import Path

from engine.errors import StudioError
from engine.model.modelfile import EpochRecord
from engine.storage.atomic import atomic_write

STATE_FILE = "state.json"
STATE_VERSION = 1
BEST_HEAD = "best-head.keras"
CHECKPOINT_PATTERN = "checkpoint-*.keras"


def state_dir_of(model_path: Path | str) -> Path:
    """Where the checkpoints and state of an unfinished training into `model_path` live: OUT.state/."""
    return Path(model_path).with_suffix(".state")


def can_resume(model_path: Path | str) -> bool:
    """Whether an interrupted training into `model_path` left something to resume (cheap: no TensorFlow)."""
    try:
        return (state_dir_of(model_path) / STATE_FILE).is_file()
    except ValueError:  # no file name (yet): "/" while the user types one
        return False


class ResumeError(StudioError):
    """No interrupted training to resume, or one that does not match the folder or settings given."""


@dataclass
class TrainingState:
    """Where a training stands after its last completed epoch."""

    settings: dict  # TrainConfig.to_dict() of the training that wrote it
    fingerprint: str  # of the dataset it trains on
    phase: str  # the phase that wrote the last epoch
    epoch: int = 0  # completed epochs over all phases
    phase_start: int = 0  # the epoch the current phase started from (its learning-rate schedule spans
    phase_end: int = 0  # phase_start .. phase_end)
    history: list[EpochRecord] = field(default_factory=list)
    best_epoch: int | None = None
    best_loss: float | None = None  # the monitored loss (validation loss, or training loss without validation)
    best_val_accuracy: float | None = None
    waited: int = 0  # epochs since the best one, for early stopping
    checkpoint: str | None = None  # trainer file in the state folder
    version: int = STATE_VERSION


def write_state(state_dir: Path, state: TrainingState) -> None:
    with atomic_write(state_dir / STATE_FILE) as temporary:
        temporary.write_text(json.dumps(asdict(state), ensure_ascii=False, indent=1), encoding="utf-8")


def damaged_state(state_dir: Path, reason: object) -> ResumeError:
    """The error for a state file that is not what a training wrote (one line; the user may delete it)."""
    return ResumeError(f"{state_dir / STATE_FILE}: damaged training state ({reason}); delete {state_dir} to start over")


def _mistyped_field(state: TrainingState) -> str | None:
    """The first field whose value is not of its declared type: damage can leave valid JSON behind."""
    for name, hint in typing.get_type_hints(TrainingState).items():
        kind = typing.get_origin(hint) if isinstance(hint, types.GenericAlias) else hint
        if not isinstance(getattr(state, name), kind):
            return name
    return None


def read_state(state_dir: Path) -> TrainingState | None:
    """The saved state, or None when there is none; a damaged one is an error naming the folder."""
    path = state_dir / STATE_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        history = [EpochRecord(**epoch) for epoch in data.pop("history", [])]
        state = TrainingState(**data, history=history)
    except (ValueError, TypeError) as error:
        raise damaged_state(state_dir, error) from None
    mistyped = _mistyped_field(state)
    if mistyped is not None:
        raise damaged_state(state_dir, f"'{mistyped}' holds {getattr(state, mistyped)!r}")
    if state.version != STATE_VERSION:
        raise ResumeError(f"{path}: training state of another version; delete {state_dir} to start over")
    return state


def save_checkpoint(trainer, state_dir: Path, epoch: int) -> str:
    """Write the compiled trainer (weights and optimizer state) as checkpoint-EPOCH.keras; return its name."""
    name = CHECKPOINT_PATTERN.replace("*", f"{epoch:04d}")
    with atomic_write(state_dir / name) as temporary:
        trainer.save(temporary)
    return name


def load_checkpoint(trainer, state_dir: Path, name: str) -> None:
    """Restore weights and optimizer state into a trainer rebuilt and compiled exactly as the saved one."""
    path = state_dir / name
    if not path.is_file():
        raise ResumeError(f"{path}: checkpoint missing; delete {state_dir} to start over")
    trainer.optimizer.build(trainer.trainable_variables)
    try:
        trainer.load_weights(path)
    except Exception as error:  # a damaged zip, truncated weights, the wrong shapes: Keras raises all sorts
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ResumeError(f"{path}: the checkpoint is damaged ({reason}), so resuming is impossible; the model "
                          f"file keeps the best epoch so far; train again without resume to start over") from None


def prune_checkpoints(state_dir: Path, keep: str) -> None:
    """Remove checkpoints other than `keep` (the one the state names now)."""
    for old in state_dir.glob(CHECKPOINT_PATTERN):
        if old.name != keep:
            old.unlink(missing_ok=True)


def features_path(state_dir: Path, name: str, key: str) -> Path:
    """Where transfer learning keeps the features of `name` ("train", "val") computed under `key`."""
    return state_dir / f"features-{name}-{key}.npy"


def remove_state(state_dir: Path) -> None:
    """A finished training needs no state: the model file holds the result."""
    shutil.rmtree(state_dir, ignore_errors=True)
