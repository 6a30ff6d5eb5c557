"""Train tab > Find label problems: the checked folder's likely wrong labels, look-alike photos and outliers
(engine.training.label_check) as thumbnails to act on with one key each. The check trains small networks
unless ImageNet weights are at hand, so it runs in a child process (engine.training.training_process), never
in the window's; the photos move through the window's DatasetEdits, so Edit > Undo takes a move back.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.data.label_problems import DEFAULT_BUDGET_MINUTES, LabelCheckStopped, LabelReport
from engine.training.events import PhaseStarted
from engine.training.training_process import label_check_events
from gui.dataset_edits import DatasetEdits
from gui.review_grid import ReviewGrid
from gui.review_menu import KEPT
from gui.review_model import GridPhoto
from gui.status_line import describe
from gui.workers import start_worker

ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_A)
KEEP_KEYS = (Qt.Key.Key_K, Qt.Key.Key_Space)


def run_label_check(folder: str, budget_minutes: float, stop):
    """Worker generator: the check of `folder` in a child process; yields its progress, returns the report."""
    return (yield from label_check_events(folder, {"budget_minutes": budget_minutes}, stop))


def problem_photos(report: LabelReport) -> tuple[list[GridPhoto], list[GridPhoto], list[GridPhoto]]:
    """The report's three lists as grid photos: wrong labels (given -> suggested, how suspicious), look-alikes
    (one group after another, each photo captioned with its group) and outliers (farthest from the rest first)."""
    wrong = [GridPhoto(issue.path, issue.given, issue.suggested, issue.score) for issue in report.label_issues]
    group = QCoreApplication.translate("LabelProblemsDialog", "group {0}")
    alike = [GridPhoto(path, _class_of(path), _class_of(path), 1.0, note=group.format(number))
             for number, paths in enumerate(report.near_duplicates, start=1) for path in paths]
    far = [GridPhoto(outlier.path, _class_of(outlier.path), _class_of(outlier.path), outlier.score, note="")
           for outlier in report.outliers]
    return wrong, alike, far


def _class_of(path: str) -> str:
    """A photo's class: its folder's name (the check only lists photos of class folders)."""
    return Path(path).parent.name


class OneKeyActions(QObject):
    """On a grid of likely wrong labels: Enter or A accepts the suggested class, K or Space keeps the label
    (the photo is greyed as reviewed), and the grid's own keys still move (1-9) or take out (Delete)."""

    def __init__(self, grid: ReviewGrid):
        super().__init__(grid)
        self.grid = grid
        grid.view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or event.key() not in ACCEPT_KEYS + KEEP_KEYS:
            return False
        row = self.grid.view.currentIndex().row()
        if row >= 0 and self.grid.model.photo(row).moved is None:
            if event.key() in ACCEPT_KEYS:
                self.grid.move(row, self.grid.model.photo(row).suggested)
            else:
                self.grid.model.mark_moved(row, KEPT)
            if row + 1 < self.grid.model.rowCount():
                self.grid.view.setCurrentIndex(self.grid.model.index(row + 1))
        return True


