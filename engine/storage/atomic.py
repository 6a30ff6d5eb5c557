"""Atomic file writes: a crash, a kill or a full disk never leaves half a file where a good one was; and file
checksums, which tell a whole file from a damaged one.

Cache entries are sealed: sealed_path appends the SHA-256 of what was written, and read_sealed / is_sealed give
the content back only when it still matches. Every cache (decoded photos, converted TFLite models, transfer
features) goes through these, so a damaged, truncated or foreign entry is rebuilt, never used.
A file is written under a hidden partial name beside it, then renamed over it. The partial name says which
process wrote it, so the next write into the folder removes the partial files of writers that were killed.
"""

from __future__ import annotations

import contextlib
import errno
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

HOST = hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]  # a shared folder may serve other machines
_PARTIAL = re.compile(r"\..+\.partial-([0-9a-f]{8})-(\d+)-[0-9a-f]{8}(\.[^.]*)?")  # host, process, random
PARTIAL_NAME_CHARS, MAX_KEPT_SUFFIX = 40, 16
_swept: set[Path] = set()
_swept_lock = threading.Lock()


def process_running(pid: int) -> bool:
    """Whether process `pid` of this machine runs. Windows has no cheap harmless test (os.kill would end the
    process), so there every process counts as running: its partial files stay, its cache entries are kept."""
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
            if match and match[1] == HOST and not process_running(int(match[2])):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def partial_name(path: Path, tag: str) -> Path:
    """A hidden name beside `path` for writing it: ".NAME.partial-TAG.SUFFIX", with NAME cut to
    PARTIAL_NAME_CHARS so that a name near the file system's 255 bytes still has room for the rest; the
    suffix is kept (Keras needs .keras) unless it is itself long."""
    suffix = path.suffix if len(path.suffix) <= MAX_KEPT_SUFFIX else ""
    return path.with_name(f".{path.name[:PARTIAL_NAME_CHARS]}.partial-{tag}{suffix}")


def _partial_beside(path: Path) -> Path:
    """A new empty hidden file beside `path` that names its writer. Made with mode 0o666 less the umask, like
    the user's other files (tempfile.mkstemp would give 0600)."""
    while True:
        partial = partial_name(path, f"{HOST}-{os.getpid()}-{secrets.token_hex(4)}")
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
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        os.unlink(_partial_beside(path))
    except OSError as error:
        raise WriteError(path, error) from None


def _read_into(digest, path: Path, size: int | None = None):
    """`digest` updated with the file's bytes, or its first `size` bytes, read in 1 MiB chunks."""
    with open(path, "rb") as file:
        left = os.fstat(file.fileno()).st_size if size is None else size
        while left > 0 and (chunk := file.read(min(1 << 20, left))):
            digest.update(chunk)
            left -= len(chunk)
    return digest


def file_digest(path: Path, algorithm: str) -> str:
    """The hex digest of a file's bytes (e.g. "sha256", "md5"), never read whole into memory."""
    return _read_into(hashlib.new(algorithm), path).hexdigest()


_SEAL = b"\nsha256:"  # then the 64 hex digits of the entry's checksum: the last bytes of a sealed file
_SEAL_BYTES = len(_SEAL) + 64


def _sealing(path: Path):
    """The checksum of an entry starts with its file name: a whole entry copied under another name fails."""
    return hashlib.sha256(Path(path).name.encode("utf-8", "surrogateescape") + b"\0")


def _seal(digest) -> bytes:
    return _SEAL + digest.hexdigest().encode("ascii")


@contextlib.contextmanager
def sealed_path(path: Path, durable: bool = True) -> Iterator[Path]:
    """atomic_path for a cache entry: what the block writes gets its checksum appended before it takes the name."""
    with atomic_path(path, durable) as temporary:
        yield temporary
        seal = _seal(_read_into(_sealing(path), temporary))
        with open(temporary, "ab") as file:
            file.write(seal)


def read_sealed(path: Path) -> bytes | None:
    """What sealed_path wrote to `path`, or None when it is missing, unreadable, damaged or not sealed."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    content, digest = data[:-_SEAL_BYTES], _sealing(path)
    digest.update(content)
    return content if data[-_SEAL_BYTES:] == _seal(digest) else None


def is_sealed(path: Path) -> bool:
    """Whether `path` is whole as sealed_path wrote it, checked in chunks: for entries too large to read at once."""
    try:
        size = os.path.getsize(path) - _SEAL_BYTES
        with open(path, "rb") as file:
            file.seek(max(size, 0))
            seal = file.read()
        return size >= 0 and seal == _seal(_read_into(_sealing(path), path, size))
    except OSError:
        return False
