"""Training speed of DenseNet-121 at 224x224, batch 16: DenseNet Studio's automatic settings against
`keras.applications.DenseNet121` trained with `model.fit` (Adam, default compile), in the same run.

Both train on the same random images (the reference gets them already preprocessed, for free) from a
cached, prefetched tf.data pipeline, so the input never stalls either. Configurations run interleaved,
round by round, so load from other processes hits all of them alike: compare the ratios.

  reference   keras.applications.DenseNet121, fit, Adam, default compile (float32, no XLA)
  engine      build_densenet under plan_compute's automatic plan (printed), compiled as the plan says
  --explore adds the engine's other settings (float32, and mixed_bfloat16 where the CPU has BF16; with and
  without XLA), to show what each route gives on this machine.

Then the accuracy check: a compact DenseNet-BC trained from scratch on generated pictures (4 classes told
apart only by the direction of their stripes; random colours and noise), once in float32 and once in the
plan's reduced precision (bfloat16 where the plan keeps float32), same seed, same data: both validation
accuracies are printed.

Run: .venv/bin/python bench/train_speed.py [--steps 4] [--rounds 3] [--explore] [--skip-speed|--skip-accuracy]
         [--train-images 1600] [--epochs 8]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from engine.compute import (  # noqa: E402
    FLOAT32, MIXED_BFLOAT16, ComputePlan, detect_device, plan_compute, precision_scope,
)
from engine.config import ModelConfig  # noqa: E402
from engine.densenet import build_densenet  # noqa: E402

BATCH, SIZE, CLASSES = 16, 224, 10


def dataset(images: np.ndarray, labels: np.ndarray, batch: int) -> tf.data.Dataset:
    return tf.data.Dataset.from_tensor_slices((images, labels)).batch(batch).cache().repeat().prefetch(2)


def reference_model() -> keras.Model:
    model = keras.applications.DenseNet121(weights=None, classes=CLASSES)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def engine_model(plan: ComputePlan, variant: str = "densenet121", size: int = SIZE, classes: int = CLASSES,
                 optimizer="adam", metrics=None) -> keras.Model:
    with precision_scope(plan):
        model = build_densenet(ModelConfig(variant, input_size=size, classes=classes,
                                           memory_efficient=plan.memory_efficient))
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=metrics,
                  jit_compile=plan.jit_compile)
    return model


def images_per_second(model: keras.Model, data: tf.data.Dataset, steps: int) -> float:
    start = time.perf_counter()
    model.fit(data, steps_per_epoch=steps, epochs=1, verbose=0)
    return steps * BATCH / (time.perf_counter() - start)


def speed(steps: int, rounds: int, explore: bool) -> None:
    rng = np.random.default_rng(0)
    raw = rng.uniform(0, 255, (BATCH * steps, SIZE, SIZE, 3)).astype("float32")
    labels = rng.integers(0, CLASSES, len(raw))
    preprocessed = keras.applications.densenet.preprocess_input(raw.copy())
    plan = plan_compute("densenet121", SIZE, BATCH)
    print(f"plan: {plan.reason}")
    runs = {"reference": (reference_model(), dataset(preprocessed, labels, BATCH)),
            "engine": (engine_model(plan), dataset(raw, labels, BATCH))}
    if explore:
        precisions = (FLOAT32, MIXED_BFLOAT16) if detect_device().fast_bfloat16 else (FLOAT32,)
        for precision in precisions:
            for jit in (False, True):
                routed = plan_compute("densenet121", SIZE, BATCH, precision, False, jit)
                if (routed.precision, routed.jit_compile) != (plan.precision, plan.jit_compile):
                    label = f"engine {precision} {'xla' if jit else 'graph'}"
                    runs[label] = (engine_model(routed), dataset(raw, labels, BATCH))
    for label, (model, data) in runs.items():
        start = time.perf_counter()
        model.fit(data, steps_per_epoch=2, epochs=1, verbose=0)  # trace, compile, first steps
        print(f"warm-up {label}: {time.perf_counter() - start:.0f} s", flush=True)
    measured: dict[str, list[float]] = {label: [] for label in runs}
    for round_index in range(rounds):
        for label, (model, data) in runs.items():
            measured[label].append(images_per_second(model, data, steps))
        print(f"round {round_index + 1}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in measured.items()), flush=True)
    reference = statistics.median(measured["reference"])
    print(f"\n{'configuration':<34}{'images/s (median)':>18}{'vs reference':>14}")
    for label, values in measured.items():
        print(f"{label:<34}{statistics.median(values):>18.2f}{statistics.median(values) / reference:>13.2f}x")
    ratios = [e / r for e, r in zip(measured["engine"], measured["reference"])]
    print(f"per-round ratios engine/reference: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"SPEED engine/reference = {statistics.median(ratios):.2f}x (target >= 1.3x)")


def stripes(count: int, size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Pictures of 4 classes that differ only by stripe direction (horizontal, vertical, two diagonals),
    with random colours, stripe width and phase, and strong noise: learnable, but not at a glance."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float32)
    directions = (rows, cols, rows + cols, rows - cols)
    labels = rng.integers(0, 4, count)
    images = np.empty((count, size, size, 3), np.float32)
    for index, label in enumerate(labels):
        period = rng.uniform(4, 9)
        wave = (np.sin(2 * np.pi * directions[label] / period + rng.uniform(0, 2 * np.pi)) > 0)[..., None]
        dark, light = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
        images[index] = np.where(wave, light, dark) + rng.normal(0, 50, (size, size, 3))
    return np.clip(images, 0, 255), labels


def accuracy(train_count: int, epochs: int) -> None:
    variant, size = "densenet-bc-40-k12", 32
    auto = plan_compute(variant, size, 32)
    train, val = stripes(train_count, size, seed=1), stripes(train_count // 4, size, seed=2)
    print(f"\naccuracy check: {variant} at {size}x{size}, {train_count} training / {len(val[0])} validation "
          f"pictures, {epochs} epochs, Adam 1e-3, batch 32")
    results = {}
    # The reduced precision arm: the plan's, or bfloat16 where the plan keeps float32 (accuracy does not
    # depend on whether the hardware computes bfloat16 natively or emulates it).
    reduced = MIXED_BFLOAT16 if auto.precision == FLOAT32 else auto.precision
    for precision in (FLOAT32, reduced):
        plan = plan_compute(variant, size, 32, precision=precision)
        keras.utils.set_random_seed(0)
        model = engine_model(plan, variant, size, 4, keras.optimizers.Adam(1e-3), ["accuracy"])
        start = time.perf_counter()
        history = model.fit(*train, batch_size=32, epochs=epochs, validation_data=val, verbose=0)
        results[precision] = history.history["val_accuracy"][-1]
        print(f"{precision:<16} XLA {'on ' if plan.jit_compile else 'off'} val accuracy "
              f"{results[precision]:.3f}  (train {history.history['accuracy'][-1]:.3f}, "
              f"{time.perf_counter() - start:.0f} s)", flush=True)
    print(f"ACCURACY {reduced} {results[reduced]:.3f} vs float32 {results[FLOAT32]:.3f} "
          f"(difference {results[reduced] - results[FLOAT32]:+.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4, help="batches per timed fit call")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--explore", action="store_true", help="also time the engine's other settings")
    parser.add_argument("--train-images", type=int, default=1600, help="pictures for the accuracy check")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    if not args.skip_speed:
        speed(args.steps, args.rounds, args.explore)
    if not args.skip_accuracy:
        accuracy(args.train_images, args.epochs)


if __name__ == "__main__":
    main()