class LabelProblemsDialog(QDialog):
    """Start the check of the Train tab's folder, follow it, and act on what it found."""

    def __init__(self, edits: DatasetEdits, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.folder = ""
        self.worker = None
        self.report: LabelReport | None = None
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.budget = QDoubleSpinBox()
        self.budget.setRange(0.5, 60.0)
        self.budget.setSingleStep(0.5)
        self.budget.setValue(DEFAULT_BUDGET_MINUTES)
        self.budget.setDecimals(1)
        self.budget_label = QLabel()
        self.budget_label.setBuddy(self.budget)
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop)
        self.progress = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.grids = [ReviewGrid(parent=self) for _ in range(3)]
        for grid in self.grids:
            grid.dataset_edits = edits
        OneKeyActions(self.grids[0])
        self.tabs = QTabWidget()
        for grid in self.grids:
            self.tabs.addTab(grid, "")
        controls = QHBoxLayout()
        controls.addWidget(self.budget_label)
        controls.addWidget(self.budget)
        controls.addWidget(self.start_button)
        controls.addWidget(self.stop_button)
        controls.addWidget(self.progress, 1)
        controls.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.resize(900, 640)
        self._set_running(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Label problems in {0}").format(Path(self.folder).name or "…"))
        self.explanation.setText(self.tr(
            "Finds photos that look wrongly labelled, photos that look alike (maybe twice in the folder, or in "
            "two classes) and photos unlike the rest. Each photo is judged by models that never saw it. Without "
            "ImageNet weights this trains five small networks within the time below."))
        self.budget_label.setText(self.tr("&Minutes:"))
        self.budget.setToolTip(self.tr("More time trains the small networks longer: they judge better. Give it more "
                                       "for a large folder, or when the photos it lists look right to you."))
        self.start_button.setText(self.tr("&Find label problems"))
        self.stop_button.setText(self.tr("St&op"))
        self.progress.setAccessibleName(self.tr("Label check progress"))
        hints = (self.tr("Enter or A: move to the suggested class. K or Space: the label is right. Delete: take "
                         "out of the folder. 1-9: move to that class. Edit > Undo takes a move back."),
                 self.tr("Photos of one group look alike; the caption under each photo names its group. "
                         "Delete takes one out of the folder; 1-9 moves it to that class."),
                 self.tr("Photos unlike the others, farthest first: a photo of none of the classes, or a damaged "
                         "one. Delete takes one out of the folder."))
        for grid, hint in zip(self.grids, hints):
            grid.retranslate()
            grid.hint.setText(hint)
        self._name_tabs()

    def _name_tabs(self) -> None:
        counts = [len(grid.model.photos) for grid in self.grids]
        groups = len(self.report.near_duplicates) if self.report is not None else 0
        self.tabs.setTabText(0, self.tr("Likely wrong labels ({0})").format(counts[0]))
        self.tabs.setTabText(1, self.tr("Look-alike groups ({0})").format(groups))
        self.tabs.setTabText(2, self.tr("Outliers ({0})").format(counts[2]))

    def check(self, folder: str) -> None:
        """Show the dialog for `folder` (the Train tab's checked folder); the check starts on the button."""
        if self.worker is None and folder != self.folder:
            self.folder, self.report = folder, None
            for grid in self.grids:
                grid.clear()
            self.status.clear()
            self.retranslate()
        self.show()
        self.raise_()

    def start(self) -> None:
        if self.worker is not None or not self.folder:
            return
        self._set_running(True)
        self.progress.setRange(0, 0)
        self.status.setText(self.tr("Checking the labels; this takes up to {0:g} min.").format(self.budget.value()))
        self.worker = start_worker(run_label_check, self.folder, self.budget.value(), on_yielded=self._progressed,
                                   on_returned=self._done, on_errored=self._failed)

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.request_stop()
            self.stop_button.setEnabled(False)
            self.status.setText(self.tr("Stopping…"))

    def is_running(self) -> bool:
        return self.worker is not None

    def _progressed(self, event) -> None:
        """The bar follows the folds trained (or the photos the backbone has seen)."""
        if isinstance(event, PhaseStarted):
            return
        done, total = event
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _done(self, report: LabelReport) -> None:
        self.worker, self.report = None, report
        self._set_running(False)
        for grid, photos in zip(self.grids, problem_photos(report)):
            labels = tuple(sorted({photo.given for photo in photos} | set(self.edits.classes())))
            grid.show_photos(photos, labels, "")
        self.grids[0].order_box.setCurrentIndex(0)
        self.status.setText(self.tr(
            "{0} photos judged in {1:.0f} s; the models agree with {2:.0%} of the labels. Likely wrong labels: {3}; "
            "look-alike groups: {4}; outliers: {5}.").format(
            report.photos, report.seconds, report.out_of_sample_accuracy, len(report.label_issues),
            len(report.near_duplicates), len(report.outliers)))
        self._name_tabs()
        self.grids[0].view.setFocus()

    def _failed(self, error: BaseException) -> None:
        self.worker = None
        self._set_running(False)
        self.status.setText(self.tr("Stopped: nothing was changed.") if isinstance(error, LabelCheckStopped)
                            else describe(error)[0])

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.budget.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.progress.setVisible(running)

    def closeEvent(self, event) -> None:
        self.stop()
        super().closeEvent(event)

