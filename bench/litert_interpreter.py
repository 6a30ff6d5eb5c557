"""LiteRT's interpreter (`ai-edge-litert`) against TensorFlow's deprecated `tf.lite.Interpreter` on the same
converted DenseNet and the same batches: images/s, interleaved round by round in one process (compare the
ratio; the machine is shared), and the largest difference of their outputs.

    .venv/bin/python bench/litert_interpreter.py [--variant densenet121] [--size 224] [--batches 6] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from engine.model.config import ModelConfig  # noqa: E402  (the engine first: its TensorFlow environment)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="densenet121")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import keras
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter

    from engine.inference.tflite_runner import TFLiteRunner, tflite_model
    from engine.model.densenet import build_densenet

    keras.utils.set_random_seed(0)
    model = build_densenet(ModelConfig(args.variant, input_size=args.size))
    converted = tflite_model(model, Path(tempfile.mkdtemp(prefix="litert-bench-")))
    pixels = np.random.default_rng(0).uniform(0, 255, (args.batch, args.size, args.size, 3)).astype(np.float32)
    classes = {"tf.lite.Interpreter": tf.lite.Interpreter, "LiteRT": Interpreter}
    warned = {}
    for name, interpreter in classes.items():  # made once directly: the runner silences tf.lite's notice
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            interpreter(model_content=converted)
        warned[name] = "; ".join(str(warning.message).strip().splitlines()[0] for warning in caught) or "none"
    runners = {name: TFLiteRunner(converted, interpreter=interpreter) for name, interpreter in classes.items()}
    outputs = {name: runner(pixels) for name, runner in runners.items()}  # interpreters made, warmed up
    rates: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(args.rounds):
        for name, runner in runners.items():
            start = time.perf_counter()
            for _ in range(args.batches):
                runner(pixels)
            rates[name].append(args.batch * args.batches / (time.perf_counter() - start))
    print(f"{args.variant} at {args.size}, batch {args.batch}, {args.rounds} interleaved rounds of "
          f"{args.batches} batches (load {os.getloadavg()[0]:.1f}):")
    for name, values in rates.items():
        print(f"  {name:<20} {statistics.median(values):6.1f} images/s  (rounds: "
              f"{', '.join(f'{value:.1f}' for value in values)})")
    ratio = statistics.median(rates["LiteRT"]) / statistics.median(rates["tf.lite.Interpreter"])
    difference = float(np.max(np.abs(outputs["LiteRT"] - outputs["tf.lite.Interpreter"])))
    print(f"LiteRT / tf.lite: {ratio:.2f}x; max |difference| of outputs {difference:.1e}")
    for name, text in warned.items():
        print(f"warnings when {name} is made: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
