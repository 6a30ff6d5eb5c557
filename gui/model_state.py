"""The model the app classifies with: loaded in a worker (with warm-up), remembered between runs.

A model that fails to load leaves the previous one in use; the failure is a message, never a crash.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

from engine.errors import ConfigError
from engine.inference.classifier import imagenet_variant
from engine.inference.classifier import load_classifier as engine_load_classifier
from engine.model.variants import get_variant
from gui import settings as keys
from gui.workers import start_worker


def load_classifier(source: str, weights_path: str | None = None):
    """Runs in a worker: a ready (warmed-up) classifier for a `.keras` path or an "imagenet:" source (from
    `weights_path` when given)."""
    return engine_load_classifier(source, weights_path=weights_path)


class ModelState(QObject):
    """Holds the current classifier. `changed` on any change of state, `ready` when one can classify."""

    changed = Signal()
    ready = Signal()
    failed = Signal(object)  # the exception (gui.status_line.describe); the Classify tab shows it
    message = Signal(str)  # a passing message for the status bar

    def __init__(self, settings: QSettings, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings
        self.classifier = None
        self.source = ""
        self.loading = ""  # the name of the model being loaded, as name_of gives it
        self.downloads = False  # whether that load may download the ImageNet weights (none were picked)
        self._request = 0

    @property
    def name(self) -> str:
        return self.name_of(self.source)

    def name_of(self, source: str) -> str:
        """How a model source reads in menus and status lines: "ImageNet DenseNet-121", or the file's name."""
        variant = imagenet_variant(source)
        if variant is not None:
            try:
                label = get_variant(variant).label
            except ConfigError:  # a settings file naming no variant: its load says why
                label = variant
            return self.tr("ImageNet {0}").format(label)
        return Path(source).name

    def recent(self) -> list[str]:
        """The sources of the models loaded lately, newest first, those still there (a model file moved or
        deleted since is left out)."""
        sources = keys.recall(self.settings, keys.RECENT_MODELS, "").splitlines()
        return [source for source in sources if imagenet_variant(source) or Path(source).is_file()]

    def restore_last(self) -> None:
        """Load the model of the last session, if it is still there."""
        source = keys.recall(self.settings, keys.LAST_MODEL, "")
        if imagenet_variant(source) or (source and Path(source).is_file()):
            self.load(source)

    def load(self, source: str, weights_path: str | None = None) -> None:
        """Load `source` in the background (an "imagenet:" source from `weights_path` when given, else from the
        Keras cache or a download); the current model stays until the new one is ready."""
        self._request += 1
        request = self._request
        self.loading = self.name_of(source)
        self.downloads = imagenet_variant(source) is not None and weights_path is None
        self.changed.emit()
        start_worker(load_classifier, source, weights_path=weights_path, tensorflow=True,
                     on_returned=lambda classifier: self._loaded(request, source, classifier),
                     on_errored=lambda error: self._failed(request, error))

    def _loaded(self, request: int, source: str, classifier) -> None:
        if request != self._request:
            return
        self.classifier, self.source, self.loading = classifier, source, ""
        self.settings.setValue(keys.LAST_MODEL, source)
        recent = [source, *(other for other in self.recent() if other != source)][:keys.RECENT_COUNT]
        self.settings.setValue(keys.RECENT_MODELS, "\n".join(recent))
        self.changed.emit()
        self.message.emit(self.tr("Model {0} is ready.").format(self.name))
        self.ready.emit()

    def _failed(self, request: int, error: BaseException) -> None:
        if request != self._request:
            return
        self.loading = ""
        self.changed.emit()
        self.failed.emit(error)
