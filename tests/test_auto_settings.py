"""Automatic settings for real small folders on faked machines: transfer learning where ImageNet weights are
at hand and the photos are ImageNet-like, a DenseNet-BC from scratch sized to the budget otherwise, and the
estimate they come with."""

import pytest

from engine.data.dataset import scan_dataset
from engine.model.compute import Device
from engine.model.pretrained import AT_HAND, DOWNLOADABLE, UNAVAILABLE
from engine.training.auto_settings import (
    LONG_TRAINING_S,
    DataProfile,
    SpeedModel,
    Workload,
    choose_settings,
    estimate,
    long_training_warning,
    merged_config,
    profile_scan,
    speed_model,
    target_epochs,
)
from tests.image_files import make_class_folders

AVX2 = Device("CPU (AVX2, oneDNN)", is_gpu=False, fast_bfloat16=False, fast_float16=False)
AMX = Device("CPU (AVX-512 BF16, oneDNN)", is_gpu=False, fast_bfloat16=True, fast_float16=False)
H100 = Device("GPU: NVIDIA H100", is_gpu=True, fast_bfloat16=True, fast_float16=True)
PHOTOS = DataProfile(photos=1_000, classes=10, typical_size=300, grey=False)
PRODUCTS = DataProfile(photos=60_000, classes=10, typical_size=28, grey=True)


def test_profile_reads_typical_size_and_greyness_of_a_real_folder(tmp_path):
    colour = make_class_folders(tmp_path / "colour", ("cat", "dog", "owl"), per_class=5, size=96, kind="jpeg")
    grey = make_class_folders(tmp_path / "grey", ("shirt", "shoe"), per_class=6, size=28, kind="grayscale")
    assert profile_scan(scan_dataset(colour, decode_check=False)) == DataProfile(15, 3, 96, False)
    assert profile_scan(scan_dataset(grey, decode_check=False)) == DataProfile(12, 2, 28, True)


def test_imagenet_transfer_when_the_weights_are_at_hand_for_colour_photos():
    for weights in (AT_HAND, DOWNLOADABLE):
        auto = choose_settings(PHOTOS, H100, weights, budget_minutes=10)
        assert (auto.variant, auto.input_size, auto.channels, auto.pretrained) == ("densenet121", 224, 3, "imagenet")
        assert auto.fine_tune_epochs >= 1  # a GPU has time to tune the last block
        assert "ImageNet weights" in auto.reason and auto.estimate_seconds <= 10 * 60


def test_from_scratch_when_no_weights_or_small_grey_pictures():
    offline = choose_settings(PHOTOS, AVX2, UNAVAILABLE, budget_minutes=10, cores=2)
    assert offline.pretrained is None and offline.variant.startswith("densenet-bc-")
    assert (offline.input_size, offline.channels) == (64, 3)  # photos of 300 px: the from-scratch cap
    products = choose_settings(PRODUCTS, AMX, AT_HAND, budget_minutes=15, cores=2)
    assert products.pretrained is None and (products.input_size, products.channels) == (28, 1)
    assert products.augment.flip and products.augment.rotation == products.augment.zoom == 0
    assert (products.augment.translate > 0) == (products.epochs >= 15)  # shifts only where epochs overfit
    assert products.val_split == 0.05  # 3,000 of 60,000 photos validate


def test_the_network_grows_with_the_budget_and_the_machine():
    depth = lambda auto: int(auto.variant.split("-")[2])  # noqa: E731
    short = choose_settings(PRODUCTS, AVX2, UNAVAILABLE, budget_minutes=5, cores=2)
    long = choose_settings(PRODUCTS, AVX2, UNAVAILABLE, budget_minutes=120, cores=2)
    gpu = choose_settings(PRODUCTS, H100, UNAVAILABLE, budget_minutes=5)
    assert depth(short) <= depth(long) <= depth(gpu)
    assert depth(short) < depth(gpu)
    assert "even the smallest" in short.reason or short.epochs >= target_epochs(57_000)


def test_estimate_is_the_sum_of_its_parts():
    # DenseNet-BC-10 (k=4) at 32 px, 10 classes: 1,242,714 multiply-adds, 156,819 activation values (test_cost)
    speed = SpeedModel(mac_rate=1e9, activation_rate=1e8)
    forward = 1_242_714 / 1e9 + 156_819 / 1e8
    work = Workload(train=800, val=200, photo_size=30)
    one = estimate("densenet-bc-10-k4", 32, 3, 1, work, speed, cores=2)
    ten = estimate("densenet-bc-10-k4", 32, 3, 10, work, speed, cores=2)
    assert one.training == pytest.approx(800 * 3 * forward + 200 * forward)
    assert ten.training == pytest.approx(10 * one.training) and ten.decoding == one.decoding
    assert one.decoding == pytest.approx(1000 * (0.8e-3 + 15e-9 * 1200) / 2)
    assert ten.total == pytest.approx(ten.start + ten.decoding + ten.training)
    transfer = estimate("densenet-bc-10-k4", 32, 3, 30, work, speed, cores=2, transfer=True, fine_tune_epochs=2)
    assert transfer.features == pytest.approx(1000 * forward)
    assert transfer.training == pytest.approx(2 * (800 * 5 / 3 + 200) * forward + 30 * 0.5)


