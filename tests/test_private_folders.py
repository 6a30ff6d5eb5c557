"""A cache folder shared with other users (a sticky /tmp): every folder the app makes is owner-only, and one
that another user could have planted (a symbolic link, another user's folder) is refused in one line with
nothing written through it."""

import os
import stat
import sys

import numpy as np
import pytest

from engine.data.image_cache import DECODER_VERSION, ImageCache
from engine.inference.converted_models import converted_folder
from engine.storage.private_folders import UnsafeFolderError
from tests.image_files import class_picture, write_image

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX owners and modes")


def _photos(folder, count=3):
    return [write_image(folder / f"{index}.png", "png", class_picture(index % 2, 16, seed=index))
            for index in range(count)]


def _mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_every_cache_folder_the_app_makes_is_owner_only(tmp_path):
    previous = os.umask(0o002)  # a umask that would let the group write
    try:
        cache = ImageCache(16, 3, tmp_path / "cache")
        (entry,) = cache.store(_photos(tmp_path / "photos", 1))
    finally:
        os.umask(previous)
    made = [tmp_path / "cache", cache.folder, cache.directory, entry.parent]
    assert [_mode(folder) for folder in made] == [0o700] * 4
    assert _mode(converted_folder(tmp_path / "cache")) == 0o700


def test_a_planted_link_is_refused_and_nothing_is_written_through_it(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "cache").mkdir(mode=0o700)
    (tmp_path / "cache" / f"images-v{DECODER_VERSION}").symlink_to(elsewhere)
    with pytest.raises(UnsafeFolderError, match=r"images-v\d+: refused as a cache folder, it is a symbolic link"):
        ImageCache(16, 3, tmp_path / "cache").store(_photos(tmp_path / "photos"))
    assert list(elsewhere.iterdir()) == []
    (tmp_path / "cache" / "converted").symlink_to(elsewhere)
    with pytest.raises(UnsafeFolderError, match=r"converted: refused as a cache folder, it is a symbolic link"):
        converted_folder(tmp_path / "cache")


def test_another_users_folder_is_refused(tmp_path, monkeypatch):
    cache = ImageCache(16, 3, tmp_path / "cache")
    photos = _photos(tmp_path / "photos")
    cache.store(photos)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path / "cache").st_uid + 1)  # the folders are not ours
    with pytest.raises(UnsafeFolderError, match=r"cache: refused as a cache folder, it belongs to another user"):
        cache.store(photos)


def test_a_folder_of_ours_that_others_may_write_is_made_owner_only(tmp_path):
    cache = ImageCache(16, 3, tmp_path / "cache")
    photos = _photos(tmp_path / "photos")
    entries = cache.store(photos)
    os.chmod(cache.folder, 0o777)
    assert cache.store(photos) == entries and (cache.stats.hits, cache.stats.decoded) == (3, 0)
    assert _mode(cache.folder) == 0o700
    assert np.frombuffer(entries[0].read_bytes()[:16 * 16 * 3], np.uint8).std() > 0
