"""Label problems found for the user: the ranking (engine.data.label_problems) on known answers, and the whole
check (engine.training.label_check) on a folder of real photos with labels moved to a wrong class."""

from __future__ import annotations

import json
import shutil
import threading

import numpy as np
import pytest

from engine.cli import main
from engine.data.label_problems import LabelReport, label_issues, look_alikes
from engine.model.pretrained import PretrainedError
from engine.training.label_check import Backbone, Cache, check_labels
from engine.training.training_process import label_check_events
from tests.image_files import make_class_folders, name_by_class


def test_confident_learning_flags_the_photos_whose_answers_point_elsewhere_most_suspicious_first():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(3), 30)
    probabilities = np.full((90, 3), 0.05)
    probabilities[np.arange(90), labels] = 0.9
    probabilities += rng.uniform(0, 0.05, probabilities.shape)
    wrong = {4: (2, 0.97), 40: (0, 0.93), 75: (1, 0.9)}  # photo: (the class its answers say, how strongly)
    for index, (other, strength) in wrong.items():
        probabilities[index] = (1 - strength) / 2
        probabilities[index, other] = strength
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    paths = [f"photo{index}.png" for index in range(90)]

    issues = label_issues(paths, labels, ("a", "b", "c"), probabilities)

    assert [issue.path for issue in issues] == ["photo4.png", "photo40.png", "photo75.png"]
    assert [(issue.given, issue.suggested) for issue in issues] == [("a", "c"), ("b", "a"), ("c", "b")]
    assert issues[0].score > issues[1].score > issues[2].score


def test_look_alikes_are_grouped_and_a_photo_unlike_all_others_is_an_outlier():
    rng = np.random.default_rng(1)
    features = rng.normal(size=(60, 16))
    features[10] = features[3] + rng.normal(0, 1e-3, 16)  # a resized copy, say
    features[20] = features[3] + rng.normal(0, 1e-3, 16)
    features[50] = features[7] * 1.01  # the same direction: cosine distance 0
    paths = [f"p{index:02d}.png" for index in range(60)]
    features[59] = np.zeros(16)
    features[59][0] = 1.0
    features[:59, 0] = -np.abs(features[:59, 0]) - 3  # every other photo points away from the last one

    groups, found = look_alikes(paths, features)
    assert groups[:2] == (("p03.png", "p10.png", "p20.png"), ("p07.png", "p50.png"))
    assert found[0].path == "p59.png" and found[0].score == 1.0


@pytest.mark.heavy
def test_check_finds_labels_moved_to_a_wrong_class_far_better_than_chance(tmp_path, capsys):
    folder = name_by_class(make_class_folders(tmp_path / "photos", ("red", "green", "blue"), per_class=20, size=32))
    moved = _moved_labels(folder, (("red", "green"), ("green", "blue"), ("blue", "red"), ("red", "blue")))

    assert main(["check", str(folder), "--label-issues", "--json", "--time-budget", "0.6", "--folds", "3",
                 "--cache-dir", str(tmp_path / "cache")]) == 0
    report = json.loads(capsys.readouterr().out)

    flagged = {issue["path"] for issue in report["label_issues"]}
    hits = len(flagged & moved)
    f1 = 2 * hits / (len(flagged) + len(moved))
    assert f1 >= 0.6, report["label_issues"]  # flagging 4 of the 60 photos at random scores about 0.07
    issue = next(issue for issue in report["label_issues"] if issue["path"] in moved)
    assert issue["suggested"] == issue["path"].split("/")[-1].split("-")[0]  # its class before the move
    assert set(report) >= {"label_issues", "near_duplicates", "outliers", "classes"}
    assert all(set(outlier) == {"path", "score"} for outlier in report["outliers"])


def _moved_labels(folder, moves: tuple[tuple[str, str], ...]) -> set[str]:
    """Move one photo of each (source, target) class pair into the target class; the moved paths."""
    moved = set()
    for source, target in moves:
        photo = sorted((folder / source).glob("*.png"))[len(moved)]
        moved.add(str(shutil.move(photo, folder / target / photo.name)))
    return moved


def test_with_imagenet_weights_at_hand_the_check_uses_the_backbones_features(tmp_path, tiny_backbone):
    folder = name_by_class(make_class_folders(tmp_path / "photos", ("red", "green", "blue"), per_class=20, size=32))
    moved = _moved_labels(folder, (("red", "blue"), ("green", "red")))

    report = check_labels(folder, folds=3, backbone=Backbone("densenet-bc-10-k4", 32, tiny_backbone[1]),
                          cache=Cache(tmp_path / "cache"))

    assert report.method.startswith("ImageNet densenet-bc-10-k4 features, 3-fold")
    assert report.photos == 60
    flagged = {issue.path for issue in report.label_issues}
    assert flagged and flagged <= moved, report.label_issues  # a random tiny backbone: not every move is clear


def test_a_weights_file_of_another_network_is_one_line_naming_it(tmp_path, tiny_backbone):
    folder = make_class_folders(tmp_path / "photos", ("red", "green"), per_class=4, size=32)

    with pytest.raises(PretrainedError, match="backbone_notop.h5"):
        check_labels(folder, backbone=Backbone(weights_path=tiny_backbone[1]), cache=Cache(tmp_path / "cache"))


def test_the_window_runs_the_check_in_a_child_process_that_reports_each_fold(tmp_path, tiny_backbone):
    folder = name_by_class(make_class_folders(tmp_path / "photos", ("red", "green"), per_class=9, size=32))
    options = {"folds": 3, "backbone": Backbone("densenet-bc-10-k4", 32, tiny_backbone[1]),
               "cache": Cache(tmp_path / "cache")}
    events = label_check_events(str(folder), options, threading.Event())
    seen = []
    while True:
        try:
            seen.append(next(events))
        except StopIteration as end:
            report = end.value
            break

    assert isinstance(report, LabelReport) and report.photos == 18
    assert [event for event in seen if isinstance(event, tuple)][-1] == (18, 18)  # the backbone's pass, photo by photo
