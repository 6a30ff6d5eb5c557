"""What sorting a folder of unsorted photos starts from: the photos still to sort, the classes the target
folder already has, and the photos already in them (examples the suggestions learn from), so a sort
stopped halfway, or after a restart, goes on where it was.

The unsorted photos are the photo files directly in the folder, not in its subfolders: sorting in place
(moving) puts the class folders inside it, and a folder with subfolders is often sorted already, so its
subfolders are read as classes instead. Photos copied before (the target's journal, engine.data.photo_moves,
names where each came from) count as sorted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from engine.data.images import is_image_name
from engine.data.photo_moves import STUDIO_FOLDER, PhotoMoves
from engine.errors import QT_TRANSLATE_NOOP, StudioError

WriteMode = Literal["copy", "move"]
COPY, MOVE = "copy", "move"
EXAMPLES_PER_CLASS = 30  # photos already in a class folder that the suggestions learn from: enough, and quick
SORTED_SUFFIX = "-sorted"
BAD_CLASS_NAME = QT_TRANSLATE_NOOP("EngineText", "'{name}' cannot name a class folder: no slashes, and no dot at "
                                                 "its start")
CLASS_TAKEN = QT_TRANSLATE_NOOP("EngineText", "there is a class named '{name}' already")


class ClassNameError(StudioError):
    """A class name that cannot be a class folder's name."""


@dataclass(frozen=True)
class SortStart:
    """`photos` in order; `labels[i]` is the class index of photos[i] (into `classes`), or None to sort."""

    source: Path
    target: Path
    classes: tuple[str, ...]
    photos: tuple[str, ...]
    labels: tuple[int | None, ...]


def default_target(source: Path | str, mode: WriteMode) -> Path:
    """Where sorted photos go unless the user says: the folder itself when moving (sorted in place), else a
    sibling "<name>-sorted"."""
    source = Path(source)
    return source if mode == MOVE else source.with_name(source.name + SORTED_SUFFIX)


def check_class_name(name: str, classes: tuple[str, ...] | list[str]) -> None:
    """Raise ClassNameError unless `name` can name a new class folder beside `classes` (a hidden name would be
    skipped by the dataset scan; case is ignored, as on Windows and macOS disks)."""
    if not name or name.startswith(".") or "/" in name or "\\" in name:
        raise ClassNameError.said(BAD_CLASS_NAME, name=name)
    if name.casefold() in {other.casefold() for other in classes}:
        raise ClassNameError.said(CLASS_TAKEN, name=name)


def _photo_files(folder: Path) -> list[str]:
    """The photo files directly in `folder`, sorted by name (hidden ones never)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
    return [entry.path for entry in entries if is_image_name(entry.name) and entry.is_file()]


def _class_folders(target: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in os.scandir(target)
                      if entry.is_dir() and not entry.name.startswith(".") and entry.name != STUDIO_FOLDER)
    except OSError:
        return []


def start_sorting(source: Path | str, target: Path | str) -> SortStart:
    """The photos of `source` to sort into `target`, with the examples `target` already holds.

    Raises:
        MoveError: the target's journal is damaged (its message says so in one sentence).
    """
    source, target = Path(source).resolve(), Path(target).resolve()
    added = [move for move in PhotoMoves(target).moves if move.kind == "added"]
    copied = {move.source: PurePosixPath(move.target).parts[0] for move in added}
    classes = sorted({*_class_folders(target), *copied.values()})
    index = {name: label for label, name in enumerate(classes)}
    photos: list[str] = []
    labels: list[int | None] = []
    for path in _photo_files(source):
        photos.append(path)
        labels.append(index[copied[path]] if path in copied else None)
    copies = {str(target / PurePosixPath(move.target)) for move in added}  # their sources are listed already
    for name in classes:
        examples = [path for path in _photo_files(target / name) if path not in copies][:EXAMPLES_PER_CLASS]
        photos.extend(examples)
        labels.extend([index[name]] * len(examples))
    return SortStart(source, target, tuple(classes), tuple(photos), tuple(labels))
