"""English and Korean: the Korean strings live in `resources/translations/studio_ko.ts` (a source file).

The app loads `studio_ko.qm` beside it, compiled at install or build time by
scripts/compile_translations.py (the set-up commands and packaging/build.py run it), never at start.
Without it the window stays in English.

Qt's own dialogs (file chooser, message boxes, a text field's menu) speak through Qt's catalogue,
qtbase_ko.qm, and `qt_gaps_ko.qm` beside ours adds the few words Qt 6's catalogue lacks ("&Look in:").
The system's native file dialog would speak the system's language instead, so where the window's language
is not the system's, Qt's own dialog is used. Sizes and file types in that dialog follow the default locale,
which is set to the window's language.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from engine.storage.resources import resource_path

TRANSLATIONS_DIR = resource_path("translations")
LANGUAGES = {"en": "English", "ko": "한국어"}  # each language is named in itself in the menu
SYSTEM = "system"


def system_language() -> str:
    """The system's language if the app speaks it, else English."""
    code = QLocale.system().name().split("_")[0]
    return code if code in LANGUAGES else "en"


def compiled_translation(language: str, catalogue: str = "studio") -> Path | None:
    """The compiled `.qm` file of `catalogue` ("studio", or "qt_gaps": Qt's missing words) for `language`; None
    for English or where it was not compiled."""
    compiled = TRANSLATIONS_DIR / f"{catalogue}_{language}.qm"
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
    path = None if language == "en" else compiled_translation(language)
    studio = QTranslator(app)
    if path is None or not studio.load(str(path)):
        language = "en"
    _use_locale(app, language)
    if language == "en":
        return "en"
    # Qt's standard dialogs in the same language; a translator installed later is asked first.
    qt_own, gaps = QTranslator(app), QTranslator(app)
    if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        _install(app, qt_own)
    gaps_path = compiled_translation(language, "qt_gaps")
    if gaps_path is not None and gaps.load(str(gaps_path)):
        _install(app, gaps)
    _install(app, studio)
    return language


def _install(app: QApplication, translator: QTranslator) -> None:
    app.installTranslator(translator)
    _installed.append(translator)


def _use_locale(app: QApplication, language: str) -> None:
    """Qt's words outside the catalogues follow `language` too: the file dialog's file types and sizes (the
    default locale), and the file dialog itself, Qt's own rather than the system's where the system speaks
    another language."""
    QLocale.setDefault(QLocale(language))
    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, language != system_language())
