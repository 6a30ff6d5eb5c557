"""The decoded-photo cache's index: which content each photo file holds, when each entry was last used, and
which entries go when the cache outgrows its size limit.

One SQLite file (index.sqlite) in the cache folder, shared by every process using the cache (the app's
training process and the CLI at once: SQLite locks it). It remembers each photo's content digest (SHA-256 of
its bytes) under the photo's path and stat (inode, size, modification and change times), so a run over an
unchanged folder hashes nothing and a moved or edited photo is hashed again. Each entry's last use is the
time a run took it, recorded here (not the file system's access time, which is often off).

Eviction removes least-recently-used entries until the cache is within its limit, but never one a running
process may still read: each process records when it first took entries (`users`), and only entries last
used before the earliest of those of running processes can go. A process taking entries marks them used
in one transaction before it reads them, so an eviction either sees them in use or has removed them first
(then they are decoded again). Entries count as their decoded pixels; the file system adds its blocks.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Self

from engine.errors import ConfigError
from engine.storage.atomic import HOST, process_running
from engine.storage.filenames import one_line

LIMIT_ENV = "DENSENET_STUDIO_CACHE_LIMIT"
DEFAULT_LIMIT = 10 * 1000**3  # 10 GB: 70,000 photos at 224 px, 3.4 million at 32 px
INDEX_NAME = "index.sqlite"
ENTRY_SUFFIXES = (".u8", ".bad")  # decoded pixels; the reason a photo cannot be decoded
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
          "t": 1000**4, "tb": 1000**4, "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*", re.IGNORECASE)
_DIGEST = re.compile(r"[0-9a-f]{64}")  # SHA-256 in hex: a damaged row's digest is not trusted
_LOOKUP_CHUNK = 500  # paths per SELECT (SQLite allows 999 parameters on old builds)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS photos (path BLOB PRIMARY KEY, stat TEXT NOT NULL, digest TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS photos_by_digest ON photos (digest);
CREATE TABLE IF NOT EXISTS entries (name TEXT PRIMARY KEY, digest TEXT NOT NULL, bytes INTEGER NOT NULL,
                                    used INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS entries_by_use ON entries (used);
CREATE INDEX IF NOT EXISTS entries_by_digest ON entries (digest);
CREATE TABLE IF NOT EXISTS users (host TEXT NOT NULL, pid INTEGER NOT NULL, since INTEGER NOT NULL,
                                  PRIMARY KEY (host, pid));
"""
_first_use: dict[Path, int] = {}  # index file -> when this process first took entries from it


def parse_size(text: str) -> int:
    """Bytes in `text`: "10GB", "500 MB", "1.5GiB", "2000000" (KB, MB, GB, TB are powers of 1000).

    Raises:
        ConfigError: not a size, or not more than 0 bytes.
    """
    match = _SIZE.fullmatch(text)
    if not match or match[2].lower() not in _UNITS:
        raise ConfigError(f"'{one_line(text)}' is not a size (write it like 10GB, 500MB or 2GiB)")
    number = float(match[1]) * _UNITS[match[2].lower()]
    if not math.isfinite(number):
        raise ConfigError(f"'{one_line(text)}' is too large a size")
    size = int(number)
    if size < 1:
        raise ConfigError(f"the cache limit must be more than 0 bytes, not '{text}'")
    return size


def default_cache_limit() -> int:
    """$DENSENET_STUDIO_CACHE_LIMIT (read by the CLI and the app's processes alike), else 10 GB."""
    text = os.environ.get(LIMIT_ENV)
    if not text:
        return DEFAULT_LIMIT
    try:
        return parse_size(text)
    except ConfigError as error:
        raise ConfigError(f"{LIMIT_ENV}: {error}") from None


def stat_text(info: os.stat_result) -> str:
    """What says a file may have changed: a rewrite with the old size and modification time moves ctime."""
    return f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


