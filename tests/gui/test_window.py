"""The window as a whole: Korean and English switch every visible string, settings persist, keyboard
and accessibility names are there, and the worker mechanism reports results, errors and stops."""

import re
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from gui import settings as keys
from gui.main_window import MainWindow
from gui.translations import compiled_translation
from gui.workers import in_groups, start_worker

PLACEHOLDER = re.compile(r"\{[^{}]*\}")  # a str.format field: {0}, {path}, {1:.1f}


def _visible_texts(window):
    return [window.tabs.tabText(i) for i in range(3)] + [
        window.classify_tab.no_model.imagenet_button.text(), window.train_tab.start_button.text(),
        window.file_menu.title(), window.edit_menu.title(), window.train_tab.form.budget_box.specialValueText()]


def test_korean_switches_visible_strings_and_back(qtbot, window):
    english = _visible_texts(window)
    assert english[:3] == ["&Classify", "&Train", "&Architecture"]
    assert compiled_translation("ko").is_file()
    window.models.message.emit("Model pets.keras is ready.")
    assert window.statusBar().currentMessage() == "Model pets.keras is ready."
    assert window.set_language("ko") == "ko"
    assert window.statusBar().currentMessage() == ""  # not left in English beside Korean
    korean = _visible_texts(window)
    assert korean[:3] == ["분류(&C)", "학습(&T)", "구조(&A)"]
    assert korean[3] == "ImageNet DenseNet-121 받기 (33 MB)"
    assert all(before != after for before, after in zip(english, korean))
    assert window.settings.value(keys.LANGUAGE) == "ko"
    # Qt's own dialogs (file chooser, message boxes) speak Korean too: qtbase_ko is loaded with the app's
    assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel"
    window.set_language("en")
    assert _visible_texts(window) == english


def test_the_korean_catalogue_translates_every_string_of_the_gui(tmp_path):
    """Every tr() string of gui/ and every error template marked in engine/ (as lupdate extracts them) has a
    finished Korean translation that fills only the placeholders its source has."""
    root = Path(__file__).resolve().parents[2]
    catalogue = root / "resources" / "translations" / "studio_ko.ts"
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(root.glob("gui/*.py")) + sorted(root.glob("engine/**/*.py"))
    subprocess.run([str(lupdate), *map(str, sources), "-ts", str(fresh)], check=True, capture_output=True)
    wanted = {(context.findtext("name"), message.findtext("source"))
              for context in ElementTree.parse(fresh).getroot().iter("context") for message in context.iter("message")}
    translated = {}
    for context in ElementTree.parse(catalogue).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            finished = translation.get("type") not in ("unfinished", "obsolete", "vanished")
            translated[(context.findtext("name"), message.findtext("source"))] = finished and bool(
                translation.text or message.find("translation/numerusform") is not None)
            if finished and translation.text:
                source = message.findtext("source")
                extra = set(PLACEHOLDER.findall(translation.text)) - set(PLACEHOLDER.findall(source))
                assert not extra, (source, extra)
    missing = sorted(key for key in wanted if not translated.get(key))
    assert not missing, missing
    assert any(context == "EngineText" and "{path}: folder not found" == source for context, source in wanted)


def test_language_and_folders_are_remembered(qtbot, settings, tmp_path):
    settings.setValue(keys.LANGUAGE, "en")
    settings.setValue(keys.TRAIN_PREFIX + "epochs", 7)
    settings.setValue(keys.TRAIN_PREFIX + "augment", False)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert window.train_tab.form.epochs_box.value() == 7
    assert not window.train_tab.form.augment_box.isChecked()
    assert window.language_actions["en"].isChecked()


def test_every_control_has_an_accessible_name_and_takes_focus(qtbot, window):
    window.architecture_tab.variant_box.setCurrentText("densenet-bc-10-k4")  # small: its report builds fast
    for tab in (window.classify_tab, window.train_tab, window.architecture_tab):
        window.tabs.setCurrentWidget(tab)
        for widget in tab.findChildren(QWidget):
            if widget.isVisibleTo(tab) and widget.metaObject().className() in ("QPushButton", "QComboBox",
                                                                               "QSpinBox", "QCheckBox"):
                assert widget.accessibleName() or widget.text(), widget
                assert widget.focusPolicy() != 0, widget


def _counting(n, stop):
    for i in range(n):
        if stop.is_set():
            return f"stopped at {i}"
        yield i
        time.sleep(0.01)
    return "done"


