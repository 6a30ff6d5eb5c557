"""The mirror check on real photo files: arrows pointing left and right (a mirrored photo is the other class)
turn Automatic's flips off; round and square shapes (a mirrored photo is still its class) keep them."""

import numpy as np

from engine.data.dataset import scan_dataset
from engine.data.mirror_check import MirrorCheck, check_files, check_pixels
from engine.model.compute import Device
from engine.model.pretrained import UNAVAILABLE
from engine.training.auto_settings import choose_settings, profile_scan
from tests.image_files import write_image

CPU = Device("CPU (AVX2, oneDNN)", is_gpu=False, fast_bfloat16=False, fast_float16=False)
SIZE = 32


def _arrow(rng: np.random.Generator, right: bool) -> np.ndarray:
    """A bright triangle with its tip to the left (or right), jittered in place and size, on a dark background."""
    picture = rng.integers(0, 40, (SIZE, SIZE), dtype=np.uint8)
    length, middle, tip = int(rng.integers(14, 20)), int(rng.integers(13, 19)), int(rng.integers(4, 9))
    for column in range(length):  # the triangle widens from its tip to its base
        picture[max(0, middle - column // 2):middle + column // 2 + 1, tip + column] = 220
    return picture[:, ::-1] if right else picture


def _round_or_square(rng: np.random.Generator, round_: bool) -> np.ndarray:
    picture = rng.integers(0, 40, (SIZE, SIZE), dtype=np.uint8)
    centre, radius = SIZE / 2 + rng.normal(0, 1.5), rng.uniform(7, 10)
    rows, columns = np.mgrid[:SIZE, :SIZE]
    inside = ((rows - centre) ** 2 + (columns - SIZE / 2) ** 2 <= radius ** 2 if round_
              else (abs(rows - centre) <= radius) & (abs(columns - SIZE / 2) <= radius * 0.6))
    picture[inside] = 220
    return picture


def _rgb(grey: np.ndarray) -> np.ndarray:
    return np.repeat(grey[..., None], 3, axis=-1).astype(np.uint8)


def _folder(root, classes, draw, per_class=20):
    rng = np.random.default_rng(0)
    for label, name in enumerate(classes):
        for index in range(per_class):
            write_image(root / name / f"{index:03d}.png", "grayscale", _rgb(draw(rng, bool(label))))
    return root


def test_mirrored_arrows_look_like_the_other_class(tmp_path):
    folder = _folder(tmp_path / "arrows", ("left", "right"), _arrow)
    scan = scan_dataset(folder, decode_check=False)
    check = check_files(tuple(file.path for file in scan.files), tuple(file.label for file in scan.files))
    assert check.accuracy >= 0.8 and check.mirrored_accuracy <= 0.3 and not check.keeps_class
    profile = profile_scan(scan)
    assert not profile.mirror_keeps_class
    auto = choose_settings(profile, CPU, UNAVAILABLE, budget_minutes=1, cores=2)
    assert not auto.augment.flip and "mirror image looks like another class" in auto.reason


def test_mirrored_round_and_square_shapes_keep_their_class(tmp_path):
    folder = _folder(tmp_path / "shapes", ("round", "square"), _round_or_square)
    scan = scan_dataset(folder, decode_check=False)
    check = check_files(tuple(file.path for file in scan.files), tuple(file.label for file in scan.files))
    assert check.accuracy >= 0.9 and check.keeps_class
    auto = choose_settings(profile_scan(scan), CPU, UNAVAILABLE, budget_minutes=1, cores=2)
    assert auto.augment.flip and "mirror" not in auto.reason


def test_no_clear_lead_over_guessing_keeps_flips():
    """Noise that no class mean tells apart says nothing about mirrors: flips stay."""
    rng = np.random.default_rng(1)
    check = check_pixels(rng.integers(0, 255, (40, 16, 16)), np.repeat([0, 1], 20))
    assert check.accuracy - check.chance < 0.15 and check.keeps_class
    assert MirrorCheck(accuracy=0.9, mirrored_accuracy=0.3, chance=0.1, photos=300).keeps_class is False
    assert MirrorCheck(accuracy=0.7, mirrored_accuracy=0.5, chance=0.1, photos=300).keeps_class is True


def test_too_few_photos_to_check(tmp_path):
    write_image(tmp_path / "a" / "1.png", pixels=np.zeros((8, 8, 3), np.uint8))
    write_image(tmp_path / "b" / "1.png", pixels=np.zeros((8, 8, 3), np.uint8))
    assert check_files((tmp_path / "a" / "1.png", tmp_path / "b" / "1.png"), (0, 1)) is None
