"""Fault injection for writes: files the test names behave as on a full disk, their writes failing with
ENOSPC as the operating system's would, while everything else is written normally."""

from __future__ import annotations

import builtins
import errno
import io
import os
from collections.abc import Callable


class _FullDiskFile:
    """A file opened for writing on a full disk: opening works, every write fails with ENOSPC."""

    def __init__(self, file):
        self._file = file

    def write(self, data) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exception) -> None:
        self._file.close()


def fill_disk(monkeypatch, full: Callable[[str], bool]) -> None:
    """Make writes through Python's `open` (builtins.open, io.open, pathlib) fail with ENOSPC for every path
    for which `full(path)` is true."""
    real_open = io.open

    def open_(file, mode="r", *args, **kwargs):
        opened = real_open(file, mode, *args, **kwargs)
        writing = any(flag in mode for flag in "wax+")
        if writing and isinstance(file, (str, os.PathLike)) and full(os.fspath(file)):
            return _FullDiskFile(opened)
        return opened

    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(io, "open", open_)
