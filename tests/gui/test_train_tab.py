"""The Train tab through its real widgets: a dropped folder is checked, a tiny DenseNet trains in the
background with a live plot, Stop keeps the best model, Resume continues, and the result is a confusion
matrix and a model the Classify tab uses; closing the window during training asks and stops cleanly."""

import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from engine.data.dataset import DatasetError
from engine.data.photo_moves import PhotoMoves
from engine.inference.report import EvaluationReport, NoScore, ScoredPhoto, scores_from_confusion
from engine.model.modelfile import read_metadata
from gui.confusion_view import ConfusionView
from gui.train_settings import AUTOMATIC, CUSTOM, SCRATCH, WEIGHTS_FILE, select_data
from tests.gui.helpers import drop_files, tiny_model_file
from tests.image_files import class_picture, make_class_folders, name_by_class, write_image


class StallMeter:
    """A 10 ms timer on the GUI thread: the longest gap between its ticks is the longest event-loop stall."""

    def __init__(self):
        self.longest = 0.0
        self.ticks = 0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self):
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now
        self.ticks += 1


def _prepare(qtbot, window, tmp_path, per_class=6):
    folder = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=per_class, size=32)
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    assert drop_files(tab.dataset, [folder])
    qtbot.waitUntil(lambda: tab.start_button.isEnabled(), timeout=60_000)
    form = tab.form
    select_data(form.mode_box, CUSTOM)  # a tiny network, fast anywhere
    form.variant_box.setCurrentText("densenet-bc-10-k4")
    form.size_box.setValue(32)
    form.epochs_box.setValue(2)
    form.batch_box.setValue(4)
    select_data(form.xla_box, False)  # no XLA: a tiny run spends longer compiling than training
    form.output_edit.setText(str(tmp_path / "pets.keras"))
    return folder, tab


