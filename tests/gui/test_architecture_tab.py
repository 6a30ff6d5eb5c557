"""The Architecture tab, driven offscreen through its real widgets."""

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from gui.architecture_tab import ArchitectureTab
from tests.gui.helpers import tiny_model_file
from tests.image_files import class_picture, write_image


def _top_level(tab):
    return {tab.tree.topLevelItem(i).text(0): tab.tree.topLevelItem(i) for i in range(tab.tree.topLevelItemCount())}


def test_tab_shows_densenet121_shapes(qtbot):
    tab = ArchitectureTab()
    qtbot.addWidget(tab)
    tab.refresh()
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 9, timeout=120_000)
    rows = _top_level(tab)
    block = rows["dense block 1"]
    assert (block.text(2), block.text(3), block.text(4)) == ("(56, 56, 64)", "(56, 56, 256)", "6")
    assert rows["transition 1"].text(3) == "(28, 28, 128)"
    assert block.childCount() == 6 * 7  # each bottleneck layer: 2 BN, 2 ReLU, 2 conv, 1 concat
    assert "8,062,504" in tab.totals.text()

    tab.copy_text()
    assert "dense_block_1" in QApplication.clipboard().text()


def test_choosing_a_compact_variant_updates_the_tree(qtbot):
    tab = ArchitectureTab()
    qtbot.addWidget(tab)
    tab.variant_box.setCurrentText("densenet-bc-40-k12")
    assert tab.size_box.value() == 32
    qtbot.waitUntil(lambda: "dense block 3" in _top_level(tab) and "transition 3" not in _top_level(tab),
                    timeout=120_000)
    assert _top_level(tab)["dense block 3"].text(3) == "(8, 8, 132)"


def test_too_small_input_shows_an_error_and_keeps_running(qtbot):
    tab = ArchitectureTab()
    qtbot.addWidget(tab)
    tab.size_box.setValue(16)
    tab.refresh()
    qtbot.waitUntil(lambda: "too small" in tab.status.text(), timeout=60_000)


def _compact_tab(qtbot, variant="densenet-bc-40-k12"):
    """A shown tab with `variant` chosen before the first show, so densenet121 is never built."""
    tab = ArchitectureTab()
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.variant_box.setCurrentText(variant)
    tab.show()
    qtbot.waitUntil(lambda: tab.report is not None and tab.report.variant == variant, timeout=120_000)
    return tab


def test_every_block_kind_explains_itself_on_hover(qtbot):
    tab = _compact_tab(qtbot)
    tips = {}
    for index, stage in enumerate(tab.report.stages):
        item = tab.tree.topLevelItem(index)
        assert item.toolTip(0) and item.toolTip(0) == item.toolTip(6)
        tips.setdefault(stage.kind, item.toolTip(0))
    assert set(tips) == {"stem", "dense_block", "transition", "head"}
    assert "adds k = 12 feature maps and sees all earlier ones" in tips["dense_block"]
    assert "halves the feature maps (compression θ = 0.5" in tips["transition"] and "32×32 → 16×16" in tips["transition"]
    assert "24 feature maps" in tips["stem"]
    assert "global average pooling" in tips["head"] and "10 class scores" in tips["head"]
    assert tab.diagram.tooltips == [tab.tree.topLevelItem(i).toolTip(0) for i in range(tab.tree.topLevelItemCount())]

    centre = tab.diagram._box(1).center().toPoint()  # hovering the first dense block's box
    QApplication.sendEvent(tab.diagram, QHelpEvent(QEvent.Type.ToolTip, centre, tab.diagram.mapToGlobal(centre)))
    assert QToolTip.text() == tips["dense_block"]


def test_stage_names_follow_the_window_language(qtbot, window):
    """The tree, the opened block's title and the diagram name the stages in Korean too (not "stem")."""
    tab = window.architecture_tab
    tab.variant_box.setCurrentText("densenet-bc-10-k4")
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: "dense block 1" in _top_level(tab), timeout=120_000)
    tab.open_block(1)
    window.set_language("ko")
    rows = _top_level(tab)
    assert {"스템", "덴스 블록 1", "전이 1", "헤드"} <= set(rows) and rows["덴스 블록 1"].text(1) == "덴스 블록"
    assert tab.panel.title.text() == "덴스 블록 1" and tab.diagram._caption(tab.report.stages[2]) == "전이 1"
    window.set_language("en")
    assert tab.panel.title.text() == "dense block 1" and "stem" in _top_level(tab)


