"""What the Classify tab shows while no model is loaded: one large drop zone (icon, one sentence, three
actions: get the ImageNet DenseNet-121, train one, or open a model file; offline, a weights file). Downloading shows progress;
offline, the engine's clear message appears here.

The texts sit in a centred column of bounded width, without per-widget alignment in the layout: a wrapped
label aligned inside a layout is given its one-line height by Qt and clipped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from engine.storage.resources import resource_path
from gui.status_line import StatusLine

COLUMN_WIDTH = 640  # px: the drop zone at most; narrower windows wrap its text
ICON_SIZE = 72


def _wrapped() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    return label


class NoModelPanel(QWidget):
    imagenet_requested = Signal()
    train_requested = Signal()
    open_requested = Signal()
    weights_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.icon = QLabel()
        self.icon.setPixmap(QIcon(str(resource_path("icons", "densenet-studio.svg"))).pixmap(ICON_SIZE, ICON_SIZE))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.title = _wrapped()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.explanation = _wrapped()
        self.imagenet_button = QPushButton()
        self.imagenet_button.clicked.connect(self.imagenet_requested)
        self.train_button = QPushButton()
        self.train_button.clicked.connect(self.train_requested)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_requested)
        self.weights_button = QPushButton()  # offline: the ImageNet weights downloaded elsewhere
        self.weights_button.clicked.connect(self.weights_requested)
        actions = QGridLayout()  # two by two: four buttons in a row would not fit a narrow window
        for index, button in enumerate((self.imagenet_button, self.train_button, self.open_button,
                                        self.weights_button)):
            actions.addWidget(button, index // 2, index % 2)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.message = StatusLine()  # while no model is loaded, a failed load is said here (details on demand)
        self.message.label.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        zone = QFrame()  # the drop zone: the whole window takes drops, this shows where to aim
        zone.setObjectName("dropZone")
        zone.setStyleSheet("#dropZone { border: 2px dashed palette(mid); border-radius: 12px; }")
        zone.setMaximumWidth(COLUMN_WIDTH)
        column = QVBoxLayout(zone)
        column.setContentsMargins(24, 24, 24, 24)
        column.setSpacing(12)
        for widget in (self.icon, self.title, self.explanation):
            column.addWidget(widget)
        column.addLayout(actions)
        column.addWidget(self.busy)
        column.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(zone, 100)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Drop photos or folders here"))
        self.explanation.setText(self.tr(
            "First pick a model: the DenseNet trained on ImageNet knows 1,000 everyday things; or train your own "
            "on folders of your photos."))
        self.imagenet_button.setText(self.tr("Get the ImageNet DenseNet-121 (33 MB)"))
        self.imagenet_button.setAccessibleName(self.tr("Get the ImageNet DenseNet-121"))
        self.train_button.setText(self.tr("Train your own"))
        self.train_button.setAccessibleName(self.tr("Train your own"))
        self.open_button.setText(self.tr("Open a model file…"))
        self.open_button.setAccessibleName(self.tr("Open a model file"))
        self.weights_button.setText(self.tr("Use a weights file…"))
        self.weights_button.setAccessibleName(self.tr("Use an ImageNet weights file"))
        self.weights_button.setToolTip(self.tr("The ImageNet DenseNet from a .h5 file downloaded before, without "
                                               "the internet"))
        self.busy.setAccessibleName(self.tr("Loading model"))
        self.message.retranslate()

    def set_busy(self, what: str, downloads: bool = False) -> None:
        """Show progress while `what` loads (`downloads`: it may download the ImageNet weights); hide it when
        `what` is empty."""
        self.busy.setVisible(bool(what))
        self.imagenet_button.setEnabled(not what)
        if what:
            self.busy.setFormat(self.tr("Loading {0}…").format(what))
            if downloads:
                self.set_message(lambda: self.tr("Loading {0}… (the ImageNet weights are downloaded once, with their "
                                                 "checksum checked)").format(what))
            else:
                self.set_message(lambda: self.tr("Loading {0}…").format(what))
        elif not self.message.is_error:  # loaded, or failed and said (as an error) by now
            self.set_message("")

    def set_message(self, text) -> None:
        """`text`, or a function that writes it in the current language (gui.status_line.StatusLine)."""
        self.message.show_message(text)

    def show_error(self, error) -> None:
        """A failed load, said beside the buttons that can try again, with its technical detail on demand."""
        self.message.show_error(error)
