"""The compute plan: what it picks on this machine, why it says so, and that its picks train."""

import math
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from engine.compute import (
    FLOAT32,
    MIXED_BFLOAT16,
    MIXED_FLOAT16,
    ComputePlan,
    activation_elements,
    available_memory_bytes,
    describe_device,
    detect_device,
    naive_activation_bytes,
    plan_compute,
    precision_scope,
)
from engine.config import ModelConfig
from engine.densenet import build_densenet
from engine.errors import ConfigError
from tests.image_files import class_picture

TINY = "densenet-bc-10-k4"


def cpu_flags() -> str:
    return Path("/proc/cpuinfo").read_text()


def test_device_line_names_the_cpu_and_its_bfloat16_support():
    name = describe_device()
    if detect_device().is_gpu:
        assert name.startswith("GPU: ")
        return
    assert name.startswith("CPU")
    bf16 = "avx512_bf16" in cpu_flags() or "amx_bf16" in cpu_flags()
    assert ("BF16" in name) == bf16 == detect_device().fast_bfloat16


ONEDNN_PROBE = ("import engine, tensorflow; from engine.compute import describe_device; "
                "from engine.keras_compat import onednn_enabled; print(onednn_enabled(), describe_device())")


@pytest.mark.parametrize("choice, expected", [(None, True), ("0", False)], ids=["engine-default", "user-off"])
def test_the_engine_asks_for_onednn_kernels_unless_the_user_chose(choice, expected):
    environment = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    if choice is not None:
        environment["TF_ENABLE_ONEDNN_OPTS"] = choice
    out = subprocess.run([sys.executable, "-c", ONEDNN_PROBE], env=environment, capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1]).stdout.split()
    assert out[0] == str(expected)
    if out[1] == "CPU":
        assert ("oneDNN" in " ".join(out[1:])) == expected


def test_auto_plan_for_a_small_batch_on_this_machine():
    plan = plan_compute(TINY, 32, 8)
    device = detect_device()
    assert plan.device == device.name
    expected = MIXED_BFLOAT16 if device.fast_bfloat16 else MIXED_FLOAT16 if device.fast_float16 else FLOAT32
    assert plan.precision == expected
    assert not plan.memory_efficient and plan.jit_compile == device.is_gpu
    assert plan.reason.startswith(device.name) and "naive DenseNet" in plan.reason
    assert f"XLA {'on' if device.is_gpu else 'off'}" in plan.reason
    assert "\n" not in plan.reason


def test_a_batch_whose_activations_exceed_memory_switches_to_memory_efficient():
    plan = plan_compute(TINY, 32, 8)
    per_image = naive_activation_bytes(TINY, 32, 1, plan.precision)
    huge = math.ceil(available_memory_bytes(detect_device()) / per_image)
    plan = plan_compute(TINY, 32, huge)
    assert plan.memory_efficient and not plan.jit_compile
    assert "memory-efficient DenseNet" in plan.reason and "exceed half" in plan.reason


def test_overrides_win_and_say_so():
    plan = plan_compute(TINY, 32, 8, precision="float32", memory_efficient=True, jit_compile=False)
    assert (plan.precision, plan.memory_efficient, plan.jit_compile) == ("float32", True, False)
    assert plan.reason.count("as requested") == 3
    assert not plan.loss_scaling and plan_compute(TINY, 32, 8, precision="mixed_float16").loss_scaling


@pytest.mark.parametrize(
    "arguments, words",
    [(dict(precision="float8"), "precision must be one of"), (dict(batch_size=0), "at least 1")],
)
def test_bad_settings_are_one_line_errors(arguments, words):
    with pytest.raises(ConfigError, match=words):
        plan_compute(**{"variant": TINY, "input_size": 32, "batch_size": 8, **arguments})


def test_activation_estimate_reads_the_architecture_and_scales_with_batch_and_precision():
    # densenet-bc-10-k4 at 32x32: every layer output of the report, e.g. the 32x32x8 stem conv
    assert activation_elements(TINY, 32) > 32 * 32 * 8 * 10
    assert activation_elements(TINY, 64) > 3.5 * activation_elements(TINY, 32)
    assert naive_activation_bytes(TINY, 32, 16) == 2 * naive_activation_bytes(TINY, 32, 8)
    assert naive_activation_bytes(TINY, 32, 8, MIXED_BFLOAT16) * 2 == naive_activation_bytes(TINY, 32, 8)


def test_precision_scope_builds_mixed_models_and_restores_the_global_policy():
    before = keras.mixed_precision.global_policy().name
    plan = ComputePlan(MIXED_BFLOAT16, False, False, "test", "test")
    with precision_scope(plan):
        model = build_densenet(ModelConfig(TINY, input_size=32, classes=2))
    assert keras.mixed_precision.global_policy().name == before
    assert model.get_layer("conv1_conv").compute_dtype == "bfloat16"
    assert model.get_layer("conv1_conv").variable_dtype == "float32"
    assert model.get_layer("predictions").compute_dtype == "float32"


def test_the_auto_plan_trains_a_learnable_task():
    """Whatever this machine's plan picks (bfloat16 on a BF16 CPU, float32 elsewhere) learns two classes."""
    plan = plan_compute(TINY, 32, 8)
    images = np.stack([class_picture(label, 32, seed) for label in (0, 1) for seed in range(16)]).astype("float32")
    labels = np.repeat([0, 1], 16)
    keras.utils.set_random_seed(0)
    with precision_scope(plan):
        model = build_densenet(ModelConfig(TINY, input_size=32, classes=2))
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], jit_compile=plan.jit_compile)
    history = model.fit(images, labels, batch_size=8, epochs=6, shuffle=True, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] >= 0.9
