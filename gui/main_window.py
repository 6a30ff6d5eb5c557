"""The main window: Classify, Train, Architecture and Sort tabs, menus, a status bar, drops and paste anywhere."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSettings, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QTabWidget

from engine.inference.classifier import imagenet_source, imagenet_variant
from engine.model.compute import describe_device as engine_describe_device
from engine.model.variants import DEFAULT_IMAGENET_VARIANT
from engine.storage.resources import resource_path
from gui import settings as keys
from gui.architecture_tab import ArchitectureTab
from gui.classify_tab import ClassifyTab
from gui.dataset_edits import DatasetEdits
from gui.drop_highlight import DropHighlight
from gui.drops import dropped_paths
from gui.export_dialog import ExportDialog
from gui.label_problems import LabelProblemsDialog
from gui.model_state import ModelState
from gui.sort_tab import SortTab
from gui.status_line import describe
from gui.train_tab import TrainTab
from gui.translations import LANGUAGES, SYSTEM, install_language
from gui.workers import start_worker

PREFERRED_SIZE = (1180, 760)

def describe_device() -> str:
    """Runs in a worker: imports TensorFlow (the slow part of start-up) and names the compute device."""
    return engine_describe_device()


class MainWindow(QMainWindow):
    """The app's one window. `first_painted` fires once it is on screen; engine loading starts only then."""

    first_painted = Signal()

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self._fit_first_size()
        self.setWindowIcon(QIcon(str(resource_path("icons", "densenet-studio.svg"))))
        self.models = ModelState(self.settings, self)
        self.tabs = QTabWidget()
        self.classify_tab = ClassifyTab(self.models, self.settings)
        self.train_tab = TrainTab(self.models, self.settings)
        self.dataset_edits = DatasetEdits(self.train_tab.dataset, self)
        self.classify_tab.dataset_edits = self.train_tab.results.dataset_edits = self.dataset_edits
        self.sort_tab = SortTab(self.models, self.settings)
        self.architecture_tab = ArchitectureTab(self.models)
        for tab in (self.classify_tab, self.train_tab, self.architecture_tab, self.sort_tab):
            self.tabs.addTab(tab, "")
        self.setCentralWidget(self.tabs)
        self.device = ""
        self.device_label = QLabel()
        self.model_label = QLabel()
        self.statusBar().addPermanentWidget(self.model_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self.setAcceptDrops(True)
        self.drop_highlight = DropHighlight(self.tabs, target=self)
        self._painted = False
        self.export_dialog: ExportDialog | None = None  # made when first used
        self.label_problems: LabelProblemsDialog | None = None  # made when first used
        self.train_tab.dataset.label_check_requested.connect(self.find_label_problems)
        self._build_menus()
        QShortcut(QKeySequence.StandardKey.Paste, self, self.paste)
        self.classify_tab.train_requested.connect(lambda: self.tabs.setCurrentWidget(self.train_tab))
        self.sort_tab.train_requested.connect(self.train_on)
        self.models.changed.connect(self._show_model)
        self.models.changed.connect(self._enable_export)
        self.models.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.models.failed.connect(self._model_failed)
        self.dataset_edits.said.connect(lambda said: self.statusBar().showMessage(describe(said)[0], 10_000))
        self.retranslate()

    def _model_failed(self) -> None:
        """The Classify tab says why a model did not load; from another tab, the status bar points there."""
        if self.tabs.currentWidget() is not self.classify_tab:
            self.statusBar().showMessage(self.tr("The model could not be loaded; the Classify tab says why."), 10_000)

    def _fit_first_size(self) -> None:
        """The preferred size, but never larger than the screen's available area (a 1024x700 laptop sees the
        whole window, Start buttons included)."""
        screen = QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        width, height = PREFERRED_SIZE
        if area is not None:
            width, height = min(width, area.width()), min(height, area.height())
        self.resize(width, height)

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.open_photos_action = self.file_menu.addAction("", self.classify_tab.open_photos)
        self.open_photos_action.setShortcut(QKeySequence.StandardKey.Open)
        self.save_results_action = self.file_menu.addAction("", self.classify_tab.save_csv)
        self.save_results_action.setShortcut(QKeySequence.StandardKey.Save)
        self.file_menu.addSeparator()
        self.quit_action = self.file_menu.addAction("", self.close)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.edit_menu = self.menuBar().addMenu("")
        self.undo_move_action = self.edit_menu.addAction("", self.undo_move)
        self.undo_move_action.setShortcut(QKeySequence.StandardKey.Undo)  # a focused text field keeps its own
        self.model_menu = self.menuBar().addMenu("")
        self.open_model_action = self.model_menu.addAction("", self.classify_tab.open_model)
        self.imagenet_action = self.model_menu.addAction("", self.load_imagenet)
        self.imagenet_file_action = self.model_menu.addAction("", self.classify_tab.use_weights_file)
        self.recent_menu = self.model_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self._list_recent_models)
        self.review_folder_action = self.model_menu.addAction("", self.review_folder)
        self.model_menu.addSeparator()
        self.export_action = self.model_menu.addAction("", self.export_model)
        self.model_menu.setToolTipsVisible(True)  # says why Export is disabled
        self.language_menu = self.menuBar().addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        chosen = keys.recall(self.settings, keys.LANGUAGE, SYSTEM)
        for code in (SYSTEM, *LANGUAGES):
            action = self.language_menu.addAction(LANGUAGES.get(code, ""))
            action.setCheckable(True)
            action.setChecked(code == chosen)
            action.triggered.connect(lambda _checked=False, code=code: self.set_language(code))
            self.language_group.addAction(action)
            self.language_actions[code] = action

    def retranslate(self) -> None:
        """Every visible string of the window, again in the current language."""
        self.setWindowTitle(self.tr("DenseNet Studio"))
        self.tabs.setAccessibleName(self.tr("Main tabs"))
        for index, text in enumerate((self.tr("&Classify"), self.tr("&Train"), self.tr("&Architecture"),
                                      self.tr("S&ort"))):
            self.tabs.setTabText(index, text)
        self.file_menu.setTitle(self.tr("&File"))
        self.open_photos_action.setText(self.tr("&Open photos…"))
        self.save_results_action.setText(self.tr("&Save results as CSV…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.model_menu.setTitle(self.tr("&Model"))
        self.open_model_action.setText(self.tr("&Open a model file…"))
        self.imagenet_action.setText(self.tr("&ImageNet DenseNet-121 (1,000 everyday classes)"))
        self.imagenet_file_action.setText(self.tr("ImageNet DenseNet from a &weights file…"))
        self.recent_menu.setTitle(self.tr("&Recent models"))
        self.review_folder_action.setText(self.tr("Re&view a folder with this model…"))
        self.export_action.setText(self.tr("&Export…"))
        self._enable_export()
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.undo_move_action.setText(self.tr("&Undo the last photo move"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.language_actions[SYSTEM].setText(self.tr("System language"))
        self.device_label.setText(self.tr("Device: {0}").format(self.device or self.tr("loading TensorFlow…")))
        self.device_label.setAccessibleName(self.tr("Compute device"))
        self.model_label.setAccessibleName(self.tr("Loaded model"))
        self._show_model()
        self.statusBar().clearMessage()  # a passing message ("Model … is ready.") was said in the old language
        for tab in (self.classify_tab, self.train_tab, self.architecture_tab, self.sort_tab):
            tab.retranslate()
        if self.label_problems is not None:
            self.label_problems.retranslate()

    def undo_move(self) -> None:
        """Edit > Undo (Ctrl+Z): the last answer in the Sort tab while it is shown, else the last photo move
        in the Train tab's folder."""
        if self.tabs.currentWidget() is self.sort_tab:
            self.sort_tab.undo()
        else:
            self.dataset_edits.undo()

    def train_on(self, folder: str) -> None:
        """The Sort tab's "Train on this folder": the Train tab checks it."""
        self.tabs.setCurrentWidget(self.train_tab)
        self.train_tab.dataset.check(folder)

    def load_imagenet(self) -> None:
        """Model > ImageNet DenseNet-121, at any time: from the Keras cache, or downloaded (the Classify tab
        shows the progress, or why it could not)."""
        self.tabs.setCurrentWidget(self.classify_tab)
        self.models.load(imagenet_source(DEFAULT_IMAGENET_VARIANT))

    def find_label_problems(self, folder: str) -> None:
        """Train tab > Find label problems: the checked folder's likely wrong labels, look-alikes and outliers."""
        if self.label_problems is None:
            self.label_problems = LabelProblemsDialog(self.dataset_edits, self)
        self.label_problems.check(folder)

    def export_model(self) -> None:
        """Model > Export…: the loaded model as SavedModel, TFLite or ONNX, checked (gui.export_dialog)."""
        if self.export_dialog is None:
            self.export_dialog = ExportDialog(self.settings, self)
        self.export_dialog.open_for(self.models.classifier, self.models.source, self.models.name)

    def _enable_export(self) -> None:
        loaded = self.models.classifier is not None
        self.export_action.setEnabled(loaded)
        self.export_action.setToolTip("" if loaded else self.tr("Load a model first: a model file or the "
                                                                "ImageNet DenseNet."))

    def review_folder(self) -> None:
        """Model > Review a folder: the Train tab's results score a folder with the model in use."""
        self.tabs.setCurrentWidget(self.train_tab)
        self.train_tab.lower_tabs.setCurrentWidget(self.train_tab.results)
        self.train_tab.results.folder_review.choose_folder()

    def _list_recent_models(self) -> None:
        """Model > Recent models, as it stands when opened: each loads again with one click."""
        self.recent_menu.clear()
        for source in self.models.recent():
            action = self.recent_menu.addAction(self.models.name_of(source),
                                                lambda source=source: self.models.load(source))
            if imagenet_variant(source) is None:  # a file: its whole path (an ImageNet model has none to show)
                action.setToolTip(source)
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction(self.tr("(none yet)")).setEnabled(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_language(self, code: str) -> str:
        """Switch language now (all widgets retranslate) and remember the choice."""
        self.settings.setValue(keys.LANGUAGE, code)
        self.language_actions[code].setChecked(True)
        language = install_language(code)
        self.retranslate()  # now, not when the posted LanguageChange event arrives
        return language

    def _show_model(self) -> None:
        state = self.models
        if state.loading:
            text = self.tr("Model: loading {0}…").format(state.loading)
        elif state.classifier is None:
            text = self.tr("Model: none")
        else:
            names = state.classifier.class_names
            shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
            text = self.tr("Model: {0} ({1} classes: {2})").format(state.name, len(names), shown)
        self.model_label.setText(text)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            self.first_painted.emit()
        return handled

    def start_engine(self) -> None:
        """After the first paint: import TensorFlow and load the last model in the background."""
        start_worker(describe_device, tensorflow=True, on_returned=self._show_device,
                     on_errored=lambda error: self._show_device(describe(error)[0]))
        self.models.restore_last()

    def _show_device(self, name: str) -> None:
        self.device = name
        self.device_label.setText(self.tr("Device: {0}").format(name))

    def dragEnterEvent(self, event) -> None:
        paths = dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.drop_highlight.show_for(self.tr("Drop to classify {0} item(s)").format(len(paths)))

    def dropEvent(self, event) -> None:
        paths = dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.tabs.setCurrentWidget(self.classify_tab)
            self.classify_tab.classify_paths(paths)

    def paste(self) -> None:
        """Paste copied files, or a copied picture, as photos to classify."""
        clipboard = QApplication.clipboard()
        paths = dropped_paths(clipboard.mimeData())
        if paths:
            self.tabs.setCurrentWidget(self.classify_tab)
            self.classify_tab.classify_paths(paths)
        elif not clipboard.image().isNull():
            self.tabs.setCurrentWidget(self.classify_tab)
            self.classify_tab.classify_image(clipboard.image())

    def closeEvent(self, event) -> None:
        if self.export_dialog is not None and not self.export_dialog.finish_before_quit():
            event.ignore()
            return
        if self.train_tab.is_training():
            answer = QMessageBox.question(
                self, self.tr("Training is running"),
                self.tr("Stop training and quit? The best model so far is kept."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.train_tab.stop_and_wait()
        self.train_tab.discard_spare()
        self.classify_tab.cancel()
        if self.label_problems is not None:
            self.label_problems.stop()  # it changes nothing until a photo is acted on: nothing to keep
        event.accept()
