"""Nothing clipped at 1024x700, in English and Korean: every visible label and button of every tab shows its
whole text; the window's minimum size fits a 1024x640 screen; a long message wraps instead of widening it."""

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from tests.gui.helpers import drop_files
from tests.image_files import make_class_folders

SMALL_SCREEN = (1024, 700)


def _shown(text: str) -> str:
    """A label's text as drawn: mnemonic ampersands dropped ("&&" is one ampersand)."""
    return re.sub(r"&(.)", r"\1", text)


def clipped(window) -> list[str]:
    """The visible labels and buttons whose text does not fit their widget, with what they need."""
    problems = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
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
    return problems


def settled_clipped(qtbot, window, settle_ms: int = 2000) -> list[str]:
    """clipped(window) once the layout has settled: a resize or a language switch is laid out over several
    event-loop turns (longer on a loaded machine), so text still cut after `settle_ms` stays cut."""
    try:
        qtbot.waitUntil(lambda: not clipped(window), timeout=settle_ms)
    except qtbot.TimeoutError:
        pass
    return clipped(window)


def _every_tab(qtbot, window) -> dict[str, list[str]]:
    found = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        found[window.tabs.tabText(index)] = settled_clipped(qtbot, window)
    return found


@pytest.mark.parametrize("language", ["en", "ko"])
def test_nothing_is_clipped_at_1024_by_700(qtbot, window, tmp_path, language):
    window.set_language(language)
    window.resize(*SMALL_SCREEN)
    found = _every_tab(qtbot, window)
    assert all(not problems for problems in found.values()), found
    # the Train tab with a checked folder shows its counts, its settings and the automatic choice
    folder = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=4, size=32)
    window.tabs.setCurrentWidget(window.train_tab)
    assert drop_files(window.train_tab.dataset, [folder])
    qtbot.waitUntil(lambda: window.train_tab.start_button.isEnabled(), timeout=60_000)
    problems = settled_clipped(qtbot, window)
    assert not problems, problems
    # the Sort tab sorting a folder of photos into named classes
    window.tabs.setCurrentWidget(window.sort_tab)
    assert drop_files(window.sort_tab, [folder / "cat"])
    for name in ("tabby cats", "kittens"):
        window.sort_tab.add_class(name)
    problems = settled_clipped(qtbot, window)
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
