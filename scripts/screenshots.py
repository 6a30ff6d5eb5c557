"""Render every tab in English and Korean at each asked window size (offscreen, no display needed), with real
content: a tiny DenseNet is trained on generated class folders through the Train tab, then classifies photos.

    .venv/bin/python scripts/screenshots.py                      # docs/: every tab, English and Korean, 1024x700
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --sizes 1024x700,1400x900

Files are named `{tab}-{language}-{width}x{height}.png`. Korean needs a CJK font (Debian: fonts-noto-cjk); without
one the Korean images are not rendered and the script says so. The PNGs in docs/ are documentation
(committed), so they are quantised to a small palette to stay small. QT_QPA_PLATFORM=xcb under Xvfb renders
them through a real window system instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.image_files import class_picture, make_class_folders, write_image  # noqa: E402

DOCS = ROOT / "docs"
DOCS_SIZE = "1024x700"  # the smallest window the app promises to fit
TABS = ("classify", "train", "architecture", "sort")


def wait_until(app: QApplication, condition, timeout_s: float = 600) -> None:
    import time

    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()
        time.sleep(0.02)


def save(window, path: Path, app: QApplication) -> Path:
    """Grab the window, let pending repaints (the plot's timer, relayouts) run first, and write a small PNG."""
    deadline = QTimer()
    deadline.start(300)
    wait_until(app, lambda: deadline.remainingTime() == 0 or not deadline.isActive(), 5)
    raw = path.with_suffix(".raw.png")
    window.grab().save(str(raw))
    with Image.open(raw) as image:
        image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    raw.unlink()
    print(f"{path}: {path.stat().st_size // 1024} KB")
    return path


def fill(window, app: QApplication, work: Path) -> None:
    """Real content in every tab: a model trained through the Train tab, photos it classified, a report."""
    data = make_class_folders(work / "shapes", ("circle-red", "stripes-green", "waves-blue"), per_class=60, size=48)
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

    architecture = window.architecture_tab
    window.tabs.setCurrentWidget(architecture)
    wait_until(app, lambda: architecture.report is not None)
    # A network whose dense blocks have 12 layers (the trained one has 2): the first block drawn with 5 of them
    architecture.variant_box.setCurrentText("densenet-bc-40-k12")
    wait_until(app, lambda: architecture.report is not None and architecture.report.variant == "densenet-bc-40-k12")
    architecture.open_block(1)
    architecture.show_layers(5)

    sort = window.sort_tab  # unsorted photos, two classes named, two photos sorted into each: suggestions
    unsorted = work / "phone"
    for index in range(16):
        write_image(unsorted / f"IMG_{index:04d}.jpg", "jpeg", class_picture(index % 2, 48, 300 + index))
    window.tabs.setCurrentWidget(sort)
    sort.open_folder(str(unsorted))
    session = sort.session
    wait_until(app, lambda: len(session.vectors) + len(session.skipped) == len(session.photos), 120)
    for name in ("red circles", "green stripes"):
        sort.add_class(name)
    while min(session.counts()) < 2:
        sort.sort_current(int(Path(session.photos[sort.current_row()]).stem.removeprefix("IMG_")) % 2)
    wait_until(app, lambda: bool(session.suggested), 120)


def window_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for the PNGs (default: docs/)")
    parser.add_argument("--sizes", default=DOCS_SIZE, help="window sizes, e.g. 1024x700,1400x900")
    args = parser.parse_args(argv)
    sizes = [window_size(text) for text in args.sizes.split(",")]

    from PySide6.QtGui import QFontDatabase

    from gui.main_window import MainWindow
    from gui.translations import install_language

    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="screenshots-"))
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    install_language("en")
    window = MainWindow(settings)
    window.resize(*sizes[0])
    window.show()
    window.start_engine()
    fill(window, app, work)

    languages = ["en"]
    if QFontDatabase.families(QFontDatabase.WritingSystem.Korean):
        languages.append("ko")
    else:
        print("no Korean font installed (Debian: fonts-noto-cjk): the Korean screenshots are not rendered")
    args.out.mkdir(parents=True, exist_ok=True)
    tabs = dict(zip(TABS, (window.classify_tab, window.train_tab, window.architecture_tab, window.sort_tab)))
    for language in languages:
        window.set_language(language)
        for width, height in sizes:
            window.resize(width, height)
            for name, tab in tabs.items():
                window.tabs.setCurrentWidget(tab)
                save(window, args.out / f"{name}-{language}-{width}x{height}.png", app)
    window.set_language("en")
    window.close()


if __name__ == "__main__":
    main()
