"""Errors a user can cause and fix. Their message is one clear line, shown as is by the CLI and the GUI."""


class StudioError(Exception):
    """Base of every error that is the user's input, not a bug."""


class ConfigError(StudioError, ValueError):
    """A model configuration the network cannot take (unknown variant, input too small, no classes)."""