def test_hand_picked_settings_keep_the_rest_automatic_and_long_ones_are_flagged(tmp_path):
    auto = choose_settings(PHOTOS, AVX2, AT_HAND, budget_minutes=10, cores=2)
    assert auto.pretrained == "imagenet"
    config = merged_config(auto, {"out": tmp_path / "m.keras", "variant": "densenet-bc-40-k12", "epochs": 7})
    assert (config.variant, config.pretrained, config.input_size, config.epochs) == ("densenet-bc-40-k12", None, 32, 7)
    assert config.automatic.startswith("DenseNet-BC (L=40, k=12) at 32 px, batch ")
    assert "up to 7 epochs within 10 min; automatic except epochs, variant" in config.automatic
    slow = merged_config(auto, {"out": tmp_path / "m.keras", "variant": "densenet201", "epochs": 50,
                                "pretrained": None, "time_budget": None})
    assert auto.max_epochs == auto.epochs  # transfer: head epochs are no budget question
    scratch = choose_settings(PRODUCTS, AVX2, UNAVAILABLE, budget_minutes=15, cores=2)
    assert scratch.config_options()["epochs"] == min(300, max(10, 2 * scratch.epochs))  # the budget decides
    warning = long_training_warning(slow, auto, PHOTOS, AVX2, cores=2)
    assert warning is not None and "Automatic would take about" in warning
    assert long_training_warning(config, auto, PHOTOS, AVX2, cores=2) is None  # the budget bounds it
    assert LONG_TRAINING_S == 1800


def test_a_small_folder_gets_a_batch_with_enough_steps_an_epoch_and_one_plan():
    """300 photos at batch 128 made two steps an epoch, and the run ended at chance (bench/small_folders.py)."""
    small = DataProfile(photos=300, classes=10, typical_size=28, grey=True)
    auto = choose_settings(small, AVX2, UNAVAILABLE, budget_minutes=2, cores=2)
    train_photos = round(300 * (1 - auto.val_split))
    assert auto.batch_size == 16 and train_photos // auto.batch_size >= 15
    assert auto.lr == pytest.approx(1e-3 * (16 / 32) ** 0.5, abs=1e-5)
    assert choose_settings(PRODUCTS, AVX2, UNAVAILABLE, budget_minutes=15, cores=2).batch_size == 128
    tiny = DataProfile(photos=20, classes=2, typical_size=28, grey=True)
    assert choose_settings(tiny, AVX2, UNAVAILABLE, budget_minutes=2, cores=2).batch_size == 16  # the floor
    # the training starts from the plan the summary states; the cap only bounds a re-fitted plan
    config = merged_config(auto, {"out": "m.keras"})
    assert config.planned_epochs == auto.epochs and config.epochs == auto.max_epochs > auto.epochs
    assert config.patience == 0  # the budget ends it; 60 noisy validation photos do not
    assert f"{auto.epochs} epochs" in auto.summary
    assert merged_config(auto, {"out": "m.keras", "epochs": 7}).planned_epochs is None  # the user's epochs


def test_a_measured_speed_factor_replaces_the_table():
    measured = Device(AVX2.name, False, False, False, speed_factor=2.0)
    assert speed_model(measured, cores=2).mac_rate == pytest.approx(2 * speed_model(AVX2, cores=2).mac_rate)
    faster = choose_settings(PRODUCTS, measured, UNAVAILABLE, budget_minutes=15, cores=2)
    slower = choose_settings(PRODUCTS, AVX2, UNAVAILABLE, budget_minutes=15, cores=2)
    assert int(faster.variant.split("-")[2]) >= int(slower.variant.split("-")[2])
    assert faster.epochs > slower.epochs or faster.variant != slower.variant


def test_a_folder_too_small_to_judge_a_score_trains_on_every_photo():
    tiny = choose_settings(DataProfile(photos=100, classes=10, typical_size=28, grey=True), AVX2, UNAVAILABLE,
                           budget_minutes=2, cores=2)
    assert tiny.val_split == 0.0 and "every photo trains it" in tiny.reason and "test/ folder" in tiny.reason
    two = choose_settings(DataProfile(photos=150, classes=2, typical_size=28, grey=True), AVX2, UNAVAILABLE,
                          budget_minutes=2, cores=2)
    assert two.val_split == 0.2 and "every photo" not in two.reason  # 30 photos, 15 a class: enough to judge
    digits = choose_settings(DataProfile(photos=300, classes=10, typical_size=32, grey=True), AVX2, UNAVAILABLE,
                             budget_minutes=2, cores=2)  # 60 photos would be 6 a class
    assert digits.val_split == 0.0 and "fewer than the 100 photos a score needs" in digits.reason
    ten = choose_settings(DataProfile(photos=500, classes=10, typical_size=32, grey=True), AVX2, UNAVAILABLE,
                          budget_minutes=2, cores=2)
    assert ten.val_split == 0.2


def test_many_passes_over_few_photos_blend_them_in_pairs():
    few = choose_settings(DataProfile(photos=100, classes=10, typical_size=28, grey=True), AVX2, UNAVAILABLE,
                          budget_minutes=2, cores=2)
    assert few.epochs >= 100 and few.augment.mixup == 1.0 and "blended in pairs" in few.reason
    many = choose_settings(PRODUCTS, AVX2, UNAVAILABLE, budget_minutes=15, cores=2)
    assert many.epochs < 100 and many.augment.mixup == 0.0 and "blended" not in many.reason
    photos = choose_settings(PHOTOS, AVX2, UNAVAILABLE, budget_minutes=10, cores=2)  # larger pictures alike
    assert photos.augment.mixup == (1.0 if photos.epochs >= 100 else 0.0)
