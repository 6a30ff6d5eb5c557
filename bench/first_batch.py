"""Time to the first finished training batch: a plain Keras script against DenseNet Studio's CLI and its Train
tab, on the same generated photos, in the same run.

Each arm runs in a fresh process; the clock starts in this process just before it starts the arm's process
(the GUI arm: at its Start click) and stops at the end of the first training batch:

  plain   what a user would write: Pillow decodes the photos into NumPy arrays, a Keras DenseNet (DenseNet-BC
          written out in Keras; keras.applications.DenseNet121(weights=None)), compile(Adam), fit with a
          callback; TensorFlow as installed
  cli     `python -m engine train PHOTOS --variant V --input-size N --epochs 1 --batch-size 32 --lr 0.001` with
          an empty image cache, timed by its ProgressPrinter (first batch event); its phases' start times are
          printed too
  gui     the Train tab's path without widgets, in a process that has loaded TensorFlow as the window does
          after its first paint: the training process is started when the dataset check ends
          (engine.training.training_process.TrainingProcess), the user reads the check for --think
          seconds, then the click makes the TrainConfig and runs
          engine.training.training_process.training_events in that process (empty image cache); timed from
          the click

Arms run interleaved, round by round, so load from other processes hits them alike: compare the ratios.

    .venv/bin/python bench/first_batch.py [--variant bc40|121|all] [--rounds 3] [--arms plain,cli,gui]
        [--think 5] [--precision auto|float32|...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLASSES, PER_CLASS = ("a", "b", "c"), 60
# name -> (engine variant, input size, size of the written photos)
VARIANTS = {"bc40": ("densenet-bc-40-k12", 32, 64), "121": ("densenet121", 224, 256)}
ARMS = ("plain", "cli", "gui")
BATCH, LEARNING_RATE = 32, 1e-3  # every arm: Keras' Adam default rate
ONEDNN = "TF_ENABLE_ONEDNN_OPTS"


def _report(kind: str, *values) -> None:
    print(kind, *values, flush=True)


def _plain_densenet_bc(size: int, classes: int, depth: int = 40, growth: int = 12):
    """DenseNet-BC as a Keras user writes it from the paper: 3x3 stem of 2k maps, three dense blocks of
    bottleneck layers (BN-ReLU-1x1 conv 4k, BN-ReLU-3x3 conv k, concatenate), transitions halving maps."""
    import keras
    from keras import layers

    def bn_relu(x):
        return layers.Activation("relu")(layers.BatchNormalization()(x))

    inputs = keras.Input((size, size, 3))
    x = layers.Conv2D(2 * growth, 3, padding="same", use_bias=False)(inputs)
    for block in range(3):
        for _ in range((depth - 4) // 6):
            y = layers.Conv2D(4 * growth, 1, use_bias=False)(bn_relu(x))
            y = layers.Conv2D(growth, 3, padding="same", use_bias=False)(bn_relu(y))
            x = layers.Concatenate()([x, y])
        if block < 2:
            x = layers.AveragePooling2D(2)(layers.Conv2D(x.shape[-1] // 2, 1, use_bias=False)(bn_relu(x)))
    x = layers.GlobalAveragePooling2D()(bn_relu(x))
    return keras.Model(inputs, layers.Dense(classes, activation="softmax")(x))


def plain_arm(t0: float, photos: Path, variant: str, size: int) -> None:
    """The plain Keras script."""
    import keras
    import numpy as np
    from PIL import Image

    folders = sorted(path for path in photos.iterdir() if path.is_dir())
    images, labels = [], []
    for label, folder in enumerate(folders):
        for path in sorted(folder.iterdir()):
            with Image.open(path) as image:
                images.append(np.asarray(image.convert("RGB").resize((size, size)), dtype="float32") / 255.0)
            labels.append(label)
    if variant == "densenet121":
        model = keras.applications.DenseNet121(weights=None, input_shape=(size, size, 3), classes=len(folders))
    else:
        model = _plain_densenet_bc(size, len(folders))
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])

    class FirstBatch(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            _report("FIRST", time.time() - t0)
            os._exit(0)

    model.fit(np.stack(images), np.array(labels), batch_size=BATCH, epochs=1, callbacks=[FirstBatch()], verbose=0)


def cli_arm(t0: float, photos: Path, variant: str, size: int, work: Path, precision: str) -> None:
    """`python -m engine train ...` as the user runs it, with its printer timed."""
    from engine.cli import main
    from engine.commands import train as command

    printer = command.ProgressPrinter
    phase = printer.on_phase

    def on_phase(self, event):
        _report("PHASE", event.phase, time.time() - t0)
        phase(self, event)

    def on_batch(self, event):
        _report("FIRST", time.time() - t0)
        os._exit(0)

    printer.on_phase, printer.on_batch = on_phase, on_batch
    main(["train", str(photos), "--out", str(work / "model.keras"), "--variant", variant, "--input-size",
          str(size), "--epochs", "1", "--batch-size", str(BATCH), "--lr", str(LEARNING_RATE), "--precision",
          precision, "--cache-dir", str(work / "cache")])


def gui_arm(think: float, photos: Path, variant: str, size: int, work: Path, precision: str) -> None:
    """The Train tab's training process, started when the dataset check ends, used by a Start click."""
    import threading

    from engine.data.dataset import check_dataset
    from engine.model.compute import describe_device
    from engine.training.events import BatchEnded, PhaseStarted
    from engine.training.train_config import TrainConfig
    from engine.training.training_process import TrainingProcess, training_events

    describe_device()  # what the window runs after its first paint: TensorFlow is loaded in its process too
    check_dataset(photos)  # the tab's check; the process starts when it ends
    process = TrainingProcess()
    time.sleep(think)
    clicked = time.time()
    config = TrainConfig(out=work / "model.keras", variant=variant, input_size=size, epochs=1, batch_size=BATCH,
                         lr=LEARNING_RATE, precision=precision)
    stop = threading.Event()
    for event in training_events(str(photos), config, stop, process):
        if stop.is_set():
            continue  # the child ends within a batch; the generator then closes it
        if isinstance(event, PhaseStarted):
            _report("PHASE", event.phase, time.time() - clicked)
        elif isinstance(event, BatchEnded):
            _report("FIRST", time.time() - clicked)
            stop.set()


