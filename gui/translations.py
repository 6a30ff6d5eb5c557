"""English and Korean: the Korean strings live in `resources/translations/studio_ko.ts` (a source file).

Generated `.qm` files are never committed: the first run compiles the `.ts` with the `lrelease` that ships
inside PySide6 into the user's cache folder (again whenever the `.ts` is newer). A packaged app may ship the
`.qm` beside the `.ts`, which is then used as is.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QStandardPaths, QTranslator
from PySide6.QtWidgets import QApplication

from engine.storage.resources import resource_path

TRANSLATIONS_DIR = resource_path("translations")
LANGUAGES = {"en": "English", "ko": "한국어"}  # each language is named in itself in the menu
SYSTEM = "system"


def system_language() -> str:
    """The system's language if the app speaks it, else English."""
    code = QLocale.system().name().split("_")[0]
    return code if code in LANGUAGES else "en"


def _lrelease() -> Path:
    import PySide6

    folder = Path(PySide6.__file__).parent
    for name in ("lrelease", "lrelease.exe", "Qt/libexec/lrelease"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError("PySide6's lrelease was not found")


def compiled_translation(language: str) -> Path | None:
    """The `.qm` file for `language`, compiling it into the cache when missing or stale; None for English."""
    source = TRANSLATIONS_DIR / f"studio_{language}.ts"
    if not source.is_file():
        return None
    shipped = source.with_suffix(".qm")
    if shipped.is_file() and shipped.stat().st_mtime >= source.stat().st_mtime:
        return shipped
    cache = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)) / "translations"
    compiled = cache / shipped.name
    if not compiled.is_file() or compiled.stat().st_mtime < source.stat().st_mtime:
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(_lrelease()), "-silent", str(source), "-qm", str(compiled)], check=True,
                       capture_output=True, timeout=60)
    return compiled


_installed: list[QTranslator] = []


def install_language(choice: str) -> str:
    """Switch the running app to `choice` ("en", "ko" or SYSTEM); widgets retranslate on LanguageChange.

    Returns the language now in use (English when a translation cannot be compiled or loaded).
    """
    app = QApplication.instance()
    language = system_language() if choice == SYSTEM else choice
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == "en":
        return "en"
    try:
        path = compiled_translation(language)
    except (OSError, subprocess.SubprocessError):
        path = None
    studio = QTranslator(app)
    if path is None or not studio.load(str(path)):
        return "en"
    qt_own = QTranslator(app)  # Qt's standard dialogs (file chooser, message boxes) in the same language
    if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    app.installTranslator(studio)
    _installed.append(studio)
    return language
