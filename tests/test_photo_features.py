"""Photo feature vectors: the offline ones put photos of a class near each other and pass over a broken
file with its reason; with a model they are its pooled features, the same as its own layers compute."""

import keras
import numpy as np
import pytest

from engine.data.images import DAMAGED, decode_image
from engine.inference.classifier import Classifier, InferenceSettings
from engine.inference.photo_features import PhotoFeatures, feature_chunks, photo_features
from engine.model.config import POOL_LAYER
from tests.classifier_models import TINY_SIZE, tiny_model
from tests.image_files import class_picture, write_image


@pytest.fixture
def photos(tmp_path) -> tuple[list[str], list[int]]:
    """Twelve photos of three classes, named so their order says nothing of their class, and a broken one."""
    paths, labels = [], []
    for index in range(12):
        label = index % 3
        paths.append(str(write_image(tmp_path / f"photo-{index:02d}.jpg", "jpeg", class_picture(label, 40, index))))
        labels.append(label)
    return paths, labels


def _nearest_neighbour_agreement(matrix: np.ndarray, labels: list[int]) -> float:
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    similarity = unit @ unit.T - 2 * np.eye(len(unit))  # a photo is not its own neighbour
    nearest = similarity.argmax(axis=1)
    return float(np.mean(np.array(labels)[nearest] == np.array(labels)))


def test_offline_features_put_a_class_together_and_skip_a_broken_file_with_its_reason(photos, tmp_path):
    paths, labels = photos
    broken = str(write_image(tmp_path / "broken.jpg", "truncated"))
    features = photo_features([*paths[:5], broken, *paths[5:]])
    assert features.kind == "pixels" and features.paths == tuple(paths)
    assert features.matrix.shape == (12, 264) and features.matrix.dtype == np.float32
    assert [(item.path, item.reason) for item in features.skipped] == [(broken, DAMAGED)]
    assert _nearest_neighbour_agreement(features.matrix, labels) == 1.0


def test_chunks_join_to_the_whole_and_a_stop_ends_them(photos, monkeypatch):
    paths, _ = photos
    monkeypatch.setattr("engine.inference.photo_features.CHUNK", 5)
    chunks = list(feature_chunks(paths))
    assert [len(chunk.paths) for chunk in chunks] == [5, 5, 2]
    assert np.array_equal(PhotoFeatures.joined(chunks, "pixels").matrix, photo_features(paths).matrix)

    class Stopped:
        def is_set(self) -> bool:
            return True

    assert list(feature_chunks(paths, stop=Stopped())) == []


def test_with_a_model_they_are_its_pooled_features(photos):
    paths, _ = photos
    model = tiny_model(3)
    classifier = Classifier(model, ["a", "b", "c"], "tiny", InferenceSettings(runtime="graph"), warm_up=False)
    features = photo_features(paths, classifier)
    assert features.kind == "model" and features.paths == tuple(paths)
    pooled = keras.Model(model.input, model.get_layer(POOL_LAYER).output)
    pixels = np.stack([decode_image(path, TINY_SIZE) for path in paths]).astype(np.float32)
    expected = np.asarray(pooled(pixels, training=False))
    assert features.matrix.shape == expected.shape
    np.testing.assert_allclose(features.matrix, expected, rtol=1e-4, atol=1e-5)


def test_a_plain_keras_model_gives_what_its_classifier_reads(photos):
    paths, _ = photos
    inputs = keras.Input((TINY_SIZE, TINY_SIZE, 3))
    pooled = keras.layers.GlobalAveragePooling2D()(keras.layers.Conv2D(6, 3)(inputs))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(pooled))
    classifier = Classifier(model, ["a", "b"], "plain", InferenceSettings(runtime="graph"), warm_up=False)
    assert photo_features(paths[:4], classifier).matrix.shape == (4, 6)