@pytest.mark.heavy
def test_train_stop_resume_plot_confusion_matrix_and_classify(qtbot, window, tmp_path):
    folder, tab = _prepare(qtbot, window, tmp_path)
    write_image(folder / "dog" / "broken.jpg", "truncated")
    tab.dataset.check(str(folder))
    qtbot.waitUntil(lambda: tab.dataset.problems.count() == 1, timeout=60_000)
    assert [tab.dataset.classes.item(row, 1).text() for row in range(2)] == ["6", "6"]
    assert "broken.jpg" in tab.dataset.problems.item(0).text()
    import tensorflow  # noqa: F401  the app imports it at start-up; that one-time stall is not training's

    spare = tab.spare  # started when the dataset was checked: TensorFlow loads before the click
    assert spare is not None and spare.child.is_alive()
    assert not tab.resume_button.isEnabled()  # nothing to resume yet
    assert tab.progress.isHidden()  # an empty bar before any training looked like a text box
    extra = write_image(folder / "cat" / "extra.png", "png", class_picture(0, 32, 99))
    taken_out = PhotoMoves(folder).remove(extra)  # taken out again: undoable until a training starts
    meter = StallMeter()
    tab.start_button.click()
    assert tab.is_training() and tab.stop_button.isEnabled() and not tab.start_button.isEnabled()
    assert not tab.progress.isHidden()
    assert "1 photo(s) taken out of the folder went to the trash." in tab.log.toPlainText()
    assert not taken_out.exists() and PhotoMoves(folder).moves == []  # settled: in the trash, no longer undoable
    assert tab.spare is None  # the training took it
    ticks_at_start, ticks_seen = meter.ticks, []

    def first_epoch_saved() -> bool:  # epoch 1, the best so far; the timer's ticks when it was seen
        ticks_seen.append(meter.ticks)
        return "saved)" in tab.log.toPlainText()

    qtbot.waitUntil(first_epoch_saved, timeout=240_000)
    tab.stop_button.click()
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=120_000)
    meter.timer.stop()
    print(f"\nlongest event-loop stall during training: {meter.longest * 1000:.0f} ms over {meter.ticks} ticks")
    # The window's event loop kept turning while the first epoch trained (its timer ticked between Start and
    # the epoch's line), and the Stop clicked after that epoch ended the training before its second (below:
    # "stopped"): the training ran beside the window, not in it.
    assert ticks_seen[-1] > ticks_at_start + 1, (ticks_at_start, ticks_seen[-1])

    model = tmp_path / "pets.keras"
    assert model.is_file() and "stopped" in tab.progress_text.text()
    assert tab.resume_button.isEnabled()  # the stopped training can be continued
    assert spare.child.exitcode == 0  # it trained the job and ended
    assert tab.spare is not None and tab.spare is not spare  # the next start (Resume, below) finds one waiting
    qtbot.waitUntil(lambda: tab.plot.points("train_loss") >= 2 and tab.plot.points("val_loss") == 1, timeout=5_000)
    assert tab.results.matrix.rowCount() == 2 and tab.results.matrix.columnCount() == 2
    held_out = read_metadata(model).val_images  # the score leaves out the photos that trained the model
    assert 0 < held_out < 12
    assert sum(int(tab.results.matrix.item(r, c).text()) for r in range(2) for c in range(2)) == held_out
    assert (f"on {held_out} photos the model did not train on (the {12 - held_out} photos it trained on"
            in tab.results.summary.text())
    tab.results.show_cell(0, 1)  # cats predicted as dogs: each with its path, or how many there are (none)
    cell = int(tab.results.matrix.item(0, 1).text())
    listed = [tab.results.cell_photos.item(row).text() for row in range(tab.results.cell_photos.count())]
    if cell:
        assert len(listed) == cell and all(f"{folder / 'cat'}/" in line for line in listed), listed
    else:
        assert listed == ["0 photo(s) of cat predicted as dog"]

    classify = window.classify_tab
    qtbot.waitUntil(lambda: window.models.source == str(model), timeout=60_000)
    assert classify.pages.currentWidget() is classify.results_page
    photo = write_image(tmp_path / "new" / "cat.png", "png", class_picture(0, 32, 99))
    assert drop_files(window, [photo])
    qtbot.waitUntil(lambda: len(classify.results.rows) == 1 and not classify.is_busy(), timeout=60_000)
    assert {label for label, _ in classify.results.rows[0].top} == {"cat", "dog"}

    window.tabs.setCurrentWidget(tab)
    tab.resume_button.click()
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=240_000)
    log = tab.log.toPlainText()
    assert log.count("Epoch 1:") == 1 and "Epoch 2:" in log and "finished" in tab.progress_text.text(), log
    assert not tab.resume_button.isEnabled()  # finished: nothing left to resume


def test_a_crashed_training_process_is_reported_in_the_tab(qtbot, window, tmp_path):
    _folder, tab = _prepare(qtbot, window, tmp_path)
    tab.form.epochs_box.setValue(50)
    qtbot.waitUntil(lambda: tab.spare is not None, timeout=30_000)
    process = tab.spare
    tab.start_button.click()
    qtbot.waitUntil(lambda: tab.plot.points("train_loss") >= 1, timeout=240_000)  # it is training
    process.child.kill()  # as an out-of-memory kill or a crash in native code would end it
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=60_000)
    assert "ended unexpectedly" in tab.progress_text.text() and tab.progress_text.is_error
    assert "exit code -9" in tab.progress_text.details.toPlainText() and "exit code" not in tab.progress_text.text()
    assert tab.start_button.isEnabled()  # the user can start again


def test_closing_during_training_asks_and_stops_cleanly(qtbot, window, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: asked.append(args[1]) or QMessageBox.StandardButton.Yes)
    _folder, tab = _prepare(qtbot, window, tmp_path, per_class=3)
    tab.start_button.click()
    assert tab.is_training()
    window.close()
    assert asked == ["Training is running"] and not tab.is_training() and not window.isVisible()


