"""Render a screenshot of each tab into docs/ (offscreen, no display needed), with real content: a tiny
DenseNet is trained on generated class folders through the Train tab, then classifies photos.

    .venv/bin/python scripts/screenshots.py

The PNGs are documentation (committed), so they are quantised to a small palette to stay small.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.image_files import class_picture, make_class_folders, write_image  # noqa: E402

DOCS = ROOT / "docs"
SIZE = (1180, 760)


def wait_until(app: QApplication, condition, timeout_s: float = 600) -> None:
    import time

    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()
        time.sleep(0.02)


def save(window, name: str, app: QApplication) -> Path:
    """Grab the window, let pending repaints (the plot's timer) run first, and write a small PNG."""
    deadline = QTimer()
    deadline.start(300)
    wait_until(app, lambda: deadline.remainingTime() == 0 or not deadline.isActive(), 5)
    path = DOCS / f"{name}.png"
    raw = path.with_suffix(".raw.png")
    window.grab().save(str(raw))
    with Image.open(raw) as image:
        image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    raw.unlink()
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")
    return path


def main() -> None:
    from gui.main_window import MainWindow
    from gui.translations import install_language

    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="screenshots-"))
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    install_language("en")
    window = MainWindow(settings)
    window.resize(*SIZE)
    window.show()
    window.start_engine()

    data = make_class_folders(work / "shapes", ("circle-red", "stripes-green", "waves-blue"), per_class=24, size=48)
    write_image(data / "circle-red" / "broken.jpg", "truncated")
    train = window.train_tab
    window.tabs.setCurrentWidget(train)
    train.dataset.check(str(data))
    train.form.budget_box.setValue(1)  # Automatic settings within one minute
    wait_until(app, lambda: train.start_button.isEnabled())
    train.form.output_edit.setText(str(work / "shapes.keras"))
    train.start()
    wait_until(app, lambda: not train.is_training())
    train.results.show_cell(0, 0)
    save(window, "train-tab", app)

    classify = window.classify_tab
    photos = [write_image(work / "photos" / f"photo-{i}.png", "png", class_picture(i % 3, 48, 100 + i))
              for i in range(8)]
    write_image(work / "photos" / "not-a-photo.jpg", "text_as_jpg")
    window.tabs.setCurrentWidget(classify)
    classify.classify_paths([str(work / "photos")])
    wait_until(app, lambda: len(classify.results.rows) == len(photos) + 1 and not classify.is_busy())
    classify.gradcam_box.setChecked(True)
    classify.table.selectRow(1)
    wait_until(app, lambda: classify.preview.ready, 120)
    window.grab()  # paints the table, whose visible rows then ask for their thumbnails
    wait_until(app, lambda: len(classify.results.thumbnails) >= 6, 60)
    save(window, "classify-tab", app)

    architecture = window.architecture_tab
    window.tabs.setCurrentWidget(architecture)
    wait_until(app, lambda: architecture.report is not None)
    save(window, "architecture-tab", app)

    from PySide6.QtGui import QFontDatabase

    if QFontDatabase.families(QFontDatabase.WritingSystem.Korean):
        window.set_language("ko")
        window.tabs.setCurrentWidget(classify)
        save(window, "classify-tab-ko", app)
    else:
        print("no Korean font installed: docs/classify-tab-ko.png not rendered")
    window.close()


if __name__ == "__main__":
    main()
