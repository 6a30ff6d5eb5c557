"""Scanning and checking class folders written as real image files: good and bad kinds, Korean names,
split layouts, exact duplicates, symlink loops, and the `check` command."""

import json
import os
import shutil

import pytest

from engine.cli import main
from engine.data.dataset import (
    DatasetError,
    DatasetScan,
    ImageFile,
    check_dataset,
    dataset_fingerprint,
    find_duplicates,
    scan_dataset,
)
from engine.data.images import NOT_A_PHOTO, ImageDecodeError, decode_image
from tests.image_files import BAD_KINDS, GOOD_KINDS, class_picture, make_class_folders, write_image
from tests.test_images import SUFFIX


def _suffix(kind: str) -> str:
    return SUFFIX.get(kind, kind.split("_")[0])


def test_every_good_kind_is_used_and_every_bad_kind_is_skipped_with_its_reason(tmp_path):
    root = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=2, size=24)
    for index, kind in enumerate(GOOD_KINDS):
        write_image(root / "cat" / f"good_{kind}.{_suffix(kind)}", kind, class_picture(0, 24, 100 + index))
    for kind in BAD_KINDS:
        write_image(root / "dog" / f"bad_{kind}.jpg", kind)
    scan = scan_dataset(root)
    assert scan.counts() == {"cat": 2 + len(GOOD_KINDS), "dog": 2}
    reasons = {os.path.basename(item.path): item.reason for item in scan.skipped}
    assert set(reasons) == {f"bad_{kind}.jpg" for kind in BAD_KINDS}
    assert "empty file" in reasons["bad_empty.jpg"] and "truncated" in reasons["bad_truncated.jpg"]
    assert "corrupt" in reasons["bad_corrupt.jpg"] and reasons["bad_text_as_jpg.jpg"] == NOT_A_PHOTO
    assert "too many pixels" in reasons["bad_bomb.jpg"]
    assert not any("Pillow" in reason for reason in reasons.values())  # plain words, no library names
    assert all(item.path.startswith(str(root / "dog")) for item in scan.skipped)


def test_korean_class_names_are_sorted_classes(tmp_path):
    root = make_class_folders(tmp_path / "동물", ("호랑이", "고양이", "강아지"), per_class=2, size=16)
    scan = scan_dataset(root)
    assert scan.class_names == ("강아지", "고양이", "호랑이")
    assert {file.label for file in scan.files} == {0, 1, 2}
    assert all(scan.class_names[file.label] == file.path.parent.name for file in scan.files)


def test_hidden_and_non_image_files_are_ignored_and_nested_folders_belong_to_their_class(tmp_path):
    root = make_class_folders(tmp_path / "pets", per_class=2, size=16)
    (root / "cat" / "notes.txt").write_text("not a photo")
    write_image(root / "cat" / ".hidden.png", "png")
    write_image(root / ".thumbnails" / "x.png", "png")
    write_image(root / "__MACOSX" / "cat" / "._000.png", "png")
    write_image(root / "cat" / "2025" / "summer.png", "png")
    write_image(root / "readme.png", "png")  # a loose file at the top is not a class
    report = check_dataset(root)
    assert report.scan.class_names == ("cat", "dog")
    assert report.scan.counts() == {"cat": 3, "dog": 2}
    assert len(report.ignored) == 2 and report.scan.skipped == ()


def test_split_layout_is_recognised(tmp_path):
    make_class_folders(tmp_path / "data" / "train", ("cat", "dog"), per_class=4, size=16)
    make_class_folders(tmp_path / "data" / "val", ("cat", "dog"), per_class=2, size=16, seed=50)
    make_class_folders(tmp_path / "data" / "test", ("cat",), per_class=1, size=16, seed=90)
    scan = scan_dataset(tmp_path / "data")
    assert scan.class_names == ("cat", "dog") and scan.has_splits
    assert scan.counts("train") == {"cat": 4, "dog": 4}
    assert scan.counts("val") == {"cat": 2, "dog": 2}
    assert scan.counts("test") == {"cat": 1, "dog": 0}
    report = check_dataset(tmp_path / "data").to_dict()
    assert report["classes"] == {"cat": 7, "dog": 6}
    assert report["splits"]["val"] == {"cat": 2, "dog": 2}


