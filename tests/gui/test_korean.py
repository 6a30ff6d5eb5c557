"""The Korean window never mixes languages: every tab and dialog, in states that show their text (a checked
folder with a skipped photo, a finished small training with its log and results, classified photos with a
preview, an error, the Sort tab with classes, Export, label problems, feature maps, a reviewed folder, the menus,
Qt's own file dialog and message box), is walked widget by widget, and any Latin-letter word outside a small
allow-list fails the test. The training's log also keeps the engine's exact lines behind Details."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from engine.data.label_problems import LabelIssue, LabelReport, Outlier
from engine.model.variants import variant_names
from gui.train_settings import CUSTOM, select_data
from tests.gui.helpers import drop_files
from tests.image_files import class_picture, make_class_folders, name_by_class, write_image

# Latin words a Korean window shows on purpose, each for a reason:
ALLOWED = {
    # names of things, written so in Korean texts too: the network family, the data set, the method, the
    # export formats and libraries the user picks by name, photo formats, the two kinds of processor
    "DenseNet", "DenseNet-BC", "ImageNet", "Grad-CAM", "ONNX", "Runtime", "TFLite", "LiteRT", "SavedModel",
    "Keras", "JPEG", "PNG", "BMP", "GIF", "WebP", "TIFF", "CPU", "GPU", "XLA", "AVX", "AVX2", "AVX-512", "BF16",
    "oneDNN", "CSV", "ZIP", "TensorFlow",
    # the value a diverged loss takes, named as the log prints it
    "NaN",
    # the export formats' uses, named as their makers name them
    "Android", "iOS", "Raspberry", "Pi", "Java", "C#", "Serving",
    # each language is named in itself in the Language menu
    "English",
    # keys, as the keyboard labels them
    "Ctrl", "Shift", "Enter", "Space", "Delete", "Esc",
    # units and the paper's notation (BN-ReLU and conv in the block drawing, as the paper labels its layers)
    "px", "KB", "MB", "GB", "KiB", "MiB", "GiB", "BN-ReLU", "BN", "ReLU", "conv",
    # Qt's file dialog sizes its files with the system locale (QLocale::system), which an app cannot change
    "bytes",
    # the folder name a score comes from (train/ val/ test/ are folder names the user must create)
    "test", "train", "val",
}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.'#-]*[A-Za-z0-9#]|[A-Za-z]")
MNEMONIC = re.compile(r"&(?=\S)")
TAG = re.compile(r"<[^>]+>|&\w+;|(?<!\w)\.[a-z0-9]+\b")  # rich text's tags and entities, file endings (.keras)


def _strings(widget: QWidget) -> list[tuple[str, str]]:
    """(what, text) for every text a person can read on `widget` itself: its label, its tooltip, its items."""
    kind = type(widget).__name__
    found = [(f"{kind} tooltip", widget.toolTip()), (f"{kind} title", widget.windowTitle() if widget.isWindow()
                                                      else "")]
    if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
        found.append((kind, widget.text()))
    if isinstance(widget, QLineEdit):
        found.append((f"{kind} placeholder", widget.placeholderText()))
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        found.append((kind, widget.toPlainText()))
    if isinstance(widget, QGroupBox):
        found.append((kind, widget.title()))
    if isinstance(widget, QAbstractSpinBox):
        found += [(kind, widget.specialValueText()), (kind, getattr(widget, "suffix", str)())]
    if isinstance(widget, QTabBar):
        found += [(kind, widget.tabText(i)) for i in range(widget.count())]
        found += [(f"{kind} tooltip", widget.tabToolTip(i)) for i in range(widget.count())]
    if isinstance(widget, QComboBox):
        found += [(f"{kind} item", widget.itemText(i)) for i in range(widget.count())]
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        found += _item_texts(widget)
    if isinstance(widget, QMenu):
        found += [(f"menu {widget.title()}", text) for action in widget.actions()
                  for text in (action.text(), action.toolTip() if action.toolTip() != action.text() else "")]
    return found


def _item_texts(view: QAbstractItemView, rows: int = 60) -> list[tuple[str, str]]:
    model, root = view.model(), view.rootIndex()
    try:
        columns = model.columnCount(root)
    except TypeError:  # a list model's is private: one column
        columns = 1
    found = []
    for orientation, count in ((Qt.Orientation.Horizontal, columns), (Qt.Orientation.Vertical, model.rowCount(root))):
        for section in range(min(count, rows)):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.headerData(section, orientation, role)
                found.append(("header", value if isinstance(value, str) else ""))
    for row in range(min(model.rowCount(root), rows)):
        for column in range(columns):
            index = model.index(row, column, root)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                found.append((f"{type(view).__name__} cell", value if isinstance(value, str) else ""))
    return found


def latin_words(top: QWidget, names: set[str]) -> list[str]:
    """The words in Latin letters that `top` and its visible children show, less ALLOWED and `names` (the
    class, file and folder names the test made, network names): each as "word in 'text' (widget)"."""
    widgets = [top, *top.findChildren(QWidget)]  # the menu bar's menus among them, shown or not
    found = []
    for widget in widgets:
        if not (widget.isVisible() or isinstance(widget, QMenu)):
            continue
        for what, text in _strings(widget):
            words = _words(text, names)
            if words:
                found.append(f"{text[:100]!r} ({what}): {', '.join(sorted(set(words)))}")
    return sorted(set(found))


def _words(text: str, names: set[str]) -> list[str]:
    """The Latin words of `text` that are neither allowed nor one of `names`, paths and file names left out."""
    text = MNEMONIC.sub("", TAG.sub(" ", text or ""))
    tokens = [token for token in text.split() if "/" not in token and "\\" not in token]  # paths
    words = []
    for token in tokens:
        for word in WORD.findall(token):
            bare = word.strip(".'-")
            if (len(bare) < 2 or bare in ALLOWED or bare in names or Path(bare).stem in names
                    or Path(bare).suffix.lower() in {".png", ".jpg", ".keras", ".h5", ".onnx", ".tflite"}
                    or re.search(r"\d|_", bare)):  # layer names (conv2_block1), network ids (densenet121)
                continue
            words.append(bare)
    return words


def _english(window, names) -> dict[str, list[str]]:
    """Latin words per top-level window now shown (the main window, its dialogs)."""
    found = {}
    for top in QApplication.topLevelWidgets():
        if top.isVisible() or top is window:
            words = latin_words(top, names)
            if words:
                found[f"{type(top).__name__} {top.windowTitle()!r}"] = words
    return found


@pytest.mark.heavy  # a training process
def test_every_tab_and_dialog_of_the_korean_window_is_korean(qtbot, window, tmp_path):
    assert window.set_language("ko") == "ko"
    assert QLocale().language() == QLocale.Language.Korean  # Qt's sizes and file types follow the window
    assert QApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)  # the system's speak English
    folder = name_by_class(make_class_folders(tmp_path / "shapes", ("circle", "stripes"), per_class=8, size=32))
    write_image(folder / "circle" / "blank.png", "empty")  # skipped: "empty file (0 bytes)", said in Korean
    names = {"tabby", "kittens", Path.home().name, *variant_names()}
    found: dict[str, list[str]] = {}

    def check(state: str) -> None:
        """What every window now shown says; the names of the files and folders the test made are allowed."""
        names.update(part for path in tmp_path.rglob("*") for part in (path.name, path.stem))
        found.update({f"{state}: {key}": value for key, value in _english(window, names).items()})

    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        check(f"at start, tab {index}")

    # a refused drop is an error in the status line; then the folder is checked, one photo skipped
    train = window.train_tab
    window.tabs.setCurrentWidget(train)
    with qtbot.waitSignal(train.dataset.failed, timeout=30_000):
        train.dataset.check(str(write_image(tmp_path / "not-a-folder.png", "png")))
    check("an error")
    with qtbot.waitSignal(train.dataset.checked, timeout=60_000):
        train.dataset.check(str(folder))
    assert "0바이트" in train.dataset.problems.item(0).text()
    qtbot.waitUntil(lambda: train.form.auto is not None, timeout=120_000)
    check("checked folder")

    # one small training: its log, its results and its model, then used by every other tab
    form = train.form
    select_data(form.mode_box, CUSTOM)
    form.variant_box.setCurrentText("densenet-bc-10-k4")
    form.size_box.setValue(32)
    form.epochs_box.setValue(1)
    form.batch_box.setValue(4)
    select_data(form.xla_box, False)
    model = tmp_path / "shapes.keras"
    form.output_edit.setText(str(model))
    train.start()
    qtbot.waitUntil(lambda: not train.is_training(), timeout=240_000)
    qtbot.waitUntil(lambda: window.models.source == str(model), timeout=60_000)
    log = train.log.toPlainText()
    assert "단계: " in log and "에포크 1:" in log and "XLA" not in log, log
    train.lower_tabs.setCurrentIndex(0)
    check("training log")
    train.lower_tabs.setCurrentWidget(train.results)
    train.results.show_cell(0, 0)
    check("results")
    train.log_details.setChecked(True)  # the engine's exact lines, as --verbose prints them
    assert "XLA off" in train.log.toPlainText() and "densenet-bc-10-k4" in train.log.toPlainText()
    train.log_details.setChecked(False)
    assert train.log.toPlainText() == log

    # a reviewed folder, in the results' grid
    review = train.results.folder_review
    review.review(str(folder))
    qtbot.waitUntil(lambda: not review.is_running(), timeout=120_000)
    check("reviewed folder")

    # classified photos, one not a photo, and the preview of one
    classify = window.classify_tab
    window.tabs.setCurrentWidget(classify)
    photos = [write_image(tmp_path / "photos" / f"circle-{i}.png", "png", class_picture(0, 32, 50 + i))
              for i in range(3)]
    write_image(tmp_path / "photos" / "unsorted.jpg", "text_as_jpg")
    assert drop_files(window, [tmp_path / "photos"])
    qtbot.waitUntil(lambda: len(classify.results.rows) == len(photos) + 1 and not classify.is_busy(),
                    timeout=60_000)
    classify.table.selectRow(0)
    qtbot.waitUntil(lambda: classify.preview.ready, timeout=60_000)
    check("classified")

    # the Architecture tab with the loaded model, a dense block open, and its feature maps of a photo
    architecture = window.architecture_tab
    window.tabs.setCurrentWidget(architecture)
    qtbot.waitUntil(lambda: architecture.report is not None, timeout=60_000)
    architecture.open_block(1)
    architecture.show_feature_maps(str(photos[0]))
    qtbot.waitUntil(lambda: bool(architecture.feature_dialog.stages), timeout=60_000)
    check("architecture")
    architecture.feature_dialog.close()

    # the Sort tab sorting photos into named classes
    window.tabs.setCurrentWidget(window.sort_tab)
    assert drop_files(window.sort_tab, [tmp_path / "photos"])
    for name in ("tabby", "kittens"):
        window.sort_tab.add_class(name)
    check("sort")

    # Model > Export…, and Find label problems with findings
    window.export_model()
    check("export")
    window.export_dialog.close()
    window.tabs.setCurrentWidget(train)
    window.find_label_problems(str(folder))
    dialog = window.label_problems
    circles = sorted(str(path) for path in (folder / "circle").glob("*.png"))
    dialog._done(LabelReport(label_issues=(LabelIssue(circles[0], "circle", "stripes", 0.9),),
                             near_duplicates=((circles[1], circles[2]),), outliers=(Outlier(circles[3], 1.0),),
                             photos=16, method="3 small trainings", seconds=4.0, out_of_sample_accuracy=0.9))
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        check(f"label problems {index}")
    dialog.close()

    # Qt's own dialogs: the file chooser (Qt's, since the system would speak English) and a message box
    chooser = QFileDialog(window, "", str(tmp_path))
    chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
    chooser.show()
    chooser.setViewMode(QFileDialog.ViewMode.Detail)
    qtbot.waitUntil(lambda: chooser.findChild(QAbstractItemView).model().rowCount(
        chooser.findChild(QAbstractItemView).rootIndex()) > 0, timeout=10_000)
    qtbot.wait(200)  # file types and sizes fill in after the names
    check("file dialog")
    chooser.close()
    box = QMessageBox(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Ok, window)
    box.show()
    check("message box")
    box.close()
    edit_menu = train.form.output_edit.createStandardContextMenu()  # a text field's right-click menu
    found.update({"text field menu": [text for action in edit_menu.actions()
                                      for text in _words(action.text(), names)]})
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        check(f"at the end, tab {index}")
    seen: dict[str, str] = {}  # each finding once, with the first state it was seen in
    for state, words in found.items():
        for word in words:
            seen.setdefault(word, state)
    assert not seen, "\n".join(f"{word}  [{state}]" for word, state in seen.items())


def test_the_phase_lines_are_plain_words_and_details_shows_the_engines_line(window):
    """English too: the log says what happens in plain words, and Details the exact settings and why."""
    from engine.model.compute import plan_compute
    from engine.training.events import TRAIN, PhaseStarted

    plan = plan_compute("densenet-bc-10-k4", 32, 4, precision="mixed_bfloat16", memory_efficient=True,
                        jit_compile=False)
    train = window.train_tab
    train._event(PhaseStarted(TRAIN, plan.reason, plan.said))
    plain = train.log.toPlainText()
    assert plain == ("Phase: training — Training with 16-bit numbers where safe, as you chose. Saving memory by "
                     "working some steps out twice (slower, but the network fits in memory).")
    train.log_details.click()
    assert "mixed_bfloat16 (as requested)" in train.log.toPlainText()
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "&Look in:"  # English needs no gap filled
