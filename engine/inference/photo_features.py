"""One vector per photo that puts look-alike photos near each other: what sorting suggestions learn from,
and what near-duplicate and outlier finding compare.

With a model, a photo's vector is the network's pooled features (the input of its classifier: the ImageNet
DenseNet's 1,024 describe what a photo shows); without one, a cheap offline vector of what the photo
looks like (its colours at 8 x 8, its colour histogram, the directions of its edges), which needs no
TensorFlow. A file that is no photo is left out with its reason, never fatal.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np

from engine.data.dataset import Skipped
from engine.data.images import ImageDecodeError, decode_image
from engine.model.config import POOL_LAYER, head_layer
from engine.runtime.stop import StopSignal

FeatureKind = Literal["model", "pixels"]
PIXELS_SIZE = 32  # the offline vector's decode size: JPEGs decode at 1/8 scale, the cheap part of the work
CHUNK = 32  # photos a chunk: one batch of the network, one progress step
DECODE_THREADS = 2


@dataclass(frozen=True)
class PhotoFeatures:
    """`matrix` row i describes `paths[i]`; `skipped` are the files that could not be read, with why."""

    paths: tuple[str, ...]
    matrix: np.ndarray  # (photos, width) float32
    skipped: tuple[Skipped, ...]
    kind: FeatureKind

    @staticmethod
    def joined(parts: Sequence[PhotoFeatures], kind: FeatureKind) -> PhotoFeatures:
        """The chunks of feature_chunks as one."""
        rows = [part.matrix for part in parts if len(part.paths)]
        width = rows[0].shape[1] if rows else 0
        return PhotoFeatures(tuple(path for part in parts for path in part.paths),
                             np.concatenate(rows) if rows else np.zeros((0, width), np.float32),
                             tuple(item for part in parts for item in part.skipped), kind)


def photo_features(paths: Sequence[str], classifier=None) -> PhotoFeatures:
    """A feature vector for each readable photo of `paths`, in order.

    Args:
        paths: photo files.
        classifier: an engine.inference.classifier.Classifier whose pooled features to use (TensorFlow
            runs, so call this where TensorFlow may); None for the offline vector.
    """
    kind: FeatureKind = "pixels" if classifier is None else "model"
    return PhotoFeatures.joined(list(feature_chunks(paths, classifier)), kind)


def feature_chunks(paths: Sequence[str], classifier=None, stop: StopSignal | None = None) -> Iterator[PhotoFeatures]:
    """photo_features in chunks of CHUNK photos, for a progress count; once `stop` is set, no further chunk."""
    size, channels = (PIXELS_SIZE, 3) if classifier is None else (classifier.input_size, classifier.channels)
    describe = pixel_features if classifier is None else _pooled_features(classifier)
    kind: FeatureKind = "pixels" if classifier is None else "model"
    with ThreadPoolExecutor(DECODE_THREADS, thread_name_prefix="features") as pool:
        for start in range(0, len(paths), CHUNK):
            if stop is not None and stop.is_set():
                return
            chunk = paths[start:start + CHUNK]
            decoded = list(pool.map(lambda path: _decode(path, size, channels), chunk))
            good = [(path, pixels) for path, pixels in zip(chunk, decoded) if isinstance(pixels, np.ndarray)]
            skipped = tuple(Skipped(path, reason) for path, reason in zip(chunk, decoded) if isinstance(reason, str))
            matrix = describe(np.stack([pixels for _, pixels in good])) if good else np.zeros((0, 0), np.float32)
            yield PhotoFeatures(tuple(path for path, _ in good), matrix.astype(np.float32), skipped, kind)


def _decode(path: str, size: int, channels: int) -> np.ndarray | str:
    """The pixels, or the reason this file cannot be used."""
    try:
        return decode_image(path, size, channels)
    except ImageDecodeError as error:
        return error.reason
    except OSError as error:
        return error.strerror or str(error)


def pixel_features(pixels: np.ndarray) -> np.ndarray:
    """The offline vector of uint8 photos (N, 32, 32, 3): colours at 8 x 8 (192), a 4 x 4 x 4 colour
    histogram (64) and an 8-direction edge histogram (8), each part scaled to unit length so none outweighs
    the others by its size."""
    photos = pixels.astype(np.float32) / 255.0
    count, size = len(photos), photos.shape[1]
    block = size // 8
    small = photos.reshape(count, 8, block, 8, block, 3).mean(axis=(2, 4)).reshape(count, -1)
    bins = np.minimum((photos * 4).astype(np.int64), 3)
    codes = (bins[..., 0] * 16 + bins[..., 1] * 4 + bins[..., 2]).reshape(count, -1)
    colours = np.stack([np.bincount(row, minlength=64) for row in codes]).astype(np.float32)
    grey = photos.mean(axis=-1)
    dy, dx = np.gradient(grey, axis=(1, 2))
    direction = ((np.arctan2(dy, dx) % np.pi) / np.pi * 8).astype(np.int64) % 8  # edges, not their sign
    strength = np.hypot(dx, dy)
    edges = np.stack([np.bincount(d.ravel(), weights=s.ravel(), minlength=8) for d, s in zip(direction, strength)])
    return np.concatenate([_unit(small), _unit(colours), _unit(edges)], axis=1)


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-8)


def _pooled_features(classifier):
    """pixels -> the features the classifier's head reads (its global average pool in the app's DenseNets)."""
    import keras
    import tensorflow as tf

    model = classifier.model
    try:
        pooled = model.get_layer(POOL_LAYER).output
    except ValueError:  # a plain Keras model: whatever its last layer reads
        pooled = head_layer(model).input
    extractor = keras.Model(model.input, pooled)
    shape = [None, classifier.input_size, classifier.input_size, classifier.channels]
    forward = tf.function(lambda pixels: extractor(pixels, training=False),
                          input_signature=[tf.TensorSpec(shape, tf.float32)])
    return lambda pixels: np.asarray(forward(pixels.astype(np.float32)), np.float32).reshape(len(pixels), -1)
