"""Photo moves in a dataset folder: real renames, journaled, undone also after a restart, settled into the
system trash; a move that cannot be made leaves both places as they were, in one sentence."""

import errno
import os
from pathlib import Path

import pytest

from engine.data import photo_moves
from engine.data.dataset import scan_dataset
from engine.data.photo_moves import JOURNAL_FILE, STUDIO_FOLDER, MoveError, PhotoMoves
from tests.image_files import class_picture, make_class_folders, name_by_class, write_image


@pytest.fixture
def pets(tmp_path) -> Path:
    return name_by_class(make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=3, size=16))


def _photos(root: Path) -> dict[str, list[str]]:
    """Each class's photo names as the dataset scan sees them."""
    scan = scan_dataset(root, decode_check=False)
    named: dict[str, list[str]] = {name: [] for name in scan.class_names}
    for file in scan.files:
        named[scan.class_names[file.label]].append(file.path.name)
    return {name: sorted(files) for name, files in named.items()}


def _contents(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_a_relabel_and_a_removal_are_undone_in_reverse_order_after_a_restart(pets):
    before = _photos(pets)
    cat = sorted((pets / "cat").iterdir())[0]
    dog = sorted((pets / "dog").iterdir())[0]
    moves = PhotoMoves(pets)
    moved = moves.relabel(cat, "dog")
    assert moved == pets / "dog" / cat.name and moved.is_file() and not cat.exists()
    moves.remove(dog)
    after = _photos(pets)
    assert cat.name in after["dog"] and dog.name not in after["dog"] and cat.name not in after["cat"]
    assert (pets / STUDIO_FOLDER / JOURNAL_FILE).is_file()  # hidden: the scan above did not see it

    restarted = PhotoMoves(pets)  # the app started again: the journal still knows both moves
    assert [move.kind for move in restarted.moves] == ["relabelled", "removed"]
    assert restarted.undo().source == f"dog/{dog.name}" and dog.is_file()
    assert restarted.undo().source == f"cat/{cat.name}" and cat.is_file()
    assert _photos(pets) == before
    with pytest.raises(MoveError, match="nothing to undo since the last training"):
        restarted.undo()


def test_settling_sends_the_removed_photos_to_the_system_trash_and_ends_undo(pets):
    trash = Path(os.environ["XDG_DATA_HOME"]) / "Trash" / "files"
    photo = sorted((pets / "cat").iterdir())[0]
    content = photo.read_bytes()
    moves = PhotoMoves(pets)
    moves.remove(photo)
    moves.relabel(sorted((pets / "cat").iterdir())[0], "dog")
    assert moves.settle() == 1
    assert any(path.read_bytes() == content for path in trash.iterdir())  # in the trash, not deleted
    assert not (pets / STUDIO_FOLDER / JOURNAL_FILE).exists()
    assert PhotoMoves(pets).moves == []
    with pytest.raises(MoveError, match="nothing to undo"):
        PhotoMoves(pets).undo()


def test_a_name_clash_a_vanished_photo_and_a_refused_rename_move_nothing(pets, monkeypatch):
    cat = sorted((pets / "cat").iterdir())[0]
    (pets / "dog" / cat.name).write_bytes(b"another photo of the same name")
    before = _contents(pets)
    moves = PhotoMoves(pets)
    with pytest.raises(MoveError) as clash:
        moves.relabel(cat, "dog")
    assert str(clash.value) == f"{cat}: not moved, {pets / 'dog'} already has a photo of that name"
    with pytest.raises(MoveError, match="the photo is no longer there"):
        moves.relabel(pets / "cat" / "gone.png", "dog")

    def read_only(source, target):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(source))

    monkeypatch.setattr(photo_moves.os, "rename", read_only)
    with pytest.raises(MoveError) as refused:
        moves.remove(cat)
    assert str(refused.value) == f"{cat}: not moved ({os.strerror(errno.EROFS)})"
    assert _contents(pets) == before and moves.moves == []


def test_a_journal_that_cannot_be_written_puts_the_photo_back(pets, monkeypatch):
    cat = sorted((pets / "cat").iterdir())[0]
    before = _contents(pets)

    def full_disk(path, durable=True):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(photo_moves, "atomic_path", full_disk)
    moves = PhotoMoves(pets)
    with pytest.raises(MoveError, match="No space left on device"):
        moves.relabel(cat, "dog")
    assert _contents(pets) == before and moves.moves == []


def test_undo_of_a_photo_moved_away_meanwhile_is_one_sentence(pets):
    cat = sorted((pets / "cat").iterdir())[0]
    moves = PhotoMoves(pets)
    moved = moves.relabel(cat, "dog")
    moved.unlink()  # deleted by hand after the move
    with pytest.raises(MoveError, match=f"{cat}: not moved, the photo is no longer there"):
        moves.undo()
    assert len(moves.moves) == 1 and len(PhotoMoves(pets).moves) == 1  # still listed: nothing was undone


def test_photos_outside_the_folder_and_a_damaged_journal_are_refused(pets, tmp_path):
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(b"x")
    with pytest.raises(MoveError, match="it is not a photo of"):
        PhotoMoves(pets).relabel(outside, "dog")
    (pets / STUDIO_FOLDER).mkdir()
    (pets / STUDIO_FOLDER / JOURNAL_FILE).write_text('{"version": 1, "moves": [{"from": 1}]}', encoding="utf-8")
    with pytest.raises(MoveError, match="the list of photo moves is damaged") as damaged:
        PhotoMoves(pets)
    assert "\n" not in str(damaged.value)


