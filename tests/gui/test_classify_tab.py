"""The Classify tab through its real widgets: drops of real image files, a real (tiny) Keras model."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from engine.inference.classifier import imagenet_source
from gui import settings as keys
from tests.gui.helpers import drop_files, tiny_model_file
from tests.image_files import class_picture, make_class_folders, write_image


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    return tiny_model_file(tmp_path_factory.mktemp("model") / "pets.keras")


def _load(qtbot, window, path):
    with qtbot.waitSignal(window.models.ready, timeout=120_000):
        window.models.load(str(path))


def test_no_model_panel_then_dropped_photos_are_classified_once_a_model_loads(qtbot, window, model_path, tmp_path):
    tab = window.classify_tab
    assert tab.pages.currentWidget() is tab.no_model
    assert "33 MB" in tab.no_model.imagenet_button.text()
    assert not tab.progress.isVisible()  # an empty bar before any photo looked like a text box
    photos = [write_image(tmp_path / "photos" / f"{i}.png", "png", class_picture(i % 2, 40, i)) for i in range(3)]
    assert drop_files(window, photos)
    assert tab.pending and "waiting" in tab.no_model.message.text()

    _load(qtbot, window, model_path)
    qtbot.waitUntil(lambda: len(tab.results.rows) == 3 and not tab.is_busy(), timeout=60_000)
    assert [Path(row.path).name for row in tab.results.rows] == ["0.png", "1.png", "2.png"]
    for row in tab.results.rows:
        assert row.error is None and len(row.top) == 2
        assert {label for label, _ in row.top} == {"cat", "dog"}
        assert abs(sum(probability for _, probability in row.top) - 1) < 1e-4
    assert "pets.keras" in window.model_label.text() and "cat" in window.model_label.text()
    assert tab.progress.isVisible() and tab.progress.value() == tab.progress.maximum()


def test_an_offline_imagenet_download_is_said_once_beside_the_buttons_with_its_detail_behind_details(qtbot, window,
                                                                                                     tmp_path,
                                                                                                     monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty-keras-home"))  # nothing cached; offline in tests
    tab = window.classify_tab
    window.show()
    with qtbot.waitSignal(window.models.failed, timeout=120_000):
        tab.no_model.imagenet_button.click()
        assert "ImageNet DenseNet-121" in tab.no_model.busy.format()
        assert "downloaded once" in tab.no_model.message.text()
    message = tab.no_model.message
    assert "could not be downloaded" in message.text() and message.is_error and message.details_button.isVisible()
    assert not tab.status.is_error and window.statusBar().currentMessage() == ""  # not said three times
    assert "imagenet:" not in window.model_label.text()


def test_drop_of_a_folder_with_bad_files_shows_errors_inline(qtbot, window, model_path, tmp_path):
    _load(qtbot, window, model_path)
    folder = tmp_path / "mixed"
    write_image(folder / "a_good.jpg", "jpeg", class_picture(0, 40, 1))
    write_image(folder / "b_truncated.jpg", "truncated")
    write_image(folder / "c_text.jpg", "text_as_jpg")
    write_image(folder / "d_good.webp", "webp", class_picture(1, 40, 2))
    tab = window.classify_tab
    assert drop_files(window.classify_tab.table.viewport(), [folder])
    qtbot.waitUntil(lambda: len(tab.results.rows) == 4 and not tab.is_busy(), timeout=60_000)
    errors = {Path(row.path).name: row.error for row in tab.results.rows}
    assert errors["a_good.jpg"] is None and errors["d_good.webp"] is None
    assert "truncated" in errors["b_truncated.jpg"] or "corrupt" in errors["b_truncated.jpg"]
    assert errors["c_text.jpg"]
    assert "could not be read" in tab.status.text()

    qtbot.waitUntil(lambda: len(tab.results.thumbnails) >= 2, timeout=30_000)  # painted rows ask for thumbnails

    tab.table.selectRow(3)
    qtbot.waitUntil(lambda: tab.preview.ready, timeout=30_000)
    assert tab.preview.scale.isHidden()
    tab.gradcam_box.setChecked(True)
    assert not tab.preview.scale.isHidden()  # the heatmap's colour scale comes with it
    assert not tab.preview.ready  # the heatmap of the selected photo is being computed
    qtbot.waitUntil(lambda: tab.preview.ready, timeout=60_000)
    assert tab.preview.image.width() == 384 and "Heatmap" in tab.preview.caption.text()
    assert "Error" not in tab.preview.caption.text()  # an untrained model's map may be all zero: no pixel test
    window.set_language("ko")  # what is on screen is written again in Korean, not left in English
    assert "분류했습니다" in tab.status.text() and "히트맵" in tab.preview.caption.text()
    tab.table.selectRow(2)  # c_text.jpg: its caption gives the reason in Korean, as its row does
    assert "앱이 열 수 있는 사진이 아닙니다" in tab.preview.caption.text() and tab.preview.scale.isHidden()
    window.set_language("en")
    assert "could not be read" in tab.status.text()

    out = tmp_path / "results.csv"
    from gui.classify_tab import save_results

    save_results(str(out), tab.results.rows)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("path,label_1,probability_1") and len(lines) == 5


def test_a_corrupt_model_file_keeps_the_last_good_model(qtbot, window, model_path, tmp_path):
    _load(qtbot, window, model_path)
    broken = tmp_path / "broken.keras"
    broken.write_bytes(model_path.read_bytes()[:2000])
    with qtbot.waitSignal(window.models.failed, timeout=60_000) as failed:
        window.models.load(str(broken))
    message = str(failed.args[0])
    assert "broken.keras" in message
    assert window.models.classifier is not None and window.models.source == str(model_path)
    assert window.classify_tab.status.text() == message
    _load(qtbot, window, model_path)  # the failure is resolved: its message goes
    assert window.classify_tab.status.text() != message and not window.classify_tab.no_model.message.text()


def test_results_name_their_model_and_are_marked_when_another_model_takes_over(qtbot, window, model_path, tmp_path):
    _load(qtbot, window, model_path)
    tab = window.classify_tab
    photo = write_image(tmp_path / "photos" / "cat.png", "png", class_picture(0, 40, 7))
    tab.classify_paths([str(photo)])
    qtbot.waitUntil(lambda: len(tab.results.rows) == 1 and not tab.is_busy(), timeout=60_000)
    assert "classified by pets.keras" in tab.status.text()
    other = tiny_model_file(tmp_path / "other.keras")
    _load(qtbot, window, other)
    assert "came from pets.keras" in tab.status.text() and "other.keras" in tab.status.text()
    tab.classify_paths([str(photo)])
    qtbot.waitUntil(lambda: not tab.is_busy() and "classified by other.keras" in tab.status.text(), timeout=60_000)

def test_a_new_classification_drops_what_the_cancelled_one_still_sends(qtbot, window, model_path, tmp_path):
    _load(qtbot, window, model_path)
    tab = window.classify_tab
    many = [write_image(tmp_path / "many" / f"{i:03d}.png", "png", class_picture(i % 2, 40, i)) for i in range(120)]
    one = write_image(tmp_path / "one" / "new.png", "png", class_picture(0, 40, 500))
    tab.classify_paths([str(path) for path in many])
    cancelled, ended = tab.worker, []
    cancelled.signals.finished.connect(lambda: ended.append(True))  # queued: connected before it can arrive
    qtbot.waitUntil(lambda: len(tab.results.rows) > 0, timeout=60_000)  # the first run is sending rows
    tab.classify_paths([str(one)])  # cancels it; its batches in flight must not land in the new table
    qtbot.waitUntil(lambda: not tab.is_busy() and len(tab.results.rows) >= 1, timeout=60_000)
    # Its `finished` arrives after every batch it sent (one sender, one thread, queued in order): once it is
    # here, nothing of the cancelled run is still on its way.
    qtbot.waitUntil(lambda: bool(ended), timeout=60_000)
    assert [Path(row.path).name for row in tab.results.rows] == ["new.png"]
    assert "1 photo(s)" in tab.status.text()


@pytest.mark.heavy
def test_a_picked_imagenet_weights_file_is_identified_and_classifies_offline(qtbot, window, tmp_path, monkeypatch):
    import keras

    from tests.keras_files import write_legacy_h5_weights

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty-keras-home"))  # nothing cached, nothing downloaded
    network = keras.applications.DenseNet121(weights=None)
    full = write_legacy_h5_weights(network, tmp_path / "full.h5")
    # Up to its last activation, as include_top=False builds it: the same layers, one network built, not two.
    notop = write_legacy_h5_weights(keras.Model(network.input, network.get_layer("relu").output), tmp_path / "notop.h5")
    picked = [str(notop)]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (picked[0], ""))
    tab = window.classify_tab
    tab.no_model.weights_button.click()
    assert "without classifier" in tab.no_model.message.text() and window.models.loading == ""
    picked[0] = str(full)
    with qtbot.waitSignal(window.models.ready, timeout=180_000):
        tab.no_model.weights_button.click()
    assert window.models.source == "imagenet:densenet121" and len(window.models.classifier.class_names) == 1000


def _dogs(train) -> int | None:
    """The dog photos the Train tab's last folder check counted (None while it checks)."""
    report = train.dataset.report
    return None if report is None else report.scan.counts()["dog"]


