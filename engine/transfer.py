"""Transfer learning that is fast on a CPU: the frozen backbone sees each photo once.

Its pooled features are written to a `.npy` file on disk (memory-mapped, so memory stays bounded for any
folder size) and the classifier head trains on them for many epochs at the cost of a linear layer. The
optional fine-tune phase then unfreezes the top dense blocks of the full model, with every batch
normalisation layer frozen (Keras runs a non-trainable BatchNormalization in inference mode).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from engine.atomic import atomic_path
from engine.pretrained import Progress, imagenet_weights_file, load_imagenet_weights
from engine.train_config import IMAGENET, TrainConfig

HEAD_LAYER = "predictions"


def backbone_of(model: keras.Model) -> keras.Model:
    """The feature extractor inside a DenseNet classifier: same layers (shared weights), ends at avg_pool."""
    return keras.Model(model.inputs, model.get_layer("avg_pool").output, name=f"{model.name}_backbone")


def weights_file(config: TrainConfig, progress: Progress | None = None) -> Path:
    """The `.h5` to start from: the ImageNet file without classifier (cache or download, whose bytes go to
    `progress`), or the user's file."""
    picked = None if config.pretrained == IMAGENET else config.pretrained
    return imagenet_weights_file(config.variant, include_top=False, weights_path=picked, progress=progress)


def load_backbone_weights(model: keras.Model, path: Path) -> None:
    load_imagenet_weights(backbone_of(model), path)


def features_key(config: TrainConfig, fingerprint: str, weights: Path) -> str:
    """Names the cached features: they depend on the photos, the split, the network and its weights."""
    info = weights.stat()
    text = "\0".join(map(str, (fingerprint, config.variant, config.input_size, config.channels, config.val_split,
                                config.seed, weights.resolve(), info.st_size, info.st_mtime_ns)))
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def extract_features(
    backbone: keras.Model,
    dataset: tf.data.Dataset,
    count: int,
    path: Path,
    on_batch: Callable[[int], None],
    jit_compile: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of every photo of `dataset`, computed once and kept in `path` (+ `-labels.npy`).

    `on_batch(done)` follows progress and may raise to stop; an interrupted extraction leaves no file.
    """
    labels_path = path.with_name(path.stem + "-labels.npy")
    if path.is_file() and labels_path.is_file():
        return np.load(path, mmap_mode="r"), np.load(labels_path)
    width = int(backbone.output_shape[-1])
    forward = tf.function(lambda images: backbone(images, training=False), jit_compile=jit_compile)
    labels = np.zeros(count, dtype=np.int32)
    with atomic_path(path) as temporary:
        features = np.lib.format.open_memmap(temporary, mode="w+", dtype=np.float32, shape=(count, width))
        done = 0
        for images, batch_labels in dataset:
            size = int(batch_labels.shape[0])
            features[done : done + size] = forward(images).numpy()
            labels[done : done + size] = batch_labels.numpy()
            done += size
            on_batch(done)
        if done != count:
            raise RuntimeError(f"the dataset gave {done} photos, {count} expected")
        features.flush()
        del features
    with atomic_path(labels_path) as temporary:
        np.save(temporary, labels)
    return np.load(path, mmap_mode="r"), labels


def feature_batches(features: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool,
                    seed: int) -> tf.data.Dataset:
    """Batches read from the memory-mapped features (a fresh shuffle each epoch when `shuffle`)."""
    rng = np.random.default_rng(seed)
    count, width = features.shape

    def batches():
        order = rng.permutation(count) if shuffle else np.arange(count)
        for start in range(0, count, batch_size):
            rows = np.sort(order[start : start + batch_size])
            yield np.asarray(features[rows]), labels[rows]

    signature = (tf.TensorSpec((None, width), tf.float32), tf.TensorSpec((None,), tf.int32))
    dataset = tf.data.Dataset.from_generator(batches, output_signature=signature)
    return dataset.apply(tf.data.experimental.assert_cardinality(-(-count // batch_size))).prefetch(2)


def build_head(width: int, classes: int, dropout: float) -> keras.Model:
    """The classifier that trains on features; its layer has the full model's name, so weights copy over."""
    inputs = keras.Input((width,), name="features")
    x = keras.layers.Dropout(dropout, name="head_dropout")(inputs) if dropout else inputs
    outputs = keras.layers.Dense(classes, activation="softmax", name=HEAD_LAYER, dtype="float32")(x)
    return keras.Model(inputs, outputs, name="head")


def copy_head(head: keras.Model, model: keras.Model) -> None:
    model.get_layer(HEAD_LAYER).set_weights(head.get_layer(HEAD_LAYER).get_weights())


def top_block_prefixes(block_count: int, blocks: int) -> tuple[str, ...]:
    """Layer-name prefixes of the last `blocks` dense blocks and the transitions between them."""
    first = block_count + 2 - blocks  # dense blocks are conv2 .. conv{block_count + 1}
    dense = tuple(f"conv{index}_" for index in range(first, block_count + 2))
    transitions = tuple(f"pool{index}_" for index in range(first, block_count + 1))
    return dense + transitions


def freeze_for_fine_tune(model: keras.Model, block_count: int, blocks: int) -> None:
    """Only the top `blocks` dense blocks' convolutions and the classifier train; every BatchNormalization
    stays frozen in inference mode (small batches would ruin the ImageNet statistics), the ones nested in
    memory-efficient bottleneck layers too."""
    prefixes = top_block_prefixes(block_count, blocks)
    model.trainable = True
    for layer in model.layers:
        layer.trainable = layer.name == HEAD_LAYER or layer.name.startswith(prefixes)
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
