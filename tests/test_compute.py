"""The compute plan: what it picks on every kind of device (described by hand: a new and an older GPU, AVX-512
BF16 and AVX2 CPUs), why it says so, and that this machine's picks train."""

import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from engine.errors import ConfigError
from engine.model.compute import (
    MIXED_BFLOAT16,
    MIXED_FLOAT16,
    ComputePlan,
    Device,
    activation_elements,
    describe_device,
    detect_device,
    device_from,
    naive_activation_bytes,
    plan_compute,
    precision_scope,
)
from engine.model.config import ModelConfig
from engine.model.densenet import build_densenet
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


ONEDNN_PROBE = ("import engine, tensorflow; from engine.model.compute import describe_device; "
                "from engine.runtime.keras_compat import onednn_enabled; print(onednn_enabled(), describe_device())")


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


A100 = {"device_name": "NVIDIA A100-SXM4-40GB", "compute_capability": (8, 0)}
T4 = {"device_name": "Tesla T4", "compute_capability": (7, 5)}
P100 = {"device_name": "Tesla P100-PCIE-16GB", "compute_capability": (6, 0)}
SAPPHIRE_RAPIDS = {"fpu", "avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16"}
SKYLAKE_SERVER = {"fpu", "avx2", "fma", "avx512f"}
LAPTOP = {"fpu", "avx2", "fma"}


@pytest.mark.parametrize("gpu, flags, onednn, expected", [
    (A100, set(), False, Device("GPU: NVIDIA A100-SXM4-40GB", True, True, True)),
    (T4, set(), False, Device("GPU: Tesla T4", True, False, True)),
    (P100, set(), False, Device("GPU: Tesla P100-PCIE-16GB", True, False, False)),
    (None, SAPPHIRE_RAPIDS, True, Device("CPU (AVX-512 BF16, oneDNN)", False, True, False)),
    (None, {"avx2", "avx512f", "amx_bf16"}, False, Device("CPU (AVX-512 BF16)", False, True, False)),
    (None, SKYLAKE_SERVER, True, Device("CPU (AVX-512, oneDNN)", False, False, False)),
    (None, LAPTOP, True, Device("CPU (AVX2, oneDNN)", False, False, False)),
    (None, LAPTOP, False, Device("CPU (AVX2)", False, False, False)),
    (None, {"fpu"}, False, Device("CPU", False, False, False)),
], ids=["gpu-8.0", "gpu-7.5", "gpu-6.0", "avx512-bf16", "amx-bf16", "avx512", "avx2-onednn", "avx2", "plain"])
def test_every_device_description_names_the_device_and_its_fast_arithmetic(gpu, flags, onednn, expected):
    assert device_from(gpu, flags, onednn) == expected


def fake_machine(monkeypatch, device: Device, memory_bytes: int) -> None:
    """Plan for `device` with `memory_bytes` available, whatever this machine is."""
    monkeypatch.setattr("engine.model.compute.detect_device", lambda: device)
    monkeypatch.setattr("engine.model.compute.available_memory_bytes", lambda _device: memory_bytes)


FITS = "naive DenseNet (naive activations ~0.0 GiB fit in 64.0 GiB available)"
GPU_XLA = "XLA on (fuses batch norm and ReLU on the GPU)"
CPU_XLA = "XLA off (on a CPU XLA makes DenseNet training slower and takes minutes to compile)"


@pytest.mark.parametrize("gpu, flags, precision, expected", [
    (A100, set(), MIXED_BFLOAT16, ("GPU: NVIDIA A100-SXM4-40GB: mixed_bfloat16 (bfloat16 tensor cores, no loss "
                                   f"scaling needed); {FITS}; {GPU_XLA}")),
    (T4, set(), MIXED_FLOAT16, ("GPU: Tesla T4: mixed_float16 (float16 tensor cores, with dynamic loss scaling); "
                                f"{FITS}; {GPU_XLA}")),
    (P100, set(), "float32", ("GPU: Tesla P100-PCIE-16GB: float32 (no fast reduced-precision arithmetic on this "
                              f"device); {FITS}; {GPU_XLA}")),
    (None, SAPPHIRE_RAPIDS, MIXED_BFLOAT16, ("CPU (AVX-512 BF16, oneDNN): mixed_bfloat16 (the CPU computes "
                                             f"bfloat16 natively); {FITS}; {CPU_XLA}")),
    (None, LAPTOP, "float32", ("CPU (AVX2, oneDNN): float32 (no fast reduced-precision arithmetic on this device); "
                               f"{FITS}; {CPU_XLA}")),
], ids=["gpu-8.0", "gpu-7.5", "gpu-6.0", "avx512-bf16", "avx2"])
def test_auto_plan_for_each_device(monkeypatch, gpu, flags, precision, expected):
    device = device_from(gpu, flags, onednn=True)
    fake_machine(monkeypatch, device, 64 * 2**30)
    plan = plan_compute(TINY, 32, 8)
    assert plan.reason == expected and plan.device == device.name
    assert (plan.precision, plan.memory_efficient, plan.jit_compile) == (precision, False, device.is_gpu)
    assert plan.loss_scaling == (precision == MIXED_FLOAT16)


def test_memory_efficient_mode_starts_where_naive_activations_pass_half_the_memory(monkeypatch):
    batch = 64
    naive = naive_activation_bytes(TINY, 32, batch)  # float32 on an AVX2 CPU
    laptop, gpu = device_from(None, LAPTOP, onednn=False), device_from(T4, set(), onednn=False)
    fake_machine(monkeypatch, laptop, 2 * naive)  # exactly half: still naive
    assert not plan_compute(TINY, 32, batch).memory_efficient
    fake_machine(monkeypatch, laptop, 2 * naive - 1)
    plan = plan_compute(TINY, 32, batch)
    assert plan.memory_efficient and not plan.jit_compile
    assert "memory-efficient DenseNet" in plan.reason and "exceed half" in plan.reason
    fake_machine(monkeypatch, gpu, 2 * naive_activation_bytes(TINY, 32, batch, MIXED_FLOAT16) - 1)
    plan = plan_compute(TINY, 32, batch)
    assert plan.memory_efficient and not plan.jit_compile  # even on a GPU, whose naive plan has XLA on
    assert "XLA off (the recomputation is measured without XLA only)" in plan.reason
    fake_machine(monkeypatch, laptop, 0)
    plan = plan_compute(TINY, 32, batch)
    assert not plan.memory_efficient and "available memory unknown" in plan.reason


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
