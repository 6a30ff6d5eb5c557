"""Model > Export…: the loaded model written as a SavedModel folder, a TFLite file or an ONNX file and checked as
the command line checks it (engine.inference.export), on the TensorFlow thread, with a progress bar of its steps.

The dialog is not modal: the window stays usable while it exports. Cancel takes effect between two steps (a step
itself, e.g. a conversion, cannot be interrupted), and then nothing is left on disk.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from engine.errors import TEMPLATES, StudioError
from engine.inference.classifier import imagenet_variant
from engine.inference.export import (
    FORMATS,
    ONNX,
    SAVEDMODEL,
    STEPS,
    SUFFIXES,
    TFLITE,
    TOLERANCE,
    ExportResult,
    ExportStep,
    check_target,
    export_steps,
)
from gui import settings as keys
from gui.status_line import StatusLine
from gui.workers import Worker, start_worker
from gui.wrapping_label import WrappingLabel

SAVEDMODEL_ENDING = "-savedmodel"  # a SavedModel is a folder: "pets-savedmodel" beside pets.keras
QUIT_WAIT_S = 600.0  # the longest step (converting a DenseNet-201) ends well within it


def _ending(fmt: str) -> str:
    return SUFFIXES[fmt] or SAVEDMODEL_ENDING


def _stem(name: str) -> str:
    """A file name without the ending any export format gives it ("pets.onnx", "pets-savedmodel" -> "pets")."""
    for fmt in FORMATS:
        if name.lower().endswith(_ending(fmt)):
            return name[: len(name) - len(_ending(fmt))]
    return name


def free_path(folder: Path, stem: str, fmt: str) -> Path:
    """`folder`/`stem` with `fmt`'s ending, numbered ("pets-2.onnx") when that name is taken."""
    path, number = folder / f"{stem}{_ending(fmt)}", 2
    while path.exists():
        path, number = folder / f"{stem}-{number}{_ending(fmt)}", number + 1
    return path


def step_text(step: ExportStep) -> str:
    """What an export step does, in the window's language (the engine's STEP_TEMPLATES)."""
    template, facts = step.said()
    return QCoreApplication.translate(TEMPLATES, template).format(**facts)


