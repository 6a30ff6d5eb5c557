"""What the Classify tab shows while no model is loaded: get the ImageNet DenseNet-121, train one, or open
a model file. Downloading shows progress; offline, the engine's clear message appears here."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget


class NoModelPanel(QWidget):
    imagenet_requested = Signal()
    train_requested = Signal()
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.imagenet_button = QPushButton()
        self.imagenet_button.clicked.connect(self.imagenet_requested)
        self.train_button = QPushButton()
        self.train_button.clicked.connect(self.train_requested)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_requested)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addStretch()
        for widget in (self.title, self.explanation, self.imagenet_button, self.train_button, self.open_button,
                       self.busy, self.message):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()
        for widget in (self.explanation, self.message, self.busy):
            widget.setMinimumWidth(480)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("No model loaded yet"))
        self.explanation.setText(self.tr(
            "To classify photos, DenseNet Studio needs a trained network. Get the one trained on ImageNet "
            "(1,000 everyday classes), or train your own on folders of your photos."))
        self.imagenet_button.setText(self.tr("Get the ImageNet DenseNet-121 (33 MB)"))
        self.imagenet_button.setAccessibleName(self.tr("Get the ImageNet DenseNet-121"))
        self.train_button.setText(self.tr("Train your own"))
        self.train_button.setAccessibleName(self.tr("Train your own"))
        self.open_button.setText(self.tr("Open a model file…"))
        self.open_button.setAccessibleName(self.tr("Open a model file"))
        self.busy.setAccessibleName(self.tr("Loading model"))

    def set_busy(self, what: str) -> None:
        """Show progress while `what` loads (or downloads); hide it when `what` is empty."""
        self.busy.setVisible(bool(what))
        self.imagenet_button.setEnabled(not what)
        if what:
            self.busy.setFormat(self.tr("Loading {0}…").format(what))
            self.set_message(self.tr("Loading {0}… (the ImageNet weights are downloaded once, with their "
                                     "checksum checked)").format(what))

    def set_message(self, text: str) -> None:
        self.message.setText(text)
