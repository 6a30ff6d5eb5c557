"""The input pipeline on real image folders: cache reuse, streaming from disk, stratified seeded split,
class weights, and augmentation layers that act only in training and survive safe-mode loading."""

import os
import shutil
from collections import Counter
from pathlib import Path

import keras
import numpy as np
import pytest

from engine.data.augment import AugmentConfig, build_augmentation
from engine.data.dataset import DatasetError, ImageFile, Skipped, scan_dataset
from engine.data.image_cache import CacheError, ImageCache, default_cache_dir
from engine.data.images import ImageDecodeError, decode_image
from engine.data.pipeline import DataConfig, balanced_class_weights, cache_files, dataset_from_files, prepare_data
from tests.image_files import class_picture, make_class_folders, write_image


def _batches(dataset):
    images, labels = zip(*((x.numpy(), y.numpy()) for x, y in dataset))
    return np.concatenate(images), np.concatenate(labels)


@pytest.fixture
def pets(tmp_path):
    root = make_class_folders(tmp_path / "pets", ("cat", "dog", "고양이"), per_class=10, size=24, kind="jpeg")
    write_image(root / "dog" / "broken.jpg", "truncated")
    write_image(root / "cat" / "empty.jpg", "empty")
    return root


def test_batches_are_raw_pixels_of_the_decoded_photos(pets, tmp_path):
    config = DataConfig(input_size=16, batch_size=4, val_split=0.2, cache_dir=tmp_path / "cache")
    data = prepare_data(pets, config)
    assert data.class_names == ("cat", "dog", "고양이")
    assert {os.path.basename(item.path) for item in data.skipped} == {"broken.jpg", "empty.jpg"}
    images, labels = _batches(data.val)
    assert images.dtype == np.float32 and images.shape == (len(data.val_files), 16, 16, 3)
    assert labels.dtype == np.int32 and list(labels) == [file.label for file in data.val_files]
    expected = np.stack([decode_image(file.path, 16) for file in data.val_files]).astype(np.float32)
    np.testing.assert_array_equal(images, expected)
    assert len(data.fingerprint) == 64


def test_second_run_decodes_nothing_and_remembers_bad_files(pets, tmp_path):
    config = DataConfig(input_size=16, cache_dir=tmp_path / "cache")
    first = prepare_data(pets, config)
    assert (first.cache_stats.decoded, first.cache_stats.hits, first.cache_stats.failed) == (30, 0, 2)
    second = prepare_data(pets, config)
    assert (second.cache_stats.decoded, second.cache_stats.hits, second.cache_stats.failed) == (0, 30, 2)
    assert second.skipped == first.skipped and second.fingerprint == first.fingerprint
    np.testing.assert_array_equal(_batches(first.val)[0], _batches(second.val)[0])

    photo = pets / "cat" / "003.jpg"  # an edited photo is decoded again, and only it
    write_image(photo, "jpeg")
    os.utime(photo, ns=(photo.stat().st_atime_ns, photo.stat().st_mtime_ns + 10**9))
    assert prepare_data(pets, config).cache_stats.decoded == 1
    bigger = prepare_data(pets, DataConfig(input_size=20, cache_dir=tmp_path / "cache"))
    assert bigger.cache_stats.decoded == 30  # another input size is another entry


def test_training_batches_stream_from_the_cache_files(pets, tmp_path):
    """Memory stays bounded: each epoch reads the entries from disk, nothing of the folder is held in memory."""
    config = DataConfig(input_size=8, batch_size=5, val_split=0.0, cache_dir=tmp_path / "cache")
    data = prepare_data(pets, config)
    assert data.val is None and len(data.train_files) == 30
    cache = ImageCache(8, 3, tmp_path / "cache")
    entries = cache.store([file.path for file in data.train_files])
    assert cache.stats.hits == 30
    for entry in entries:
        entry.write_bytes(bytes(8 * 8 * 3))  # all black now, written after the dataset was built
    images, _ = _batches(data.train)
    assert images.shape == (30, 8, 8, 3) and images.max() == 0


