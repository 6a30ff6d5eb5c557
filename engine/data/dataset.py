"""Find the classes and photos in a folder the user gives, and check them before any training starts.

Layouts: `root/<class>/...` or `root/{train,val,test}/<class>/...` (`valid`/`validation` count as `val`).
A class folder may hold subfolders; hidden entries and non-image names are ignored (and listed); a folder
reached twice (symlink loop, or two links to one folder) is walked once. Bad photos, and links that lead
nowhere or to themselves, are skipped with their reason, never fatal. Names need not be valid UTF-8: reports
show them through engine.storage.filenames.readable.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from engine.data.images import BROKEN_LINK, NOT_REGULAR, ImageDecodeError, is_image_name, verify_image
from engine.errors import QT_TRANSLATE_NOOP, StudioError
from engine.runtime.parallel import map_in_chunks
from engine.storage.filenames import one_line, readable, readable_data

SPLIT_NAMES = {"train": "train", "val": "val", "valid": "val", "validation": "val", "test": "test"}
CHECK_DECODE_SIZE = 64  # the check decodes every file fully; JPEGs at the smallest scale still this large
CHECK_THREADS = 2
Progress = Callable[[int, int], None]


class DatasetError(StudioError, ValueError):
    """A folder that cannot be trained on as it is (missing, fewer than two classes, a class without photos)."""


NOT_A_FOLDER = QT_TRANSLATE_NOOP("EngineText", "{path}: not a folder")
FOLDER_NOT_FOUND = QT_TRANSLATE_NOOP("EngineText", "{path}: folder not found")
ONE_CLASS = QT_TRANSLATE_NOOP("EngineText", "{path}: needs at least two class subfolders (one per class), found only "
                                            "'{name}'")
NO_CLASSES = QT_TRANSLATE_NOOP("EngineText", "{path}: needs at least two class subfolders (one per class), found none "
                                             "(e.g. put photos in cat/ and dog/)")
EMPTY_CLASS = QT_TRANSLATE_NOOP("EngineText", "class '{name}' has no usable image")
EMPTY_CLASS_SKIPPED = QT_TRANSLATE_NOOP(
    "EngineText", "class '{name}' has no usable image; {count} file(s) skipped, e.g. {file}: {reason}")
EMPTY_TRAIN_CLASS = QT_TRANSLATE_NOOP("EngineText", "class '{name}' has no image in the train/ folder")
ONE_LEVEL_TOO_HIGH = QT_TRANSLATE_NOOP(
    "EngineText", "{path} looks like a folder of datasets, not of classes: {folders} hold the same class folders "
                  "({classes}). Did you mean {suggested}?")


@dataclass(frozen=True)
class Skipped:
    """A file left out, with the reason the user reads."""

    path: str
    reason: str


@dataclass(frozen=True)
class ImageFile:
    """One photo and its class index; `split` is "train"/"val"/"test" in a split layout, else None."""

    path: Path
    label: int
    split: str | None = None


@dataclass(frozen=True)
class DatasetScan:
    """What a folder holds: sorted class names, usable photos, and the files skipped with reasons."""

    root: Path
    class_names: tuple[str, ...]
    files: tuple[ImageFile, ...]
    skipped: tuple[Skipped, ...]

    @property
    def has_splits(self) -> bool:
        return any(file.split is not None for file in self.files)

    def counts(self, split: str | None = None) -> dict[str, int]:
        """Photos per class name (in one split when `split` is given), every class listed."""
        counted = Counter(file.label for file in self.files if split is None or file.split == split)
        return {name: counted[label] for label, name in enumerate(self.class_names)}


@dataclass(frozen=True)
class DuplicateGroup:
    """Files with exactly the same bytes; `kinds` says where they sit, e.g. ("across classes",)."""

    paths: tuple[str, ...]
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class DatasetReport:
    """The result of `densenet-studio check`: counts, skipped files, exact duplicates, imbalance."""

    scan: DatasetScan
    duplicates: tuple[DuplicateGroup, ...]
    ignored: tuple[str, ...]  # files with a non-image name (.heic, .svg, .txt), and hidden files

    @cached_property  # read by the text, the JSON and the window: one pass over the files
    def one_level_too_high(self) -> dict | None:
        """The facts of ONE_LEVEL_TOO_HIGH when the folder was picked one level too high: one of its "classes"
        is named like a training split (train/) and holds class folders that another of its "classes" holds too
        (train/cat, train/dog beside test/cat, test/dog, under names the split layout does not know); else None.
        Such a pick trains on the split names as classes, with the same photos in several of them."""
        scan = self.scan
        if scan.has_splits:
            return None
        inner: dict[str, set[str]] = defaultdict(set)  # top folder -> its subfolders that hold photos
        for file in scan.files:
            parts = file.path.relative_to(scan.root).parts
            if len(parts) > 2:
                inner[parts[0]].add(parts[1])
        train = next((name for name in sorted(inner) if SPLIT_NAMES.get(name.lower()) == "train"), None)
        if train is None or len(inner[train]) < 2:
            return None
        sharing = [name for name in sorted(inner) if name != train and len(inner[name] & inner[train]) >= 2]
        if not sharing:
            return None
        classes = sorted(inner[train])
        return {"path": readable(str(scan.root)), "folders": ", ".join(f"{name}/" for name in [train, *sharing]),
                "classes": ", ".join(classes[:4]) + (", …" if len(classes) > 4 else ""),
                "suggested": readable(str(scan.root / train))}

    @property
    def imbalance(self) -> dict:
        counts = self.scan.counts()
        largest = max(counts, key=lambda name: counts[name])
        smallest = min(counts, key=lambda name: counts[name])
        return {"largest": largest, "largest_count": counts[largest], "smallest": smallest,
                "smallest_count": counts[smallest], "ratio": round(counts[largest] / counts[smallest], 3)}

    def to_dict(self) -> dict:
        scan = self.scan
        result = {
            "root": str(scan.root),
            "classes": scan.counts(),
            "images": len(scan.files),
            "skipped": [{"path": item.path, "reason": item.reason} for item in scan.skipped],
            "duplicates": [list(group.paths) for group in self.duplicates],
            "imbalance": self.imbalance,
            "ignored": len(self.ignored),
            "ignored_files": list(self.ignored),
        }
        hint = self.one_level_too_high
        if hint is not None:
            result["one_level_too_high"] = {"message": ONE_LEVEL_TOO_HIGH.format(**hint),
                                            "suggested": hint["suggested"]}
        if scan.has_splits:
            result["splits"] = {split: scan.counts(split) for split in _splits_present(scan)}
        return readable_data(result)

    def to_text(self) -> str:
        scan, imbalance = self.scan, self.imbalance
        layout = "split folders " + "/".join(_splits_present(scan)) if scan.has_splits else "class folders"
        lines = [f"{scan.root}: {len(scan.class_names)} classes, {len(scan.files)} images ({layout})"]
        width = max(_display_width(name) for name in scan.class_names)
        splits = _splits_present(scan) if scan.has_splits else ()
        for name, count in scan.counts().items():
            by_split = ", ".join(f"{split} {scan.counts(split)[name]}" for split in splits)
            padding = " " * (width - _display_width(name))
            lines.append(f"  {name}{padding}  {count:>7}" + (f"  ({by_split})" if by_split else ""))
        lines.append(f"Imbalance: largest {imbalance['largest']} ({imbalance['largest_count']}) / smallest "
                     f"{imbalance['smallest']} ({imbalance['smallest_count']}) = {imbalance['ratio']:g}x")
        lines.append(f"Skipped: {len(scan.skipped)} file(s)")
        lines.extend(f"  {one_line(item.path)}: {item.reason}" for item in scan.skipped)
        lines.append(f"Exact duplicates: {len(self.duplicates)} group(s)")
        lines.extend(f"  {', '.join(group.kinds)}: {'  '.join(map(one_line, group.paths))}"
                     for group in self.duplicates)
        if self.ignored:
            lines.append(f"Ignored: {len(self.ignored)} hidden or non-image file(s)")
            lines.extend(f"  {one_line(str(path))}" for path in self.ignored)
        hint = self.one_level_too_high
        if hint is not None:
            lines.insert(0, ONE_LEVEL_TOO_HIGH.format(**hint))
        return readable("\n".join(lines))


def _display_width(text: str) -> int:
    """Terminal columns of `text`: East Asian wide characters (Korean, Chinese, Japanese) take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _splits_present(scan: DatasetScan) -> tuple[str, ...]:
    present = {file.split for file in scan.files}
    return tuple(split for split in ("train", "val", "test") if split in present)


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"  # macOS metadata inside zip files


