"""Plain Keras models the app did not write: a dynamic input size, a vector input, logits, other heads.
Each either classifies (fixed size from the user or the file, softmax over logits) or is refused in one line."""

import json

import keras
import numpy as np
import pytest

from engine.cli import main
from engine.errors import ModelFileError
from engine.model.modelfile import ModelMetadata, load_model, save_model
from tests.image_files import class_picture, make_class_folders, write_image


def plain_model(input_shape, *head, outputs: int = 3, activation: str | None = "softmax") -> keras.Model:
    """A small image (or vector) classifier as a user writes it with Keras; `head` layers go after the Dense."""
    keras.utils.set_random_seed(5)
    inputs = keras.Input(input_shape)
    x = inputs
    if len(input_shape) == 3:
        x = keras.layers.Conv2D(4, 3, activation="relu")(x)
        x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dense(outputs, activation=activation, name="scores")(x)
    for layer in head:
        x = layer(x)
    return keras.Model(inputs, x)


def saved(model: keras.Model, path) -> str:
    model.save(path)
    return str(path)


def one_line_error(capsys, *command) -> str:
    assert main(list(command)) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 1, captured.err
    return captured.err


def top_percentages(capsys, *command) -> list[float]:
    assert main(list(command)) == 0
    answers = json.loads(capsys.readouterr().out)
    return [entry["probability"] for answer in answers for entry in answer["top"]]


@pytest.fixture
def photo(tmp_path):
    return str(write_image(tmp_path / "photo.png", "png", class_picture(1, 40)))


def test_a_dynamic_input_size_comes_from_the_user_or_the_file(tmp_path, photo, capsys):
    model = plain_model((None, None, 3))
    path = saved(model, tmp_path / "any_size.keras")
    error = one_line_error(capsys, "classify", photo, "--model", path)
    assert "any input size" in error and "--input-size" in error
    assert load_model(path, input_size=24).model.input_shape == (None, 24, 24, 3)
    probabilities = top_percentages(capsys, "classify", photo, "--model", path, "--input-size", "24", "--json",
                                    "--runtime", "graph", "--top-k", "3")
    assert sum(probabilities) == pytest.approx(1, abs=1e-5)
    with_size = save_model(model, tmp_path / "with_size.keras", ModelMetadata(("a", "b", "c"), input_size=20))
    assert load_model(with_size).input_size == 20
    data = make_class_folders(tmp_path / "data", ("a", "b", "c"), per_class=2, size=24)
    assert main(["evaluate", path, str(data), "--input-size", "24", "--cache-dir", str(tmp_path / "c")]) == 2
    assert "class" in capsys.readouterr().err  # its classes are 0, 1, 2: the size itself was taken
    assert main(["evaluate", str(with_size), str(data), "--cache-dir", str(tmp_path / "c"), "--json"]) == 0
    assert sum(map(sum, json.loads(capsys.readouterr().out)["confusion_matrix"])) == 6


def test_a_size_the_model_cannot_take_is_one_line(tmp_path, photo, capsys):
    path = saved(plain_model((32, 32, 3)), tmp_path / "fixed.keras")
    assert "32" in one_line_error(capsys, "classify", photo, "--model", path, "--input-size", "24")
    wide = saved(plain_model((32, 48, 3)), tmp_path / "wide.keras")
    assert "32 x 48" in one_line_error(capsys, "classify", photo, "--model", wide)


@pytest.mark.parametrize("shape, what", [((10,), "(None, 10)"), ((32, 32, 5), "5 channels")])
def test_an_input_that_is_not_a_photo_is_one_line(tmp_path, photo, capsys, shape, what):
    path = saved(plain_model(shape), tmp_path / "vector.keras")
    assert what in one_line_error(capsys, "classify", photo, "--model", path)


@pytest.mark.parametrize("activation, head", [
    (None, ()),  # the last layer's activation says logits
    (None, (keras.layers.Reshape((3,)),)),  # a layer without activation last: the outputs say logits
    ("softmax", (keras.layers.Reshape((3,)),)),  # ... or probabilities, left as they are
])
def test_logits_get_a_softmax_and_probabilities_stay(tmp_path, photo, capsys, activation, head):
    model = plain_model((32, 32, 3), *head, activation=activation)
    path = saved(model, tmp_path / "m.keras")
    pixels = np.random.default_rng(0).uniform(0, 255, (4, 32, 32, 3)).astype(np.float32) * 40  # large logits
    raw = model.predict(pixels, verbose=0)
    expected = raw if activation == "softmax" else keras.ops.softmax(raw).numpy()
    np.testing.assert_allclose(load_model(path).model.predict(pixels, verbose=0), expected, rtol=1e-5, atol=1e-6)
    probabilities = top_percentages(capsys, "classify", photo, "--model", path, "--json", "--runtime", "tflite")
    assert all(0 <= value <= 1 for value in probabilities) and sum(probabilities) == pytest.approx(1, abs=1e-5)


@pytest.mark.parametrize("model, what", [
    (lambda: plain_model((32, 32, 3), activation="sigmoid"), "sigmoid"),
    (lambda: plain_model((32, 32, 3), outputs=1, activation=None), "(None, 1)"),
])
def test_outputs_that_are_not_one_probability_per_class_are_one_line(tmp_path, photo, capsys, model, what):
    path = saved(model(), tmp_path / "m.keras")
    assert what in one_line_error(capsys, "classify", photo, "--model", path)
    with pytest.raises(ModelFileError, match="m.keras"):
        load_model(path)
