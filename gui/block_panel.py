"""The lesson beside the architecture tree: what a block does, in one sentence, and its layers; a dense block
lists one row per bottleneck layer, so the reader sees the feature maps grow k by k."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.model.config import DENSE_BLOCK, HEAD, TRANSITION
from gui.engine_text import stage_name
from gui.wrapping_label import WrappingLabel


def shape_text(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


class BlockPanel(QWidget):
    """Explains blocks (also for the tab's tooltips) and shows the layers of the one chosen."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.stage = None
        self.variant = None
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.sentence = WrappingLabel()  # beside the drawing's splitter a plain wrapped label is cut to fewer lines
        self.layers = QTreeWidget()
        self.layers.setColumnCount(3)
        self.layers.setRootIsDecorated(False)
        self.layers.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # headers too
        self.layers.setMinimumHeight(48)  # a header and a row: the drawing above needs the height more
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.sentence)
        layout.addWidget(self.layers, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.layers.setAccessibleName(self.tr("Layers of the chosen block"))
        if self.stage is None:
            self.clear()
        else:
            self.show_stage(self.stage, self.variant)

    def explain(self, stage, variant) -> str:
        """One sentence on what `stage` (an engine.model.architecture.Stage of `variant`) does, with its numbers."""
        height, width, maps = stage.input_shape
        out = stage.output_shape
        if stage.kind == DENSE_BLOCK:
            return self.tr("Dense block: each of its {0} layers adds k = {1} feature maps and sees all earlier "
                           "ones, so {2} maps grow to {3}.").format(stage.dense_layers, variant.growth_rate,
                                                                   maps, out[-1])
        if stage.kind == TRANSITION:
            return self.tr("Transition: a 1×1 convolution halves the feature maps (compression θ = {0}: {1} → {2}) "
                           "and 2×2 average pooling halves the size ({3}×{4} → {5}×{6}).").format(
                variant.compression, maps, out[-1], height, width, out[0], out[1])
        if stage.kind == HEAD:
            return self.tr("Head: global average pooling turns each of the {0} feature maps into one number, and "
                           "a classifier turns those into {1} class scores.").format(maps, out[-1])
        return self.tr("Stem: the first convolution turns the {0}×{1} photo into {2} feature maps of {3}×{4}, "
                       "the first dense block's input.").format(height, width, out[-1], out[0], out[1])

    def clear(self) -> None:
        self.stage = self.variant = None
        self.title.setText(self.tr("Layers"))
        self._set_headers(dense=False)
        self.sentence.setText(self.tr("Click a block to open its layers; hover over one to read what it does."))
        self.layers.clear()

    def _set_headers(self, dense: bool) -> None:
        maps = (self.tr("Maps in"), self.tr("Maps out")) if dense else (self.tr("Input"), self.tr("Output"))
        self.layers.setHeaderLabels([self.tr("Layer"), *maps])

    def show_stage(self, stage, variant) -> None:
        """Open `stage`: its sentence, then a dense block's bottleneck layers (maps seen, maps after adding k)
        or any other block's Keras layers with their shapes."""
        self.stage, self.variant = stage, variant
        self.title.setText(stage_name(stage.name))
        self.sentence.setText(self.explain(stage, variant))
        self.layers.clear()
        self._set_headers(dense=bool(stage.growth))
        if stage.growth:
            rows = [[name, str(seen), f"{after} (+{after - seen})"] for name, seen, after in stage.growth]
        else:
            rows = [[layer.name, shape_text(layer.input_shape), shape_text(layer.output_shape)]
                    for layer in stage.layers]
        self.layers.addTopLevelItems([QTreeWidgetItem(row) for row in rows])