def _kind(entry: os.DirEntry) -> str:
    """"dir", "file", or "" for anything else, such as a link to nothing or to itself (which raises ELOOP)."""
    try:
        return "dir" if entry.is_dir() else "file" if entry.is_file() else ""
    except OSError:
        return ""


def _subfolders(folder: Path, skipped: list[Skipped]) -> list[os.DirEntry]:
    """The visible folders in `folder`; a link to a folder that is not there is reported in `skipped`."""
    with os.scandir(folder) as listing:
        entries = sorted((entry for entry in listing if not _is_hidden(entry.name)), key=lambda entry: entry.name)
    skipped.extend(Skipped(str(folder / entry.name), BROKEN_LINK) for entry in entries
                   if entry.is_symlink() and not os.path.exists(folder / entry.name))
    return [entry for entry in entries if _kind(entry) == "dir"]


def _walk_photos(folder: Path, visited: set[str], skipped: list[Skipped]) -> tuple[list[Path], list[Path]]:
    """Every image-named file below `folder` (sorted, symlinks followed once), and the other files, ignored."""
    photos, ignored, pending = [], [], [folder]
    while pending:
        current = pending.pop()
        real = os.path.realpath(current)
        if real in visited:
            continue
        visited.add(real)
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            skipped.append(Skipped(str(current), f"cannot read folder ({error.strerror or error})"))
            continue
        for entry in entries:
            path, kind = current / entry.name, _kind(entry)
            if _is_hidden(entry.name):
                if kind == "file":
                    ignored.append(path)
            elif kind == "dir":
                pending.append(path)
            elif kind == "file" and is_image_name(entry.name):
                photos.append(path)
            elif is_image_name(entry.name):  # a pipe, a device, or a link to nothing, under a photo's name
                skipped.append(Skipped(str(path), BROKEN_LINK if not os.path.exists(path) else NOT_REGULAR))
            else:
                ignored.append(path)
    return sorted(photos), ignored


