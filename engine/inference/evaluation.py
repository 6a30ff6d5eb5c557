"""How good a trained model is on a folder of labelled photos: accuracy, per-class precision/recall/F1,
confusion matrix, and every misclassified photo with what the model said and how sure it was. The answers
come from the classification path (engine.inference.classifier), so they are the ones `classify` gives.

The folder's classes are matched to the model's by name. In a train/val/test layout the test photos are
used (else the validation photos); in a plain class-folder layout, every photo. Either way the photos that
trained the model are left out, recognised by content (engine.data.trained_photos): a score on them would say how
well it remembers, not how well it does on new photos.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.data.dataset import DatasetError, ImageFile, Skipped, scan_dataset
from engine.data.pipeline import DataConfig, cache_files, entry_batches, release_cache
from engine.data.score_check import ScoreCheck
from engine.data.trained_photos import photo_digest
from engine.inference.classifier import Classifier, InferenceSettings
from engine.model.modelfile import StudioModel


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Misclassified:
    path: str
    true: str
    predicted: str
    confidence: float


@dataclass(frozen=True)
class EvaluationReport:
    """The evaluation of one model on one folder; `confusion_matrix[true][predicted]` counts photos."""

    accuracy: float
    labels: tuple[str, ...]
    confusion_matrix: tuple[tuple[int, ...], ...]
    per_class: dict[str, ClassScores]
    misclassified: tuple[Misclassified, ...]
    images: int  # photos scored: none of them trained the model
    skipped: tuple[Skipped, ...] = ()
    excluded: int = 0  # photos left out because they trained the model
    # Each photo's answer averaged with its mirror image's, as `classify` answers for this model; the training's
    # validation lines score the photos alone, so the two may differ on the same photos.
    mirrored: bool = False

    @property
    def check(self) -> ScoreCheck:
        """The accuracy's 95 % interval, the chance level and whether the score can be told from guessing."""
        return ScoreCheck.of(sum(self.confusion_matrix[i][i] for i in range(len(self.labels))),
                             [sum(row) for row in self.confusion_matrix])

    def to_dict(self) -> dict:
        """The JSON form of `densenet-studio evaluate --json`."""
        check = self.check
        return {
            "accuracy": self.accuracy,
            "interval": list(check.interval),  # 95 % (Wilson)
            "chance": check.chance,  # the accuracy of always answering the most common class
            "verdict": check.verdict,
            "photos": self.images,
            "excluded": self.excluded,
            "mirrored": self.mirrored,
            "labels": list(self.labels),
            "confusion_matrix": [list(row) for row in self.confusion_matrix],
            "per_class": {label: dataclasses.asdict(scores) for label, scores in self.per_class.items()},
            "misclassified": [dataclasses.asdict(item) for item in self.misclassified],
        }

    def to_text(self) -> str:
        width = max(len(label) for label in self.labels)
        lines = [f"accuracy {self.accuracy:.4f} on {self.images} photos the model did not train on"
                 + (f" ({self.excluded} that trained it left out)" if self.excluded else "")
                 + (f" ({len(self.skipped)} skipped)" if self.skipped else "")
                 + (", each with its mirror image as classify answers (the training's validation lines score "
                    "photos alone)" if self.mirrored else ""),
                 self.check.text(),
                 f"{'class':<{width}}  precision  recall      f1  support"]
        for label, scores in self.per_class.items():
            lines.append(f"{label:<{width}}  {scores.precision:9.3f}  {scores.recall:6.3f}  {scores.f1:6.3f}"
                         f"  {scores.support:7d}")
        lines.append("confusion matrix (rows: true, columns: predicted)")
        lines.append(" " * width + "  " + " ".join(f"{index:>6d}" for index in range(len(self.labels))))
        for index, (label, row) in enumerate(zip(self.labels, self.confusion_matrix)):
            lines.append(f"{label:<{width}}  " + " ".join(f"{count:>6d}" for count in row) + f"   [{index}]")
        lines.append(f"misclassified: {len(self.misclassified)}")
        lines.extend(f"  {item.path}: {item.true} -> {item.predicted} ({item.confidence:.2f})"
                     for item in self.misclassified)
        lines.extend(f"  skipped {item.path}: {item.reason}" for item in self.skipped)
        return "\n".join(lines)