def test_a_relabel_into_a_new_class_makes_its_folder_in_a_split_layout_too(tmp_path):
    root = tmp_path / "split"
    make_class_folders(root / "train", ("cat", "dog"), per_class=2, size=16)
    make_class_folders(root / "val", ("cat", "dog"), per_class=1, size=16)
    name_by_class(root)
    photo = sorted((root / "val" / "dog").iterdir())[0]
    moved = PhotoMoves(root).relabel(photo, "fox")
    assert moved == root / "val" / "fox" / photo.name  # within its split
    PhotoMoves(root).undo()
    assert photo.is_file() and not moved.exists()


def test_a_photo_from_elsewhere_is_copied_into_a_class_and_its_undo_trashes_only_the_copy(pets, tmp_path):
    outside = tmp_path / "downloads" / "fox-1.png"
    outside.parent.mkdir()
    outside.write_bytes((pets / "cat" / "cat-000.png").read_bytes())
    moves = PhotoMoves(pets)
    added = moves.add(outside, "fox")
    assert added == pets / "fox" / "fox-1.png" and added.read_bytes() == outside.read_bytes()
    assert "fox-1.png" in _photos(pets)["fox"] and outside.is_file()  # a copy: the photo stays where it was
    with pytest.raises(MoveError, match="already has a photo of that name"):
        moves.add(outside, "fox")
    PhotoMoves(pets).undo()  # after a restart too
    assert not added.exists() and outside.is_file()
    trash = Path(os.environ["XDG_DATA_HOME"]) / "Trash" / "files"
    assert any(path.name.startswith("fox-1") for path in trash.iterdir())
    split = PhotoMoves(pets).add(outside, "fox", layout_split="train")
    assert split == pets / "train" / "fox" / "fox-1.png"


def test_a_photo_moved_in_from_elsewhere_goes_back_there_on_undo_after_a_restart(pets, tmp_path):
    unsorted = tmp_path / "unsorted"
    unsorted.mkdir()
    photo = unsorted / "IMG_0001.png"
    content = (pets / "cat" / "cat-000.png").read_bytes()
    photo.write_bytes(content)
    moved = PhotoMoves(pets).move_in(photo, "fox")
    assert moved == pets / "fox" / "IMG_0001.png" and moved.read_bytes() == content and not photo.exists()
    assert "IMG_0001.png" in _photos(pets)["fox"]
    restarted = PhotoMoves(pets)
    assert [(move.kind, move.source) for move in restarted.moves] == [("moved_in", str(photo))]
    assert restarted.undo().kind == "moved_in"
    assert photo.read_bytes() == content and not moved.exists()
    assert PhotoMoves(pets).moves == []


def test_a_folder_is_sorted_in_place_by_moving_its_photos_into_class_folders_inside_it(tmp_path):
    folder = tmp_path / "holiday"
    for name in ("a.png", "b.png"):
        write_image(folder / name, "png", class_picture(0, 16))
    moves = PhotoMoves(folder)
    moves.move_in(folder / "a.png", "beach")
    moves.move_in(folder / "b.png", "city")
    assert _photos(folder) == {"beach": ["a.png"], "city": ["b.png"]}
    PhotoMoves(folder).undo()
    assert (folder / "b.png").is_file() and not (folder / "city" / "b.png").exists()


def test_a_failed_move_in_leaves_the_photo_where_it_was_and_the_folder_as_it_was(pets, tmp_path, monkeypatch):
    outside = tmp_path / "cat-000.png"  # the same name as a photo of the class
    outside.write_bytes(b"another photo")
    before = _contents(pets)
    moves = PhotoMoves(pets)
    with pytest.raises(MoveError, match="already has a photo of that name"):
        moves.move_in(outside, "cat")

    def read_only(source, target):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(source))

    monkeypatch.setattr(photo_moves.os, "rename", read_only)
    with pytest.raises(MoveError) as refused:
        moves.move_in(outside, "fox")
    assert refused.value.facts["errno"] == errno.EROFS  # the window says it in its own words
    assert outside.read_bytes() == b"another photo" and _contents(pets) == before and moves.moves == []


def test_a_move_in_from_another_disk_copies_then_removes_and_a_copy_that_fails_leaves_no_part(pets, tmp_path,
                                                                                              monkeypatch):
    def other_disk(source, target):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(source))

    monkeypatch.setattr(photo_moves.os, "rename", other_disk)
    photo = tmp_path / "far.png"
    photo.write_bytes(b"a photo on a USB stick")
    moved = PhotoMoves(pets).move_in(photo, "fox")
    assert moved.read_bytes() == b"a photo on a USB stick" and not photo.exists()
    PhotoMoves(pets).undo()  # back across the disks the same way
    assert photo.read_bytes() == b"a photo on a USB stick" and not moved.exists()

    def full_disk(source, target, **_kwargs):
        Path(target).write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(photo_moves.shutil, "copy2", full_disk)
    before = _contents(pets)
    with pytest.raises(MoveError, match="No space left on device"):
        PhotoMoves(pets).move_in(photo, "fox")
    assert photo.read_bytes() == b"a photo on a USB stick" and _contents(pets) == before