def _class_folders(root: Path, skipped: list[Skipped]) -> list[tuple[str | None, str, Path]]:
    """(split, class name, folder) for each class folder; split is None unless root is a split layout."""
    top = _subfolders(root, skipped)
    split_layout = bool(top) and all(entry.name.lower() in SPLIT_NAMES for entry in top) and any(
        SPLIT_NAMES[entry.name.lower()] == "train" for entry in top)
    if not split_layout:
        return [(None, entry.name, root / entry.name) for entry in top]
    return [(SPLIT_NAMES[split.name.lower()], entry.name, root / split.name / entry.name)
            for split in top for entry in _subfolders(root / split.name, skipped)]


def _decode_failure(path: Path) -> Skipped | None:
    try:
        verify_image(path, CHECK_DECODE_SIZE)
    except ImageDecodeError as error:
        return Skipped(error.path, error.reason)
    return None


def _class_name(folder_name: str) -> str:
    """The class a folder name stands for: NFC (macOS writes NFD) and readable, as model files store it."""
    return readable(unicodedata.normalize("NFC", folder_name))


def _collect(root: Path, decode_check: bool, progress: Progress | None = None) -> tuple[DatasetScan, list[Path]]:
    root = Path(os.path.expanduser(str(root)))
    if not root.is_dir():
        raise DatasetError.said(NOT_A_FOLDER if root.exists() else FOLDER_NOT_FOUND, path=root)
    skipped: list[Skipped] = []
    folders = _class_folders(root, skipped)
    class_names = tuple(sorted({_class_name(name) for _, name, _ in folders}))
    labels = {name: label for label, name in enumerate(class_names)}
    candidates: list[ImageFile] = []
    ignored: list[Path] = []
    for split, name, folder in folders:
        visited = {os.path.realpath(root)}  # per class: a folder linked into two classes shows as duplicates
        photos, ignored_here = _walk_photos(folder, visited, skipped)
        ignored.extend(ignored_here)
        candidates.extend(ImageFile(path, labels[_class_name(name)], split) for path in photos)
    if decode_check:
        failures = map_in_chunks(_decode_failure, [file.path for file in candidates], CHECK_THREADS, progress)
        skipped.extend(failure for failure in failures if failure is not None)
        candidates = [file for file, failure in zip(candidates, failures) if failure is None]
    return DatasetScan(root, class_names, tuple(candidates), tuple(skipped)), ignored


