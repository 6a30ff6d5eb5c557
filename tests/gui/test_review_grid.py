"""The review grid through real widgets: every scored photo as a thumbnail with its mark, filtered and sorted
from its own boxes and from a click on the confusion matrix; double-click opens the photo with its Grad-CAM
from a real small model; the right-click menu, Delete and the number keys move real files, which Ctrl+Z puts
back; and a folder is reviewed with the loaded model without training."""

import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from engine.inference.report import EvaluationReport, ScoredPhoto, scores_from_confusion
from gui.confusion_view import ConfusionView
from gui.photo_preview import PREVIEW_SIZE
from gui.review_model import PHOTO_ROLE
from gui.workers import engine_thread
from tests.gui.helpers import tiny_model_file
from tests.image_files import make_class_folders, name_by_class

LABELS = ("cat", "dog", "fox")


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    return tiny_model_file(tmp_path_factory.mktemp("model") / "pets.keras", LABELS)


def _pets(root: Path) -> Path:
    return name_by_class(make_class_folders(root, LABELS, per_class=3, size=64))


def _report(folder: Path) -> EvaluationReport:
    """An evaluation of the nine photos under `folder`: each class's first photo taken for the next class,
    confidences 0.50, 0.55, ... in folder order."""
    photos = sorted(folder.rglob("*.png"))
    scored = []
    for number, photo in enumerate(photos):
        given = photo.parent.name
        predicted = LABELS[(LABELS.index(given) + 1) % 3] if photo.name.endswith("000.png") else given
        scored.append(ScoredPhoto(str(photo), given, predicted, 0.5 + 0.05 * number))
    matrix = np.zeros((3, 3), int)
    for photo in scored:
        matrix[LABELS.index(photo.true), LABELS.index(photo.predicted)] += 1
    return EvaluationReport(accuracy=6 / 9, labels=LABELS, confusion_matrix=tuple(map(tuple, matrix.tolist())),
                            per_class=scores_from_confusion(matrix, LABELS), scored=tuple(scored), images=9)


def _shown(grid) -> list[tuple[str, str, str, float]]:
    model = grid.model
    return [(Path(p.path).name, p.given, p.suggested, round(p.score, 2))
            for p in (model.index(row).data(PHOTO_ROLE) for row in range(model.rowCount()))]