def scores_from_confusion(matrix: np.ndarray, labels: tuple[str, ...]) -> dict[str, ClassScores]:
    """Precision, recall and F1 per class (0 where undefined, as scikit-learn's zero_division=0)."""
    true_positive = np.diag(matrix).astype(np.float64)
    predicted, actual = matrix.sum(axis=0), matrix.sum(axis=1)
    precision = np.divide(true_positive, predicted, out=np.zeros_like(true_positive), where=predicted > 0)
    recall = np.divide(true_positive, actual, out=np.zeros_like(true_positive), where=actual > 0)
    total = precision + recall
    f1 = np.divide(2 * precision * recall, total, out=np.zeros_like(total), where=total > 0)
    return {label: ClassScores(float(precision[i]), float(recall[i]), float(f1[i]), int(actual[i]))
            for i, label in enumerate(labels)}


def _evaluation_files(root: Path | str, labels: tuple[str, ...]) -> tuple[list[ImageFile], tuple[Skipped, ...]]:
    scan = scan_dataset(root, decode_check=False)
    unknown = [name for name in scan.class_names if name not in labels]
    if unknown:
        raise DatasetError(f"{root}: class '{unknown[0]}' is not one the model knows ({', '.join(labels)})")
    files = scan.files
    if scan.has_splits:
        split = "test" if any(file.split == "test" for file in files) else "val"
        files = tuple(file for file in files if file.split == split)
    index = {name: labels.index(name) for name in scan.class_names}
    remapped = [dataclasses.replace(file, label=index[scan.class_names[file.label]]) for file in files]
    return remapped, scan.skipped


def evaluate_model(studio_model: StudioModel, data_root: Path | str, batch_size: int = 32,
                   cache_dir: Path | None = None, cache_limit: int | None = None) -> EvaluationReport:
    """Run `studio_model` over the labelled photos under `data_root` and score it.

    Raises:
        DatasetError: the folder is missing, holds a class the model does not know, or no usable photo.
    """
    labels = tuple(studio_model.class_names)
    files, skipped = _evaluation_files(data_root, labels)
    seen = studio_model.trained_on
    unseen = [file for file in files if not seen or photo_digest(file.path) not in seen]
    if files and not unseen:
        raise DatasetError(f"{data_root}: all {len(files)} photos trained this model, so a score on them would not "
                           "say how it does on new photos; evaluate it on photos it has not seen")
    excluded, files = len(files) - len(unseen), unseen
    config = DataConfig(studio_model.input_size, studio_model.channels, batch_size, val_split=0.0,
                        cache_dir=cache_dir, cache_limit=cache_limit)
    usable, entries, bad, _ = cache_files(files, config)
    if not usable:
        raise DatasetError(f"{data_root}: no usable photo to evaluate on")
    classifier = Classifier(studio_model.model, list(labels), "evaluation", InferenceSettings(batch_size=batch_size),
                            warm_up=False, test_time_flip=studio_model.test_time_flip)
    batches = entry_batches(entries, [file.label for file in usable], config, shuffle=False).as_numpy_iterator()
    probabilities = np.concatenate([classifier.predict(images.astype(np.uint8)) for images, _ in batches])
    release_cache(config)
    predicted = probabilities.argmax(axis=1)
    truth = np.array([file.label for file in usable])
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(matrix, (truth, predicted), 1)
    wrong = [Misclassified(str(file.path), labels[file.label], labels[guess], float(probabilities[i, guess]))
             for i, (file, guess) in enumerate(zip(usable, predicted)) if guess != file.label]
    return EvaluationReport(
        accuracy=float(np.mean(predicted == truth)),
        labels=labels,
        confusion_matrix=tuple(tuple(int(count) for count in row) for row in matrix),
        per_class=scores_from_confusion(matrix, labels),
        misclassified=tuple(wrong),
        images=len(usable),
        skipped=tuple(skipped) + tuple(bad),
        excluded=excluded,
        mirrored=studio_model.test_time_flip,
    )
