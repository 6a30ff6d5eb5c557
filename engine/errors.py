"""Errors a user can cause and fix. Their message is one clear line, shown as is by the CLI and the GUI.

The errors a window user meets are raised with `said`, from an English template marked with
QT_TRANSLATE_NOOP and the facts that fill it: the CLI prints the English line, and the GUI looks the
template up in its catalogue (`pyside6-lupdate` finds the marked templates in engine/), so a Korean window
says it in Korean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEMPLATES = "EngineText"  # the marked templates' translation context (lupdate needs it spelt out in each mark)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802  the name pyside6-lupdate looks for
    """Marks `text` for the GUI's translation catalogue; the engine itself keeps the English."""
    return text


@dataclass(frozen=True)
class Said:
    """A sentence a user reads, kept as its English template (marked with QT_TRANSLATE_NOOP) and the facts that
    fill it: the CLI prints `text()`, the window fills the translated template (gui.engine_text.said). A fact
    may be a Said itself (a duration, a network's name in words)."""

    template: str
    facts: dict = field(default_factory=dict)

    def text(self) -> str:
        return self.template.format(**{key: value.text() if isinstance(value, Said) else value
                                       for key, value in self.facts.items()})


def sentences(said: tuple[Said, ...]) -> str:
    """Sentences as the CLI prints them, one after the other."""
    return " ".join(item.text() for item in said)


class StudioError(Exception):
    """Base of every error that is the user's input, not a bug. The message says, in plain words, what
    happened and what to do; `detail` keeps the technical cause (a host name, an OS error) for --verbose."""

    def __init__(self, message: str = "", detail: str = "", template: str = "", facts: dict | None = None):
        super().__init__(message)
        self.detail, self.template, self.facts = detail, template, facts or {}

    def __reduce__(self):
        """Pickled whole (class, message, detail, template, facts): the training process sends its errors."""
        return _rebuilt, (type(self), str(self), self.detail, self.template, self.facts)

    @classmethod
    def said(cls, template: str, detail: str = "", **facts):
        """The error whose message is `template` (marked with QT_TRANSLATE_NOOP) filled with `facts`."""
        return cls(template.format(**facts), detail, template, facts)


def _rebuilt(cls, message: str, detail: str, template: str, facts: dict) -> StudioError:
    """A StudioError of any subclass back from its pickled parts (subclasses' own __init__ is not called)."""
    error = cls.__new__(cls)
    StudioError.__init__(error, message, detail, template, facts)
    return error


class ConfigError(StudioError, ValueError):
    """A model configuration the network cannot take (unknown variant, input too small, no classes)."""


class WriteError(StudioError):
    """A file that could not be written (full disk, read-only folder, a file where a folder should be); the
    message names the file and the reason, and what was there before is kept."""

    def __init__(self, path, error: OSError):
        if isinstance(error, FileExistsError):  # making a folder met a file of that name
            template, facts = IS_A_FILE, {"path": path, "file": error.filename}
        else:
            template, facts = CANNOT_WRITE, {"path": path, "reason": error.strerror or str(error), "errno": error.errno}
        super().__init__(template.format(**facts), template=template, facts=facts)


class ModelFileError(StudioError):
    """A model file that cannot be written or loaded; the message names the file and the reason."""


CANNOT_WRITE = QT_TRANSLATE_NOOP("EngineText", "{path}: cannot write ({reason})")
IS_A_FILE = QT_TRANSLATE_NOOP("EngineText", "{path}: cannot write ({file} is a file, not a folder)")