def require_trainable(scan: DatasetScan) -> None:
    """Raise DatasetError unless there are two classes or more, each with a usable (training) photo."""
    if len(scan.class_names) == 1:
        raise DatasetError.said(ONE_CLASS, path=scan.root, name=scan.class_names[0])
    if not scan.class_names:
        raise DatasetError.said(NO_CLASSES, path=scan.root)
    counts = scan.counts()
    for name, count in counts.items():
        if count == 0:
            bad = [item for item in scan.skipped if Path(item.path).is_relative_to(scan.root)
                   and name in Path(item.path).relative_to(scan.root).parts[:2]]
            if bad:
                raise DatasetError.said(EMPTY_CLASS_SKIPPED, name=name, count=len(bad), file=bad[0].path,
                                        reason=bad[0].reason)
            raise DatasetError.said(EMPTY_CLASS, name=name)
    if scan.has_splits:
        for name, count in scan.counts("train").items():
            if count == 0:
                raise DatasetError.said(EMPTY_TRAIN_CLASS, name=name)


def scan_dataset(root: Path | str, decode_check: bool = True) -> DatasetScan:
    """Classes and photos of `root`. With `decode_check`, each photo is decoded once and bad ones are skipped.

    Raises:
        DatasetError: the folder is missing, has fewer than two classes, or a class has no usable photo.
    """
    scan, _ = _collect(Path(root), decode_check)
    require_trainable(scan)
    return scan


HEAD_BYTES = 8192  # photos that differ almost always differ in their first 8 KiB


def _content_hash(path: Path, limit: int | None = None) -> str:
    """blake2b of the file's bytes, or of its first `limit` bytes."""
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as stream:
        if limit is not None:
            digest.update(stream.read(limit))
        else:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def _same(files: list[ImageFile], key: Callable[[Path], object]) -> list[ImageFile]:
    """The files that share `key(path)` with another file."""
    keys = map_in_chunks(key, [file.path for file in files], CHECK_THREADS)
    counts = Counter(keys)
    return [file for file, value in zip(files, keys) if counts[value] > 1]


def find_duplicates(scan: DatasetScan) -> tuple[DuplicateGroup, ...]:
    """Groups of files with identical bytes. Cheap on large folders: only files that share their size, then
    their first 8 KiB, are read in full."""
    candidates = _same(list(scan.files), os.path.getsize)
    candidates = _same(candidates, lambda path: (os.path.getsize(path), _content_hash(path, HEAD_BYTES)))
    hashes = map_in_chunks(_content_hash, [file.path for file in candidates], CHECK_THREADS)
    by_hash: dict[str, list[ImageFile]] = defaultdict(list)
    for file, digest in zip(candidates, hashes):
        by_hash[digest].append(file)
    groups = []
    for files in by_hash.values():
        if len(files) < 2:
            continue
        kinds = []
        if len(files) > len({(file.label, file.split) for file in files}):
            kinds.append("within class")
        if len({file.label for file in files}) > 1:
            kinds.append("across classes")
        splits = sorted({file.split for file in files if file.split})
        if len(splits) > 1:
            kinds.append("across splits " + "/".join(splits))
        groups.append(DuplicateGroup(tuple(str(file.path) for file in files), tuple(kinds)))
    return tuple(sorted(groups, key=lambda group: group.paths))


def check_dataset(root: Path | str, progress: Progress | None = None) -> DatasetReport:
    """Decode every photo of `root` and report counts, skipped files, exact duplicates and imbalance.

    `progress(done, total)` follows the decoding, the slow part on a large folder.

    Raises:
        DatasetError: as scan_dataset.
    """
    scan, ignored = _collect(Path(root), decode_check=True, progress=progress)
    require_trainable(scan)
    return DatasetReport(scan, find_duplicates(scan), tuple(map(str, ignored)))


def dataset_fingerprint(scan: DatasetScan) -> str:
    """A stable hash of the class names and each photo's relative path and size: same folder, same hash."""
    digest = hashlib.sha256()
    digest.update("\n".join(scan.class_names).encode())
    for file in sorted(scan.files, key=lambda file: file.path.relative_to(scan.root).as_posix()):
        relative = file.path.relative_to(scan.root).as_posix()
        entry = f"\0{relative}\0{os.path.getsize(file.path)}\0{file.label}"
        digest.update(entry.encode("utf-8", "surrogateescape"))  # a name that is not UTF-8 hashes as its bytes
    return digest.hexdigest()