def test_clicking_a_dense_block_lists_its_layers_growing_by_k(qtbot):
    tab = _compact_tab(qtbot)
    item = _top_level(tab)["dense block 1"]
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=tab.tree.visualItemRect(item).center())
    assert item.isExpanded() and tab.panel.title.text() == "dense block 1"
    rows = [[tab.panel.layers.topLevelItem(i).text(c) for c in range(3)]
            for i in range(tab.panel.layers.topLevelItemCount())]
    # densenet-bc-40-k12: a stem of 2k = 24 maps, then six layers of k = 12 each.
    assert rows == [[f"conv2_block{i + 1}", f"{24 + 12 * i}", f"{36 + 12 * i} (+12)"] for i in range(6)]

    transition = [stage.name for stage in tab.report.stages].index("transition_1")
    box = tab.diagram._box(transition).center().toPoint()
    qtbot.mouseClick(tab.diagram, Qt.MouseButton.LeftButton, pos=box)
    assert tab.panel.title.text() == "transition 1" and _top_level(tab)["transition 1"].isExpanded()
    assert tab.panel.layers.topLevelItem(2).text(1) == "(32, 32, 96)"  # pool2_conv
    assert tab.panel.layers.topLevelItem(2).text(2) == "(32, 32, 48)"


def test_densenet_bc_defaults_to_ten_classes_and_the_papers_08_m_parameters(qtbot):
    tab = ArchitectureTab()
    qtbot.addWidget(tab)
    assert (tab.variant_box.currentText(), tab.classes_box.value()) == ("densenet121", 1000)
    tab.variant_box.setCurrentText("densenet-bc-100-k12")
    assert (tab.size_box.value(), tab.classes_box.value()) == (32, 10)
    qtbot.waitUntil(lambda: tab.report is not None and tab.report.variant == "densenet-bc-100-k12", timeout=120_000)
    assert tab.report.trainable_params == 769_162  # REFERENCE.md; the paper's 0.8 M
    assert round(tab.report.trainable_params / 1e6, 1) == 0.8
    assert "769,162 trainable" in tab.totals.text()
    tab.variant_box.setCurrentText("densenet169")
    assert (tab.size_box.value(), tab.classes_box.value()) == (224, 1000)


def test_show_on_a_photo_says_why_it_is_off_without_a_model(window):
    button = window.architecture_tab.photo_button
    assert not button.isEnabled()
    assert "No model is loaded" in button.toolTip()


def test_feature_maps_of_a_photo_are_computed_in_the_background(qtbot, window, tmp_path, monkeypatch):
    import threading

    from gui import feature_maps_dialog

    threads = []
    real = feature_maps_dialog.compute_feature_maps
    monkeypatch.setattr(feature_maps_dialog, "compute_feature_maps",
                        lambda *args: threads.append(threading.current_thread().name) or real(*args))
    with qtbot.waitSignal(window.models.ready, timeout=120_000):
        window.models.load(str(tiny_model_file(tmp_path / "pets.keras")))
    tab = window.architecture_tab
    assert tab.photo_button.isEnabled() and "pets.keras" in tab.photo_button.toolTip()

    photo = write_image(tmp_path / "cat.png", "png", class_picture(1, 48))
    tab.show_feature_maps(str(photo))
    dialog = tab.feature_dialog
    assert dialog.isVisible() and dialog.stages == [] and "Running" in dialog.status.text()  # the call did not wait
    qtbot.waitUntil(lambda: len(dialog.stages) == 6, timeout=60_000)
    assert threads and threads[0].startswith("tensorflow")
    captions = [dialog.grid.itemAtPosition(row, 0).widget().text() for row in range(6)]
    assert captions[0] == "stem\n(32, 32, 8)" and captions[-1] == "dense block 3\n(8, 8, 9)"
    assert dialog.grid.count() == 6 + sum(len(stage.channels) for stage in dialog.stages)
    assert "cat.png" in dialog.windowTitle()


def test_the_tab_follows_the_loaded_model_and_counts_its_own_parameters(qtbot, window, tmp_path):
    tab = window.architecture_tab
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.report is not None and tab.report.variant == "densenet121", timeout=120_000)
    path = tiny_model_file(tmp_path / "shapes.keras", class_names=("circle", "square", "star"), size=40)
    with qtbot.waitSignal(window.models.ready, timeout=120_000):
        window.models.load(str(path))
    qtbot.waitUntil(lambda: tab.report.variant == "densenet-bc-10-k4", timeout=120_000)
    chosen = (tab.variant_box.currentText(), tab.size_box.value(), tab.classes_box.value())
    assert chosen == ("densenet-bc-10-k4", 40, 3)
    assert tab.report.total_params == window.models.classifier.model.count_params()  # the loaded network itself
