"""One sort of a folder, without widgets: the photos (each sorted into a class or not yet), their feature
vectors as they arrive, the latest suggestions, and each answer written at once through the target's
journal (engine.data.photo_moves), so undo, also after a restart, is the journal's.

Why at once, not on a final "write" button: an answer given is never lost (a closed window or a crash keeps
every one), Ctrl+Z of an answer and Edit > Undo of a move are one and the same, and opening the folder
again goes on where the sort stopped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.data.dataset import Skipped
from engine.data.photo_moves import Move, PhotoMoves
from engine.data.sort_folder import COPY, SortStart, WriteMode, check_class_name
from engine.inference.photo_features import PhotoFeatures
from engine.inference.sort_suggestions import UNSORTED, Suggestions


class SortSession:
    """`photos[row]` is where photo `row` is now; `labels[row]` its class index, or UNSORTED."""

    def __init__(self, start: SortStart, mode: WriteMode):
        self.source, self.target, self.mode = start.source, start.target, mode
        self.classes = list(start.classes)
        self.photos = list(start.photos)
        self.labels = np.array([UNSORTED if label is None else label for label in start.labels], np.int64)
        self.vectors: dict[int, np.ndarray] = {}
        self.skipped: dict[int, str] = {}  # row -> why it cannot be read
        self.suggested: dict[int, tuple[int, float]] = {}  # row -> (class, confidence)
        self.order: list[int] = []  # the unsorted rows, least confident first, after the latest suggestions

    def counts(self) -> list[int]:
        return [int(np.sum(self.labels == label)) for label in range(len(self.classes))]

    def unsorted(self) -> list[int]:
        """The rows still to sort, in the order to ask: the suggestions' (least confident first), then the
        rest by name."""
        waiting = [row for row in range(len(self.photos)) if self.labels[row] == UNSORTED and row not in self.skipped]
        ranked = [row for row in self.order if self.labels[row] == UNSORTED]  # order holds no skipped row
        rest = set(waiting) - set(ranked)
        return ranked + [row for row in waiting if row in rest]

    def add_class(self, name: str) -> None:
        check_class_name(name, self.classes)
        self.classes.append(name)

    def rename_class(self, label: int, name: str) -> None:
        """Only while the class has no photo: its folder on disk keeps the name its journaled moves name."""
        check_class_name(name, [other for index, other in enumerate(self.classes) if index != label])
        self.classes[label] = name

    def take_features(self, features: PhotoFeatures, asked: list[str]) -> list[Skipped]:
        """A chunk of feature vectors from engine.inference.photo_features, asked for the photos at `asked`
        (self.photos as it was then); returns the files it found unreadable. A photo moved meanwhile (sorted
        already) is not one of them."""
        row_of = {path: row for row, path in enumerate(asked)}
        for path, vector in zip(features.paths, features.matrix):
            self.vectors[row_of[path]] = vector
        unreadable = [item for item in features.skipped if self.photos[row_of[item.path]] == item.path]
        for item in unreadable:
            self.skipped[row_of[item.path]] = item.reason
        return unreadable

    def fit_input(self) -> tuple[list[int], np.ndarray, np.ndarray]:
        """(rows, features, labels) of the photos with vectors, for engine.inference.sort_suggestions.suggest."""
        rows = sorted(self.vectors)
        if not rows:
            return [], np.zeros((0, 0), np.float32), np.zeros(0, np.int64)
        return rows, np.stack([self.vectors[row] for row in rows]), self.labels[rows].copy()

    def take_suggestions(self, rows: list[int], suggestions: Suggestions | None) -> None:
        """The suggestions fitted on `rows` (fit_input's); None clears them (too few photos sorted)."""
        self.suggested, self.order = {}, []
        if suggestions is None:
            return
        for index, label, confidence in zip(suggestions.rows, suggestions.labels, suggestions.confidences):
            row = rows[int(index)]
            if self.labels[row] == UNSORTED:
                self.suggested[row] = (int(label), float(confidence))
                self.order.append(row)

    def sort(self, row: int, label: int) -> Path:
        """Copy or move photo `row` into class `label`'s folder, journaled; returns where it is now.

        Raises:
            MoveError: nothing was written (a name clash, a read-only folder, a vanished photo).
        """
        moves = PhotoMoves(self.target)
        name = self.classes[label]
        written = moves.add(self.photos[row], name) if self.mode == COPY else moves.move_in(self.photos[row], name)
        if self.mode != COPY:
            self.photos[row] = str(written)
        self.labels[row] = label
        self.suggested.pop(row, None)
        return written

    def undo(self) -> tuple[Move, int | None]:
        """Take back the target's last journaled move; returns it and the row it puts back among the photos to
        sort (None for a move of no photo of this sort, e.g. one made from the Train tab).

        Raises:
            MoveError: nothing to undo, or the photo cannot go back.
        """
        move = PhotoMoves(self.target).undo()
        now = {str(self.target / move.target), move.source}
        row = next((row for row, path in enumerate(self.photos) if path in now), None)
        if row is not None and move.kind in ("added", "moved_in"):
            self.photos[row] = move.source
            self.labels[row] = UNSORTED
            return move, row
        return move, None
