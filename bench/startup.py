"""Start-up time of the desktop app: process start -> first paint, and -> ready to classify (the last
model loaded and warmed up), measured in fresh processes. The model is a DenseNet-121 at 224x224 (random
weights, 10 classes) saved as the user's last model, so loading and warm-up cost what they cost for real.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QSettings
from gui.app import start_app
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
app, window = start_app(["bench"], settings)
times = {}
def painted():
    times["first_paint"] = time.time() - t0
def ready():
    times["ready"] = time.time() - t0
    app.quit()
window.first_painted.connect(painted)
window.models.ready.connect(ready)
window.models.failed.connect(lambda message: (print("FAILED", message), app.quit()))
app.exec()
print("RESULT", times.get("first_paint", -1), times.get("ready", -1))
"""


def make_model(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from engine.model.config import ModelConfig
    from engine.model.densenet import build_densenet
    from engine.model.modelfile import ModelMetadata, save_model

    model = build_densenet(ModelConfig("densenet121", input_size=224, classes=10))
    return save_model(model, folder / "densenet121.keras",
                      ModelMetadata(tuple(f"class {i}" for i in range(10)), 224, variant="densenet121"))


def run_once(settings: Path) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    t0 = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD, repr(t0), str(settings)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT")), None)
    if line is None:
        raise SystemExit(f"child failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    _, paint, ready = line.split()
    return float(paint), float(ready)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        model = make_model(folder)
        settings = folder / "settings.ini"
        settings.write_text(f"[model]\nlast={model}\n", encoding="utf-8")
        results = [run_once(settings) for _ in range(args.runs)]
    paints, readies = zip(*results)
    print(f"runs: {args.runs} (DenseNet-121 at 224x224 as the last model)")
    print(f"process start -> first paint:        median {statistics.median(paints):.2f} s  "
          f"(all: {', '.join(f'{p:.2f}' for p in paints)})")
    print(f"process start -> ready to classify:  median {statistics.median(readies):.2f} s  "
          f"(all: {', '.join(f'{r:.2f}' for r in readies)})")


if __name__ == "__main__":
    main()
