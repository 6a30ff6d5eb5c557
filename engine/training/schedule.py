"""The learning-rate schedule of every training phase, fitted to a time budget when there is one.

A schedule that is fixed before training (cosine over N epochs) ends cut off, not annealed, when the time
runs out first. Here the schedule's length is the number of epochs that fit before the deadline, re-fitted
after each epoch from the measured epoch times (and, in the first epoch, from its first batches), so the
learning rate always reaches its floor in the last epoch that runs. Without a deadline it is a plain
warm-up + cosine over the phase's epochs. When not even one epoch fits, the phase ends at the deadline after
a fraction of an epoch (annealed over that fraction), so a tiny budget still ends on time with a model.
"""

from __future__ import annotations

import math
import statistics
import time

import keras

WARMUP_SHARE = 0.03  # of the phase: from 10 % of the peak rate up to the peak
FINAL_FACTOR = 0.01  # the rate at the end of the phase, as a share of the peak
PLAN_AFTER_BATCHES = 5  # first epoch: batches (after the traced first one) before the epoch time is estimated
OVERRUN = 0.05  # an epoch may start when this share of it would end after the deadline
PLAN_CHANGE_SHARE = 0.1  # a re-fitted plan this far from the one last told is told again
ANNEAL_EPOCH_MAX_S = 60.0  # an epoch this short may still run past the deadline to anneal (the budget's slack)


def learning_rate_at(progress: float, peak: float) -> float:
    """Linear warm-up over WARMUP_SHARE of the phase, then cosine decay to FINAL_FACTOR x peak at 1.0."""
    if progress < WARMUP_SHARE:
        return peak * (0.1 + 0.9 * progress / WARMUP_SHARE)
    decayed = min(1.0, (progress - WARMUP_SHARE) / (1.0 - WARMUP_SHARE))
    return peak * (FINAL_FACTOR + (1.0 - FINAL_FACTOR) * 0.5 * (1.0 + math.cos(math.pi * decayed)))


class EpochPlan:
    """Where the phase ends, in epochs (a float only when less than one epoch fits), for `first..cap` epochs
    and an optional monotonic-clock deadline. Pure bookkeeping: the clock is passed in, so tests drive it."""

    def __init__(self, first_epoch: int, cap: int, deadline: float | None, val_share: float = 0.0,
                 resumed_at: int | None = None, planned: int | None = None):
        self.first = first_epoch  # the phase's first epoch (0-based): the schedule spans first .. end
        self.start = first_epoch if resumed_at is None else resumed_at  # the first epoch this run trains
        self.cap = cap
        self.deadline = deadline
        self.val_share = val_share  # validation time as a share of a training pass, until an epoch is measured
        # Within a budget the phase starts from the estimate's plan (`planned` epochs, Automatic's), which the
        # measured times then re-fit; without one, or without an estimate, it spans every epoch up to the cap.
        self.end: float = float(min(cap, first_epoch + planned)) if deadline is not None and planned else float(cap)
        self._measured = False  # an epoch's time has been measured
        self.told = math.ceil(self.end)  # the end the user was last told (PlannedSchedule tells changes)

    def progress(self, epoch_index: int, batch: int, batches: int) -> float:
        """Share of the phase done when batch `batch` (0-based) of epoch `epoch_index` (0-based) starts."""
        done = epoch_index - self.first + batch / max(batches, 1)
        return min(1.0, done / max(self.end - self.first, 1e-9))

    def batch_timed(self, epoch_index: int, batch: int, batches: int, seconds_per_batch: float,
                    now: float) -> None:
        """In the phase's first epoch, once a few steps are timed: fit the end to the estimated epoch time."""
        if self.deadline is None or epoch_index != self.start or batch != PLAN_AFTER_BATCHES or self._measured:
            return
        train_pass = batches * seconds_per_batch
        done = (batch + 1) / batches
        left = self.deadline - now
        fits = done + left / (train_pass * (1 + self.val_share))
        if fits + OVERRUN >= 1:
            self.end = float(min(self.cap, self.start + math.floor(fits + OVERRUN)))
        else:  # not one epoch fits: this one ends early, leaving time for its validation
            self.end = self.start + min(1.0, max(done, done + (left - train_pass * self.val_share) / train_pass))

    def epoch_timed(self, epoch_index: int, seconds: float, now: float) -> None:
        """After a completed epoch (validation included): re-fit the end to its measured time."""
        self._measured = True
        if self.deadline is not None:
            fits = (self.deadline - now) / max(seconds, 1e-9)
            end = float(min(self.cap, epoch_index + 1 + math.floor(fits + OVERRUN)))
            if end <= epoch_index + 1 < self.end and seconds <= ANNEAL_EPOCH_MAX_S:
                # A slower epoch pulled the end in to this one, whose rates were set for a later end: one more
                # short epoch anneals them, instead of a model cut off mid-schedule.
                end = float(min(self.cap, epoch_index + 2))
            self.end = end

    def epochs_left(self, epoch_index: int, batch: int, batches: int) -> float:
        """Epochs from the end of batch `batch` to the planned end."""
        return max(0.0, self.end - epoch_index - (batch + 1) / max(batches, 1))

    def over(self, epoch_index: int, batch: int, batches: int) -> bool:
        """Whether the phase has reached its planned end (checked after each batch)."""
        return self.epochs_left(epoch_index, batch, batches) <= 1e-9


