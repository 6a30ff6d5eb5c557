"""A training says what it does in plain words (`densenet-studio train`), and its exact settings with --verbose;
Automatic's choice and reason are sentences the window translates (engine.errors.Said)."""

from __future__ import annotations

import contextlib
import io

from engine.cli import main
from engine.errors import Said
from engine.model.compute import plan_compute
from engine.training.auto_settings import DataProfile, choose_settings
from engine.training.events import TRAIN, PhaseStarted
from tests.image_files import make_class_folders

CLI_TINY = ["--variant", "densenet-bc-10-k4", "--input-size", "32", "--batch-size", "4", "--epochs", "1",
            "--precision", "float32", "--jit", "off", "--memory-efficient", "off"]


def _train(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["train", *args]) == 0
    return out.getvalue()


def test_train_prints_plain_words_and_verbose_the_exact_settings(tmp_path):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=6, size=32)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    plain = _train(str(data), "--out", str(tmp_path / "plain.keras"), *cache, *CLI_TINY)
    assert "starting: Loading the machine-learning library (a few seconds)." in plain
    assert "training: Training with ordinary 32-bit numbers.\n" in plain
    assert "building: Building a DenseNet-BC (L=10, k=4) network for photos of 32x32 pixels." in plain
    assert "naive" not in plain and "float32 (as requested)" not in plain and "TensorFlow" not in plain
    verbose = _train(str(data), "--out", str(tmp_path / "verbose.keras"), *cache, "--verbose", *CLI_TINY)
    assert "starting: loading TensorFlow" in verbose
    assert ": float32 (as requested); naive DenseNet (as requested); XLA off (as requested)\n" in verbose
    assert "building: densenet-bc-10-k4 at 32x32" in verbose


def test_the_compute_plan_in_plain_words():
    plan = plan_compute("densenet-bc-10-k4", 32, 4, precision="mixed_float16", memory_efficient=True,
                        jit_compile=True)
    assert [said.text() for said in plan.said] == [
        "Training with 16-bit numbers where safe, as you chose.",
        "Saving memory by working some steps out twice (slower, but the network fits in memory).",
        "The training step is compiled first (faster on a GPU)."]
    assert "mixed_float16" in plan.reason and "memory-efficient" in plan.reason
    event = PhaseStarted(TRAIN, plan.reason, plan.said)
    assert "mixed_float16" not in " ".join(said.text() for said in event.said)


def test_automatic_says_its_choice_as_sentences_with_their_facts():
    from engine.model.compute import Device
    from engine.model.pretrained import UNAVAILABLE

    device = Device("CPU (AVX2)", is_gpu=False, fast_bfloat16=False, fast_float16=False)
    auto = choose_settings(DataProfile(photos=100, classes=10, typical_size=28, grey=True), device, UNAVAILABLE,
                           budget_minutes=2, cores=2)
    assert all(isinstance(said, Said) for said in auto.why)
    assert auto.reason == "; ".join(said.text() for said in auto.why)
    assert auto.reason.startswith("100 grey photos of about 28 px")
    assert auto.summary == auto.summary_said.text() and auto.summary.endswith("on this CPU")
    assert isinstance(auto.summary_said.facts["time"], Said)  # "{minutes} min", translated on its own


def test_a_changed_plan_tells_two_close_epoch_times_apart():
    from engine.training.events import PlanChanged

    text = PlanChanged(TRAIN, epochs=61, was=68, epoch_seconds=0.2149, assumed_seconds=0.1951).text()
    assert text == "plan: 61 epochs, was 68: epochs take 0.215 s, not 0.195 s"  # not "0.2 s, not 0.2 s"
    assert "take 12.3 s, not 123 s" in PlanChanged(TRAIN, 5, 6, 12.34, 123.4).text()