class CacheIndex:
    """The index of one cache folder, for one `ImageCache.store` call in one thread: use it as a context.
    `created` says whether it was made now (a new cache folder, or the index was lost)."""

    def __init__(self, folder: Path, limit: int):
        self.folder = folder
        self.limit = limit
        self.path = folder / INDEX_NAME
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        """The index, made if missing; a damaged one (SQLite's quick check fails, or it is not a database) is
        replaced: its entries then count as long unused, and each photo is hashed once more."""
        try:
            return self._connect()
        except sqlite3.OperationalError:  # locked too long, disk full, read-only: the caller says so
            raise
        except (sqlite3.DatabaseError, UnicodeDecodeError):  # not a database, or damaged (its check's report too)
            discard_index(self.folder)
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        self.created = not self.path.exists()
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)  # transactions are explicit
        db.text_factory = _lenient_text
        try:
            (verdict,) = db.execute("PRAGMA quick_check").fetchone()
            if verdict != "ok":
                raise sqlite3.DatabaseError(f"{self.path}: {verdict}")
            db.executescript(_SCHEMA)
            if self.created:
                self._adopt(db)
        except BaseException:
            db.close()
            raise
        return db

    def _adopt(self, db: sqlite3.Connection) -> None:
        """List the entries already on disk (an index lost or replaced) as the oldest, so eviction sees them."""
        rows = [(path.relative_to(self.folder).with_suffix("").as_posix(), path.stem, path.stat().st_size, 0)
                for path in self.folder.glob("*/*/*")
                if path.suffix in ENTRY_SUFFIXES and not path.name.startswith(".")]  # not partial files
        with _transaction(db):
            db.executemany("INSERT OR IGNORE INTO entries VALUES (?, ?, ?, ?)", rows)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_) -> None:
        self._db.close()

    def digests(self, paths: Sequence[bytes], stats: Sequence[str]) -> list[str | None]:
        """For each absolute path and its stat_text, the content digest recorded for it; None where unknown or
        the file has changed since."""
        known: dict[bytes, tuple[str, str]] = {}
        for start in range(0, len(paths), _LOOKUP_CHUNK):
            chunk = paths[start:start + _LOOKUP_CHUNK]
            rows = self._db.execute(
                f"SELECT path, stat, digest FROM photos WHERE path IN ({','.join('?' * len(chunk))})", chunk)
            known.update((path, (stat, digest)) for path, stat, digest in rows)
        return [known[path][1] if path in known and known[path][0] == stat and _DIGEST.fullmatch(known[path][1])
                else None for path, stat in zip(paths, stats)]

    def use(self, entries: Iterable[tuple[str, str]], size: int) -> None:
        """Mark the entries (name, digest) used now, listing new ones at `size` bytes, and this process as a user
        since its first call: from then until the process ends, eviction leaves them."""
        now = time.time_ns()
        since = _first_use.setdefault(self.path, now)
        with _transaction(self._db):
            self._db.execute("INSERT OR REPLACE INTO users VALUES (?, ?, ?)", (HOST, os.getpid(), since))
            self._db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET used = ?",
                                 ((name, digest, size, now, now) for name, digest in entries))

    def remember(self, photos: Iterable[tuple[bytes, str, str]]) -> None:
        """Record each (absolute path, stat_text, content digest) hashed by this run."""
        with _transaction(self._db):
            self._db.executemany("INSERT OR REPLACE INTO photos VALUES (?, ?, ?)", photos)

    def release(self) -> int:
        """This process no longer reads its entries (its run ended): it stops holding them, and the cache is
        brought within its limit now rather than at the next run; how many entries went."""
        _first_use.pop(self.path, None)
        with _transaction(self._db):
            self._db.execute("DELETE FROM users WHERE host = ? AND pid = ?", (HOST, os.getpid()))
        return self.evict()

    def evict(self) -> int:
        """Remove least-recently-used entries no running user holds until the cache fits its limit; how many."""
        with _transaction(self._db):
            (total,) = self._db.execute("SELECT COALESCE(SUM(bytes), 0) FROM entries").fetchone()
            if total <= self.limit:
                return 0
            users = self._db.execute("SELECT host, pid, since FROM users").fetchall()
            gone = [(host, pid) for host, pid, _ in users if host == HOST and not process_running(pid)]
            self._db.executemany("DELETE FROM users WHERE host = ? AND pid = ?", gone)
            cutoff = min((since for host, pid, since in users if (host, pid) not in gone), default=time.time_ns())
            victims = []
            for name, digest, size in self._db.execute(
                    "SELECT name, digest, bytes FROM entries WHERE used < ? ORDER BY used", (cutoff,)):
                if total <= self.limit:
                    break
                victims.append((name, digest))
                total -= size
            for name, _ in victims:
                for suffix in ENTRY_SUFFIXES:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(self.folder / (name + suffix))
            self._db.executemany("DELETE FROM entries WHERE name = ?", ((name,) for name, _ in victims))
            self._db.executemany("DELETE FROM photos WHERE digest = ? AND digest NOT IN (SELECT digest FROM entries)",
                                 ((digest,) for _, digest in victims))
        return len(victims)


def _lenient_text(raw: bytes) -> str:
    """Text columns as read: bytes that are not UTF-8 (a damaged row) come back replaced, for the caller to
    distrust, instead of failing every query of the index."""
    return raw.decode("utf-8", "replace")


def discard_index(folder: Path) -> None:
    """Remove a damaged index (and its journal); the next CacheIndex makes a new one."""
    for name in (INDEX_NAME, INDEX_NAME + "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder / name)


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection):
    """BEGIN IMMEDIATE: takes the write lock at once, so two processes' transactions never interleave."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.in_transaction:  # SQLite ends a transaction itself on some errors (a full disk, I/O)
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
