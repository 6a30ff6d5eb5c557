"""The learning-rate plan: warm-up then cosine, its end fitted to a deadline from measured step and epoch
times (driven here by a hand-set clock), and a real training with a tiny time budget that ends with a model."""


import keras
import pytest

from engine.training.events import FILLED_BUDGET, OUT_OF_TIME
from engine.training.schedule import (
    FINAL_FACTOR,
    PLAN_AFTER_BATCHES,
    WARMUP_SHARE,
    EpochPlan,
    PlannedSchedule,
    learning_rate_at,
    untraced_epoch_seconds,
)
from engine.training.train_config import TrainConfig
from engine.training.trainer import train
from tests.image_files import make_class_folders

PEAK = 0.002


def test_rate_warms_up_then_decays_to_its_floor():
    assert learning_rate_at(0.0, PEAK) == pytest.approx(0.1 * PEAK)
    assert learning_rate_at(WARMUP_SHARE, PEAK) == pytest.approx(PEAK)
    assert learning_rate_at(1.0, PEAK) == pytest.approx(FINAL_FACTOR * PEAK)
    decay = [learning_rate_at(WARMUP_SHARE + step / 100 * (1 - WARMUP_SHARE), PEAK) for step in range(101)]
    assert all(later < earlier for earlier, later in zip(decay, decay[1:]))
    # the cosine's midpoint: half-way between the peak and the floor
    assert learning_rate_at(WARMUP_SHARE + (1 - WARMUP_SHARE) / 2, PEAK) == pytest.approx(
        PEAK * (1 + FINAL_FACTOR) / 2)


def test_without_a_deadline_the_plan_spans_the_epochs_given():
    plan = EpochPlan(first_epoch=2, cap=6, deadline=None)
    plan.batch_timed(2, PLAN_AFTER_BATCHES, 10, seconds_per_batch=100.0, now=0.0)
    plan.epoch_timed(2, seconds=1000.0, now=1000.0)
    assert plan.end == 6
    assert plan.progress(2, 0, 10) == 0.0
    assert plan.progress(4, 0, 10) == pytest.approx(0.5)
    assert plan.progress(5, 5, 10) == pytest.approx(0.875)


def test_the_end_is_fitted_to_the_deadline_after_a_few_steps_and_after_each_epoch():
    # 100 batches of 1 s per epoch, no validation, deadline 350 s from the start: 3 whole epochs fit
    plan = EpochPlan(first_epoch=0, cap=50, deadline=350.0)
    plan.batch_timed(0, PLAN_AFTER_BATCHES, 100, seconds_per_batch=1.0, now=float(PLAN_AFTER_BATCHES + 1))
    assert plan.end == 3
    # the first epoch took 120 s (tracing): at t=120, 230 s are left, 1.9 epochs of 120 s: one more epoch
    plan.epoch_timed(0, seconds=120.0, now=120.0)
    assert plan.end == 2
    # the second epoch took 100 s: at t=220, 130 s left: one more
    plan.epoch_timed(1, seconds=100.0, now=220.0)
    assert plan.end == 3
    assert plan.progress(2, 99, 100) == pytest.approx((2 + 0.99) / 3)
    assert not plan.over(2, 98, 100) and plan.over(2, 99, 100)


def test_validation_time_counts_in_the_first_epochs_plan():
    plan = EpochPlan(first_epoch=0, cap=50, deadline=350.0, val_share=0.5)  # an epoch: 100 s + 50 s
    plan.batch_timed(0, PLAN_AFTER_BATCHES, 100, seconds_per_batch=1.0, now=6.0)
    assert plan.end == 2


def test_when_not_one_epoch_fits_the_phase_ends_inside_it_at_the_deadline():
    plan = EpochPlan(first_epoch=0, cap=50, deadline=36.0)
    plan.batch_timed(0, PLAN_AFTER_BATCHES, 100, seconds_per_batch=1.0, now=6.0)
    assert plan.end == pytest.approx(0.36)
    assert not plan.over(0, 34, 100) and plan.over(0, 35, 100)
    assert plan.progress(0, 36, 100) == pytest.approx(1.0)


def test_a_resumed_phase_plans_from_its_first_new_epoch():
    plan = EpochPlan(first_epoch=0, cap=10, deadline=250.0, resumed_at=4)
    plan.batch_timed(0, PLAN_AFTER_BATCHES, 100, 1.0, now=6.0)  # not the epoch this run starts with
    assert plan.end == 10
    plan.batch_timed(4, PLAN_AFTER_BATCHES, 100, 1.0, now=6.0)
    assert plan.end == 6  # epochs 4 and 5 fit in the 244 s left
    assert plan.progress(4, 0, 100) == pytest.approx(4 / 6)


