"""GUI test set-up: every test gets its own settings file, so nothing of the user's (or another test's)
last model, folders or language leaks in; a modal dialog a test did not expect, or a worker that does not
stop, fails the test instead of hanging the run."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui.translations import install_language
from gui.workers import stop_all_workers


@pytest.fixture
def settings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


MODAL_DIALOGS = ((QMessageBox, ("question", "warning", "information", "critical")),
                 (QFileDialog, ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory")))


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch):
    """Offscreen nobody answers a modal dialog, so one the test did not replace with its own answer would wait
    forever (e.g. "Training is running" when the window closes after a failed test)."""
    def refuse(*args, **_kwargs):
        title = next((arg for arg in args if isinstance(arg, str)), "")
        raise AssertionError(f"unexpected modal dialog {title!r}: the test must answer it")

    for owner, names in MODAL_DIALOGS:
        for name in names:
            monkeypatch.setattr(owner, name, refuse)


@pytest.fixture
def window(qtbot, settings):
    from gui.main_window import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    assert stop_all_workers(timeout_s=180), "a worker was still running 180 s after the test asked it to stop"
    install_language("en")
