"""Nothing clipped at the window's minimum size and at 1024x700, in English and Korean: every visible label,
button and combo box of every tab shows its whole text, every table cell and header its whole text, the
confusion matrix every row and column, the Train settings several rows at once; the window's minimum size fits
a 1024x640 screen; a long message wraps instead of widening it."""

import re

import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from engine.inference.report import EvaluationReport, ScoredPhoto, scores_from_confusion
from tests.gui.helpers import drop_files, tiny_model_file
from tests.image_files import class_picture, make_class_folders, write_image

SMALL_SCREEN = (1024, 700)
CLASSES = ("triangle", "circle-red", "stripes-green")
# Cells that may elide: a photo's file name can be of any length, and its row's tooltip gives the whole path.
MAY_ELIDE = {("Classification results", 0), ("분류 결과", 0)}


def _shown(text: str) -> str:
    """A label's text as drawn: mnemonic ampersands dropped ("&&" is one ampersand)."""
    return re.sub(r"&(.)", r"\1", text)


def _cells_clipped(view: QTableView) -> list[str]:
    """The cells and column headers of `view` in sight whose text is wider than their column."""
    problems = []
    model, header = view.model(), view.horizontalHeader()
    if model is None:
        return problems
    first, last = view.rowAt(0), view.rowAt(view.viewport().height() - 1)
    rows = range(max(0, first), (last if last >= 0 else model.rowCount() - 1) + 1) if first >= 0 else range(0)
    for column in range(model.columnCount()):
        if view.isColumnHidden(column) or (view.accessibleName(), column) in MAY_ELIDE:
            continue
        width = view.columnWidth(column)
        if header.isVisible() and header.sectionSizeFromContents(column).width() > header.sectionSize(column) + 1:
            problems.append(f"{view.accessibleName()!r}: header {model.headerData(column, header.orientation())!r} "
                            f"needs {header.sectionSizeFromContents(column).width()} px, has {width}")
        for row in rows:
            index = model.index(row, column)
            option = QStyleOptionViewItem()
            option.font = view.font()
            option.decorationSize = view.iconSize()
            need = view.itemDelegateForIndex(index).sizeHint(option, index).width()
            if need > width + 1:
                problems.append(f"{view.accessibleName()!r}: cell {index.data()!r} needs {need} px, has {width}")
    return problems


def _partly_shown(view: QTableView) -> list[str]:
    """`view` when some of its rows or columns are out of sight (behind its scroll bars)."""
    viewport = view.viewport()
    wide, high = view.horizontalHeader().length(), view.verticalHeader().length()
    if wide > viewport.width() + 1 or high > viewport.height() + 1:
        return [(f"{view.accessibleName()!r}: {wide}x{high} px of rows and columns in a {viewport.width()}x"
                 f"{viewport.height()} view")]
    return []


def clipped(window, whole: tuple[QTableView, ...] = ()) -> list[str]:
    """The visible labels, buttons and table cells whose text does not fit their widget, with what they need,
    and the tables of `whole` that do not show all their rows and columns."""
    problems = []
    for widget in window.findChildren(QWidget):
        # folded away by a splitter or scrolled out of sight: nothing of it is drawn, so nothing is cut
        if not widget.isVisible() or widget.window() is not window or widget.visibleRegion().isEmpty():
            continue
        if isinstance(widget, QLabel) and widget.text() and widget.textFormat() != 1:  # 1: rich text
            room = widget.contentsRect()
            if widget.wordWrap():
                if widget.heightForWidth(room.width()) > room.height() + 1:
                    problems.append(f"{widget.text()[:50]!r}: {widget.heightForWidth(room.width())} px high in "
                                    f"{room.height()}")
            else:
                need = max(widget.fontMetrics().horizontalAdvance(line) for line in _shown(widget.text()).split("\n"))
                if need > room.width() + 1:
                    problems.append(f"{widget.text()[:50]!r}: {need} px wide in {room.width()}")
        elif isinstance(widget, QAbstractButton) and widget.text():
            hint = widget.sizeHint()
            if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 2:
                problems.append(f"button {widget.text()[:50]!r}: needs {hint.width()}x{hint.height()}, "
                                f"has {widget.width()}x{widget.height()}")
        elif isinstance(widget, QComboBox) and widget.currentText():
            option = QStyleOptionComboBox()
            widget.initStyleOption(option)
            text = QSize(widget.fontMetrics().horizontalAdvance(widget.currentText()), widget.height())
            need = widget.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, widget).width()
            if need > widget.width() + 1:
                problems.append(f"box {widget.currentText()[:50]!r}: needs {need} px, has {widget.width()}")
        elif isinstance(widget, QTableView):
            problems += _cells_clipped(widget)
    for view in whole:
        problems += _partly_shown(view)
    return problems


