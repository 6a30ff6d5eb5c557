"""The Train tab: a checked dataset, settings with good defaults, Start / Stop / Resume, a live plot, a
progress bar with images/s and ETA, a log; at the end the confusion matrix and per-class metrics, and the
saved model goes straight into the Classify tab."""

from __future__ import annotations

import dataclasses
import time
from collections import deque
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.data.photo_moves import MoveError, PhotoMoves
from engine.errors import StudioError
from engine.model.variants import get_variant
from engine.training.checkpoints import can_resume
from engine.training.events import EpochEnded, PhaseProgress, PhaseStarted, PlanChanged, clock_text
from engine.training.training_process import TrainingProcess
from gui import settings as keys
from gui.confusion_view import ConfusionView
from gui.dataset_panel import DatasetPanel
from gui.engine_text import amount, ending, phase_name, plan_changed, said, sentences
from gui.model_state import ModelState
from gui.status_line import StatusLine, describe
from gui.train_run import run_training
from gui.train_settings import CUSTOM, TrainSettings
from gui.vertical_scroll import VerticalScroll
from gui.workers import start_worker

LOG_LINES = 5000
PLOT_HEIGHT = 150  # px, the live plot's least
DOWNLOAD_ALLOWED = keys.TRAIN_PREFIX + "imagenet_download_allowed"


