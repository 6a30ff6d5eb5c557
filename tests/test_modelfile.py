"""Model files: metadata round trip, identical predictions, atomic writes, refusal of unsafe or broken files."""

import json
import os
import tracemalloc
import zipfile

import keras
import numpy as np
import pytest

from engine.errors import ModelFileError
from engine.model.config import ModelConfig
from engine.model.densenet import build_densenet
from engine.model.modelfile import MODEL_FORMAT, EpochRecord, ModelMetadata, load_model, read_metadata, save_model


@pytest.fixture(scope="module")
def small_model():
    keras.utils.set_random_seed(3)
    return build_densenet(ModelConfig("densenet-bc-40-k12", input_size=32, classes=2))


def test_round_trip_predicts_exactly_as_before(tmp_path, small_model):
    path = save_model(small_model, tmp_path / "pets.keras", ModelMetadata(("고양이", "dog"), 32))
    batch = np.random.default_rng(1).uniform(0, 255, (3, 32, 32, 3)).astype("float32")
    loaded = load_model(path)
    assert loaded.class_names == ["고양이", "dog"]
    assert loaded.input_size == 32 and loaded.channels == 3
    np.testing.assert_array_equal(loaded.model.predict(batch, verbose=0), small_model.predict(batch, verbose=0))
    assert read_metadata(path).class_names[0] == "고양이"
    assert [p.name for p in tmp_path.iterdir()] == ["pets.keras"]  # no temporary file left behind


def test_failed_save_keeps_the_previous_file(tmp_path, small_model, monkeypatch):
    path = save_model(small_model, tmp_path / "m.keras", ModelMetadata(("first",)))

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full_disk)
    with pytest.raises(ModelFileError, match="No space left"):
        save_model(small_model, path, ModelMetadata(("second",)))
    monkeypatch.undo()
    assert read_metadata(path) == ModelMetadata(("first",))
    assert [p.name for p in tmp_path.iterdir()] == ["m.keras"]



def test_metadata_has_one_writer_and_one_reader_that_refuses_a_newer_format(tmp_path, small_model):
    history = (EpochRecord("train", 1, 0.7, 0.5, 0.6, 0.55, 1e-3, 2.5),)
    written = ModelMetadata(("a", "b"), 32, 3, "densenet-bc-40-k12", {"epochs": 1}, "CPU", history, best_epoch=1,
                            train_images=8, val_images=2, best_val_accuracy=0.55, test_time_flip=True)
    good = save_model(small_model, tmp_path / "good.keras", written)
    assert read_metadata(good) == written and load_model(good).metadata == written
    stored = json.loads(written.to_json())
    assert stored["format"] == MODEL_FORMAT and stored["history"][0]["val_accuracy"] == 0.55
    later_field = tmp_path / "later-field.keras"  # a field of a later release of the same format: ignored
    _rewritten(good, later_field, "studio.json",
               lambda entry: entry.write(json.dumps({**stored, "notes": "x"}).encode()))
    assert read_metadata(later_field) == written
    newer = tmp_path / "newer.keras"
    _rewritten(good, newer, "studio.json",
               lambda entry: entry.write(json.dumps({**stored, "format": "densenet-studio/2"}).encode()))
    for reader in (read_metadata, load_model):
        with pytest.raises(ModelFileError, match=r"newer.keras: written by a newer version of DenseNet Studio "
                                                 r"\(format densenet-studio/2\); update the app to open it"):
            reader(newer)

def test_lambda_layer_is_refused(tmp_path):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 2)(inputs))
    model.save(tmp_path / "evil.keras")
    with pytest.raises(ModelFileError, match="refused"):
        load_model(tmp_path / "evil.keras")


def test_truncated_and_foreign_files_are_refused(tmp_path, small_model):
    good = save_model(small_model, tmp_path / "good.keras", ModelMetadata())
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(good.read_bytes()[:4000])
    with pytest.raises(ModelFileError, match="truncated"):
        load_model(truncated)
    text = tmp_path / "notes.keras"
    text.write_text(json.dumps({"hello": 1}))
    with pytest.raises(ModelFileError, match="not a Keras model file"):
        load_model(text)
    with pytest.raises(ModelFileError, match="not found"):
        load_model(tmp_path / "missing.keras")


