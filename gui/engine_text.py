"""The engine's words in the window's language: its errors and its fixed per-photo reasons.

The engine words both in English for the CLI and its logs. An error raised with StudioError.said carries
its template (marked for the catalogue in engine/) and its facts, so the window fills the translated
template; the per-photo reasons (engine.images, engine.image_cache) go through the table below. Anything
else is shown as the engine wrote it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from engine.errors import TEMPLATES
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


def error_text(error) -> str:
    """A StudioError's message in the window's language (a photo reason among its facts translated too)."""
    if not error.template:
        return str(error)
    facts = dict(error.facts)
    if "reason" in facts:
        facts["reason"] = photo_reason(str(facts["reason"]))
    return QCoreApplication.translate(TEMPLATES, error.template).format(**facts)
