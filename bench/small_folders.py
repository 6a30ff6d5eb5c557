"""Small folders, as most window users have them: does Automatic beat the classic baselines on 10-100 photos a
class within a 2-minute budget?

Each folder is built from real photos that packages ship, as ROOT/<set>-<seed>/train/<class>/*.png (what the
app trains on; it splits its own validation photos off) and .../test/<class>/*.png (never trained on, by
any arm). The seed picks which photos land in train/ and test/.

  fashion-10/30/100  Fashion-MNIST (Debian package `dataset-fashion-mnist`), grey 28 px, 10 classes, that many
                     training photos a class; test: 100 a class from its test set
  fashion-1000       the same with 1,000 a class (10,000 photos), trained for 10 minutes: the large-folder check,
                     only when named in --sets
  faces              scikit-image's `lfw_subset`: 100 faces and 100 non-faces, grey 25 px, 2 classes;
                     60 a class train, 40 test
  digits             scikit-learn's `load_digits`: scanned hand-written digits, grey 8 px scaled to 32 px,
                     10 classes; 30 a class train, 50 test
  colour             10 colour photos that scikit-image and scikit-learn ship, one class each; 32 px crops of
                     the photo's left half train (30 a class), of its right half test (30 a class)

Arms, each on the same train/ and test/ photos:
  app        `python -m engine train ROOT --out M --time-budget MINUTES --seed SEED` in its own process with an
             empty photo cache (every other setting automatic), then `python -m engine evaluate M ROOT --json`
  svm        scikit-learn `SVC()` (defaults) on the raw pixels scaled to 0-1
  logreg     `LogisticRegression(max_iter=2000)` on the same pixels
  cnn        a small plain Keras CNN (two 3x3 conv + pool stages, dense 128, dropout), Adam, batch 32,
             40 epochs, in its own process

Prints a row per folder and arm (mean and spread over the seeds, wall time) and whether the app reached the
SVM's accuracy on every seed and beat it on average.

Usage: python bench/small_folders.py [--sets fashion-30,faces] [--seeds 0,1,2] [--minutes 2] [--arms app,svm]
Needs: pip install scikit-learn scikit-image (the `bench` extra).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from fashion_budget import CLASSES as FASHION_CLASSES  # noqa: E402
from fashion_budget import SOURCE as FASHION_SOURCE  # noqa: E402
from fashion_budget import idx_array  # noqa: E402

SETS = ("fashion-10", "fashion-30", "fashion-100", "faces", "digits", "colour")
LARGE_SET, LARGE_MINUTES = "fashion-1000", 10.0  # --sets fashion-1000: the large-folder check, 10k photos
ARMS = ("app", "svm", "logreg", "cnn")
CROP = 32


def _take(labels: np.ndarray, per_class: int, rng: np.random.Generator, exclude=()) -> np.ndarray:
    """Indices of `per_class` random items of each label, none of them in `exclude`."""
    excluded = set(exclude)
    chosen = []
    for label in np.unique(labels):
        pool = [index for index in np.flatnonzero(labels == label) if index not in excluded]
        chosen.extend(rng.choice(pool, per_class, replace=False))
    return np.array(chosen)


def _fashion(per_class: int, rng):
    train_x, train_y = idx_array("train-images-idx3-ubyte.gz"), idx_array("train-labels-idx1-ubyte.gz")
    test_x, test_y = idx_array("t10k-images-idx3-ubyte.gz"), idx_array("t10k-labels-idx1-ubyte.gz")
    train, test = _take(train_y, per_class, rng), _take(test_y, 100, np.random.default_rng(1000))
    return train_x[train], train_y[train], test_x[test], test_y[test], FASHION_CLASSES


def _faces(rng):
    from skimage.data import lfw_subset

    images = (lfw_subset() * 255).round().astype(np.uint8)
    labels = np.array([0] * 100 + [1] * 100)
    train = _take(labels, 60, rng)
    test = _take(labels, 40, rng, exclude=train)
    return images[train], labels[train], images[test], labels[test], ("face", "not-face")


def _digits(rng):
    from PIL import Image
    from sklearn.datasets import load_digits

    digits = load_digits()
    scans = np.stack([np.asarray(Image.fromarray((image * 255 / 16).astype(np.uint8)).resize((32, 32),
                                                                                             Image.BILINEAR))
                      for image in digits.images])
    train = _take(digits.target, 30, rng)
    test = _take(digits.target, 50, rng, exclude=train)
    return scans[train], digits.target[train], scans[test], digits.target[test], tuple(map(str, range(10)))


def _colour_photos() -> dict[str, np.ndarray]:
    from PIL import Image
    from skimage import data
    from sklearn.datasets import load_sample_images

    photos = {name: getattr(data, name)() for name in ("astronaut", "chelsea", "coffee", "rocket", "hubble_deep_field",
                                                      "immunohistochemistry", "retina")}
    photos["motorcycle"] = data.stereo_motorcycle()[0]
    photos |= dict(zip(("china", "flower"), load_sample_images().images))
    scaled = {}
    for name, pixels in photos.items():  # shorter side 192 px, so a crop holds a recognisable part
        image = Image.fromarray(pixels[..., :3])
        factor = 192 / min(image.size)
        scaled[name] = np.asarray(image.resize((round(image.width * factor), round(image.height * factor)),
                                               Image.BILINEAR))
    return scaled


def _crops(pixels: np.ndarray, count: int, rng, left: bool) -> list[np.ndarray]:
    height, width = pixels.shape[:2]
    half = width // 2
    low, high = (0, half - CROP) if left else (half, width - CROP)
    return [pixels[y:y + CROP, x:x + CROP] for y, x in zip(rng.integers(0, height - CROP, count),
                                                           rng.integers(low, high, count))]


def _colour(rng):
    photos = _colour_photos()
    train_x, train_y, test_x, test_y = [], [], [], []
    for label, pixels in enumerate(photos.values()):
        train_x += _crops(pixels, 30, rng, left=True)
        test_x += _crops(pixels, 30, rng, left=False)
        train_y += [label] * 30
        test_y += [label] * 30
    return np.stack(train_x), np.array(train_y), np.stack(test_x), np.array(test_y), tuple(photos)


def source_arrays(name: str, seed: int):
    """(train images, train labels, test images, test labels, class names) of one set and seed."""
    rng = np.random.default_rng(seed)
    if name.startswith("fashion-"):
        if not FASHION_SOURCE.is_dir():
            sys.exit(f"{FASHION_SOURCE} not found: apt-get install dataset-fashion-mnist")
        return _fashion(int(name.split("-")[1]), rng)
    return {"faces": _faces, "digits": _digits, "colour": _colour}[name](rng)


def write_folder(root: Path, name: str, seed: int) -> Path:
    """ROOT/<name>-<seed>/{train,test}/<class>/NNNN.png, once."""
    from PIL import Image

    folder = root / f"{name}-{seed}"
    if (folder / ".complete").is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    train_x, train_y, test_x, test_y, classes = source_arrays(name, seed)
    for split, images, labels in (("train", train_x, train_y), ("test", test_x, test_y)):
        for index, (pixels, label) in enumerate(zip(images, labels)):
            target = folder / split / classes[label]
            target.mkdir(parents=True, exist_ok=True)
            Image.fromarray(pixels).save(target / f"{index:04d}.png")
    (folder / ".complete").write_text("ok")
    return folder


def read_split(folder: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """The photos of a split as rows of 0-1 pixels, as the baselines see them."""
    from PIL import Image

    x, y = [], []
    for label, class_folder in enumerate(sorted((folder / split).iterdir())):
        for file in sorted(class_folder.iterdir()):
            x.append(np.asarray(Image.open(file), np.float32) / 255)
            y.append(label)
    return np.stack(x), np.array(y)


def automatic_estimate(folder: Path, minutes: float):
    """What Automatic chooses for the folder on this machine, as the CLI would (offline: no ImageNet weights)."""
    from engine.data.dataset import scan_dataset
    from engine.model.pretrained import UNAVAILABLE
    from engine.runtime.native_logs import load_tensorflow
    from engine.training.auto_settings import settings_for_scan

    load_tensorflow(0)
    return settings_for_scan(scan_dataset(folder, decode_check=False), minutes, UNAVAILABLE)[0]


def run_app(folder: Path, seed: int, minutes: float) -> dict:
    """A user's training: Automatic, a fresh photo cache, then `evaluate` on the test photos."""
    from engine.model.modelfile import read_metadata

    out, cache = folder.parent / f"{folder.name}.keras", folder.parent / f"{folder.name}-cache"  # outside the folder
    out.unlink(missing_ok=True)
    shutil.rmtree(cache, ignore_errors=True)
    auto = automatic_estimate(folder, minutes)
    started = time.time()
    train = subprocess.run([sys.executable, "-m", "engine", "train", str(folder), "--out", str(out),
                            "--time-budget", str(minutes), "--seed", str(seed), "--cache-dir", str(cache)],
                           capture_output=True, text=True, cwd=REPO)
    wall = time.time() - started
    if train.returncode != 0:
        sys.exit(f"app training on {folder} failed ({train.returncode}):\n{train.stdout[-2000:]}{train.stderr[-2000:]}")
    evaluate = subprocess.run([sys.executable, "-m", "engine", "evaluate", str(out), str(folder), "--json",
                               "--cache-dir", str(cache)], capture_output=True, text=True, cwd=REPO, check=True)
    lines = train.stdout.strip().splitlines()
    automatic = next((line.removeprefix("automatic: ") for line in lines if line.startswith("automatic:")), "")
    epochs = len(read_metadata(out).history)
    return {"accuracy": json.loads(evaluate.stdout)["accuracy"], "wall_s": wall, "estimate_s": auto.estimate_seconds,
            "planned": auto.epochs, "epochs": epochs,
            "note": f"estimate {auto.estimate_seconds:.0f} s, real {wall:.0f} s; {auto.epochs} epochs planned, "
                    f"{epochs} ran | {automatic} | {lines[-1] if lines else ''}"}


