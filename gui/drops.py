"""Paths out of a drop or a paste: file URLs, or lines of text naming existing files or folders."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData


def dropped_paths(mime: QMimeData) -> list[str]:
    """Local files and folders named by `mime`, in order; empty when it carries none."""
    if mime.hasUrls():
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
    if mime.hasText():
        lines = [line.strip().removeprefix("file://") for line in mime.text().splitlines() if line.strip()]
        return [line for line in lines if Path(line).exists()]
    return []
