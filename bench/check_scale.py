"""Does `densenet-studio check` stay fast and small on a folder of 100,000 photos? Seconds and peak memory
against a plain decoding loop over the same files, measured in the same run.

Writes COUNT small photos (32x32, half PNG, half JPEG, in 10 class folders, plus a few damaged ones) to a temp
folder (not timed), then runs, each in its own process:
  check     = `python -m engine check FOLDER --json` (scan, decode every photo, duplicates, report),
  reference = os.scandir over the class folders + Pillow open and load of every file, one thread,
and prints wall seconds, peak RSS and the ratio check / reference. The check must report every damaged
photo. Target: check <= 60 s for 100,000 photos. The folder is deleted afterwards.

    nice -n 10 .venv/bin/python bench/check_scale.py [--count 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

TARGET_SECONDS = 60.0
CLASSES = 10
DAMAGED = 10  # truncated JPEGs the check must find


def write_photos(root: Path, count: int) -> None:
    """`count` distinct 32x32 photos, PNG and JPEG in turn, in class_0 .. class_9, and DAMAGED truncated ones."""
    rng = np.random.default_rng(0)
    for label in range(CLASSES):
        (root / f"class_{label}").mkdir(parents=True)
    for index in range(count):
        pixels = rng.integers(0, 256, (4, 4, 3), dtype=np.uint8).repeat(8, 0).repeat(8, 1)
        image = Image.fromarray(pixels)
        stem = root / f"class_{index % CLASSES}" / f"{index:06d}"
        if index % 2:
            image.save(stem.with_suffix(".jpg"), quality=90)
        else:
            image.save(stem.with_suffix(".png"))
    for index in range(DAMAGED):
        path = root / f"class_{index % CLASSES}" / f"damaged_{index}.jpg"
        Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(path, quality=90)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def reference(root: str) -> None:
    """The plain loop: list each class folder, open and decode each file with Pillow; prints the bad count."""
    bad = 0
    with os.scandir(root) as classes:
        folders = [entry.path for entry in classes if entry.is_dir()]
    for folder in folders:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    with Image.open(entry.path) as image:
                        image.load()
                except OSError:
                    bad += 1
    print(bad)


def timed(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of `command` run as a child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.getcwd()})
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status:
        sys.exit(f"{' '.join(command)} failed with status {status}")
    child.returncode = 0  # reaped by wait4 above
    return seconds, usage.ru_maxrss / 1024, output.decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--reference", metavar="FOLDER", help=argparse.SUPPRESS)  # the reference's own process
    args = parser.parse_args()
    if args.reference:
        reference(args.reference)
        return
    with tempfile.TemporaryDirectory(prefix="check-scale-") as temp:
        root = Path(temp) / "photos"
        start = time.perf_counter()
        write_photos(root, args.count)
        print(f"wrote {args.count} photos 32x32 (+{DAMAGED} damaged) in {time.perf_counter() - start:.0f} s; "
              f"{os.cpu_count()} CPU cores, load {os.getloadavg()[0]:.1f}", flush=True)
        ref_seconds, ref_mb, ref_out = timed([sys.executable, __file__, "--reference", str(root)])
        seconds, mb, out = timed([sys.executable, "-m", "engine", "check", str(root), "--json"])
        report = json.loads(out)
        found = sum(1 for item in report["skipped"] if "damaged_" in item["path"])
        assert report["images"] == args.count and found == DAMAGED == int(ref_out), (report["images"], found, ref_out)
        print(f"{'':<10} {'seconds':>8} {'peak RSS MB':>12}")
        print(f"{'reference':<10} {ref_seconds:>8.1f} {ref_mb:>12.0f}")
        print(f"{'check':<10} {seconds:>8.1f} {mb:>12.0f}")
        print(f"ratio check / reference: {seconds / ref_seconds:.2f}x time, {mb / ref_mb:.2f}x memory; "
              f"load after {os.getloadavg()[0]:.1f}")
        verdict = "meets" if seconds <= TARGET_SECONDS * args.count / 100_000 else "MISSES"
        print(f"check {verdict} the target of {TARGET_SECONDS:g} s per 100,000 photos; removing the photos", flush=True)


if __name__ == "__main__":
    main()
