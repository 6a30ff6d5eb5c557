"""Wrong labels found for the user: does `densenet-studio check --label-issues` find the photos whose label was
moved at least as well as cleanlab over a 5-fold SVM on raw pixels, within a 3-minute budget?

Each folder holds 500 real photos, 50 a class of 10 classes, as ROOT/<set>-<seed>/<class>/NNNN.png; a tenth
of them (chosen by the seed) sit in a wrong class folder, picked at random among the others. Which ones moved
is kept outside the folder, in ROOT/<set>-<seed>.moved.json.

  fashion   Fashion-MNIST's training photos (Debian package `dataset-fashion-mnist`), grey 28 px
  digits    scikit-learn's `load_digits` scans, grey 8 px scaled to 32 px
  colour    32 px crops of 10 colour photos that scikit-image and scikit-learn ship, one class each

Arms, each on the same folder, each scored by the F1 of the photos it flags against the moved ones:
  app          `python -m engine check ROOT --label-issues --time-budget MINUTES --json` in its own process with
               an empty photo cache (offline: no ImageNet weights, so k small trainings)
  svm          scikit-learn `SVC()` with Platt-scaled probabilities (what `SVC(probability=True)` was) on the raw
               0-1 pixels, 5-fold out-of-sample probabilities,
               then cleanlab's `find_label_issues` with its defaults (the reference)
  fastai       fastai's image-cleaner idea: one Automatic training (`python -m engine train`, same budget) on a
               stratified 80 %, and the photos of the held-out 20 % whose given class is not the model's answer
               flagged; scored on those 20 % only, as the only photos it has out-of-sample answers for

Usage: python bench/label_issues.py [--sets fashion,digits] [--seeds 0] [--minutes 3] [--arms app,svm,fastai]
Needs: pip install -e .[bench] (scikit-image for the colour photos and digits' scaling).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from fashion_budget import CLASSES as FASHION_CLASSES  # noqa: E402
from fashion_budget import SOURCE as FASHION_SOURCE  # noqa: E402
from fashion_budget import idx_array  # noqa: E402
from small_folders import _colour_photos, _cpu_name, _crops  # noqa: E402

SETS = ("fashion", "digits", "colour")
ARMS = ("app", "svm", "fastai")
PER_CLASS, WRONG_SHARE = 50, 0.10


def _fashion(rng):
    if not FASHION_SOURCE.is_dir():
        sys.exit(f"{FASHION_SOURCE} not found: apt-get install dataset-fashion-mnist")
    images, labels = idx_array("train-images-idx3-ubyte.gz"), idx_array("train-labels-idx1-ubyte.gz")
    chosen = np.concatenate([rng.choice(np.flatnonzero(labels == label), PER_CLASS, replace=False)
                             for label in range(10)])
    return images[chosen], labels[chosen], FASHION_CLASSES


def _digits(rng):
    from PIL import Image
    from sklearn.datasets import load_digits

    digits = load_digits()
    chosen = np.concatenate([rng.choice(np.flatnonzero(digits.target == label), PER_CLASS, replace=False)
                             for label in range(10)])
    scans = np.stack([np.asarray(Image.fromarray((image * 255 / 16).astype(np.uint8)).resize((32, 32),
                                                                                             Image.BILINEAR))
                      for image in digits.images[chosen]])
    return scans, digits.target[chosen], tuple(map(str, range(10)))


def _colour(rng):
    photos = _colour_photos()
    crops = [crop for pixels in photos.values() for crop in _crops(pixels, PER_CLASS, rng, left=True)]
    return np.stack(crops), np.repeat(np.arange(len(photos)), PER_CLASS), tuple(photos)


def write_folder(root: Path, name: str, seed: int) -> tuple[Path, set[str]]:
    """ROOT/<name>-<seed>/<class>/NNNN.png with a tenth of the photos in a wrong class, and those photos' paths."""
    from PIL import Image

    folder, moved_file = root / f"{name}-{seed}", root / f"{name}-{seed}.moved.json"
    if moved_file.is_file():
        return folder, set(json.loads(moved_file.read_text()))
    shutil.rmtree(folder, ignore_errors=True)
    rng = np.random.default_rng(seed)
    images, labels, classes = {"fashion": _fashion, "digits": _digits, "colour": _colour}[name](rng)
    given = labels.copy()
    wrong = rng.choice(len(labels), int(WRONG_SHARE * len(labels)), replace=False)
    given[wrong] = (labels[wrong] + rng.integers(1, len(classes), len(wrong))) % len(classes)
    moved = []
    for index, (pixels, label) in enumerate(zip(images, given)):
        target = folder / classes[label] / f"{index:04d}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels).save(target)
        if index in wrong:
            moved.append(str(target))
    moved_file.write_text(json.dumps(moved))
    return folder, set(moved)


def f1(flagged: set[str], moved: set[str]) -> tuple[float, float, float]:
    """(F1, precision, recall) of the flagged photos against the moved ones."""
    hits = len(flagged & moved)
    precision, recall = hits / max(1, len(flagged)), hits / max(1, len(moved))
    return (2 * precision * recall / (precision + recall) if hits else 0.0), precision, recall