def test_a_folder_with_one_class_is_refused_with_a_clear_message(qtbot, window, tmp_path):
    folder = make_class_folders(tmp_path / "one", ("cat",), per_class=3, size=32)
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    assert drop_files(tab.dataset, [folder])
    qtbot.waitUntil(lambda: "two class" in tab.dataset.status.text(), timeout=30_000)
    assert not tab.start_button.isEnabled()
    window.set_language("ko")  # the engine's error is said again in Korean, its facts kept
    assert f"{folder}: 클래스 하위 폴더가 두 개 이상 필요합니다" in tab.dataset.status.text()
    assert "'cat' 하나만" in tab.dataset.status.text()
    window.set_language("en")
    assert "two class" in tab.dataset.status.text()


def test_a_folder_picked_one_level_too_high_offers_the_folder_meant(qtbot, window, tmp_path):
    data = tmp_path / "downloads"
    for split, seed in (("train", 0), ("test", 50), ("extra", 90)):
        make_class_folders(data / split, ("cat", "dog"), per_class=2, size=32, seed=seed)
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    assert drop_files(tab.dataset, [data])
    qtbot.waitUntil(lambda: tab.dataset.report is not None, timeout=30_000)
    assert tab.dataset.status.is_error and f"Did you mean {data / 'train'}?" in tab.dataset.status.text()
    assert tab.dataset.suggested_button.isVisible() and tab.dataset.suggested_button.text() == "Use train/"
    window.set_language("ko")
    assert "데이터셋" in tab.dataset.status.text() and str(data / "train") in tab.dataset.status.text()
    window.set_language("en")
    tab.dataset.suggested_button.click()
    qtbot.waitUntil(lambda: tab.dataset.report is not None, timeout=30_000)
    assert tab.dataset.folder == str(data / "train") and tab.dataset.report.scan.class_names == ("cat", "dog")
    assert not tab.dataset.status.is_error and not tab.dataset.suggested_button.isVisible()


def test_automatic_settings_are_shown_before_start_and_long_custom_ones_are_flagged(qtbot, window, tmp_path):
    folder = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=6, size=40)
    tab = window.train_tab
    form = tab.form
    window.tabs.setCurrentWidget(tab)
    assert form.mode_box.currentData() == AUTOMATIC  # the default
    assert drop_files(tab.dataset, [folder])
    qtbot.waitUntil(lambda: tab.start_button.isEnabled(), timeout=120_000)
    assert form.auto is not None and form.auto.pretrained is None  # offline in tests: no ImageNet weights
    assert form.summary.text().startswith("Automatic: DenseNet-BC") and " min on this " in form.summary.text()
    assert form.summary.toolTip() == form.auto.reason
    assert form.variant_box.currentText() == form.auto.variant and not form.variant_box.isEnabled()
    assert form.config().time_budget == 5.0  # a small folder's default budget

    select_data(form.mode_box, CUSTOM)
    assert form.variant_box.isEnabled() and form.summary.text().startswith("Custom settings: about")
    assert not form.warning.isVisibleTo(form)
    form.variant_box.setCurrentText("densenet201")
    form.epochs_box.setValue(900)
    assert form.size_box.value() == 224 and form.warning.isVisibleTo(form)
    assert "long training. Automatic: DenseNet-BC" in form.warning.text()
    form.budget_box.setValue(10)  # a budget bounds the training: no warning
    assert not form.warning.isVisibleTo(form) and form.config().time_budget == 10
    select_data(form.mode_box, AUTOMATIC)  # back to Automatic: chosen again for the budget set meanwhile
    qtbot.waitUntil(lambda: form.auto is not None and form.auto.time_budget == 10, timeout=60_000)
    assert form.config().time_budget == 10 and form.summary.text().startswith("Automatic: DenseNet-BC")
    select_data(form.mode_box, CUSTOM)
    form.budget_box.setValue(0)
    form.use_auto_button.click()
    qtbot.waitUntil(lambda: form.auto is not None, timeout=60_000)
    assert form.mode_box.currentData() == AUTOMATIC and form.variant_box.currentText() == form.auto.variant


