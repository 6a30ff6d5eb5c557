"""Training speed of DenseNet-121 at 224x224, batch 16: DenseNet Studio's default settings against
`keras.applications.DenseNet121` trained with `model.fit` (Adam, default compile), in the same run.

Each configuration ("arm") trains in its own process, because TensorFlow reads some settings (oneDNN kernels)
once, when it is imported:

  reference   keras.applications.DenseNet121, compile(optimizer="adam"), fit; TensorFlow as installed
              (its own oneDNN default for this CPU)
  engine      what `densenet-studio train` runs: engine.training.trainer.build_training_network under
              plan_compute's automatic plan (printed), compiled by engine.training.trainer.compile_network (AdamW,
              cosine schedule, accuracy metric), in a process with the engine's TensorFlow environment
  --explore adds rows that show where the difference comes from: the reference with oneDNN forced on, the
  engine with oneDNN forced off, and the engine with XLA.

All arms warm up (trace, compile, first steps) at the same time, then are timed one after another, round by
round, so load from other processes hits all of them alike: compare the ratios. A round is one `fit` call of
--steps + 1 batches; its first batch (iterator start-up) is not counted, the others are timed batch by batch
with a callback (bench/batch_timer.py). Both train on the same random images from a cached, prefetched
tf.data pipeline (the reference gets them already preprocessed, for free; the engine normalizes inside its
model), so the input never stalls either.

Then the accuracy check: a compact DenseNet-BC trained from scratch on generated pictures (4 classes told
apart only by the direction of their stripes; random colours and noise), once in float32 and once in the
plan's reduced precision (bfloat16 where the plan keeps float32), same seed, same data: both validation
accuracies are printed.

Run: .venv/bin/python bench/train_speed.py [--steps 6] [--rounds 3] [--explore] [--skip-speed|--skip-accuracy]
         [--train-images 1600] [--epochs 8]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH, SIZE, CLASSES = 16, 224, 10
ONEDNN = "TF_ENABLE_ONEDNN_OPTS"
# arm -> (builder, oneDNN setting: None leaves the variable unset, i.e. the default of what gets imported first)
ARMS = {
    "reference": ("keras", None),
    "engine": ("engine", None),
    "reference, oneDNN forced on": ("keras", "1"),
    "engine, oneDNN forced off": ("engine", "0"),
    "engine, XLA": ("engine-xla", None),
}


def _images(preprocess: bool):
    import numpy as np

    rng = np.random.default_rng(0)
    images = rng.uniform(0, 255, (BATCH * 2, SIZE, SIZE, 3)).astype("float32")
    labels = rng.integers(0, CLASSES, len(images))
    if preprocess:
        import keras

        images = keras.applications.densenet.preprocess_input(images)
    return images, labels


def _model(builder: str):
    """The network and a one-line description of how it trains."""
    if builder == "keras":
        import keras

        model = keras.applications.DenseNet121(weights=None, classes=CLASSES)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model, "keras.applications.DenseNet121, Adam"
    from engine.model.compute import plan_compute
    from engine.model.config import ModelConfig
    from engine.training.trainer import build_training_network, compile_network

    plan = plan_compute("densenet121", SIZE, BATCH, jit_compile=True if builder == "engine-xla" else "auto")
    model = build_training_network(ModelConfig("densenet121", input_size=SIZE, classes=CLASSES), plan)
    compile_network(model, 1e-3, 1e-4, jit_compile=plan.jit_compile)
    return model, plan.reason


def child(builder: str, steps: int) -> None:
    """One arm: warm up, say "ready", then time one round per line read from stdin, until stdin closes."""
    if builder.startswith("engine"):
        import engine  # noqa: F401  (the engine's TensorFlow environment, before TensorFlow is imported)
    import tensorflow as tf

    # TensorFlow's own probe, as engine.model.compute uses it: the reference arm must not import the engine.
    from tensorflow.python.util import _pywrap_util_port

    from bench.batch_timer import timed_fit

    images, labels = _images(preprocess=builder == "keras")
    data = tf.data.Dataset.from_tensor_slices((images, labels)).batch(BATCH).cache().repeat().prefetch(2)
    start = time.perf_counter()
    model, description = _model(builder)
    model.fit(data, steps_per_epoch=2, epochs=1, verbose=0)
    print(json.dumps({"warmup": time.perf_counter() - start, "how": description,
                      "onednn": bool(_pywrap_util_port.IsMklEnabled())}), flush=True)

    for _ in sys.stdin:
        print(json.dumps({"seconds": timed_fit(model, data, steps)}), flush=True)


class Arm:
    """A child process running one configuration, driven over its stdin/stdout."""

    def __init__(self, label: str, steps: int):
        builder, onednn = ARMS[label]
        environment = {k: v for k, v in os.environ.items() if k != ONEDNN}
        environment["TF_CPP_MIN_LOG_LEVEL"] = "2"
        if onednn is not None:
            environment[ONEDNN] = onednn
        self.label = label
        self.process = subprocess.Popen([sys.executable, __file__, "--child", builder, str(steps)], cwd=ROOT,
                                        env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        self.images_per_second: list[float] = []

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"arm '{self.label}' exited with {self.process.wait()}")
        return json.loads(line)

    def measure(self) -> float:
        self.process.stdin.write("measure\n")
        self.process.stdin.flush()
        seconds = self.read()["seconds"]
        self.images_per_second.append(len(seconds) * BATCH / sum(seconds))
        return self.images_per_second[-1]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def speed(steps: int, rounds: int, explore: bool) -> None:
    labels = list(ARMS) if explore else ["reference", "engine"]
    arms = [Arm(label, steps) for label in labels]  # they warm up concurrently
    for arm in arms:
        ready = arm.read()
        print(f"{arm.label}: oneDNN {'on' if ready['onednn'] else 'off'}; {ready['how']} "
              f"(warm-up {ready['warmup']:.0f} s)", flush=True)
    for index in range(rounds):
        for arm in arms:
            arm.measure()
        print(f"round {index + 1}: " + ", ".join(f"{arm.label} {arm.images_per_second[-1]:.2f}" for arm in arms),
              flush=True)
    for arm in arms:
        arm.close()
    reference = arms[0]
    median = statistics.median(reference.images_per_second)
    print(f"\n| configuration | images/s (median of {rounds}) | vs reference |\n|---|---|---|")
    for arm in arms:
        value = statistics.median(arm.images_per_second)
        print(f"| {arm.label} | {value:.2f} | {value / median:.2f}x |")
    ratios = [e / r for e, r in zip(arms[1].images_per_second, reference.images_per_second)]
    print(f"per-round ratios engine/reference: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"SPEED engine/reference = {statistics.median(ratios):.2f}x (target >= 1.3x)")


def stripes(count: int, size: int, seed: int):
    """Pictures of 4 classes that differ only by stripe direction (horizontal, vertical, two diagonals),
    with random colours, stripe width and phase, and strong noise: learnable, but not at a glance."""
    import numpy as np

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
    import keras

    from engine.model.compute import FLOAT32, MIXED_BFLOAT16, plan_compute  # the engine first: its environment
    from engine.model.config import ModelConfig
    from engine.training.schedule import EpochPlan, PlannedSchedule
    from engine.training.trainer import build_training_network, compile_network

    variant, size, batch = "densenet-bc-40-k12", 32, 32
    auto = plan_compute(variant, size, batch)
    train, val = stripes(train_count, size, seed=1), stripes(train_count // 4, size, seed=2)
    print(f"\naccuracy check: {variant} at {size}x{size}, {train_count} training / {len(val[0])} validation "
          f"pictures, {epochs} epochs, the engine's compile (AdamW 1e-3, cosine), batch {batch}")
    results = {}
    # The reduced precision arm: the plan's, or bfloat16 where the plan keeps float32 (accuracy does not
    # depend on whether the hardware computes bfloat16 natively or emulates it).
    reduced = MIXED_BFLOAT16 if auto.precision == FLOAT32 else auto.precision
    for precision in (FLOAT32, reduced):
        plan = plan_compute(variant, size, batch, precision=precision)
        keras.utils.set_random_seed(0)
        model = build_training_network(ModelConfig(variant, input_size=size, classes=4), plan)
        compile_network(model, 1e-3, 1e-4, jit_compile=plan.jit_compile)
        schedule = PlannedSchedule(EpochPlan(0, epochs, deadline=None), peak=1e-3)
        start = time.perf_counter()
        history = model.fit(*train, batch_size=batch, epochs=epochs, validation_data=val, verbose=0,
                            callbacks=[schedule])
        results[precision] = history.history["val_accuracy"][-1]
        print(f"{precision:<16} XLA {'on ' if plan.jit_compile else 'off'} val accuracy "
              f"{results[precision]:.3f}, val loss {history.history['val_loss'][-1]:.4f}  (train accuracy "
              f"{history.history['accuracy'][-1]:.3f}, {time.perf_counter() - start:.0f} s)", flush=True)
    print(f"ACCURACY {reduced} {results[reduced]:.3f} vs float32 {results[FLOAT32]:.3f} "
          f"(difference {results[reduced] - results[FLOAT32]:+.3f})")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6, help="timed batches per round and arm")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--explore", action="store_true", help="also time the rows that explain the ratio")
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
