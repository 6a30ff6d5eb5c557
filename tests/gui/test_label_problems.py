"""Find label problems through real widgets: the Train tab's button opens the dialog for the checked folder;
Start runs the check in a child process and Stop ends it with nothing changed; a real check's findings show
as thumbnails, and the one-key actions move real files (Ctrl+Z puts them back) or mark a label right."""

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from engine.data.label_problems import LabelIssue, LabelReport, Outlier
from gui.review_menu import KEPT
from tests.image_files import make_class_folders, name_by_class


def _planted(root: Path) -> tuple[Path, Path]:
    """Three colour classes of 20 photos, one red photo moved into green: (folder, the moved photo)."""
    folder = name_by_class(make_class_folders(root, ("red", "green", "blue"), per_class=20, size=32))
    photo = sorted((folder / "red").glob("*.png"))[0]
    return folder, Path(shutil.move(photo, folder / "green" / photo.name))


@pytest.fixture
def checked(window, qtbot, tmp_path):
    """The window with the planted folder checked in the Train tab, and the moved photo."""
    folder, moved = _planted(tmp_path / "photos")
    window.tabs.setCurrentWidget(window.train_tab)
    panel = window.train_tab.dataset
    with qtbot.waitSignal(panel.checked, timeout=30_000):
        panel.check(str(folder))
    return window, folder, moved


def test_the_button_opens_the_check_of_the_checked_folder_and_stop_ends_it_with_nothing_changed(checked, qtbot):
    window, folder, _ = checked
    before = sorted(folder.rglob("*.png"))
    button = window.train_tab.dataset.label_check_button
    assert button.isEnabled()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.label_problems
    assert dialog.isVisible() and folder.name in dialog.windowTitle()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.is_running() and not dialog.start_button.isEnabled()
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=120_000)
    assert dialog.status.text() == "Stopped: nothing was changed."
    assert dialog.start_button.isEnabled()
    assert sorted(folder.rglob("*.png")) == before


def _findings(folder: Path, moved: Path) -> LabelReport:
    """What a check of the planted folder says (engine tests check that it finds such photos)."""
    blue = sorted(str(path) for path in (folder / "blue").glob("*.png"))
    return LabelReport(label_issues=(LabelIssue(str(moved), "green", "red", 0.97),
                                     LabelIssue(blue[5], "blue", "green", 0.6)),
                       near_duplicates=((blue[0], blue[1]),), outliers=(Outlier(blue[2], 1.0),), photos=60,
                       method="3 small trainings", seconds=12.0, out_of_sample_accuracy=0.95)


def test_findings_show_as_thumbnails_and_one_key_accepts_or_keeps(checked, qtbot):
    window, folder, moved = checked
    report = _findings(folder, moved)
    window.find_label_problems(str(folder))
    dialog = window.label_problems
    dialog._done(report)
    grid = dialog.grids[0]
    shown = [grid.model.photo(row) for row in range(grid.model.rowCount())]
    assert str(moved) in [photo.path for photo in shown]
    assert [dialog.tabs.tabText(index) for index in range(3)] == [
        "Likely wrong labels (2)", "Look-alike groups (1)", "Outliers (1)"]
    assert "60 photos judged in 12 s" in dialog.status.text()

    row = [photo.path for photo in shown].index(str(moved))
    grid.view.setCurrentIndex(grid.model.index(row))
    qtbot.keyClick(grid.view, Qt.Key.Key_Return)  # accept the suggestion: red
    assert (folder / "red" / moved.name).is_file() and not moved.exists()
    assert grid.model.photo(row).moved == "red"

    window.undo_move()
    assert moved.is_file()

    grid.view.setCurrentIndex(grid.model.index(row))
    grid.model.photo(row).moved = None
    qtbot.keyClick(grid.view, Qt.Key.Key_K)  # the label is right: nothing moves
    assert grid.model.photo(row).moved == KEPT and moved.is_file()
