"""Sorting suggestions: none before every class has two photos; on photos of clearly different classes they
are right far above chance from two photos a class; the least sure come first."""

import numpy as np

from engine.inference.photo_features import photo_features
from engine.inference.sort_suggestions import UNSORTED, ready, suggest
from tests.image_files import class_picture, write_image


def test_nothing_is_suggested_until_every_class_has_two_sorted_photos():
    features = np.random.default_rng(0).normal(size=(8, 5))
    labels = np.array([0, 0, 1, UNSORTED, UNSORTED, UNSORTED, UNSORTED, UNSORTED])
    assert not ready([2, 1]) and not ready([5]) and ready([2, 2])
    assert suggest(features, labels, 2) is None
    assert suggest(features, labels, 3) is None  # a class named, with no photo yet
    labels[3] = 1
    suggestions = suggest(features, labels, 2)
    assert sorted(suggestions.rows.tolist()) == [4, 5, 6, 7]


def test_photos_of_clearly_different_classes_get_the_right_class_far_above_chance(tmp_path):
    classes, per_class = 5, 16
    paths, truth = [], []
    for index in range(classes * per_class):
        label = index % classes
        paths.append(str(write_image(tmp_path / f"{index:03d}.jpg", "jpeg", class_picture(label, 48, index))))
        truth.append(label)
    features = photo_features(paths)
    labels = np.full(len(paths), UNSORTED)
    for label in range(classes):  # the first two photos of each class sorted by the user
        labels[[row for row, given in enumerate(truth) if given == label][:2]] = label
    suggestions = suggest(features.matrix, labels, classes)
    right = np.mean(np.array(truth)[suggestions.rows] == suggestions.labels)
    assert len(suggestions.rows) == classes * (per_class - 2)
    assert right >= 0.9  # chance: 0.2


def test_the_least_confident_photo_comes_first():
    rng = np.random.default_rng(1)
    centres = np.array([[4.0, 0.0, 0.0], [0.0, 4.0, 0.0]])
    sorted_rows = np.concatenate([centres[[0, 0, 0, 1, 1, 1]] + rng.normal(0, 0.3, (6, 3))])
    clear = centres[[0, 1, 0, 1]] + rng.normal(0, 0.3, (4, 3))
    between = centres.mean(axis=0, keepdims=True)  # as much one class as the other
    features = np.concatenate([sorted_rows, clear[:2], between, clear[2:]])
    labels = np.array([0, 0, 0, 1, 1, 1] + [UNSORTED] * 5)
    suggestions = suggest(features, labels, 2)
    assert suggestions.rows[0] == 8
    assert np.all(np.diff(suggestions.confidences) >= 0)
    assert suggestions.confidences[0] < 0.65 < suggestions.confidences[-1]
    assert sorted(zip(suggestions.rows.tolist(), suggestions.labels.tolist()))[:2] == [(6, 0), (7, 1)]