def _failing():
    raise ValueError("boom")


def test_in_groups_keeps_every_item_passes_others_alone_and_returns_what_the_source_returns():
    def source():
        yield from (1, 2, "phase", 3)
        return "result"

    def collect():
        returned = yield from in_groups(source(), 3600.0, lambda item: item != "phase")
        seen.append(returned)

    seen: list = []
    assert list(collect()) == [[1, 2], "phase", [3]] and seen == ["result"]
    assert list(in_groups(iter(range(3)), 0.0)) == [[0], [1], [2]]  # no time to gather: one item per list


def test_worker_yields_returns_reports_errors_and_stops(qtbot):
    seen, returned, errors = [], [], []
    start_worker(_counting, 3, on_yielded=seen.append, on_returned=returned.append)
    qtbot.waitUntil(lambda: returned == ["done"], timeout=10_000)
    assert seen == [0, 1, 2]

    worker = start_worker(_counting, 10_000, on_returned=returned.append)
    worker.request_stop()
    qtbot.waitUntil(lambda: len(returned) == 2, timeout=10_000)
    assert returned[1].startswith("stopped at")

    start_worker(_failing, on_errored=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "boom"


def test_a_write_errors_os_reason_shows_in_plain_words_in_the_windows_language(qapp):
    """The OS's own words stay in the CLI's message; the window says the usual reasons in plain words, in Korean
    too, and any other reason as the OS said it."""
    import errno

    from engine.errors import WriteError
    from gui.engine_text import error_text
    from gui.translations import install_language

    read_only = WriteError("/media/cd/pets.keras", OSError(errno.EROFS, "Read-only file system"))
    odd = WriteError("/x/pets.keras", OSError(errno.EIO, "Input/output error"))
    assert str(read_only) == "/media/cd/pets.keras: cannot write (Read-only file system)"
    assert error_text(read_only) == "/media/cd/pets.keras: cannot write (the disk or folder is read-only)"
    install_language("ko")
    try:
        assert "읽기 전용" in error_text(read_only) and "read-only" not in error_text(read_only).lower()
        assert error_text(odd).endswith("(Input/output error)")
    finally:
        install_language("en")


def test_the_engines_photo_reasons_show_in_the_windows_language(qapp):
    """Every reason the engine gives a file (engine.data.images, the image cache) is said in Korean; one with
    words from outside (an OS message) stays as it is."""
    from engine.data import image_cache, images
    from gui.engine_text import photo_reason
    from gui.translations import install_language

    reasons = [images.BROKEN_LINK, images.NOT_REGULAR, images.EMPTY_FILE, images.NOT_A_PHOTO, images.DAMAGED,
               images.TOO_LARGE, images.NOT_FOUND, images.NO_PERMISSION, image_cache.CHANGED]
    assert [photo_reason(reason) for reason in reasons] == reasons
    install_language("ko")
    try:
        korean = [photo_reason(reason) for reason in reasons]
        assert all(said != reason for said, reason in zip(korean, reasons)), korean
        assert "손상" in photo_reason(images.DAMAGED) and "JPEG" in photo_reason(images.NOT_A_PHOTO)
        assert photo_reason("cannot read file (Input/output error)") == "cannot read file (Input/output error)"
    finally:
        install_language("en")


def test_the_app_loads_the_compiled_catalogue_and_never_compiles_one(qtbot, window, tmp_path, monkeypatch):
    """The set-up commands compile studio_ko.ts (scripts/compile_translations.py); where no .qm was compiled
    the window stays in English instead of running lrelease."""
    from PySide6.QtCore import QTranslator

    from gui import translations
    from scripts.compile_translations import compile_translations

    compiled = compile_translations(tmp_path / "qm")
    assert [path.name for path in compiled] == ["qt_gaps_ko.qm", "studio_ko.qm"]
    catalogue = QTranslator()
    assert catalogue.load(str(compiled[1]))
    assert catalogue.translate("MainWindow", "&Train") not in ("", "&Train")
    monkeypatch.setattr(translations, "TRANSLATIONS_DIR", tmp_path / "empty")
    assert translations.compiled_translation("ko") is None
    assert window.set_language("ko") == "en"
    assert _visible_texts(window)[:3] == ["&Classify", "&Train", "&Architecture"]
    assert not (tmp_path / "empty").exists()
