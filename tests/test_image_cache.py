"""The decoded-photo cache across runs and processes: entries found by content, a size limit kept by evicting
the least recently used, never an entry a running process uses, and its setting."""

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.data.cache_index import LIMIT_ENV, default_cache_limit, parse_size
from engine.data.image_cache import ImageCache
from engine.data.images import decode_image
from engine.errors import ConfigError
from engine.storage.atomic import read_sealed
from tests.image_files import class_picture, write_image

ENTRY = 16 * 16 * 3  # bytes of one entry at 16 px
# Run in its own process: store the photos (argv: cache folder, limit in bytes, photos...), check that every
# entry returned holds the photo's pixels, `rounds` times, then wait for a line on stdin and check again when
# asked to (a process still using its entries). Prints the last stats, entries evicted in all, and the entries.
CHILD = """
import json, sys
from pathlib import Path
from engine.storage.atomic import read_sealed
from engine.data.image_cache import ImageCache
from engine.data.images import decode_image

def check(results):
    for path, entry in zip(paths, results):
        assert read_sealed(entry) == decode_image(path, 16).tobytes(), path

cache_dir, limit, rounds, hold, *paths = sys.argv[1:]
cache, evicted = ImageCache(16, 3, cache_dir, int(limit)), 0
for _ in range(int(rounds)):
    results = cache.store([Path(path) for path in paths])
    evicted += cache.stats.evicted
    check(results)
print(json.dumps({"stats": vars(cache.stats), "evicted": evicted, "entries": [str(entry) for entry in results]}),
      flush=True)
if hold == "hold":
    sys.stdin.readline()
    check(results)
"""


def _photos(folder: Path, count: int, start: int = 0) -> list[Path]:
    return [write_image(folder / f"{index}.png", "png", class_picture(index % 3, 24, seed=index))
            for index in range(start, start + count)]


def _child(cache: Path, limit: int, photos, rounds: int = 1, hold: bool = False) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(cache), str(limit), str(rounds),
                             "hold" if hold else "-", *map(str, photos)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _report(child: subprocess.Popen) -> dict:
    return json.loads(child.stdout.readline())


def _store_in_a_process(cache: Path, limit: int, photos) -> dict:
    """Stats and entries of one store in a process of its own, which ends (its entries may then go)."""
    child = _child(cache, limit, photos)
    report = _report(child)
    assert child.wait(timeout=120) == 0
    return report


def test_a_moved_folder_reuses_its_entries_and_an_unchanged_one_hashes_nothing(tmp_path):
    photos = _photos(tmp_path / "before" / "cat", 6)
    cache = ImageCache(16, 3, tmp_path / "cache")
    first = cache.store(photos)
    assert (cache.stats.decoded, cache.stats.hashed) == (6, 6)
    cache.store(photos)
    assert (cache.stats.hits, cache.stats.decoded, cache.stats.hashed) == (6, 0, 0)
    shutil.move(tmp_path / "before", tmp_path / "after")
    moved = cache.store([tmp_path / "after" / "cat" / photo.name for photo in photos])
    assert (cache.stats.hits, cache.stats.decoded, cache.stats.hashed) == (6, 0, 6)
    assert moved == first


def test_a_damaged_index_is_replaced_and_no_photo_decoded_again(tmp_path):
    photos = _photos(tmp_path / "photos", 4)
    cache = ImageCache(16, 3, tmp_path / "cache")
    cache.store(photos)
    cache.folder.joinpath("index.sqlite").write_bytes(os.urandom(4096))
    results = cache.store(photos)
    assert (cache.stats.hits, cache.stats.decoded, cache.stats.hashed) == (4, 0, 4)
    assert [read_sealed(entry) for entry in results] == [decode_image(photo, 16).tobytes() for photo in photos]


@pytest.mark.parametrize("seed", range(5))
def test_an_index_with_damaged_pages_is_rebuilt_and_every_entry_right(tmp_path, seed):
    """The audit's damage: 200 random 16-byte overwrites inside a real index. Every photo still gets its
    own pixels, and the next run finds the index whole."""
    photos = _photos(tmp_path / "photos", 40)
    cache = ImageCache(16, 3, tmp_path / "cache")
    cache.store(photos)
    index = cache.folder / "index.sqlite"
    damaged = bytearray(index.read_bytes())
    rng = random.Random(seed)
    for _ in range(200):
        at = rng.randrange(len(damaged) - 16)
        damaged[at:at + 16] = rng.randbytes(16)
    index.write_bytes(bytes(damaged))
    results = cache.store(photos)
    assert [read_sealed(entry) for entry in results] == [decode_image(photo, 16).tobytes() for photo in photos]
    again = ImageCache(16, 3, tmp_path / "cache")
    again.store(photos)
    assert (again.stats.hits, again.stats.decoded, again.stats.hashed) == (40, 0, 0)


