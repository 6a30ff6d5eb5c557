"""Float32 inference with TFLite's XNNPACK kernels: on this kind of CPU the fastest route measured by
bench/inference_speed.py (faster than XLA-compiled TensorFlow and than keras' `predict`).

Converting a DenseNet takes about as long as one XLA compile, so converted files are cached under the
studio cache folder (engine.image_cache.default_cache_dir()/tflite): a classifier keyed by a hash of its
architecture, weights and the TensorFlow version (model_fingerprint), a transfer-learning backbone by its
weights file (engine.transfer.ensure_backbone_tflite). A model is converted once, later loads take a second.
Each `.tflite` is sealed with its SHA-256 (engine.atomic.sealed_path), checked on every load: a damaged or
truncated file is converted again, never run. The checked bytes are what the interpreters run, so a file that
changes after the check (interpreters are made per batch size, the last at a training's last batch) is never read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from engine.atomic import read_sealed, sealed_path
from engine.errors import WriteError

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def model_fingerprint(model) -> str:
    """A hash of what the model computes: its architecture, its weights and the converter's version."""
    import tensorflow as tf

    digest = hashlib.sha256(json.dumps(model.get_config(), sort_keys=True, default=str).encode())
    digest.update(tf.__version__.encode())
    for weight in model.weights:
        digest.update(np.ascontiguousarray(weight.numpy()).tobytes())
    return digest.hexdigest()[:32]


def tflite_folder(cache_dir: Path | None = None) -> Path:
    """Where converted models are kept: `tflite/` in the studio cache folder (default_cache_dir() unless given)."""
    from engine.image_cache import default_cache_dir

    return (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / "tflite"


def convert(model, path: Path) -> None:
    """Write `model` as a float32 `.tflite` file."""
    from engine.export import portable_copy

    portable_copy(model).export(str(path), format="litert", verbose=False)


def _lock(path: Path) -> threading.Lock:
    """One lock per cache entry, so a conversion started ahead in a thread is waited for, not repeated."""
    with _locks_guard:
        return _locks.setdefault(path, threading.Lock())


@contextlib.contextmanager
def _python_random_kept() -> Iterator[None]:
    """Conversion builds Keras layers, whose initialisers draw seeds from Python's `random`; restoring its
    state means a cold or a warm cache leaves the caller's later draws (a training's initial head) alike."""
    state = random.getstate()
    try:
        yield
    finally:
        random.setstate(state)


def cached_tflite(path: Path, write: Callable[[Path], None]) -> bytes:
    """The model in `path`, after `write(temporary)` converted it there unless a whole sealed copy exists.

    Atomic (engine.atomic): a killed conversion leaves no file; two processes converting at once each leave a
    whole one. The bytes returned are the checked ones: run them (TFLiteRunner), never the file again.
    """
    with _lock(path):
        content = read_sealed(path)
        if content is None:
            try:
                with _python_random_kept(), sealed_path(path) as temporary:
                    write(temporary)
                    content = temporary.read_bytes()
            except OSError as error:  # a full disk or a read-only cache: one line, the earlier entries kept
                raise WriteError(path, error) from None
    return content


def tflite_model(model, folder: Path | None = None) -> bytes:
    """The model converted to a float32 TFLite flatbuffer, from the cache when it was converted before."""
    folder = Path(folder) if folder is not None else tflite_folder()
    return cached_tflite(folder / f"{model_fingerprint(model)}.tflite", lambda path: convert(model, path))


class TFLiteRunner:
    """Runs a TFLite image model (a classifier or a feature extractor) on pixel batches; one interpreter
    per batch size, so no resizing between the single-photo and the full-batch calls.

    `model` is the flatbuffer (from cached_tflite) or a `.tflite` file's path, read once here.
    """

    def __init__(self, model: bytes | Path, threads: int | None = None):
        import tensorflow as tf

        self.model = model if isinstance(model, bytes) else Path(model).read_bytes()
        self.threads = threads or os.cpu_count() or 1
        self._interpreters: dict[int, tf.lite.Interpreter] = {}
        self._lock = threading.Lock()  # an interpreter runs one call at a time

    def _interpreter(self, count: int, shape: tuple[int, ...]):
        import tensorflow as tf

        if count not in self._interpreters:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # tf.lite's notice that LiteRT will take over the interpreter
                interpreter = tf.lite.Interpreter(model_content=self.model, num_threads=self.threads)
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
