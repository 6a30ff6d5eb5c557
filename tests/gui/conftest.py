"""GUI test set-up: every test gets its own settings file, so nothing of the user's (or another test's)
last model, folders or language leaks in."""

import pytest
from PySide6.QtCore import QSettings

from gui.translations import install_language
from gui.workers import stop_all_workers


@pytest.fixture
def settings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    from gui.main_window import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    stop_all_workers()
    install_language("en")
