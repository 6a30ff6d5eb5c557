"""Decode one photo the way training and classification both need it, or say clearly why not.

Every format Pillow opens is accepted (JPEG, PNG incl. palette/alpha/16-bit, BMP, GIF first frame, WebP, TIFF);
EXIF orientation is applied; grayscale, CMYK, 16-bit and alpha become 8-bit RGB (alpha over white).
"""

from __future__ import annotations

import errno
import os
import stat
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from engine.errors import QT_TRANSLATE_NOOP, StudioError
from engine.storage.filenames import readable

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff"})

ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is an error, not a grey half-photo
# Why a file is no photo, in plain words (what is wrong with the file, not which library said so), marked
# for the window's catalogue: gui.engine_text.photo_reason translates whichever reason a file was given.
BROKEN_LINK = QT_TRANSLATE_NOOP("EngineText", "symbolic link to nothing (broken, or a loop)")
NOT_REGULAR = QT_TRANSLATE_NOOP("EngineText", "not a regular file (a pipe, a device or a socket)")
EMPTY_FILE = QT_TRANSLATE_NOOP("EngineText", "empty file (0 bytes)")
NOT_A_PHOTO = QT_TRANSLATE_NOOP("EngineText", "not a photo the app can open (it reads JPEG, PNG, BMP, GIF, WebP "
                                              "and TIFF)")
DAMAGED = QT_TRANSLATE_NOOP("EngineText", "a damaged or incomplete photo (corrupt or truncated)")
TOO_LARGE = QT_TRANSLATE_NOOP("EngineText", "too many pixels to open safely (over 89 million)")
NOT_FOUND = QT_TRANSLATE_NOOP("EngineText", "file not found")
NO_PERMISSION = QT_TRANSLATE_NOOP("EngineText", "permission denied")


class ImageDecodeError(StudioError):
    """A file that cannot be used as a photo; `path` and `reason` are shown to the user."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = readable(reason)  # errors quote file names; a reason is printed and cached as UTF-8


def is_image_name(path: Path | str) -> bool:
    """Whether a file name looks like a photo (hidden files never do)."""
    name = os.path.basename(str(path))
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # Scaled by the format's range, never by the photo's own values (one bright pixel must not darken the
        # rest): 16-bit integers (Pillow opens 16-bit PNGs as "I") 0-65535, floats 0-1 as TIFF and
        # scikit-image write them.
        array = np.nan_to_num(np.asarray(image, dtype=np.float64))
        peak = 1.0 if image.mode == "F" else 65535.0
        image = Image.fromarray(np.clip(np.rint(array * (255.0 / peak)), 0, 255).astype(np.uint8), "L")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    return image.convert("RGB")


def _load_rgb(path: Path | str, draft: int | None) -> Image.Image:
    """The photo at `path`, fully decoded, upright, as 8-bit RGB; a JPEG at the smallest scale still at least
    `draft` x `draft` (much faster, the same result after resizing). ImageDecodeError says why it cannot be."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # reading a pipe would wait forever, /dev/zero never end
            raise ImageDecodeError(path, NOT_REGULAR)
        if info.st_size == 0:
            raise ImageDecodeError(path, EMPTY_FILE)
        with warnings.catch_warnings(record=True):  # Pillow's warnings on a damaged photo: the reason says it
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if draft is not None and image.format == "JPEG":
                    image.draft("RGB", (draft, draft))
                image.seek(0)
                image.load()
                image = ImageOps.exif_transpose(image)
                return _to_rgb(image)
    except ImageDecodeError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageDecodeError(path, TOO_LARGE) from None
    except UnidentifiedImageError:
        raise ImageDecodeError(path, NOT_A_PHOTO) from None
    except FileNotFoundError:
        raise ImageDecodeError(path, NOT_FOUND) from None
    except PermissionError:
        raise ImageDecodeError(path, NO_PERMISSION) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        looped = isinstance(error, OSError) and error.errno == errno.ELOOP  # a link to itself, or a circle of links
        raise ImageDecodeError(path, BROKEN_LINK if looped else DAMAGED) from None


def decode_image(path: Path | str, size: int | None = None, channels: int = 3) -> np.ndarray:
    """Read `path` into a uint8 array (H, W, channels), squashed to size x size when `size` is given.

    Raises:
        ImageDecodeError: empty, truncated, corrupt, not an image, too large (decompression bomb), unreadable.
    """
    image = _load_rgb(path, size)
    if size is not None and image.size != (size, size):
        image = image.resize((size, size), Image.Resampling.BILINEAR, reducing_gap=3.0)
    if channels == 1:
        image = image.convert("L")
        return np.asarray(image, dtype=np.uint8)[..., None]
    return np.asarray(image, dtype=np.uint8)


def verify_image(path: Path | str, draft: int) -> None:
    """Raise ImageDecodeError when decode_image(path, draft) would: every step that can fail (the full decode,
    at JPEG draft scale), none that cannot (resizing, the array), which cost more than the rest on small photos."""
    _load_rgb(path, draft)
