"""Which photos of a labelled folder look wrongly labelled, near-duplicated or out of place, found from each
photo's out-of-sample class probabilities and a feature vector per photo (engine.training.label_check makes
both). Free of TensorFlow: the window and the training process's pipe carry the report as it is.

Wrong labels are cleanlab's confident learning (Northcutt et al., JAIR 2021): a photo is flagged when its
out-of-sample probability of another class beats that class's own per-class confidence threshold, the count
pruned to the estimated noise per class and per given class ("both", which flagged fewer correct photos than
the default on bench/label_issues.py's folders); a well-kept implementation, pinned in pyproject.toml. Near
duplicates and outliers follow the rules of cleanlab's Datalab on feature vectors (cosine distance): a pair is
a near duplicate when closer than 0.13 times the median nearest-neighbour distance, and a photo is an outlier
when its mean distance to its nearest neighbours is past Q3 + 1.7 IQR of all of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from engine.errors import StudioError

DEFAULT_FOLDS = 5
DEFAULT_BUDGET_MINUTES = 3.0
NEAR_DUPLICATE_SHARE = 0.13  # cleanlab Datalab's near_duplicate threshold, times the median NN distance
OUTLIER_IQR = 1 / 0.37037 - 1  # cleanlab Datalab's outlier threshold on features: Q3 + 1.7 IQR
OUTLIER_NEIGHBOURS = 10


class LabelCheckStopped(StudioError):
    """The check was stopped before it had every photo's out-of-sample answer."""


@dataclass(frozen=True)
class LabelIssue:
    """A photo whose label looks wrong: the class it was given, the one the models say, and how suspicious it
    is (0-1: one minus the out-of-sample probability of its given class)."""

    path: str
    given: str
    suggested: str
    score: float


@dataclass(frozen=True)
class Outlier:
    """A photo unlike the others (score 0-1: its mean distance to its nearest neighbours, as a share of the
    largest)."""

    path: str
    score: float


@dataclass(frozen=True)
class LabelReport:
    """What `densenet-studio check --label-issues` prints and the Train tab lists; most suspicious first."""

    label_issues: tuple[LabelIssue, ...]
    near_duplicates: tuple[tuple[str, ...], ...]
    outliers: tuple[Outlier, ...]
    photos: int
    method: str  # how the out-of-sample probabilities were made, in one line
    seconds: float
    out_of_sample_accuracy: float  # how often the held-out answer was the given class

    def to_dict(self) -> dict:
        """The JSON form of `densenet-studio check --label-issues --json`."""
        return {"label_issues": [asdict(issue) for issue in self.label_issues],
                "near_duplicates": [list(group) for group in self.near_duplicates],
                "outliers": [asdict(outlier) for outlier in self.outliers],
                "photos": self.photos, "method": self.method, "seconds": round(self.seconds, 1),
                "out_of_sample_accuracy": self.out_of_sample_accuracy}

    def to_text(self) -> str:
        lines = [f"{self.photos} photos checked for label problems in {self.seconds:.0f} s ({self.method}; the "
                 f"held-out answers agree with {self.out_of_sample_accuracy:.0%} of the labels)",
                 f"{len(self.label_issues)} likely wrong label(s), most suspicious first:"]
        lines += [f"  {issue.score:.2f}  {issue.path}: labelled {issue.given}, looks like {issue.suggested}"
                  for issue in self.label_issues]
        lines.append(f"{len(self.near_duplicates)} group(s) of look-alike photos:")
        lines += ["  " + "  |  ".join(group) for group in self.near_duplicates]
        lines.append(f"{len(self.outliers)} outlier(s), unlike the other photos:")
        lines += [f"  {outlier.score:.2f}  {outlier.path}" for outlier in self.outliers]
        return "\n".join(lines)


def label_issues(paths: list[str], labels: np.ndarray, class_names: tuple[str, ...],
                 probabilities: np.ndarray) -> tuple[LabelIssue, ...]:
    """The photos confident learning flags, most suspicious (lowest given-class probability) first."""
    from cleanlab.filter import find_label_issues

    flagged = find_label_issues(labels, probabilities, filter_by="both", return_indices_ranked_by="self_confidence",
                                n_jobs=1)
    issues = []
    for index in flagged:
        others = probabilities[index].copy()
        others[labels[index]] = -1.0
        issues.append(LabelIssue(paths[index], class_names[labels[index]], class_names[int(others.argmax())],
                                 round(1.0 - float(probabilities[index, labels[index]]), 4)))
    return tuple(issues)


def _cosine_neighbours(features: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's `count` nearest other rows by cosine distance: (distances, indices), nearest first; in
    chunks (scikit-learn), so ten thousand photos need no ten-thousand-square matrix."""
    from sklearn.neighbors import NearestNeighbors

    count = min(count, len(features) - 1)
    return NearestNeighbors(n_neighbors=count, metric="cosine").fit(features).kneighbors()


def look_alikes(paths: list[str], features: np.ndarray) -> tuple[tuple[tuple[str, ...], ...], tuple[Outlier, ...]]:
    """(groups of photos that look alike, whatever their class or split, each in path order, largest first;
    the photos far from all others, farthest first), from one nearest-neighbour search of the features."""
    if len(paths) < 3:
        return (), ()
    distances, nearest = _cosine_neighbours(features, OUTLIER_NEIGHBOURS)
    return _near_duplicates(paths, distances, nearest), _outliers(paths, distances)


def _near_duplicates(paths: list[str], distances: np.ndarray, nearest: np.ndarray) -> tuple[tuple[str, ...], ...]:
    radius = NEAR_DUPLICATE_SHARE * max(float(np.median(distances[:, 0])), 1e-9)
    parent = list(range(len(paths)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for row, column in zip(*np.nonzero(distances < radius)):
        parent[root(row)] = root(int(nearest[row, column]))
    groups: dict[int, list[str]] = {}
    for index, path in enumerate(paths):
        groups.setdefault(root(index), []).append(path)
    found = [tuple(sorted(group)) for group in groups.values() if len(group) > 1]
    return tuple(sorted(found, key=lambda group: (-len(group), group)))


def _outliers(paths: list[str], distances: np.ndarray) -> tuple[Outlier, ...]:
    if len(paths) < OUTLIER_NEIGHBOURS + 2:
        return ()
    mean = distances.mean(axis=1)
    q1, q3 = np.percentile(mean, [25, 75])
    far = np.flatnonzero(mean > q3 + OUTLIER_IQR * (q3 - q1))
    top = max(float(mean.max()), 1e-9)
    return tuple(Outlier(paths[index], round(float(mean[index]) / top, 4))
                 for index in far[np.argsort(-mean[far])])
