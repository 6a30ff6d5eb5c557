"""Whether the mirror image of a folder's photo still looks like its class: Automatic's test before it flips.

Flipping photos left to right doubles a small folder of products, faces or animals, but it turns a 3 into
an ε. A nearest-class-mean classifier on small grey thumbnails (each photo left out of its own class's
mean) tells the two kinds apart in a fraction of a second: on bench/small_folders.py's sets, mirrored photos
keep 70-100 % of its lead over guessing on Fashion-MNIST, faces and colour crops, and 30-35 % on digits
(docs/small-folders.md). Where the originals give no clear lead there is nothing to judge, and flips stay.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.data.images import ImageDecodeError, decode_image
from engine.runtime.parallel import map_in_chunks

THUMB_SIZE = 16  # px, grey: enough to tell a class's outline, cheap to decode
MAX_PHOTOS = 400  # decoded at most, an even share per class
MIN_LEAD = 0.15  # the originals must beat guessing by this much for the mirrored score to mean anything
KEPT_SHARE = 0.5  # mirrored photos keeping less than this share of the lead do not look like their class


@dataclass(frozen=True)
class MirrorCheck:
    """Leave-one-out nearest-class-mean accuracy of the photos and of their mirror images, and guessing's."""

    accuracy: float
    mirrored_accuracy: float
    chance: float
    photos: int

    @property
    def keeps_class(self) -> bool:
        """False only when the originals are told apart clearly and their mirror images are not."""
        lead = self.accuracy - self.chance
        return lead < MIN_LEAD or self.mirrored_accuracy - self.chance >= KEPT_SHARE * lead


def check_pixels(images: np.ndarray, labels: np.ndarray) -> MirrorCheck:
    """The check on images (N, H, W) of one size and their class indices."""
    flat = images.reshape(len(images), -1).astype(np.float64)
    mirrored = images[:, :, ::-1].reshape(len(images), -1).astype(np.float64)
    classes, index, counts = np.unique(labels, return_inverse=True, return_counts=True)
    sums = np.zeros((len(classes), flat.shape[1]))
    np.add.at(sums, index, flat)
    rows = np.arange(len(flat))

    def accuracy(queries: np.ndarray) -> float:
        means = sums / counts[:, None]
        distances = ((queries[:, None, :] - means[None, :, :]) ** 2).sum(axis=-1)
        alone = counts[index] == 1  # a class of one photo has no mean without it
        own_mean = (sums[index] - flat) / np.maximum(counts[index] - 1, 1)[:, None]
        distances[rows, index] = np.where(alone, np.inf, ((queries - own_mean) ** 2).sum(axis=-1))
        return float((distances.argmin(axis=1) == index).mean())

    chance = float(counts.max() / counts.sum())
    return MirrorCheck(accuracy(flat), accuracy(mirrored), chance, len(flat))


def _thumbnail(path: Path) -> np.ndarray | None:
    try:
        return decode_image(path, THUMB_SIZE, channels=1)[..., 0]
    except ImageDecodeError:
        return None


@functools.lru_cache(maxsize=8)
def check_files(paths: tuple[Path, ...], labels: tuple[int, ...]) -> MirrorCheck | None:
    """The check on up to MAX_PHOTOS of the photos, an even share of each class, decoded on the cores; photos
    that do not decode are left out (the folder check reports them). None when fewer than two classes have two
    photos. Remembered for the same photos: the Train tab asks Automatic again whenever the budget changes."""
    by_class: dict[int, list[Path]] = {}
    for path, label in zip(paths, labels):
        by_class.setdefault(label, []).append(path)
    share = max(2, MAX_PHOTOS // max(len(by_class), 1))
    chosen = [(path, label) for label, class_paths in by_class.items()
              for path in class_paths[:: max(1, len(class_paths) // share)][:share]]
    thumbnails = map_in_chunks(_thumbnail, [path for path, _ in chosen], os.cpu_count() or 1)
    kept = [(thumbnail, label) for thumbnail, (_, label) in zip(thumbnails, chosen) if thumbnail is not None]
    labels_kept = np.asarray([label for _, label in kept])
    if sum(count >= 2 for count in np.unique(labels_kept, return_counts=True)[1]) < 2:
        return None
    return check_pixels(np.stack([thumbnail for thumbnail, _ in kept]), labels_kept)
