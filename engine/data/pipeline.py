"""The input pipeline for training and evaluation: folder -> cached decoded photos -> batched tf.data datasets.

Photos are decoded once into the on-disk cache (engine.data.image_cache); tf.data then streams the cache entries
with parallel reads, so memory holds a few batches, never the folder. The train/validation split is
stratified and seeded; a folder with its own val/ split keeps it. Batches are raw RGB 0-255 float32, which is
what the models take (normalisation and augmentation are layers inside the model).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import tensorflow as tf

from engine.data.data_config import DataConfig
from engine.data.dataset import (
    DatasetError,
    DatasetScan,
    DuplicateGroup,
    ImageFile,
    Progress,
    Skipped,
    dataset_fingerprint,
    find_duplicates,
    require_trainable,
    scan_dataset,
)
from engine.data.image_cache import CacheStats, ImageCache
from engine.data.trained_photos import DIGEST_HEX


@dataclass
class PreparedData:
    """Everything training needs from a folder. train/val yield (float32 (B, H, W, C) 0-255, int32 (B,))."""

    class_names: tuple[str, ...]
    train: tf.data.Dataset
    val: tf.data.Dataset | None
    train_files: tuple[ImageFile, ...]
    val_files: tuple[ImageFile, ...]
    class_weights: dict[int, float]
    skipped: tuple[Skipped, ...]
    fingerprint: str
    test_files: tuple[ImageFile, ...] = ()
    cache_stats: CacheStats = field(default_factory=CacheStats)
    # The content digests (engine.data.trained_photos) of the training photos as decoded: a photo edited after its
    # decoding counts by the content the network learnt from, not by what the file holds when the model is saved.
    train_digests: frozenset[str] = frozenset()


def _cache(config: DataConfig) -> ImageCache:
    return ImageCache(config.input_size, config.channels, config.cache_dir, config.cache_limit)


def release_cache(config: DataConfig) -> None:
    """The run that read photos through `config`'s cache has ended: keep its size limit now (ImageCache.release)."""
    _cache(config).release()


def cache_files(files: Sequence[ImageFile], config: DataConfig, progress: Progress | None = None,
                ) -> tuple[tuple[ImageFile, ...], tuple[Path, ...], tuple[Skipped, ...], CacheStats]:
    """Decode into the cache what is not there yet: (usable files in order, their cache entries, skipped, stats)."""
    cache = _cache(config)
    results = cache.store([file.path for file in files], progress)
    usable = tuple((file, result) for file, result in zip(files, results) if isinstance(result, Path))
    skipped = tuple(result for result in results if isinstance(result, Skipped))
    return tuple(file for file, _ in usable), tuple(entry for _, entry in usable), skipped, cache.stats


def entry_batches(entries: Sequence[Path], labels: Sequence[int], config: DataConfig,
                  shuffle: bool) -> tf.data.Dataset:
    """Batches of cache entries (from cache_files) with their labels, read as float pixels."""
    shape = (config.input_size, config.input_size, config.channels)

    def read(entry, label):  # the pixels, without the seal after them (checked by ImageCache.store)
        pixels = tf.io.decode_raw(tf.io.read_file(entry), tf.uint8)[: shape[0] * shape[1] * shape[2]]
        return tf.reshape(pixels, shape), label

    def to_float(images, labels):
        return tf.cast(images, tf.float32), labels

    dataset = tf.data.Dataset.from_tensor_slices(
        (tf.constant([str(entry) for entry in entries], tf.string), tf.constant(list(labels), tf.int32)))
    if shuffle:  # only names are shuffled, so the buffer holds every file at no memory cost
        dataset = dataset.shuffle(max(len(entries), 1), seed=config.seed, reshuffle_each_iteration=True)
    dataset = dataset.map(read, num_parallel_calls=tf.data.AUTOTUNE)
    dataset = dataset.batch(config.batch_size).map(to_float, num_parallel_calls=tf.data.AUTOTUNE)
    return untuned(dataset.prefetch(tf.data.AUTOTUNE))


