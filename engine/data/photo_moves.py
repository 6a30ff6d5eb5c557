"""Fixing a photo folder without losing anything: a photo moved to another class, or out of the dataset,
by real file moves inside the folder, or a photo from elsewhere copied or moved into a class (sorting an
unsorted folder), each written to a journal so it can be undone, also after a restart, until the next
training settles them.

The journal and the photos taken out live in the folder itself, in `.densenet-studio/` (hidden, so the
dataset scan ignores it; on the same disk, so every move is one rename): `journal.json` lists the moves in
order, and `removed/` holds the photos taken out until `settle` sends them to the system trash
(send2trash: never deleted). A move that cannot be made (a photo of that name in the target class, a
read-only folder, a photo that vanished) is one plain sentence and leaves both places as they were.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

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


Kind = Literal["relabelled", "removed", "added", "moved_in"]


@dataclass(frozen=True)
class Move:
    """One journaled move. `target` is relative to the dataset folder (under REMOVED_FOLDER's place for a
    photo taken out); `source` too, except for a photo added or moved in from elsewhere, whose own absolute
    path it is."""

    source: str
    target: str
    kind: Kind = "relabelled"


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
        return self._move(source, target, "relabelled")

    def remove(self, photo: Path | str) -> Path:
        """Take `photo` out of the dataset (kept in the hidden folder until `settle` trashes it)."""
        source = self._inside(photo)
        target = self.folder / REMOVED_FOLDER / f"{len(self.moves):05d}-{source.name}"
        return self._move(source, target, "removed")

    def add(self, photo: Path | str, label: str, layout_split: str | None = None) -> Path:
        """Copy `photo`, from anywhere, into the class folder `label` (under `layout_split`, "train", in a
        split layout; made if new), for the next training; the photo itself stays where it is."""
        source = Path(os.path.abspath(photo))
        target = self.root.joinpath(*([layout_split] if layout_split else []), label, source.name)
        self._place(source, target, shutil.copy2, shown=source)
        move = Move(str(source), target.relative_to(self.root).as_posix(), "added")
        self._journal(move, undo=lambda: target.unlink(missing_ok=True), shown=source)
        return target

    def move_in(self, photo: Path | str, label: str) -> Path:
        """Move `photo`, from anywhere (the folder itself included, when a folder is sorted in place), into
        the class folder `label` (made if new); its undo moves it back to where it was. Returns its new path."""
        source = Path(os.path.abspath(photo))
        target = self.root / label / source.name
        self._place(source, target, _move_file, shown=source)
        move = Move(str(source), target.relative_to(self.root).as_posix(), "moved_in")
        self._journal(move, undo=lambda: _move_file(target, source), shown=source)
        return target

    def undo(self) -> Move:
        """Put the last moved photo back where it was (a photo added from elsewhere goes to the system trash:
        the photo it was copied from is still there); returns that move."""
        if not self.moves:
            raise MoveError.said(NOTHING_TO_UNDO, root=self.root)
        last = self.moves[-1]
        target = self.root / last.target
        if last.kind == "added":
            if not target.is_file():
                raise MoveError.said(VANISHED, path=target)
            self._write_or(self.moves[:-1], undo=lambda: None, shown=target)
            try:
                send2trash(target)
            except OSError as error:
                self._write(self.moves)  # still listed, as the copy is still there
                raise MoveError.said(CANNOT_MOVE, path=target, reason=error.strerror or str(error)) from None
        else:
            source = self.root / last.source  # an absolute source (moved in from elsewhere) stays itself
            self._place(target, source, _move_file, shown=source)
            # the journal still lists the move: the photo stays where it says
            self._write_or(self.moves[:-1], undo=lambda: _move_file(source, target), shown=source)
        self.moves.pop()
        return last

    def settle(self) -> int:
        """The next training starts from the folder as it is: the photos taken out go to the system trash
        and the journal is cleared, so those moves can no longer be undone. Returns the photos trashed."""
        trashed = 0
        for move in self.moves:
            taken_out = self.root / move.target
            if move.kind == "removed" and taken_out.exists():
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

    def _move(self, source: Path, target: Path, kind: Kind) -> Path:
        self._place(source, target, os.rename, shown=source)
        move = Move(source.relative_to(self.root).as_posix(), target.relative_to(self.root).as_posix(), kind)
        self._journal(move, undo=lambda: os.replace(target, source), shown=source)  # not journaled, not made
        return target

    def _journal(self, move: Move, undo, shown: Path) -> None:
        self._write_or([*self.moves, move], undo, shown)
        self.moves.append(move)

    def _write_or(self, moves: list[Move], undo, shown: Path) -> None:
        """The journal holding `moves`; where it cannot be written, `undo()` takes back what was done on
        disk, and the error names `shown`."""
        try:
            self._write(moves)
        except OSError as error:
            undo()
            raise MoveError.said(CANNOT_MOVE, path=shown, reason=error.strerror or str(error)) from None

    @staticmethod
    def _place(source: Path, target: Path, transfer, shown: Path) -> None:
        """`transfer(source, target)`, a rename or a copy, refusing to replace a file; a failed one leaves no
        part behind (`target` did not exist before: a rename fails whole, a copy may stop half-written)."""
        if not source.is_file():
            raise MoveError.said(VANISHED, path=shown)
        if target.exists():
            raise MoveError.said(NAME_TAKEN, path=shown, target=target.parent)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            transfer(source, target)
        except OSError as error:
            target.unlink(missing_ok=True)
            raise MoveError.said(CANNOT_MOVE, path=shown, reason=error.strerror or str(error),
                                 errno=error.errno) from None

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


def _move_file(source: Path, target: Path) -> None:
    """A rename; across disks (a photo moved in from another drive) a copy, then the original's removal. A
    failure leaves the original where it was (the caller removes a half-made `target`)."""
    try:
        os.rename(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        shutil.copy2(source, target)
        source.unlink()
