"""Transfer learning that is fast on a CPU: the frozen backbone sees each photo once.

Its pooled features are written to a `.npy` file on disk (memory-mapped, so memory stays bounded for any
folder size) and the classifier head trains on them for many epochs at the cost of a linear layer. The
optional fine-tune phase then unfreezes the top dense blocks of the full model, with every batch
normalisation layer frozen (Keras runs a non-trainable BatchNormalization in inference mode).

The features come from the fastest inference route the app has (feature_runtime): on a CPU the backbone
converted to ONNX and run by ONNX Runtime (converted once per variant, input size and weights file, see
ensure_backbone), on a GPU a TensorFlow function, XLA-compiled when the compute plan compiles.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from engine.data.pipeline import untuned
from engine.inference import onnx_runner, tflite_runner
from engine.inference.classifier import GRAPH, ONNX, ONNX_INT8, TFLITE, bfloat16_copy
from engine.inference.converted_models import cached_conversion, converted_folder
from engine.model.compute import settle
from engine.model.config import HEAD_LAYER, POOL_LAYER, ModelConfig
from engine.model.densenet import build_densenet
from engine.model.pretrained import Progress, imagenet_weights_file, load_imagenet_weights
from engine.model.variants import get_variant
from engine.runtime.keras_compat import all_layers
from engine.storage.atomic import is_sealed, read_sealed, sealed_path
from engine.training.train_config import IMAGENET_PRETRAINED, TrainConfig

# Raise when engine.model.densenet changes what a backbone computes: backbones converted before are then unused.
BACKBONE_VERSION = 1

Forward = Callable[[np.ndarray], np.ndarray]  # a batch of pixels (N, H, W, C) 0-255 -> features (N, width)


def backbone_of(model: keras.Model) -> keras.Model:
    """The feature extractor inside a DenseNet classifier: same layers (shared weights), ends at avg_pool."""
    return keras.Model(model.inputs, model.get_layer(POOL_LAYER).output, name=f"{model.name}_backbone")


def weights_file(config: TrainConfig, progress: Progress | None = None, fetch: bool = True) -> Path:
    """The `.h5` to start from: the ImageNet file without classifier (cache or, when `fetch`, download, whose
    bytes go to `progress`), or the user's file."""
    picked = None if config.pretrained == IMAGENET_PRETRAINED else config.pretrained
    return imagenet_weights_file(config.variant, include_top=False, weights_path=picked, progress=progress,
                                 fetch=fetch)


def load_backbone_weights(model: keras.Model, path: Path) -> None:
    load_imagenet_weights(backbone_of(model), path)


def _key(*parts) -> str:
    text = "\0".join(map(str, parts))
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _file_identity(path: Path) -> tuple:
    """A weights file as far as caches care: where it is, its size and modification time (no hashing of
    tens of megabytes on every training)."""
    info = path.stat()
    return path.resolve(), info.st_size, info.st_mtime_ns


def features_key(config: TrainConfig, fingerprint: str, weights: Path, arithmetic: str) -> str:
    """Names the cached features: they depend on the photos, the split, the network, its weights and the
    `arithmetic` that computed them (route and precision)."""
    return _key(fingerprint, config.variant, config.input_size, config.channels, config.val_split, config.seed,
                *_file_identity(weights), arithmetic)


def feature_runtime(setting: str) -> str:
    """The route that computes features: ONNX Runtime on a CPU, where it ran the backbone fastest
    (bench/transfer_learning.py); TensorFlow (GRAPH) on a GPU, whose kernels a CPU runtime would leave idle;
    or the route `setting` names."""
    route, _ = settle(setting, lambda device: (GRAPH, "a GPU") if device.is_gpu else (ONNX, "a CPU"))
    return route


def build_backbone(variant: str, input_size: int, channels: int, weights_path: Path) -> keras.Model:
    """The float32 feature extractor of `variant` (ends at avg_pool) with the weights of `weights_path`."""
    backbone = build_densenet(ModelConfig(variant, input_size, channels, include_top=False), pooling="avg")
    load_imagenet_weights(backbone, weights_path)
    return backbone


# route -> (how a backbone is converted for it, what runs the converted bytes)
CONVERTERS = {
    ONNX: (onnx_runner.convert, onnx_runner.OnnxRunner),
    TFLITE: (tflite_runner.convert, tflite_runner.TFLiteRunner),
}


def ensure_backbone(route: str, variant: str, input_size: int, channels: int, weights_path: Path | str,
                    cache_dir: Path | None = None, calibration: Callable[[], np.ndarray] | None = None) -> bytes:
    """The backbone converted for `route` (ONNX or TFLITE; the checked bytes its runner takes), converting it
    only if the studio cache lacks a whole copy.

    Keyed by variant, input size, channels, the weights file (path, size, modification time) and the
    TensorFlow and Keras versions, so a machine converts each backbone once. A conversion takes tens of seconds
    for DenseNet-121: call it ahead (a worker thread or process) once transfer learning is
    chosen; a training in the same process then waits for that conversion instead of repeating it. A
    conversion restores Python's `random` state when it ends, so beside a training in the same process it
    would make that training's initial weights depend on timing: for reproducible trainings convert in a thread
    only where none runs (the GUI trains in a child process). `cache_dir` is the studio cache folder
    (TrainConfig.cache_dir; None: the default one).

    ONNX_INT8 quantises the ONNX backbone, its activation ranges calibrated on the pixels `calibration` gives
    (a training's first photos): once per machine like the conversion, so later trainings reuse the ranges of
    the first one's photos.
    """
    weights_path = Path(weights_path)
    key = _key(BACKBONE_VERSION, get_variant(variant), input_size, channels, *_file_identity(weights_path),
               tf.__version__, keras.__version__)
    target = converted_folder(cache_dir) / f"backbone-{key}.{route}"
    if route == ONNX_INT8:
        floating = ensure_backbone(ONNX, variant, input_size, channels, weights_path, cache_dir)
        return cached_conversion(target, lambda path: onnx_runner.quantize(floating, calibration(), path))
    convert = CONVERTERS[route][0]
    return cached_conversion(target,
                             lambda path: convert(build_backbone(variant, input_size, channels, weights_path), path))


