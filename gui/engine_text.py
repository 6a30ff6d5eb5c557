"""The engine's fixed per-photo reasons in the window's language.

The engine words its reasons in English for the CLI and its logs (engine.images, engine.image_cache); the
window shows the same facts through this table, so a Korean window lists skipped and unreadable photos in
Korean. A reason not in the table is shown as the engine wrote it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from engine.image_cache import CHANGED
from engine.images import BROKEN_LINK, DAMAGED, NOT_A_PHOTO, TOO_LARGE


def photo_reason(reason: str) -> str:
    """Why a photo was skipped or could not be classified, translated where the table knows it."""
    known = {
        NOT_A_PHOTO: QCoreApplication.translate(
            "EngineText", "not a photo the app can open (it reads JPEG, PNG, BMP, GIF, WebP and TIFF)"),
        DAMAGED: QCoreApplication.translate(
            "EngineText", "a damaged or incomplete photo (corrupt or truncated)"),
        TOO_LARGE: QCoreApplication.translate(
            "EngineText", "too many pixels to open safely (over 89 million)"),
        BROKEN_LINK: QCoreApplication.translate(
            "EngineText", "symbolic link to nothing (broken, or a loop)"),
        CHANGED: QCoreApplication.translate(
            "EngineText", "the file changed while it was being read (run again)"),
    }
    return known.get(reason, reason)
