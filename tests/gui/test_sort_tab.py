"""The Sort tab driven as a person would, offscreen: a folder dropped on it, classes named, photos sorted
with keys 1-9, a suggestion accepted with Enter, an answer taken back with Ctrl+Z, and the folder-per-class
layout checked on disk."""

from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from engine.data.dataset import scan_dataset
from engine.data.sort_folder import SORTED_SUFFIX
from tests.gui.helpers import drop_files
from tests.image_files import class_picture, write_image

COLOURS = ("red", "green")


def _unsorted(folder: Path) -> dict[str, int]:
    """Eighteen photos of two clearly different classes, named so their order says nothing of their class, and a
    broken one; returns each photo's name and class."""
    truth = {}
    for index in range(18):
        label = (index * 7 // 3) % 2
        name = f"IMG_{index:04d}.jpg"
        write_image(folder / name, "jpeg", class_picture(label, 48, index))
        truth[name] = label
    write_image(folder / "IMG_9999.jpg", "truncated")
    return truth


def _sort_tab(window):
    """The Sort tab, shown in the active window (its keys work only while the focus is in it)."""
    window.tabs.setCurrentWidget(window.sort_tab)
    window.activateWindow()
    return window.sort_tab


def _drag_thumbnail(tab, position: int, label: int) -> None:
    """Drag the strip's thumbnail at `position` onto class `label`'s button and drop it there."""
    mime = tab.strip_model.mimeData([tab.strip_model.index(position)])
    button = tab.classes.buttons[label]
    centre = QPointF(button.rect().center())
    enter = QDragEnterEvent(centre.toPoint(), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(button, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(button, QDropEvent(centre, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                                              Qt.KeyboardModifier.NoModifier))


def _shown(tab) -> str:
    return Path(tab.strip_model.paths[tab.strip.currentIndex().row()]).name


def _press(qtbot, tab, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(tab.strip, key, modifier)


def test_a_folder_is_sorted_from_the_keyboard_with_suggestions_and_undo(qtbot, window, tmp_path):
    folder = tmp_path / "phone"
    truth = _unsorted(folder)
    tab = _sort_tab(window)
    assert drop_files(tab, [folder])
    session = tab.session
    target = tmp_path / f"phone{SORTED_SUFFIX}"
    assert session.target == target.resolve() and session.mode == "copy"
    qtbot.waitUntil(lambda: len(session.vectors) + len(session.skipped) == len(session.photos), timeout=30_000)
    assert tab.problems.isVisible() and "IMG_9999.jpg" in tab.problems.item(0).text()
    assert "IMG_9999.jpg" not in [Path(path).name for path in tab.strip_model.paths]

    for name in COLOURS:  # typed in the class field: its digits and Enter are the field's, not shortcuts
        tab.classes.new_name.setFocus()
        qtbot.keyClicks(tab.classes.new_name, name)
        qtbot.keyClick(tab.classes.new_name, Qt.Key.Key_Return)
    assert session.classes == list(COLOURS) and session.counts() == [0, 0]
    tab.strip.setFocus()

    sorted_by_key = []
    while min(session.counts()) < 2:
        name = _shown(tab)
        _press(qtbot, tab, Qt.Key.Key_1 + truth[name])
        sorted_by_key.append(name)
        assert (target / COLOURS[truth[name]] / name).is_file()
    qtbot.waitUntil(lambda: bool(session.suggested), timeout=30_000)
    left = session.unsorted()
    confidences = [session.suggested[row][1] for row in left]
    assert confidences == sorted(confidences)  # the least sure first
    assert Path(session.photos[left[0]]).name == _shown(tab)
    right = sum(session.suggested[row][0] == truth[Path(session.photos[row]).name] for row in left)
    assert right >= 0.9 * len(left)
    assert "suggested" in tab.photo.caption.text()

    name = _shown(tab)
    suggested = COLOURS[session.suggested[session.photos.index(str(folder.resolve() / name))][0]]
    _press(qtbot, tab, Qt.Key.Key_Return)
    assert (target / suggested / name).is_file()
    assert name not in [Path(path).name for path in tab.strip_model.paths]

    _press(qtbot, tab, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Edit > Undo
    assert not (target / suggested / name).exists() and (folder / name).is_file()
    assert _shown(tab) == name and "back among the photos to sort" in tab.status.text()
    _press(qtbot, tab, Qt.Key.Key_Backspace)  # the last photo sorted by key
    assert not (target / COLOURS[truth[sorted_by_key[-1]]] / sorted_by_key[-1]).exists()

    _press(qtbot, tab, Qt.Key.Key_Right)
    second = _shown(tab)
    _press(qtbot, tab, Qt.Key.Key_Left)
    assert _shown(tab) != second

    scan = scan_dataset(target, decode_check=False)
    assert sorted(scan.class_names) == sorted(COLOURS)
    for file in scan.files:
        assert COLOURS[truth[file.path.name]] == scan.class_names[file.label]
    assert len(scan.files) == len(sorted_by_key) - 1
    assert len(list(folder.iterdir())) == 19  # copied: the unsorted folder is as it was

    tab.train_button.click()
    assert window.tabs.currentWidget() is window.train_tab
    assert Path(window.train_tab.dataset.folder) == target.resolve()


def test_moving_sorts_the_folder_in_place_and_reopening_goes_on_where_it_stopped(qtbot, window, tmp_path):
    folder = tmp_path / "scans"
    truth = _unsorted(folder)
    tab = _sort_tab(window)
    tab.mode_box.setCurrentIndex(1)  # move: remembered
    tab.open_folder(str(folder))
    assert tab.session.target == folder.resolve() and window.settings.value("sort/write_mode") == "move"
    tab.add_class("red")
    tab.add_class("red")
    assert "already" in tab.status.text() and tab.status.is_error
    tab.add_class("green")
    name = _shown(tab)
    tab.strip.setFocus()
    _press(qtbot, tab, Qt.Key.Key_1 + truth[name])
    assert (folder / COLOURS[truth[name]] / name).is_file() and not (folder / name).exists()
    dragged = Path(tab.strip_model.paths[3]).name
    _drag_thumbnail(tab, 3, truth[dragged])
    assert (folder / COLOURS[truth[dragged]] / dragged).is_file() and not (folder / dragged).exists()
    window.undo_move()
    assert (folder / dragged).is_file()

    tab.session = None  # as after a restart: the class folders are its classes, with their photos
    tab.open_folder(str(folder))
    assert tab.session.classes == sorted(COLOURS) and sum(tab.session.counts()) == 1  # one folder emptied by undo
    assert name not in [Path(path).name for path in tab.strip_model.paths]
    window.undo_move()
    assert (folder / name).is_file() and name in [Path(path).name for path in tab.strip_model.paths]