def converted_forward(route: str, backbone: bytes) -> Forward:
    """The runner of a converted backbone (ensure_backbone) on `route`."""
    return CONVERTERS[ONNX if route == ONNX_INT8 else route][1](backbone)


def graph_forward(backbone: keras.Model, jit_compile: bool, bfloat16: bool) -> Forward:
    """The backbone as one TensorFlow function (XLA-compiled when `jit_compile`), computing in bfloat16 when
    asked (classification's copy: float32 weights, input and features), as the compute plan trains."""
    network = bfloat16_copy(backbone) if bfloat16 else backbone
    signature = [tf.TensorSpec([None, *backbone.input_shape[1:]], tf.float32)]  # a last, smaller batch: no retrace
    forward = tf.function(lambda images: tf.cast(network(images, training=False), tf.float32),
                          input_signature=signature, jit_compile=jit_compile)
    return lambda images: forward(images).numpy()


def extract_features(
    make_forward: Callable[[], Forward],
    width: int,
    dataset: tf.data.Dataset,
    count: int,
    path: Path,
    on_batch: Callable[[int], None],
) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of every photo of `dataset`, computed once and kept in `path` (+ `-labels.npy`).

    `make_forward()` gives the batch function; it is called only when the features are not on disk yet
    (making it may convert the backbone). Both files are sealed (engine.storage.atomic) and checked before reuse, the
    features in chunks: damaged ones are computed again. The dataset's prefetching reads the next batch while
    one is computed, so the backbone does not wait for pixels. `on_batch(done)` follows progress and may raise to stop; an interrupted
    extraction leaves no file.
    """
    labels_path = path.with_name(path.stem + "-labels.npy")
    kept_labels = read_sealed(labels_path)
    if kept_labels is not None and is_sealed(path):
        return np.load(path, mmap_mode="r"), np.load(io.BytesIO(kept_labels))
    forward = make_forward()
    labels = np.zeros(count, dtype=np.int32)
    with sealed_path(path) as temporary:
        features = np.lib.format.open_memmap(temporary, mode="w+", dtype=np.float32, shape=(count, width))
        done = 0
        for images, batch_labels in dataset.as_numpy_iterator():
            size = len(batch_labels)
            features[done : done + size] = forward(images)
            labels[done : done + size] = batch_labels
            done += size
            on_batch(done)
        if done != count:
            raise RuntimeError(f"the dataset gave {done} photos, {count} expected")
        features.flush()
        del features
    with sealed_path(labels_path) as temporary:
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
    return untuned(dataset.apply(tf.data.experimental.assert_cardinality(-(-count // batch_size))).prefetch(2))


STANDARDISE_LAYER = "head_standardise"


def feature_statistics(features: np.ndarray, rows: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature mean and variance of the training features (a memory map: read in chunks).

    A variance is at least 1 % of the average one: a feature (nearly) constant on the training photos would
    otherwise be scaled up a hundredfold or more, and a photo on which it is not would get a wild answer.
    """
    total, squares = np.zeros(features.shape[1]), np.zeros(features.shape[1])
    for start in range(0, len(features), rows):
        chunk = np.asarray(features[start:start + rows], np.float64)
        total += chunk.sum(0)
        squares += np.square(chunk).sum(0)
    mean = total / max(len(features), 1)
    variance = np.maximum(squares / max(len(features), 1) - np.square(mean), 0)
    floor = 0.01 * variance.mean() if variance.any() else 1.0
    return mean.astype(np.float32), np.maximum(variance, floor).astype(np.float32)


def build_head(width: int, classes: int, dropout: float, mean: np.ndarray, variance: np.ndarray) -> keras.Model:
    """The classifier that trains on features, standardised first with the training features' `mean` and
    `variance`: pooled DenseNet features differ in scale by two orders of magnitude, which slows a linear
    layer's training (bench/int8_accuracy.py). Its classifier layer has the full model's name; copy_head
    folds the standardisation into it."""
    inputs = keras.Input((width,), name="features")
    x = keras.layers.Normalization(mean=mean, variance=variance, name=STANDARDISE_LAYER)(inputs)
    x = keras.layers.Dropout(dropout, name="head_dropout")(x) if dropout else x
    outputs = keras.layers.Dense(classes, activation="softmax", name=HEAD_LAYER, dtype="float32")(x)
    return keras.Model(inputs, outputs, name="head")


def copy_head(head: keras.Model, model: keras.Model) -> None:
    """The head's classifier into `model`'s, the standardisation folded in: W (x - m) / s + b is (W / s) x +
    (b - W m / s), so the full model keeps keras.applications' layers."""
    kernel, bias = head.get_layer(HEAD_LAYER).get_weights()
    if STANDARDISE_LAYER not in {layer.name for layer in head.layers}:  # saved by a version before it: resumed
        model.get_layer(HEAD_LAYER).set_weights([kernel, bias])
        return
    standardise = head.get_layer(STANDARDISE_LAYER)
    scale = 1.0 / np.maximum(np.sqrt(np.asarray(standardise.variance)), keras.backend.epsilon()).reshape(-1)
    mean = np.asarray(standardise.mean).reshape(-1)
    model.get_layer(HEAD_LAYER).set_weights([kernel * scale[:, None], bias - (mean * scale) @ kernel])


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
    for layer in all_layers(model):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
