"""The opened dense block drawn (gui.dense_drawing) with what a learner plays with: how many of its layers are
drawn, and the network's k, layers per block and theta, whose drawing, shapes, parameters and multiply-adds
follow at once (engine.model.cost counts them in pure Python, no model built)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.errors import ConfigError
from engine.model.config import DENSE_BLOCK, TRANSITION
from engine.model.cost import NetworkCounts, network_counts
from engine.model.variants import (
    MAX_BLOCK_LAYERS,
    MAX_GROWTH_RATE,
    MIN_COMPRESSION,
    Variant,
    edited,
    get_variant,
)
from gui.dense_drawing import DenseDrawing
from gui.wrapping_label import WrappingLabel

FIRST_SHOWN = 4  # layers drawn when a block opens, as in the paper's Figure 1; the step control adds the rest


def millions(macs: int) -> str:
    return f"{macs / 1e6:,.1f} M"


class DenseView(QWidget):
    """One dense block or transition of `variant` (edited or not), drawn with its numbers. `opened` is the
    stage kind and its number (dense block 1 is (DENSE_BLOCK, 1)); `counts` the shown network's numbers."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.base: Variant | None = None
        self.size = self.classes = 0
        self.opened: tuple[str, int] = (DENSE_BLOCK, 1)
        self.counts: NetworkCounts | None = None
        self.blocks: tuple[int, ...] = ()

        self.shown_box = QSpinBox()
        self.shown_box.setValue(FIRST_SHOWN)
        self.of_label = QLabel()
        self.all_button = QPushButton()
        self.growth_box = QSpinBox()
        self.growth_box.setRange(1, MAX_GROWTH_RATE)
        self.layers_box = QSpinBox()
        self.layers_box.setRange(1, MAX_BLOCK_LAYERS)
        self.theta_box = QDoubleSpinBox()
        self.theta_box.setRange(MIN_COMPRESSION, 1.0)
        self.theta_box.setSingleStep(0.05)
        self.reset_button = QPushButton()
        self.numbers = WrappingLabel()
        self.network = WrappingLabel()  # only for an edited network: unedited, the table's totals are the same
        self.drawing = DenseDrawing()
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.drawing)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setMinimumHeight(self.drawing.minimumHeight()
                                     + self.scroll.horizontalScrollBar().sizeHint().height())

        self.captions = []
        step_row, edit_row = QHBoxLayout(), QHBoxLayout()
        for row, widget in ((step_row, self.shown_box), (edit_row, self.growth_box), (edit_row, self.layers_box),
                            (edit_row, self.theta_box)):
            caption = QLabel()
            caption.setBuddy(widget)
            self.captions.append(caption)
            row.addWidget(caption)
            row.addWidget(widget)
        step_row.addWidget(self.of_label)
        step_row.addWidget(self.all_button)
        step_row.addSpacing(12)
        step_row.addWidget(self.numbers, 1)
        edit_row.addWidget(self.reset_button)
        edit_row.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(step_row)
        layout.addLayout(edit_row)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.network)
        self.retranslate()

        self.shown_box.valueChanged.connect(self._update)
        self.all_button.clicked.connect(lambda: self.shown_box.setValue(self.shown_box.maximum()))
        self.growth_box.valueChanged.connect(self._update)
        self.theta_box.valueChanged.connect(self._update)
        self.layers_box.valueChanged.connect(self._layers_changed)
        self.reset_button.clicked.connect(self.reset)

    def retranslate(self) -> None:
        for caption, text in zip(self.captions, (self.tr("Layers &shown"), self.tr("&Growth rate k"),
                                                 self.tr("Layers in this &block"), self.tr("Co&mpression θ"))):
            caption.setText(text)
        self.all_button.setText(self.tr("All"))
        self.reset_button.setText(self.tr("R&eset to the paper's"))
        self.shown_box.setToolTip(self.tr("How many layers of the opened dense block are drawn. Add one at a time to "
                                          "watch each new layer receive the maps of every layer before it."))
        self.all_button.setToolTip(self.tr("Draw every layer of the block; a long block scrolls sideways."))
        self.growth_box.setToolTip(self.tr("Growth rate k: the feature maps each layer adds. A larger k gives more "
                                           "maps, parameters and multiply-adds; the paper uses 12 to 40 for small "
                                           "photos and 32 for ImageNet."))
        self.layers_box.setToolTip(self.tr("How many layers the opened dense block has. More layers: more maps at "
                                           "its end, and a costlier transition after it."))
        self.theta_box.setToolTip(self.tr("Compression θ: the share of the feature maps a transition keeps. "
                                          "DenseNet-BC uses 0.5; 1 keeps them all, as the plain DenseNet does."))
        self.reset_button.setToolTip(self.tr("Back to the k, layers and θ of the network chosen above (the "
                                             "published one, or the loaded model's)."))
        for widget, name in ((self.shown_box, self.tr("Layers shown")), (self.growth_box, self.tr("Growth rate k")),
                             (self.layers_box, self.tr("Layers in this block")),
                             (self.theta_box, self.tr("Compression θ")),
                             (self.drawing, self.tr("Drawing of the opened block"))):
            widget.setAccessibleName(name)
        self._update()

    # -- what is shown -------------------------------------------------------------------------------------
    def set_network(self, name: str, size: int, classes: int) -> None:
        """The network chosen in the tab (or the loaded model's); another variant drops the edits."""
        try:
            base = get_variant(name)
        except ConfigError:
            base = None
        self.size, self.classes = size, classes
        if base != self.base:
            self.base = base
            self.reset()
        else:
            self._update()

    def open(self, kind: str, number: int) -> None:
        """Draw dense block `number` (from 1) with its first few layers, or transition `number`."""
        if (kind, number) != self.opened and kind == DENSE_BLOCK:
            self.shown_box.blockSignals(True)
            self.shown_box.setValue(FIRST_SHOWN)
            self.shown_box.blockSignals(False)
        self.opened = (kind, number)
        self._update()

    def set_shown(self, count: int) -> None:
        self.shown_box.setValue(count)

    def reset(self) -> None:
        """The chosen network's own k, layers per block and theta."""
        if self.base is None:
            self._update()
            return
        for box, value in ((self.growth_box, self.base.growth_rate), (self.theta_box, self.base.compression)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self.blocks = self.base.blocks
        self._update()

    def variant(self) -> Variant:
        """The network drawn: the chosen one, or its edit (engine.model.variants.edited) when anything differs."""
        base = self.base
        growth, theta = self.growth_box.value(), round(self.theta_box.value(), 2)
        if (growth, self.blocks, theta) == (base.growth_rate, base.blocks, base.compression):
            return base
        return edited(base, growth, self.blocks, theta)

    def _layers_changed(self, layers: int) -> None:
        kind, number = self.opened
        if kind == DENSE_BLOCK and self.blocks and self.blocks[number - 1] != layers:
            self.blocks = (*self.blocks[:number - 1], layers, *self.blocks[number:])
            self._update()

    def _update(self) -> None:
        self.counts = None
        problem = self._count()
        kind, number = self.opened
        dense = kind == DENSE_BLOCK and self.counts is not None
        for widget in (self.shown_box, self.all_button, self.layers_box):
            widget.setEnabled(dense)
        for widget in (self.growth_box, self.theta_box, self.reset_button):
            widget.setEnabled(self.base is not None)
        if problem:
            self.drawing.clear()
            self.numbers.setText(problem)
            self.network.hide()
            self.of_label.setText("")
            return
        block = self.counts.blocks[number - 1]
        if dense:
            self._show_block(block)
        else:
            self.drawing.show_transition(block.transition)
            move = block.transition
            self.numbers.setText(self.tr("{0} → {1} maps, {2}×{3} → {4}×{5}; {6:,} parameters, {7} multiply-adds.")
                                 .format(move.maps_in, move.maps_out, *move.size_in, *move.size_out, move.params,
                                         millions(move.macs)))
            self.of_label.setText("")
        self._show_network()

    def _count(self) -> str:
        """Counts the drawn network into self.counts; a sentence saying why not where it cannot."""
        kind, number = self.opened
        if self.base is None:
            return self.tr("Choose a DenseNet above to see its dense blocks drawn.")
        if kind not in (DENSE_BLOCK, TRANSITION) or not 1 <= number <= len(self.blocks) - (kind == TRANSITION):
            return self.tr("Open a dense block or a transition (click it above or in the table) to see it drawn.")
        try:
            variant = self.variant()
        except ConfigError:
            return self.tr("θ = {0:g} leaves a transition no feature maps; choose a larger θ.").format(
                self.theta_box.value())
        if self.size < variant.min_input_size:
            return self.tr("The input size is too small for this network; see the message above.")
        self.counts = network_counts(variant, self.size, classes=self.classes)
        return ""

    def _show_block(self, block) -> None:
        layers = len(block.layers)
        self.layers_box.blockSignals(True)
        self.layers_box.setValue(layers)
        self.layers_box.blockSignals(False)
        self.shown_box.blockSignals(True)
        was_all = self.shown_box.value() >= self.shown_box.maximum() > 0
        self.shown_box.setRange(0, layers)
        if was_all:
            self.shown_box.setValue(layers)
        self.shown_box.blockSignals(False)
        shown = self.shown_box.value()
        self.drawing.show_block(block, shown)
        self.of_label.setText(self.tr("of {0}").format(layers))
        drawn = block.layers[:shown]
        self.numbers.setText(self.tr("x₀ and {0} layers: {1} → {2} maps, {3:,} parameters, {4} multiply-adds.")
                             .format(shown, block.maps_in, block.maps_in + shown * block.growth_rate,
                                     sum(layer.params for layer in drawn),
                                     millions(sum(layer.macs for layer in drawn))))

    def _show_network(self) -> None:
        """An edited network's totals, labelled as such: the table's are the unedited network's."""
        variant = self.variant()
        self.network.setVisible(variant != self.base)
        if variant == self.base:
            return
        totals = self.tr("{0:,} parameters, {1:.3f} G multiply-adds").format(self.counts.params,
                                                                             self.counts.macs / 1e9)
        self.network.setText(self.tr("Your edit of {0}: k = {1}, layers {2}, θ = {3:g}; {4}. The table below "
                                     "still shows the unedited network.").format(
            self.base.label, variant.growth_rate, ", ".join(map(str, variant.blocks)), variant.compression, totals))
