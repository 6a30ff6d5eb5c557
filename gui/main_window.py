"""The main window: three tabs (Classify, Train, Architecture) and a status bar."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from gui.architecture_tab import ArchitectureTab


def _coming(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setMargin(24)
    return label


class MainWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.setWindowTitle("DenseNet Studio")
        self.resize(1100, 720)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Main tabs")
        self.classify_tab = _coming(self.tr("Classify: drop photos here to see what a DenseNet thinks they are."))
        self.train_tab = _coming(self.tr("Train: train a DenseNet on a folder with one subfolder per class."))
        self.architecture_tab = ArchitectureTab()
        self.tabs.addTab(self.classify_tab, self.tr("&Classify"))
        self.tabs.addTab(self.train_tab, self.tr("&Train"))
        self.tabs.addTab(self.architecture_tab, self.tr("&Architecture"))
        self.setCentralWidget(self.tabs)
        self.statusBar().showMessage(self.tr("Ready"))
