"""English and Korean: the Korean strings live in `resources/translations/studio_ko.ts` (a source file).

The app loads `studio_ko.qm` beside it, compiled at install or build time by
scripts/compile_translations.py (the set-up commands and packaging/build.py run it), never at start.
Without it the window stays in English.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from engine.storage.resources import resource_path

TRANSLATIONS_DIR = resource_path("translations")
LANGUAGES = {"en": "English", "ko": "한국어"}  # each language is named in itself in the menu
SYSTEM = "system"


def system_language() -> str:
    """The system's language if the app speaks it, else English."""
    code = QLocale.system().name().split("_")[0]
    return code if code in LANGUAGES else "en"


def compiled_translation(language: str) -> Path | None:
    """The compiled `.qm` file for `language`; None for English or where it was not compiled."""
    compiled = TRANSLATIONS_DIR / f"studio_{language}.qm"
    return compiled if compiled.is_file() else None


_installed: list[QTranslator] = []


def install_language(choice: str) -> str:
    """Switch the running app to `choice` ("en", "ko" or SYSTEM); widgets retranslate on LanguageChange.

    Returns the language now in use (English when its translation was not compiled or cannot be loaded).
    """
    app = QApplication.instance()
    language = system_language() if choice == SYSTEM else choice
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == "en":
        return "en"
    path = compiled_translation(language)
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
