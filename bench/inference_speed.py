"""Classification speed of DenseNet-121 at 224x224: DenseNet Studio's routes against keras' `model.predict`.

Photos: generated JPEGs (640x480) in a temporary folder. Reference: `keras.applications.DenseNet121`
(random weights, the same weights copied into DenseNet Studio's model) called with `model.predict` on the
same photos decoded beforehand, one call per batch of 16. Routes, interleaved round by round so that load
from other processes hits all of them alike (compare the ratios, not the absolute numbers):

  onnx-b16     classify(folder): decode in 2 threads ahead of float32 ONNX Runtime inference, batch 16
  onnx-b32     the same with batch 32
  tflite-b16   the same with float32 TFLite (XNNPACK)
  tflite-b32   the same with batch 32
  xla-b16      the same with XLA-compiled TensorFlow, float32
  graph-b16    the same with a plain tf.function (no XLA)
  bf16-b16     XLA with bfloat16 compute, only where the CPU has AVX-512 BF16 or AMX (else skipped)
  bf16-graph-b16  a plain tf.function with bfloat16 compute, likewise

Also: top-1 agreement of bfloat16 with float32 on the photos (computed even where bfloat16 is only
emulated, since agreement does not depend on the hardware), and the warm latency of one photo
(decode + inference + result) through classify(), median and 95th percentile.

Run: .venv/bin/python bench/inference_speed.py [--photos 96] [--rounds 2]
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

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

FLOAT32_CEILING = 35.0  # images/s, ../shared/REFERENCE.md: 199 GFLOP/s matmul peak / 5.74 GFLOP per image


def write_photos(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """Photo-like JPEGs: smooth colour gradients, a few blobs and sensor noise, 640x480."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:480, 0:640].astype(np.float32)
    paths = []
    for index in range(count):
        base = rng.uniform(0, 255, 3) + np.stack([rows / 480, cols / 640, (rows + cols) / 1120], -1) * rng.uniform(
            -120, 120, 3)
        for _ in range(4):
            cy, cx, radius = rng.uniform(0, 480), rng.uniform(0, 640), rng.uniform(30, 160)
            mask = ((rows - cy) ** 2 + (cols - cx) ** 2 < radius**2)[..., None]
            base = np.where(mask, rng.uniform(0, 255, 3), base)
        pixels = np.clip(base + rng.normal(0, 8, base.shape), 0, 255).astype(np.uint8)
        path = folder / f"photo_{index:04d}.jpg"
        Image.fromarray(pixels).save(path, quality=90)
        paths.append(path)
    return paths


def reference_model():
    import keras

    from engine.model.config import ModelConfig
    from engine.model.densenet import build_densenet

    keras.utils.set_random_seed(0)
    reference = keras.applications.DenseNet121(weights=None)
    ours = build_densenet(ModelConfig("densenet121"))
    for layer in reference.layers:
        if layer.weights:
            ours.get_layer(layer.name).set_weights(layer.get_weights())
    return reference, ours


def time_reference(reference, batches: list[np.ndarray]) -> float:
    from keras.applications.densenet import preprocess_input

    inputs = [preprocess_input(batch.astype(np.float32)) for batch in batches]
    start = time.perf_counter()
    for batch in inputs:
        reference.predict(batch, batch_size=len(batch), verbose=0)
    return time.perf_counter() - start


