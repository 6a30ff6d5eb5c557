"""An evaluation's result as the CLI prints it and the window shows it: accuracy, per-class scores, the
confusion matrix and every scored photo with its answer (the review grid shows them all, the CLI the
misclassified ones), or why a folder gave no score. Free of TensorFlow (the
scoring itself is engine.inference.evaluation), so the window and the training process's pipe carry it
as it is: typed records, not a dict or a string.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from engine.data.dataset import Skipped
from engine.data.score_check import ScoreCheck
from engine.errors import StudioError


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class ScoredPhoto:
    """One scored photo: its given class (`true`, its folder), the model's answer and that answer's probability."""

    path: str
    true: str
    predicted: str
    confidence: float

    @property
    def right(self) -> bool:
        return self.true == self.predicted


@dataclass(frozen=True)
class EvaluationReport:
    """The evaluation of one model on one folder; `confusion_matrix[true][predicted]` counts photos."""

    accuracy: float
    labels: tuple[str, ...]
    confusion_matrix: tuple[tuple[int, ...], ...]
    per_class: dict[str, ClassScores]
    scored: tuple[ScoredPhoto, ...]  # every photo scored, in folder order
    images: int  # photos scored: none of them trained the model
    skipped: tuple[Skipped, ...] = ()
    excluded: int = 0  # photos left out because they trained the model
    # Each photo's answer averaged with its mirror image's, as `classify` answers for this model; the training's
    # validation lines score the photos alone, so the two may differ on the same photos.
    mirrored: bool = False

    @property
    def misclassified(self) -> tuple[ScoredPhoto, ...]:
        return tuple(photo for photo in self.scored if not photo.right)

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
            "scored": [dataclasses.asdict(item) for item in self.scored],
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


@dataclass(frozen=True)
class NoScore:
    """Why a folder gave no score (every photo trained the model, no usable photo): the error, which the
    window says in its own language."""

    error: StudioError
