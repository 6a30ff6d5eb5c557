"""Atomic file writes: a crash, a kill or a full disk never leaves half a file where a good one was; and file
checksums, which tell a whole file from a damaged one.

Cache entries are sealed: sealed_path appends the SHA-256 of what was written, and read_sealed / is_sealed give
the content back only when it still matches. Every cache (decoded photos, converted TFLite models, transfer
features) goes through these, so a damaged, truncated or foreign entry is rebuilt, never used.
"""

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