class TrainTab(QWidget):
    def __init__(self, models: ModelState, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.models = models
        self.settings = settings
        self.worker = None
        self.spare: TrainingProcess | None = None  # loads TensorFlow ahead of the Start click: see _start_spare
        self._prepared: tuple | None = None  # the backbone the spare was asked to convert
        self.plot = None  # made when the tab is first shown (pyqtgraph takes a second to import)
        self.dataset = DatasetPanel()
        self.dataset.checked.connect(self._dataset_checked)
        self.dataset.failed.connect(lambda _error: self._set_trainable(False))
        self.dataset.failed.connect(lambda _error: self.discard_spare())

        self.form = TrainSettings(settings)
        self.form.changed.connect(lambda: self._set_trainable(self.dataset.report is not None))
        self.form.changed.connect(self._prepare_spare)
        self.form.output_edit.textChanged.connect(lambda _: self._set_trainable(self.dataset.report is not None))

        self.start_button = QPushButton()
        self.start_button.clicked.connect(lambda: self.start(resume=False))
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop)
        self.resume_button = QPushButton()
        self.resume_button.clicked.connect(lambda: self.start(resume=True))
        buttons = QHBoxLayout()
        for button in (self.start_button, self.stop_button, self.resume_button):
            buttons.addWidget(button)

        # The folder's check above the settings, each scrolling on its own and the handle between them moving, so
        # the window's smallest size still shows several settings rows and neither part pushes the window taller.
        self.left_split = QSplitter(Qt.Orientation.Vertical)
        for part in (self.dataset, self.form):
            self.left_split.addWidget(VerticalScroll(part))
        self.left_split.setChildrenCollapsible(False)
        self.left_split.setSizes([330, 350])
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.left_split, 1)
        left_layout.addLayout(buttons)

        self.progress = QProgressBar()
        self.progress.hide()  # until the first training: empty under the log it looked like a text box
        self.progress_text = StatusLine()
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(LOG_LINES)
        # Each line in plain words and, where the engine has one, its exact technical line (Details shows those).
        self.log_lines: deque[tuple[str | None, str | None]] = deque(maxlen=LOG_LINES)
        self.log_details = QCheckBox()
        self.log_details.toggled.connect(self._show_log)
        log_page = QWidget()
        log_layout = QVBoxLayout(log_page)
        log_layout.setContentsMargins(0, 0, 0, 0)
        log_layout.addWidget(self.log, 1)
        log_layout.addWidget(self.log_details)
        self.results = ConfusionView(models)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(log_page, "")
        self.lower_tabs.addTab(self.results, "")
        self.lower_tabs.setCornerWidget(self.results.folder_review)  # this row has room; the photos need the width
        self.plot_holder = QWidget()
        # enough to read the curves at the window's smallest size (the handle below gives them more); more would
        # raise that size, since a splitter asks for its folded plot's minimum too
        self.plot_holder.setMinimumHeight(PLOT_HEIGHT)
        QVBoxLayout(self.plot_holder).setContentsMargins(0, 0, 0, 0)
        right_split = QSplitter(Qt.Orientation.Vertical)
        right_split.addWidget(self.plot_holder)
        right_split.addWidget(self.lower_tabs)
        right_split.setSizes([330, 350])
        # The results' photos need the height: the plot folds away while they are shown (its handle brings it back).
        self.lower_tabs.currentChanged.connect(
            lambda index: right_split.setSizes([0 if index else 330, 350 + (330 if index else 0)]))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(right_split, 1)
        right_layout.addWidget(self.progress)
        right_layout.addWidget(self.progress_text)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)

        self._set_trainable(False)
        self.retranslate()
        folder = keys.recall(self.settings, keys.DATASET_FOLDER, "")
        if folder and Path(folder).is_dir():
            self.dataset.check(folder)

    # -- texts and settings -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        for widget, name in ((self.progress, self.tr("Training progress")), (self.log, self.tr("Training log"))):
            widget.setAccessibleName(name)
        self.start_button.setText(self.tr("&Start training"))
        self.stop_button.setText(self.tr("St&op (keeps the best model)"))
        self.resume_button.setText(self.tr("&Resume"))
        self.lower_tabs.setTabText(0, self.tr("Log"))
        self.lower_tabs.setTabText(1, self.tr("Results"))
        self.log_details.setText(self.tr("&Details: the exact settings and steps"))
        self.log_details.setToolTip(self.tr("Show the training's technical lines (number formats, memory mode, "
                                            "compilation) as the command line's --verbose prints them."))
        self.dataset.retranslate()
        self.form.retranslate()
        self.results.retranslate()
        if self.plot is not None:
            self.plot.retranslate()
        self.progress_text.retranslate()
        if not self.progress_text.text():
            self.progress_text.show_message(lambda: self.tr("Choose a dataset folder to begin."))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.ensure_plot()
        self._start_spare()

    def ensure_plot(self):
        """The live plot, created on first need."""
        if self.plot is None:
            from gui.training_plot import TrainingPlot

            self.plot = TrainingPlot()
            self.plot_holder.layout().addWidget(self.plot)
        return self.plot

    # -- dataset ----------------------------------------------------------------------------------------
    def _dataset_checked(self, report) -> None:
        self.settings.setValue(keys.DATASET_FOLDER, self.dataset.folder)
        self.form.set_report(report, self.dataset.folder)
        self._set_trainable(True)
        self.progress_text.show_message(lambda: self.tr("Dataset checked: ready to train."))
        self._start_spare()

    def _start_spare(self) -> None:
        """Start the training process that the next Start click uses, so TensorFlow loads while the user reads
        the dataset check: once the tab is shown (not at every app start) with a checked dataset."""
        if self.spare is None and self.worker is None and self.dataset.report is not None and self.isVisible():
            self.spare = TrainingProcess()
            self._prepared = None
            self._prepare_spare()

    def _prepare_spare(self) -> None:
        """Hand the waiting process the transfer-learning settings shown, so it converts their backbone while
        the user reads them (once per machine; engine.training.training_process.TrainingProcess.prepare)."""
        if self.spare is None or self.dataset.report is None or (self.form.mode != CUSTOM and self.form.auto is None):
            return
        try:
            config = self.form.config()
        except StudioError:
            return
        backbone = (config.variant, config.input_size, config.channels, config.pretrained, config.feature_runtime)
        if config.pretrained is not None and backbone != self._prepared:
            self._prepared = backbone
            self.spare.prepare(config)

    def discard_spare(self) -> None:
        """End the waiting training process (the dataset failed its check, the window closes)."""
        if self.spare is not None:
            self.spare.discard()
            self.spare = None

    def _set_trainable(self, ready: bool) -> None:
        """Start needs a checked folder and, with Automatic settings, their choice."""
        running = self.worker is not None
        ready = ready and (self.form.mode == CUSTOM or self.form.auto is not None)
        self.start_button.setEnabled(ready and not running)
        output = self.form.output_edit.text()
        self.resume_button.setEnabled(ready and not running and bool(output) and can_resume(output))
        self.stop_button.setEnabled(running)
        self.form.setEnabled(not running)
        self.dataset.setEnabled(not running)

    # -- training ---------------------------------------------------------------------------------------
    def _download_allowed(self) -> bool:
        """Asked once: may the app download the ImageNet weights that Automatic chose?"""
        if keys.recall(self.settings, DOWNLOAD_ALLOWED, False):
            return True
        answer = QMessageBox.question(
            self, self.tr("Download ImageNet weights?"),
            self.tr("Automatic settings start from a DenseNet-121 trained on ImageNet, which makes small folders "
                    "train well. Its weights (29 MB) are downloaded once and kept. Download them now?"))
        allowed = answer == QMessageBox.StandardButton.Yes
        self.settings.setValue(DOWNLOAD_ALLOWED, allowed)
        return allowed

    def _replace_allowed(self, out: Path) -> bool:
        """A new training writes its model file from its first epoch: an existing file of that name (another
        folder's model, an earlier one) is replaced only when the user says so."""
        if not out.exists():
            return True
        answer = QMessageBox.question(
            self, self.tr("Replace the model file?"),
            self.tr("{0} already exists. The new training will replace it. Replace it?").format(out.name))
        return answer == QMessageBox.StandardButton.Yes

    def start(self, resume: bool = False) -> None:
        if self.worker is not None or self.dataset.report is None:
            return
        if not self.form.output_edit.text():
            self.form.choose_output()
            if not self.form.output_edit.text():
                return
        if not resume and not self._replace_allowed(Path(self.form.output_edit.text())):
            return
        if not resume and self.form.needs_download() and not self._download_allowed():
            self.form.refuse_download()  # chooses again without ImageNet; Start is enabled once it has
            self._set_trainable(True)
            return
        self.form.remember()
        try:
            config = dataclasses.replace(self.form.config(), resume=resume)
        except StudioError as error:  # a setting the engine refuses: said like a failed training
            self._failed(error)
            return
        self._settle_moves()
        plot = self.ensure_plot()
        if not resume:
            plot.clear()
        self.results.clear()  # the previous model's scores do not describe this one
        training = self.tr("Training {0} at {1}x{1} on {2}…")
        self.write_log(training.format(get_variant(config.variant).label, config.input_size, self.dataset.folder),
                       training.format(config.variant, config.input_size, self.dataset.folder))
        if config.automatic:
            auto, automatic = self.form.auto, self.tr("Automatic settings: {0}")
            chosen = (f"{said(auto.summary_said)}: {sentences(auto.why, '; ')}"  # the engine's line, translated
                      if auto is not None and config.automatic == auto.config_options()["automatic"]
                      else config.automatic)
            self.write_log(automatic.format(chosen), automatic.format(config.automatic))
        self.progress.setRange(0, 0)
        self.progress.show()
        self.progress_text.show_message(self.tr("Starting…"))
        self._started = time.monotonic()
        process, self.spare = self.spare, None
        self.worker = start_worker(run_training, self.dataset.folder, config, process=process,
                                   on_yielded=self._event, on_returned=self._finished, on_errored=self._failed)
        self._set_trainable(True)

    def _settle_moves(self) -> None:
        """A training starts from the folder as it is: the photo moves made in it can no longer be undone, and
        the photos taken out go to the system trash (engine.data.photo_moves)."""
        try:
            trashed = PhotoMoves(self.dataset.folder).settle()
        except MoveError as error:  # a damaged list of moves: the photos are where they are, which is enough
            self.write_log(describe(error)[0])
            return
        if trashed:
            self.write_log(self.tr("{0} photo(s) taken out of the folder went to the trash.").format(trashed))

    def stop(self) -> None:
        """Ask training to end after the current batch; the best model so far is saved and loaded."""
        if self.worker is not None:
            self.worker.request_stop()
            self.stop_button.setEnabled(False)
            self.write_log(self.tr("Stopping after this batch; the best model so far is kept…"))

    def is_training(self) -> bool:
        """True until the outcome has reached the window (_finished/_failed), not just until the worker ends."""
        return self.worker is not None

    def stop_and_wait(self, timeout_s: float = 120.0) -> None:
        """For closing the window: stop, and wait (processing nothing else) until the worker has finished."""
        worker = self.worker
        if worker is not None:
            worker.request_stop()
            worker.done.wait(timeout_s)
            QThreadPool.globalInstance().waitForDone(int(timeout_s * 1000))
            if worker.done.is_set():
                self.worker = None  # ended; the window closes without waiting for its outcome signal

    def _event(self, item) -> None:
        """What a training worker yields: a list of BatchEnded, or one other engine.training.events event."""
        if isinstance(item, list):
            for batch in item:
                self._show_batch(batch)
        elif isinstance(item, PhaseStarted):
            name = phase_name(item.phase)
            line = self.tr("Phase: {0}").format(name)
            plain = sentences(item.said)  # a phase without plain words: its name says it
            self.write_log(f"{line} — {plain}" if plain else line, f"{line} — {item.detail}" if item.detail else line)
            self.progress.setRange(0, 0)  # busy, not the last phase's full bar, until progress or batches come
            self.progress_text.show_message(f"{name}…")
        elif isinstance(item, PhaseProgress):
            self.progress.setRange(0, max(1, item.total))
            self.progress.setValue(item.done)
            self.progress_text.show_message(self.tr("{0}: {1}").format(phase_name(item.phase), amount(item)))
        elif isinstance(item, EpochEnded):
            self._show_epoch(item)
        elif isinstance(item, PlanChanged):
            self.write_log(plan_changed(item), item.text())

    def _show_batch(self, batch) -> None:
        """engine.training.events.BatchEnded: a point on the training curves and the progress bar."""
        epoch_float = batch.epoch - 1 + batch.batch / max(1, batch.batches)
        self.plot.add_point("train_loss", epoch_float, batch.loss)
        self.plot.add_point("train_accuracy", epoch_float, batch.accuracy)
        self.progress.setRange(0, batch.epochs * batch.batches)
        self.progress.setValue((batch.epoch - 1) * batch.batches + batch.batch)
        self.progress_text.show_message(self.tr("Epoch {0}/{1} · batch {2}/{3} · {4:.0f} images/s · ETA {5}").format(
            batch.epoch, batch.epochs, batch.batch, batch.batches, batch.images_per_second,
            clock_text(batch.eta_seconds)))

    def _show_epoch(self, epoch) -> None:
        if epoch.val_loss is not None:
            self.plot.add_point("val_loss", epoch.epoch, epoch.val_loss)
            self.plot.add_point("val_accuracy", epoch.epoch, epoch.val_accuracy)
        self.write_log(self.tr("Epoch {0}: loss {1:.4f}, accuracy {2:.3f}; validation loss {3}, "
                                         "accuracy {4}{5}").format(
            epoch.epoch, epoch.loss, epoch.accuracy, _number(epoch.val_loss, "{:.4f}"),
            _number(epoch.val_accuracy, "{:.3f}"),
            self.tr(" (best so far, saved)") if epoch.saved else self.tr(" (best so far)") if epoch.improved else ""))

    def _finished(self, outcome) -> None:
        self.worker = None
        self._set_trainable(True)
        self._start_spare()
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.write_log(None, outcome.compute)  # the plain words came with the training phase
        if outcome.ending:
            self.write_log(ending(outcome.ending, outcome.ending_facts))
        if outcome.model_path is None:
            self.progress_text.show_message(
                lambda: self.tr("Training stopped before the first epoch ended: no model was saved."))
            return
        self.results.show_report(outcome.evaluation, (outcome.ending, outcome.ending_facts), outcome.model_path)
        self.lower_tabs.setCurrentWidget(self.results)
        state = lambda: self.tr("stopped") if outcome.stopped else self.tr("finished")  # noqa: E731
        elapsed = clock_text(time.monotonic() - self._started)
        if self._use_for_classifying(outcome):
            self.models.load(outcome.model_path)
            self.progress_text.show_message(lambda: self.tr("Training {0} after {1}: model saved to {2}; loading it "
                                                       "for classifying.").format(state(), elapsed, outcome.model_path))
        else:
            self.progress_text.show_message(lambda: self.tr("Training {0} after {1}: model saved to {2}; the model in "
                                                       "use stays.").format(state(), elapsed, outcome.model_path))
        self.write_log(self.progress_text.text())

    def _use_for_classifying(self, outcome) -> bool:
        """A finished training's model replaces the one in use; a stopped one's only if the user agrees."""
        if not outcome.stopped or self.models.classifier is None or self.models.source == outcome.model_path:
            return True
        answer = QMessageBox.question(
            self, self.tr("Use the stopped training's model?"),
            self.tr("Training was stopped early. Classify with its best model so far instead of {0}?").format(
                self.models.name))
        return answer == QMessageBox.StandardButton.Yes

    def _failed(self, error: BaseException) -> None:
        self.worker = None
        self._set_trainable(self.dataset.report is not None)
        self._start_spare()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress_text.show_error(error)
        message, detail = describe(error)
        self.write_log(message, f"{message}\n{detail}" if detail else message)

    def write_log(self, plain: str | None, technical: str | None = None) -> None:
        """A line of the log: `plain` for the learner, `technical` (the engine's exact line, where it differs)
        shown instead with Details; either may be None where that view has no such line."""
        technical = plain if technical is None else technical
        self.log_lines.append((plain, technical))
        line = technical if self.log_details.isChecked() else plain
        if line is not None:
            self.log.appendPlainText(line)

    def _show_log(self, details: bool) -> None:
        """Details switched: the whole log again in the view asked for."""
        self.log.setPlainText("\n".join(line for pair in self.log_lines if (line := pair[details]) is not None))
        self.log.moveCursor(QTextCursor.MoveOperation.End)


def _number(value: float | None, form: str) -> str:
    return "—" if value is None else form.format(value)