def untraced_epoch_seconds(seconds: float, train_steps: list[float], test_steps: list[float],
                           test_step_share: float = 1 / 3) -> float | None:
    """The time a fit's first epoch would have taken without tracing: its first training and validation steps
    (which trace and optimise the step functions) counted as typical ones. None when that cannot be told: an
    epoch of one training step holds no untraced step to go by.

    Taking the traced epoch as typical planned 2 epochs instead of 78 for 140 photos of 25 px (44 s of
    tracing, then 0.5 s epochs). A lone validation step counts as `test_step_share` of a training step (a
    forward pass only)."""
    if len(train_steps) < 2:
        return None
    train_step = statistics.median(train_steps[1:])
    test_step = statistics.median(test_steps[1:]) if len(test_steps) > 1 else train_step * test_step_share
    excess = (train_steps[0] - train_step) + (test_steps[0] - test_step if test_steps else 0.0)
    return max(seconds - max(0.0, excess), 1e-3)


class PlannedSchedule(keras.callbacks.Callback):
    """Sets the optimizer's learning rate before every batch from the plan, and ends `fit` at the plan's end.

    `on_plan_changed(epochs, was, epoch_seconds, assumed_seconds)` is called when a re-fit moves the plan by
    PLAN_CHANGE_SHARE or more from the one last told, with the epoch time measured and the one assumed."""

    def __init__(self, plan: EpochPlan, peak: float, clock=time.monotonic, on_plan_changed=None):
        super().__init__()
        self.plan, self.peak, self.clock = plan, peak, clock
        self.on_plan_changed = on_plan_changed
        self._batches = 1
        self._step_started = 0.0
        self._steps: list[float] = []  # every training step of this fit (the first traced)
        self._epoch_steps: list[float] = []  # this epoch's training steps
        self._test_steps: list[float] = []  # this epoch's validation steps
        self._assumed: float | None = None  # the epoch time the plan told rests on

    def on_train_begin(self, logs=None):
        plan = self.plan
        if plan.deadline is not None and plan.end > plan.start:
            self._assumed = (plan.deadline - self.clock()) / (plan.end - plan.start)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        self._epoch_started = self._step_started = self.clock()
        self._batches = self.params.get("steps") or self._batches
        self._epoch_steps, self._test_steps = [], []

    def on_train_batch_begin(self, batch, logs=None):
        self.model.optimizer.learning_rate = learning_rate_at(
            self.plan.progress(self._epoch, batch, self._batches), self.peak)

    def on_train_batch_end(self, batch, logs=None):
        now = self.clock()
        self._steps.append(now - self._step_started)
        self._epoch_steps.append(now - self._step_started)
        self._step_started = now
        if len(self._steps) > 1:  # the first step of a fit includes tracing
            median = sorted(self._steps[1:])[len(self._steps[1:]) // 2]
            self.plan.batch_timed(self._epoch, batch, self._batches, median, now)
            self._tell(median * self._batches * (1 + self.plan.val_share))
        if self.plan.over(self._epoch, batch, self._batches):
            self.model.stop_training = True

    def on_test_batch_begin(self, batch, logs=None):
        self._test_started = self.clock()

    def on_test_batch_end(self, batch, logs=None):
        self._test_steps.append(self.clock() - self._test_started)

    def on_epoch_end(self, epoch, logs=None):
        now = self.clock()
        seconds: float | None = now - self._epoch_started
        if epoch == self.plan.start:  # traced: what it would have taken untraced, if that can be told
            seconds = untraced_epoch_seconds(seconds, self._epoch_steps, self._test_steps)
        if seconds is not None:
            self.plan.epoch_timed(epoch, seconds, now)
            self._tell(seconds)
        if self.plan.end <= epoch + 1:
            self.model.stop_training = True

    def _tell(self, epoch_seconds: float) -> None:
        """Tell a plan that moved by PLAN_CHANGE_SHARE or more since it was last told."""
        epochs, told = math.ceil(self.plan.end), self.plan.told
        if self.plan.deadline is None or abs(epochs - told) < max(1.0, PLAN_CHANGE_SHARE * told):
            return
        if self.on_plan_changed is not None:
            self.on_plan_changed(epochs, told, epoch_seconds, self._assumed or epoch_seconds)
        self.plan.told, self._assumed = epochs, epoch_seconds
