"""Float32 inference with TFLite's XNNPACK kernels, run by LiteRT (`ai-edge-litert`), the interpreter that
replaces TensorFlow's deprecated `tf.lite.Interpreter`: the same kernels, the same answers
(bench/litert_interpreter.py). Where no LiteRT wheel exists (Windows) TensorFlow's own interpreter runs.
Converted files are cached (engine.inference.converted_models); interpreters are made per batch size, so no resizing
between the single-photo and the full-batch calls.
"""

from __future__ import annotations

import os
import threading
import warnings
from pathlib import Path

import numpy as np

from engine.inference.converted_models import (
    cached_conversion,
    converted_folder,
    model_fingerprint,
    portable_copy,
)


def convert(model, path: Path) -> None:
    """Write `model` as a float32 `.tflite` file."""
    portable_copy(model).export(str(path), format="litert", verbose=False)


def tflite_model(model, folder: Path | None = None) -> bytes:
    """The model converted to a float32 TFLite flatbuffer, from the cache when it was converted before."""
    folder = Path(folder) if folder is not None else converted_folder()
    return cached_conversion(folder / f"{model_fingerprint(model)}.tflite", lambda path: convert(model, path))


def interpreter_class() -> type:
    """LiteRT's interpreter, or TensorFlow's deprecated one where LiteRT has no wheel."""
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        import tensorflow as tf

        return tf.lite.Interpreter
    return Interpreter


class TFLiteRunner:
    """Runs a TFLite image model (a classifier or a feature extractor) on pixel batches; one interpreter
    per batch size, so no resizing between the single-photo and the full-batch calls.

    `model` is the flatbuffer (from engine.inference.converted_models.cached_conversion) or a `.tflite` file's
    path, read once here; `interpreter` the interpreter class (default: interpreter_class()).
    """

    def __init__(self, model: bytes | Path, threads: int | None = None, interpreter: type | None = None):
        self.model = model if isinstance(model, bytes) else Path(model).read_bytes()
        self.threads = threads or os.cpu_count() or 1
        self._interpreter_class = interpreter or interpreter_class()
        self._interpreters: dict[int, object] = {}
        self._lock = threading.Lock()  # an interpreter runs one call at a time

    def _interpreter(self, count: int, shape: tuple[int, ...]):
        if count not in self._interpreters:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # where tf.lite's runs: its notice that LiteRT takes over
                interpreter = self._interpreter_class(model_content=self.model, num_threads=self.threads)
            interpreter.resize_tensor_input(interpreter.get_input_details()[0]["index"], [count, *shape])
            interpreter.allocate_tensors()
            self._interpreters[count] = interpreter
        return self._interpreters[count]

    def __call__(self, pixels: np.ndarray) -> np.ndarray:
        """The model's first output for `pixels` (N, size, size, channels), uint8 or float32 0-255."""
        with self._lock:
            interpreter = self._interpreter(len(pixels), pixels.shape[1:])
            interpreter.set_tensor(interpreter.get_input_details()[0]["index"], np.asarray(pixels, np.float32))
            interpreter.invoke()
            return interpreter.get_tensor(interpreter.get_output_details()[0]["index"]).copy()
