"""Evaluation: scores from a confusion matrix, and a real model whose answers are known by hand (it picks a
photo's strongest colour channel) over real files: every count, score and confidence is worked out here."""

import keras
import numpy as np
import pytest

from engine.data.dataset import DatasetError
from engine.data.trained_photos import photo_digest
from engine.inference.classifier import Classifier
from engine.inference.evaluation import (
    EvaluationStopped,
    evaluate_model,
    studio_model_of,
)
from engine.inference.report import scores_from_confusion
from engine.model.config import ModelConfig
from engine.model.densenet import build_densenet
from engine.model.modelfile import ModelMetadata, StudioModel, save_model
from tests.image_files import make_class_folders, write_image


def test_scores_from_a_confusion_matrix():
    matrix = np.array([[5, 1, 0], [2, 3, 0], [0, 0, 0]])  # rows true, columns predicted
    scores = scores_from_confusion(matrix, ("a", "b", "c"))
    assert scores["a"].precision == pytest.approx(5 / 7) and scores["a"].recall == pytest.approx(5 / 6)
    assert scores["a"].f1 == pytest.approx(10 / 13)  # 2pr / (p + r) = (50/42) / (65/42)
    assert scores["b"].precision == pytest.approx(3 / 4) and scores["b"].recall == pytest.approx(3 / 5)
    assert (scores["c"].precision, scores["c"].recall, scores["c"].f1, scores["c"].support) == (0, 0, 0, 0)
    assert scores["a"].support == 6


@pytest.fixture(scope="module")
def untrained():
    keras.utils.set_random_seed(4)
    model = build_densenet(ModelConfig("densenet-bc-10-k4", input_size=32, classes=3))
    return StudioModel(model, ModelMetadata(("cat", "dog", "고양이"), 32))


def colour_model(trained_on: frozenset[str] = frozenset()) -> StudioModel:
    """A real Keras classifier whose answers can be worked out by hand: it averages each colour channel, so a
    photo is the class of its strongest channel, and a pure colour (255 in one channel) gets logits
    (ln 8, 0, 0): probability 8 / (8 + 1 + 1) = 0.8."""
    inputs = keras.Input((32, 32, 3))
    outputs = keras.layers.Dense(3, activation="softmax", name="predictions")(
        keras.layers.GlobalAveragePooling2D()(inputs))
    model = keras.Model(inputs, outputs)
    model.get_layer("predictions").set_weights([np.eye(3, dtype=np.float32) * np.log(8) / 255, np.zeros(3)])
    return StudioModel(model, ModelMetadata(("red", "green", "파랑"), 32), trained_on)


def pure(channel: int, index: int) -> np.ndarray:
    """A photo of one pure colour; one pixel differs, so no two photos are the same file."""
    pixels = np.zeros((32, 32, 3), np.uint8)
    pixels[..., channel] = 255
    pixels[0, index, (channel + 1) % 3] = 10
    return pixels


