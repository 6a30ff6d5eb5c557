"""The photo moves the window makes in the Train tab's checked folder (engine.data.photo_moves): a classified
photo added to one of its classes from the Classify tab, and Edit > Undo (Ctrl+Z) of the last move, also
one made before a restart. Each says what it did, or why it did nothing, in one line; the folder is then
checked again, so the Train tab counts what is there now.
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
        try:
            PhotoMoves(self.dataset.folder).add(photo, label, split)
        except MoveError as error:
            self.said.emit(error)
            return
        self.said.emit(self.tr("{0} added to {1} in {2}; Edit > Undo (Ctrl+Z) takes it back.").format(
            Path(photo).name, label, Path(self.dataset.folder).name))
        self.dataset.check(self.dataset.folder)

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
