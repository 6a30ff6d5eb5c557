"""A good model in a time budget, as a user gets it: Fashion-MNIST photo folders, `train --time-budget` with
automatic settings, against a plain Keras DenseNet-BC-40 script trained for the same minutes, in one run.

Data: the Debian package `dataset-fashion-mnist` (`apt-get install dataset-fashion-mnist`). Its 60,000 training
images are written as class folders of PNGs (ROOT/train/<class>/), its 10,000 test images as ROOT/test/<class>/;
neither arm ever sees a test photo while training. Each arm runs in its own process, one after the other:

  engine     `python -m engine train ROOT --out MODEL --time-budget MINUTES` (every other setting automatic),
             then `python -m engine evaluate MODEL ROOT --json` (the test folder); wall time from the process
             start to the model file
  reference  a plain Keras script: Pillow decodes the training PNGs, keras builds DenseNet-BC-40 (k=12) from
             the paper's blocks, Adam (Keras defaults), batch 64, `fit` until the same minutes have passed
             since its process started (the epoch running then is cut off by a callback), then `evaluate` on
             the test images. Its epochs count the one cut off; images/s are the images its steps took
             over the time `fit` ran.

Usage: python bench/fashion_budget.py [--minutes 15] [--root bench/out/fashion] [--skip-reference]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

SOURCE = Path("/usr/share/datasets/fashion-mnist")
CLASSES = ("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def idx_array(name: str) -> np.ndarray:
    """One of the package's gzipped IDX files as an array."""
    data = gzip.decompress((SOURCE / name).read_bytes())
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def write_folders(root: Path) -> None:
    """ROOT/train/<class>/NNNNN.png and ROOT/test/<class>/NNNNN.png, once."""
    from PIL import Image

    done = root / ".complete"
    if done.is_file():
        return
    if not SOURCE.is_dir():
        sys.exit(f"{SOURCE} not found: apt-get install dataset-fashion-mnist")
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images, labels = idx_array(f"{prefix}-images-idx3-ubyte.gz"), idx_array(f"{prefix}-labels-idx1-ubyte.gz")
        for name in CLASSES:
            (root / split / name).mkdir(parents=True, exist_ok=True)
        for index, (pixels, label) in enumerate(zip(images, labels)):
            Image.fromarray(pixels, "L").save(root / split / CLASSES[label] / f"{index:05d}.png")
    done.write_text("ok")


REFERENCE_SCRIPT = textwrap.dedent('''
    import os, sys, time
    started = float(sys.argv[1]); root = sys.argv[2]; minutes = float(sys.argv[3])
    import numpy as np, keras
    from keras import layers
    from PIL import Image

    def load(split):
        names = sorted(os.listdir(os.path.join(root, split)))
        x, y = [], []
        for label, name in enumerate(names):
            folder = os.path.join(root, split, name)
            for file in sorted(os.listdir(folder)):
                x.append(np.asarray(Image.open(os.path.join(folder, file)).convert("L"), np.float32)[..., None])
                y.append(label)
        return np.stack(x), np.array(y)

    def bn_relu(x):
        return layers.Activation("relu")(layers.BatchNormalization(epsilon=1.001e-5)(x))

    def dense_block(x, blocks, k=12):
        for _ in range(blocks):
            y = layers.Conv2D(4 * k, 1, use_bias=False)(bn_relu(x))
            y = layers.Conv2D(k, 3, padding="same", use_bias=False)(bn_relu(y))
            x = layers.Concatenate()([x, y])
        return x

    def transition(x):
        x = layers.Conv2D(x.shape[-1] // 2, 1, use_bias=False)(bn_relu(x))
        return layers.AveragePooling2D(2, strides=2)(x)

    x_train, y_train = load("train")
    inputs = keras.Input((28, 28, 1))
    x = layers.Rescaling(1 / 255)(inputs)
    x = layers.Conv2D(24, 3, padding="same", use_bias=False)(x)
    x = transition(dense_block(x, 6)); x = transition(dense_block(x, 6)); x = dense_block(x, 6)
    x = layers.GlobalAveragePooling2D()(bn_relu(x))
    model = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    class Deadline(keras.callbacks.Callback):
        images = 0
        def on_train_begin(self, logs=None):
            self.fit_started = time.time()
        def on_train_batch_end(self, batch, logs=None):
            Deadline.images += 64
            if time.time() - started > minutes * 60:
                self.model.stop_training = True
        def on_epoch_end(self, epoch, logs=None):
            print(f"epoch {epoch + 1} loss {logs['loss']:.4f} acc {logs['accuracy']:.4f} at "
                  f"{time.time() - started:.0f}s", flush=True)

    deadline = Deadline()
    history = model.fit(x_train, y_train, batch_size=64, epochs=1000, callbacks=[deadline], verbose=0)
    trained = time.time() - started
    fitting = time.time() - deadline.fit_started
    x_test, y_test = load("test")
    loss, accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0)
    print(f"RESULT epochs={len(history.history['loss'])} trained_s={trained:.1f} test_accuracy={accuracy:.4f} "
          f"images_per_s={min(Deadline.images, 60_000 * 1000) / fitting:.1f}")
''')


