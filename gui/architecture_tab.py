"""The Architecture tab: the engine's report for a chosen variant and input size, as a stage -> layer tree."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.variants import get_variant, variant_names
from gui.block_diagram import BlockDiagram
from gui.workers import start_worker

COLUMNS = 7  # stage/layer, type, input, output, layers, params, multiply-adds


def _shape_text(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


def describe_variant(variant: str, input_size: int, classes: int):
    """Runs in a worker thread: builds the model (importing TensorFlow on first use) and reports it."""
    from engine.architecture import describe
    from engine.config import ModelConfig

    return describe(ModelConfig(variant, input_size=input_size, classes=classes))


class ArchitectureTab(QWidget):
    """Shows every stage of the chosen DenseNet; rebuilding runs in the background, stale results are dropped."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.report = None
        self._request = 0

        self.variant_box = QComboBox()
        self.variant_box.addItems(variant_names())
        self.size_box = QSpinBox()
        self.size_box.setRange(8, 1024)
        self.size_box.setValue(224)
        self.classes_box = QSpinBox()
        self.classes_box.setRange(1, 100000)
        self.classes_box.setValue(1000)
        self.copy_button = QPushButton()
        self.status = QLabel()
        self.totals = QLabel()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(COLUMNS)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # also on expanding
        self.diagram = BlockDiagram()

        controls = QHBoxLayout()
        self.captions = []
        for widget in (self.variant_box, self.size_box, self.classes_box):
            caption = QLabel()
            caption.setBuddy(widget)
            self.captions.append(caption)
            controls.addWidget(caption)
            controls.addWidget(widget)
        controls.addStretch()
        controls.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.diagram)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.totals)
        self.retranslate()

        self.variant_box.currentTextChanged.connect(self._variant_changed)
        self.size_box.editingFinished.connect(self.refresh)
        self.classes_box.editingFinished.connect(self.refresh)
        self.copy_button.clicked.connect(self.copy_text)

    def retranslate(self) -> None:
        for caption, text in zip(self.captions, (self.tr("&Variant"), self.tr("&Input size"), self.tr("C&lasses"))):
            caption.setText(text)
        self.variant_box.setAccessibleName(self.tr("Variant"))
        self.size_box.setAccessibleName(self.tr("Input size"))
        self.classes_box.setAccessibleName(self.tr("Classes"))
        self.copy_button.setText(self.tr("Copy as &text"))
        self.tree.setHeaderLabels([self.tr("Stage / layer"), self.tr("Type"), self.tr("Input"), self.tr("Output"),
                                   self.tr("Layers"), self.tr("Params"), self.tr("MACs")])
        self.tree.setAccessibleName(self.tr("Architecture tree"))
        self.diagram.setAccessibleName(self.tr("Block diagram"))
        if self.report is not None:
            self._show_totals(self.report)

    def showEvent(self, event) -> None:
        """The first report is built when the tab is first shown (it imports TensorFlow)."""
        super().showEvent(event)
        if self._request == 0:
            self.refresh()

    def _variant_changed(self, name: str) -> None:
        self.size_box.setValue(get_variant(name).default_input_size)
        self.refresh()

    def refresh(self) -> None:
        """Ask for the report of the current choice; only the newest answer is shown."""
        self._request += 1
        request = self._request
        variant, size, classes = self.variant_box.currentText(), self.size_box.value(), self.classes_box.value()
        self.status.setText(self.tr("Building {0} at {1}x{1}…").format(variant, size))
        start_worker(describe_variant, variant, size, classes, tensorflow=True,
                     on_returned=lambda report: self._show(request, report),
                     on_errored=lambda message: self._fail(request, message))

    def _fail(self, request: int, message: str) -> None:
        if request == self._request:
            self.status.setText(message)
            self.status.setStyleSheet("color: #b00020")

    def _show(self, request: int, report) -> None:
        if request != self._request:
            return
        self.report = report
        self.status.setText("")
        self.status.setStyleSheet("")
        self.tree.clear()
        for stage in report.stages:
            item = QTreeWidgetItem([stage.name, stage.kind, _shape_text(stage.input_shape),
                                    _shape_text(stage.output_shape), str(stage.dense_layers),
                                    f"{stage.params:,}", f"{stage.macs:,}"])
            for layer in stage.layers:
                item.addChild(QTreeWidgetItem([layer.name, layer.type, _shape_text(layer.input_shape),
                                               _shape_text(layer.output_shape), "", f"{layer.params:,}",
                                               f"{layer.macs:,}"]))
            for column in range(4, 7):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.tree.addTopLevelItem(item)
        self.diagram.show_report(report)
        self._show_totals(report)

    def _show_totals(self, report) -> None:
        self.totals.setText(self.tr("Total {0:,} parameters ({1:,} trainable), {2:.3f} G multiply-adds").format(
            report.total_params, report.trainable_params, report.macs / 1e9))

    def copy_text(self) -> None:
        if self.report is not None:
            QApplication.clipboard().setText(self.report.to_text())
