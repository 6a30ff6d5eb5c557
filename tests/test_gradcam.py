"""Grad-CAM: a heatmap in [0, 1] at the input size that lights up where the class evidence is."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from engine.errors import StudioError
from engine.inference.classifier import GRAPH, Classifier, InferenceSettings
from engine.inference.gradcam import gradcam
from tests.classifier_models import TINY_SIZE, tiny_model
from tests.image_files import class_picture, write_image

PATCH = 10


def patch_picture(colour: int, rng: np.random.Generator) -> tuple[np.ndarray, tuple[int, int]]:
    """Grey noise with one red (colour 0) or blue (colour 1) square somewhere: only the square tells the class."""
    picture = np.clip(rng.normal(128, 20, (TINY_SIZE, TINY_SIZE, 3)), 0, 255)
    top, left = rng.integers(0, TINY_SIZE - PATCH, 2)
    picture[top:top + PATCH, left:left + PATCH] = (230, 30, 30) if colour == 0 else (30, 30, 230)
    return picture.astype(np.uint8), (int(top), int(left))


@pytest.fixture(scope="module")
def patch_classifier() -> Classifier:
    rng = np.random.default_rng(0)
    labels = np.arange(384) % 2
    pictures = np.stack([patch_picture(label, rng)[0] for label in labels]).astype(np.float32)
    model = tiny_model(2, seed=1)
    model.compile(keras.optimizers.Adam(3e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(pictures, labels, batch_size=32, epochs=4, verbose=0)
    return Classifier(model, ["red", "blue"], "patches", InferenceSettings(batch_size=8, runtime=GRAPH))


def test_heatmap_is_scaled_to_its_peak_not_clipped_into_range(patch_classifier, tmp_path):
    """Divided by its peak, the map is the same for a head whose scores are twice as large, peaks near 1 (an 8x8
    map upsampled to the input size) without a plateau of clipped values; with no evidence at all it is empty."""
    photo = write_image(tmp_path / "photo.jpg", "jpeg", class_picture(0, 64))
    cam = gradcam(patch_classifier, photo)
    assert cam.shape == (TINY_SIZE, TINY_SIZE) and cam.dtype == np.float32
    assert 0.85 <= cam.max() <= 1.0 and cam.min() >= 0.0 and np.mean(cam >= 0.999) < 0.01

    doubled = keras.models.clone_model(patch_classifier.model)
    doubled.set_weights(patch_classifier.model.get_weights())
    head = doubled.get_layer("predictions")
    head.set_weights([2 * weight for weight in head.get_weights()])
    twice = Classifier(doubled, patch_classifier.class_names, "doubled", patch_classifier.settings, warm_up=False)
    np.testing.assert_allclose(gradcam(twice, photo), cam, atol=1e-5)

    nothing_blue = gradcam(patch_classifier, photo, "blue")  # a red photo: every part argues against blue
    assert nothing_blue.shape == (TINY_SIZE, TINY_SIZE) and not nothing_blue.any()


def test_class_by_label_or_index_and_unknown_label(patch_classifier):
    picture, _ = patch_picture(0, np.random.default_rng(5))
    np.testing.assert_allclose(gradcam(patch_classifier, picture, "blue"), gradcam(patch_classifier, picture, 1))
    with pytest.raises(StudioError, match="not one of"):
        gradcam(patch_classifier, picture, "zebra")


def test_heatmap_lights_up_the_informative_square(patch_classifier):
    rng = np.random.default_rng(7)
    inside_wins = 0
    for index in range(10):
        picture, (top, left) = patch_picture(index % 2, rng)
        cam = gradcam(patch_classifier, picture)
        mask = np.zeros_like(cam, dtype=bool)
        mask[top:top + PATCH, left:left + PATCH] = True
        inside_wins += cam[mask].mean() > cam[~mask].mean()
    assert inside_wins >= 8
