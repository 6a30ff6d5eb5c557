"""The cache of converted models (TFLite flatbuffers, ONNX graphs) under the studio cache folder.

Converting a DenseNet takes about as long as one XLA compile (bench/first_batch.py), so each converted file is
kept under `converted/` in the studio cache folder (engine.data.image_cache.default_cache_dir()): a classifier
keyed by a hash of its architecture, weights and the TensorFlow version (model_fingerprint), a
transfer-learning backbone by its weights file (engine.training.transfer.ensure_backbone). Each file is sealed
with its SHA-256 (engine.storage.atomic.sealed_path), checked on every load: a damaged or truncated file is
converted again, never run. The checked bytes are what the runtimes run, so a file that changes after the
check is never read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from engine.data.image_cache import default_cache_dir
from engine.errors import WriteError
from engine.storage.atomic import read_sealed, sealed_path
from engine.storage.private_folders import private_folder

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


def converted_folder(cache_dir: Path | None = None) -> Path:
    """Where converted models are kept: `converted/` in the studio cache folder (default_cache_dir() unless
    given), made owner-only (engine.storage.private_folders)."""
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    try:
        return private_folder(root / "converted", root)
    except OSError as error:  # a read-only or full disk
        raise WriteError(root / "converted", error) from None


def _lock(path: Path) -> threading.Lock:
    """One lock per cache entry, so a conversion started ahead in a thread is waited for, not repeated."""
    with _locks_guard:
        return _locks.setdefault(path, threading.Lock())


def portable_copy(model):
    """The same network with its Normalization layer as the equivalent Rescaling (x / std - mean / std).

    Normalization keeps mean and variance as captured tensors, which tf2onnx turns into extra ONNX inputs
    instead of constants; Rescaling's scale and offset are plain numbers written into the graph.
    """
    import keras

    def clone(layer):
        if isinstance(layer, keras.layers.Normalization):
            mean = np.asarray(layer.mean, np.float64).reshape(-1)
            std = np.sqrt(np.asarray(layer.variance, np.float64).reshape(-1))
            return keras.layers.Rescaling((1 / std).tolist(), (-mean / std).tolist(), name=layer.name)
        return layer.__class__.from_config(layer.get_config())

    copy = keras.models.clone_model(model, clone_function=clone)
    for layer in model.layers:
        if layer.weights and not isinstance(layer, keras.layers.Normalization):
            copy.get_layer(layer.name).set_weights(layer.get_weights())
    copy(np.zeros((1, *model.input_shape[1:]), np.float32), training=False)  # exporters need a called model
    return copy


@contextlib.contextmanager
def _python_random_kept() -> Iterator[None]:
    """Conversion builds Keras layers, whose initialisers draw seeds from Python's `random`; restoring its
    state means a cold or a warm cache leaves the caller's later draws (a training's initial head) alike."""
    state = random.getstate()
    try:
        yield
    finally:
        random.setstate(state)


def cached_conversion(path: Path, write: Callable[[Path], None]) -> bytes:
    """The converted model in `path`, after `write(temporary)` converted it there unless a whole sealed copy
    exists.

    Atomic (engine.storage.atomic): a killed conversion leaves no file; two processes converting at once each leave a
    whole one. The bytes returned are the checked ones: run them, never the file again.
    """
    with _lock(path):
        try:
            private_folder(path.parent, path.parent)  # a planted model in a folder others can write is never run
        except OSError as error:
            raise WriteError(path.parent, error) from None
        content = read_sealed(path)
        if content is None:
            try:
                with _python_random_kept(), sealed_path(path) as temporary:
                    write(temporary)
                    content = temporary.read_bytes()
            except OSError as error:  # a full disk or a read-only cache: one line, the earlier entries kept
                raise WriteError(path, error) from None
    return content