def run_classic(folder: Path, arm: str) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVC

    started = time.time()
    (train_x, train_y), (test_x, test_y) = read_split(folder, "train"), read_split(folder, "test")
    model = SVC() if arm == "svm" else LogisticRegression(max_iter=2000)
    model.fit(train_x.reshape(len(train_x), -1), train_y)
    accuracy = float((model.predict(test_x.reshape(len(test_x), -1)) == test_y).mean())
    return {"accuracy": accuracy, "wall_s": time.time() - started, "note": ""}


CNN_SCRIPT = textwrap.dedent('''
    import sys, numpy as np
    sys.path.insert(0, sys.argv[1])
    from small_folders import read_split
    from pathlib import Path
    import keras
    from keras import layers
    keras.utils.set_random_seed(int(sys.argv[3]))
    (x, y), (tx, ty) = read_split(Path(sys.argv[2]), "train"), read_split(Path(sys.argv[2]), "test")
    if x.ndim == 3:
        x, tx = x[..., None], tx[..., None]
    model = keras.Sequential([keras.Input(x.shape[1:]),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dropout(0.5),
        layers.Dense(int(y.max()) + 1, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=32, epochs=40, verbose=0)
    print("ACCURACY", model.evaluate(tx, ty, verbose=0)[1])
''')


