"""How to train on this machine: numeric precision, memory-efficient DenseNet, XLA compilation.

Importing it is cheap (no TensorFlow), so the automatic settings can describe the machine before training
starts. `plan_compute` looks at the device (GPU model, or CPU bfloat16 support) and at how much activation
memory the requested variant, input size and batch size need, picks each setting that the caller left on
"auto", and says in one line what it picked and why. The training code builds the model inside
`precision_scope(plan)` and compiles it with `jit_compile=plan.jit_compile`.
"""

from __future__ import annotations

import contextlib
import functools
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar, get_args

from engine.errors import QT_TRANSLATE_NOOP, ConfigError, Said
from engine.model.config import AUTO
from engine.model.cost import network_cost
from engine.runtime.keras_compat import onednn_enabled

# Training's precisions are keras.mixed_precision policy names; classification computes in one number type.
Precision = Literal["float32", "mixed_bfloat16", "mixed_float16"]
PRECISIONS: tuple[Precision, ...] = get_args(Precision)
FLOAT32, MIXED_BFLOAT16, MIXED_FLOAT16 = PRECISIONS
InferencePrecision = Literal["float32", "bfloat16"]
INFERENCE_PRECISIONS: tuple[InferencePrecision, ...] = get_args(InferencePrecision)
BFLOAT16 = INFERENCE_PRECISIONS[1]
T = TypeVar("T")

# Switch to the memory-efficient mode when the naive mode's estimated activations would take more than this
# share of the memory that is free now (weights, optimizer state, the input pipeline and the OS need the rest).
MEMORY_EFFICIENT_SHARE = 0.5
# Bytes a naive training step keeps per activation element, per byte of the element's type: the report's
# layer outputs, plus TensorFlow's gradient buffers and copies (measured by bench/train_memory.py).
NAIVE_OVERHEAD = 1.0

# The plan in plain words (plain_words): what each setting means for the learner, not its name.
PLAIN_FULL = QT_TRANSLATE_NOOP("EngineText", "Training with ordinary 32-bit numbers.")
PLAIN_HALF = QT_TRANSLATE_NOOP("EngineText", "Training with 16-bit numbers where safe (faster on this {where}).")
PLAIN_HALF_CHOSEN = QT_TRANSLATE_NOOP("EngineText", "Training with 16-bit numbers where safe, as you chose.")
PLAIN_SAVING_MEMORY = QT_TRANSLATE_NOOP("EngineText", "Saving memory by working some steps out twice (slower, but "
                                                      "the network fits in memory).")
PLAIN_COMPILED = QT_TRANSLATE_NOOP("EngineText", "The training step is compiled first (faster on a GPU).")

_CPU_BF16_FLAGS = ("avx512_bf16", "amx_bf16")


@dataclass(frozen=True)
class Device:
    """The accelerator training will run on, as far as the settings care."""

    name: str  # shown to the user: "CPU (AVX2, oneDNN)" or "GPU: NVIDIA H100 80GB HBM3"
    is_gpu: bool
    fast_bfloat16: bool
    fast_float16: bool
    # How much faster this machine trains than engine.training.auto_settings' reference rates predict, measured by
    # engine.training.speed_probe; None until measured.
    speed_factor: float | None = None


@dataclass(frozen=True)
class ComputePlan:
    """The settings one training uses, and the one line that tells the user why."""

    precision: Precision
    memory_efficient: bool
    jit_compile: bool
    device: str
    reason: str  # the exact settings and why, for --verbose and the window's log details
    said: tuple[Said, ...] = ()  # the same in plain words, for the learner's log (plain_words)

    @property
    def loss_scaling(self) -> bool:
        """float16 gradients underflow without it; Keras wraps the optimizer itself for this policy."""
        return self.precision == MIXED_FLOAT16


