"""Which photos trained a model, recognised by content: a training photo copied or renamed into a test folder
still counts as seen, so every score the app shows is computed on photos the model did not learn from.

The model file keeps one short digest per training photo (engine.model.modelfile); evaluation leaves out the photos
whose digest is among them.
"""

from __future__ import annotations

from pathlib import Path

from engine.storage.atomic import file_digest

DIGEST_HEX = 16  # 64 bits: a chance of about 1 in 10^8 that two of a million photos collide


def photo_digest(path: Path | str) -> str | None:
    """The first 64 bits of a file's SHA-256 (as the caches' checksums), in hex; None when it cannot be read
    (it is then never "seen")."""
    try:
        return file_digest(Path(path), "sha256")[:DIGEST_HEX]
    except OSError:
        return None
