"""Thumbnails made lazily: only rows the view paints ask for one, a worker decodes them (Pillow's JPEG draft
mode makes this cheap), and a bounded LRU cache keeps memory flat however many photos are listed."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from gui.workers import start_worker

THUMBNAIL_SIZE = 56
CACHE_BYTES = 400 * 3 * THUMBNAIL_SIZE ** 2  # 400 of the Classify tab's (about 12 KB each): a few MB at most
PENDING_LIMIT = 200  # requests for rows scrolled past long ago are dropped (asked again if shown again)


def make_thumbnail(path: str, size: int = THUMBNAIL_SIZE) -> QImage:
    """A size x size-bounded QImage of the photo (null when it cannot be read). QImage is thread-safe."""
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as image:
            image.draft("RGB", (size * 2, size * 2))
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((size, size))
            data = image.tobytes()
            return QImage(data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888).copy()
    except Exception:  # a bad file shows no thumbnail; its row carries the decode error from classification
        return QImage()


def thumbnails(paths: list[str], size: int):
    """Worker generator: (path, QImage) for each requested path."""
    for path in paths:
        yield path, make_thumbnail(path, size)


class ThumbnailCache(QObject):
    """Ask `get(path)`: a QImage of at most `size` px a side when cached, else None now and `ready(path)` once
    it is made. It keeps as many as fit in CACHE_BYTES at that size (always more than a screenful)."""

    ready = Signal(str)

    def __init__(self, parent: QObject | None = None, size: int = THUMBNAIL_SIZE):
        super().__init__(parent)
        self.size = size
        self._limit = max(PENDING_LIMIT, CACHE_BYTES // (3 * size * size))
        self._images: OrderedDict[str, QImage] = OrderedDict()
        self._wanted: list[str] = []
        self._asked: set[str] = set()
        self._worker = None

    def get(self, path: str) -> QImage | None:
        image = self._images.get(path)
        if image is not None:
            self._images.move_to_end(path)
            return image
        if path not in self._asked:
            self._asked.add(path)
            self._wanted.append(path)
            if len(self._wanted) > PENDING_LIMIT:
                self._asked.difference_update(self._wanted[:-PENDING_LIMIT])
                del self._wanted[:-PENDING_LIMIT]
            if self._worker is None:
                self._start()
        return None

    def __len__(self) -> int:
        return len(self._images)

    def clear(self) -> None:
        self._images.clear()
        self._wanted.clear()
        self._asked.clear()

    def _start(self) -> None:
        batch = self._wanted[-32:][::-1]  # newest requests first: the rows on screen now
        del self._wanted[-32:]
        self._worker = start_worker(thumbnails, batch, self.size, on_yielded=self._store, on_finished=self._next)

    def _store(self, item: tuple[str, QImage]) -> None:
        path, image = item
        self._asked.discard(path)
        self._images[path] = image
        while len(self._images) > self._limit:
            self._images.popitem(last=False)
        self.ready.emit(path)

    def _next(self) -> None:
        self._worker = None
        if self._wanted:
            self._start()
