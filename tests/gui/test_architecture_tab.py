"""The Architecture tab, driven offscreen through its real widgets."""

import sys

from PySide6.QtWidgets import QApplication

from gui.architecture_tab import ArchitectureTab
from gui.main_window import MainWindow


def test_window_opens_without_importing_tensorflow(qtbot):
    already = "tensorflow" in sys.modules
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert [window.tabs.tabText(i).replace("&", "") for i in range(3)] == ["Classify", "Train", "Architecture"]
    if not already:
        assert "tensorflow" not in sys.modules


def _top_level(tab):
    return {tab.tree.topLevelItem(i).text(0): tab.tree.topLevelItem(i) for i in range(tab.tree.topLevelItemCount())}


def test_tab_shows_densenet121_shapes(qtbot):
    tab = ArchitectureTab()
    qtbot.addWidget(tab)
    tab.refresh()
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 9, timeout=120_000)
    rows = _top_level(tab)
    block = rows["dense_block_1"]
    assert (block.text(2), block.text(3), block.text(4)) == ("(56, 56, 64)", "(56, 56, 256)", "6")
    assert rows["transition_1"].text(3) == "(28, 28, 128)"
    assert block.childCount() == 6 * 7  # each bottleneck layer: 2 BN, 2 ReLU, 2 conv, 1 concat
    assert "8,062,504" in tab.totals.text()

    tab.copy_text()
    assert "dense_block_1" in QApplication.clipboard().text()


def test_choosing_a_compact_variant_updates_the_tree(qtbot):
    tab = ArchitectureTab()
    qtbot.addWidget(tab)
    tab.variant_box.setCurrentText("densenet-bc-40-k12")
    assert tab.size_box.value() == 32
    qtbot.waitUntil(lambda: "dense_block_3" in _top_level(tab) and "transition_3" not in _top_level(tab),
                    timeout=120_000)
    assert _top_level(tab)["dense_block_3"].text(3) == "(8, 8, 132)"


def test_too_small_input_shows_an_error_and_keeps_running(qtbot):
    tab = ArchitectureTab()
    qtbot.addWidget(tab)
    tab.size_box.setValue(16)
    tab.refresh()
    qtbot.waitUntil(lambda: "too small" in tab.status.text(), timeout=60_000)
