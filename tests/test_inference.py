"""Classification through the engine and the CLI, on real image files of every good and bad kind."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from engine.cli import main
from engine.data.augment import AugmentConfig
from engine.data.images import decode_image
from engine.errors import ConfigError
from engine.inference import classifier as classifier_module
from engine.inference import tflite_runner
from engine.inference.classifier import (
    GRAPH,
    ONNX,
    TFLITE,
    XLA,
    Classifier,
    InferenceSettings,
    NoModelError,
    classify,
    imagenet_source,
    imagenet_variant,
    load_classifier,
    photo_paths,
)
from engine.model.compute import BFLOAT16, FLOAT32, Device
from engine.model.modelfile import load_model
from engine.training.train_config import TrainConfig
from tests.classifier_models import TINY_SIZE, save_tiny_model, tiny_model
from tests.disk_faults import fill_disk
from tests.image_files import BAD_KINDS, GOOD_KINDS, class_picture, write_image
from tests.keras_files import write_legacy_h5_weights

CLASSES = ("cat", "dog", "owl")
SUFFIX = {"jpeg": "jpg", "cmyk_jpeg": "jpg", "exif_rotated": "jpg", "truncated": "jpg", "text_as_jpg": "jpg",
          "tiff": "tif", "webp": "webp", "gif": "gif", "bmp": "bmp"}
REASONS = {"empty": "empty", "truncated": "truncated", "corrupt": "corrupt", "text_as_jpg": "not a photo the app can open",
           "bomb": "too many pixels"}


@pytest.fixture(scope="module", autouse=True)
def studio_cache(tmp_path_factory):
    """Converted TFLite models go to a cache folder of the tests, not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DENSENET_STUDIO_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def model_file(tmp_path_factory) -> Path:
    return save_tiny_model(tmp_path_factory.mktemp("model") / "tiny.keras", CLASSES)


@pytest.fixture(scope="module")
def classifier(model_file) -> Classifier:
    """The float32 TFLite route, the default on CPUs without native bfloat16; these tests compare float32
    routes exactly, so they pin it (an AMX machine's default, bfloat16 XLA, has its own tests below)."""
    return Classifier.from_file(model_file, InferenceSettings(batch_size=4, runtime=TFLITE))


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> list[Path]:
    """One file of every kind, good and bad, in an order that is not alphabetical."""
    folder = tmp_path_factory.mktemp("photos")
    kinds = [*GOOD_KINDS[:6], *BAD_KINDS, *GOOD_KINDS[6:]]
    return [write_image(folder / f"{99 - index:02d}_{kind}.{SUFFIX.get(kind, 'png')}", kind,
                        class_picture(index % 3, 40, seed=index)) for index, kind in enumerate(kinds)]


def test_every_kind_gets_an_answer_in_input_order(classifier, photos, tmp_path):
    missing = tmp_path / "gone.jpg"
    results = list(classify([*photos, missing], classifier, top_k=2))
    assert [result.path for result in results] == [str(path) for path in [*photos, missing]]
    for path, result in zip(photos, results):
        kind = path.stem.split("_", 1)[1]
        if kind in GOOD_KINDS:
            assert result.error is None, (kind, result.error)
            assert len(result.top) == 2 and result.top[0][1] >= result.top[1][1]
            assert {label for label, _ in result.top} <= set(CLASSES)
        else:
            assert result.top == () and REASONS[kind] in result.error, (kind, result.error)
    assert "not found" in results[-1].error


def test_probabilities_are_the_models_on_the_same_decoding(classifier, photos):
    good = [path for path in photos if path.stem.split("_", 1)[1] in GOOD_KINDS]
    results = list(classify(good, classifier, top_k=3))
    pixels = np.stack([decode_image(path, TINY_SIZE) for path in good]).astype(np.float32)
    expected = classifier.model.predict(pixels, verbose=0)
    for result, row in zip(results, expected):
        for label, probability in result.top:
            assert probability == pytest.approx(float(row[CLASSES.index(label)]), abs=1e-5)


def test_folders_are_searched_recursively_skipping_hidden_and_other_files(tmp_path):
    for name in ("b.png", "a.jpg", "sub/c.png", ".hidden.png", ".cache/d.png"):
        write_image(tmp_path / name, "jpeg" if name.endswith(".jpg") else "png")
    for name in ("notes.txt", "sub/readme.md"):
        (tmp_path / name).write_text("not a photo")
    explicit = tmp_path / "notes.txt"
    found = list(photo_paths([tmp_path, explicit]))
    assert found == [str(tmp_path / name) for name in ("a.jpg", "b.png", "sub/c.png")] + [str(explicit)]


