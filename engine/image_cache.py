"""Decoded photos kept on disk, so each photo is decoded once per input size, not once per epoch or training.

An entry is the raw uint8 pixels (size x size x channels) of one photo, sealed with their SHA-256
(engine.atomic.sealed_path), in one small file named by a hash of the photo's absolute path, inode, byte size,
modification and change times, the input size and the decoding rules' version: an edited photo gets a new
entry by itself, even one rewritten with its old size and modification time (the change time, which no
program sets, moves). A photo that cannot be decoded gets a sealed `.bad` entry holding the reason, so it is
reported again without decoding again until the file changes in any of those ways (a chmod moves the change
time too). Every entry is checked against its checksum when a run takes it (store): a damaged one is decoded
again, never used. That check reads each entry once per run (its cost: README, caches); tf.data then streams the entries during training without checking again. Entries are written
atomically (without fsync), so a killed run leaves no half entry. One file a photo keeps memory bounded for
folders larger than RAM.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from engine.atomic import read_sealed, sealed_path
from engine.dataset import Progress, Skipped
from engine.errors import StudioError
from engine.images import ImageDecodeError, decode_image

DECODER_VERSION = 2  # raise when engine.images changes what a photo decodes to or entries change: old ones go unused
CACHE_ENV = "DENSENET_STUDIO_CACHE"


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
    """What the last `store` call did: entries found, photos decoded, and bad photos (new or remembered)."""

    hits: int = 0
    decoded: int = 0
    failed: int = 0


class ImageCache:
    """Decoded photos of one input size and channel count under `directory` (default: default_cache_dir())."""

    def __init__(self, input_size: int, channels: int = 3, directory: Path | str | None = None):
        self.input_size = input_size
        self.channels = channels
        self.entry_bytes = input_size * input_size * channels  # the pixels; the file has the seal after them
        root = Path(directory).expanduser() if directory is not None else default_cache_dir()
        self.directory = root / f"images-v{DECODER_VERSION}" / f"{input_size}x{input_size}x{channels}"
        self.threads = min(4, os.cpu_count() or 1)  # Pillow decodes without the GIL
        self.stats = CacheStats()
        self._lock = threading.Lock()

    def _entry(self, path: Path) -> Path:
        info = os.stat(path)
        key = f"{os.path.abspath(path)}\0{info.st_ino}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}"
        digest = hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.u8"

    def _write(self, entry: Path, data: bytes) -> None:
        try:
            with sealed_path(entry, durable=False) as temporary:  # a lost entry is only decoded again
                temporary.write_bytes(data)
        except OSError as error:
            raise CacheError(f"cannot write the image cache in {self.directory}: {error.strerror or error}") from None

    def _count(self, field: str) -> None:
        with self._lock:
            setattr(self.stats, field, getattr(self.stats, field) + 1)

    def _store_one(self, path: Path) -> Path | Skipped:
        try:
            entry = self._entry(path)
        except OSError as error:
            self._count("failed")
            return Skipped(str(path), f"cannot read file ({error.strerror or error})")
        kept = read_sealed(entry)
        if kept is not None and len(kept) == self.entry_bytes:
            self._count("hits")
            return entry
        reason = read_sealed(entry.with_suffix(".bad"))
        if reason is not None:
            self._count("failed")
            return Skipped(str(path), reason.decode("utf-8"))
        try:
            pixels = decode_image(path, self.input_size, self.channels)
        except ImageDecodeError as error:
            self._write(entry.with_suffix(".bad"), error.reason.encode("utf-8"))
            self._count("failed")
            return Skipped(str(path), error.reason)
        self._write(entry, pixels.tobytes())
        self._count("decoded")
        return entry

    def store(self, paths: Sequence[Path],
              progress: Progress | None = None) -> list[Path | Skipped]:
        """For each photo, its entry file (decoding it only if missing) or why it cannot be used.

        `progress(done, total)` is called as photos complete; stats count this call only.
        """
        self.stats = CacheStats()
        results: list[Path | Skipped] = []
        with ThreadPoolExecutor(self.threads) as pool:
            for result in pool.map(self._store_one, paths):
                results.append(result)
                if progress is not None:
                    progress(len(results), len(paths))
        return results

