"""The Classify tab with thousands of dropped photos: longest event-loop stall, memory growth, and time.

A tiny real model (densenet-bc-10-k4 at 32x32) keeps inference cheap, so what is measured is the window:
rows arriving in batches, lazy thumbnails, the progress bar. Memory is the process's peak RSS growth
during the run; the stall is the longest gap of a 10 ms timer on the GUI thread.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/classify_window.py [--photos 5000]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=5000)
    args = parser.parse_args()

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from tests.gui.helpers import tiny_model_file
    from tests.image_files import class_picture, write_image

    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="classify-window-"))
    for index in range(args.photos):
        write_image(work / "photos" / f"{index:05d}.png", "png", class_picture(index % 2, 40, index))
    window = MainWindow(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
    window.show()
    window.models.load(str(tiny_model_file(work / "tiny.keras")))
    while window.models.classifier is None:
        app.processEvents()
        time.sleep(0.01)

    longest, last = 0.0, time.perf_counter()

    def tick() -> None:
        nonlocal longest, last
        now = time.perf_counter()
        longest, last = max(longest, now - last), now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    tab = window.classify_tab
    tab.classify_paths([str(work / "photos")])
    while tab.is_busy() or len(tab.results.rows) < args.photos:
        app.processEvents()
        if len(tab.results.rows) > 50:
            tab.table.scrollToBottom()  # the view follows, so thumbnails are made as rows arrive
        time.sleep(0.005)
    seconds = time.perf_counter() - start
    timer.stop()
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    print(f"{args.photos} photos classified in the window in {seconds:.1f} s "
          f"({args.photos / seconds:.0f} photos/s)")
    print(f"longest event-loop stall: {longest * 1000:.0f} ms; peak memory growth: {grown:.0f} MB; "
          f"thumbnails cached: {len(tab.results.thumbnails)}")


if __name__ == "__main__":
    main()
