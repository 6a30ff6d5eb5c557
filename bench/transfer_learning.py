"""Time to a trained transfer-learning head on 1,000 photos, and training images/s, against references in the
same run (compare the ratios; the machine is shared and absolute numbers move).

1. Transfer learning: 1,000 generated JPEGs (10 classes), DenseNet-121 at 224x224 with a backbone weights
   file written here (random weights, nothing downloaded). DenseNet Studio's `train(pretrained=...)`:
   decode once, backbone features once, the head for --epochs epochs on the cached features.
   Reference: the usual Keras recipe, frozen backbone + head trained end to end with `model.fit` on the same
   decoded batches; a few batches are timed, scaled to an epoch's training batches (validation left out, so
   the reference is flattered) and multiplied by --epochs; the decoding is counted once for both.
2. Training images/s of `train()` from scratch (the compute plan's automatic settings), median over the
   steady-state batches of one epoch: densenet121 at 224 (batch 16) and a compact variant at 32 (batch 64).
   Reference: keras.applications.DenseNet121 `train_on_batch` (Adam), batch 16, same run.

    .venv/bin/python bench/transfer_learning.py [--images 1000] [--epochs 10] [--compact densenet-bc-100-k12]
        [--part all|transfer|speed] [--jit auto|on|off]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.config import ModelConfig  # noqa: E402  (the engine first: its TensorFlow environment)

import keras  # noqa: E402
import numpy as np  # noqa: E402

from bench.batch_timer import timed_fit  # noqa: E402
from engine.densenet import build_densenet  # noqa: E402
from engine.events import BatchEnded, PhaseStarted, TrainingListener  # noqa: E402
from engine.train_config import TrainConfig  # noqa: E402
from engine.training import train  # noqa: E402
from tests.image_files import make_class_folders  # noqa: E402
from tests.keras_files import write_legacy_h5_weights  # noqa: E402


class Timeline(TrainingListener):
    """Wall-clock time at each phase start, and every batch event."""

    def __init__(self):
        self.started = time.perf_counter()
        self.phases: list[tuple[str, float]] = []
        self.batches: list[BatchEnded] = []

    def on_phase(self, event: PhaseStarted) -> None:
        self.phases.append((event.phase, time.perf_counter() - self.started))

    def on_batch(self, event: BatchEnded) -> None:
        self.batches.append(event)

    def durations(self, end: float) -> dict[str, float]:
        marks = self.phases + [("end", end)]
        return {phase: marks[i + 1][1] - start for i, (phase, start) in enumerate(marks[:-1])}


REFERENCE_STEPS = 3  # timed batches of the reference, after a first (tracing) one


def transfer_learning(work: Path, images: int, epochs: int) -> None:
    classes = tuple(f"class{index}" for index in range(10))
    data = make_class_folders(work / "photos", classes, per_class=images // len(classes), size=256, kind="jpeg")
    keras.utils.set_random_seed(0)
    weights = write_legacy_h5_weights(build_densenet(ModelConfig("densenet121", include_top=False)),
                                      work / "densenet121_notop.h5")
    config = TrainConfig(out=work / "transfer.keras", variant="densenet121", input_size=224, epochs=epochs,
                         batch_size=32, pretrained=str(weights), patience=0, cache_dir=work / "cache")
    timeline = Timeline()
    result = train(data, config, timeline)
    total = time.perf_counter() - timeline.started
    phases = timeline.durations(total)
    print(f"transfer learning, {images} photos, DenseNet-121 224x224, {epochs} head epochs:")
    for phase, seconds in phases.items():
        print(f"  {phase:<9} {seconds:7.1f} s")
    print(f"  total     {total:7.1f} s   (best val_acc {result.best_val_accuracy:.3f}; {result.compute})")

    from engine.pipeline import prepare_data

    prepared = prepare_data(data, config.data_config())  # cache hits: decoding is not timed twice
    backbone = build_densenet(ModelConfig("densenet121", include_top=False))
    backbone.trainable = False
    inputs = keras.Input((224, 224, 3))
    outputs = keras.layers.Dense(len(classes), activation="softmax")(
        keras.layers.GlobalAveragePooling2D()(backbone(inputs, training=False)))
    reference = keras.Model(inputs, outputs)
    reference.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    seconds = timed_fit(reference, prepared.train, REFERENCE_STEPS)
    batches = int(prepared.train.cardinality())
    reference_epoch = statistics.median(seconds) * batches  # training batches only: a lower bound
    reference_total = phases.get("decoding", 0.0) + epochs * reference_epoch
    print(f"  reference (frozen backbone in model.fit): {reference_epoch:.1f} s/epoch ({batches} batches, "
          f"validation not counted) -> {reference_total:.1f} s for {epochs} epochs")
    print(f"  ratio reference / DenseNet Studio: {reference_total / total:.2f}x")


def training_speed(work: Path, variant: str, input_size: int, batch_size: int, count: int, jit) -> float:
    data = make_class_folders(work / f"{variant}-{input_size}", ("a", "b"), per_class=count // 2,
                              size=input_size, kind="jpeg")
    config = TrainConfig(out=work / f"{variant}.keras", variant=variant, input_size=input_size, epochs=1,
                         batch_size=batch_size, val_split=0.0, jit_compile=jit, cache_dir=work / "cache")
    timeline = Timeline()
    result = train(data, config, timeline)
    steady = [event.images_per_second for event in timeline.batches[2:-1]] or [timeline.batches[-1].images_per_second]
    speed = statistics.median(steady)
    print(f"{variant} {input_size}x{input_size} batch {batch_size}: {speed:.1f} images/s "
          f"({len(steady)} steady batches; {result.compute})")
    return speed


def reference_speed(batch_size: int = 16, steps: int = 5) -> float:
    keras.utils.set_random_seed(0)
    model = keras.applications.DenseNet121(weights=None)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    images = np.random.default_rng(0).uniform(0, 255, (batch_size, 224, 224, 3)).astype("float32")
    labels = np.arange(batch_size) % 1000
    model.train_on_batch(images, labels)  # trace
    start = time.perf_counter()
    for _ in range(steps):
        model.train_on_batch(images, labels)
    speed = steps * batch_size / (time.perf_counter() - start)
    print(f"reference keras.applications.DenseNet121 train_on_batch, batch {batch_size}: {speed:.1f} images/s")
    return speed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--compact", default="densenet-bc-100-k12")
    parser.add_argument("--part", choices=("all", "transfer", "speed"), default="all")
    parser.add_argument("--jit", choices=("auto", "on", "off"), default="auto",
                        help="XLA for the training-speed part (its compile of DenseNet-121 takes minutes on 2 cores)")
    args = parser.parse_args()
    jit = {"auto": "auto", "on": True, "off": False}[args.jit]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if args.part in ("all", "transfer"):
            transfer_learning(work, args.images, args.epochs)
        if args.part in ("all", "speed"):
            ours = training_speed(work, "densenet121", 224, 16, 128, jit)
            reference = reference_speed()
            print(f"  ratio densenet121 train() / keras.applications: {ours / reference:.2f}x")
            training_speed(work, args.compact, 32, 64, 640, jit)


if __name__ == "__main__":
    main()
