"""Helpers for GUI tests: real drops of real files, and a small real model file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget


def drop_files(widget: QWidget, paths: list[Path]) -> bool:
    """Drag `paths` (as file URLs) onto `widget` and drop them, as a file manager would; True if accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    centre = QPointF(widget.rect().center())
    enter = QDragEnterEvent(centre.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def tiny_model_file(path: Path, class_names=("cat", "dog"), size: int = 32) -> Path:
    """An untrained densenet-bc-10-k4 saved as a studio .keras model file."""
    from engine.model.config import ModelConfig
    from engine.model.densenet import build_densenet
    from engine.model.modelfile import ModelMetadata, save_model

    model = build_densenet(ModelConfig("densenet-bc-10-k4", input_size=size, classes=len(class_names)))
    return save_model(model, path, ModelMetadata(tuple(class_names), size, variant="densenet-bc-10-k4"))
