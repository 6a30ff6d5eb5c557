"""Decoding rules shared by training and classification, on real files of every kind."""

import numpy as np
import pytest
from PIL import Image

from engine.data.images import ImageDecodeError, decode_image, is_image_name
from tests.image_files import BAD_KINDS, GOOD_KINDS, class_picture, write_image

SUFFIX = {"jpeg": "jpg", "cmyk_jpeg": "jpg", "exif_rotated": "jpg", "tiff": "tif", "grayscale": "png"}


@pytest.mark.parametrize("kind", GOOD_KINDS)
def test_every_good_kind_decodes_to_rgb(tmp_path, kind):
    path = write_image(tmp_path / f"photo.{SUFFIX.get(kind, kind.split('_')[0])}", kind)
    array = decode_image(path, size=40)
    assert array.shape == (40, 40, 3) and array.dtype == np.uint8
    assert array.std() > 1  # real picture content, not a blank


def test_colour_survives_decoding(tmp_path):
    pixels = class_picture(0, size=48)
    array = decode_image(write_image(tmp_path / "red.png", "png", pixels))
    np.testing.assert_array_equal(array, pixels)


def test_sixteen_bit_png_keeps_its_range(tmp_path):
    array = decode_image(write_image(tmp_path / "deep.png", "png_16bit"))
    assert array.max() > 100  # scaled from 16 bits, not clipped to white or black


def test_deep_and_float_photos_are_scaled_by_their_format_not_their_own_values(tmp_path):
    """A 16-bit value of 25,700 is 100 in 8 bits whatever the other pixels hold; a float TIFF runs 0-1."""
    dim = np.full((4, 4), 100 * 257, np.uint16)
    with_bright = dim.copy()
    with_bright[0, 0] = 65535
    for name, pixels in (("dim.png", dim), ("bright.png", with_bright)):
        Image.fromarray(pixels).save(tmp_path / name)
        assert decode_image(tmp_path / name)[1, 1].tolist() == [100, 100, 100]
    ramp = np.linspace(0, 1, 16, dtype=np.float32).reshape(4, 4)
    Image.fromarray(ramp, "F").save(tmp_path / "float.tif")
    decoded = decode_image(tmp_path / "float.tif")[..., 0]
    assert decoded[0, 0] == 0 and decoded[3, 3] == 255 and decoded[1, 3] == 119  # 7/15 of 255


def test_exif_orientation_is_applied(tmp_path):
    path = write_image(tmp_path / "phone.jpg", "exif_rotated", class_picture(1, size=30))
    assert decode_image(path).shape == (60, 30, 3)  # stored 60 wide x 30 high, shown rotated


def test_grayscale_output_for_one_channel_models(tmp_path):
    assert decode_image(write_image(tmp_path / "a.png", "png"), size=20, channels=1).shape == (20, 20, 1)


@pytest.mark.parametrize(
    "kind, reason",
    [("empty", "empty file"), ("truncated", "truncated"), ("corrupt", "corrupt"),
     ("text_as_jpg", "not a photo the app can open"), ("bomb", "too many pixels")],
)
def test_bad_files_raise_a_clear_reason(tmp_path, kind, reason):
    assert kind in BAD_KINDS
    path = write_image(tmp_path / f"bad_{kind}.jpg", kind)
    with pytest.raises(ImageDecodeError) as info:
        decode_image(path, size=32)
    assert reason in info.value.reason
    assert info.value.path == str(path) and str(path) in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(ImageDecodeError, match="not found"):
        decode_image(tmp_path / "gone.jpg")


def test_image_names():
    assert is_image_name("a/B.JPG") and is_image_name("x.webp") and is_image_name("고양이.png")
    assert not is_image_name("a/.hidden.jpg") and not is_image_name("notes.txt")