def run_cnn(folder: Path, seed: int) -> dict:
    started = time.time()
    done = subprocess.run([sys.executable, "-c", CNN_SCRIPT, str(REPO / "bench"), str(folder), str(seed)],
                          capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    if done.returncode != 0:
        sys.exit(f"plain CNN on {folder} failed:\n{done.stderr[-2000:]}")
    accuracy = float(done.stdout.split("ACCURACY")[-1])
    return {"accuracy": accuracy, "wall_s": time.time() - started, "note": ""}


def run_arm(arm: str, folder: Path, seed: int, minutes: float) -> dict:
    if arm == "app":
        return run_app(folder, seed, minutes)
    if arm == "cnn":
        return run_cnn(folder, seed)
    return run_classic(folder, arm)


def summary(results: dict, sets: list[str], arms: list[str], seeds: list[int]) -> None:
    print("\n| folder | arm | accuracy (mean) | spread (min-max) | per seed | wall s (mean) |")
    print("|---|---|---|---|---|---|")
    for name in sets:
        for arm in arms:
            runs = [results[name, arm, seed] for seed in seeds if (name, arm, seed) in results]
            if not runs:
                continue
            scores = [run["accuracy"] for run in runs]
            print(f"| {name} | {arm} | {100 * statistics.mean(scores):.1f} % | {100 * min(scores):.1f}-"
                  f"{100 * max(scores):.1f} | {', '.join(f'{100 * s:.1f}' for s in scores)} | "
                  f"{statistics.mean(run['wall_s'] for run in runs):.0f} |")
    if "app" in arms:
        print("\n| folder | seed | estimate s | real s | real / estimate | epochs planned | epochs run |")
        print("|---|---|---|---|---|---|---|")
        for name in sets:
            for seed in seeds:
                run = results.get((name, "app", seed))
                if run:
                    print(f"| {name} | {seed} | {run['estimate_s']:.0f} | {run['wall_s']:.0f} | "
                          f"{run['wall_s'] / run['estimate_s']:.2f} | {run['planned']} | {run['epochs']} |")
    if "app" in arms and "svm" in arms:
        print()
        for name in sets:
            pairs = [(results[name, "app", s]["accuracy"], results[name, "svm", s]["accuracy"]) for s in seeds
                     if (name, "app", s) in results and (name, "svm", s) in results]
            if pairs:
                every = all(app >= svm for app, svm in pairs)
                mean = statistics.mean(app - svm for app, svm in pairs)
                print(f"{name}: app >= SVM on every seed: {'yes' if every else 'NO'}; "
                      f"mean difference {100 * mean:+.1f} points")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--arms", default=",".join(ARMS))
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--root", type=Path, default=REPO / "bench" / "out" / "small")
    args = parser.parse_args()
    sets, arms = args.sets.split(","), args.arms.split(",")
    seeds = [int(seed) for seed in args.seeds.split(",")]
    print(f"CPU: {_cpu_name()}; load before: {Path('/proc/loadavg').read_text().split()[0]}", flush=True)
    results = {}
    for name in sets:
        for seed in seeds:
            folder = write_folder(args.root, name, seed)
            for arm in arms:
                minutes = LARGE_MINUTES if name == LARGE_SET else args.minutes
                results[name, arm, seed] = run = run_arm(arm, folder, seed, minutes)
                print(f"{name} seed {seed} {arm}: {100 * run['accuracy']:.1f} % in {run['wall_s']:.0f} s "
                      f"{run['note']}", flush=True)
    print(f"load after: {Path('/proc/loadavg').read_text().split()[0]}")
    summary(results, sets, arms, seeds)


def _cpu_name() -> str:
    from engine.model.compute import cpu_description

    name, flags = cpu_description()
    extras = [flag for flag in ("avx2", "avx512f", "avx512_bf16", "amx_tile") if flag in flags]
    return f"{name} ({', '.join(extras)}), {os.cpu_count()} cores"


if __name__ == "__main__":
    main()
