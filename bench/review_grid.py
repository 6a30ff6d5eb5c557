"""The review grid with thousands of real photo files: the time to show the first screenful of thumbnails,
to scroll through every photo a screenful at a time (each screenful's thumbnails made before the next), to
switch the filter and the order, and the longest event-loop stall, against the same with a reference count
measured in the same run.

The photos are JPEG files written here (each class its colour and stripes, with noise), scored as an
evaluation would score them, half of them wrong. The scroll stall is the longest gap of a 10 ms timer on
the GUI thread while scrolling: thumbnails are decoded in a worker, so it stays short however many photos
there are. Showing, filtering and ordering lay out every cell again, on the GUI thread: their columns time
that.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/review_grid.py [--photos 5000] [--reference 500]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LABELS = ("cat", "dog", "fox", "owl")


def write_photos(folder: Path, count: int, size: int) -> list:
    """`count` JPEG files under folder/<class>/, as GridPhotos scored by a pretend model (every other one wrong)."""
    from gui.review_model import GridPhoto
    from tests.image_files import class_picture, write_image

    photos = []
    for index in range(count):
        given = index % len(LABELS)
        path = write_image(folder / LABELS[given] / f"{index:05d}.jpg", "jpeg", class_picture(given, size, index))
        suggested = given if index % 2 else (given + 1) % len(LABELS)
        photos.append(GridPhoto(str(path), LABELS[given], LABELS[suggested], 0.3 + 0.7 * ((index * 7919) % 997) / 997))
    return photos


class Stalls:
    """The gaps between ticks of a 10 ms timer on the GUI thread: the longest, and the 99th percentile (one
    gap in a hundred is longer), which a busy shared machine moves less."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> None:
        self.gaps, self._last = [], time.perf_counter()
        self.timer.start(10)

    @property
    def longest(self) -> float:
        return max(self.gaps, default=0.0)

    @property
    def p99(self) -> float:
        return sorted(self.gaps)[int(0.99 * (len(self.gaps) - 1))] if self.gaps else 0.0


def visible_paths(grid) -> list[str]:
    """The photos of the cells on screen now (the grid lays them out left to right, top to bottom)."""
    from PySide6.QtCore import QPoint

    view, model = grid.view, grid.model
    cell = view.sizeHintForIndex(model.index(0)) if model.rowCount() else None
    first = view.indexAt(QPoint(cell.width() // 2, cell.height() // 2)) if cell else None
    if first is None or not first.isValid():
        return []
    step_x, step_y = cell.width() + 2 * view.spacing(), cell.height() + 2 * view.spacing()
    columns = max(1, view.viewport().width() // step_x)
    rows = view.viewport().height() // step_y + 1
    last = min(model.rowCount(), first.row() + columns * rows)
    return [model.photo(row).path for row in range(first.row(), last)]


def wait_for_thumbnails(app, grid) -> None:
    cache = grid.model.thumbnails
    while True:
        app.processEvents()
        if all(cache.get(path) is not None for path in visible_paths(grid)):
            return
        time.sleep(0.001)


def measure(app, grid, photos: list) -> dict[str, float]:
    """Seconds to show the first screenful, to scroll through all, to switch filter and order; the stall."""
    from gui.review_model import Shown

    stalls = Stalls()
    stalls.start()
    start = time.perf_counter()
    grid.show_photos(photos, LABELS, "")
    wait_for_thumbnails(app, grid)
    shown = time.perf_counter() - start
    bar = grid.view.verticalScrollBar()
    stalls.start()  # while scrolling, apart from laying out and switching (which the other columns time)
    start = time.perf_counter()
    pages = 0
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + bar.pageStep())
        wait_for_thumbnails(app, grid)
        pages += 1
    scrolled = time.perf_counter() - start
    scroll_stall, scroll_p99 = stalls.longest, stalls.p99
    start = time.perf_counter()
    grid.show_only(Shown(mistakes=True))
    grid.show_only(Shown())
    app.processEvents()
    filtered = (time.perf_counter() - start) / 2
    start = time.perf_counter()
    for order in ("least-sure", "folder", "surest"):
        grid.model.show(grid.model.shown, order)
        app.processEvents()
    ordered = (time.perf_counter() - start) / 3
    stalls.timer.stop()
    return {"show": shown, "scroll": scrolled, "pages": pages, "per_page": scrolled / max(1, pages),
            "filter": filtered, "order": ordered, "stall": scroll_stall,
            "p99": scroll_p99}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=5000)
    parser.add_argument("--reference", type=int, default=500)
    parser.add_argument("--size", type=int, default=400, help="the photos' side in pixels")
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from engine.model.compute import cpu_description
    from gui.review_grid import ReviewGrid
    from gui.workers import stop_all_workers

    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="review-grid-"))
    print(f"CPU: {cpu_description()[0]}; {os.cpu_count()} logical cores; {args.size}x{args.size} JPEG photos")
    photos = {count: write_photos(work / str(count), count, args.size) for count in (args.reference, args.photos)}
    results = {}
    for count in (args.reference, args.reference, args.photos):  # the first run warms up imports and caches
        grid = ReviewGrid()
        grid.resize(1000, 640)
        grid.show()
        app.processEvents()
        results[count] = measure(app, grid, photos[count])
        grid.close()
    stop_all_workers()
    print(f"{'photos':>7}  {'first screen':>12}  {'scroll all':>10}  {'screens':>7}  {'per screen':>10}  "
          f"{'filter':>7}  {'order':>7}  {'scroll stall':>12}  {'p99 gap':>7}")
    for count, r in results.items():
        print(f"{count:>7}  {r['show'] * 1000:>10.0f}ms  {r['scroll']:>9.1f}s  {r['pages']:>7}  "
              f"{r['per_page'] * 1000:>8.0f}ms  {r['filter'] * 1000:>5.1f}ms  {r['order'] * 1000:>5.1f}ms  "
              f"{r['stall'] * 1000:>10.0f}ms  {r['p99'] * 1000:>5.0f}ms")
    reference, measured = results[args.reference], results[args.photos]
    print(f"{args.photos} against {args.reference} photos: first screen x{measured['show'] / reference['show']:.2f}, "
          f"per screen x{measured['per_page'] / reference['per_page']:.2f}, "
          f"scroll stall x{measured['stall'] / reference['stall']:.2f}, "
          f"p99 gap x{measured['p99'] / reference['p99']:.2f}")


if __name__ == "__main__":
    main()
