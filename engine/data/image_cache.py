"""Decoded photos kept on disk, so each photo is decoded once per input size, not once per epoch or training.

An entry is the raw uint8 pixels (size x size x channels) of one photo, sealed with their SHA-256
(engine.storage.atomic.sealed_path), in one small file named by the SHA-256 of the photo's bytes: a moved, renamed or
copied photo finds its entry, and an edited one gets a new entry, even one rewritten with its old size and
modification time. Hashing every photo on every run would read the folder each time, so the index
(engine.data.cache_index) remembers each photo's digest under its path and stat, and only a photo whose stat
changed (or that is new there) is hashed again. A photo that cannot be decoded gets a sealed `.bad` entry
holding the reason, so the same bytes are reported again without decoding. Every entry is checked against
its checksum when a run takes it (store): a damaged one is decoded again, never used. That check reads each
entry once per run (its cost: bench/cache_reuse.py); tf.data then streams the entries during
training without checking again. Entries are written atomically (without fsync), so a killed run leaves no
half entry. One file a photo keeps memory bounded for folders larger than RAM; the size limit (10 GB unless
set) bounds the disk: least-recently-used entries go first, never one a running process uses.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from engine.data.cache_index import CacheIndex, default_cache_limit, discard_index, stat_text
from engine.data.dataset import Progress, Skipped
from engine.data.images import ImageDecodeError, decode_image
from engine.errors import QT_TRANSLATE_NOOP, StudioError
from engine.runtime.parallel import map_in_chunks
from engine.storage.atomic import file_digest, read_sealed, sealed_path
from engine.storage.private_folders import private_folder

# Raise when engine.data.images changes what a photo decodes to or entries change: old ones go unused.
DECODER_VERSION = 4
CACHE_ENV = "DENSENET_STUDIO_CACHE"
CHANGED = QT_TRANSLATE_NOOP("EngineText", "the file changed while it was being read (run again)")


class CacheError(StudioError):
    """The cache folder cannot be written (read-only, full disk)."""


def default_cache_dir() -> Path:
    """$DENSENET_STUDIO_CACHE, else the platform's user cache folder (XDG_CACHE_HOME on Linux) + densenet-studio."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "densenet-studio"


@dataclass
class CacheStats:
    """What the last `store` call did: entries found, photos decoded, bad photos (new or remembered), photos
    hashed (new to the index, or changed), and entries evicted to keep the size limit."""

    hits: int = 0
    decoded: int = 0
    failed: int = 0
    hashed: int = 0
    evicted: int = 0


def _stat(path: Path) -> str:
    """stat_text of the file, "" when it cannot be read (then hashing it says why)."""
    try:
        return stat_text(os.stat(path))
    except OSError:
        return ""


def _hash(path: Path) -> str | Skipped:
    try:
        return file_digest(path, "sha256")
    except OSError as error:
        return Skipped(str(path), f"cannot read file ({error.strerror or error})")


