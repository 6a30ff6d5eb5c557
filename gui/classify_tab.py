"""The Classify tab: photos dropped anywhere on the window (or opened, or pasted) become rows with a
thumbnail and top-3 confidence bars; a worker classifies them with progress and Cancel; Grad-CAM overlays
the heatmap on the selected photo; results save as CSV. With no model, a panel offers ImageNet or training."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engine.inference.classifier import classify, imagenet_source, write_results_csv
from engine.model.pretrained import PretrainedError, identify_weights_file
from engine.model.variants import DEFAULT_IMAGENET_VARIANT
from gui import settings as keys
from gui.dataset_edits import DatasetEdits
from gui.drops import photo_filter
from gui.engine_text import weights_identity
from gui.model_state import ModelState
from gui.no_model_panel import NoModelPanel
from gui.photo_preview import PhotoPreview
from gui.results_model import (
    PHOTO,
    PREDICTION,
    RESULT_ROLE,
    TOP_SHOWN,
    ConfidenceDelegate,
    ResultsModel,
)
from gui.status_line import StatusLine
from gui.thumbnails import THUMBNAIL_SIZE
from gui.workers import in_groups, start_worker

EMIT_EVERY_S = 0.1  # results reach the table in batches at most ten times a second


def classify_batches(paths: list[str], classifier, stop):
    """Worker generator: engine.inference.classifier.classify's results in input order, yielded as (results, done,
    total) at most every EMIT_EVERY_S; a stop request ends it within one batch."""
    progress = {"done": 0, "total": 0}

    def count(event) -> None:
        progress.update(done=event.done, total=event.total)

    results = classify(paths, classifier, top_k=TOP_SHOWN, listener=count, stop=stop)
    for batch in in_groups(results, EMIT_EVERY_S):
        yield batch, progress["done"], progress["total"]


def save_results(path: str, results: list) -> str:
    """Runs in a worker: engine.inference.classifier's CSV (path, label_k, probability_k, error), written atomically."""
    return str(write_results_csv(path, results))


class ResultsTable(QTableView):
    """The results: the class names and percentages get the width they need (ConfidenceDelegate.sizeHint), the
    photo's column up to PHOTO_WIDTH of the rest (a long file name elides; its tooltip is the whole path), the
    confidence bars what remains."""

    PHOTO_WIDTH, SHORTEST_PHOTO = 260, 120  # px

    def resizeEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().resizeEvent(event)
        self.share_width()

    def share_width(self) -> None:
        room = self.viewport().width() - self.sizeHintForColumn(PREDICTION)
        self.setColumnWidth(PHOTO, max(self.SHORTEST_PHOTO, min(self.PHOTO_WIDTH, room)))


