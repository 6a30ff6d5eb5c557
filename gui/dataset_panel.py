"""The Train tab's dataset panel: a folder dropped or chosen is checked in a worker (images per class,
skipped files with reasons, exact duplicates, imbalance) before anything can train; once checked, its
labels can be checked too (gui.label_problems)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.data.dataset import ONE_LEVEL_TOO_HIGH, check_dataset
from gui.drop_highlight import DropHighlight
from gui.drops import dropped_folder
from gui.engine_text import photo_reason
from gui.status_line import StatusLine
from gui.workers import start_worker


def check_folder(folder: str):
    """Runs in a worker: decode every photo of `folder` once and report (no TensorFlow needed)."""
    return check_dataset(folder)


class DatasetPanel(QGroupBox):
    """Choose a dataset folder and see its check; `checked` carries the DatasetReport when it is trainable."""

    checked = Signal(object)
    failed = Signal(object)  # the exception
    label_check_requested = Signal(str)  # the checked folder

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.drop_highlight = DropHighlight(self)
        self.folder = ""
        self.report = None
        self._request = 0
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.choose_folder)
        self.status = StatusLine()
        self.classes = QTableWidget(0, 2)
        self.classes.verticalHeader().hide()
        self.classes.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.classes.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.problems = QListWidget()
        self.problems.setMaximumHeight(90)
        self.problems.setWordWrap(True)  # a long path wraps: the reason after it stays in view
        self.problems.setResizeMode(QListView.ResizeMode.Adjust)
        self.classes.setMaximumHeight(160)
        self.label_check_button = QPushButton()
        self.label_check_button.setEnabled(False)
        self.label_check_button.clicked.connect(lambda: self.label_check_requested.emit(self.folder))
        self.suggested_button = QPushButton()  # a folder picked one level too high: the one probably meant
        self.suggested_button.hide()
        self.suggested_button.clicked.connect(lambda: self.check(self.report.one_level_too_high["suggested"]))

        top = QHBoxLayout()
        top.addWidget(self.hint, 1)
        top.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.classes)
        layout.addWidget(self.problems)
        actions = QHBoxLayout()
        actions.addWidget(self.suggested_button)
        actions.addStretch(1)
        actions.addWidget(self.label_check_button)
        layout.addLayout(actions)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("1. Dataset"))
        self.hint.setText(self.tr("Drop a folder here with one subfolder per class (e.g. cat/, dog/)."))
        self.choose_button.setText(self.tr("Choose &folder…"))
        self.choose_button.setAccessibleName(self.tr("Choose dataset folder"))
        self.classes.setHorizontalHeaderLabels([self.tr("Class"), self.tr("Images")])
        self.classes.setAccessibleName(self.tr("Images per class"))
        self.problems.setAccessibleName(self.tr("Skipped files and duplicates"))
        self.label_check_button.setText(self.tr("Find &label problems…"))
        self.label_check_button.setToolTip(self.tr("Find photos that look wrongly labelled, look-alikes and "
                                                   "outliers, to fix before training."))
        self.status.retranslate()
        if self.report is not None:
            self._show(self._request, self.report)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Dataset folder"), self.folder or str(Path.home()))
        if folder:
            self.check(folder)

    def check(self, folder: str) -> None:
        """Check `folder` in the background; only the newest request is shown."""
        self._request += 1
        request = self._request
        self.folder = folder
        self.report = None
        self.label_check_button.setEnabled(False)
        self.suggested_button.hide()
        self.classes.setRowCount(0)
        self.problems.clear()
        self._set_status(self.tr("Checking {0}…").format(folder))
        start_worker(check_folder, folder, on_returned=lambda report: self._show(request, report),
                     on_errored=lambda error: self._fail(request, error))

    def _set_status(self, text: str) -> None:
        self.status.show_message(text)

    def _fail(self, request: int, error: BaseException) -> None:
        if request == self._request:
            self.status.show_error(error)
            self.failed.emit(error)

    def _show(self, request: int, report) -> None:
        if request != self._request:
            return
        self.report = report
        summary = report.to_dict()
        counts, imbalance = summary["classes"], summary["imbalance"]
        self.classes.setRowCount(len(counts))
        for row, (name, count) in enumerate(counts.items()):
            self.classes.setItem(row, 0, QTableWidgetItem(name))
            number = QTableWidgetItem(str(count))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.classes.setItem(row, 1, number)
        self.problems.clear()
        for item in summary["skipped"]:
            self.problems.addItem(self.tr("Skipped {0}: {1}").format(item["path"], photo_reason(item["reason"])))
        for group in summary["duplicates"]:
            self.problems.addItem(self.tr("Duplicates: {0}").format("  ".join(group)))
        text = self.tr("{0} classes, {1} images; {2} skipped, {3} duplicate groups.").format(
            len(counts), summary["images"], len(summary["skipped"]), len(summary["duplicates"]))
        if imbalance["ratio"] == 1:
            text += " " + self.tr("Balanced: every class has {0} images.").format(imbalance["largest_count"])
        else:
            text += " " + self.tr("Imbalance {0:g}x ({1}: {2} / {3}: {4}).").format(
                imbalance["ratio"], imbalance["largest"], imbalance["largest_count"], imbalance["smallest"],
                imbalance["smallest_count"])
        if imbalance["ratio"] >= 3:
            text += " " + self.tr("Strong imbalance: add photos to the small classes.")
        hint = report.one_level_too_high
        self.suggested_button.setVisible(hint is not None)
        if hint is None:
            self._set_status(text)
        else:
            self.status.show_error(QCoreApplication.translate("EngineText", ONE_LEVEL_TOO_HIGH).format(**hint) + "\n"
                                   + text)
            self.suggested_button.setText(self.tr("Use {0}").format(Path(hint["suggested"]).name + "/"))
        self.label_check_button.setEnabled(True)
        self.checked.emit(report)

    def dragEnterEvent(self, event) -> None:
        if dropped_folder(event.mimeData()) is not None:  # photos dropped here go to the window: classified
            event.acceptProposedAction()
            self.drop_highlight.show_for(self.tr("Drop to check this folder for training"))

    def dropEvent(self, event) -> None:
        folder = dropped_folder(event.mimeData())
        if folder is not None:
            event.acceptProposedAction()
            self.check(folder)