class ImageCache:
    """Decoded photos of one input size and channel count under `directory` (default: default_cache_dir()),
    kept within `limit` bytes for all sizes together (default: default_cache_limit())."""

    def __init__(self, input_size: int, channels: int = 3, directory: Path | str | None = None,
                 limit: int | None = None):
        self.input_size = input_size
        self.channels = channels
        self.entry_bytes = input_size * input_size * channels  # the pixels; the file has the seal after them
        self.root = Path(directory).expanduser() if directory is not None else default_cache_dir()
        self.folder = self.root / f"images-v{DECODER_VERSION}"  # the index, and a folder of entries per size
        self.shape_name = f"{input_size}x{input_size}x{channels}"
        self.directory = self.folder / self.shape_name
        self.limit = default_cache_limit() if limit is None else limit
        self.threads = min(4, os.cpu_count() or 1)  # Pillow decodes and hashlib hashes without the GIL
        self.stats = CacheStats()
        self._lock = threading.Lock()

    def _entry(self, digest: str) -> Path:
        return self.directory / digest[:2] / f"{digest}.u8"

    def _write(self, entry: Path, data: bytes) -> None:
        try:
            private_folder(entry.parent, self.directory)
            with sealed_path(entry, durable=False) as temporary:  # a lost entry is only decoded again
                temporary.write_bytes(data)
        except OSError as error:
            raise CacheError(f"cannot write the image cache in {self.directory}: {error.strerror or error}") from None

    def _count(self, field: str) -> None:
        with self._lock:
            setattr(self.stats, field, getattr(self.stats, field) + 1)

    def _store_one(self, photo: tuple[Path, str, str | Skipped]) -> Path | Skipped:
        path, stat, digest = photo
        if isinstance(digest, Skipped):
            self._count("failed")
            return digest
        entry = self._entry(digest)
        kept = read_sealed(entry)
        if kept is not None and len(kept) == self.entry_bytes:
            self._count("hits")
            return entry
        reason = read_sealed(entry.with_suffix(".bad"))
        if reason is not None:
            self._count("failed")
            return Skipped(str(path), reason.decode("utf-8"))
        try:
            pixels, failure = decode_image(path, self.input_size, self.channels), None
        except ImageDecodeError as error:
            pixels, failure = None, error.reason
        if _stat(path) != stat:  # the digest may not be of the bytes decoded: keep nothing
            self._count("failed")
            return Skipped(str(path), CHANGED)
        if failure is not None:
            self._write(entry.with_suffix(".bad"), failure.encode("utf-8"))
            self._count("failed")
            return Skipped(str(path), failure)
        self._write(entry, pixels.tobytes())
        self._count("decoded")
        return entry

    def store(self, paths: Sequence[Path], progress: Progress | None = None) -> list[Path | Skipped]:
        """For each photo, its entry file (decoding it only if missing) or why it cannot be used.

        `progress(done, total)` is called as photos complete; stats count this call only. Entries taken here
        stay (eviction leaves them) while this process runs.
        """
        try:
            private_folder(self.directory, self.root)
            return self._store(paths, progress)
        except sqlite3.OperationalError as error:  # locked for a minute by another process, a full disk
            raise CacheError(f"cannot use the image cache index in {self.folder}: {error}") from None
        except sqlite3.DatabaseError:  # damaged while in use (a damaged index is replaced when opened)
            discard_index(self.folder)
            return self._store(paths, progress)
        except OSError as error:  # a file where the folder should be, a read-only folder
            raise CacheError(f"cannot write the image cache in {self.directory}: {error.strerror or error}") from None

    def release(self) -> None:
        """At the end of a run: let go of the entries this process took and keep the size limit now. A cache
        that cannot be opened is left as it is (the next run keeps the limit)."""
        if not self.folder.is_dir():
            return
        with contextlib.suppress(sqlite3.Error, OSError), CacheIndex(self.folder, self.limit) as index:
            self.stats.evicted += index.release()

    def _remove_older_versions(self) -> None:
        """Entries of older decoding rules are never used again: the first run of these rules removes them."""
        for version in range(1, DECODER_VERSION):
            shutil.rmtree(self.folder.parent / f"images-v{version}", ignore_errors=True)

    def _store(self, paths: Sequence[Path], progress: Progress | None) -> list[Path | Skipped]:
        self.stats = CacheStats()
        stats = [_stat(path) for path in paths]
        keys = [os.fsencode(os.path.abspath(path)) for path in paths]
        with CacheIndex(self.folder, self.limit) as index:
            if index.created:
                self._remove_older_versions()
            digests: list[str | Skipped | None] = index.digests(keys, stats)
            new = [i for i, digest in enumerate(digests) if digest is None]
            for i, digest in zip(new, map_in_chunks(_hash, [paths[i] for i in new], self.threads)):
                digests[i] = digest
            index.use({(f"{self.shape_name}/{digest[:2]}/{digest}", digest) for digest in digests
                       if isinstance(digest, str)}, self.entry_bytes)
            results = map_in_chunks(self._store_one, list(zip(paths, stats, digests)), self.threads, progress)
            index.remember((keys[i], stats[i], digests[i]) for i in new if isinstance(digests[i], str))
            self.stats.hashed = len(new)
            self.stats.evicted = index.evict()
        return results
