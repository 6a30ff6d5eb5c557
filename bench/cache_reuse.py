"""What the decoded-photo cache's content keys cost: a later run over the same folder, and over the folder
moved elsewhere, against the least any cache lookup must do, measured in the same run.

Writes COUNT 32x32 photos to a temp folder, then times ImageCache.store over them at 32 px:
  cold      = every photo decoded into an empty cache,
  warm      = the same folder again (the index knows every photo: nothing hashed, nothing decoded),
  moved     = the folder renamed (every photo hashed, found by content, nothing decoded),
  reference = a stat of each photo and a checked read of its entry (read_sealed), one thread: the floor.

    nice -n 10 .venv/bin/python bench/cache_reuse.py [--count 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.check_scale import write_photos  # noqa: E402
from engine.data.image_cache import ImageCache  # noqa: E402
from engine.storage.atomic import read_sealed  # noqa: E402


def timed_store(cache: ImageCache, paths: list[Path]) -> tuple[float, list]:
    start = time.perf_counter()
    results = cache.store(paths)
    return time.perf_counter() - start, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cache-reuse-") as temp:
        root = Path(temp) / "photos"
        write_photos(root, args.count)
        paths = sorted(path for path in root.rglob("*") if path.is_file() and "damaged" not in path.name)
        cache = ImageCache(32, 3, Path(temp) / "cache")
        print(f"{len(paths)} photos 32x32, {os.cpu_count()} CPU cores, load {os.getloadavg()[0]:.1f}", flush=True)
        seconds = {}
        seconds["cold"], entries = timed_store(cache, paths)
        assert cache.stats.decoded == len(paths)
        seconds["warm"], _ = timed_store(cache, paths)
        assert (cache.stats.hashed, cache.stats.decoded) == (0, 0)
        start = time.perf_counter()
        for path, entry in zip(paths, entries):
            os.stat(path)
            assert read_sealed(entry) is not None
        seconds["reference"] = time.perf_counter() - start
        moved = root.rename(Path(temp) / "moved")
        seconds["moved"], _ = timed_store(cache, [moved / path.relative_to(root) for path in paths])
        assert (cache.stats.hashed, cache.stats.decoded, cache.stats.hits) == (len(paths), 0, len(paths))
    for arm in ("cold", "warm", "moved", "reference"):
        print(f"{arm:<10} {seconds[arm]:7.2f} s  {len(paths) / seconds[arm]:8.0f} photos/s  "
              f"{seconds[arm] / seconds['reference']:5.2f}x the reference")
    print(f"load after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