def time_classify(classifier, folder: Path) -> tuple[float, list]:
    from engine.inference.classifier import classify

    start = time.perf_counter()
    results = list(classify([folder], classifier, top_k=1))
    return time.perf_counter() - start, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=96)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--latency-runs", type=int, default=30)
    args = parser.parse_args()

    from engine.inference.classifier import (
        GRAPH,
        ONNX,
        TFLITE,
        XLA,
        Classifier,
        InferenceSettings,
        classify,
    )
    from engine.model.compute import BFLOAT16, FLOAT32, detect_device

    folder = Path(tempfile.mkdtemp(prefix="densenet-bench-"))
    paths = write_photos(folder, args.photos)
    reference, ours = reference_model()
    from engine.data.images import decode_image

    decoded = np.stack([decode_image(path, 224) for path in paths])
    batches = [decoded[start:start + 16] for start in range(0, len(decoded), 16)]
    native_bf16 = detect_device().fast_bfloat16
    print(f"{args.photos} JPEG photos 640x480, DenseNet-121 224x224, random weights; bfloat16 native: {native_bf16}")

    os.environ["DENSENET_STUDIO_CACHE"] = str(folder / "cache")  # ONNX's and TFLite's warm-ups: their conversion
    routes = {
        "onnx-b16": InferenceSettings(batch_size=16, runtime=ONNX),
        "onnx-b32": InferenceSettings(batch_size=32, runtime=ONNX),
        "tflite-b16": InferenceSettings(batch_size=16, runtime=TFLITE),
        "tflite-b32": InferenceSettings(batch_size=32, runtime=TFLITE),
        "xla-b16": InferenceSettings(batch_size=16, runtime=XLA, precision=FLOAT32),
        "graph-b16": InferenceSettings(batch_size=16, runtime=GRAPH, precision=FLOAT32),
    }
    if native_bf16:
        routes["bf16-b16"] = InferenceSettings(batch_size=16, runtime=XLA, precision=BFLOAT16)
        routes["bf16-graph-b16"] = InferenceSettings(batch_size=16, runtime=GRAPH, precision=BFLOAT16)
    classifiers = {}
    for name, settings in routes.items():
        classifiers[name] = Classifier(ours, ["c"] * 1000, name, settings)
        print(f"  warm-up {name}: {classifiers[name].warmup_seconds:.1f} s", flush=True)
    reference.predict(batches[0], verbose=0)

    seconds: dict[str, list[float]] = {name: [] for name in ["keras-predict", *routes]}
    for round_index in range(args.rounds):
        seconds["keras-predict"].append(time_reference(reference, batches))
        for name, classifier in classifiers.items():
            seconds[name].append(time_classify(classifier, folder)[0])
        print(f"  round {round_index + 1}: " + ", ".join(
            f"{name} {args.photos / values[-1]:.1f}/s" for name, values in seconds.items()), flush=True)

    rate = {name: args.photos / min(values) for name, values in seconds.items()}
    baseline = rate["keras-predict"]
    print("\nthroughput (best round), images/s, ratio to keras model.predict, share of float32 ceiling 35/s:")
    for name, value in rate.items():
        print(f"  {name:14s} {value:6.1f}   x{value / baseline:4.2f}   {100 * value / FLOAT32_CEILING:5.1f}%")
    winner = max(routes, key=lambda name: rate[name])
    print(f"fastest route: {winner}")

    probe = decoded[: min(len(decoded), 64)]
    float32_top = classifiers["xla-b16"].predict(probe).argmax(1)
    bf16 = classifiers.get("bf16-b16") or Classifier(
        ours, ["c"] * 1000, "bf16", InferenceSettings(runtime=XLA, precision=BFLOAT16))
    start = time.perf_counter()
    bf16_top = bf16.predict(probe).argmax(1)
    emulated = "" if native_bf16 else f" (emulated: {len(probe) / (time.perf_counter() - start):.1f} images/s)"
    agreement = float((float32_top == bf16_top).mean())
    print(f"bfloat16 top-1 agreement with float32: {100 * agreement:.1f}% of {len(probe)} photos{emulated}")

    best = classifiers[winner]
    latencies, cpu = [], []
    for index in range(args.latency_runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        list(classify([paths[index % len(paths)]], best, top_k=3))
        latencies.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.process_time() - start_cpu))
    p95 = float(np.percentile(latencies, 95))
    print(f"latency, one photo warm ({winner}, {args.latency_runs} runs): "
          f"median {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms; "
          f"CPU time per photo median {statistics.median(cpu):.0f} ms (load-independent: work, not waiting)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
