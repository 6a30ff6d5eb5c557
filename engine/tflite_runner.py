"""Float32 inference with TFLite's XNNPACK kernels: on this kind of CPU the fastest route measured by
bench/inference_speed.py (faster than XLA-compiled TensorFlow and than keras' `predict`).

Converting a DenseNet takes about as long as one XLA compile, so the converted file is cached under the
studio cache folder (engine.image_cache.default_cache_dir()/tflite), keyed by a hash of the model's
architecture, weights and the TensorFlow version: a model is converted once, later loads take a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import warnings
from pathlib import Path

import numpy as np

from engine.atomic import atomic_path


def model_fingerprint(model) -> str:
    """A hash of what the model computes: its architecture, its weights and the converter's version."""
    import tensorflow as tf

    digest = hashlib.sha256(json.dumps(model.get_config(), sort_keys=True, default=str).encode())
    digest.update(tf.__version__.encode())
    for weight in model.weights:
        digest.update(np.ascontiguousarray(weight.numpy()).tobytes())
    return digest.hexdigest()[:32]


def tflite_file(model, cache_dir: Path | None = None) -> Path:
    """The model converted to a float32 `.tflite` file, from the cache when it was converted before."""
    from engine.export import portable_copy
    from engine.image_cache import default_cache_dir

    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir() / "tflite"
    path = folder / f"{model_fingerprint(model)}.tflite"
    if path.is_file():
        return path
    with atomic_path(path) as temporary:
        portable_copy(model).export(str(temporary), format="litert", verbose=False)
    return path


class TFLiteRunner:
    """Runs a `.tflite` classifier on uint8 pixel batches; one interpreter per batch shape, so no resizing
    between the single-photo and the full-batch calls."""

    def __init__(self, path: Path, threads: int | None = None):
        import tensorflow as tf

        self.path = Path(path)
        self.threads = threads or os.cpu_count() or 1
        self._interpreters: dict[int, tf.lite.Interpreter] = {}
        self._lock = threading.Lock()  # an interpreter runs one call at a time

    def _interpreter(self, count: int, shape: tuple[int, ...]):
        import tensorflow as tf

        if count not in self._interpreters:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # tf.lite's notice that LiteRT will take over the interpreter
                interpreter = tf.lite.Interpreter(model_path=str(self.path), num_threads=self.threads)
            interpreter.resize_tensor_input(interpreter.get_input_details()[0]["index"], [count, *shape])
            interpreter.allocate_tensors()
            self._interpreters[count] = interpreter
        return self._interpreters[count]

    def __call__(self, pixels: np.ndarray) -> np.ndarray:
        with self._lock:
            interpreter = self._interpreter(len(pixels), pixels.shape[1:])
            interpreter.set_tensor(interpreter.get_input_details()[0]["index"], pixels.astype(np.float32))
            interpreter.invoke()
            return interpreter.get_tensor(interpreter.get_output_details()[0]["index"]).copy()
