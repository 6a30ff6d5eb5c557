"""The Architecture tab: the engine's report for a chosen variant and input size, as a stage -> layer tree that
teaches: hovering a block explains it, clicking one opens its layers beside the tree, and "Show on a photo"
shows what the loaded model's blocks make of a picture."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.model.config import MAX_CLASSES, MAX_INPUT_SIZE, ModelConfig
from engine.model.variants import get_variant, variant_names
from gui import settings as keys
from gui.block_diagram import BlockDiagram
from gui.block_panel import BlockPanel, shape_text
from gui.dense_view import DenseView
from gui.drops import photo_filter
from gui.engine_text import stage_kind, stage_name
from gui.feature_maps_dialog import FeatureMapsDialog
from gui.model_state import ModelState
from gui.status_line import StatusLine
from gui.workers import start_worker

COLUMNS = 7  # stage/layer, type, input, output, layers, params, multiply-adds


def describe_variant(variant: str, input_size: int, classes: int):
    """Runs in a worker thread: builds the model (importing TensorFlow on first use) and reports it."""
    from engine.model.architecture import describe

    return describe(ModelConfig(variant, input_size=input_size, classes=classes))


class ArchitectureTab(QWidget):
    """Shows every stage of the chosen DenseNet; rebuilding runs in the background, stale results are dropped.

    `models` is the app's model state, whose model "Show on a photo" runs; without one that button stays off.
    """

    def __init__(self, models: ModelState | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.models = models
        self.report = None
        self._request = 0

        self.variant_box = QComboBox()
        self.variant_box.addItems(variant_names())
        self.size_box = QSpinBox()
        self.size_box.setRange(8, MAX_INPUT_SIZE)
        self.classes_box = QSpinBox()
        self.classes_box.setRange(1, MAX_CLASSES)
        self._apply_defaults(self.variant_box.currentText())
        self.copy_button = QPushButton()
        self.photo_button = QPushButton()
        self.feature_dialog = FeatureMapsDialog(self)
        self.status = StatusLine()
        self.totals = QLabel()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(COLUMNS)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # also on expanding
        self.diagram = BlockDiagram()
        self.panel = BlockPanel()
        split = QSplitter()
        split.addWidget(self.tree)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 2)
        self.dense = DenseView()
        drawing_over_table = QSplitter(Qt.Orientation.Vertical)
        drawing_over_table.addWidget(self.dense)
        drawing_over_table.addWidget(split)
        drawing_over_table.setChildrenCollapsible(False)
        drawing_over_table.setStretchFactor(0, 3)
        drawing_over_table.setStretchFactor(1, 2)

        controls = QHBoxLayout()
        self.captions = []
        for widget in (self.variant_box, self.size_box, self.classes_box):
            caption = QLabel()
            caption.setBuddy(widget)
            self.captions.append(caption)
            controls.addWidget(caption)
            controls.addWidget(widget)
        controls.addStretch()
        controls.addWidget(self.photo_button)
        controls.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.diagram)
        layout.addWidget(drawing_over_table, 1)
        layout.addWidget(self.totals)
        self.retranslate()

        self.variant_box.currentTextChanged.connect(self._variant_changed)
        self.size_box.editingFinished.connect(self.refresh)
        self.classes_box.editingFinished.connect(self.refresh)
        self.copy_button.clicked.connect(self.copy_text)
        self.photo_button.clicked.connect(self.choose_photo)
        self.tree.itemClicked.connect(lambda item: self.open_block(self.tree.indexOfTopLevelItem(item)))
        self.diagram.clicked.connect(self.open_block)
        if models is not None:
            models.changed.connect(self._update_photo_button)
            models.ready.connect(self._follow_model)

    def retranslate(self) -> None:
        for caption, text in zip(self.captions, (self.tr("&Variant"), self.tr("&Input size"), self.tr("C&lasses"))):
            caption.setText(text)
        self.variant_box.setAccessibleName(self.tr("Variant"))
        self.size_box.setAccessibleName(self.tr("Input size"))
        self.classes_box.setAccessibleName(self.tr("Classes"))
        self.copy_button.setText(self.tr("Copy as &text"))
        self.variant_box.setToolTip(self.tr("Which DenseNet to show: the paper's four ImageNet networks, or a "
                                            "DenseNet-BC for small photos. Pick another to compare their blocks "
                                            "and cost; a loaded model chooses its own."))
        self.size_box.setToolTip(self.tr("The photo's height and width in pixels. Every feature map's size follows "
                                         "it; make it larger to see the multiply-adds grow."))
        self.classes_box.setToolTip(self.tr("How many classes the last layer scores. Only the head's parameters "
                                            "change with it."))
        self.copy_button.setToolTip(self.tr("Copy the table below as text, to paste into notes or a report."))
        self.tree.setHeaderLabels([self.tr("Stage / layer"), self.tr("Type"), self.tr("Input"), self.tr("Output"),
                                   self.tr("Layers"), self.tr("Params"), self.tr("MACs")])
        self.tree.setAccessibleName(self.tr("Architecture tree"))
        self.diagram.setAccessibleName(self.tr("Block diagram"))
        self.photo_button.setText(self.tr("Show on a &photo…"))
        self.photo_button.setAccessibleName(self.tr("Show feature maps of a photo"))
        self._update_photo_button()
        self.panel.retranslate()
        self.dense.retranslate()
        self.status.retranslate()
        self.feature_dialog.retranslate()
        if self.report is not None:
            self._name_stages(self.report)
            self._show_totals(self.report)
            self._set_tooltips(self.report)

    def _name_stages(self, report) -> None:
        """The tree's stage rows named in the window's language; the diagram repaints its captions in it."""
        for index, stage in enumerate(report.stages):
            item = self.tree.topLevelItem(index)
            item.setText(0, stage_name(stage.name))
            item.setText(1, stage_kind(stage.kind))
        self.diagram.update()

    def showEvent(self, event) -> None:
        """The first report is built when the tab is first shown (it imports TensorFlow)."""
        super().showEvent(event)
        if self._request == 0:
            self.refresh()

    def _apply_defaults(self, name: str) -> None:
        """The variant's published setting: ImageNet's 224 px and 1000 classes, CIFAR's 32 px and 10."""
        variant = get_variant(name)
        self.size_box.setValue(variant.default_input_size)
        self.classes_box.setValue(variant.default_classes)

    def _follow_model(self) -> None:
        """Show the loaded model's own network (its variant, input size and classes), so the report and "Show
        on a photo" describe the same one; a plain Keras model, whose network the app cannot name, leaves the
        choice as it is."""
        model = self.models.classifier
        if model is None or model.variant is None:
            return
        if self.variant_box.findText(model.variant) < 0:
            self.variant_box.addItem(model.variant)
        self.variant_box.blockSignals(True)  # not the variant's published size and classes: the model's own
        self.variant_box.setCurrentText(model.variant)
        self.variant_box.blockSignals(False)
        self.size_box.setValue(model.input_size)
        self.classes_box.setValue(len(model.class_names))
        if self._request:  # until the tab is first shown, its first report is built then
            self.refresh()

    def _variant_changed(self, name: str) -> None:
        self._apply_defaults(name)
        self.refresh()

    def refresh(self) -> None:
        """Ask for the report of the current choice; only the newest answer is shown."""
        self._request += 1
        request = self._request
        variant, size, classes = self.variant_box.currentText(), self.size_box.value(), self.classes_box.value()
        self.dense.set_network(variant, size, classes)  # drawn at once; the table follows from the worker
        self.status.show_message(self.tr("Building {0} at {1}x{1}…").format(variant, size))
        start_worker(describe_variant, variant, size, classes, tensorflow=True,
                     on_returned=lambda report: self._show(request, report),
                     on_errored=lambda error: self._fail(request, error))

    def _fail(self, request: int, error: BaseException) -> None:
        if request == self._request:
            self.status.show_error(error)

    def _show(self, request: int, report) -> None:
        if request != self._request:
            return
        self.report = report
        self.status.show_message("")
        self.tree.clear()
        for stage in report.stages:
            item = QTreeWidgetItem(["", "", shape_text(stage.input_shape),
                                    shape_text(stage.output_shape), str(stage.dense_layers),
                                    f"{stage.params:,}", f"{stage.macs:,}"])
            for layer in stage.layers:
                item.addChild(QTreeWidgetItem([layer.name, layer.type, shape_text(layer.input_shape),
                                               shape_text(layer.output_shape), "", f"{layer.params:,}",
                                               f"{layer.macs:,}"]))
            for column in range(4, 7):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.tree.addTopLevelItem(item)
        self.diagram.show_report(report)
        self._name_stages(report)
        self._set_tooltips(report)
        self._show_totals(report)
        opened = self.panel.stage.name if self.panel.stage is not None else None
        names = [stage.name for stage in report.stages]
        if opened in names:
            self.open_block(names.index(opened))  # the same block, in the new numbers
        else:
            self._open(names.index("dense_block_1"))  # what makes a DenseNet, drawn from the start

    def _set_tooltips(self, report) -> None:
        """Each stage's one-sentence lesson, on its tree row (every column) and its diagram box; as rich text,
        which Qt wraps, so a long sentence is a compact box rather than a line across the screen."""
        variant = get_variant(report.variant)
        tips = [f"<p>{html.escape(self.panel.explain(stage, variant))}</p>" for stage in report.stages]
        for index, tip in enumerate(tips):
            item = self.tree.topLevelItem(index)
            for column in range(COLUMNS):
                item.setToolTip(column, tip)
        self.diagram.tooltips = tips

    def open_block(self, index: int) -> None:
        """Clicking a block (tree row or diagram box): its row opens and the panel lists its layers."""
        if self.report is None or not 0 <= index < len(self.report.stages):
            return
        item = self.tree.topLevelItem(index)
        item.setExpanded(True)
        self.tree.setCurrentItem(item)
        self._open(index)

    def _open(self, index: int) -> None:
        """The panel lists the stage's layers and the drawing above draws it (a dense block or transition)."""
        stage = self.report.stages[index]
        self.panel.show_stage(stage, get_variant(self.report.variant))
        number = stage.name.rsplit("_", 1)[-1]
        self.dense.open(stage.kind, int(number) if number.isdigit() else 0)

    def show_layers(self, count: int) -> None:
        """Draw the opened dense block's first `count` layers (its step control; the docs' screenshots use it)."""
        self.dense.set_shown(count)

    def _show_totals(self, report) -> None:
        self.totals.setText(self.tr("Total {0:,} parameters ({1:,} trainable), {2:.3f} G multiply-adds").format(
            report.total_params, report.trainable_params, report.macs / 1e9))

    def copy_text(self) -> None:
        if self.report is not None:
            QApplication.clipboard().setText(self.report.to_text())

    # -- feature maps of a photo ------------------------------------------------------------------------
    def _update_photo_button(self) -> None:
        """On only with a loaded model; the tooltip says why it is off, or what it will run."""
        model = self.models.classifier if self.models is not None else None
        self.photo_button.setEnabled(model is not None)
        if model is None:
            self.photo_button.setToolTip(self.tr("No model is loaded: open, train or download one in the Classify "
                                                 "tab, then see its feature maps on a photo."))
        else:
            self.photo_button.setToolTip(self.tr("Run {0} on a photo you choose and see the feature maps after "
                                                 "the stem and each block.").format(self.models.name))

    def choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a photo"),
                                              keys.recall_folder(self.models.settings, keys.PHOTOS_FOLDER),
                                              photo_filter())
        if path:
            self.show_feature_maps(path)

    def show_feature_maps(self, photo: str) -> None:
        """The loaded model's feature maps of `photo`, computed in the background, in the dialog."""
        self.feature_dialog.run(self.models.classifier.model, self.models.name, photo)
