"""What the app remembers between runs (QSettings): the last model, folders, training settings, language.

Keys are named here once, so widgets never spell them twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

LAST_MODEL = "model/last"  # a .keras path, or an ImageNet model source (engine.inference.classifier.imagenet_source)
RECENT_MODELS = "model/recent"  # the sources of the last RECENT_COUNT models loaded, newest first, one a line
RECENT_COUNT = 6
PHOTOS_FOLDER = "folders/photos"
DATASET_FOLDER = "folders/dataset"
MODELS_FOLDER = "folders/models"
RESULTS_FOLDER = "folders/results"
LANGUAGE = "language"
TRAIN_PREFIX = "train/"


def recall(settings: QSettings, key: str, default: Any = None) -> Any:
    """The stored value of `key` with the type of `default` (QSettings' INI backend stores strings)."""
    value = settings.value(key, default)
    if value is None or default is None or isinstance(value, type(default)):
        return value
    if isinstance(default, bool):
        return str(value).lower() in ("true", "1")
    try:
        return type(default)(value)
    except (TypeError, ValueError):
        return default


def recall_folder(settings: QSettings, key: str) -> str:
    """A remembered folder if it still exists, else the home folder (a start point for file dialogs)."""
    folder = recall(settings, key, "")
    return folder if folder and Path(folder).is_dir() else str(Path.home())
