"""Fault injection for folders without write permission: creating a file in the folder a test names fails with
EACCES, as the operating system refuses it there (chmod alone does not stop root, whom containers run as)."""

from __future__ import annotations

import errno
import os
from pathlib import Path


def refuse_writes(monkeypatch, folder: Path) -> None:
    """Make os.open fail with EACCES for every file created directly inside `folder`."""
    real_open = os.open

    def open_(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and Path(path).parent == folder:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