def test_progress_stop_within_one_batch_and_bounded_decoding(classifier, tmp_path, monkeypatch):
    for index in range(30):
        write_image(tmp_path / f"{index:02d}.png", "png", class_picture(index % 3, 36, seed=index))
    started = []
    decode = classifier_module._decode
    monkeypatch.setattr(classifier_module, "_decode", lambda *args: started.append(1) or decode(*args))
    stop = threading.Event()
    events, ahead = [], []

    def listener(event) -> None:
        events.append(event)
        ahead.append(len(started) - event.done)
        if event.done == 6:
            stop.set()

    results = list(classify([tmp_path], classifier, listener=listener, stop=stop))
    settings = classifier.settings
    assert len(results) == 8  # the batch in progress (photos 5-8) finishes, the next one never starts
    assert [event.done for event in events] == list(range(1, 9)) and {event.total for event in events} == {30}
    assert max(ahead) <= settings.batch_size * (settings.decode_ahead + 2)  # bounded, not all 30 at once


def test_partial_batches_match_full_batches(classifier):
    pixels = np.stack([class_picture(index % 3, TINY_SIZE, seed=index) for index in range(7)])
    whole = classifier.predict(pixels)  # 4 + 3 (padded) photos
    singles = np.concatenate([classifier.predict(pixels[index:index + 1]) for index in range(7)])
    pair = classifier.predict(pixels[:2])  # 2 of 4: photo by photo
    np.testing.assert_allclose(whole, singles, atol=1e-5)
    np.testing.assert_allclose(pair, whole[:2], atol=1e-5)


@pytest.mark.parametrize("runtime", [ONNX, XLA, GRAPH])
def test_every_runtime_gives_the_models_probabilities(classifier, runtime):
    pixels = np.stack([class_picture(index % 3, TINY_SIZE, seed=index) for index in range(5)])
    other = Classifier(classifier.model, list(CLASSES), runtime, InferenceSettings(batch_size=4, runtime=runtime,
                                                                                   precision=FLOAT32))
    assert classifier.runtime == TFLITE and other.route.startswith(f"{runtime} float32")
    np.testing.assert_allclose(other.predict(pixels), classifier.predict(pixels), atol=1e-5)


@pytest.mark.parametrize("is_gpu, bfloat16, expected, bfloat16_asked", [
    (False, False, (ONNX, FLOAT32), (GRAPH, BFLOAT16)),  # AVX2 CPU: ONNX Runtime
    (False, True, (ONNX, FLOAT32), (GRAPH, BFLOAT16)),  # AMX CPU: ONNX Runtime; bfloat16 asked: oneDNN's kernels
    (True, True, (XLA, BFLOAT16), (XLA, BFLOAT16)),  # Ampere+ GPU
    (True, False, (XLA, FLOAT32), (XLA, BFLOAT16)),  # an older GPU
])
def test_auto_runs_onnx_on_a_cpu_and_bfloat16_only_where_the_device_computes_it(monkeypatch, is_gpu, bfloat16,
                                                                                expected, bfloat16_asked):
    monkeypatch.setattr("engine.model.compute.detect_device", lambda: Device("test", is_gpu, bfloat16, False))
    assert InferenceSettings().resolved() == expected
    assert InferenceSettings(precision=BFLOAT16).resolved() == bfloat16_asked
    assert InferenceSettings(runtime=GRAPH, precision=FLOAT32).resolved() == (GRAPH, FLOAT32)
    for converted in (TFLITE, ONNX):
        with pytest.raises(ConfigError, match="float32"):
            InferenceSettings(runtime=converted, precision=BFLOAT16)


def test_litert_runs_the_converted_model_as_tensorflows_deprecated_interpreter_did(tmp_path):
    import warnings

    import tensorflow as tf

    from engine.inference.tflite_runner import TFLiteRunner, interpreter_class, tflite_model

    converted = tflite_model(tiny_model(len(CLASSES), seed=4), tmp_path)
    pixels = np.stack([class_picture(index % 3, TINY_SIZE, seed=index) for index in range(3)])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = TFLiteRunner(converted)(pixels)
    assert interpreter_class().__module__.startswith("ai_edge_litert") and not caught
    np.testing.assert_array_equal(ours, TFLiteRunner(converted, interpreter=tf.lite.Interpreter)(pixels))


