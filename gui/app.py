"""Start the desktop app: the window is painted before TensorFlow is imported (workers import it later)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from gui import settings as keys
from gui.translations import SYSTEM, install_language
from gui.workers import stop_all_workers


def start_app(argv: list[str] | None = None, settings: QSettings | None = None):
    """Create the application and show the window; engine loading begins at its first paint.

    Returns (app, window) so that a benchmark or test can watch `window.first_painted` and
    `window.models.ready` before entering the event loop.
    """
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("DenseNet Studio")
    app.setOrganizationName("DenseNet Studio")
    settings = settings if settings is not None else QSettings()
    install_language(keys.recall(settings, keys.LANGUAGE, SYSTEM))

    from gui.main_window import MainWindow

    window = MainWindow(settings)
    window.first_painted.connect(lambda: QTimer.singleShot(0, window.start_engine))  # after the paint completes
    app.aboutToQuit.connect(stop_all_workers)
    window.show()
    return app, window


def run_app(argv: list[str] | None = None) -> int:
    app, _window = start_app(argv)
    return app.exec()
