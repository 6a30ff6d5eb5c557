"""Review any labelled folder with the model in use, without training: the model scores the folder in the
background (as `densenet-studio evaluate` does, leaving out photos that trained it) with a progress bar and
Cancel, and the results show its confusion matrix and photos. The folder becomes the Train tab's folder, so
the photos moved from the review move there and Edit > Undo takes them back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QWidget,
)

from engine.inference.report import EvaluationReport
from gui.dataset_edits import DatasetEdits
from gui.model_state import ModelState
from gui.workers import start_worker


def evaluate_folder(classifier, folder: str, progress, stop) -> EvaluationReport | None:
    """Runs on the TensorFlow thread: `classifier`'s model scored on `folder`; None when stopped."""
    from engine.inference.evaluation import (
        EvaluationStopped,
        evaluate_model,
        studio_model_of,
    )

    try:
        return evaluate_model(studio_model_of(classifier), folder, progress=progress, stop=stop)
    except EvaluationStopped:
        return None


class FolderReview(QWidget):
    """A "Review a folder" button, and while it runs a progress bar and Cancel. `reviewed` carries (report,
    model source, folder); `failed` the error; `said` a sentence for the results' summary."""

    reviewed = Signal(object, str, str)
    failed = Signal(object)
    said = Signal(str)
    progressed = Signal(int, int)  # (done, total), from the worker's thread

    def __init__(self, models: ModelState | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.models = models
        self.dataset_edits: DatasetEdits | None = None
        self.worker = None
        self.button = QPushButton()
        self.button.clicked.connect(self.choose_folder)
        self.progress = QProgressBar()
        self.progress.setMinimumWidth(120)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.progressed.connect(self._progressed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.progress, 1)
        layout.addWidget(self.cancel_button)
        layout.addStretch()
        self._set_running(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.button.setText(self.tr("Re&view a folder with the model in use…"))
        self.button.setToolTip(self.tr("Score a folder of class subfolders with the loaded model and review its "
                                       "photos, without training."))
        self.cancel_button.setText(self.tr("Cancel"))
        self.progress.setAccessibleName(self.tr("Review progress"))

    def choose_folder(self) -> None:
        """Ask for the folder (the Train tab's, to begin with) and review it."""
        if self.models is None or self.models.classifier is None:
            self.said.emit(self.tr("No model is loaded: open one from the Model menu, or train one."))
            return
        panel = self.dataset_edits.dataset if self.dataset_edits is not None else None
        if panel is not None and not panel.isEnabled():  # a training holds the Train tab's folder
            self.said.emit(self.tr("A training is running: review a folder once it has ended."))
            return
        start = panel.folder if panel is not None and panel.folder else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, self.tr("Review a folder of class subfolders"), start)
        if folder:
            self.review(folder)

    def review(self, folder: str) -> None:
        """Score `folder` with the model in use in the background; it becomes the Train tab's folder."""
        if self.worker is not None or self.models is None or self.models.classifier is None:
            return
        panel = self.dataset_edits.dataset if self.dataset_edits is not None else None
        if panel is not None and Path(panel.folder or ".").resolve() != Path(folder).resolve():
            panel.check(folder)
        source = self.models.source
        self.said.emit(self.tr("Reviewing {0} with {1}…").format(folder, self.models.name))
        self._set_running(True)
        self.progress.setRange(0, 0)
        self.worker = start_worker(evaluate_folder, self.models.classifier, folder, self.progressed.emit,
                                   tensorflow=True, on_returned=lambda report: self._done(report, source, folder),
                                   on_errored=self._failed)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.request_stop()
            self.cancel_button.setEnabled(False)

    def is_running(self) -> bool:
        return self.worker is not None

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _done(self, report: EvaluationReport | None, source: str, folder: str) -> None:
        self.worker = None
        self._set_running(False)
        if report is None:
            self.said.emit(self.tr("Review cancelled."))
        else:
            self.reviewed.emit(report, source, folder)

    def _failed(self, error: BaseException) -> None:
        self.worker = None
        self._set_running(False)
        self.failed.emit(error)

    def _set_running(self, running: bool) -> None:
        self.button.setEnabled(not running)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