def test_a_classified_photo_goes_into_a_training_class_in_two_clicks_and_ctrl_z_takes_it_back(qtbot, window,
                                                                                            model_path, tmp_path):
    folder = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=3, size=32)
    train = window.train_tab
    train.dataset.check(str(folder))
    qtbot.waitUntil(lambda: train.dataset.report is not None, timeout=60_000)
    _load(qtbot, window, model_path)
    tab = window.classify_tab
    photo = write_image(tmp_path / "downloads" / "mystery.png", "png", class_picture(1, 40, 9))
    tab.classify_paths([str(photo)])
    qtbot.waitUntil(lambda: len(tab.results.rows) == 1 and not tab.is_busy(), timeout=60_000)

    (add,) = [action.menu() for action in tab.row_menu(0).actions()]  # right-click on the result: one submenu
    assert add.title() == "Add to the training folder as" and [a.text() for a in add.actions()] == ["cat", "dog"]
    add.actions()[1].trigger()  # the second click
    copied = folder / "dog" / "mystery.png"
    assert copied.read_bytes() == photo.read_bytes() and photo.is_file()
    assert "mystery.png added to dog in pets" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: _dogs(train) == 4, timeout=60_000)  # the folder is checked again

    window.undo_move_action.trigger()  # Edit > Undo, Ctrl+Z
    assert not copied.exists() and photo.is_file()
    assert window.statusBar().currentMessage() == "Undone: the copy of mystery.png went to the trash."
    qtbot.waitUntil(lambda: _dogs(train) == 3, timeout=60_000)
    window.undo_move_action.trigger()
    assert "nothing to undo since the last training" in window.statusBar().currentMessage()
    window.set_language("ko")
    assert [a.text() for a in tab.row_menu(0).actions()] == ["학습 폴더에 이 클래스로 추가"]
    window.set_language("en")