def test_the_waiting_training_process_ends_when_the_dataset_fails_or_the_window_closes(qtbot, window, tmp_path):
    folder, tab = _prepare(qtbot, window, tmp_path, per_class=3)
    spare = tab.spare
    assert spare is not None and spare.child.is_alive()
    tab.dataset.check(str(make_class_folders(tmp_path / "one", ("cat",), per_class=3, size=32)))
    qtbot.waitUntil(lambda: tab.spare is None, timeout=30_000)
    assert not spare.child.is_alive()

    tab.dataset.check(str(folder))
    qtbot.waitUntil(lambda: tab.spare is not None, timeout=60_000)
    spare = tab.spare
    window.close()
    assert tab.spare is None and not spare.child.is_alive()


def test_a_new_phase_replaces_the_last_phases_progress(window):
    from engine.errors import Said
    from engine.training.events import PREPARING_STEP, PhaseProgress, PhaseStarted

    tab = window.train_tab
    tab._event(PhaseProgress("decoding", 121, 121))
    assert tab.progress_text.text() == "decoding photos: 121 of 121"
    tab._event(PhaseStarted("compiling", "TensorFlow traces and optimises the training step", (Said(PREPARING_STEP),)))
    assert tab.progress_text.text() == "compiling…"
    assert (tab.progress.minimum(), tab.progress.maximum()) == (0, 0)  # busy, not a full decoding bar
    assert tab.log.toPlainText() == "Phase: compiling — Preparing the training step; the first photos follow shortly."
    tab.log_details.setChecked(True)  # the engine's own line
    assert tab.log.toPlainText() == "Phase: compiling — TensorFlow traces and optimises the training step"
    window.set_language("ko")
    tab._event(PhaseProgress("decoding", 3, 10))
    assert "decoding" not in tab.progress_text.text() and "3" in tab.progress_text.text()


def test_results_say_why_there_is_no_score_and_drop_the_previous_one(qtbot, window):
    results = window.train_tab.results
    report = _report(((1, 0), (1, 0)), ("cat", "dog"), (), excluded=8)
    results.show_report(report, ("no-improvement", {"epoch": 14, "epochs": 61, "patience": 12}))
    text = results.summary.text()
    assert text.startswith("stopped after epoch 14 of 61 planned: validation loss did not improve for 12 epochs\n")
    assert "50.0% on 2 photos the model did not train on (the 8 photos it trained on are not scored)" in text
    assert "50% ± 41% on 2 photos; guessing gets 50%\nToo few photos were held out" in text
    window.set_language("ko")  # why it ended, the interval and the advice in Korean, the numbers kept
    text = results.summary.text()
    assert "검증 손실이 에포크 12개 동안" in text and "찍어서 맞히면 50%" in text
    assert "떼어 둘 사진 30장" in text
    window.set_language("en")
    results.show_report(NoScore(DatasetError("all 10 photos trained this model")))
    assert results.summary.text() == "No score: all 10 photos trained this model"
    assert results.matrix.rowCount() == results.metrics.rowCount() == 0
    results.show_cell(0, 0)  # nothing to list, no error


def _report(matrix, labels, wrong, excluded=0) -> EvaluationReport:
    """An evaluation as engine.inference.evaluation makes it, from its confusion matrix (of its scored photos,
    only the `wrong` ones)."""
    images = sum(map(sum, matrix))
    return EvaluationReport(accuracy=sum(matrix[i][i] for i in range(len(labels))) / images, labels=labels,
                            confusion_matrix=matrix, per_class=scores_from_confusion(np.array(matrix), labels),
                            scored=tuple(ScoredPhoto(*entry) for entry in wrong), images=images,
                            excluded=excluded)


CONFUSION_REPORT = _report(((5, 2, 0), (1, 2, 0), (0, 1, 3)), ("cat", "dog", "fox"), (  # rows: true class
    ("/p/cat/a.png", "cat", "dog", 0.6), ("/p/dog/c.png", "dog", "cat", 0.7), ("/p/fox/d.png", "fox", "dog", 0.8),
    ("/p/cat/b.png", "cat", "dog", 0.9)))