def untuned(dataset: tf.data.Dataset) -> tf.data.Dataset:
    """`dataset` without tf.data's autotuning thread, for it and every dataset made from it.

    Deleting a finished iterator waits for that thread's sleep, which grows with the time the iterator ran;
    Keras makes a new iterator every epoch, so with autotuning some epochs took nearly twice as long as the
    others, and the transfer-learning feature pass stalled between its training and validation photos
    (docs/benchmarks/photo-pipeline.md). AUTOTUNE parallelism stays min(16, cores).
    """
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)


def dataset_from_files(files: Sequence[ImageFile], class_count: int, config: DataConfig,
                       shuffle: bool) -> tf.data.Dataset:
    """Batches of the usable `files` in their order (shuffled each epoch if `shuffle`); bad files are left out.

    Call cache_files first when the caller needs to know which files were usable (evaluation lists files).
    """
    bad_labels = [file for file in files if not 0 <= file.label < class_count]
    if bad_labels:
        raise DatasetError(f"{bad_labels[0].path}: label {bad_labels[0].label} is not one of {class_count} classes")
    usable, entries, _, _ = cache_files(files, config)
    return entry_batches(entries, [file.label for file in usable], config, shuffle)


def _by_path(file: ImageFile) -> str:
    return str(file.path)


def stratified_split(files: Sequence[ImageFile], val_split: float, seed: int,
                     copies: Sequence[DuplicateGroup] = ()) -> tuple[tuple[ImageFile, ...], tuple[ImageFile, ...]]:
    """(train, val): each class gives round(n * val_split) photos to val, chosen by `seed`; at least one stays.

    A photo of `copies` whose exact copy went to train goes to train too: validation never sees a training photo.
    """
    rng = random.Random(seed)
    by_label: dict[int, list[ImageFile]] = defaultdict(list)
    for file in sorted(files, key=_by_path):
        by_label[file.label].append(file)
    train, val = [], []
    for label in sorted(by_label):
        members = by_label[label]
        rng.shuffle(members)
        count = min(round(len(members) * val_split), len(members) - 1)
        val.extend(members[:count])
        train.extend(members[count:])
    in_train = {str(file.path) for file in train}
    leaked = {path for group in copies if in_train.intersection(group.paths) for path in group.paths}
    train.extend(file for file in val if str(file.path) in leaked)
    val = [file for file in val if str(file.path) not in leaked]
    return tuple(sorted(train, key=_by_path)), tuple(sorted(val, key=_by_path))


def balanced_class_weights(files: Sequence[ImageFile], class_count: int) -> dict[int, float]:
    """total / (classes x count) per class, as scikit-learn's "balanced": rare classes weigh more."""
    counts = Counter(file.label for file in files)
    return {label: len(files) / (class_count * counts[label]) if counts[label] else 0.0
            for label in range(class_count)}


def prepare_data(root: Path | str, config: DataConfig, progress: Progress | None = None) -> PreparedData:
    """Scan `root`, decode what the cache lacks, split, and build the train and validation datasets.

    `progress(done, total)` follows the decoding into the cache (the slow part on a first run).

    Raises:
        DatasetError: as engine.data.dataset.scan_dataset, after bad photos are left out.
    """
    found = scan_dataset(root, decode_check=False)
    usable, entries, skipped, stats = cache_files(found.files, config, progress)
    scan = DatasetScan(found.root, found.class_names, usable, found.skipped + skipped)
    require_trainable(scan)
    entry_of = dict(zip(usable, entries))
    train = tuple(file for file in usable if file.split in ("train", None))
    val = tuple(file for file in usable if file.split == "val")
    if not val:  # no val/ folder of its own: split the training photos
        train, val = stratified_split(train, config.val_split, config.seed, find_duplicates(scan))
    class_count = len(scan.class_names)

    def stream(files: tuple[ImageFile, ...], shuffle: bool) -> tf.data.Dataset:
        return entry_batches([entry_of[file] for file in files], [file.label for file in files], config, shuffle)

    return PreparedData(
        class_names=scan.class_names,
        train=stream(train, shuffle=True),
        val=stream(val, shuffle=False) if val else None,
        train_files=train,
        val_files=val,
        class_weights=balanced_class_weights(train, class_count),
        skipped=scan.skipped,
        fingerprint=dataset_fingerprint(scan),
        test_files=tuple(file for file in usable if file.split == "test"),
        cache_stats=stats,
        train_digests=frozenset(entry_of[file].stem[:DIGEST_HEX] for file in train),
    )

