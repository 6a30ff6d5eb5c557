"""This machine's training speed, measured once, so that Automatic's estimate holds on any CPU or GPU.

engine.training.auto_settings predicts a training's time from each network's multiply-adds and activations
(engine.model.cost) and a SpeedModel's two rates. Rather than a table of rates per kind of CPU (AVX2, AVX-512
BF16, AMX, each with its own precision), the first Automatic choice on a machine trains a small DenseNet-BC
for a few steps exactly as the engine trains (engine.training.trainer's network, precision plan and
optimizer), times them, and scales the reference rates by measured / predicted. The factor is kept in the
studio cache per CPU, device, core count and TensorFlow version, so later choices cost nothing.

A probe step is a pure training step; a real epoch also validates, checkpoints and feeds photos, and
PROBE_TO_EPOCH turns one into the other (bench/small_folders.py prints the estimate beside the measured time).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from engine.data.image_cache import default_cache_dir
from engine.errors import WriteError
from engine.model.compute import Device, cpu_description, plan_compute
from engine.model.config import AUTO, ModelConfig
from engine.storage.atomic import atomic_write
from engine.storage.private_folders import UnsafeFolderError, private_folder
from engine.training.trainer import (
    BATCH_NORM_MOMENTUM,
    build_training_network,
    compile_network,
    set_batch_norm_momentum,
)

PROBE_VARIANT, PROBE_SIZE, PROBE_CHANNELS, PROBE_BATCH = "densenet-bc-22-k12", 32, 3, 32
PROBE_STEPS = 8  # timed after the traced first step and one more
PROBE_VERSION = 2  # raise when the probe or the rates it scales change: older factors are measured again
CACHE_NAME = "speed-probe.json"
# Seconds of a real epoch per second its training steps take alone (validation, the input pipeline, Keras'
# per-epoch work): 1.3 on 100 Fashion-MNIST photos and on 300 digits, from the epochs they planned and ran
# (bench/small_folders.py, whose estimate-vs-real table checks it).
PROBE_TO_EPOCH = 1.3


@dataclass(frozen=True)
class ProbeResult:
    """How much faster (> 1) or slower this machine trains than the reference rates predict."""

    factor: float
    seconds: float  # the probe's wall time; 0 when the factor came from the cache
    measured: bool


def machine_key(device: Device) -> str:
    """What the factor depends on: the CPU's model, the cores, the device and TensorFlow's version."""
    cpu, _flags = cpu_description()
    return f"{cpu}|{os.cpu_count()} cores|{device.name}|tensorflow {tf.__version__}|probe {PROBE_VERSION}"


def _probe_seconds_per_image() -> float:
    """Train the probe network for a few steps on random pictures as the engine trains; seconds per image."""
    plan = plan_compute(PROBE_VARIANT, PROBE_SIZE, PROBE_BATCH, AUTO, AUTO, AUTO)
    keras.utils.set_random_seed(0)
    net = build_training_network(ModelConfig(PROBE_VARIANT, PROBE_SIZE, PROBE_CHANNELS, classes=10), plan)
    set_batch_norm_momentum(net, BATCH_NORM_MOMENTUM)
    compile_network(net, 1e-3, 1e-4, plan.jit_compile)
    pictures = np.random.default_rng(0).integers(0, 256, (PROBE_BATCH, PROBE_SIZE, PROBE_SIZE, PROBE_CHANNELS))
    pictures, labels = pictures.astype(np.float32), np.arange(PROBE_BATCH) % 10
    for _ in range(2):  # the first traces the step
        net.train_on_batch(pictures, labels)
    started = time.perf_counter()
    for _ in range(PROBE_STEPS):
        net.train_on_batch(pictures, labels)
    return (time.perf_counter() - started) / (PROBE_STEPS * PROBE_BATCH)


def probe_speed(device: Device, reference, cache_dir: Path | None = None) -> ProbeResult:
    """The factor for `device` against the SpeedModel `reference`: from the cache, else measured (seconds) and
    cached. A cache that cannot be read or written costs only the measurement."""
    root = cache_dir or default_cache_dir()
    path = root / CACHE_NAME
    key = machine_key(device)
    try:
        private_folder(root, root)  # a figure planted by another user is not read
        known = json.loads(path.read_text(encoding="utf-8"))
        factor = float(known[key])
        if factor > 0:
            return ProbeResult(factor, 0.0, measured=False)
    except (OSError, ValueError, KeyError, TypeError, UnsafeFolderError):
        known = {}
    started = time.perf_counter()
    predicted = reference.seconds_per_image(PROBE_VARIANT, PROBE_SIZE, PROBE_CHANNELS, training=True)
    factor = predicted / (_probe_seconds_per_image() * PROBE_TO_EPOCH)
    known = {**(known if isinstance(known, dict) else {}), key: factor}
    try:
        private_folder(root, root)
        with atomic_write(path) as partial:
            partial.write_text(json.dumps(known, indent=1), encoding="utf-8")
    except (OSError, WriteError, UnsafeFolderError):  # measured again next time
        pass
    return ProbeResult(factor, time.perf_counter() - started, measured=True)