class ExportDialog(QDialog):
    """Pick a format and where to write it, then Export: each step shows on the bar, the check's result below."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.model = None  # the Keras model exported (the loaded classifier's)
        self.mirrored = False  # the app averages its answers with the mirror image's (ExportResult notes it)
        self.source = self.model_name = ""
        self.worker: Worker | None = None
        self.step: ExportStep | None = None
        self.result: ExportResult | None = None  # the last export's, for retranslating its sentence
        self.intro = WrappingLabel()
        self.format_box = QGroupBox()
        self.format_group = QButtonGroup(self)
        self.format_buttons: dict[str, QRadioButton] = {}
        self.format_notes: dict[str, WrappingLabel] = {}
        formats = QVBoxLayout(self.format_box)
        for fmt in (SAVEDMODEL, TFLITE, ONNX):
            button, note = QRadioButton(), WrappingLabel()
            note.setIndent(24)  # under the button's text, past its circle
            self.format_group.addButton(button)
            button.toggled.connect(lambda on, fmt=fmt: on and self._retarget(fmt))
            formats.addWidget(button)
            formats.addWidget(note)
            self.format_buttons[fmt], self.format_notes[fmt] = button, note
        self.path_label = QLabel()
        self.path_edit = QLineEdit()
        self.path_label.setBuddy(self.path_edit)
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self.browse)
        self.step_label = WrappingLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, len(STEPS))
        self.progress.setTextVisible(False)
        self.status = StatusLine()
        self.export_button = QPushButton()
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        where = QGridLayout()
        where.addWidget(self.path_label, 0, 0)
        where.addWidget(self.path_edit, 0, 1)
        where.addWidget(self.browse_button, 0, 2)
        where.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        for part in (self.intro, self.format_box):
            layout.addWidget(part)
        layout.addLayout(where)
        for part in (self.step_label, self.progress, self.status):
            layout.addWidget(part)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.format_buttons[ONNX].setChecked(True)
        self.retranslate()
        self.resize(640, self.sizeHint().height())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Export {0}").format(self.model_name))
        self.intro.setText(self.tr("Write {0} in a format other programs can run. The app then loads the export "
                                   "back and checks that it answers as the model does.").format(self.model_name))
        self.format_box.setTitle(self.tr("Format"))
        names = {SAVEDMODEL: self.tr("&SavedModel folder"), TFLITE: self.tr("T&FLite file"),
                 ONNX: self.tr("O&NNX file")}
        notes = {
            SAVEDMODEL: self.tr("For TensorFlow programs and TensorFlow Serving on a server."),
            TFLITE: self.tr("For phones and small devices (Android, iOS, Raspberry Pi), run by LiteRT."),
            ONNX: self.tr("For almost any other program or language, run by ONNX Runtime (C#, C++, Java, the web)."),
        }
        for fmt, button in self.format_buttons.items():
            button.setText(names[fmt])
            button.setToolTip(notes[fmt])
            self.format_notes[fmt].setText(notes[fmt])
        self.path_label.setText(self.tr("Save &to:"))
        self.path_edit.setAccessibleName(self.tr("Where to write the export"))
        self.path_edit.setToolTip(self.tr("Where the export is written, beside the model unless you choose another "
                                          "place; the name gets the format's ending."))
        self.browse_button.setText(self.tr("&Browse…"))
        self.export_button.setText(self.tr("&Export"))
        self.progress.setAccessibleName(self.tr("Export progress"))
        self.status.retranslate()
        self._show_state()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def format(self) -> str:
        return next(fmt for fmt, button in self.format_buttons.items() if button.isChecked())

    def is_running(self) -> bool:
        return self.worker is not None

    def open_for(self, classifier, source: str, name: str) -> None:
        """Show the dialog for the loaded `classifier` (from `source`, named `name`); while an export runs it is
        only brought to the front."""
        if not self.is_running():
            self.model, self.mirrored = classifier.model, classifier.test_time_flip
            self.source, self.model_name = source, name
            variant = imagenet_variant(source)
            folder = Path(keys.recall_folder(self.settings, keys.MODELS_FOLDER)) if variant else Path(source).parent
            self.path_edit.setText(str(free_path(folder, f"{variant}-imagenet" if variant else Path(source).stem,
                                                 self.format)))
            self.step, self.result = None, None
            self.progress.setValue(0)
            self.status.show_message("")
            self.retranslate()
        self.show()
        self.raise_()
        self.activateWindow()

    def _retarget(self, fmt: str) -> None:
        """Another format chosen: the path keeps its folder and name and takes the format's ending."""
        text = self.path_edit.text().strip()
        if text:
            path = Path(text)
            self.path_edit.setText(str(free_path(path.parent, _stem(path.name), fmt)))

    def browse(self) -> None:
        fmt = self.format
        filters = {SAVEDMODEL: self.tr("SavedModel folder (*)"), TFLITE: self.tr("TFLite files (*.tflite)"),
                   ONNX: self.tr("ONNX files (*.onnx)")}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export to"), self.path_edit.text(), filters[fmt],
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            if SUFFIXES[fmt] and not path.lower().endswith(SUFFIXES[fmt]):
                path += SUFFIXES[fmt]
            self.path_edit.setText(path)

    # -- the export ------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Check the path at once (a taken name, a missing or read-only folder), then export in the background."""
        if self.model is None or self.is_running():
            return
        fmt, out = self.format, Path(self.path_edit.text().strip())
        self.step, self.result = None, None
        self.progress.setValue(0)
        try:
            check_target(fmt, out)
        except StudioError as error:
            self._failed(error)
            return
        self.status.show_message("")
        self.worker = start_worker(export_steps, self.model, fmt, out, self.mirrored, tensorflow=True,
                                   on_yielded=self._begun, on_returned=self._done, on_errored=self._failed)
        self._show_state()

    def _begun(self, step: ExportStep) -> None:
        self.step = step
        self._show_state()
        self.progress.setValue(step.number - 1)

    def _done(self, result: ExportResult | None) -> None:
        self.worker, self.result = None, result
        if result is None:
            self.progress.setValue(0)
            self.status.show_message(lambda: self.tr("Export cancelled; nothing was written."))
        elif result.passed:
            self.progress.setValue(len(STEPS))
            self.status.show_message(lambda: self._verdict(result))
        else:
            self.progress.setValue(len(STEPS))
            self.status.show_error(lambda: self._verdict(result))
        self._show_state()

    def _failed(self, error: BaseException) -> None:
        self.worker = None
        self.progress.setValue(0)
        self.status.show_error(error)
        self._show_state()

    def _verdict(self, result: ExportResult) -> str:
        """The check's result in plain words, as the command line's summary line gives it."""
        facts = (result.images, f"{result.max_abs_diff:.1e}", f"{TOLERANCE:.0e}", result.same_top)
        if result.passed:
            text = self.tr("Exported and checked: {0}. On {1} test images it answers as the model does: the "
                           "probabilities differ by at most {2} (the limit is {3}), and the top class is the same "
                           "on {4} of {1}.").format(result.path, *facts)
        else:
            text = self.tr("The check failed: {0} answers differently from the model. On {1} test images the "
                           "probabilities differ by up to {2} (the limit is {3}); the top class is the same on {4} "
                           "of {1}. The export is kept, as the command line keeps it, so that it can be looked at; "
                           "do not use it as it is.").format(result.path, *facts)
        if result.mirrored_in_app:
            text += " " + self.tr("Note: it answers for each photo alone, while the app averages this model's "
                                  "answers for a photo and its mirror image.")
        return text

    def _show_state(self) -> None:
        """The controls and the step line as the export stands: idle, running, or cancelling."""
        running = self.is_running()
        cancelling = running and self.worker.stop.is_set()
        for widget in (self.format_box, self.path_edit, self.browse_button, self.export_button):
            widget.setEnabled(not running and self.model is not None)
        self.close_button.setText(self.tr("&Cancel export") if running else self.tr("Close"))
        self.close_button.setEnabled(not cancelling)
        text = ""
        if running and self.step is not None:
            text = self.tr("Step {0} of {1}: {2}…").format(self.step.number, self.step.total, step_text(self.step))
        elif running:
            text = self.tr("Waiting for the model's other work to finish…")  # the TensorFlow thread is busy
        if cancelling:
            text += " " + self.tr("Cancelling: this step finishes first, then nothing is left on disk.")
        self.step_label.setText(text)
        self.step_label.setVisible(bool(text))
        self.progress.setVisible(running or self.result is not None)

    def reject(self) -> None:
        """Close, Escape or the title bar's close: while an export runs, cancel it instead (the dialog stays to
        say when it has stopped)."""
        if self.is_running():
            self.worker.request_stop()
            self._show_state()
            return
        super().reject()
        self.model = None  # not kept alive once another model is loaded; Model > Export… gives it again

    def finish_before_quit(self) -> bool:
        """For closing the window: while an export runs, ask; on yes stop it after its current step and wait.
        False when the user keeps the window open."""
        if not self.is_running():
            return True
        answer = QMessageBox.question(
            self, self.tr("Export is running"),
            self.tr("Stop the export and quit? The step under way finishes first; nothing half-written is left."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.worker.request_stop()
        self.worker.done.wait(QUIT_WAIT_S)
        return True
