"""Atomic file writes: a crash, a kill or a full disk never leaves half a file where a good one was; and file
checksums, which tell a whole file from a damaged one."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def atomic_path(path: Path, durable: bool = True) -> Iterator[Path]:
    """A temporary path beside `path` to write; renamed onto `path` only if the block completes.

    `durable` syncs the file to disk before the rename, so a power loss cannot leave an empty file under the
    name either; caches whose entries can be rebuilt skip that cost.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        if durable:
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def file_digest(path: Path, algorithm: str) -> str:
    """The hex digest of a file's bytes (e.g. "sha256", "md5"), read in 1 MiB chunks, never whole into memory."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