def test_bfloat16_agrees_with_float32_on_the_top_class():
    model = tiny_model(len(CLASSES), seed=3)
    pixels = np.stack([class_picture(index % 3, TINY_SIZE, seed=index) for index in range(48)])
    settings = {name: InferenceSettings(batch_size=16, runtime=GRAPH, precision=name) for name in (FLOAT32, BFLOAT16)}
    single = Classifier(model, list(CLASSES), "float32", settings[FLOAT32])
    half = Classifier(model, list(CLASSES), "bfloat16", settings[BFLOAT16])
    assert half.precision == BFLOAT16
    agreement = np.mean(single.predict(pixels).argmax(1) == half.predict(pixels).argmax(1))
    assert agreement >= 0.99
    np.testing.assert_allclose(half.predict(pixels), single.predict(pixels), atol=0.02)


def test_no_model_is_a_clear_error(photos, capsys):
    with pytest.raises(NoModelError, match="train one"):
        classify(photos, None)
    with pytest.raises(NoModelError):
        load_classifier(None)
    assert main(["classify", str(photos[0])]) == 2
    assert "no model" in capsys.readouterr().err


def test_imagenet_classifier_from_a_picked_weights_file(tmp_path):
    """A file as keras.applications writes it (its layer names) loads whole into the app's DenseNet-121, here
    at 32 px (the weights do not depend on the input size): the same answers as Keras' own model."""
    import keras

    keras.utils.set_random_seed(5)
    source = keras.applications.DenseNet121(weights=None, input_shape=(32, 32, 3))
    weights = write_legacy_h5_weights(source, tmp_path / "mine.h5")
    tiny_imagenet = Classifier.imagenet("DenseNet-121", weights_path=weights, input_size=32,
                                        settings=InferenceSettings(batch_size=2, runtime=GRAPH))
    assert tiny_imagenet.model.output_shape == (None, 1000) and "mine.h5" in tiny_imagenet.source
    assert len(tiny_imagenet.class_names) == 1000
    assert tiny_imagenet.class_names[0] == "tench" and tiny_imagenet.class_names[281] == "tabby"
    for name in ("conv1_conv", "conv5_block16_2_conv", "bn", "predictions"):
        for ours, theirs in zip(tiny_imagenet.model.get_layer(name).get_weights(), source.get_layer(name).get_weights(),
                                strict=True):
            np.testing.assert_array_equal(ours, theirs, err_msg=name)
    pixels = np.stack([class_picture(index, 32, seed=index) for index in range(2)])
    expected = source(keras.applications.densenet.preprocess_input(pixels.astype(np.float32)), training=False).numpy()
    assert not np.allclose(expected[0], expected[1], rtol=1e-3, atol=0)  # the two photos get different answers
    # oneDNN's graph and eager kernels sum in different orders: up to 6e-4 apart (relative) on an AVX-512 CPU,
    # while weights loaded wrongly change the answers entirely (the weights are compared exactly above)
    np.testing.assert_allclose(tiny_imagenet.predict(pixels), expected, rtol=2e-3, atol=1e-6)
    photo = write_image(tmp_path / "photo.png", "png", class_picture(1, 32))
    (result,) = classify([photo], tiny_imagenet, top_k=5)
    assert result.error is None and len(result.top) == 5


def test_an_imagenet_model_source_names_its_variant_and_a_model_file_names_none(tmp_path):
    assert imagenet_source("densenet169") == "imagenet:densenet169"
    assert imagenet_variant("imagenet:densenet169") == "densenet169"
    assert imagenet_variant("imagenet") == "densenet121"
    for model_file in (tmp_path / "imagenet.keras", "imagenetv2:x", "C:/models/imagenet:x.keras", ""):
        assert imagenet_variant(model_file) is None


