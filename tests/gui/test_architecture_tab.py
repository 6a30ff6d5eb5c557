"""The Architecture tab, driven offscreen through its real widgets."""

import itertools

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip

from engine.model.architecture import describe
from engine.model.config import DENSE_BLOCK, TRANSITION, ModelConfig
from engine.model.variants import get_variant
from gui.architecture_tab import ArchitectureTab
from gui.dense_view import DenseView
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
    assert "halves the feature maps (compression θ = 0.5" in tips["transition"]
    assert "32×32 → 16×16" in tips["transition"]
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
    assert tab.dense.base == get_variant("densenet-bc-10-k4") and tab.dense.opened == (DENSE_BLOCK, 1)
    assert tab.dense.counts.params == tab.report.total_params  # the drawing counts the same network
    assert tab.dense.drawing.block.maps_in == 8 and tab.dense.drawing.block.size == (40, 40)  # its stem's 2k


def _dense_view(qtbot, variant="densenet-bc-40-k12", size=32, classes=10):
    """The drawing with its controls, shown offscreen, dense block 1 of `variant` open."""
    view = DenseView()
    qtbot.addWidget(view)
    view.resize(900, 420)
    view.set_network(variant, size, classes)
    view.open(DENSE_BLOCK, 1)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_the_step_control_draws_one_layer_more_or_less_with_every_concatenation_path(qtbot):
    view = _dense_view(qtbot)
    drawing = view.drawing
    assert (drawing.shown, len(drawing.paths), view.shown_box.maximum()) == (4, 4 * 5 // 2, 6)  # a few to start
    assert "x₀ and 4 layers: 24 → 72 maps" in view.numbers.text()
    view.shown_box.stepUp()
    assert (drawing.shown, len(drawing.paths)) == (5, 15) and "24 → 84 maps" in view.numbers.text()
    view.all_button.click()
    assert (drawing.shown, len(drawing.paths)) == (6, 21)
    assert set(drawing.paths) == {(source, layer) for layer in range(1, 7) for source in range(layer)}
    view.set_shown(1)
    assert drawing.paths == [(0, 1)]
    rects = [drawing.node_rect(index) for index in range(drawing.shown + 1)]
    assert rects[0].right() < rects[1].left()


def test_a_64_layer_block_stays_legible_and_scrolls(qtbot):
    view = _dense_view(qtbot, "densenet264", 224, 1000)
    view.open(DENSE_BLOCK, 3)
    view.all_button.click()
    drawing = view.drawing
    assert (drawing.shown, len(drawing.paths)) == (64, 64 * 65 // 2)
    rects = [drawing.node_rect(index) for index in range(65)]
    assert all(left.right() < right.left() for left, right in itertools.pairwise(rects))  # no two nodes overlap
    assert drawing.width() >= rects[-1].right() > view.scroll.viewport().width()  # wider than the view: it scrolls
    assert view.scroll.horizontalScrollBar().maximum() > 0


def _move_mouse(widget, point) -> None:
    """A real mouse move over `widget` at `point`, sent to it: QTest's moves the system cursor, which another
    test's window left on screen can take."""
    position = QPointF(point)
    QApplication.sendEvent(widget, QMouseEvent(QEvent.Type.MouseMove, position, widget.mapToGlobal(position),
                                               Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                                               Qt.KeyboardModifier.NoModifier))


def test_hovering_a_layer_lights_the_maps_that_feed_it_and_says_its_numbers(qtbot):
    view = _dense_view(qtbot)
    drawing = view.drawing
    centre = drawing.node_rect(3).center().toPoint()
    _move_mouse(drawing, centre)
    qtbot.waitUntil(lambda: drawing.hovered == 3)
    assert drawing.feeding() == [0, 1, 2]
    layer = view.counts.blocks[0].layers[2]
    tip = drawing.tooltip(3)
    assert "Receives 48 maps (x₀ and the 2 layers before it) and adds 12: 60 maps" in tip
    assert f"{layer.params:,} parameters, {layer.macs:,} multiply-adds" in tip
    QApplication.sendEvent(drawing, QHelpEvent(QEvent.Type.ToolTip, centre, drawing.mapToGlobal(centre)))
    qtbot.waitUntil(lambda: QToolTip.text() == tip)  # shown where the mouse is, under load a moment later
    _move_mouse(drawing, drawing.node_rect(1).center().toPoint())
    qtbot.waitUntil(lambda: drawing.hovered == 1)
    assert drawing.feeding() == [0]


def test_editing_k_layers_and_theta_gives_the_numbers_of_the_keras_model(qtbot):
    view = _dense_view(qtbot)
    view.growth_box.setValue(16)
    view.layers_box.setValue(8)
    view.theta_box.setValue(0.4)
    assert (view.drawing.block.growth_rate, len(view.drawing.block.layers)) == (16, 8)
    assert "x₀ and 4 layers: 32 → 96 maps" in view.numbers.text()  # the stem gives 2k maps
    report = describe(ModelConfig(view.variant().name, input_size=32, classes=10))  # built through the engine
    assert (view.counts.params, view.counts.macs) == (report.total_params, report.macs)
    assert [stage.output_shape for stage in report.stages if stage.name == "transition_1"] == [(16, 16, 64)]
    assert view.counts.blocks[0].transition.maps_out == 64  # floor(0.4 * (32 + 8 * 16))
    assert view.network.isVisible() and f"{report.total_params:,} parameters" in view.network.text()
    assert "k = 16, layers 8, 6, 6, θ = 0.4" in view.network.text()

    view.open(TRANSITION, 1)
    assert view.drawing.block is None and view.drawing.transition.maps_in == 160
    assert "160 → 64 maps, 32×32 → 16×16" in view.numbers.text() and not view.layers_box.isEnabled()
    view.reset_button.click()
    assert view.variant() == get_variant("densenet-bc-40-k12") and not view.network.isVisible()
    assert view.growth_box.value() == 12 and view.theta_box.value() == 0.5
    assert "96 → 48 maps" in view.numbers.text()


def test_every_control_of_the_tab_says_what_it_does(qtbot):
    tab = ArchitectureTab()
    qtbot.addWidget(tab)
    view = tab.dense
    for widget in (tab.variant_box, tab.size_box, tab.classes_box, tab.copy_button, view.shown_box,
                   view.all_button, view.growth_box, view.layers_box, view.theta_box, view.reset_button):
        assert len(widget.toolTip()) > 30, widget