def test_a_clicked_confusion_cell_lists_its_photos_surest_first(qtbot):
    view = ConfusionView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.show_report(CONFUSION_REPORT)
    hint = view.cell_photos.item(0)
    assert view.cell_photos.count() == 1 and "Click a cell" in hint.text() and hint.flags() == Qt.ItemFlag.NoItemFlags

    def click(row, column):
        rect = view.matrix.visualRect(view.matrix.model().index(row, column))
        qtbot.mouseClick(view.matrix.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        return [view.cell_photos.item(index).text() for index in range(view.cell_photos.count())]

    assert click(0, 1) == ["90.0%  /p/cat/b.png", "60.0%  /p/cat/a.png"]  # true cat, predicted dog
    assert click(1, 0) == ["70.0%  /p/dog/c.png"]
    assert click(0, 0) == ["5 photo(s) of cat predicted as cat"]
    assert click(2, 1) == ["80.0%  /p/fox/d.png"]
    assert [view.metrics.item(1, column).text() for column in range(4)] == ["0.400", "0.667", "0.500", "3"]


@pytest.mark.heavy
def test_a_stopped_training_asks_before_replacing_the_model_in_use(qtbot, window, tmp_path, monkeypatch):
    in_use = tiny_model_file(tmp_path / "in-use.keras")
    with qtbot.waitSignal(window.models.ready, timeout=120_000):
        window.models.load(str(in_use))
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: asked.append(args[1]) or QMessageBox.StandardButton.No)
    _folder, tab = _prepare(qtbot, window, tmp_path)
    tab.form.epochs_box.setValue(50)
    tab.start_button.click()
    qtbot.waitUntil(lambda: "saved)" in tab.log.toPlainText(), timeout=240_000)
    tab.stop_button.click()
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=120_000)
    assert asked == ["Use the stopped training's model?"]
    assert window.models.source == str(in_use) and "stays" in tab.progress_text.text()


def test_a_picked_weights_file_starts_a_custom_training_offline(qtbot, window, tmp_path, monkeypatch):
    import keras

    from tests.keras_files import write_legacy_h5_weights

    notop = write_legacy_h5_weights(keras.applications.DenseNet121(weights=None, include_top=False),
                                    tmp_path / "notop.h5")
    (tmp_path / "junk.h5").write_bytes(b"junk")
    picked = [str(tmp_path / "junk.h5")]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (picked[0], ""))
    _folder, tab = _prepare(qtbot, window, tmp_path)
    form = tab.form
    select_data(form.start_box, WEIGHTS_FILE)
    assert form.start_box.currentData() == SCRATCH  # refused: back to training from scratch, saying why
    assert form.warning.isVisible() and "not an HDF5 weights file" in form.warning.text()
    picked[0] = str(notop)
    select_data(form.start_box, WEIGHTS_FILE)
    config = form.config()
    assert (config.pretrained, config.variant, config.input_size) == (str(notop), "densenet121", 224)
    assert "notop.h5: DenseNet-121 ImageNet weights, without classifier" in form.warning.text()
    assert not form.needs_download()
    window.set_language("ko")  # a Korean window says what the file is in Korean
    select_data(form.start_box, SCRATCH)
    select_data(form.start_box, WEIGHTS_FILE)
    assert "notop.h5: DenseNet-121 ImageNet 가중치, 분류기 없음 (학습용)" in form.warning.text()


