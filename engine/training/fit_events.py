"""A Keras callback that turns `model.fit` into studio events and obeys the stop token within one batch."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import keras

from engine.errors import Said
from engine.runtime.stop import StopSignal
from engine.training.events import COMPILING, PREPARING_STEP, BatchEnded, PhaseStarted, TrainingListener
from engine.training.schedule import EpochPlan

SMOOTHING = 0.3  # weight of the newest step in the running seconds-per-batch (images/s and ETA)

# Called at the end of a completed epoch with (epoch index, logs, learning rate, seconds); returns whether
# training should stop early.
EpochHandler = Callable[[int, dict, float, float], bool]


def current_learning_rate(model: keras.Model) -> float:
    return float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))


class FitEvents(keras.callbacks.Callback):
    """Per batch: BatchEnded to the listener; per completed epoch: `on_epoch_done`; on a stop request: ends
    the running training or validation step loop, and the interrupted epoch is not counted."""

    def __init__(self, phase: str, listener: TrainingListener, stop: StopSignal, plan: EpochPlan,
                 batch_size: int, on_epoch_done: EpochHandler):
        super().__init__()
        self.phase = phase
        self.listener = listener
        self.stop = stop
        self.plan = plan  # where the phase ends: the epochs and the ETA the user sees
        self.batch_size = batch_size
        self.on_epoch_done = on_epoch_done
        self.stopped = False
        self.early_stopped = False
        self._seconds_per_batch: float | None = None
        self._steps = 0

    def _check_stop(self) -> bool:
        if self.stop.is_set():
            self.stopped = True
            self.model.stop_training = True
            self.model.stop_evaluating = True
        return self.stopped

    def on_train_begin(self, logs=None):
        """The first batch waits for TensorFlow to trace and optimise the training step: say so."""
        self.listener.on_phase(PhaseStarted(COMPILING, "TensorFlow traces and optimises the training step; "
                                                       "the first batch follows", (Said(PREPARING_STEP),)))

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_index = epoch
        self._epoch_started = time.perf_counter()
        self._step_started = self._epoch_started

    def on_train_batch_end(self, batch, logs=None):
        now = time.perf_counter()
        step = now - self._step_started
        self._step_started = now
        self._steps += 1
        if self._seconds_per_batch is None or self._steps <= 2:
            self._seconds_per_batch = step  # the first step of a fit includes tracing: it must not linger
        else:
            self._seconds_per_batch += SMOOTHING * (step - self._seconds_per_batch)
        batches = self.params.get("steps") or batch + 1
        left = self.plan.epochs_left(self._epoch_index, batch, batches) * batches
        logs = logs or {}
        self.listener.on_batch(BatchEnded(
            phase=self.phase, epoch=self._epoch_index + 1, epochs=math.ceil(self.plan.end), batch=batch + 1,
            batches=batches,
            loss=float(logs.get("loss", float("nan"))), accuracy=float(logs.get("accuracy", float("nan"))),
            images_per_second=self.batch_size / max(self._seconds_per_batch, 1e-9),
            eta_seconds=left * self._seconds_per_batch,
        ))
        self._check_stop()

    def on_test_batch_end(self, batch, logs=None):
        self._check_stop()

    def on_epoch_end(self, epoch, logs=None):
        if self._check_stop():
            return  # an interrupted epoch: neither checkpointed nor in the history
        seconds = time.perf_counter() - self._epoch_started
        if self.on_epoch_done(epoch, dict(logs or {}), current_learning_rate(self.model), seconds):
            self.early_stopped = True
            self.model.stop_training = True
        self._check_stop()