def test_train_order_is_reshuffled_each_epoch_and_seeded(pets, tmp_path):
    config = DataConfig(input_size=8, batch_size=8, cache_dir=tmp_path / "cache")
    data = prepare_data(pets, config)
    epoch_one, epoch_two = _batches(data.train)[1], _batches(data.train)[1]
    assert sorted(epoch_one) == sorted(epoch_two) and list(epoch_one) != list(epoch_two)
    again = prepare_data(pets, config)
    assert list(_batches(again.train)[1]) == list(epoch_one)


def test_datasets_run_without_the_autotuning_thread(pets, tmp_path):
    """tf.data's autotuning thread makes deleting a finished iterator wait for its sleep (about 20 s between
    the feature pass's training and validation photos: bench/transfer_learning.py); the engine's datasets, and
    those made from them, leave it off."""
    from engine.training.transfer import feature_batches

    data = prepare_data(pets, DataConfig(input_size=8, batch_size=4, cache_dir=tmp_path / "cache"))
    augmented = data.train.map(lambda images, labels: (images + 1, labels))
    features = feature_batches(np.zeros((6, 3), np.float32), np.zeros(6, np.int32), 4, shuffle=True, seed=0)
    assert [dataset.options().autotune.enabled for dataset in (data.train, data.val, augmented, features)] == [
        False] * 4


def test_split_is_stratified_and_seeded(tmp_path):
    root = make_class_folders(tmp_path / "pets", ("cat",), per_class=20, size=8)
    make_class_folders(root, ("dog",), per_class=10, size=8, seed=30)
    config = DataConfig(input_size=8, val_split=0.2, seed=7, cache_dir=tmp_path / "cache")
    data = prepare_data(root, config)
    assert Counter(file.label for file in data.val_files) == {0: 4, 1: 2}
    assert Counter(file.label for file in data.train_files) == {0: 16, 1: 8}
    assert not set(data.val_files) & set(data.train_files)
    assert prepare_data(root, config).val_files == data.val_files
    other = prepare_data(root, DataConfig(input_size=8, val_split=0.2, seed=8, cache_dir=tmp_path / "cache"))
    assert other.val_files != data.val_files
    assert data.class_weights == pytest.approx({0: 0.75, 1: 1.5})  # 24 / (2 x 16), 24 / (2 x 8)


def test_exact_copies_never_straddle_the_split(tmp_path):
    root = make_class_folders(tmp_path / "pets", per_class=8, size=8)
    copies = {root / "cat" / "000.png", root / "cat" / "copy_a.png", root / "cat" / "copy_b.png"}
    for copy in copies - {root / "cat" / "000.png"}:
        shutil.copy(root / "cat" / "000.png", copy)
    for seed in range(6):
        data = prepare_data(root, DataConfig(input_size=8, val_split=0.5, seed=seed, cache_dir=tmp_path / "c"))
        in_val = {file.path for file in data.val_files} & copies
        assert in_val in (set(), copies)


def test_grayscale_batches_have_one_channel(pets, tmp_path):
    data = prepare_data(pets, DataConfig(input_size=8, channels=1, batch_size=4, cache_dir=tmp_path / "cache"))
    images, _ = next(iter(data.train))
    assert images.shape == (4, 8, 8, 1)


def test_an_unwritable_cache_is_a_clear_error(pets, tmp_path):
    (tmp_path / "file").write_text("a file where the cache folder should be")
    with pytest.raises(CacheError, match="cannot write the image cache"):
        prepare_data(pets, DataConfig(input_size=8, cache_dir=tmp_path / "file"))


def test_a_folder_with_its_own_val_split_keeps_it(tmp_path):
    make_class_folders(tmp_path / "data" / "train", ("cat", "dog"), per_class=4, size=8)
    make_class_folders(tmp_path / "data" / "val", ("cat", "dog"), per_class=2, size=8, seed=40)
    make_class_folders(tmp_path / "data" / "test", ("cat", "dog"), per_class=1, size=8, seed=80)
    data = prepare_data(tmp_path / "data", DataConfig(input_size=8, val_split=0.5, cache_dir=tmp_path / "c"))
    assert {file.split for file in data.train_files} == {"train"} and len(data.train_files) == 8
    assert {file.split for file in data.val_files} == {"val"} and len(data.val_files) == 4
    assert len(data.test_files) == 2


