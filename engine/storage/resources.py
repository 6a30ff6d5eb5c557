"""Where the app's read-only files (`resources/`: icons, translations, label files, bundled weights) live.

From the source tree that is `<repo>/resources`; in the installed app built by PyInstaller it is
`resources/` inside the bundle (`sys._MEIPASS`), where packaging/DenseNetStudio.spec copies it. Every module
that reads a shipped file asks here, so the two layouts never diverge.
"""

from __future__ import annotations

import sys
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[2]


def is_frozen() -> bool:
    """True inside the installed app (a PyInstaller bundle), False when run from the source tree."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def resources_dir() -> Path:
    """The folder holding the app's shipped files, from source or frozen."""
    root = Path(sys._MEIPASS) if is_frozen() else SOURCE_ROOT
    return root / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a shipped file, e.g. resource_path("icons", "densenet-studio.svg"); it may not exist."""
    return resources_dir().joinpath(*parts)
