"""Which photos trained a model, recognised by content: a training photo copied or renamed into a test folder
still counts as seen, so every score the app shows is computed on photos the model did not learn from.

The model file keeps one short digest per training photo (engine.modelfile); evaluation leaves out the photos
whose digest is among them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

DIGEST_BYTES = 8  # 64 bits: a chance of about 1 in 10^8 that two of a million photos collide


def photo_digest(path: Path | str) -> str | None:
    """The hex BLAKE2b digest of a file's bytes, or None when it cannot be read (it is then never "seen")."""
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, lambda: hashlib.blake2b(digest_size=DIGEST_BYTES)).hexdigest()
    except OSError:
        return None


def digests(paths: Iterable[Path | str]) -> frozenset[str]:
    """The digests of every readable file of `paths`."""
    return frozenset(digest for digest in map(photo_digest, paths) if digest is not None)