def run_engine(root: Path, out: Path, minutes: float) -> dict:
    """A user's first training on the folder: an empty photo cache, so decoding counts in the budget."""
    out.unlink(missing_ok=True)
    cache = root.parent / "fashion-cache"
    shutil.rmtree(cache, ignore_errors=True)
    started = time.time()
    train = subprocess.run([sys.executable, "-m", "engine", "train", str(root), "--out", str(out),
                            "--time-budget", str(minutes), "--cache-dir", str(cache)],
                           capture_output=True, text=True, cwd=REPO)
    trained = time.time() - started
    print(train.stdout[-3000:], train.stderr[-2000:], sep="\n", flush=True)
    if train.returncode != 0:
        sys.exit(f"engine training failed ({train.returncode})")
    evaluate = subprocess.run([sys.executable, "-m", "engine", "evaluate", str(out), str(root), "--json",
                               "--cache-dir", str(cache)], capture_output=True, text=True, cwd=REPO, check=True)
    report = json.loads(evaluate.stdout)
    automatic = next((line for line in train.stdout.splitlines() if line.startswith("automatic:")), "")
    from engine.model.modelfile import read_metadata

    metadata = read_metadata(out)
    history = metadata.history
    return {"arm": "engine", "settings": automatic.removeprefix("automatic: "), "epochs": len(history),
            "images_per_s": metadata.train_images * len(history) / sum(epoch.seconds for epoch in history),
            "test_accuracy": report["accuracy"], "wall_s": trained,
            "test_photos": sum(row["support"] for row in report["per_class"].values())}


def _plain_environment() -> dict:
    """TensorFlow as installed: none of the engine's environment settings."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("TF_", "KERAS_"))}
    return {**environment, "TF_CPP_MIN_LOG_LEVEL": "2"}


def run_reference(root: Path, minutes: float) -> dict:
    started = time.time()
    done = subprocess.run([sys.executable, "-c", REFERENCE_SCRIPT, str(started), str(root), str(minutes)],
                          capture_output=True, text=True, env=_plain_environment())
    print(done.stdout[-2000:], done.stderr[-1500:] if done.returncode else "", sep="\n", flush=True)
    result = dict(re.findall(r"(\w+)=([\d.]+)", done.stdout.splitlines()[-1]))
    return {"arm": "reference", "settings": "plain Keras DenseNet-BC-40 (k=12) at 28 px grey, Adam, batch 64",
            "epochs": int(result["epochs"]), "images_per_s": float(result["images_per_s"]),
            "test_accuracy": float(result["test_accuracy"]), "wall_s": float(result["trained_s"]),
            "test_photos": 10_000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=15.0)
    parser.add_argument("--root", type=Path, default=REPO / "bench" / "out" / "fashion")
    parser.add_argument("--skip-reference", action="store_true")
    args = parser.parse_args()
    write_folders(args.root)
    print(f"load before: {Path('/proc/loadavg').read_text().split()[0]}", flush=True)
    rows = [run_engine(args.root, args.root.parent / "fashion.keras", args.minutes)]
    if not args.skip_reference:
        rows.append(run_reference(args.root, args.minutes))
    print(f"load after: {Path('/proc/loadavg').read_text().split()[0]}")
    print(f"\n| arm | settings | epochs | images/s | test accuracy | wall s (budget {args.minutes * 60:.0f}) |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['arm']} | {row['settings']} | {row['epochs']} | {row['images_per_s']:.0f} | "
              f"{row['test_accuracy']:.4f} ({row['test_photos']} photos) | {row['wall_s']:.0f} |")


if __name__ == "__main__":
    main()