def test_the_model_menu_lists_recent_models_loads_them_again_and_offers_imagenet_any_time(qtbot, window, tmp_path):
    first, second = (tiny_model_file(tmp_path / name) for name in ("first.keras", "second.keras"))
    window._list_recent_models()
    assert [action.text() for action in window.recent_menu.actions()] == ["(none yet)"]
    for path in (first, second):
        _load(qtbot, window, path)
    window._list_recent_models()
    recent = window.recent_menu.actions()
    assert [action.text() for action in recent] == ["second.keras", "first.keras"]  # newest first
    assert recent[1].toolTip() == str(first)
    with qtbot.waitSignal(window.models.ready, timeout=120_000):
        recent[1].trigger()  # one click loads it again
    assert window.models.source == str(first) and window.models.recent() == [str(first), str(second)]
    second.unlink()  # moved or deleted since: no longer offered
    assert window.models.recent() == [str(first)]

    window.tabs.setCurrentWidget(window.train_tab)
    with qtbot.waitSignal(window.models.failed, timeout=120_000):  # offline in tests: no ImageNet weights here
        window.imagenet_action.trigger()
        assert window.tabs.currentWidget() is window.classify_tab and window.models.loading == "ImageNet DenseNet-121"
    assert window.models.source == str(first)  # the model in use stays until another is ready
    assert "could not be downloaded" in window.classify_tab.status.text()  # said once, above the results
    assert "could not" not in window.statusBar().currentMessage() and not window.classify_tab.no_model.message.text()
    window.tabs.setCurrentWidget(window.train_tab)  # from another tab, the status bar points to the Classify tab
    with qtbot.waitSignal(window.models.failed, timeout=120_000):
        window.models.load(imagenet_source("densenet121"))
    assert "Classify tab" in window.statusBar().currentMessage()
    window.models.settings.setValue(keys.RECENT_MODELS, "imagenet:densenet121\n" + str(first))
    window._list_recent_models()
    imagenet = window.recent_menu.actions()[0]
    assert imagenet.text() == "ImageNet DenseNet-121" and imagenet.toolTip() in ("", imagenet.text())