def test_a_class_whose_photos_all_fail_to_decode_is_a_clear_error(tmp_path):
    root = make_class_folders(tmp_path / "pets", ("cat",), per_class=3, size=8)
    write_image(root / "dog" / "a.jpg", "corrupt")
    with pytest.raises(DatasetError, match="'dog' has no usable image"):
        prepare_data(root, DataConfig(input_size=8, cache_dir=tmp_path / "cache"))


def test_dataset_from_files_keeps_the_usable_files_in_order(pets, tmp_path):
    config = DataConfig(input_size=8, batch_size=7, cache_dir=tmp_path / "cache")
    scan = scan_dataset(pets, decode_check=False)
    usable, _, skipped, _ = cache_files(scan.files, config)
    assert len(usable) == 30 and len(skipped) == 2
    _, labels = _batches(dataset_from_files(scan.files, 3, config, shuffle=False))
    assert list(labels) == [file.label for file in usable]


def test_balanced_class_weights_follow_the_counts(pets):
    files = scan_dataset(pets, decode_check=False).files  # 11 cats and 11 dogs (a bad file each), 10 고양이
    assert Counter(file.label for file in files[:25]) == {0: 11, 1: 11, 2: 3}
    # 25 photos / (3 classes x count): 25/33 for the common classes, 25/9 for the rare one
    assert balanced_class_weights(files[:25], 3) == pytest.approx({0: 0.7575757, 1: 0.7575757, 2: 2.7777778})
    assert balanced_class_weights(files[:22], 3) == pytest.approx({0: 0.6666667, 1: 0.6666667, 2: 0.0})  # no 고양이


def test_default_cache_dir_follows_xdg_and_the_override(monkeypatch, tmp_path):
    monkeypatch.delenv("DENSENET_STUDIO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "densenet-studio"
    monkeypatch.setenv("DENSENET_STUDIO_CACHE", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"


def test_augmentation_acts_only_in_training_and_loads_in_safe_mode(tmp_path):
    images = np.random.default_rng(0).uniform(0, 255, (4, 16, 16, 3)).astype(np.float32)
    augmentation = build_augmentation(AugmentConfig(seed=3))
    assert augmentation.name == "augmentation"
    assert np.abs(augmentation(images, training=True).numpy() - images).max() > 1
    np.testing.assert_array_equal(augmentation(images, training=False).numpy(), images)
    inputs = keras.Input((16, 16, 3))
    outputs = keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(augmentation(inputs)))
    model = keras.Model(inputs, outputs)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    assert [layer.name for layer in loaded.get_layer("augmentation").layers] == [
        "augment_flip", "augment_rotation", "augment_zoom", "augment_contrast"]
    np.testing.assert_allclose(loaded.predict(images, verbose=0), model.predict(images, verbose=0), rtol=1e-5)


def test_augmentation_is_configurable(tmp_path):
    images = np.random.default_rng(1).uniform(0, 255, (2, 8, 8, 3)).astype(np.float32)
    off = build_augmentation(AugmentConfig(enabled=False))
    np.testing.assert_array_equal(off(images, training=True).numpy(), images)
    flip_only = build_augmentation(AugmentConfig(rotation=0.0, zoom=0.0, contrast=0.0))
    assert [layer.name for layer in flip_only.layers] == ["augment_flip"]


def test_prepared_batches_train_a_keras_model_with_class_weights(pets, tmp_path):
    data = prepare_data(pets, DataConfig(input_size=16, batch_size=8, cache_dir=tmp_path / "cache"))
    inputs = keras.Input((16, 16, 3))
    hidden = keras.layers.Rescaling(1 / 255)(build_augmentation(AugmentConfig(seed=1))(inputs))
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.GlobalAveragePooling2D()(hidden))
    model = keras.Model(inputs, outputs)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(data.train, validation_data=data.val, epochs=2, class_weight=data.class_weights, verbose=0)
    assert len(history.history["val_loss"]) == 2 and np.isfinite(history.history["loss"]).all()