class ClassifyTab(QWidget):
    """Drop photos, read answers. `train_requested` asks the window to show the Train tab."""

    train_requested = Signal()

    def __init__(self, models: ModelState, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.models = models
        self.settings = settings
        self.worker = None
        self._request = 0  # counts classifications; see _if_current
        self._results_by = ""  # the model that made the rows shown
        self.pending: list[str] = []
        self.results = ResultsModel(self)
        self.dataset_edits: DatasetEdits | None = None  # the window's, once the Train tab exists

        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_photos)
        self.model_button = QPushButton()
        self.model_button.clicked.connect(self.open_model)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_csv)
        self.gradcam_box = QCheckBox()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        # Hidden until the first classification: an empty bar beside the buttons looked like a text box. Its
        # place is kept, so the Cancel button does not jump when it appears.
        self.progress.setVisible(False)
        policy = self.progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.progress.setSizePolicy(policy)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.status = StatusLine()

        self.table = ResultsTable()
        self.table.setModel(self.results)
        self.table.setItemDelegateForColumn(PREDICTION, ConfidenceDelegate(self.table))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(64)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(PHOTO, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setIconSize(QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        self.table.selectionModel().currentRowChanged.connect(self._show_selected)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._row_menu)
        self.preview = PhotoPreview(models)
        self.gradcam_box.toggled.connect(self.preview.set_heatmap_visible)

        self.no_model = NoModelPanel()
        self.no_model.imagenet_requested.connect(lambda: self.models.load(imagenet_source(DEFAULT_IMAGENET_VARIANT)))
        self.no_model.train_requested.connect(self.train_requested)
        self.no_model.open_requested.connect(self.open_model)
        self.no_model.weights_requested.connect(self.use_weights_file)
        self.results_page = QSplitter()
        self.results_page.addWidget(self.table)
        self.results_page.addWidget(self.preview)
        self.results_page.setStretchFactor(0, 3)
        self.results_page.setStretchFactor(1, 2)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.no_model)
        self.pages.addWidget(self.results_page)

        bar = QHBoxLayout()
        for widget in (self.open_button, self.model_button, self.save_button, self.gradcam_box):
            bar.addWidget(widget)
        bar.addStretch()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.pages, 1)

        self.models.changed.connect(self._model_changed)
        self.models.ready.connect(self._model_ready)
        self.models.failed.connect(self._model_failed)
        self.retranslate()
        self._model_changed()

    def retranslate(self) -> None:
        self.open_button.setText(self.tr("&Open photos…"))
        self.open_button.setAccessibleName(self.tr("Open photos"))
        self.model_button.setText(self.tr("Open model…"))  # Alt+M is the Model menu's
        self.model_button.setAccessibleName(self.tr("Open model"))
        self.save_button.setText(self.tr("&Save CSV…"))
        self.save_button.setAccessibleName(self.tr("Save results as CSV"))
        self.gradcam_box.setText(self.tr("Show &heatmap (Grad-CAM)"))
        self.gradcam_box.setAccessibleName(self.tr("Show heatmap"))
        self.gradcam_box.setToolTip(self.tr("Colours the selected photo where the network looked for its first "
                                            "answer (Grad-CAM). Turn it on to see whether the model looks at the "
                                            "object itself or at its background."))
        self.progress.setAccessibleName(self.tr("Classification progress"))
        self.cancel_button.setText(self.tr("Cance&l"))
        self.cancel_button.setAccessibleName(self.tr("Cancel classification"))
        self.table.setAccessibleName(self.tr("Classification results"))
        self.results.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 1)
        self.no_model.retranslate()
        self.preview.retranslate()
        self.status.retranslate()
        if not self.status.text():
            self.status.show_message(self._hint)

    # -- model ------------------------------------------------------------------------------------------
    def _model_changed(self) -> None:
        has_model = self.models.classifier is not None
        self.pages.setCurrentWidget(self.results_page if has_model else self.no_model)
        self.no_model.set_busy(self.models.loading, self.models.downloads)

    def _model_ready(self) -> None:
        self.no_model.set_message("")  # an earlier failure is resolved
        if self.pending:
            paths, self.pending = self.pending, []
            self.classify_paths(paths)
        elif self.results.rows and self._results_by != self.models.name:
            results_by, model = self._results_by, self.models.name
            self._set_status(lambda: self.tr("These results came from {0}; the model in use is now {1}. Classify the "
                                             "photos again to see its answers.").format(results_by, model), error=True)
        elif self.status.is_error:
            self._set_status(self._hint)

    def _model_failed(self, error: BaseException | str) -> None:
        """Said once: in the drop zone while no model is loaded (beside the buttons that try again), else above
        the results (the last good model stays in use)."""
        if self.models.classifier is None:
            self.no_model.show_error(error)
        else:
            self.status.show_error(error)

    def open_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open model"),
                                              keys.recall_folder(self.settings, keys.MODELS_FOLDER),
                                              self.tr("Keras models (*.keras)"))
        if path:
            self.settings.setValue(keys.MODELS_FOLDER, str(Path(path).parent))
            self.models.load(path)

    def use_weights_file(self) -> None:
        """The ImageNet DenseNet from a picked `.h5` (offline use): the file is identified before loading."""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Use a weights file"),
                                              keys.recall_folder(self.settings, keys.MODELS_FOLDER),
                                              self.tr("Keras weights (*.h5)"))
        if not path:
            return
        try:
            identity = identify_weights_file(path)
        except PretrainedError as error:
            self._model_failed(error)
            return
        if not identity.with_classifier:
            self._model_failed(self.tr("{0}: {1}. It can start a training (Train tab), but cannot classify: pick "
                                       "the file with the classifier.").format(Path(path).name,
                                                                               weights_identity(identity)))
            return
        self.no_model.set_message(self.tr("{0}: {1}.").format(Path(path).name, weights_identity(identity)))
        self.models.load(imagenet_source(identity.variant), weights_path=path)

    # -- classification ---------------------------------------------------------------------------------
    def open_photos(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open photos"), keys.recall_folder(self.settings, keys.PHOTOS_FOLDER),
            photo_filter())
        if paths:
            self.classify_paths(paths)

    def classify_image(self, image: QImage) -> None:
        """A pasted picture: saved as a PNG in the temp folder, then classified like a file."""
        handle = tempfile.NamedTemporaryFile(prefix="pasted-", suffix=".png", delete=False)
        handle.close()
        image.save(handle.name, "PNG")
        self.classify_paths([handle.name])

    def classify_paths(self, paths: list[str]) -> None:
        """Classify files and folders (recursively) with the current model; queued until one is loaded."""
        self.settings.setValue(keys.PHOTOS_FOLDER, str(Path(paths[0]).parent))
        if self.models.classifier is None:
            self.pending.extend(paths)
            self.no_model.set_message(self.tr("{0} item(s) waiting: load or train a model first.").format(
                len(self.pending)))
            return
        self.cancel()
        self._request += 1  # what the cancelled run still sends is dropped: it belongs to an older request
        request = self._request
        self.results.clear()
        self.preview.clear()
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setEnabled(True)
        self._results_by = self.models.name
        self._set_status(self.tr("Classifying with {0}…").format(self._results_by))
        self._started = time.monotonic()
        self.worker = start_worker(
            classify_batches, list(paths), self.models.classifier, tensorflow=True,
            on_yielded=self._if_current(request, self._add_rows),
            on_returned=self._if_current(request, lambda _result: self._done()),
            on_errored=self._if_current(request, self._failed))

    def _if_current(self, request: int, handler):
        """`handler`, run only while `request` is the latest classification: a cancelled run's late signals
        are dropped instead of adding rows to the next run's table."""
        return lambda *args: handler(*args) if request == self._request else None

    def _add_rows(self, batch) -> None:
        results, done, total = batch
        self.results.append(results)
        self.table.share_width()
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if self.table.currentIndex().row() < 0 and self.results.rows:
            self.table.selectRow(0)

    def _done(self) -> None:
        self.worker = None
        self.cancel_button.setEnabled(False)
        failed = sum(1 for row in self.results.rows if row.error)
        self.progress.setRange(0, max(1, len(self.results.rows)))
        self.progress.setValue(len(self.results.rows))
        count, seconds, results_by = len(self.results.rows), time.monotonic() - self._started, self._results_by
        self._set_status(lambda: self.tr("{0} photo(s) classified by {3} in {1:.1f} s; {2} could not be read.").format(
            count, seconds, failed, results_by))

    def _failed(self, error: BaseException) -> None:
        self.worker = None
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.status.show_error(error)

    def cancel(self) -> None:
        """Stop the running classification within one batch; rows so far stay."""
        if self.worker is not None:
            self.worker.request_stop()

    def is_busy(self) -> bool:
        return self.worker is not None

    def _hint(self) -> str:
        """The status line with nothing else to say."""
        return self.tr("Drop photos or folders anywhere on this window.")

    def _set_status(self, text: str | Callable[[], str], error: bool = False) -> None:
        if error:
            self.status.show_error(text)
        else:
            self.status.show_message(text)

    def _show_selected(self, current, _previous) -> None:
        row = current.data(RESULT_ROLE) if current.isValid() else None
        if row is not None:
            self.preview.show_row(row, self.gradcam_box.isChecked())

    # -- a wrong answer into the training folder -------------------------------------------------------
    def _row_menu(self, position) -> None:
        """Right-click on a result: add its photo to a class of the Train tab's folder (two clicks)."""
        row = self.table.indexAt(position).row()
        if row >= 0 and self.dataset_edits is not None:
            self.row_menu(row).exec(self.table.viewport().mapToGlobal(position))

    def row_menu(self, row: int) -> QMenu:
        """The menu of result `row`: "Add to the training folder as" with the Train tab folder's classes."""
        menu = QMenu(self)
        add = menu.addMenu(self.tr("Add to the training folder as"))
        for label in self.dataset_edits.classes():
            add.addAction(label, lambda label=label: self.add_to_training(row, label))
        if add.isEmpty():
            add.addAction(self.tr("(check a training folder in the Train tab first)")).setEnabled(False)
        return menu

    def add_to_training(self, row: int, label: str) -> None:
        """The photo of result `row` copied into class `label` of the Train tab's folder, for the next training."""
        self.dataset_edits.add(self.results.rows[row].path, label)

    # -- export -----------------------------------------------------------------------------------------
    def save_csv(self) -> None:
        if not self.results.rows:
            self._set_status(lambda: self.tr("Nothing to save yet: classify some photos first."), error=True)
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save results"),
                                              str(Path(keys.recall_folder(self.settings, keys.RESULTS_FOLDER))
                                                  / "results.csv"), self.tr("CSV files (*.csv)"))
        if path:
            self.settings.setValue(keys.RESULTS_FOLDER, str(Path(path).parent))
            start_worker(save_results, path, list(self.results.rows),
                         on_returned=lambda saved: self._set_status(lambda: self.tr("Saved {0}.").format(saved)),
                         on_errored=self.status.show_error)

