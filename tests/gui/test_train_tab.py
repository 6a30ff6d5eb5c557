"""The Train tab through its real widgets: a dropped folder is checked, a tiny DenseNet trains in the
background with a live plot, and the result is a confusion matrix and a model the Classify tab uses."""

import time

from PySide6.QtCore import QTimer

from tests.gui.helpers import drop_files
from tests.image_files import class_picture, make_class_folders, write_image


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


def _check(qtbot, tab, folder):
    tab.window().tabs.setCurrentWidget(tab)
    assert drop_files(tab.dataset, [folder])
    qtbot.waitUntil(lambda: tab.start_button.isEnabled(), timeout=60_000)


def test_tiny_training_plots_evaluates_and_loads_the_model(qtbot, window, tmp_path):
    folder = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=8, size=32)
    write_image(folder / "dog" / "broken.jpg", "truncated")
    tab = window.train_tab
    _check(qtbot, tab, folder)
    assert [tab.dataset.classes.item(row, 1).text() for row in range(2)] == ["8", "8"]
    assert "broken.jpg" in tab.dataset.problems.item(0).text()

    tab.variant_box.setCurrentText("densenet-bc-10-k4")
    tab.size_box.setValue(32)
    tab.epochs_box.setValue(2)
    tab.batch_box.setValue(4)
    tab.xla_box.setCurrentIndex(2)  # off: a tiny run spends longer compiling than training
    tab.output_edit.setText(str(tmp_path / "pets.keras"))
    import tensorflow  # noqa: F401  the app imports it at start-up; its one-time import stall is not training's

    meter = StallMeter()
    tab.start_button.click()
    assert tab.is_training() and tab.stop_button.isEnabled() and not tab.start_button.isEnabled()
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=240_000)
    meter.timer.stop()
    print(f"\nlongest event-loop stall during training: {meter.longest * 1000:.0f} ms over {meter.ticks} ticks")
    assert meter.longest < 0.5, tab.log.toPlainText()

    assert "Epoch 2" in tab.log.toPlainText(), tab.log.toPlainText()
    qtbot.waitUntil(lambda: tab.plot.points("train_loss") >= 2 and tab.plot.points("val_loss") == 2, timeout=5_000)
    assert tab.results.matrix.rowCount() == 2 and tab.results.matrix.columnCount() == 2
    assert sum(int(tab.results.matrix.item(r, c).text()) for r in range(2) for c in range(2)) == 16
    tab.results.show_cell(0, 0)
    assert tab.results.cell_photos.count() >= 1
    assert (tmp_path / "pets.keras").is_file()

    classify = window.classify_tab
    assert window.models.source == str(tmp_path / "pets.keras")
    assert classify.pages.currentIndex() == 1
    photo = write_image(tmp_path / "new" / "cat.png", "png", class_picture(0, 32, 99))
    assert drop_files(window, [photo])
    qtbot.waitUntil(lambda: len(classify.results.rows) == 1 and not classify.is_busy(), timeout=60_000)
    assert {label for label, _ in classify.results.rows[0].top} == {"cat", "dog"}


def test_a_folder_with_one_class_is_refused_with_a_clear_message(qtbot, window, tmp_path):
    folder = make_class_folders(tmp_path / "one", ("cat",), per_class=3, size=32)
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    assert drop_files(tab.dataset, [folder])
    qtbot.waitUntil(lambda: "two class" in tab.dataset.status.text(), timeout=30_000)
    assert not tab.start_button.isEnabled()
