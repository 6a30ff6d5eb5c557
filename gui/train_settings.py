"""Step 2 of the Train tab: Automatic settings (the default) or custom ones, a time budget, and how long the
training should take, all before Start.

Automatic asks engine.training.auto_settings for the folder's settings once its check is done (in the TensorFlow
worker: it looks at the device and probes for the ImageNet weights). The fields then show what it chose,
read-only; Custom unlocks them and shows the estimate of the hand-picked settings, flagged with an offer of
the automatic ones when it passes half an hour. The panel hands the Train tab a TrainConfig.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.data.augment import AugmentConfig
from engine.errors import ConfigError, StudioError
from engine.model.compute import FLOAT32, MIXED_BFLOAT16, MIXED_FLOAT16
from engine.model.config import AUTO, MAX_INPUT_SIZE
from engine.model.pretrained import DOWNLOADABLE, UNAVAILABLE, PretrainedError, identify_weights_file
from engine.model.variants import get_variant, variant_names
from engine.training.auto_settings import estimate_config, is_long, merged_config, minutes_said, settings_for_scan
from engine.training.train_config import IMAGENET_PRETRAINED, TrainConfig
from gui import settings as keys
from gui.engine_text import error_text, said, sentences, weights_identity
from gui.status_line import ERROR_STYLE, describe
from gui.workers import start_worker
from gui.wrapping_label import WrappingLabel

AUTOMATIC, CUSTOM = "automatic", "custom"
SCRATCH = "scratch"
WEIGHTS_FILE = "weights-file"  # Start from: a keras.applications .h5 the user picks (offline transfer learning)
DEFAULT_MODEL_NAME = "model.keras"  # the model file's name until the folder names it or the user chooses one
TRAIN_DEFAULTS = {field: getattr(TrainConfig, field) for field in ("variant", "epochs", "batch_size", "lr")}


class TrainSettings(QGroupBox):
    """The settings form; `changed` fires when the settings a Start would use have changed."""

    changed = Signal()

    def __init__(self, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.auto = None  # engine.training.auto_settings.AutoSettings of the current folder
        self.profile = self.device = self.weights = None
        self.weights_file: str | None = None  # the .h5 picked under "Start from"
        self.weights_message = ""  # what that file is, or why it was refused
        self.report = None
        self._request = 0

        self.mode_box = QComboBox()
        self.budget_box = QSpinBox()
        self.budget_box.setRange(0, 24 * 60)
        self.summary = WrappingLabel()  # in a scroll area: a plain wrapped label would be clipped to one line
        self.warning = WrappingLabel()
        self.warning.setStyleSheet(ERROR_STYLE)
        self.use_auto_button = QPushButton()
        self.use_auto_button.clicked.connect(lambda: select_data(self.mode_box, AUTOMATIC))
        self.variant_box = QComboBox()
        self.variant_box.setEditable(True)
        self.variant_box.addItems(variant_names())
        self.size_box = QSpinBox()
        self.size_box.setRange(8, MAX_INPUT_SIZE)
        self.start_box = QComboBox()
        self.epochs_box = QSpinBox()
        self.epochs_box.setRange(1, 1000)
        self.batch_box = QSpinBox()
        self.batch_box.setRange(1, 4096)
        self.lr_box = QDoubleSpinBox()
        self.lr_box.setDecimals(5)
        self.lr_box.setRange(0.00001, 1.0)
        self.lr_box.setSingleStep(0.0005)
        self.augment_box = QCheckBox()
        self.deterministic_box = QCheckBox()
        self.precision_box = QComboBox()
        self.memory_box = QComboBox()
        self.xla_box = QComboBox()
        self.output_edit = QLineEdit()
        self.output_button = QPushButton()
        self.output_button.clicked.connect(self.choose_output)
        self.output_named = False  # the user typed or picked the model file's name: a new folder keeps it
        self.output_edit.textEdited.connect(self._output_typed)

        output_row = QHBoxLayout()
        output_row.addWidget(self.output_edit, 1)
        output_row.addWidget(self.output_button)
        warning_row = QHBoxLayout()
        warning_row.addWidget(self.warning, 1)
        warning_row.addWidget(self.use_auto_button)
        # Each box is never narrower than its longest entry, in either language: on a small window the panel
        # scrolls (gui.vertical_scroll) instead of cutting an entry.
        for box in (self.mode_box, self.variant_box, self.start_box, self.precision_box, self.memory_box,
                    self.xla_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.form = QFormLayout()
        self.form_labels: list[QLabel] = []
        self.manual_fields = (self.variant_box, self.size_box, self.start_box, self.epochs_box, self.batch_box,
                              self.lr_box, self.augment_box, self.deterministic_box)
        for field in (self.mode_box, self.budget_box, *self.manual_fields, self.precision_box, self.memory_box,
                      self.xla_box, output_row):
            label = QLabel()
            self.form_labels.append(label)
            self.form.addRow(label, field)
            label.setBuddy(field if isinstance(field, QWidget) else self.output_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(warning_row)
        layout.addLayout(self.form)

        self.variant_box.currentTextChanged.connect(self._variant_changed)
        self.mode_box.currentIndexChanged.connect(self._mode_changed)
        self.budget_box.valueChanged.connect(self._budget_changed)
        for box in (self.size_box, self.epochs_box, self.batch_box):
            box.valueChanged.connect(self._refresh)
        self.lr_box.valueChanged.connect(self._refresh)
        self.start_box.currentIndexChanged.connect(self._start_changed)
        self.retranslate()
        self._restore()

    # -- texts and memory -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        texts = (self.tr("&Settings"), self.tr("Train for at &most"), self.tr("&Variant"), self.tr("&Input size"),
                 self.tr("Start &from"), self.tr("&Epochs"), self.tr("&Batch size"), self.tr("Learning &rate"),
                 self.tr("A&ugmentation"), self.tr("Reproducib&le"), self.tr("&Precision"),
                 self.tr("Memory-efficient mo&de"), self.tr("&XLA compilation"), self.tr("Save model &to"))
        for label, text in zip(self.form_labels, texts):
            label.setText(text)
        for widget, name in ((self.mode_box, self.tr("Automatic or custom settings")),
                             (self.budget_box, self.tr("Time budget in minutes")),
                             (self.variant_box, self.tr("Variant")), (self.size_box, self.tr("Input size")),
                             (self.start_box, self.tr("Start from")), (self.epochs_box, self.tr("Epochs")),
                             (self.batch_box, self.tr("Batch size")), (self.lr_box, self.tr("Learning rate")),
                             (self.augment_box, self.tr("Augmentation")),
                             (self.deterministic_box, self.tr("Reproducible")),
                             (self.precision_box, self.tr("Precision")),
                             (self.memory_box, self.tr("Memory-efficient mode")),
                             (self.xla_box, self.tr("XLA compilation")), (self.output_edit, self.tr("Model file")),
                             (self.summary, self.tr("What the training will do"))):
            widget.setAccessibleName(name)
        self._fill(self.mode_box, ((self.tr("Automatic (recommended)"), AUTOMATIC), (self.tr("Custom"), CUSTOM)))
        self._fill(self.start_box, ((self.tr("From scratch"), SCRATCH),
                                    (self.tr("ImageNet weights (transfer learning)"), IMAGENET_PRETRAINED),
                                    (self.tr("A weights file…"), WEIGHTS_FILE)))
        self._fill(self.precision_box, ((self.tr("Automatic"), AUTO), (self.tr("32-bit (float32)"), FLOAT32),
                                        (self.tr("16-bit (bfloat16)"), MIXED_BFLOAT16),
                                        (self.tr("16-bit (float16)"), MIXED_FLOAT16)))
        switches = ((self.tr("Automatic"), AUTO), (self.tr("On"), True), (self.tr("Off"), False))
        self._fill(self.memory_box, switches)
        self._fill(self.xla_box, switches)
        self.budget_box.setSuffix(self.tr(" min"))
        self._name_no_budget()
        self.augment_box.setText(self.tr("flip, rotate, zoom, contrast"))
        self.deterministic_box.setText(self.tr("identical reruns (slower)"))
        self._explain()
        self.output_button.setText(self.tr("Bro&wse…"))
        self.use_auto_button.setText(self.tr("Use &automatic settings"))
        self.setTitle(self.tr("2. Settings"))
        self._refresh()

    def _explain(self) -> None:
        """A tooltip for every setting: what it does for the user and when to change it, in plain words."""
        tips = (
            (self.mode_box, self.tr(
                "Automatic picks the network, the photo size, the epochs and the rest for your folder, this "
                "computer and the time budget, and says why. Choose Custom to try settings of your own.")),
            (self.budget_box, self.tr(
                "The longest the training may take; it stops in time and keeps the best model so far. Automatic "
                "chooses a budget for the folder. Give more time for a large folder or a better score, less for a "
                "quick try.")),
            (self.variant_box, self.tr(
                "Which DenseNet to train. More layers (L) and a larger growth rate (k) can learn more, but train "
                "slower and need more photos. Keep the automatic choice unless you are comparing networks.")),
            (self.size_box, self.tr(
                "The side, in pixels, each photo is scaled to. Larger photos show finer detail but train much "
                "slower (twice the side is four times the work). Raise it when the classes differ in small "
                "details.")),
            (self.start_box, self.tr(
                "From scratch learns everything from your photos. ImageNet weights start from a DenseNet that has "
                "seen a million everyday photos: small folders then train well and fast. A weights file does the "
                "same from an .h5 file you already have, with no download.")),
            (self.epochs_box, self.tr(
                "How many times the training goes through all your photos. More epochs can learn more but take "
                "longer; the best model so far is kept, so too many costs only time.")),
            (self.batch_box, self.tr(
                "How many photos the network looks at before each learning step. Larger batches are faster per "
                "photo but need more memory; make it smaller if the training runs out of memory.")),
            (self.lr_box, self.tr(
                "How big each learning step is. Too high and the loss jumps about or grows; too low and it falls "
                "slowly. Halve it when the loss does not settle.")),
            (self.augment_box, self.tr(
                "Shows each photo slightly changed (flipped, turned, zoomed, other contrast) in every epoch, so the "
                "model learns the class rather than the photos. Turn it off only when the way up matters, e.g. "
                "for digits or letters.")),
            (self.deterministic_box, self.tr(
                "Trains so that the same folder and settings give exactly the same model again: useful to compare "
                "two settings fairly. Training is slower, and the planned epochs run even past the time budget.")),
            (self.precision_box, self.tr(
                "How many bits each number has while training. 16-bit numbers train faster on CPUs with bfloat16 "
                "and on recent graphics cards, and need half the memory; 32-bit numbers are exact and work "
                "everywhere. Keep Automatic unless the loss shows as NaN (choose 32-bit) or you compare speeds.")),
            (self.memory_box, self.tr(
                "Works out parts of each dense block again during training instead of keeping them in memory: far "
                "less memory for a little more time. Automatic turns it on when the photos would not fit in "
                "memory; turn it On if a training runs out of memory.")),
            (self.xla_box, self.tr(
                "Compiles the network into code made for this computer before the first epoch (XLA). Training is "
                "often faster, but the first epoch starts later. Keep Automatic; turn it Off if the start takes too "
                "long or compiling fails.")),
            (self.output_edit, self.tr(
                "Where the trained model is saved, as a .keras file. It is written at every better epoch, so a "
                "stopped training keeps its best model, and Resume goes on from it.")),
        )
        for widget, tip in tips:
            widget.setToolTip(tip)

    @staticmethod
    def _fill(box: QComboBox, items) -> None:
        """(Re)label `box`'s items, e.g. in another language, keeping the chosen one by its data."""
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        for text, data in items:
            box.addItem(text, data)
        select_data(box, current)
        box.blockSignals(False)

    def _restore(self) -> None:
        recall = lambda name, default: keys.recall(self.settings, keys.TRAIN_PREFIX + name, default)  # noqa: E731
        self.variant_box.setCurrentText(_known_variant(recall("variant", TRAIN_DEFAULTS["variant"])))
        self.size_box.setValue(recall("input_size", get_variant(self.variant_box.currentText()).default_input_size))
        self.epochs_box.setValue(recall("epochs", TRAIN_DEFAULTS["epochs"]))
        self.batch_box.setValue(recall("batch_size", TRAIN_DEFAULTS["batch_size"]))
        self.lr_box.setValue(recall("learning_rate", TRAIN_DEFAULTS["lr"]))
        self.augment_box.setChecked(recall("augment", True))
        self.deterministic_box.setChecked(recall("deterministic", False))
        self.budget_box.setValue(recall("budget_minutes", 0))
        self.output_edit.setText(recall("output", ""))
        select_data(self.mode_box, CUSTOM if recall("mode", AUTOMATIC) == CUSTOM else AUTOMATIC)
        self._mode_changed()

    def remember(self) -> None:
        for name, value in (("mode", self.mode), ("budget_minutes", self.budget_box.value()),
                            ("variant", _known_variant(self.variant_box.currentText())),
                            ("input_size", self.size_box.value()),
                            ("epochs", self.epochs_box.value()), ("batch_size", self.batch_box.value()),
                            ("learning_rate", self.lr_box.value()), ("augment", self.augment_box.isChecked()),
                            ("deterministic", self.deterministic_box.isChecked()),
                            ("output", self.output_edit.text())):
            self.settings.setValue(keys.TRAIN_PREFIX + name, value)

    # -- the folder and the automatic choice ------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self.mode_box.currentData() or AUTOMATIC

    def set_report(self, report, folder: str) -> None:
        """A folder was checked: name the model after it and ask for its automatic settings."""
        self.report = report
        if not self.output_named or not self.output_edit.text():
            name = Path(folder).name or "model"
            self.output_edit.setText(str(Path(folder).parent / f"{name}.keras"))
        self._ask_automatic()

    def _output_typed(self, text: str) -> None:
        self.output_named = bool(text)

    def refuse_download(self) -> None:
        """The user declined the ImageNet download: choose again as if the weights were unavailable."""
        self._ask_automatic(UNAVAILABLE)

    def _ask_automatic(self, weights: str | None = None) -> None:
        if self.report is None:
            return
        self._request += 1
        request = self._request
        self.auto = None
        self.summary.setText(self.tr("Choosing settings for this folder and this computer…"))
        start_worker(settings_for_scan, self.report.scan, self._budget(), weights or self.weights, tensorflow=True,
                     on_returned=lambda answer: self._automatic_chosen(request, answer),
                     on_errored=lambda error: self._automatic_failed(request, error))

    def _automatic_chosen(self, request: int, answer) -> None:
        if request != self._request:
            return
        self.auto, self.profile, self.device, self.weights = answer
        if self.mode == AUTOMATIC:
            self._show_automatic()
        self._refresh()
        self.changed.emit()

    def _automatic_failed(self, request: int, error: BaseException) -> None:
        if request == self._request:
            self.summary.setText(describe(error)[0])

    def _show_automatic(self) -> None:
        auto = self.auto
        self.variant_box.setCurrentText(auto.variant)
        self.size_box.setValue(auto.input_size)
        select_data(self.start_box, IMAGENET_PRETRAINED if auto.pretrained else SCRATCH)
        self.epochs_box.setValue(auto.epochs)
        self.batch_box.setValue(auto.batch_size)
        self.lr_box.setValue(auto.lr)
        self.augment_box.setChecked(auto.augment.enabled)

    def _budget(self) -> float | None:
        return float(self.budget_box.value()) or None

    # -- reacting to the user ---------------------------------------------------------------------------
    def _mode_changed(self, *_) -> None:
        automatic = self.mode == AUTOMATIC
        for field in self.manual_fields:
            field.setEnabled(not automatic)
        self._name_no_budget()
        if automatic:  # chosen again: the budget may have changed while the settings were custom
            self._ask_automatic()
        self._refresh()
        self.changed.emit()

    def _name_no_budget(self) -> None:
        """What a budget of 0 means, in the window's language: Automatic's own budget, or no limit."""
        self.budget_box.setSpecialValueText(self.tr("Automatic") if self.mode == AUTOMATIC else self.tr("No limit"))

    def _budget_changed(self, *_) -> None:
        if self.mode == AUTOMATIC:
            self._ask_automatic()
        self._refresh()

    def _variant_changed(self, name: str) -> None:
        if self.mode == CUSTOM:
            try:
                self.size_box.setValue(get_variant(name).default_input_size)
            except ConfigError:  # a name still being typed
                pass
        self._refresh()

    def _start_changed(self, *_) -> None:
        """"A weights file…": pick the .h5, say what it is and train its variant, or go back to scratch."""
        picking = self.start_box.currentData() == WEIGHTS_FILE
        if picking and not self._pick_weights_file():
            self.start_box.blockSignals(True)
            select_data(self.start_box, SCRATCH)
            self.start_box.blockSignals(False)
        self._refresh()
        if picking and self.weights_message:  # what the file is, or why it cannot start a training
            self.warning.setText(self.weights_message)
            self.warning.setStyleSheet("" if self.start_box.currentData() == WEIGHTS_FILE else ERROR_STYLE)
            self.warning.show()

    def _pick_weights_file(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Start from a weights file"), "",
                                              self.tr("Keras weights (*.h5)"))
        if not path:
            return False
        try:
            identity = identify_weights_file(path)
        except PretrainedError as error:
            self.weights_file, self.weights_message = None, error_text(error)
            return False
        self.weights_file, self.weights_message = path, f"{Path(path).name}: {weights_identity(identity)}"
        self.variant_box.setCurrentText(identity.variant)
        self.size_box.setValue(get_variant(identity.variant).default_input_size)
        return True

    def _refresh(self, *_) -> None:
        """The summary line and, for custom settings, the estimate and its warning."""
        self.warning.hide()
        self.use_auto_button.hide()
        if self.auto is None:
            if self.report is None:
                self.summary.setText(self.tr("Settings are chosen for your folder once it is checked."))
            return
        if self.mode == AUTOMATIC:
            self.summary.setText(self._automatic_text(self.auto))
            self.summary.setToolTip(sentences(self.auto.why, "; "))
            return
        try:
            config = self.config()
        except StudioError:  # a setting being typed that the engine refuses: Start will say why
            self.summary.setText(self.tr("Custom settings."))
            return
        seconds = estimate_config(config, self.profile, self.device).total
        budget = config.time_budget
        shown = min(seconds, budget * 60) if budget else seconds
        self.summary.setText(self.tr("Custom settings: about {0} on this computer.").format(self._duration(shown)))
        self.summary.setToolTip("")
        if is_long(config, seconds):
            self.warning.setText(self.tr("That is a long training. {0}").format(self._automatic_text(self.auto)))
            self.warning.setStyleSheet(ERROR_STYLE)
            self.warning.show()
            self.use_auto_button.show()

    def _duration(self, seconds: float) -> str:
        return said(minutes_said(seconds))

    def _automatic_text(self, auto) -> str:
        """The automatic choice in the user's language (its reason, the engine's sentences, is the tooltip)."""
        name, time = get_variant(auto.variant).label, self._duration(auto.estimate_seconds)
        if auto.pretrained:
            return self.tr("Automatic: {0} at {1} px from ImageNet weights, then {2} fine-tune epochs; about {3} "
                           "on this computer.").format(name, auto.input_size, auto.fine_tune_epochs, time)
        return self.tr("Automatic: {0} at {1} px trained from scratch, about {2} epochs; about {3} on this "
                       "computer.").format(name, auto.input_size, auto.epochs, time)

    def choose_output(self) -> None:
        folder = Path(keys.recall_folder(self.settings, keys.MODELS_FOLDER))
        start = self.output_edit.text() or str(folder / DEFAULT_MODEL_NAME)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the trained model as"), start,
                                              self.tr("Keras models (*.keras)"))
        if path:
            self.output_edit.setText(path if path.endswith(".keras") else path + ".keras")
            self.output_named = True
            self.settings.setValue(keys.MODELS_FOLDER, str(Path(path).parent))

    # -- what Start uses --------------------------------------------------------------------------------
    def config(self) -> TrainConfig:
        """The training Start would run: Automatic's choice, or the Custom form's, with the compute settings
        and the model file (named DEFAULT_MODEL_NAME until one is chosen). Raises StudioError (ConfigError,
        PretrainedError) for a setting the engine refuses."""
        given = {"out": self.output_edit.text() or DEFAULT_MODEL_NAME, "precision": self.precision_box.currentData(),
                 "memory_efficient": self.memory_box.currentData(), "jit_compile": self.xla_box.currentData()}
        if self.mode == AUTOMATIC and self.auto is not None:
            return merged_config(self.auto, given)
        pretrained = {IMAGENET_PRETRAINED: IMAGENET_PRETRAINED, WEIGHTS_FILE: self.weights_file}.get(
            self.start_box.currentData())
        return TrainConfig(**given, variant=self.variant_box.currentText(), input_size=self.size_box.value(),
                           epochs=self.epochs_box.value(), batch_size=self.batch_box.value(), lr=self.lr_box.value(),
                           pretrained=pretrained, augment=AugmentConfig(enabled=self.augment_box.isChecked()),
                           time_budget=self._budget(), deterministic=self.deterministic_box.isChecked())

    def needs_download(self) -> bool:
        """Whether Start would download the ImageNet weights (asked once before it happens)."""
        try:
            return self.weights == DOWNLOADABLE and self.config().pretrained == IMAGENET_PRETRAINED
        except StudioError:
            return False


def select_data(box: QComboBox, data) -> None:
    """Choose `box`'s item whose data is `data` (the first item when none is): items are chosen by what they
    mean, not by where they sit, so a reordered or relabelled list keeps the choice."""
    box.setCurrentIndex(max(0, box.findData(data)))


def _known_variant(name: str) -> str:
    """`name` if it names a network, else the default: a name typed half-way must not be remembered, and a
    remembered one that no longer parses must not stop the window from starting."""
    try:
        return get_variant(name).name
    except ConfigError:
        return TRAIN_DEFAULTS["variant"]