def _choose(qtbot, combo, text: str) -> None:
    """Pick `text` in a closed combo box with the arrow keys, as a keyboard user does."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    while combo.currentText() != text:
        index = combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() != index, f"{text!r} is not in the box"


def test_every_scored_photo_shows_and_filters_sorts_and_a_matrix_click_opens_its_cell(qtbot, tmp_path):
    view = ConfusionView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    view.show_report(_report(_pets(tmp_path / "pets")))
    grid = view.grid
    assert len(_shown(grid)) == 9 and grid.count.text() == "9 of 9 photos shown; 3 wrong in all"
    assert [score for *_, score in _shown(grid)] == sorted((round(0.5 + 0.05 * n, 2) for n in range(9)),
                                                          reverse=True)
    on_screen = [row for row in range(9)
                 if grid.view.visualRect(grid.model.index(row)).intersects(grid.view.viewport().rect())]
    assert on_screen  # the cells on screen ask for thumbnails, made in a worker, then cached
    qtbot.waitUntil(lambda: len(grid.model.thumbnails) >= len(on_screen), timeout=30_000)
    assert grid.model.thumbnails.get(grid.model.photo(on_screen[0]).path).width() == 64  # not enlarged

    _choose(qtbot, grid.show_box, "Mistakes only")
    assert [(name, given, predicted) for name, given, predicted, _ in _shown(grid)] == [
        ("fox-000.png", "fox", "cat"), ("dog-000.png", "dog", "fox"), ("cat-000.png", "cat", "dog")]
    _choose(qtbot, grid.order_box, "Least sure first")
    assert [name for name, *_ in _shown(grid)] == ["cat-000.png", "dog-000.png", "fox-000.png"]
    _choose(qtbot, grid.show_box, "Class dog")
    assert {name for name, *_ in _shown(grid)} == {"dog-000.png", "dog-001.png", "dog-002.png"}

    rect = view.matrix.visualRect(view.matrix.model().index(0, 1))  # true cat, predicted dog
    qtbot.mouseClick(view.matrix.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert _shown(grid) == [("cat-000.png", "cat", "dog", 0.5)]
    assert grid.show_box.currentText() == "Class cat taken for dog" and view.photo_tabs.currentWidget() is grid
    assert view.cell_photos.item(0).text().endswith("cat-000.png")  # the list beside shows the same cell
    rect = view.matrix.visualRect(view.matrix.model().index(2, 2))  # the diagonal: right answers, thumbnails too
    qtbot.mouseClick(view.matrix.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert {name for name, *_ in _shown(grid)} == {"fox-001.png", "fox-002.png"}
    assert grid.show_box.currentText() == "Class fox answered right"
    _choose(qtbot, grid.show_box, "All photos")
    assert len(_shown(grid)) == 9


def test_double_click_opens_the_photo_with_the_grad_cam_of_the_evaluated_model(qtbot, window, model_path, tmp_path):
    """The evaluated model is not the one in use: it is loaded for the heatmap; then it is, and is reused."""
    results = window.train_tab.results
    window.tabs.setCurrentWidget(window.train_tab)
    window.train_tab.lower_tabs.setCurrentWidget(results)
    results.show_report(_report(_pets(tmp_path / "pets")), None, str(model_path))
    grid = results.grid
    qtbot.waitUntil(lambda: grid.view.visualRect(grid.model.index(0)).isValid(), timeout=10_000)
    rect = grid.view.visualRect(grid.model.index(0))
    qtbot.mouseClick(grid.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double-click's
    qtbot.mouseDClick(grid.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # first press, then
    dialog = grid.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.preview.ready, timeout=120_000)
    assert max(dialog.preview.image.width(), dialog.preview.image.height()) == PREVIEW_SIZE
    photo = grid.model.photo(0)
    assert dialog.preview.caption.text().startswith(photo.path)
    assert f"the model says {photo.suggested} ({photo.score:.1%})" in dialog.preview.caption.text()
    assert f"where the network looked for “{photo.suggested}”" in dialog.preview.caption.text()

    with qtbot.waitSignal(window.models.ready, timeout=120_000):
        window.models.load(str(model_path))
    grid.view.setFocus()
    grid.view.setCurrentIndex(grid.model.index(1))
    qtbot.keyClick(grid.view, Qt.Key.Key_Return)  # Enter opens the current photo, with the model in use now
    qtbot.waitUntil(lambda: dialog.preview.ready, timeout=120_000)
    assert dialog.preview.caption.text().startswith(grid.model.photo(1).path)
    qtbot.keyClick(dialog, Qt.Key.Key_Right)  # the next photo, in the large view too
    qtbot.waitUntil(lambda: dialog.preview.ready, timeout=120_000)
    assert dialog.preview.caption.text().startswith(grid.model.photo(2).path)
    assert grid.view.currentIndex().row() == 2
    window.set_language("ko")
    qtbot.waitUntil(lambda: "모델" in dialog.windowTitle(), timeout=10_000)  # on the posted LanguageChange
    assert f"모델의 답은 {grid.model.photo(2).suggested}" in dialog.preview.caption.text()
    assert grid.show_box.itemText(1) == "틀린 것만" and grid.order_box.itemText(0) == "확실한 것부터"
    window.set_language("en")
    dialog.close()


def _popup_action(path: list[str]) -> None:
    """Choose through the open context menu (and its submenu) by the actions' texts, then close it."""
    menu = top = QApplication.activePopupWidget()
    for text in path[:-1]:
        menu = next(a for a in menu.actions() if a.text() == text).menu()
    assert menu.actions()[0].text() == path[-1]  # the class the model answered comes first
    next(a for a in menu.actions() if a.text() == path[-1]).trigger()
    top.close()


