"""Photos chosen by the user: paths out of a drop or a paste (file URLs, or lines of text naming existing
files or folders), and the file-dialog filter that offers the photos the engine decodes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMimeData

from engine.data.images import IMAGE_SUFFIXES


def photo_filter() -> str:
    """A file dialog's filter for every suffix engine.data.images decodes, in the window's language."""
    patterns = " ".join(f"*{suffix}" for suffix in sorted(IMAGE_SUFFIXES))
    return QCoreApplication.translate("Photos", "Images ({0});;All files (*)").format(patterns)


def dropped_paths(mime: QMimeData) -> list[str]:
    """Local files and folders named by `mime`, in order; empty when it carries none."""
    if mime.hasUrls():
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
    if mime.hasText():
        lines = [line.strip().removeprefix("file://") for line in mime.text().splitlines() if line.strip()]
        return [line for line in lines if Path(line).exists()]
    return []


def dropped_folder(mime: QMimeData) -> str | None:
    """The first folder named by `mime` (a drop meant to open a folder), or None."""
    return next((path for path in dropped_paths(mime) if Path(path).is_dir()), None)
