"""Errors a user can cause and fix. Their message is one clear line, shown as is by the CLI and the GUI."""


class StudioError(Exception):
    """Base of every error that is the user's input, not a bug. The message says, in plain words, what
    happened and what to do; `detail` keeps the technical cause (a host name, an OS error) for --verbose."""

    def __init__(self, message: str = "", detail: str = ""):
        super().__init__(message)
        self.detail = detail


class ConfigError(StudioError, ValueError):
    """A model configuration the network cannot take (unknown variant, input too small, no classes)."""


class WriteError(StudioError):
    """A file that could not be written (full disk, read-only folder, a file where a folder should be); the
    message names the file and the reason, and what was there before is kept."""

    def __init__(self, path, error: OSError):
        if isinstance(error, FileExistsError):  # making a folder met a file of that name
            reason = f"{error.filename} is a file, not a folder"
        else:
            reason = error.strerror or str(error)
        super().__init__(f"{path}: cannot write ({reason})")
