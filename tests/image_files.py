"""Real image files written by the tests: every format the app accepts, every bad kind it must survive,
and learnable class folders (each class its own colour and stripe direction)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

GOOD_KINDS = ("jpeg", "png", "png_palette", "png_alpha", "png_16bit", "bmp", "gif", "webp", "tiff",
              "grayscale", "cmyk_jpeg", "exif_rotated")
BAD_KINDS = ("empty", "truncated", "corrupt", "text_as_jpg", "bomb")

# Distinct colours per class, so a tiny network separates them in a few epochs.
_CLASS_COLOURS = ((220, 40, 40), (40, 200, 60), (50, 70, 230), (230, 200, 40), (160, 60, 200), (40, 200, 210))


def class_picture(label: int, size: int = 48, seed: int = 0) -> np.ndarray:
    """An RGB uint8 picture for class `label`: its colour with stripes, plus noise so no two are equal."""
    rng = np.random.default_rng(seed * 7919 + label)
    colour = np.array(_CLASS_COLOURS[label % len(_CLASS_COLOURS)], dtype=np.float64)
    grid = np.indices((size, size)).sum(axis=0) if label % 2 else np.indices((size, size))[0]
    stripes = ((grid // 4) % 2)[..., None] * 0.5 + 0.5
    picture = colour * stripes + rng.normal(0, 12, (size, size, 3))
    return np.clip(picture, 0, 255).astype(np.uint8)


def write_image(path: Path, kind: str = "png", pixels: np.ndarray | None = None) -> Path:
    """Write one file of `kind` (GOOD_KINDS or BAD_KINDS) at `path` and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if pixels is None:
        pixels = class_picture(0)
    image = Image.fromarray(pixels, "RGB")
    if kind == "jpeg":
        image.save(path, "JPEG", quality=92)
    elif kind == "png":
        image.save(path, "PNG")
    elif kind == "png_palette":
        image.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(path, "PNG")
    elif kind == "png_alpha":
        rgba = image.convert("RGBA")
        rgba.putalpha(200)
        rgba.save(path, "PNG")
    elif kind == "png_16bit":
        gray16 = (np.asarray(image.convert("L"), dtype=np.uint16) * 257).astype(np.uint16)
        Image.fromarray(gray16).save(path, "PNG")  # uint16 array: mode I;16
    elif kind == "bmp":
        image.save(path, "BMP")
    elif kind == "gif":
        frames = [image.convert("P"), Image.new("P", image.size, 5)]
        frames[0].save(path, "GIF", save_all=True, append_images=frames[1:])
    elif kind == "webp":
        image.save(path, "WEBP", quality=90)
    elif kind == "tiff":
        image.save(path, "TIFF")
    elif kind == "grayscale":
        image.convert("L").save(path, "PNG")
    elif kind == "cmyk_jpeg":
        image.convert("CMYK").save(path, "JPEG", quality=92)
    elif kind == "exif_rotated":
        wide = Image.fromarray(np.concatenate([pixels, pixels], axis=1), "RGB")  # width = 2 x height
        exif = Image.Exif()
        exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise on display
        wide.save(path, "JPEG", exif=exif.tobytes())
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        image.save(path, "JPEG", quality=92)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif kind == "corrupt":
        image.save(path, "PNG")
        data = bytearray(path.read_bytes())
        middle = len(data) // 2
        data[middle : middle + 100] = bytes(range(100))  # inside the pixel data: it opens, then fails
        path.write_bytes(bytes(data))
    elif kind == "text_as_jpg":
        path.write_text("this is not a photo\n")
    elif kind == "bomb":
        # 1-bit PNG of 30,000 x 30,000 pixels: tiny on disk, over Pillow's decompression-bomb limit.
        Image.new("1", (30_000, 30_000)).save(path, "PNG", optimize=True)
    else:
        raise ValueError(f"unknown kind {kind}")
    return path


def make_class_folders(root: Path, classes: tuple[str, ...] = ("cat", "dog"), per_class: int = 12,
                       size: int = 48, kind: str = "png", seed: int = 0) -> Path:
    """root/<class>/<n>.<ext>, learnable: every picture of a class shares its colour and stripes."""
    suffix = {"jpeg": "jpg", "cmyk_jpeg": "jpg", "exif_rotated": "jpg", "tiff": "tif", "grayscale": "png"}.get(
        kind, kind.split("_")[0])
    for label, name in enumerate(classes):
        for index in range(per_class):
            write_image(Path(root) / name / f"{index:03d}.{suffix}", kind, class_picture(label, size, seed + index))
    return Path(root)


def name_by_class(root: Path) -> Path:
    """Each photo under `root` renamed <class>-<name>: make_class_folders' names (000.png in every class)
    would clash when a photo moves to another class, as a camera's rarely do."""
    for photo in list(Path(root).rglob("*.png")):
        photo.rename(photo.with_name(f"{photo.parent.name}-{photo.name}"))
    return Path(root)