@functools.cache
def cpu_description() -> tuple[str, frozenset[str]]:
    """The CPU's model name and feature flags, as /proc/cpuinfo gives them for its first core; ("unknown",
    no flags) where there is no such file. What the device, the speed probe's key and the benches name."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return "unknown", frozenset()
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    return fields.get("model name", "unknown"), frozenset(fields.get("flags", "").split())


def _free_ram_bytes() -> int:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


@functools.cache
def _gpu_memory_bytes() -> int:
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout
        return int(out.split()[0]) * 1024 * 1024
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return 0


def device_from(gpu_details: dict | None, cpu_flags: set[str], onednn: bool) -> Device:
    """The Device a machine's description amounts to: a GPU's details as TensorFlow reports them (name and
    compute capability), or None for no GPU, and then the CPU's /proc/cpuinfo flags and whether TensorFlow
    runs oneDNN's kernels (engine/__init__.py asks for them)."""
    if gpu_details is not None:
        capability = tuple(gpu_details.get("compute_capability") or (0, 0))
        return Device(
            name=f"GPU: {gpu_details['device_name']}",
            is_gpu=True,
            fast_bfloat16=capability >= (8, 0),
            fast_float16=capability >= (7, 0),
        )
    bf16 = any(flag in cpu_flags for flag in _CPU_BF16_FLAGS)
    vector = "AVX-512" if "avx512f" in cpu_flags else "AVX2" if "avx2" in cpu_flags else ""
    label = " ".join(part for part in (vector, "BF16" if bf16 else "") if part)
    if onednn:
        label = f"{label}, oneDNN" if label else "oneDNN"
    return Device(
        name=f"CPU ({label})" if label else "CPU",
        is_gpu=False,
        fast_bfloat16=bf16,
        fast_float16=False,
    )


@functools.cache
def detect_device() -> Device:
    """The first GPU TensorFlow sees, else the CPU with its bfloat16 support."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = {"device_name": gpus[0].name, **tf.config.experimental.get_device_details(gpus[0])}
        return device_from(details, set(), onednn=False)
    return device_from(None, set(cpu_description()[1]), onednn_enabled())


def available_memory_bytes(device: Device) -> int:
    """Memory a training may use: the GPU's total memory, or the RAM free right now; 0 when unknown."""
    return _gpu_memory_bytes() if device.is_gpu else _free_ram_bytes()


def describe_device() -> str:
    """One line naming where training runs, e.g. "CPU (AVX2, oneDNN)" or "GPU: NVIDIA H100 80GB HBM3"."""
    return detect_device().name


def activation_elements(variant: str, input_size: int) -> int:
    """Activation values one image produces in a forward pass (every layer's output, counted by
    engine.model.cost without building a model). A naive training step keeps nearly all of them."""
    return network_cost(variant, input_size).activations


def naive_activation_bytes(variant: str, input_size: int, batch_size: int, precision: str = FLOAT32) -> int:
    """Estimated activation memory of one naive training step."""
    element_bytes = 4 if precision == FLOAT32 else 2
    return int(activation_elements(variant, input_size) * batch_size * element_bytes * NAIVE_OVERHEAD)


def _pick_precision(device: Device) -> tuple[str, str]:
    if device.is_gpu and device.fast_bfloat16:
        return MIXED_BFLOAT16, "bfloat16 tensor cores, no loss scaling needed"
    if device.is_gpu and device.fast_float16:
        return MIXED_FLOAT16, "float16 tensor cores, with dynamic loss scaling"
    if device.fast_bfloat16:
        return MIXED_BFLOAT16, "the CPU computes bfloat16 natively"
    return FLOAT32, "no fast reduced-precision arithmetic on this device"


def _pick_memory_efficient(memory_bytes: int, naive_bytes: int) -> tuple[bool, str]:
    gib, free = naive_bytes / 2**30, memory_bytes / 2**30
    if not memory_bytes:
        return False, f"naive activations ~{gib:.1f} GiB, available memory unknown"
    if naive_bytes > memory_bytes * MEMORY_EFFICIENT_SHARE:
        return True, f"naive activations ~{gib:.1f} GiB exceed half of {free:.1f} GiB available"
    return False, f"naive activations ~{gib:.1f} GiB fit in {free:.1f} GiB available"