@pytest.mark.heavy
def test_a_tiny_time_budget_ends_on_time_with_an_annealed_model(tmp_path):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=24, size=32)
    budget_minutes = 0.3
    config = TrainConfig(out=tmp_path / "pets.keras", variant="densenet-bc-10-k4", input_size=32, batch_size=8,
                         epochs=10_000, lr=3e-3, time_budget=budget_minutes, patience=0, precision="float32",
                         jit_compile=False, memory_efficient=False, cache_dir=tmp_path / "cache")
    result = train(data, config)
    assert result.model_path is not None and result.model_path.is_file()
    assert 1 <= len(result.history) < 10_000 and not result.stopped
    assert result.ending in (FILLED_BUDGET, OUT_OF_TIME), result.ending_text()  # the budget ended it
    assert result.history[-1].learning_rate <= 3 * FINAL_FACTOR * 3e-3  # annealed, not cut off


def test_an_end_pulled_in_to_the_epoch_just_done_gets_one_more_short_epoch_to_anneal():
    plan = EpochPlan(first_epoch=0, cap=50, deadline=100.0)
    plan.epoch_timed(0, seconds=10.0, now=10.0)
    assert plan.end == 10  # 90 s left at the end of the first of 10 s epochs: nine more
    plan.epoch_timed(1, seconds=40.0, now=95.0)  # a slow epoch: 5 s left, the end would be this epoch
    assert plan.end == 3  # one more epoch, over which the rate reaches its floor
    long_plan = EpochPlan(first_epoch=0, cap=50, deadline=1000.0)
    long_plan.epoch_timed(0, seconds=100.0, now=100.0)
    long_plan.epoch_timed(1, seconds=890.0, now=990.0)  # epochs too long for the slack: it ends here
    assert long_plan.end == 2


class HandClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def run_epoch(schedule: PlannedSchedule, clock: HandClock, epoch: int, train_steps: list[float],
              test_steps: list[float]) -> None:
    """Drive the callback through one epoch as `fit` does, each step taking the seconds given."""
    schedule.on_epoch_begin(epoch)
    for batch, seconds in enumerate(train_steps):
        schedule.on_train_batch_begin(batch)
        clock.now += seconds
        schedule.on_train_batch_end(batch)
    for batch, seconds in enumerate(test_steps):
        schedule.on_test_batch_begin(batch)
        clock.now += seconds
        schedule.on_test_batch_end(batch)
    schedule.on_epoch_end(epoch)


def planned_schedule(plan: EpochPlan, clock: HandClock, steps: int, told: list) -> PlannedSchedule:
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.Adam(PEAK), loss="mse")
    schedule = PlannedSchedule(plan, PEAK, clock, on_plan_changed=lambda *facts: told.append(facts))
    schedule.set_model(model)
    schedule.set_params({"steps": steps, "epochs": plan.cap})
    schedule.on_train_begin()
    return schedule


def test_a_traced_first_epoch_is_not_taken_as_the_time_of_every_epoch():
    """A small folder: the first training step traces for 44 s and the first validation step for 2 s, then
    steps take 0.05 s (validation 0.02 s); 120 s to go, Automatic planned 78 epochs. Taking the traced
    epoch (46.5 s) as typical would leave two epochs; untraced, an epoch takes 0.56 s."""
    clock, told = HandClock(), []
    plan = EpochPlan(0, cap=156, deadline=120.0, val_share=0.1, planned=78)
    assert plan.end == 78 and plan.told == 78
    schedule = planned_schedule(plan, clock, steps=10, told=told)
    run_epoch(schedule, clock, 0, [44.0] + [0.05] * 9, [2.0, 0.02, 0.02])
    assert plan.end == 132  # 1 + floor(73.5 s left / 0.56 s + OVERRUN)
    assert not schedule.model.stop_training
    # told once, when a few untraced steps showed the estimate was pessimistic: 0.55 s epochs, not 1.54 s
    assert len(told) == 1
    epochs, was, seconds, assumed = told[0]
    assert (epochs, was) == (138, 78) and seconds == pytest.approx(0.55) and assumed == pytest.approx(120 / 78)
    run_epoch(schedule, clock, 1, [0.05] * 10, [0.02] * 3)
    assert len(told) == 1 and plan.told == 138  # a re-fit within 10 % of what was told is not told again


def test_an_epoch_of_one_traced_step_leaves_the_plan_to_the_next_epoch():
    clock, told = HandClock(), []
    plan = EpochPlan(0, cap=156, deadline=120.0, planned=78)
    schedule = planned_schedule(plan, clock, steps=1, told=told)
    run_epoch(schedule, clock, 0, [44.0], [2.0])
    assert plan.end == 78 and not told  # nothing untraced to go by yet
    run_epoch(schedule, clock, 1, [0.5], [0.1])
    assert plan.end == 2 + 122  # 73.4 s left / 0.6 s
    assert told and told[0][:2] == (124, 78)


def test_untraced_epoch_time_counts_the_first_steps_as_typical_ones():
    assert untraced_epoch_seconds(10.0, [6.0, 1.0, 1.0, 1.0], [2.0, 0.5]) == pytest.approx(10.0 - 5.0 - 1.5)
    assert untraced_epoch_seconds(4.0, [2.0, 1.0], [1.0]) == pytest.approx(4.0 - 1.0 - (1.0 - 1 / 3))
    assert untraced_epoch_seconds(3.0, [3.0], []) is None
