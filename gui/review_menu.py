"""The one menu for a listed photo of the training folder, wherever it is listed (the confusion matrix's cell
list, the review grid, a list of label problems): move it to another class, the suggested one first, or take
it out of the folder, through the window's DatasetEdits (journaled; Edit > Undo takes it back)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu, QWidget

from gui.dataset_edits import DatasetEdits

TAKEN_OUT = ""  # where a photo taken out of the folder went, as `moved` says it
KEPT = "/kept"  # a photo whose label was judged right and left where it is (no class folder has a "/" in its name)


def moved_text(moved: str) -> str:
    """Where a photo went, as its greyed entry says: "moved to dog", "taken out" or "label kept"."""
    if moved == TAKEN_OUT:
        return QCoreApplication.translate("PhotoMenu", "taken out")
    if moved == KEPT:
        return QCoreApplication.translate("PhotoMenu", "label kept")
    return QCoreApplication.translate("PhotoMenu", "moved to {0}").format(moved)


def move_photo(edits: DatasetEdits, path: str, moved: str) -> bool:
    """Move `path` to class `moved`, or take it out (TAKEN_OUT); whether it moved (else the status bar says
    why)."""
    return edits.remove(path) if moved == TAKEN_OUT else edits.relabel(path, moved)


def photo_menu(parent: QWidget, edits: DatasetEdits, path: str, given: str, suggested: str,
               labels: tuple[str, ...], on_moved: Callable[[str], None]) -> QMenu:
    """The menu of photo `path` of class `given`: "Move to class" (`suggested` first, then the other classes of
    `labels`) and "Take out of the folder"; `on_moved(moved)` once it really moved (moved_text says where)."""
    def move(moved: str) -> None:
        if move_photo(edits, path, moved):
            on_moved(moved)

    menu = QMenu(parent)
    classes = menu.addMenu(QCoreApplication.translate("PhotoMenu", "Move to class"))
    for label in sorted((label for label in labels if label != given), key=lambda label: label != suggested):
        classes.addAction(label, lambda label=label: move(label))
    menu.addAction(QCoreApplication.translate("PhotoMenu", "Take out of the folder"), lambda: move(TAKEN_OUT))
    return menu
