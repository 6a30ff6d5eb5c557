"""Evaluation: scores from a confusion matrix, and a real model over real files checked against what the
classification path answers for the same decoded photos."""

import keras
import numpy as np
import pytest

from engine.config import ModelConfig
from engine.dataset import DatasetError
from engine.densenet import build_densenet
from engine.evaluation import evaluate_model, scores_from_confusion
from engine.images import decode_image
from engine.inference import Classifier, InferenceSettings
from engine.modelfile import StudioModel
from tests.image_files import make_class_folders, write_image


def test_scores_from_a_confusion_matrix():
    matrix = np.array([[5, 1, 0], [2, 3, 0], [0, 0, 0]])  # rows true, columns predicted
    scores = scores_from_confusion(matrix, ("a", "b", "c"))
    assert scores["a"].precision == pytest.approx(5 / 7) and scores["a"].recall == pytest.approx(5 / 6)
    assert scores["a"].f1 == pytest.approx(2 * (5 / 7) * (5 / 6) / (5 / 7 + 5 / 6))
    assert scores["b"].precision == pytest.approx(3 / 4) and scores["b"].recall == pytest.approx(3 / 5)
    assert (scores["c"].precision, scores["c"].recall, scores["c"].f1, scores["c"].support) == (0, 0, 0, 0)
    assert scores["a"].support == 6


@pytest.fixture(scope="module")
def untrained():
    keras.utils.set_random_seed(4)
    model = build_densenet(ModelConfig("densenet-bc-10-k4", input_size=32, classes=3))
    return StudioModel(model, {"class_names": ["cat", "dog", "고양이"], "input_size": 32})


def test_report_matches_the_models_own_predictions(tmp_path, untrained):
    root = make_class_folders(tmp_path / "pets", ("cat", "고양이"), per_class=5, size=32)
    write_image(root / "cat" / "broken.png", "truncated")
    report = evaluate_model(untrained, root, batch_size=4, cache_dir=tmp_path / "cache")

    files = sorted(p for p in root.rglob("*.png") if p.name != "broken.png")
    truth = np.array([0 if p.parent.name == "cat" else 2 for p in files])
    pixels = np.stack([decode_image(p, 32) for p in files])
    classifier = Classifier(untrained.model, untrained.class_names, "test", InferenceSettings(batch_size=4))
    probabilities = classifier.predict(pixels)  # what `classify` answers
    predicted = probabilities.argmax(axis=1)

    assert report.labels == ("cat", "dog", "고양이") and report.images == 10
    assert report.accuracy == pytest.approx(np.mean(predicted == truth))
    expected = np.zeros((3, 3), dtype=int)
    np.add.at(expected, (truth, predicted), 1)
    assert np.array_equal(np.array(report.confusion_matrix), expected)
    wrong = {str(p): (predicted[i], probabilities[i].max()) for i, p in enumerate(files) if predicted[i] != truth[i]}
    assert {item.path for item in report.misclassified} == set(wrong)
    for item in report.misclassified:
        assert item.predicted == report.labels[wrong[item.path][0]]
        assert item.confidence == pytest.approx(wrong[item.path][1], rel=1e-5)
    assert [s.path for s in report.skipped] == [str(root / "cat" / "broken.png")]
    assert report.per_class["dog"].support == 0
    assert set(report.to_dict()) == {"accuracy", "photos", "excluded", "labels", "confusion_matrix", "per_class",
                                     "misclassified"}
    assert "confusion matrix" in report.to_text()


def test_split_layout_uses_the_test_photos_and_unknown_classes_are_refused(tmp_path, untrained):
    make_class_folders(tmp_path / "split" / "train", ("cat", "dog"), per_class=3, size=32)
    make_class_folders(tmp_path / "split" / "test", ("cat", "dog"), per_class=2, size=32)
    report = evaluate_model(untrained, tmp_path / "split", cache_dir=tmp_path / "cache")
    assert report.images == 4
    assert all("/test/" in item.path for item in report.misclassified)

    make_class_folders(tmp_path / "zoo", ("cat", "zebra"), per_class=1, size=32)
    with pytest.raises(DatasetError, match="zebra"):
        evaluate_model(untrained, tmp_path / "zoo", cache_dir=tmp_path / "cache")