def _pick_jit(device: Device, memory_efficient: bool) -> tuple[bool, str]:
    if memory_efficient:
        return False, "the recomputation is measured without XLA only"
    if device.is_gpu:
        return True, "fuses batch norm and ReLU on the GPU"
    # On a CPU, XLA trains DenseNet slower than the plain oneDNN kernels, whose batch norms and convolutions
    # it replaces (bench/train_speed.py measures both).
    return False, "on a CPU XLA makes DenseNet training slower and takes minutes to compile"


def settle(setting: T | str, pick: Callable[[Device], tuple[T, str]]) -> tuple[T, str]:
    """Where a setting is AUTO, what `pick` chooses for this machine's device and why; any other value is
    the user's, "as requested". The one place AUTO is settled: training's compute plan, classification's
    route and precision, transfer learning's feature route."""
    if isinstance(setting, str) and setting == AUTO:
        return pick(detect_device())
    return setting, "as requested"


def plan_compute(
    variant: str,
    input_size: int,
    batch_size: int,
    precision: str = AUTO,
    memory_efficient: bool | str = AUTO,
    jit_compile: bool | str = AUTO,
) -> ComputePlan:
    """Pick precision, memory-efficient mode and XLA for training `variant` at this input and batch size.

    Each of the three may be given to override the automatic choice ("auto" leaves it to the plan).
    """
    if precision not in (AUTO, *PRECISIONS):
        raise ConfigError(f"precision must be one of auto, {', '.join(PRECISIONS)}; not '{precision}'")
    if batch_size < 1:
        raise ConfigError(f"the batch size must be at least 1, not {batch_size}")
    device = detect_device()
    precision, precision_reason = settle(precision, _pick_precision)
    naive = naive_activation_bytes(variant, input_size, batch_size, precision)
    efficient, memory_reason = settle(
        memory_efficient, lambda device: _pick_memory_efficient(available_memory_bytes(device), naive))
    jit, jit_reason = settle(jit_compile, lambda device: _pick_jit(device, bool(efficient)))
    mode = "memory-efficient" if efficient else "naive"
    reason = (
        f"{device.name}: {precision} ({precision_reason}); {mode} DenseNet ({memory_reason}); "
        f"XLA {'on' if jit else 'off'} ({jit_reason})"
    )
    said = plain_words(precision, precision_reason == "as requested", bool(efficient), bool(jit), device.is_gpu)
    return ComputePlan(precision, bool(efficient), bool(jit), device.name, reason, said)


def plain_words(precision: str, chosen: bool, memory_efficient: bool, jit: bool, gpu: bool) -> tuple[Said, ...]:
    """What a plan does, in words a learner follows: the number size, and memory saving and compilation when
    they are on (off is the ordinary case, not worth a sentence)."""
    where = "GPU" if gpu else "CPU"
    numbers = PLAIN_FULL if precision == FLOAT32 else PLAIN_HALF_CHOSEN if chosen else PLAIN_HALF
    said = [Said(numbers, {"where": where} if numbers == PLAIN_HALF else {})]
    if memory_efficient:
        said.append(Said(PLAIN_SAVING_MEMORY))
    if jit:
        said.append(Said(PLAIN_COMPILED))
    return tuple(said)


def apply_precision(plan: ComputePlan) -> None:
    """Set Keras' global dtype policy to the plan's precision (layers built afterwards use it)."""
    import keras

    keras.mixed_precision.set_global_policy(plan.precision)


@contextlib.contextmanager
def precision_scope(plan: ComputePlan) -> Iterator[None]:
    """Build models under the plan's precision, then restore the previous global policy.

    Layers keep the policy they were built with, so the model trains in mixed precision while models built
    elsewhere afterwards (inference, other tabs) are unaffected.
    """
    import keras

    previous = keras.mixed_precision.global_policy()
    apply_precision(plan)
    try:
        yield
    finally:
        keras.mixed_precision.set_global_policy(previous)