def _pixels(folder: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    from PIL import Image

    paths, rows, labels = [], [], []
    for label, class_folder in enumerate(sorted(path for path in folder.iterdir() if path.is_dir())):
        for file in sorted(class_folder.iterdir()):
            paths.append(str(file))
            rows.append(np.asarray(Image.open(file), np.float32).ravel() / 255)
            labels.append(label)
    return paths, np.stack(rows), np.array(labels)


def run_svm(folder: Path, moved: set[str], seed: int, minutes: float) -> dict:
    from cleanlab.filter import find_label_issues
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.svm import SVC

    started = time.time()
    paths, pixels, labels = _pixels(folder)
    svm = CalibratedClassifierCV(SVC(), ensemble=False)  # scikit-learn's SVC(probability=True): Platt scaling
    probabilities = cross_val_predict(svm, pixels, labels, method="predict_proba",
                                      cv=StratifiedKFold(5, shuffle=True, random_state=seed))
    flagged = {paths[index] for index in np.flatnonzero(find_label_issues(labels, probabilities))}
    return {"scores": f1(flagged, moved), "flagged": len(flagged), "wall_s": time.time() - started, "note": ""}


def run_app(folder: Path, moved: set[str], seed: int, minutes: float) -> dict:
    cache = folder.parent / f"{folder.name}-cache"
    shutil.rmtree(cache, ignore_errors=True)
    started = time.time()
    done = subprocess.run([sys.executable, "-m", "engine", "check", str(folder), "--label-issues", "--json",
                           "--time-budget", str(minutes), "--seed", str(seed), "--cache-dir", str(cache)],
                          capture_output=True, text=True, cwd=REPO)
    wall = time.time() - started
    if done.returncode != 0:
        sys.exit(f"app check on {folder} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    flagged = {issue["path"] for issue in report["label_issues"]}
    return {"scores": f1(flagged, moved), "flagged": len(flagged), "wall_s": wall,
            "note": f"{report['method']}; the label check itself {report['seconds']:.0f} s; "
                    f"held-out agreement {report['out_of_sample_accuracy']:.0%}; "
                    f"{len(report['near_duplicates'])} look-alike groups, {len(report['outliers'])} outliers"}


def run_fastai(folder: Path, moved: set[str], seed: int, minutes: float) -> dict:
    """One training on 80 %; the held-out photos whose given class is not the answer are flagged."""
    from sklearn.model_selection import train_test_split

    paths, _, labels = _pixels(folder)
    trained, held_out = train_test_split(np.arange(len(paths)), test_size=0.2, stratify=labels, random_state=seed)
    view = folder.parent / f"{folder.name}-fastai"
    shutil.rmtree(view, ignore_errors=True)
    for split, indices in (("train", trained), ("test", held_out)):
        for index in indices:
            source = Path(paths[index])
            target = view / split / source.parent.name / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(source)
    model, cache = view / "model.keras", view.parent / f"{view.name}-cache"
    shutil.rmtree(cache, ignore_errors=True)
    started = time.time()
    subprocess.run([sys.executable, "-m", "engine", "train", str(view), "--out", str(model), "--time-budget",
                    str(minutes), "--seed", str(seed), "--cache-dir", str(cache)], capture_output=True, check=True,
                   cwd=REPO)
    evaluate = subprocess.run([sys.executable, "-m", "engine", "evaluate", str(model), str(view), "--json",
                               "--cache-dir", str(cache)], capture_output=True, text=True, check=True, cwd=REPO)
    wall = time.time() - started
    linked = {str(view / "test" / Path(paths[index]).parent.name / Path(paths[index]).name): paths[index]
              for index in held_out}
    flagged = {linked[item["path"]] for item in json.loads(evaluate.stdout)["misclassified"]}
    moved_held_out = moved & {paths[index] for index in held_out}
    return {"scores": f1(flagged, moved_held_out), "flagged": len(flagged), "wall_s": wall,
            "note": f"scored on the {len(held_out)} held-out photos ({len(moved_held_out)} moved)"}


RUNS = {"app": run_app, "svm": run_svm, "fastai": run_fastai}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="fashion,digits")
    parser.add_argument("--arms", default=",".join(ARMS))
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--root", type=Path, default=REPO / "bench" / "out" / "label-issues")
    args = parser.parse_args()
    print(f"CPU: {_cpu_name()}; load before: {Path('/proc/loadavg').read_text().split()[0]}", flush=True)
    rows = []
    for name in args.sets.split(","):
        for seed in map(int, args.seeds.split(",")):
            folder, moved = write_folder(args.root, name, seed)
            for arm in args.arms.split(","):
                run = RUNS[arm](folder, moved, seed, args.minutes)
                (score, precision, recall), wall = run["scores"], run["wall_s"]
                rows.append((name, seed, arm, score, precision, recall, run["flagged"], wall))
                print(f"{name} seed {seed} {arm}: F1 {score:.3f} (precision {precision:.3f}, recall {recall:.3f}, "
                      f"{run['flagged']} flagged) in {wall:.0f} s {run['note']}", flush=True)
    print(f"load after: {Path('/proc/loadavg').read_text().split()[0]}")
    print("\n| folder | seed | arm | F1 | precision | recall | flagged | wall s |\n|---|---|---|---|---|---|---|---|")
    for name, seed, arm, score, precision, recall, flagged, wall in rows:
        print(f"| {name} | {seed} | {arm} | {score:.3f} | {precision:.3f} | {recall:.3f} | {flagged} | {wall:.0f} |")


if __name__ == "__main__":
    main()