def test_report_counts_scores_and_lists_what_was_worked_out_by_hand(tmp_path, monkeypatch):
    monkeypatch.setenv("DENSENET_STUDIO_CACHE", str(tmp_path / "studio-cache"))  # where a TFLite route converts
    root = tmp_path / "colours"
    for name, channel, count in (("red", 0, 3), ("green", 1, 3), ("파랑", 2, 2)):
        for index in range(count):
            write_image(root / name / f"{index}.png", "png", pure(channel, index))
    blue_in_red = write_image(root / "red" / "looks-blue.png", "png", pure(2, 9))
    red_in_green = write_image(root / "green" / "looks-red.png", "png", pure(0, 9))
    write_image(root / "red" / "broken.png", "truncated")
    seen = {photo_digest(root / "green" / "2.png")}  # a photo that trained the model: left out

    report = evaluate_model(colour_model(frozenset(seen)), root, batch_size=4, cache_dir=tmp_path / "cache")

    assert report.labels == ("red", "green", "파랑") and (report.images, report.excluded) == (9, 1)
    # rows true, columns predicted: red 3 right + 1 blue; green 2 right + 1 red; blue 2 right
    assert report.confusion_matrix == ((3, 0, 1), (1, 2, 0), (0, 0, 2))
    assert report.accuracy == pytest.approx(7 / 9)
    scores = {label: (s.precision, s.recall, s.f1, s.support) for label, s in report.per_class.items()}
    assert scores == {"red": pytest.approx((3 / 4, 3 / 4, 3 / 4, 4)),
                      "green": pytest.approx((1.0, 2 / 3, 4 / 5, 3)),
                      "파랑": pytest.approx((2 / 3, 1.0, 4 / 5, 2))}
    wrong = sorted((item.path, item.true, item.predicted) for item in report.misclassified)
    assert wrong == [(str(red_in_green), "green", "red"), (str(blue_in_red), "red", "파랑")]
    assert [item.confidence for item in report.misclassified] == pytest.approx([0.8, 0.8], rel=0.01)
    assert [s.path for s in report.skipped] == [str(root / "red" / "broken.png")]
    # Every scored photo, right ones too, in folder order with its answer: what the review grid shows.
    assert len(report.scored) == 9 and sum(photo.right for photo in report.scored) == 7
    assert {photo.path for photo in report.scored if photo.right} == {
        str(path) for path in root.rglob("*.png")} - {str(red_in_green), str(blue_in_red), str(root / "red" / "broken.png"),
                                                      str(root / "green" / "2.png")}
    as_json = report.to_dict()
    assert set(as_json) == {"accuracy", "interval", "chance", "verdict", "photos", "excluded", "mirrored", "labels",
                            "confusion_matrix", "per_class", "misclassified", "scored"}
    assert len(as_json["scored"]) == 9 and as_json["misclassified"] == [
        item for item in as_json["scored"] if item["true"] != item["predicted"]]
    # 7 of 9 right: Wilson's 95 % interval; guessing "red" (4 of the 9) gets 44 %; 9 photos are too few to judge
    assert as_json["interval"] == pytest.approx([0.4526, 0.9368], abs=1e-4)
    assert (as_json["chance"], as_json["verdict"]) == (pytest.approx(4 / 9), "too-few")
    text = report.to_text()
    assert text.startswith("accuracy 0.7778 on 9 photos the model did not train on (1 that trained it left out) "
                           "(1 skipped)\n78% ± 24% on 9 photos; guessing gets 44% Too few photos were held out")


def test_progress_counts_each_photo_decoded_then_classified_and_a_stop_ends_it(tmp_path):
    root = tmp_path / "colours"
    for channel, name in enumerate(("red", "green", "파랑")):
        for index in range(3):
            write_image(root / name / f"{index}.png", "png", pure(channel, index))
    steps: list[tuple[int, int]] = []
    report = evaluate_model(colour_model(), root, batch_size=4, cache_dir=tmp_path / "cache",
                            progress=lambda done, total: steps.append((done, total)))
    assert report.images == 9 and steps[-1] == (18, 18)
    assert [done for done, _ in steps] == sorted(done for done, _ in steps)

    class StopAfterDecoding:
        def is_set(self) -> bool:
            return len(steps) > 0

    steps.clear()
    with pytest.raises(EvaluationStopped):
        evaluate_model(colour_model(), root, batch_size=4, cache_dir=tmp_path / "cache",
                       progress=lambda done, total: steps.append((done, total)), stop=StopAfterDecoding())
    assert steps and steps[-1][0] < 18


def test_a_loaded_classifier_is_evaluated_leaving_out_the_photos_its_file_says_trained_it(tmp_path, untrained):
    folder = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=3, size=32)
    trained = [folder / "cat" / "000.png", folder / "dog" / "001.png"]
    path = save_model(untrained.model, tmp_path / "pets.keras", untrained.metadata,
                      trained_on=[photo_digest(photo) for photo in trained])
    report = evaluate_model(studio_model_of(Classifier.from_file(path)), folder, cache_dir=tmp_path / "cache")
    assert (report.images, report.excluded) == (4, 2)
    assert {photo.path for photo in report.scored}.isdisjoint(str(photo) for photo in trained)


def test_split_layout_uses_the_test_photos_and_unknown_classes_are_refused(tmp_path, untrained):
    make_class_folders(tmp_path / "split" / "train", ("cat", "dog"), per_class=3, size=32)
    make_class_folders(tmp_path / "split" / "test", ("cat", "dog"), per_class=2, size=32)
    report = evaluate_model(untrained, tmp_path / "split", cache_dir=tmp_path / "cache")
    assert report.images == 4
    assert all("/test/" in item.path for item in report.misclassified)

    make_class_folders(tmp_path / "zoo", ("cat", "zebra"), per_class=1, size=32)
    with pytest.raises(DatasetError, match="zebra"):
        evaluate_model(untrained, tmp_path / "zoo", cache_dir=tmp_path / "cache")