def run_arm(arm: str, photos: Path, variant: str, size: int, think: float,
            precision: str) -> tuple[float, dict[str, float]]:
    """One arm in a fresh process: (seconds to the first batch, start time of each phase)."""
    with tempfile.TemporaryDirectory() as work:
        # TensorFlow's own oneDNN default for the plain script; the engine sets its choice itself.
        environment = {key: value for key, value in os.environ.items() if key != ONEDNN}
        environment.update(PYTHONPATH=str(ROOT), DENSENET_STUDIO_CACHE=str(Path(work) / "cache"))  # empty cache
        arguments = [str(photos), variant, str(size), work, str(think), precision]
        t0 = time.time()
        done = subprocess.run([sys.executable, __file__, "--child", arm, repr(t0), *arguments], cwd=ROOT,
                              env=environment, capture_output=True, text=True, timeout=1800)
    phases: dict[str, float] = {}
    first = None
    for line in done.stdout.splitlines():
        words = line.split()
        if words[:1] == ["PHASE"]:
            phases.setdefault(words[1], float(words[2]))
        elif words[:1] == ["FIRST"]:
            first = float(words[1])
    if first is None:
        raise SystemExit(f"{arm} ({variant}) failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return first, phases


def child(arm: str, t0: str, photos: str, variant: str, size: str, work: str, think: str, precision: str) -> None:
    if arm == "plain":
        plain_arm(float(t0), Path(photos), variant, int(size))
    elif arm == "cli":
        cli_arm(float(t0), Path(photos), variant, int(size), Path(work), precision)
    else:
        gui_arm(float(think), Path(photos), variant, int(size), Path(work), precision)


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def bench(name: str, rounds: int, arms: list[str], think: float, precision: str, folder: Path) -> None:
    from tests.image_files import make_class_folders

    variant, size, photo_size = VARIANTS[name]
    photos = make_class_folders(folder / name, CLASSES, per_class=PER_CLASS, size=photo_size, kind="jpeg")
    print(f"\n{variant} at {size}x{size}: {len(CLASSES) * PER_CLASS} JPEGs of {photo_size}x{photo_size}, batch "
          f"{BATCH}, engine precision {precision}, {rounds} rounds; load before {load()}", flush=True)
    seconds: dict[str, list[float]] = {arm: [] for arm in arms}
    phases: dict[str, list[dict[str, float]]] = {arm: [] for arm in arms}
    for round_ in range(rounds):
        for arm in arms:
            first, marks = run_arm(arm, photos, variant, size, think, precision)
            seconds[arm].append(first)
            phases[arm].append(marks)
            print(f"  round {round_ + 1} {arm:<5} {first:6.1f} s  (load {load()})", flush=True)
    print_table(seconds, phases)
    print(f"load after {load()}")


def print_table(seconds: dict[str, list[float]], phases: dict[str, list[dict[str, float]]]) -> None:
    reference = statistics.median(seconds["plain"]) if seconds.get("plain") else None
    print(f"  {'arm':<6}{'seconds to first batch, per round':<40}{'median':>8}{'/ plain':>9}")
    for arm, values in seconds.items():
        median = statistics.median(values)
        ratio = f"{median / reference:.2f}x" if reference else "-"
        print(f"  {arm:<6}{', '.join(f'{v:.1f}' for v in values):<40}{median:8.1f}{ratio:>9}")
    for arm, marks in phases.items():
        names = list(dict.fromkeys(name for mark in marks for name in mark))  # in order of first appearance
        if names:
            starts = ", ".join(f"{name} {statistics.median(m[name] for m in marks if name in m):.1f}" for name in names)
            print(f"  {arm} phase starts (median s from its clock's start): {starts}")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:10])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", choices=(*VARIANTS, "all"), default="all")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--arms", default=",".join(ARMS), help="comma-separated subset of plain,cli,gui")
    parser.add_argument("--think", type=float, default=5.0,
                        help="GUI arm: seconds between the end of the dataset check and the Start click")
    parser.add_argument("--precision", choices=("auto", "float32", "mixed_bfloat16", "mixed_float16"),
                        default="auto", help="the engine arms' precision (the plain script trains in float32)")
    args = parser.parse_args()
    arms = [arm for arm in args.arms.split(",") if arm]
    unknown = set(arms) - set(ARMS)
    if unknown:
        parser.error(f"unknown arms: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory() as folder:
        for name in VARIANTS if args.variant == "all" else (args.variant,):
            bench(name, args.rounds, arms, args.think, args.precision, Path(folder))


if __name__ == "__main__":
    main()
