"""Is the input pipeline ever what limits training? Images/s of the pipeline against training, same run.

Writes a folder of photo-like 640x480 JPEGs to a temp dir, then measures at each input size:
  cold  = scan + decode every photo into an empty cache + one epoch of batches (the first training),
  warm  = scan + cache lookups + one epoch (a later training on the same folder),
  epoch = one more epoch from the same datasets (later epochs),
and the training throughput of the chosen models with `train_on_batch` (Adam, batch 16, random weights).
Target: every pipeline figure >= 5x the training figure at the same input size.

    .venv/bin/python bench/pipeline_throughput.py [--images 400] [--compact densenet-bc-100-k12]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

TARGET_RATIO = 5.0
BATCH = 16


def write_photos(root: Path, count: int, classes: int = 4, seed: int = 0) -> None:
    """Photo-like JPEGs (smooth shapes, texture, sensor noise), about as large on disk as real 640x480 photos."""
    rng = np.random.default_rng(seed)
    for index in range(count):
        coarse = Image.fromarray(rng.integers(0, 256, (12, 16, 3), dtype=np.uint8)).resize((640, 480),
                                                                                            Image.Resampling.BICUBIC)
        texture = Image.fromarray(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)).resize((640, 480),
                                                                                               Image.Resampling.BILINEAR)
        pixels = 0.75 * np.asarray(coarse, np.float32) + 0.25 * np.asarray(texture, np.float32)
        pixels += rng.normal(0, 4, pixels.shape)
        folder = root / f"class_{index % classes}"
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(folder / f"{index:05d}.jpg", quality=90)


def epoch_seconds(dataset) -> float:
    start = time.perf_counter()
    for _ in dataset:
        pass
    return time.perf_counter() - start


def pipeline_rates(root: Path, cache_dir: Path, input_size: int) -> dict[str, float]:
    """Images/s for a cold start, a warm start and a later epoch, counting the training set's images."""
    from engine.data.pipeline import DataConfig, prepare_data

    config = DataConfig(input_size=input_size, batch_size=BATCH, val_split=0.0, cache_dir=cache_dir)
    rates = {}
    for name in ("cold", "warm"):
        start = time.perf_counter()
        data = prepare_data(root, config)
        seconds = time.perf_counter() - start + epoch_seconds(data.train)
        rates[name] = len(data.train_files) / seconds
    assert data.cache_stats.decoded == 0, "the warm start decoded photos again"
    rates["epoch"] = len(data.train_files) / min(epoch_seconds(data.train) for _ in range(3))
    return rates


def training_rate(variant: str, input_size: int, steps: int) -> float:
    """Images/s of train_on_batch (Adam, batch 16) after one warm-up step."""
    import keras

    from engine.model.config import ModelConfig
    from engine.model.densenet import build_densenet

    model = build_densenet(ModelConfig(variant, input_size=input_size, classes=4))
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    images = rng.uniform(0, 255, (BATCH, input_size, input_size, 3)).astype(np.float32)
    labels = rng.integers(0, 4, BATCH).astype(np.int32)
    model.train_on_batch(images, labels)
    start = time.perf_counter()
    for _ in range(steps):
        model.train_on_batch(images, labels)
    return steps * BATCH / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=400)
    parser.add_argument("--compact", default="densenet-bc-100-k12", help="compact variant trained at 32x32")
    parser.add_argument("--steps", type=int, default=2, help="timed train_on_batch steps for densenet121")
    args = parser.parse_args()
    cases = (("densenet121", 224, args.steps), (args.compact, 32, 5 * args.steps))
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as temp:
        root, cache_dir = Path(temp) / "photos", Path(temp) / "cache"
        write_photos(root, args.images)
        size_mb = sum(path.stat().st_size for path in root.rglob("*.jpg")) / 1e6
        print(f"{args.images} JPEG photos 640x480, {size_mb:.1f} MB, {os.cpu_count()} CPU cores, batch {BATCH}")
        results = []
        for variant, input_size, steps in cases:
            rates = pipeline_rates(root, cache_dir, input_size)
            results.append((variant, input_size, rates, training_rate(variant, input_size, steps)))
    print(f"{'input':>5}  {'pipeline images/s (cold / warm / epoch)':>40}  {'model':<22} {'train img/s':>11}  "
          f"{'ratio cold / warm / epoch':>26}")
    worst = float("inf")
    for variant, input_size, rates, train in results:
        ratios = [rate / train for rate in rates.values()]
        worst = min(worst, *ratios)
        print(f"{input_size:>5}  {' / '.join(f'{rate:8.1f}' for rate in rates.values()):>40}  {variant:<22} "
              f"{train:>11.1f}  {' / '.join(f'{ratio:6.1f}x' for ratio in ratios):>26}")
    verdict = "meets" if worst >= TARGET_RATIO else "MISSES"
    print(f"lowest ratio {worst:.1f}x: {verdict} the target of {TARGET_RATIO:g}x the training throughput")


if __name__ == "__main__":
    main()