def test_a_half_typed_or_unknown_variant_is_never_remembered_and_never_stops_the_window(qtbot, settings):
    """Typed in the Custom form, "densenet-bc-1" is not a network yet: the window remembers the default; and
    a settings file that names an unknown one (an older version's, or edited) starts the window all the same."""
    from gui.main_window import MainWindow
    from gui.settings import TRAIN_PREFIX
    from gui.train_settings import TrainSettings

    form = TrainSettings(settings)
    qtbot.addWidget(form)
    select_data(form.mode_box, CUSTOM)
    form.variant_box.setCurrentText("densenet-bc-1")
    form.remember()
    assert settings.value(TRAIN_PREFIX + "variant") == "densenet121"
    settings.setValue(TRAIN_PREFIX + "variant", "densenet-bc-100000-k12")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert window.train_tab.form.variant_box.currentText() == "densenet121"


def test_the_model_file_follows_the_folder_and_an_existing_file_is_replaced_only_when_asked(
        qtbot, window, tmp_path, monkeypatch):
    tab, form = window.train_tab, window.train_tab.form
    window.tabs.setCurrentWidget(tab)
    shapes = make_class_folders(tmp_path / "shapes", ("round", "square"), per_class=4, size=32)
    pets = make_class_folders(tmp_path / "more" / "pets", ("cat", "dog"), per_class=4, size=32)
    for folder in (shapes, pets):
        assert drop_files(tab.dataset, [folder])
        qtbot.waitUntil(lambda: tab.dataset.report is not None and tab.dataset.report.scan.root == folder,
                        timeout=60_000)
        assert form.output_edit.text() == str(folder.parent / f"{folder.name}.keras")
    form.output_edit.selectAll()
    typed = tmp_path / "mine.keras"
    qtbot.keyClicks(form.output_edit, str(typed))  # typed by the user: a new folder keeps it
    assert drop_files(tab.dataset, [shapes])
    qtbot.waitUntil(lambda: tab.dataset.report is not None and tab.dataset.report.scan.root == shapes
                    and tab.start_button.isEnabled(), timeout=60_000)
    assert form.output_edit.text() == str(typed)

    typed.write_bytes(b"another training's model")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.No)
    tab.start()
    assert asked and "mine.keras already exists" in asked[0]
    assert tab.worker is None and typed.read_bytes() == b"another training's model"


def test_a_misclassified_photo_is_moved_or_taken_out_from_its_cell_and_ctrl_z_puts_it_back(qtbot, window, tmp_path):
    folder = name_by_class(make_class_folders(tmp_path / "pets", ("cat", "dog", "fox"), per_class=2, size=32))
    tab = window.train_tab
    tab.dataset.check(str(folder))
    qtbot.waitUntil(lambda: tab.dataset.report is not None, timeout=60_000)
    cat, other_cat = (str(folder / "cat" / name) for name in ("cat-000.png", "cat-001.png"))
    results = tab.results
    results.show_report(_report(((0, 2, 0), (0, 2, 0), (0, 0, 2)), ("cat", "dog", "fox"),
                                ((cat, "cat", "dog", 0.9), (other_cat, "cat", "dog", 0.6))))
    results.show_cell(0, 1)  # true cat, predicted dog
    first, second = results.cell_photos.item(0), results.cell_photos.item(1)
    (move, take_out) = results.photo_menu(first).actions()
    assert [action.text() for action in move.menu().actions()] == ["dog", "fox"]  # what it was taken for first
    move.menu().actions()[0].trigger()
    assert (folder / "dog" / "cat-000.png").is_file() and not Path(cat).exists()
    assert first.text().endswith("(moved to dog)") and results.photo_menu(first) is None  # greyed, done
    assert window.statusBar().currentMessage() == "cat-000.png moved to dog; Edit > Undo (Ctrl+Z) takes it back."
    results.photo_menu(second).actions()[1].trigger()  # take out of the folder
    assert not Path(other_cat).exists() and second.text().endswith("(taken out)")
    window.undo_move_action.trigger()
    window.undo_move_action.trigger()
    assert Path(cat).is_file() and Path(other_cat).is_file() and not (folder / "dog" / "cat-000.png").exists()
    qtbot.waitUntil(lambda: tab.dataset.report is not None and tab.dataset.report.scan.counts()["cat"] == 2,
                    timeout=60_000)
