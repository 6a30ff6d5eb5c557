"""The CLI's numeric arguments, property-based: any value either parses into settings that TrainConfig
accepts (Automatic filling the rest, as `train` does) or is refused in one line with exit status 2."""

import contextlib
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.cli import build_parser, main
from engine.commands.train import _given
from engine.errors import ConfigError
from engine.model.compute import Device
from engine.model.pretrained import UNAVAILABLE
from engine.training.auto_settings import DataProfile, choose_settings, merged_config, needs_automatic
from engine.training.train_config import TrainConfig

CPU = Device("CPU (AVX2, oneDNN)", is_gpu=False, fast_bfloat16=False, fast_float16=False)
FOLDER = DataProfile(photos=300, classes=3, typical_size=32, grey=False)
TRAIN_NUMBERS = ("--cache-limit", "--input-size", "--epochs", "--batch-size", "--lr", "--time-budget", "--val-split", "--seed",
                 "--patience", "--fine-tune-epochs")
OTHER_NUMBERS = (("classify", "--top-k"), ("classify", "--batch-size"), ("classify", "--input-size"),
                 ("evaluate", "--batch-size"), ("evaluate", "--input-size"), ("summary", "--input-size"),
                 ("summary", "--classes"))
POSITIONAL = {"classify": ["photo.jpg"], "evaluate": ["model.keras", "photos"], "summary": ["densenet121"]}
# What a user might type: ordinary numbers and the audit's hostile ones, and any text at all.
VALUES = st.one_of(
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["nan", "inf", "-inf", "1e308", "1e23", "-1", "0", "0.5", "100000", "1e-320", " 3 ", "0x10"]),
    st.text(max_size=12),
)


def _parsed(argv: list[str]):
    """The parsed arguments, or the exit status and stderr of a refusal."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            return build_parser().parse_args(argv), None
        except SystemExit as exit_:
            return None, (exit_.code, err.getvalue())


def _one_line_refusal(refusal) -> None:
    code, err = refusal
    assert code == 2 and err.count("\n") == 1 and "error: argument" in err and "Traceback" not in err, err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(option=st.sampled_from(TRAIN_NUMBERS), value=VALUES)
def test_train_numbers_make_valid_settings_or_one_line(option, value):
    args, refusal = _parsed(["train", "photos", "--out", "model.keras", f"{option}={value}"])
    if refusal:
        return _one_line_refusal(refusal)
    given_options = _given(args)
    try:
        if needs_automatic(given_options):
            auto = choose_settings(FOLDER, CPU, UNAVAILABLE, given_options.get("time_budget"), cores=2)
            merged_config(auto, given_options)
        else:
            TrainConfig(**given_options)
    except ConfigError as error:  # main() prints it as one line, exit 2
        assert "\n" not in str(error)


@settings(max_examples=40, deadline=None)
@given(command_option=st.sampled_from(OTHER_NUMBERS), value=VALUES)
def test_other_commands_numbers_parse_or_are_one_line(command_option, value):
    command, option = command_option
    args, refusal = _parsed([command, *POSITIONAL[command], f"{option}={value}"])
    if refusal:
        _one_line_refusal(refusal)
    else:
        assert getattr(args, option[2:].replace("-", "_")) >= 1


@pytest.mark.parametrize("argv, message", [
    (["train", "d", "--out", "m.keras", "--time-budget", "nan"], "argument --time-budget: nan is not in (0, 10080]"),
    (["train", "d", "--out", "m.keras", "--time-budget", "1e308"], "--time-budget: 1e308 is not in"),
    (["train", "d", "--out", "m.keras", "--seed", "-1"], "argument --seed: -1 is not from 0 to 4,294,967,295"),
    (["train", "d", "--out", "m.keras", "--input-size", "100000"], "--input-size: 100000 is not from 1 to 1,024"),
    (["train", "d", "--out", "m.keras", "--lr", "inf"], "argument --lr: inf is not in (0, 10]"),
    (["summary", "densenet-bc-100000-k12"], "depth L=100000 must be from 10 to 250"),
])
def test_the_audits_arguments_are_one_line(argv, message):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # refused while parsing
            code = exit_.code
    assert code == 2 and message in err.getvalue() and err.getvalue().count("\n") == 1
