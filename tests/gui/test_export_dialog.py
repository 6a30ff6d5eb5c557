"""Model > Export… driven through the real dialog offscreen, on a small trained model: the file is written and
checked with its steps on the progress bar, a refused folder is one sentence and nothing written, Cancel and
closing the window stop between steps and leave nothing behind."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import keras
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from engine.inference.export import ONNX, SAVEDMODEL, TFLITE, ExportResult
from gui.workers import engine_thread
from tests.classifier_models import TINY_SIZE, save_tiny_model, tiny_model
from tests.gui.test_fit import settled_clipped
from tests.refused_folders import refuse_writes


@pytest.fixture(scope="module")
def trained_model(tmp_path_factory) -> Path:
    """A tiny DenseNet trained for a few steps to tell bright photos from dark ones, saved as the app saves."""
    rng = np.random.default_rng(0)
    bright = rng.integers(0, 2, 32)
    pixels = rng.uniform(0, 120, (32, TINY_SIZE, TINY_SIZE, 3)) + 120 * bright[:, None, None, None]
    model = tiny_model(2)
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy")
    model.fit(pixels.astype(np.float32), bright, epochs=3, batch_size=8, verbose=0)
    return save_tiny_model(tmp_path_factory.mktemp("model") / "pets.keras", ("dark", "bright"), model)


@pytest.fixture
def models(tmp_path) -> Path:
    """The folder of the model file, where the export goes by default."""
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


@pytest.fixture
def dialog(qtbot, window, trained_model, models):
    """The export dialog over a copy of the trained model in `models`, opened from the Model menu."""
    model = models / "pets.keras"
    model.write_bytes(trained_model.read_bytes())
    assert not window.export_action.isEnabled() and "Load a model first" in window.export_action.toolTip()
    with qtbot.waitSignal(window.models.ready, timeout=120_000):
        window.models.load(str(model))
    assert window.export_action.isEnabled() and "Load a model first" not in window.export_action.toolTip()
    window.export_action.trigger()
    dialog = window.export_dialog
    assert dialog.isVisible() and dialog.format == ONNX
    assert dialog.path_edit.text() == str(models / "pets.onnx")  # beside the model
    return dialog


def _finished(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=120_000)


@contextmanager
def held_until_stopped(dialog):
    """Keep the TensorFlow thread busy, as other work of the window would, until the export started in the block
    is asked to stop: the stop then comes before its first step, however fast the machine."""
    gate = threading.Event()
    engine_thread().submit(gate.wait, 60)
    yield
    stop = dialog.worker.stop
    threading.Thread(target=lambda: stop.wait(60) and gate.set(), daemon=True).start()


def test_an_export_is_written_and_checked_with_its_steps_on_the_bar(qtbot, dialog, models):
    dialog.format_buttons[SAVEDMODEL].setChecked(True)
    assert dialog.path_edit.text() == str(models / "pets-savedmodel")
    dialog.format_buttons[TFLITE].setChecked(True)
    assert dialog.path_edit.text() == str(models / "pets.tflite")
    values, shown = [], []
    dialog.progress.valueChanged.connect(values.append)
    dialog.progress.valueChanged.connect(lambda _value: shown.append(dialog.step_label.text()))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.export_button.isEnabled() and dialog.close_button.text() == "&Cancel export"
    _finished(qtbot, dialog)
    assert values == [1, 2, 3]  # writing done, loaded back, checked
    assert shown[:2] == ["Step 2 of 3: loading it back with LiteRT…",
                         "Step 3 of 3: comparing its answers with the model's on 4 test images…"]
    assert (models / "pets.tflite").is_file() and not dialog.status.is_error
    result = dialog.result
    assert result.passed and result.same_top == 4 and result.path == models / "pets.tflite"
    assert dialog.status.text().startswith(f"Exported and checked: {models / 'pets.tflite'}. On 4 test images")
    assert "the top class is the same on 4 of 4" in dialog.status.text()
    assert sorted(path.name for path in models.iterdir()) == ["pets.keras", "pets.tflite"]  # no partial file
    assert dialog.close_button.text() == "Close" and dialog.export_button.isEnabled()
    dialog.format_buttons[ONNX].setChecked(True)
    dialog.format_buttons[TFLITE].setChecked(True)
    assert dialog.path_edit.text() == str(models / "pets-2.tflite")  # the taken name is not offered again
    assert settled_clipped(qtbot, dialog) == []


def test_a_refused_folder_or_a_taken_name_is_one_sentence_and_nothing_is_written(qtbot, window, dialog, models,
                                                                                  monkeypatch):
    locked = models / "locked"
    locked.mkdir()
    refuse_writes(monkeypatch, locked)
    dialog.path_edit.setText(str(locked / "pets.onnx"))
    dialog.export_button.click()
    assert not dialog.is_running() and dialog.status.is_error and dialog.progress.value() == 0
    assert dialog.status.text() == f"{locked / 'pets.onnx'}: cannot write (no permission to write there)"
    assert list(locked.iterdir()) == []
    window.set_language("ko")
    qtbot.waitUntil(lambda: "cannot write" not in dialog.status.text(), timeout=5_000)  # on LanguageChange
    assert dialog.status.text() == f"{locked / 'pets.onnx'}: 쓸 수 없습니다(그곳에 쓸 권한이 없습니다)"
    assert dialog.export_button.text() != "&Export" and settled_clipped(qtbot, dialog) == []
    window.set_language("en")

    (models / "taken.onnx").write_bytes(b"mine")
    dialog.path_edit.setText(str(models / "taken.onnx"))
    dialog.export_button.click()
    assert dialog.status.text() == f"{models / 'taken.onnx'}: already exists; choose another name or remove it"
    assert (models / "taken.onnx").read_bytes() == b"mine"


def test_browse_gives_a_picked_name_the_formats_ending(dialog, models, monkeypatch):
    picked = []

    def save_file_name(_parent, _title, folder, _filter, **_options):
        picked.append(folder)
        return str(models / "for-phones"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_file_name)
    dialog.format_buttons[TFLITE].setChecked(True)
    dialog.browse_button.click()
    assert picked == [str(models / "pets.tflite")] and dialog.path_edit.text() == str(models / "for-phones.tflite")


def test_cancel_stops_between_steps_and_leaves_nothing(qtbot, dialog, models):
    before = sorted(models.iterdir())
    with held_until_stopped(dialog):
        dialog.export_button.click()
    assert dialog.step_label.text() == "Waiting for the model's other work to finish…"
    dialog.close_button.click()  # Cancel export: the dialog stays to say when it has stopped
    assert dialog.isVisible() and not dialog.close_button.isEnabled()
    assert dialog.step_label.text().endswith("Cancelling: this step finishes first, then nothing is left on disk.")
    _finished(qtbot, dialog)
    assert dialog.result is None and dialog.status.text() == "Export cancelled; nothing was written."
    assert sorted(models.iterdir()) == before
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_closing_the_window_during_an_export_asks_then_stops_it_after_its_step(qtbot, window, dialog, models,
                                                                             monkeypatch):
    before = sorted(models.iterdir())
    with held_until_stopped(dialog):
        dialog.export_button.click()
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []

    def question(_parent, title, *_args):
        asked.append(title)
        return answers[len(asked) - 1]

    monkeypatch.setattr(QMessageBox, "question", question)
    assert not window.close() and window.isVisible() and dialog.is_running()  # No: the export goes on
    assert window.close() and not window.isVisible() and asked == ["Export is running"] * 2
    assert dialog.worker.done.is_set()  # the window waited for it
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10_000)
    assert dialog.result is None and sorted(models.iterdir()) == before  # stopped at its first step


def test_a_failed_check_says_the_export_is_kept(qtbot, dialog, models):
    """The verdict's words when the answers differ (the export is kept, as the command line keeps it)."""
    dialog._done(ExportResult(models / "pets.onnx", ONNX, 4, 0.02, 3, mirrored_in_app=True))
    assert dialog.status.is_error
    assert dialog.status.text().startswith(f"The check failed: {models / 'pets.onnx'} answers differently")
    assert "probabilities differ by up to 2.0e-02 (the limit is 1e-04); the top class is the same on 3 of 4" in \
        dialog.status.text()
    assert "The export is kept" in dialog.status.text() and "mirror image" in dialog.status.text()