def settled_clipped(qtbot, window, settle_ms: int = 2000, whole: tuple[QTableView, ...] = ()) -> list[str]:
    """clipped(window) once the layout has settled: a resize or a language switch is laid out over several
    event-loop turns (longer on a loaded machine), so text still cut after `settle_ms` stays cut."""
    _settle(qtbot, lambda: not clipped(window, whole), settle_ms)
    return clipped(window, whole)


def _settle(qtbot, done, settle_ms: int = 2000) -> None:
    """Wait until `done()` or `settle_ms` has passed, whichever is first (the caller then asserts)."""
    try:
        qtbot.waitUntil(done, timeout=settle_ms)
    except qtbot.TimeoutError:
        pass


def _at_both_sizes(qtbot, window, whole: tuple[QTableView, ...] = ()) -> dict[str, list[str]]:
    """What is clipped at the window's smallest size (asked for now: the content shown may raise it) and at
    1024x700; the smallest size must fit a 1024x640 screen."""
    found = {}
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert minimum.width() <= 1024 and minimum.height() <= 640, minimum
    for size in ((minimum.width(), minimum.height()), SMALL_SCREEN):
        window.resize(*size)
        found[f"{window.width()}x{window.height()}"] = settled_clipped(qtbot, window, whole=whole)
    return {size: problems for size, problems in found.items() if problems}


@pytest.fixture(scope="module")
def shapes_model(tmp_path_factory):
    return tiny_model_file(tmp_path_factory.mktemp("model") / "shapes.keras", CLASSES)


def _report(labels: tuple[str, ...]) -> EvaluationReport:
    """A 3x3 evaluation, one photo listed for each cell that counts any."""
    matrix = ((5, 2, 0), (1, 12, 0), (0, 1, 3))
    scored = tuple(ScoredPhoto(f"/p/{labels[true]}/{true}{predicted}.png", labels[true], labels[predicted], 0.8)
                   for true in range(3) for predicted in range(3) if matrix[true][predicted])
    return EvaluationReport(accuracy=20 / 24, labels=labels, confusion_matrix=matrix,
                            per_class=scores_from_confusion(np.array(matrix), labels), scored=scored, images=24)


def _settings_rows_in_view(form) -> int:
    """How many of the Train settings' rows the user sees whole without scrolling."""
    viewport = form.parentWidget()
    shown = 0
    for label in form.form_labels:
        top_left = label.mapTo(viewport, label.rect().topLeft())
        if label.isVisible() and viewport.rect().contains(top_left) and \
                viewport.rect().contains(label.mapTo(viewport, label.rect().bottomRight())):
            shown += 1
    return shown


