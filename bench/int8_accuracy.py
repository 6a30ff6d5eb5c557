"""Does the int8 feature route cost accuracy? Transfer learning on float32 and int8 ONNX features of a
backbone with trained weights, scored on photos neither the backbone nor the head saw, in one run.

The real ImageNet weights cannot be had on an offline machine, and random weights say nothing (their
activations are not those of a trained network), so this is a proxy built from Fashion-MNIST (the Debian
package `dataset-fashion-mnist`):

1. Backbone: the app's DenseNet-121 (the ImageNet architecture, at --size px, photos made RGB) trained from
   scratch with Keras on the first five classes (t-shirt, trouser, pullover, dress, coat), --backbone-photos
   photos, --backbone-epochs epochs; its weights without the classifier are written as a keras.applications
   .h5 file, as a user's picked ImageNet file would be.
2. Transfer: the other five classes (sandal, shirt, sneaker, bag, ankle-boot), which the backbone never saw:
   --photos training photos as class folders of PNGs, and --test photos from the Fashion-MNIST test set.
   DenseNet Studio's own `train(pretrained=FILE)` runs once per route (`onnx`: float32, `onnx-int8`: quantised
   and calibrated on the first batch of these photos), each in its own process, then `evaluate` on the test
   folder.

Prints each route's test accuracy and on how many test photos the two models answer differently (speed:
bench/transfer_learning.py).

    .venv/bin/python bench/int8_accuracy.py [--size 32] [--photos 1000] [--test 2000] [--backbone-photos 15000]
        [--backbone-epochs 2] [--epochs 30] [--lr 0.001] [--routes onnx,onnx-int8] [--work bench/out/int8-accuracy]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.fashion_budget import CLASSES, idx_array  # noqa: E402

SOURCE_CLASSES, TARGET_CLASSES = range(5), range(5, 10)
ROUTES = ("onnx", "onnx-int8")


def _rgb(pixels: np.ndarray, size: int) -> np.ndarray:
    from PIL import Image

    return np.stack([np.asarray(Image.fromarray(p, "L").resize((size, size), Image.BILINEAR).convert("RGB"))
                     for p in pixels])


def train_backbone(work: Path, size: int, photos: int, epochs: int) -> Path:
    """DenseNet-121 trained on the source classes; its notop weights as a keras.applications-style file."""
    import keras

    from engine.model.config import ModelConfig
    from engine.model.densenet import build_densenet
    from tests.keras_files import write_legacy_h5_weights

    weights = work / f"backbone-{size}px-{photos}-{epochs}.h5"
    if weights.is_file():
        return weights
    images, labels = idx_array("train-images-idx3-ubyte.gz"), idx_array("train-labels-idx1-ubyte.gz")
    chosen = np.flatnonzero(np.isin(labels, SOURCE_CLASSES))[:photos]
    pixels, targets = _rgb(images[chosen], size).astype(np.float32), labels[chosen].astype(np.int32)
    keras.utils.set_random_seed(1)
    model = build_densenet(ModelConfig("densenet121", input_size=size, classes=5))
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    started = time.perf_counter()
    history = model.fit(pixels, targets, batch_size=64, epochs=epochs, validation_split=0.1, verbose=2)
    print(f"backbone: {len(chosen)} photos, {epochs} epochs in {time.perf_counter() - started:.0f} s, "
          f"validation accuracy {history.history['val_accuracy'][-1]:.3f} on the source classes", flush=True)
    notop = keras.Model(model.input, model.get_layer("relu").output)
    return write_legacy_h5_weights(notop, weights)


def write_target_folders(work: Path, photos: int, test: int) -> tuple[Path, Path]:
    """Train and test folders of the target classes (PNG, grey as Fashion-MNIST ships them)."""
    from PIL import Image

    train_root, test_root = work / f"target-train-{photos}", work / f"target-test-{test}"
    for root, prefix, count in ((train_root, "train", photos), (test_root, "t10k", test)):
        if (root / ".complete").is_file():
            continue
        images, labels = idx_array(f"{prefix}-images-idx3-ubyte.gz"), idx_array(f"{prefix}-labels-idx1-ubyte.gz")
        per_class = count // len(TARGET_CLASSES)
        for label in TARGET_CLASSES:
            folder = root / CLASSES[label]
            folder.mkdir(parents=True, exist_ok=True)
            for index in np.flatnonzero(labels == label)[:per_class]:
                Image.fromarray(images[index], "L").save(folder / f"{index:05d}.png")
        (root / ".complete").write_text("ok")
    return train_root, test_root


ARM = """
import json, sys
from engine.inference.evaluation import evaluate_model
from engine.model.modelfile import load_model
from engine.training.train_config import TrainConfig
from engine.training.trainer import train

train_root, test_root, weights, size, route, out, cache, epochs, lr = sys.argv[1:]

config = TrainConfig(out=out, variant="densenet121", input_size=int(size), pretrained=weights, epochs=int(epochs),
                     lr=float(lr), feature_runtime=route, cache_dir=cache)
result = train(train_root, config)
report = evaluate_model(load_model(result.model_path), test_root)
print(json.dumps({"route": route, "accuracy": report.accuracy, "photos": report.images,
                  "val_accuracy": result.best_val_accuracy, "epochs": len(result.history),
                  "wrong": {item.path: item.predicted for item in report.misclassified}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--test", type=int, default=2000)
    parser.add_argument("--backbone-photos", type=int, default=15000)
    parser.add_argument("--backbone-epochs", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=30, help="the classifier's epochs (Automatic's: 30)")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--routes", default=",".join(ROUTES))
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "out" / "int8-accuracy")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    weights = train_backbone(args.work, args.size, args.backbone_photos, args.backbone_epochs)
    train_root, test_root = write_target_folders(args.work, args.photos, args.test)
    results = {}
    for route in args.routes.split(","):
        cache = args.work / "cache"  # one studio cache: int8 quantises the float32 conversion it holds
        out = args.work / f"model-{route}.keras"
        done = subprocess.run([sys.executable, "-c", ARM, str(train_root), str(test_root), str(weights),
                               str(args.size), route, str(out), str(cache), str(args.epochs), str(args.lr)],
                              cwd=REPO, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"{route} failed:\n{done.stderr[-3000:]}")
        results[route] = json.loads(done.stdout.strip().splitlines()[-1])
    first = next(iter(results.values()))
    print(f"\ntransfer to 5 classes the backbone never saw: DenseNet-121 at {args.size} px, {args.photos} training "
          f"photos, {first['photos']} test photos, head: {args.epochs} epochs at lr {args.lr}")
    for route, result in results.items():
        print(f"{route}: test accuracy {result['accuracy']:.4f} (validation {result['val_accuracy']:.4f}, "
              f"{result['epochs']} epochs run)")
    if set(results) == set(ROUTES):
        float32, int8 = results["onnx"], results["onnx-int8"]
        differ = sum(float32["wrong"].get(path) != int8["wrong"].get(path)
                     for path in {*float32["wrong"], *int8["wrong"]})
        print(f"the two models answer differently on {differ} of {float32['photos']} test photos")


if __name__ == "__main__":
    main()