def test_a_cache_over_its_limit_shrinks_when_the_run_ends_not_at_the_next(tmp_path):
    cache = ImageCache(16, 3, tmp_path / "cache", limit=2 * ENTRY)
    entries = cache.store(_photos(tmp_path / "photos", 5))
    assert all(entry.exists() for entry in entries)  # this run holds them while it reads them
    cache.release()
    assert cache.stats.evicted == 3 and sum(entry.exists() for entry in entries) == 2


def test_the_least_recently_used_entries_go_first(tmp_path):
    cache = tmp_path / "cache"
    photos = _photos(tmp_path / "photos", 5)
    big = 10 * ENTRY
    entries = {}
    for photo in photos[:3] + photos[:1]:  # the first photo is used again last: the second is now the oldest
        (entries[photo],) = _store_in_a_process(cache, big, [photo])["entries"]
    report = _store_in_a_process(cache, 3 * ENTRY, [photos[3]])
    assert report["evicted"] == 1
    assert [Path(entries[photo]).exists() for photo in photos[:3]] == [True, False, True]
    report = _store_in_a_process(cache, 3 * ENTRY, [photos[1]])  # evicted: decoded again, the third goes
    assert (report["stats"]["decoded"], report["evicted"]) == (1, 1)
    assert [Path(entries[photo]).exists() for photo in photos[:3]] == [True, True, False]


def test_entries_a_running_process_uses_are_never_evicted(tmp_path):
    cache = tmp_path / "cache"
    photos = _photos(tmp_path / "photos", 4)
    holder = _child(cache, 10 * ENTRY, photos[:2], hold=True)
    held = _report(holder)["entries"]
    report = _store_in_a_process(cache, ENTRY, photos[2:])  # over its limit, but every entry is in use
    assert report["evicted"] == 0 and all(Path(entry).exists() for entry in held)
    holder.stdin.write("done\n")
    holder.stdin.flush()
    assert holder.wait(timeout=120) == 0  # and its entries were whole until the end
    report = _store_in_a_process(cache, ENTRY, photos[3:])
    assert report["evicted"] == 3
    assert [Path(entry).exists() for entry in held] == [False, False]


def test_two_processes_filling_a_small_cache_at_once_each_get_whole_entries(tmp_path):
    cache = tmp_path / "cache"
    photos = _photos(tmp_path / "photos", 60)
    _store_in_a_process(cache, 100 * ENTRY, photos)  # old entries: some for the two to take, 50-59 to evict
    children = [_child(cache, 10 * ENTRY, photos[start:start + 30], rounds=3) for start in (0, 20)]
    reports = [_report(child) for child in children]
    assert [child.wait(timeout=240) for child in children] == [0, 0]  # every entry checked in each round
    assert sum(report["evicted"] for report in reports) > 0


@pytest.mark.parametrize("text, size", [("10GB", 10**10), ("500 MB", 5 * 10**8), ("1.5GiB", 3 * 2**29),
                                        ("2000000", 2 * 10**6), ("64kb", 64000)])
def test_cache_limits_read_as_sizes(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["10XB", "", "GB", "-1GB", "0", "1e3"])
def test_a_cache_limit_that_is_not_a_size_is_one_clear_line(text):
    with pytest.raises(ConfigError, match="is not a size|more than 0 bytes"):
        parse_size(text)


def test_the_cache_limit_comes_from_the_environment_else_10_gb(monkeypatch):
    monkeypatch.delenv(LIMIT_ENV, raising=False)
    assert default_cache_limit() == 10**10
    monkeypatch.setenv(LIMIT_ENV, "2GB")
    assert default_cache_limit() == 2 * 10**9
    monkeypatch.setenv(LIMIT_ENV, "lots")
    with pytest.raises(ConfigError, match=f"{LIMIT_ENV}: 'lots' is not a size"):
        default_cache_limit()
