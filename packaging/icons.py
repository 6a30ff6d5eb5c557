"""Render the hand-drawn SVG app icon into the PNG, .ico and .icns files the platforms want, at build time.

Only the SVG is a source asset; the rasters are build outputs (under build/icons), so they never drift
from it. Qt's SVG renderer draws it (offscreen, no display needed) and Pillow writes .ico and .icns.
"""

from __future__ import annotations

import os
from pathlib import Path

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICON_NAME = "densenet-studio"


def render_png(svg: Path, size: int, out: Path) -> Path:
    """Draw `svg` as a transparent `size`x`size` PNG at `out`."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise OSError(f"{out}: could not write the PNG")
    return out


def render_icons(svg: Path, out_dir: Path) -> dict[str, Path]:
    """PNGs at every size in PNG_SIZES, plus `<name>.ico` (Windows) and `<name>.icns` (macOS).

    Returns {"png<size>": path, ..., "ico": path, "icns": path}.
    """
    from PIL import Image

    made = {f"png{size}": render_png(svg, size, out_dir / f"{ICON_NAME}-{size}.png") for size in PNG_SIZES}
    with Image.open(made["png512"]) as largest:
        ico = out_dir / f"{ICON_NAME}.ico"
        largest.save(ico, sizes=[(size, size) for size in PNG_SIZES if size <= 256])
        icns = out_dir / f"{ICON_NAME}.icns"
        largest.save(icns)
    return {**made, "ico": ico, "icns": icns}
