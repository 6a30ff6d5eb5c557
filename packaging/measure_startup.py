"""Time from launching the installed app to its window on screen, under a virtual X server (Xvfb).

The frozen app is measured from outside, as a user sees it: the clock starts when the process is spawned
and stops when X reports a viewable top-level window titled "DenseNet Studio" (polled with xwininfo every
20 ms). The same is measured for the source-tree launcher in the same run, as a reference. Each run uses a
fresh settings folder, so no last model is loaded. Needs `apt-get install xvfb x11-utils`.

    .venv/bin/python packaging/measure_startup.py [--runs 3]
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
DISPLAY = ":97"
TOP_LEVEL = '"DenseNet Studio": ("'  # the main window: titled, with a WM_CLASS (Qt's helper windows have none)
POLL_S = 0.02
LIMIT_S = 120.0


def window_is_viewable(env: dict) -> bool:
    tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True).stdout
    for line in tree.splitlines():
        if TOP_LEVEL in line:
            window = line.split()[0]
            state = subprocess.run(["xwininfo", "-id", window], env=env, capture_output=True, text=True).stdout
            if "IsViewable" in state:
                return True
    return False


def time_to_window(command: list[str]) -> float:
    """Seconds from spawning `command` to its window being viewable; the app is then closed."""
    with tempfile.TemporaryDirectory() as config:
        env = dict(os.environ, DISPLAY=DISPLAY, XDG_CONFIG_HOME=config, QT_QPA_PLATFORM="xcb")
        started = time.perf_counter()
        app = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not window_is_viewable(env):
                if app.poll() is not None:
                    raise SystemExit(f"{command[0]} exited with status {app.returncode} before showing a window")
                if time.perf_counter() - started > LIMIT_S:
                    raise SystemExit(f"{command[0]}: no window after {LIMIT_S:.0f} s")
                time.sleep(POLL_S)
            return time.perf_counter() - started
        finally:
            app.terminate()
            app.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description="Launch-to-window time of the installed app under Xvfb.")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    frozen = ROOT / "dist" / "DenseNetStudio" / "DenseNetStudio"
    if not frozen.is_file():
        raise SystemExit(f"{frozen} is missing: build it with python packaging/build.py")
    commands = {"installed app (frozen)": [str(frozen)],
                "source tree (python -m gui.launcher)": [sys.executable, "-m", "gui.launcher"]}
    server = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        for name, command in commands.items():
            times = [time_to_window(command) for _ in range(args.runs)]
            print(f"{name}: launch -> window on screen, median {statistics.median(times):.2f} s "
                  f"(runs: {', '.join(f'{t:.2f}' for t in times)})")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
