"""Atomic file writes: a crash, a kill or a full disk never leaves half a file where a good one was; and file
checksums, which tell a whole file from a damaged one.

A file is written under a hidden partial name beside it, then renamed over it. The partial name says which
process wrote it, so the next write into the folder removes the partial files of writers that were killed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import socket
import sys
import threading
from pathlib import Path
from typing import Iterator

from engine.errors import WriteError

_HOST = hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]  # a shared folder may serve other machines
_PARTIAL = re.compile(r"\..+\.partial-([0-9a-f]{8})-(\d+)-[0-9a-f]{8}(\.[^.]*)?")  # host, process, random
_swept: set[Path] = set()
_swept_lock = threading.Lock()


def _running(pid: int) -> bool:
    """Whether process `pid` of this machine runs. Windows has no cheap harmless test (os.kill would end the
    process), so there every writer counts as running and its partial files stay."""
    if sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it does, as another user's
        pass
    return True


def _sweep(folder: Path) -> None:
    """Remove the partial files that killed writers of this machine left in `folder`; once a folder and process,
    so a cache folder written thousands of times is listed once."""
    with _swept_lock:
        if folder in _swept:
            return
        _swept.add(folder)
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            match = _PARTIAL.fullmatch(entry.name)
            if match and match[1] == _HOST and not _running(int(match[2])):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _partial_beside(path: Path) -> Path:
    """A new empty hidden file beside `path` that names its writer. Made with mode 0o666 less the umask, like
    the user's other files (tempfile.mkstemp would give 0600); `path`'s suffix is kept (Keras needs .keras)."""
    while True:
        partial = path.with_name(f".{path.name}.partial-{_HOST}-{os.getpid()}-{secrets.token_hex(4)}{path.suffix}")
        try:
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return partial
        except FileExistsError:  # the same random part twice: draw again
            continue


@contextlib.contextmanager
def atomic_path(path: Path, durable: bool = True) -> Iterator[Path]:
    """A temporary path beside `path` to write; renamed onto `path` only if the block completes.

    `durable` syncs the file to disk before the rename, so a power loss cannot leave an empty file under the
    name either; caches whose entries can be rebuilt skip that cost. Errors are the OSError as raised;
    atomic_write turns them into one line.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep(path.parent)
    partial = _partial_beside(path)
    try:
        yield partial
        if durable:
            with open(partial, "rb") as written:
                os.fsync(written.fileno())
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


@contextlib.contextmanager
def atomic_write(path: Path, durable: bool = True) -> Iterator[Path]:
    """atomic_path for the app's own files: a failure (full disk, read-only folder) is a WriteError naming
    `path` and the reason, and whatever `path` held before is kept."""
    try:
        with atomic_path(path, durable) as partial:
            yield partial
    except OSError as error:
        raise WriteError(path, error) from None


def require_writable(path: Path) -> None:
    """Raise WriteError unless `path` can be written (its folder is made when missing): run before long work,
    so a read-only or impossible output folder is said at once, not when the first result is saved."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.unlink(_partial_beside(path))
    except OSError as error:
        raise WriteError(path, error) from None


def file_digest(path: Path, algorithm: str) -> str:
    """The hex digest of a file's bytes (e.g. "sha256", "md5"), read in 1 MiB chunks, never whole into memory."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