def test_a_folder_of_datasets_picked_one_level_too_high_says_which_folder_was_meant(tmp_path, capsys):
    data = tmp_path / "downloads"  # train/ and test/ beside a folder the split layout does not know
    for split, seed in (("train", 0), ("test", 50), ("sample", 90)):
        make_class_folders(data / split, ("cat", "dog"), per_class=2, size=16, seed=seed)
    report = check_dataset(data)
    assert report.scan.class_names == ("sample", "test", "train")  # what it would train on, without the hint
    assert report.one_level_too_high == {"path": str(data), "folders": "train/, sample/, test/",
                                         "classes": "cat, dog", "suggested": str(data / "train")}
    assert main(["check", str(data)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"{data} looks like a folder of datasets")
    assert f"Did you mean {data / 'train'}?" in printed
    assert main(["check", str(data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["one_level_too_high"]["suggested"] == str(data / "train")
    # a true class folder layout with alike subfolders (no training split among them), and a split layout: no hint
    pets = tmp_path / "pets"
    for name in ("cat", "dog"):
        make_class_folders(pets / name, ("indoor", "outdoor"), per_class=1, size=16)
    assert check_dataset(pets).one_level_too_high is None
    assert check_dataset(data / "train").one_level_too_high is None
    shutil.rmtree(data / "sample")
    assert check_dataset(data).scan.has_splits and check_dataset(data).one_level_too_high is None


def test_split_layout_needs_training_images_for_every_class(tmp_path):
    make_class_folders(tmp_path / "data" / "train", ("cat",), per_class=2, size=16)
    make_class_folders(tmp_path / "data" / "val", ("cat", "dog"), per_class=2, size=16)
    with pytest.raises(DatasetError, match="'dog' has no image in the train/"):
        scan_dataset(tmp_path / "data")


def test_duplicates_within_a_class_across_classes_and_across_splits(tmp_path):
    root = tmp_path / "data"
    make_class_folders(root / "train", ("cat", "dog"), per_class=3, size=16)
    make_class_folders(root / "val", ("cat", "dog"), per_class=2, size=16, seed=40)
    shutil.copy(root / "train" / "cat" / "000.png", root / "train" / "cat" / "copy.png")
    shutil.copy(root / "train" / "cat" / "001.png", root / "train" / "dog" / "copy.png")
    shutil.copy(root / "train" / "dog" / "002.png", root / "val" / "dog" / "leak.png")
    groups = {tuple(os.path.relpath(path, root) for path in group.paths): group.kinds
              for group in check_dataset(root).duplicates}
    assert groups == {
        ("train/cat/000.png", "train/cat/copy.png"): ("within class",),
        ("train/cat/001.png", "train/dog/copy.png"): ("across classes",),
        ("train/dog/002.png", "val/dog/leak.png"): ("across splits train/val",),
    }


def test_files_alike_in_size_and_first_bytes_are_no_duplicates_unless_all_bytes_match(tmp_path):
    head = bytes(range(256)) * 40  # 10 KiB shared, more than the part compared first
    paths = [tmp_path / name for name in ("a.bin", "b.bin", "c.bin")]
    for path, tail in zip(paths, (b"one", b"two", b"one")):
        path.write_bytes(head + tail)
    scan = DatasetScan(tmp_path, ("x",), tuple(ImageFile(path, 0) for path in paths), ())
    assert [group.paths for group in find_duplicates(scan)] == [(str(paths[0]), str(paths[2]))]


def test_a_symlink_loop_does_not_hang_and_a_dangling_link_is_skipped(tmp_path):
    root = make_class_folders(tmp_path / "pets", per_class=2, size=16)
    os.symlink(root / "cat", root / "cat" / "again")
    os.symlink(root, root / "dog" / "everything")
    os.symlink(root / "cat" / "gone.png", root / "cat" / "dangling.png")
    scan = scan_dataset(root)
    assert scan.counts() == {"cat": 2, "dog": 2}
    assert [(os.path.basename(item.path), item.reason) for item in scan.skipped] == [
        ("dangling.png", "symbolic link to nothing (broken, or a loop)")]


def test_fewer_than_two_classes_is_a_clear_error(tmp_path):
    make_class_folders(tmp_path / "one", ("cat",), per_class=2, size=16)
    with pytest.raises(DatasetError, match=r"at least two class subfolders \(one per class\), found only 'cat'"):
        scan_dataset(tmp_path / "one")
    with pytest.raises(DatasetError, match="folder not found"):
        scan_dataset(tmp_path / "missing")


def test_a_class_with_only_bad_files_is_a_clear_error(tmp_path):
    root = make_class_folders(tmp_path / "pets", ("cat",), per_class=2, size=16)
    write_image(root / "dog" / "broken.jpg", "truncated")
    with pytest.raises(DatasetError) as info:
        check_dataset(root)
    message = str(info.value)
    assert "'dog' has no usable image" in message and "broken.jpg" in message and "\n" not in message


def test_imbalance_and_text_report(tmp_path):
    root = make_class_folders(tmp_path / "pets", ("cat",), per_class=6, size=16)
    make_class_folders(root, ("고양이", "dog"), per_class=2, size=16, seed=20)
    write_image(root / "dog" / "empty.jpg", "empty")
    report = check_dataset(root)
    assert report.imbalance["largest"] == "cat" and report.imbalance["ratio"] == 3.0
    text = report.to_text()
    assert "largest cat (6) / smallest dog (2) = 3x" in text
    assert f"{root / 'dog' / 'empty.jpg'}: empty file (0 bytes)" in text


def test_fingerprint_is_stable_and_follows_the_content(tmp_path):
    root = make_class_folders(tmp_path / "pets", per_class=2, size=16)
    first = dataset_fingerprint(scan_dataset(root))
    assert dataset_fingerprint(scan_dataset(root, decode_check=False)) == first
    moved = shutil.copytree(root, tmp_path / "elsewhere")
    assert dataset_fingerprint(scan_dataset(moved)) == first  # relative paths: the same folder anywhere
    write_image(root / "dog" / "new.png", "png")
    assert dataset_fingerprint(scan_dataset(root)) != first


def test_check_command_prints_json_and_exits_2_on_a_bad_folder(tmp_path, capsys):
    root = make_class_folders(tmp_path / "pets", ("cat", "고양이"), per_class=2, size=16)
    write_image(root / "cat" / "fake.jpg", "text_as_jpg")
    assert main(["check", str(root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["classes"] == {"cat": 2, "고양이": 2}
    assert report["skipped"] == [{"path": str(root / "cat" / "fake.jpg"), "reason": NOT_A_PHOTO}]
    assert report["duplicates"] == [] and report["imbalance"]["ratio"] == 1.0
    assert main(["check", str(tmp_path / "pets" / "cat")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("densenet-studio check: error:") and error.count("\n") == 1


def test_a_file_name_that_is_not_utf8_is_used_and_printed_escaped(tmp_path, capsys):
    root = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=2, size=16)
    write_image(root / "cat" / os.fsdecode(b"caf\xe9.png"), "png", class_picture(0, 16, 50))
    write_image(root / "dog" / os.fsdecode(b"bad\xff.jpg"), "truncated")
    write_image(root / os.fsdecode(b"owl\xe9") / "1.png", "png", class_picture(2, 16, 51))
    scan = scan_dataset(root)
    assert scan.class_names == ("cat", "dog", "owl\\xe9")
    assert scan.counts() == {"cat": 3, "dog": 2, "owl\\xe9": 1}
    assert main(["check", str(root)]) == 0  # capsys, like an English UTF-8 terminal, refuses what is not UTF-8
    text = capsys.readouterr().out
    assert f"{root / 'dog'}/bad\\xff.jpg: a damaged or incomplete photo" in text
    assert main(["check", str(root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["skipped"][0]["path"] == f"{root / 'dog'}/bad\\xff.jpg"
    assert report["classes"]["owl\\xe9"] == 1
    assert main(["check", str(tmp_path / os.fsdecode(b"gone\xe9"))]) == 2
    assert capsys.readouterr().err.endswith("gone\\xe9: folder not found\n")


def test_a_link_to_itself_is_skipped_with_its_reason(tmp_path, capsys):
    root = make_class_folders(tmp_path / "pets", per_class=2, size=16)
    os.symlink("self.png", root / "cat" / "self.png")
    os.symlink("loop", root / "loop")  # a class folder that is a link to itself
    report = check_dataset(root)
    assert report.scan.counts() == {"cat": 2, "dog": 2}
    assert [(os.path.basename(item.path), item.reason) for item in report.scan.skipped] == [
        ("loop", "symbolic link to nothing (broken, or a loop)"),
        ("self.png", "symbolic link to nothing (broken, or a loop)")]
    assert main(["check", str(root)]) == 0
    assert "self.png: symbolic link to nothing" in capsys.readouterr().out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_lost_class_folder_a_pipe_and_a_device_are_reported_by_what_they_are(tmp_path):
    root = make_class_folders(tmp_path / "pets", per_class=2, size=16)
    os.symlink(tmp_path / "moved-away", root / "bird")  # a class folder that was moved
    os.mkfifo(root / "cat" / "pipe.jpg")  # reading it would wait forever
    os.symlink("/dev/zero", root / "dog" / "zeros.png")  # reading it would never end
    scan = scan_dataset(root)
    assert scan.counts() == {"cat": 2, "dog": 2}
    assert [(os.path.basename(item.path), item.reason) for item in scan.skipped] == [
        ("bird", "symbolic link to nothing (broken, or a loop)"),
        ("pipe.jpg", "not a regular file (a pipe, a device or a socket)"),
        ("zeros.png", "not a regular file (a pipe, a device or a socket)")]
    with pytest.raises(ImageDecodeError, match="not a regular file"):
        decode_image(root / "cat" / "pipe.jpg")


def test_ignored_files_are_listed_by_name(tmp_path, capsys):
    root = make_class_folders(tmp_path / "pets", per_class=2, size=16)
    for name in ("cat/IMG_1.heic", "cat/drawing.svg", "dog/.DS_Store"):
        (root / name).write_bytes(b"not used")
    report = check_dataset(root)
    expected = [str(root / name) for name in ("cat/IMG_1.heic", "cat/drawing.svg", "dog/.DS_Store")]
    assert report.to_dict()["ignored"] == 3 and report.to_dict()["ignored_files"] == expected
    assert main(["check", str(root)]) == 0
    text = capsys.readouterr().out
    assert "Ignored: 3 hidden or non-image file(s)" in text
    assert all(f"  {path}\n" in text + "\n" for path in expected)