def _rewritten(source, target, name: str, write) -> None:
    """`source`'s entries copied to `target`, with `name` replaced by what `write(entry_stream)` writes."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != name:
                new.writestr(info, old.read(info))
        with new.open(name, "w", force_zip64=True) as entry:
            write(entry)


@pytest.mark.parametrize("damage", [b"{", b"\xff\xfe", b"[1, 2]", b'{"class_names": 3}', b'{"input_size": "big"}',
                                    b'{"class_names": ["a", 2]}', b'{"history": [{"epoch": 1}]}',
                                    b'{"format": "other-app/1"}'])
def test_damaged_metadata_is_one_line(tmp_path, small_model, damage):
    good = save_model(small_model, tmp_path / "good.keras", ModelMetadata(("a", "b"), 32))
    path = tmp_path / "damaged.keras"
    _rewritten(good, path, "studio.json", lambda entry: entry.write(damage))
    for reader in (read_metadata, load_model):
        with pytest.raises(ModelFileError, match=r"damaged.keras: .*studio\.json") as refused:
            reader(path)
        assert len(str(refused.value).splitlines()) == 1


@pytest.mark.parametrize("entry", ["studio.json", "config.json", "model.weights.h5"])
def test_hostile_entries_are_refused_without_unpacking_them(tmp_path, small_model, entry):
    good = save_model(small_model, tmp_path / "good.keras", ModelMetadata(("a", "b")))
    path = tmp_path / "bomb.keras"

    def zeros(stream):  # 200 MiB that deflate to 0.2 MiB
        for _ in range(200):
            stream.write(bytes(1 << 20))

    _rewritten(good, path, entry, zeros)
    assert path.stat().st_size < 2 << 20
    tracemalloc.start()
    try:
        for reader in (read_metadata, load_model):
            with pytest.raises(ModelFileError, match=f"bomb.keras: refused.*{entry}"):
                reader(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 << 20
@pytest.mark.parametrize("planted, named", [
    ({"module": "os", "class_name": "function", "config": "system", "registered_name": "function"}, "os.system"),
    ({"module": "builtins", "class_name": "eval", "config": {}, "registered_name": "eval"}, "builtins.eval"),
])
def test_a_config_naming_code_outside_keras_is_refused_as_code_not_as_damage(tmp_path, small_model, planted, named):
    good = save_model(small_model, tmp_path / "good.keras", ModelMetadata(("a", "b")))
    with zipfile.ZipFile(good) as archive:
        config = json.loads(archive.read("config.json"))
    config["config"]["layers"][-1]["config"]["activation"] = planted
    path = tmp_path / "planted.keras"
    _rewritten(good, path, "config.json", lambda entry: entry.write(json.dumps(config).encode()))
    with pytest.raises(ModelFileError, match=rf"planted.keras: refused, it would run code from outside Keras "
                                             rf"\({named}\) on loading"):
        load_model(path)


@pytest.mark.parametrize("name", ["../../evil.txt", "/etc/evil.txt", "assets/../../evil.txt", "C:/evil.txt"])
def test_an_entry_that_points_outside_the_file_is_refused_in_one_line(tmp_path, small_model, capsys, name):
    good = save_model(small_model, tmp_path / "good.keras", ModelMetadata(("a", "b")))
    path = tmp_path / "outside.keras"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr(name, b"planted")
    for reader in (read_metadata, load_model):
        with pytest.raises(ModelFileError, match=f"outside.keras: refused, entry {name} points outside the model"):
            reader(path)
    assert "Warning" not in capsys.readouterr().err


def test_many_small_compressed_entries_are_refused_as_a_whole(tmp_path, small_model):
    """The audit's file: each entry 1 MiB of zeros, under the check of one entry; 150 MiB in all from 0.2 MiB."""
    good = save_model(small_model, tmp_path / "good.keras", ModelMetadata(("a", "b")))
    path = tmp_path / "many.keras"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        for index in range(150):
            new.writestr(f"padding/{index:04d}.bin", bytes(1 << 20))
    assert path.stat().st_size < 2 << 20
    for reader in (read_metadata, load_model):
        with pytest.raises(ModelFileError, match=r"many.keras: refused, its 1\d\d entries unpack to \d+ times"):
            reader(path)


def test_model_files_get_the_users_file_mode(tmp_path, small_model):
    previous = os.umask(0o022)
    try:
        path = save_model(small_model, tmp_path / "pets.keras", ModelMetadata())
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644  # readable by others, as the user's other files, not 0600
