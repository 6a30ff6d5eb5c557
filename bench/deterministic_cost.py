"""What `train --deterministic` costs: the same training with and without it, alternated, each CLI run in its
own process on the same generated photos, and whether two deterministic runs give the same weights.

    .venv/bin/python bench/deterministic_cost.py [--runs 2] [--epochs 5]

Prints the seconds of each run (process start to exit), the median ratio deterministic / ordinary and
whether the weights of the deterministic runs are equal to the bit (and the ordinary runs' largest
difference, for comparison).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.model.modelfile import load_model  # noqa: E402
from tests.image_files import make_class_folders  # noqa: E402

SETTINGS = ["--variant", "densenet-bc-22-k12", "--input-size", "32", "--batch-size", "16", "--lr", "0.002",
            "--seed", "3"]


def run(folder: Path, out: Path, epochs: int, deterministic: bool) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "engine", "train", str(folder / "photos"), "--out", str(out),
                    "--epochs", str(epochs), "--cache-dir", str(folder / "cache"), *SETTINGS,
                    *(["--deterministic"] if deterministic else [])],
                   check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def largest_difference(first: Path, second: Path) -> float:
    pairs = zip(load_model(first).model.get_weights(), load_model(second).model.get_weights(), strict=True)
    return max(float(np.max(np.abs(a - b))) for a, b in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    print(f"load before: {Path('/proc/loadavg').read_text().split()[0]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="densenet-deterministic-") as name:
        folder = Path(name)
        make_class_folders(folder / "photos", ("a", "b", "c"), per_class=60, size=32)
        run(folder, folder / "warm.keras", 1, False)  # decodes into the cache once, for every run after
        seconds: dict[bool, list[float]] = {False: [], True: []}
        for index in range(args.runs):
            for deterministic in (False, True):
                out = folder / f"{'det' if deterministic else 'ord'}-{index}.keras"
                seconds[deterministic].append(run(folder, out, args.epochs, deterministic))
                print(f"run {index} deterministic={deterministic}: {seconds[deterministic][-1]:.1f} s", flush=True)
        ratio = statistics.median(seconds[True]) / statistics.median(seconds[False])
        print(f"deterministic / ordinary (median seconds): {ratio:.2f}")
        print(f"deterministic runs, largest weight difference: "
              f"{largest_difference(folder / 'det-0.keras', folder / 'det-1.keras'):.3g}")
        print(f"ordinary runs, largest weight difference: "
              f"{largest_difference(folder / 'ord-0.keras', folder / 'ord-1.keras'):.3g}")
    print(f"load after: {Path('/proc/loadavg').read_text().split()[0]}")


if __name__ == "__main__":
    main()
