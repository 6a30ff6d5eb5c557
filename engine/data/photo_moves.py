"""Fixing a photo folder without losing anything: a photo moved to another class, or out of the dataset,
by real file moves inside the folder, each written to a journal so it can be undone, also after a restart,
until the next training settles them.

The journal and the photos taken out live in the folder itself, in `.densenet-studio/` (hidden, so the
dataset scan ignores it; on the same disk, so every move is one rename): `journal.json` lists the moves in
order, and `removed/` holds the photos taken out until `settle` sends them to the system trash
(send2trash: never deleted). A move that cannot be made (a photo of that name in the target class, a
read-only folder, a photo that vanished) is one plain sentence and leaves both places as they were.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from send2trash import send2trash

from engine.errors import QT_TRANSLATE_NOOP, StudioError
from engine.storage.atomic import atomic_path

STUDIO_FOLDER = ".densenet-studio"  # hidden: engine.data.dataset ignores it
JOURNAL_FILE = "journal.json"
REMOVED_FOLDER = "removed"
JOURNAL_VERSION = 1

NAME_TAKEN = QT_TRANSLATE_NOOP("EngineText", "{path}: not moved, {target} already has a photo of that name")
VANISHED = QT_TRANSLATE_NOOP("EngineText", "{path}: not moved, the photo is no longer there")
NOT_IN_FOLDER = QT_TRANSLATE_NOOP("EngineText", "{path}: not moved, it is not a photo of {root}")
CANNOT_MOVE = QT_TRANSLATE_NOOP("EngineText", "{path}: not moved ({reason})")
NOTHING_TO_UNDO = QT_TRANSLATE_NOOP("EngineText", "{root}: nothing to undo since the last training")
DAMAGED_JOURNAL = QT_TRANSLATE_NOOP("EngineText", "{path}: the list of photo moves is damaged ({reason}); the photos "
                                                  "are where they are now, but those moves cannot be undone")


class MoveError(StudioError):
    """A photo move or undo that was not made; nothing changed on disk."""


@dataclass(frozen=True)
class Move:
    """One journaled move, both paths relative to the dataset folder (`target` under REMOVED_FOLDER's
    place for a photo taken out)."""

    source: str
    target: str
    removed: bool = False


class PhotoMoves:
    """The moves made in one dataset folder since its last training, and the means to make and undo them."""

    def __init__(self, root: Path | str):
        self.root = Path(root).resolve()
        self.folder = self.root / STUDIO_FOLDER
        self.journal = self.folder / JOURNAL_FILE
        self.moves: list[Move] = self._read()

    def relabel(self, photo: Path | str, label: str) -> Path:
        """Move `photo` into the class folder `label` beside its own (made if new); returns its new path."""
        source = self._inside(photo)
        target = source.parent.parent / label / source.name
        return self._move(source, target, removed=False)

    def remove(self, photo: Path | str) -> Path:
        """Take `photo` out of the dataset (kept in the hidden folder until `settle` trashes it)."""
        source = self._inside(photo)
        target = self.folder / REMOVED_FOLDER / f"{len(self.moves):05d}-{source.name}"
        return self._move(source, target, removed=True)

    def undo(self) -> Move:
        """Put the last moved photo back where it was; returns that move."""
        if not self.moves:
            raise MoveError.said(NOTHING_TO_UNDO, root=self.root)
        last = self.moves[-1]
        source, target = self.root / last.source, self.root / last.target
        self._rename(target, source, shown=source)
        try:
            self._write(self.moves[:-1])
        except OSError as error:
            os.replace(source, target)  # the journal still lists the move: the photo stays where it says
            raise MoveError.said(CANNOT_MOVE, path=source, reason=error.strerror or str(error)) from None
        self.moves.pop()
        return last

    def settle(self) -> int:
        """The next training starts from the folder as it is: the photos taken out go to the system trash
        and the journal is cleared, so those moves can no longer be undone. Returns the photos trashed."""
        trashed = 0
        for move in self.moves:
            taken_out = self.root / move.target
            if move.removed and taken_out.exists():
                send2trash(taken_out)
                trashed += 1
        if self.journal.exists():
            self.journal.unlink()
        self.moves = []
        return trashed

    def _inside(self, photo: Path | str) -> Path:
        path = Path(os.path.abspath(photo))
        if self.root not in path.parents or self.folder in path.parents:
            raise MoveError.said(NOT_IN_FOLDER, path=photo, root=self.root)
        return path

    def _move(self, source: Path, target: Path, removed: bool) -> Path:
        self._rename(source, target, shown=source)
        move = Move(source.relative_to(self.root).as_posix(), target.relative_to(self.root).as_posix(), removed)
        try:
            self._write([*self.moves, move])
        except OSError as error:
            os.replace(target, source)  # not journaled, so not made
            raise MoveError.said(CANNOT_MOVE, path=source, reason=error.strerror or str(error)) from None
        self.moves.append(move)
        return target

    @staticmethod
    def _rename(source: Path, target: Path, shown: Path) -> None:
        """One rename, refusing to replace a file; made only when it can be made whole."""
        if not source.is_file():
            raise MoveError.said(VANISHED, path=shown)
        if target.exists():
            raise MoveError.said(NAME_TAKEN, path=shown, target=target.parent)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(source, target)
        except OSError as error:
            raise MoveError.said(CANNOT_MOVE, path=shown, reason=error.strerror or str(error)) from None

    def _write(self, moves: list[Move]) -> None:
        self.folder.mkdir(exist_ok=True)
        with atomic_path(self.journal) as temporary:
            temporary.write_text(json.dumps({"version": JOURNAL_VERSION, "moves": [asdict(move) for move in moves]},
                                            ensure_ascii=False, indent=1), encoding="utf-8")

    def _read(self) -> list[Move]:
        if not self.journal.is_file():
            return []
        try:
            data = json.loads(self.journal.read_text(encoding="utf-8"))
            if data.get("version") != JOURNAL_VERSION:
                raise ValueError(f"version {data.get('version')!r}")
            return [Move(**move) for move in data["moves"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            reason = str(error) or type(error).__name__
            raise MoveError.said(DAMAGED_JOURNAL, path=self.journal, reason=reason) from None
