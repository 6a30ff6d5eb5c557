"""The photo moves the window makes in the Train tab's checked folder (engine.data.photo_moves): a classified
photo added to one of its classes from the Classify tab, a misclassified photo moved to another class or
taken out from the Train tab's results, and Edit > Undo (Ctrl+Z) of the last move, also one made before a
restart. Each says what it did, or why it did nothing, in one line; the folder is then checked again, so
the Train tab counts what is there now.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from PySide6.QtCore import QObject, Signal

from engine.data.photo_moves import MoveError, PhotoMoves
from gui.dataset_panel import DatasetPanel


class DatasetEdits(QObject):
    """`said` carries a sentence, or the error (gui.status_line.describe), for the status bar."""

    said = Signal(object)

    def __init__(self, dataset: DatasetPanel, parent: QObject | None = None):
        super().__init__(parent)
        self.dataset = dataset

    def classes(self) -> tuple[str, ...]:
        """The checked training folder's classes; none until a folder is checked."""
        report = self.dataset.report
        return report.scan.class_names if report is not None else ()

    def add(self, photo: str, label: str) -> None:
        """Copy `photo` into class `label` of the checked folder (its train/ part in a split layout)."""
        report = self.dataset.report
        if report is None:
            return
        split = "train" if report.scan.has_splits else None
        self._edit(lambda moves: moves.add(photo, label, split),
                   self.tr("{0} added to {1} in {2}; Edit > Undo (Ctrl+Z) takes it back.").format(
                       Path(photo).name, label, Path(self.dataset.folder).name))

    def relabel(self, photo: str, label: str) -> bool:
        """Move `photo`, one of the checked folder's, into its class `label`; whether it moved."""
        return self._edit(lambda moves: moves.relabel(photo, label),
                          self.tr("{0} moved to {1}; Edit > Undo (Ctrl+Z) takes it back.").format(Path(photo).name,
                                                                                                 label))

    def remove(self, photo: str) -> bool:
        """Take `photo` out of the checked folder (to the trash when the next training starts)."""
        return self._edit(lambda moves: moves.remove(photo),
                          self.tr("{0} taken out of the folder; Edit > Undo (Ctrl+Z) puts it back.").format(
                              Path(photo).name))

    def _edit(self, edit, done: str) -> bool:
        if not self.dataset.folder:
            return False
        try:
            edit(PhotoMoves(self.dataset.folder))
        except MoveError as error:
            self.said.emit(error)
            return False
        self.said.emit(done)
        self.dataset.check(self.dataset.folder)
        return True

    def undo(self) -> None:
        """Take back the last move made in the checked folder."""
        if not self.dataset.folder:
            self.said.emit(self.tr("Nothing to undo: no training folder is checked in the Train tab."))
            return
        try:
            move = PhotoMoves(self.dataset.folder).undo()
        except MoveError as error:
            self.said.emit(error)
            return
        if move.kind == "added":
            copy = PurePosixPath(move.target).name
            self.said.emit(self.tr("Undone: the copy of {0} went to the trash.").format(copy))
        else:
            source = PurePosixPath(move.source)
            self.said.emit(self.tr("Undone: {0} is back in {1}.").format(source.name, source.parent))
        self.dataset.check(self.dataset.folder)
