"""Start the desktop app: the window is painted before TensorFlow is imported (workers import it later)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow


def run_app(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("DenseNet Studio")
    app.setOrganizationName("DenseNet Studio")
    window = MainWindow()
    window.show()
    QTimer.singleShot(0, window.architecture_tab.refresh)  # first report once the window is on screen
    return app.exec()