def test_imagenet_offline_without_cached_weights_fails_clearly(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    photo = write_image(tmp_path / "photo.png", "png")
    assert main(["classify", str(photo), "--model", "imagenet"]) == 2
    error = capsys.readouterr().err
    assert "densenet121_weights_tf_dim_ordering_tf_kernels.h5" in error and len(error.splitlines()) == 1


def test_cli_json_and_csv(model_file, photos, capsys):
    paths = [str(path) for path in photos]
    assert main(["classify", *paths, "--model", str(model_file), "--json", "--top-k", "2", "--batch-size", "1"]) == 0
    answers = json.loads(capsys.readouterr().out)
    assert [answer["path"] for answer in answers] == paths
    for path, answer in zip(photos, answers):
        good = path.stem.split("_", 1)[1] in GOOD_KINDS
        assert (answer["error"] is None) == good
        assert len(answer["top"]) == (2 if good else 0)
        assert all(set(entry) == {"label", "probability"} for entry in answer["top"])
    empty = paths[len(GOOD_KINDS[:6])]
    assert main(["classify", paths[0], empty, "--model", str(model_file), "--csv", "--batch-size", "1"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["path", "label_1", "probability_1", "label_2", "probability_2", "label_3", "probability_3",
                       "error"]
    assert [row[0] for row in rows[1:]] == [paths[0], empty]
    assert rows[1][-1] == "" and "empty" in rows[2][-1] and rows[2][1] == ""


def test_cli_text_keeps_a_name_with_a_newline_on_one_line(model_file, photos, tmp_path, capsys):
    odd = tmp_path / "two\nlines.png"
    odd.write_bytes(photos[0].read_bytes())
    assert main(["classify", str(odd), "--model", str(model_file)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{tmp_path}/two\\nlines.png: ") and "%" in line


def test_cli_bad_arguments_exit_2(model_file, photos, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["classify", str(photos[0]), "--top-k", "0"])
    assert stopped.value.code == 2
    assert main(["classify", str(photos[0]), "--model", str(model_file), "--weights", "w.h5"]) == 2
    assert "weights" in capsys.readouterr().err


def test_cli_subprocess_text_output(model_file, photos):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, "-m", "engine", "classify", str(photos[0]), str(photos[6]),
                           "--model", str(model_file), "--batch-size", "1"],
                          capture_output=True, text=True, timeout=180, env=env, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith(f"{photos[0]}: ") and "%" in lines[0]
    assert lines[1].startswith(f"{photos[6]}: error: ")


def test_shipped_imagenet_class_index_is_the_one_keras_downloads():
    import hashlib
    import inspect

    from keras.src.applications import imagenet_utils

    from engine.model.imagenet_labels import (
        CLASS_INDEX_FILE,
        CLASS_INDEX_MD5,
        imagenet_class_index,
        imagenet_class_names,
    )
    from engine.storage.resources import resource_path

    assert hashlib.md5(resource_path(CLASS_INDEX_FILE).read_bytes()).hexdigest() == CLASS_INDEX_MD5
    assert f'file_hash="{CLASS_INDEX_MD5}"' in inspect.getsource(imagenet_utils)
    names = imagenet_class_names()
    assert len(names) == 1000 and names[0] == "tench" and names[281] == "tabby" and names[207] == "golden retriever"
    assert imagenet_class_index()[281] == ("n02123045", "tabby")


def test_test_time_flip_averages_each_photo_with_its_mirror_image():
    model = tiny_model(len(CLASSES), seed=5)
    pixels = np.stack([class_picture(index % 3, TINY_SIZE, seed=index) for index in range(6)])
    settings = InferenceSettings(batch_size=4, runtime=GRAPH, precision=FLOAT32)
    plain = Classifier(model, list(CLASSES), "plain", settings)
    flipped = Classifier(model, list(CLASSES), "flipped", settings, test_time_flip=True)
    expected = (plain.predict(pixels) + plain.predict(pixels[:, :, ::-1])) / 2
    np.testing.assert_allclose(flipped.predict(pixels), expected, rtol=1e-6, atol=1e-7)
    assert not np.allclose(expected, plain.predict(pixels))  # the mirror image answers differently
    assert "mirror" in flipped.route and "mirror" not in plain.route


@pytest.mark.parametrize("options, expected", [
    ({"variant": "densenet-bc-100-k12", "input_size": 32}, True),  # 0.29 G multiply-adds: cheap to do twice
    ({"variant": "densenet-bc-100-k12", "input_size": 32, "augment": AugmentConfig(enabled=False)}, False),
    ({"variant": "densenet-bc-100-k12", "input_size": 32, "augment": AugmentConfig(flip=False)}, False),
    ({"variant": "densenet121", "input_size": 224}, False),  # 2.9 G: classifying twice would halve the speed
])
def test_test_time_flip_is_chosen_for_cheap_networks_trained_with_flips(tmp_path, options, expected):
    assert TrainConfig(out=tmp_path / "m.keras", **options).test_time_flip is expected


def test_a_converted_classifier_is_reused_and_its_key_follows_the_weights(model_file, tmp_path, monkeypatch):
    conversions = []
    convert = tflite_runner.convert
    monkeypatch.setattr(tflite_runner, "convert", lambda model, path: conversions.append(path) or convert(model, path))
    folder = tmp_path / "tflite"
    model = load_model(model_file).model
    converted = tflite_runner.tflite_model(model, folder)
    assert tflite_runner.tflite_model(load_model(model_file).model, folder) == converted  # loaded again: reused
    assert len(conversions) == 1
    other = tiny_model(len(CLASSES), seed=5)  # the same network with other weights: converted on its own
    assert tflite_runner.tflite_model(other, folder) != converted and len(conversions) == 2
    assert len(list(folder.iterdir())) == 2  # one sealed file per model, no temporary left
    pixels = np.stack([class_picture(index, TINY_SIZE, seed=index) for index in range(3)]).astype(np.float32)
    np.testing.assert_allclose(tflite_runner.TFLiteRunner(converted)(pixels), model.predict(pixels, verbose=0),
                               rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("runtime", [TFLITE, ONNX])
def test_a_damaged_converted_model_is_converted_again_never_run(model_file, photos, tmp_path, monkeypatch, capsys,
                                                                runtime):
    """Its weights zeroed, the file keeps its size; the seal refuses this and every other damage
    (tests/test_atomic.py)."""
    monkeypatch.setenv("DENSENET_STUDIO_CACHE", str(tmp_path / "cache"))
    command = ["classify", str(photos[0]), str(photos[1]), "--model", str(model_file), "--runtime", runtime, "--json"]
    assert main(command) == 0
    answers = capsys.readouterr().out
    (converted,) = (tmp_path / "cache" / "converted").glob(f"*.{runtime}")
    whole = converted.read_bytes()
    middle = len(whole) // 2
    converted.write_bytes(whole[:middle] + bytes(256) + whole[middle + 256:])
    assert main(command) == 0
    assert capsys.readouterr().out == answers


def test_names_that_are_not_utf8_print_escaped_and_a_link_to_itself_says_why(model_file, tmp_path, capsys):
    write_image(tmp_path / os.fsdecode(b"caf\xe9.png"), "png", class_picture(0, 40))
    os.symlink("self.png", tmp_path / "self.png")
    shown, loop = f"{tmp_path}/caf\\xe9.png", str(tmp_path / "self.png")
    reason = "symbolic link to nothing (broken, or a loop)"
    command = ["classify", str(tmp_path), "--model", str(model_file), "--runtime", "tflite"]
    assert main(command) == 0  # capsys, like an English UTF-8 terminal, refuses what is not UTF-8
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{shown}: ") and lines[1] == f"{loop}: error: {reason}"
    assert main([*command, "--json"]) == 0
    answers = json.loads(capsys.readouterr().out)
    assert [(answer["path"], answer["error"]) for answer in answers] == [(shown, None), (loop, reason)]
    assert main([*command, "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [row[0] for row in rows[1:]] == [shown, loop]


def test_a_full_disk_in_the_model_cache_is_one_line_and_keeps_earlier_entries(model_file, photos, tmp_path,
                                                                             monkeypatch, capsys):
    cache = tmp_path / "cache"
    monkeypatch.setenv("DENSENET_STUDIO_CACHE", str(cache))
    assert main(["classify", str(photos[0]), "--model", str(model_file), "--runtime", "tflite"]) == 0
    capsys.readouterr()
    earlier = {path: path.read_bytes() for path in (cache / "converted").iterdir()}
    other = save_tiny_model(tmp_path / "other.keras", CLASSES, tiny_model(len(CLASSES), seed=5))
    fill_disk(monkeypatch, lambda path: path.startswith(str(cache)))
    assert main(["classify", str(photos[0]), "--model", str(other), "--runtime", "tflite"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and f"{cache / 'converted'}/" in error and "No space left on device" in error
    assert {path: path.read_bytes() for path in (cache / "converted").iterdir()} == earlier