@pytest.mark.parametrize("language", ["en", "ko"])
def test_nothing_is_clipped_at_the_smallest_size_and_at_1024_by_700(qtbot, window, tmp_path, shapes_model, language):
    window.set_language(language)
    found = {}
    for index in range(window.tabs.count()):  # every tab as it first opens
        window.tabs.setCurrentIndex(index)
        found[window.tabs.tabText(index)] = _at_both_sizes(qtbot, window)
    assert not any(found.values()), found
    # Classify with results: class names and percentages whole, a long red error wrapped
    classify = window.classify_tab
    window.tabs.setCurrentWidget(classify)
    with qtbot.waitSignal(window.models.ready, timeout=60_000):
        window.models.load(str(shapes_model))
    photos = [write_image(tmp_path / "photos" / f"photo-{i}.png", "png", class_picture(i % 3, 48, i)) for i in range(3)]
    classify.classify_paths([str(photo) for photo in photos])
    qtbot.waitUntil(lambda: len(classify.results.rows) == 3 and not classify.is_busy(), timeout=60_000)
    problems = _at_both_sizes(qtbot, window)
    assert not problems, problems
    broken = tmp_path / "a-model-file-cut-short-while-it-was-copied.keras"  # a long red sentence in the language
    broken.write_bytes(shapes_model.read_bytes()[:2000])
    with qtbot.waitSignal(window.models.failed, timeout=60_000):
        window.models.load(str(broken))
    assert classify.status.is_error
    problems = _at_both_sizes(qtbot, window)
    assert not problems, problems
    # the Train tab with a checked folder: its counts, the automatic choice, and several settings rows in view
    folder = make_class_folders(tmp_path / "pets", CLASSES, per_class=4, size=32)
    train = window.train_tab
    window.tabs.setCurrentWidget(train)
    assert drop_files(train.dataset, [folder])
    qtbot.waitUntil(lambda: train.start_button.isEnabled(), timeout=60_000)
    problems = _at_both_sizes(qtbot, window)
    assert not problems, problems
    smallest = window.minimumSizeHint()
    for size in ((smallest.width(), smallest.height()), SMALL_SCREEN):
        window.resize(*size)
        _settle(qtbot, lambda: _settings_rows_in_view(train.form) >= 4)
        assert _settings_rows_in_view(train.form) >= 4, (window.size(), _settings_rows_in_view(train.form))
    # ... and with results: a 3x3 confusion matrix whole, its per-class scores whole
    train.results.show_report(_report(CLASSES), ("", {}), str(shapes_model))
    train.lower_tabs.setCurrentWidget(train.results)
    problems = _at_both_sizes(qtbot, window, whole=(train.results.matrix,))
    assert not problems, problems
    train.results.photo_tabs.setCurrentWidget(train.results.metrics)  # precision, recall, F1 and photos per class
    problems = _at_both_sizes(qtbot, window, whole=(train.results.matrix,))
    assert not problems, problems
    assert not _partly_shown(train.results.metrics)  # at 1024x700 whole; at the smallest size it may scroll
    # the Sort tab sorting a folder of photos into named classes
    window.tabs.setCurrentWidget(window.sort_tab)
    assert drop_files(window.sort_tab, [folder / "triangle"])
    for name in ("tabby cats", "kittens"):
        window.sort_tab.add_class(name)
    problems = _at_both_sizes(qtbot, window)
    assert not problems, problems


def test_the_window_fits_a_small_screen_and_a_long_message_never_widens_it(qtbot, window):
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert minimum.width() <= 1024 and minimum.height() <= 640, minimum
    window.resize(*SMALL_SCREEN)
    qtbot.wait(50)
    width = window.width()
    window.classify_tab.no_model.set_message("The ImageNet weights could not be downloaded. " * 12
                                             + "/a/very/long/path/" * 20)
    qtbot.wait(50)
    assert window.width() == width and window.minimumSizeHint().width() <= 1024
    problems = settled_clipped(qtbot, window)
    assert not problems, problems


def test_an_error_says_what_happened_and_keeps_its_technical_detail_behind_details(qtbot, window):
    from engine.errors import StudioError

    window.resize(*SMALL_SCREEN)
    qtbot.wait(50)
    width, status = window.width(), window.classify_tab.status
    status.show_error(StudioError("photos.zip: cannot read it; pick a folder of photos instead.",
                                  detail="OSError: [Errno 5] Input/output error: '/" + "very/long/" * 60 + "'"))
    qtbot.wait(50)
    assert status.is_error and status.text().startswith("photos.zip: cannot read it")
    assert status.details_button.isVisible() and not status.details.isVisible()
    status.details_button.click()
    assert status.details.isVisible() and "[Errno 5]" in status.details.toPlainText()
    problems = settled_clipped(qtbot, window)
    assert "Errno" not in status.text() and window.width() == width and not problems, problems
    try:
        raise KeyError("pixels")
    except KeyError as bug:
        status.show_error(bug)
    assert "did not expect" in status.text() and "KeyError" not in status.text()
    assert "KeyError: 'pixels'" in status.details.toPlainText() and not status.details.isVisible()
    status.show_message("Drop photos or folders anywhere on this window.")
    assert not status.is_error and not status.details_button.isVisible()
