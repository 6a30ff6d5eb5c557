"""TrainConfig refuses nonsense when it is made, in one line, before any photo is decoded: "off" must never
turn a switch on, and no number may fail minutes later."""

import math

import pytest

from engine.errors import ConfigError
from engine.training.train_config import TrainConfig

SMALL = dict(out="m.keras", variant="densenet-bc-10-k4", input_size=32)


@pytest.mark.parametrize("bad, message", [
    (dict(precision="float8"), "precision must be one of auto, float32, mixed_bfloat16, mixed_float16; not 'float8'"),
    (dict(memory_efficient="off"), "memory efficient must be auto, True or False, not 'off'"),
    (dict(jit_compile="no"), "jit compile must be auto, True or False, not 'no'"),
    (dict(seed=-1), "the seed must be a whole number from 0 to 4,294,967,295, not -1"),
    (dict(seed=10**23), "the seed must be a whole number"),
    (dict(time_budget=math.nan), "the time budget must be a number of minutes above 0"),
    (dict(time_budget=math.inf), "at most 10,080 (a week), not inf"),
    (dict(lr=math.inf), "the learning rate must be above 0 and at most 10"),
    (dict(epochs=10**9), "epochs must be from 1 to 100,000"),
    (dict(input_size=100_000), "input size 100000 is too large: at most 1024 px"),
    (dict(variant="densenet-bc-100000-k12"), "depth L=100000 must be from 10 to 250"),
])
def test_nonsense_is_refused_in_one_line_at_construction(bad, message):
    with pytest.raises(ConfigError) as refused:
        TrainConfig(**{**SMALL, **bad})
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_the_switches_take_their_three_values():
    for value in ("auto", True, False):
        config = TrainConfig(**SMALL, memory_efficient=value, jit_compile=value)
        assert config.memory_efficient == value and config.jit_compile == value