def test_photos_move_from_the_grid_by_menu_and_keys_stay_greyed_and_ctrl_z_puts_them_back(qtbot, window,
                                                                                         tmp_path):
    folder = _pets(tmp_path / "pets")
    train = window.train_tab
    train.dataset.check(str(folder))
    qtbot.waitUntil(lambda: train.dataset.report is not None, timeout=60_000)
    window.tabs.setCurrentWidget(train)
    train.lower_tabs.setCurrentWidget(train.results)
    train.results.show_report(_report(folder))
    grid = train.results.grid
    _choose(qtbot, grid.show_box, "Mistakes only")  # surest first: fox-000 (fox -> cat), dog-000, cat-000
    fox, dog, cat = (grid.model.photo(row) for row in range(3))

    rect = grid.view.visualRect(grid.model.index(0))
    QTimer.singleShot(0, lambda: _popup_action(["Move to class", "cat"]))
    grid.view.customContextMenuRequested.emit(rect.center())  # right-click
    assert (folder / "cat" / "fox-000.png").is_file() and not Path(fox.path).exists()
    assert fox.moved == "cat" and "moved to cat" in grid.model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert window.statusBar().currentMessage() == "fox-000.png moved to cat; Edit > Undo (Ctrl+Z) takes it back."
    grid.view.setFocus()
    grid.view.setCurrentIndex(grid.model.index(0))
    qtbot.keyClick(grid.view, Qt.Key.Key_Delete)  # moved already: nothing more happens to it
    assert (folder / "cat" / "fox-000.png").is_file()

    grid.view.setCurrentIndex(grid.model.index(1))
    qtbot.keyClick(grid.view, Qt.Key.Key_3)  # the third class: fox
    assert (folder / "fox" / "dog-000.png").is_file() and dog.moved == "fox"
    grid.view.setCurrentIndex(grid.model.index(2))
    qtbot.keyClick(grid.view, Qt.Key.Key_Delete)
    assert not Path(cat.path).exists() and cat.moved == ""  # taken out (to the trash at the next training)
    assert grid.model.rowCount() == 3  # moved photos stay shown
    train.results.show_cell(0, 1)  # the matrix's list of cat -> dog: greyed there too, with no menu
    item = train.results.cell_photos.item(0)
    assert item.text().endswith("cat-000.png  (taken out)") and train.results.photo_menu(item) is None

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10_000)
    for _ in range(3):
        qtbot.keyClick(grid.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert all(Path(photo.path).is_file() for photo in (fox, dog, cat))
    assert not (folder / "cat" / "fox-000.png").exists() and not (folder / "fox" / "dog-000.png").exists()
    qtbot.waitUntil(lambda: train.dataset.report is not None
                    and train.dataset.report.scan.counts() == {"cat": 3, "dog": 3, "fox": 3}, timeout=60_000)


def test_a_folder_is_reviewed_with_the_loaded_model_without_training(qtbot, window, model_path, tmp_path,
                                                                     monkeypatch):
    folder = _pets(tmp_path / "other")
    with qtbot.waitSignal(window.models.ready, timeout=120_000):
        window.models.load(str(model_path))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(folder))
    results = window.train_tab.results
    with qtbot.waitSignal(results.folder_review.reviewed, timeout=120_000):
        window.review_folder_action.trigger()  # Model > Review a folder with this model…
    assert window.tabs.currentWidget() is window.train_tab
    assert window.train_tab.dataset.folder == str(folder)  # moves from the review go there, with undo
    assert results.summary.text().startswith(f"{folder} reviewed with pets.keras.\nAccuracy")
    assert len(_shown(results.grid)) == 9 and results.grid.source == str(model_path)
    assert not results.folder_review.progress.isVisible()


def test_a_review_is_cancelled_and_refused_without_a_model(qtbot, window, model_path, tmp_path):
    results = window.train_tab.results
    results.folder_review.choose_folder()  # no model: says so, asks nothing
    assert results.summary.text() == "No model is loaded: open one from the Model menu, or train one."
    with qtbot.waitSignal(window.models.ready, timeout=120_000):
        window.models.load(str(model_path))
    window.train_tab.dataset.setEnabled(False)  # as while a training runs: its folder is not changed under it
    results.folder_review.choose_folder()
    assert results.summary.text() == "A training is running: review a folder once it has ended."
    window.train_tab.dataset.setEnabled(True)
    review = results.folder_review
    window.tabs.setCurrentWidget(window.train_tab)
    window.train_tab.lower_tabs.setCurrentWidget(results)
    gate = threading.Event()
    engine_thread().submit(gate.wait)  # the TensorFlow thread is busy: the review waits behind it
    try:
        review.review(str(_pets(tmp_path / "pets")))
        assert review.cancel_button.isVisible() and not review.button.isEnabled()
        review.cancel_button.click()
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not review.is_running(), timeout=120_000)
    assert review.button.isEnabled() and results.summary.text() == "Review cancelled."
