"""Dragging photos or a folder over the window shows where the drop goes and what it will do."""

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent
from PySide6.QtWidgets import QApplication

from tests.gui.helpers import drop_files
from tests.image_files import class_picture, make_class_folders, write_image


def drag_over(widget, paths) -> bool:
    """A drag of `paths` entering `widget`, not yet dropped; True if the widget takes it."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    enter = QDragEnterEvent(widget.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    return enter.isAccepted()


def test_a_drag_over_the_window_highlights_it_and_says_what_the_drop_does(qtbot, window, tmp_path):
    window.resize(1024, 700)
    window.show()
    photos = [write_image(tmp_path / f"{i}.png", "png", class_picture(i, 32, i)) for i in range(3)]
    highlight = window.drop_highlight
    assert not highlight.isVisible()
    assert drag_over(window, photos)
    assert highlight.isVisible() and "3" in highlight.text and "classify" in highlight.text
    assert highlight.geometry() == window.tabs.rect()
    QApplication.sendEvent(window, QDragLeaveEvent())  # the drag leaves without dropping
    assert not highlight.isVisible()
    assert drag_over(window, photos) and highlight.isVisible()
    assert drop_files(window, photos) and not highlight.isVisible()


def test_a_folder_dragged_over_the_train_tab_says_it_will_be_checked_and_photos_go_to_the_window(qtbot, window,
                                                                                               tmp_path):
    folder = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=2, size=32)
    window.tabs.setCurrentWidget(window.train_tab)
    window.show()
    panel = window.train_tab.dataset
    assert drag_over(panel, [folder]) and panel.drop_highlight.isVisible()
    assert "check" in panel.drop_highlight.text
    QApplication.sendEvent(panel, QDragLeaveEvent())
    assert not panel.drop_highlight.isVisible()
    photo = sorted((folder / "cat").iterdir())[0]
    assert drag_over(panel, [photo])  # a photo is not a folder to check: the window takes it, to classify
    assert not panel.drop_highlight.isVisible() and window.drop_highlight.isVisible()
