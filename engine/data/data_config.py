"""How photos become batches: the settings of engine.data.pipeline, in a module without TensorFlow, so settings can
be checked (the CLI's arguments, the Train tab's form) before TensorFlow is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.errors import ConfigError

MAX_BATCH = 65_536


@dataclass(frozen=True)
class DataConfig:
    """How photos become batches. `cache_dir` None means the user cache folder (image_cache.default_cache_dir),
    `cache_limit` None the decoded-photo cache's size limit from the environment or 10 GB
    (cache_index.default_cache_limit)."""

    input_size: int
    channels: int = 3
    batch_size: int = 32
    val_split: float = 0.2
    seed: int = 1337
    cache_dir: Path | None = None
    cache_limit: int | None = None  # bytes

    def __post_init__(self) -> None:
        if self.input_size < 1:
            raise ConfigError(f"input size must be positive, not {self.input_size}")
        if self.channels not in (1, 3):
            raise ConfigError(f"input channels must be 1 (grayscale) or 3 (RGB), not {self.channels}")
        if not 1 <= self.batch_size <= MAX_BATCH:
            raise ConfigError(f"batch size must be from 1 to {MAX_BATCH:,}, not {self.batch_size}")
        if not 0.0 <= self.val_split < 1.0:
            raise ConfigError(f"validation split must be in [0, 1), not {self.val_split}")
        if self.cache_limit is not None and self.cache_limit < 1:
            raise ConfigError(f"the cache limit must be more than 0 bytes, not {self.cache_limit}")