def _pixels_served(paths, config):
    """The pixels training would get for `paths` (through the cache), or the reasons they were skipped."""
    usable, entries, skipped, _ = cache_files([ImageFile(Path(path), 0) for path in paths], config)
    images = _batches(dataset_from_files(usable, 1, config, shuffle=False))[0] if usable else None
    return images, [item.reason for item in skipped]


def test_a_damaged_cache_entry_is_decoded_again_never_used(tmp_path):
    red = write_image(tmp_path / "red.png", "png", class_picture(0, 24))
    blue = write_image(tmp_path / "blue.png", "png", class_picture(2, 24))
    config = DataConfig(input_size=16, cache_dir=tmp_path / "cache")
    cache = ImageCache(16, 3, tmp_path / "cache")
    red_entry, blue_entry = cache.store([red, blue])
    red_entry.write_bytes(blue_entry.read_bytes())  # another photo's pixels, the same size
    images, _ = _pixels_served([red], config)
    np.testing.assert_array_equal(images[0], decode_image(red, 16))

    broken = write_image(tmp_path / "broken.jpg", "truncated")
    cache.store([broken])
    (bad_entry,) = (tmp_path / "cache").rglob("*.bad")
    bad_entry.write_bytes(b"\xff\xfe garbage")
    with pytest.raises(ImageDecodeError) as decoding:
        decode_image(broken, 16)
    assert _pixels_served([broken], config)[1] == [decoding.value.reason]


def test_a_photo_rewritten_with_the_same_size_and_time_is_decoded_again(tmp_path):
    photo = write_image(tmp_path / "photo.bmp", "bmp", class_picture(0, 24))
    before = photo.stat()
    config = DataConfig(input_size=16, cache_dir=tmp_path / "cache")
    _pixels_served([photo], config)
    write_image(photo, "bmp", class_picture(2, 24))  # a BMP of the same size: the same number of bytes
    os.utime(photo, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert photo.stat().st_size == before.st_size and photo.stat().st_mtime_ns == before.st_mtime_ns
    images, _ = _pixels_served([photo], config)
    np.testing.assert_array_equal(images[0], decode_image(photo, 16))


@pytest.mark.parametrize("change", ["permissions", "content", "size", "time"])
def test_a_remembered_decode_failure_is_retried_when_the_bytes_change(tmp_path, change):
    good = write_image(tmp_path / "good.bmp", "bmp", class_picture(1, 24)).read_bytes()
    photo = tmp_path / "photo.bmp"
    photo.write_bytes(b"XX" + good[2:])  # no BMP signature: not an image, the size of a good one
    before = photo.stat()
    cache = ImageCache(16, 3, tmp_path / "cache")
    assert isinstance(cache.store([photo])[0], Skipped)
    (verdict,) = (tmp_path / "cache").rglob("*.bad")
    written = verdict.stat().st_ino  # a new verdict is a new file (written beside, then renamed)
    if change == "permissions":
        photo.chmod(0o600)
    elif change == "content":
        photo.write_bytes(good)
        os.utime(photo, ns=(before.st_atime_ns, before.st_mtime_ns))
    elif change == "size":
        photo.write_bytes(photo.read_bytes() + b"\0")
    else:
        os.utime(photo, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
    (result,) = cache.store([photo])
    assert cache.stats.hashed == 1 and cache.stats.hits == 0  # its stat changed: hashed again
    assert isinstance(result, Path) == (change == "content")
    assert len(list((tmp_path / "cache").rglob("*.bad"))) == (2 if change == "size" else 1)
    assert verdict.stat().st_ino == written  # the same bytes keep their verdict, without decoding
