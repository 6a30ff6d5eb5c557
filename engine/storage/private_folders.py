"""Folders of the studio cache that only this user can change, even where the cache is shared (a sticky /tmp).

Another user who can write into the cache can redirect it or answer for it: a planted link `images-v4 ->
elsewhere` sends the app's entries and index there, and a planted converted model with a recomputed seal is
run instead of ours. So, as ssh does with ~/.ssh and git with safe.directory: every cache folder is made
owner-only (0700); an existing one that is a symbolic link or belongs to another user is refused in one line
and the cache is not used; one of this user's that others may write is made owner-only again.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from engine.errors import QT_TRANSLATE_NOOP, StudioError

FOLDER_MODE = 0o700
IS_A_LINK = QT_TRANSLATE_NOOP("EngineText", "{folder}: refused as a cache folder, it is a symbolic link (another user "
                                            "may have planted it); choose another cache folder")
NOT_YOURS = QT_TRANSLATE_NOOP("EngineText", "{folder}: refused as a cache folder, it belongs to another user; "
                                            "choose a cache folder of your own")


class UnsafeFolderError(StudioError):
    """A cache folder that someone else could change."""


def private_folder(folder: Path, root: Path) -> Path:
    """`folder` (inside the cache `root`), with `root` and every folder between them made (owner-only) or
    found safe; `folder` is returned.

    Raises:
        UnsafeFolderError: one of them is a symbolic link or another user's.
        OSError: one cannot be made (a read-only or full disk, a file in the way): the caller says so.
    """
    folder, root = Path(folder), Path(root)
    chain = [root, *(root / part for part in _between(root, folder))]
    for path in chain:  # a few system calls each: cheap beside the decoding or conversion that follows
        try:
            os.mkdir(path, FOLDER_MODE)
        except FileExistsError:
            _require_safe(path)
        except FileNotFoundError:  # the root's own parents are missing: made as ordinary folders
            path.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(path, FOLDER_MODE)
    return folder


def _between(root: Path, folder: Path) -> tuple[str, ...]:
    try:
        return folder.relative_to(root).parts
    except ValueError:
        raise ValueError(f"{folder} is not inside the cache folder {root}") from None


def _require_safe(path: Path) -> None:
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFolderError.said(IS_A_LINK, folder=path)
    if not stat.S_ISDIR(info.st_mode):  # not a danger, only impossible: the caller says it cannot write there
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    if not hasattr(os, "getuid"):  # Windows: folders under the user's profile carry its own access rules
        return
    if info.st_uid != os.getuid():
        raise UnsafeFolderError.said(NOT_YOURS, folder=path)
    if info.st_mode & 0o077:
        os.chmod(path, FOLDER_MODE)
