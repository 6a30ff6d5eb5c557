"""Where sorting a folder starts: its own photos (not its subfolders'), the target's classes with their
photos as examples, and the photos copied before counted as sorted, so a sort goes on where it stopped."""

import pytest

from engine.data.photo_moves import PhotoMoves
from engine.data.sort_folder import ClassNameError, check_class_name, default_target, start_sorting
from tests.image_files import class_picture, write_image


def test_the_default_target_is_a_sibling_when_copying_and_the_folder_itself_when_moving(tmp_path):
    assert default_target(tmp_path / "phone", "copy") == tmp_path / "phone-sorted"
    assert default_target(tmp_path / "phone", "move") == tmp_path / "phone"


def test_a_sort_goes_on_where_it_stopped(tmp_path):
    source, target = tmp_path / "phone", tmp_path / "phone-sorted"
    for index in range(4):
        write_image(source / f"IMG_{index}.png", "png", class_picture(index % 2, 16, index))
    write_image(source / "album" / "old.png", "png", class_picture(0, 16))  # a subfolder's: not to sort
    (source / "notes.txt").write_text("not a photo")
    write_image(target / "dog" / "earlier.png", "png", class_picture(1, 16))
    PhotoMoves(target).add(source / "IMG_0.png", "cat")
    start = start_sorting(source, target)
    assert start.classes == ("cat", "dog")
    named = {path.rpartition("/")[2]: label for path, label in zip(start.photos, start.labels)}
    assert named == {"IMG_0.png": 0, "IMG_1.png": None, "IMG_2.png": None, "IMG_3.png": None, "earlier.png": 1}


def test_a_class_name_must_be_a_visible_folder_name_not_taken_yet():
    check_class_name("tabby cats", ["dog"])
    for bad in ("", ".hidden", "cat/kitten", "a\\b"):
        with pytest.raises(ClassNameError, match="cannot name a class folder"):
            check_class_name(bad, [])
    with pytest.raises(ClassNameError, match="there is a class named 'Dog' already"):
        check_class_name("Dog", ["dog"])
