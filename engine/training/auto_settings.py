"""Automatic training settings, chosen from the folder and the machine, with a reason and a duration estimate.

A learner who presses Start should get a good model in minutes without knowing what DenseNet-BC-52 or a
learning rate is. The choice, in order:

1. A time budget: the user's, or one suited to the folder's size (DEFAULT_BUDGETS).
2. ImageNet transfer learning (DenseNet-121 at 224 px) when its weights are at hand or downloadable, the
   photos are colour and at least TRANSFER_MIN_SIZE pixels (small grey pictures are not ImageNet's photos),
   and the frozen backbone's single pass over the folder fits in TRANSFER_FEATURE_SHARE of the budget. What
   the budget leaves after the head goes to fine-tuning the last dense block.
3. Otherwise a DenseNet-BC from scratch at the photos' own size (at most MAX_SCRATCH_SIZE), grey when the
   photos are, as deep as the budget allows while it still gets enough epochs (target_epochs).

Nothing here imports TensorFlow but settings_for_scan: the duration comes from engine.model.cost's multiply-adds and
activation counts and a SpeedModel's rates, scaled to this machine by engine.training.speed_probe's measurement.
"""

from __future__ import annotations

import dataclasses
import math
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from engine.data.augment import AugmentConfig
from engine.data.mirror_check import check_files
from engine.data.score_check import MIN_PHOTOS_TO_JUDGE
from engine.errors import QT_TRANSLATE_NOOP, Said
from engine.model.compute import Device, detect_device
from engine.model.cost import network_cost
from engine.model.pretrained import AT_HAND, DOWNLOADABLE, Availability, weights_availability
from engine.model.variants import DEFAULT_IMAGENET_VARIANT, IMAGENET_INPUT_SIZE, get_variant
from engine.training.train_config import IMAGENET_PRETRAINED, TrainConfig

TRANSFER_VARIANT, TRANSFER_SIZE = DEFAULT_IMAGENET_VARIANT, IMAGENET_INPUT_SIZE
TRANSFER_MIN_SIZE = 64
TRANSFER_FEATURE_SHARE = 0.5
TRANSFER_HEAD_EPOCHS = 30
MAX_FINE_TUNE_EPOCHS = 5
MAX_SCRATCH_SIZE = 64
SHIFT_FROM_EPOCHS = 15  # fewer epochs than this do not overfit a large folder: shifts would only slow learning
MIXUP_FROM_EPOCHS = 100  # this many passes over the same photos learn them by heart: blend pairs (engine.data.mixup)
MIXUP_ALPHA = 1.0  # blend shares drawn evenly from 0.5 to 1: better than 0.2 (bench/small_folders.py)
# From-scratch candidates, cheapest first (DenseNet-BC, k = 12 as in the paper's CIFAR networks).
SCRATCH_VARIANTS = ("densenet-bc-16-k12", "densenet-bc-22-k12", "densenet-bc-28-k12", "densenet-bc-40-k12",
                    "densenet-bc-52-k12", "densenet-bc-64-k12", "densenet-bc-100-k12")
# Minutes for a folder of at most N photos, when the user gives no budget.
DEFAULT_BUDGETS = ((2_000, 5.0), (10_000, 10.0), (50_000, 20.0), (math.inf, 30.0))
LONG_TRAINING_S = 30 * 60  # a manual setting estimated above this is flagged before Start
MAX_EPOCHS = 300
MIN_BATCH = 16
MIN_TRAINING_STEPS = 1_200
VALIDATION_SHARE = 0.2
MIN_VALIDATION_PER_CLASS = 10  # held-out photos a class, below which every photo trains instead
MIN_STEPS_PER_EPOCH = 16
START_S = 30.0  # TensorFlow import, model build and the traced first step
SAMPLE = 256  # photos whose headers are read to learn the typical size and colour

# The choice and its reason as the user reads them (AutoSettings.summary_said and .why): the CLI prints the
# English, the window fills the translated templates.
SUMMARY = QT_TRANSLATE_NOOP("EngineText", "{network} at {size} px, {how}, about {time} on this {where}")
TRANSFER_HOW = QT_TRANSLATE_NOOP("EngineText", "ImageNet transfer, {epochs}")
EPOCHS = QT_TRANSLATE_NOOP("EngineText", "{count} epochs")
ONE_EPOCH = QT_TRANSLATE_NOOP("EngineText", "1 epoch")
FINE_TUNE_EPOCHS = QT_TRANSLATE_NOOP("EngineText", "{count} fine-tune epochs")
ONE_FINE_TUNE_EPOCH = QT_TRANSLATE_NOOP("EngineText", "1 fine-tune epoch")
MINUTES = QT_TRANSLATE_NOOP("EngineText", "{minutes} min")
HOURS = QT_TRANSLATE_NOOP("EngineText", "{hours:.1f} h")
GREY = QT_TRANSLATE_NOOP("EngineText", "grey")
COLOUR = QT_TRANSLATE_NOOP("EngineText", "colour")
WEIGHTS_AT_HAND = QT_TRANSLATE_NOOP("EngineText", "ImageNet weights at hand")
WEIGHTS_DOWNLOADABLE = QT_TRANSLATE_NOOP("EngineText", "ImageNet weights downloadable (29 MB)")
TRANSFER_WHY = QT_TRANSLATE_NOOP("EngineText", "{photos} colour photos of about {size} px pass the trained network "
                                               "once (~{time}), then {fine_tune} epochs tune its last block")
PHOTOS_SEEN = QT_TRANSLATE_NOOP("EngineText", "{photos} {tone} photos of about {size} px, {classes} classes")
PHOTOS_SEEN_FEW = QT_TRANSLATE_NOOP("EngineText", "{photos} {tone} photos of about {size} px")
DEEPEST = QT_TRANSLATE_NOOP("EngineText", "the deepest DenseNet-BC that gets {wanted} epochs in {time}")
SMALLEST = QT_TRANSLATE_NOOP("EngineText", "even the smallest DenseNet-BC gets only {epochs} in {time}")
NO_MIRROR = QT_TRANSLATE_NOOP("EngineText", "no mirrored photos, since a mirror image looks like another class (as "
                                            "a mirrored 3 does)")
ALL_TRAIN = QT_TRANSLATE_NOOP("EngineText", "every photo trains it, since a fifth would be fewer than the {needed} "
                                            "photos a score needs (a test/ folder gives one)")
BLENDED = QT_TRANSLATE_NOOP("EngineText", "photos blended in pairs, since {epochs} would learn them by heart")


@dataclass(frozen=True)
class DataProfile:
    """What the choice needs to know about a folder."""

    photos: int  # usable photos that can train (a split layout's train/, else all)
    classes: int
    typical_size: int  # median shorter side in pixels
    grey: bool  # (nearly) every photo is greyscale
    val_photos: int = 0  # photos of the folder's own val/ split (0: a share of the photos is split off)
    mirror_keeps_class: bool = True  # a photo's mirror image still looks like its class (engine.data.mirror_check)


def _header(path: Path) -> tuple[int, bool] | None:
    from PIL import Image

    try:
        with Image.open(path) as image:
            return min(image.size), image.mode in ("1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F")
    except Exception:  # a bad photo: the check reports it, the profile just skips it
        return None


def profile_scan(scan, sample: int = SAMPLE) -> DataProfile:
    """The profile of an engine.data.dataset.DatasetScan: the headers of an even sample of photos are read, and up
    to engine.data.mirror_check.MAX_PHOTOS training photos decoded as thumbnails."""
    files = list(scan.files)
    train = [file for file in files if file.split in ("train", None)]
    mirror = check_files(tuple(file.path for file in train), tuple(file.label for file in train))
    step = max(1, len(files) // sample)
    headers = [found for found in map(_header, (file.path for file in files[::step])) if found is not None]
    sizes = [size for size, _ in headers] or [0]
    grey_share = sum(grey for _, grey in headers) / max(len(headers), 1)
    return DataProfile(photos=len(train), classes=len(scan.class_names), typical_size=int(statistics.median(sizes)),
                       grey=grey_share >= 0.95, val_photos=sum(file.split == "val" for file in files),
                       mirror_keeps_class=mirror is None or mirror.keeps_class)


@dataclass(frozen=True)
class SpeedModel:
    """Seconds per image ~ multiply-adds / mac_rate + activation values / activation_rate, per pass.

    A training step costs TRAIN_FACTOR forward passes. The rates are for the whole machine."""

    mac_rate: float
    activation_rate: float
    TRAIN_FACTOR = 3.0

    def seconds_per_image(self, variant: str, size: int, channels: int, training: bool) -> float:
        cost = network_cost(variant, size, channels, classes=10)
        one_pass = cost.macs / self.mac_rate + cost.activations / self.activation_rate
        return one_pass * (self.TRAIN_FACTOR if training else 1.0)


# Per-core rates, for float32 on a CPU without native bfloat16 and for bfloat16 on one with it, fitted to
# the trainings of bench/fashion_budget.py and bench/small_folders.py; engine.training.speed_probe scales
# them to the machine at hand. Small networks are bound by their activations, large ones by their
# multiply-adds. A GPU's rates are a guess until one is measured.
CPU_FLOAT32 = SpeedModel(mac_rate=17.5e9, activation_rate=0.4e9)
CPU_BFLOAT16 = SpeedModel(mac_rate=60e9, activation_rate=0.5e9)
GPU = SpeedModel(mac_rate=20e12, activation_rate=60e9)


def reference_speed(device: Device, cores: int | None = None) -> SpeedModel:
    """The rates engine.training.speed_probe's factor scales: a GPU's, or a float32 CPU's per-core rates times
    its cores."""
    if device.is_gpu:
        return GPU
    cores = cores or os.cpu_count() or 1
    return SpeedModel(CPU_FLOAT32.mac_rate * cores, CPU_FLOAT32.activation_rate * cores)


def speed_model(device: Device, cores: int | None = None) -> SpeedModel:
    """The rates for this device: the reference scaled by its measured speed factor, or, before one is
    measured, a table's guess (a CPU computing bfloat16 natively is faster)."""
    reference = reference_speed(device, cores)
    if device.speed_factor is not None:
        return SpeedModel(reference.mac_rate * device.speed_factor, reference.activation_rate * device.speed_factor)
    if device.is_gpu or not device.fast_bfloat16:
        return reference
    cores = cores or os.cpu_count() or 1
    return SpeedModel(CPU_BFLOAT16.mac_rate * cores, CPU_BFLOAT16.activation_rate * cores)


def default_budget(photos: int) -> float:
    return next(minutes for limit, minutes in DEFAULT_BUDGETS if photos <= limit)


def target_epochs(photos: int, batch: int = 1) -> int:
    """Epochs a from-scratch training wants: small folders need more passes, large ones fewer, and every
    folder at least MIN_TRAINING_STEPS optimizer steps at `batch` (at most MAX_EPOCHS). By epochs alone,
    100 photos got 60 epochs of 5 steps, too few updates to train a network from scratch: the deepest
    network that fitted them ended below an SVM on the pixels (bench/small_folders.py)."""
    by_size = min(60, max(8, round(12 * math.sqrt(20_000 / max(photos, 1)))))
    by_steps = math.ceil(MIN_TRAINING_STEPS / max(1, math.ceil(photos / batch)))
    return int(min(MAX_EPOCHS, max(by_size, by_steps)))


def photos_to_judge(classes: int) -> int:
    """Held-out photos a score needs: MIN_PHOTOS_TO_JUDGE in all, and MIN_VALIDATION_PER_CLASS of each class."""
    return max(MIN_PHOTOS_TO_JUDGE, MIN_VALIDATION_PER_CLASS * classes)


def validation_share(profile: DataProfile) -> float:
    """Photos split off for validation: 20 % of a small folder, down to about 3,000 photos of a large one; none
    where 20 % would be fewer than photos_to_judge(classes). A score on so few photos cannot tell a model from
    a guess (engine.data.score_check), nor one class's results from chance, and the photos train better: on 100
    Fashion-MNIST photos, training on all of them instead of 80 raised the held-out accuracy from 66 % to 71 %;
    on 300 scanned digits (10 classes), on all instead of 240, from 96.5 % to 98.1 % (bench/small_folders.py)."""
    if profile.val_photos or VALIDATION_SHARE * profile.photos < photos_to_judge(profile.classes):
        return 0.0
    return round(min(VALIDATION_SHARE, max(0.05, 3_000 / max(profile.photos, 1))), 3)


def batch_for(size: int, device: Device, train_photos: int | None = None) -> int:
    """The batch for pictures of `size` px: as large as the device runs well, halved (down to MIN_BATCH) until
    an epoch of `train_photos` has MIN_STEPS_PER_EPOCH steps. A folder of 240 photos at batch 128 took two
    steps an epoch, too few for its batch-norm statistics and schedule to settle (bench/small_folders.py)."""
    batch = (256 if size <= 64 else 64) if device.is_gpu else 128 if size <= 32 else 64 if size <= 64 else 32
    while train_photos is not None and batch > MIN_BATCH and train_photos < MIN_STEPS_PER_EPOCH * batch:
        batch //= 2
    return batch


def learning_rate_for(batch: int) -> float:
    """AdamW's peak rate: 1e-3 at batch 32, growing with the square root of the batch."""
    return round(1e-3 * math.sqrt(batch / 32), 5)


def augmentation_for(size: int, epochs: float, flip: bool = True) -> AugmentConfig:
    """Small pictures (product photos, digits) get flips, and shifts once there are epochs enough to overfit;
    rotation and zoom at that size blur away the few pixels that matter. Photos get the full set. No flips
    where a mirrored photo looks like another class (`flip` False): with flips, digits scored 1 point lower.
    Blended pairs (mixup) once the epochs are enough to learn the photos by heart: on 10 Fashion-MNIST photos
    a class (266 epochs planned), 72.6 % held-out accuracy against 69.8 % without, over 3 seeds
    (bench/small_folders.py)."""
    mixup = MIXUP_ALPHA if epochs >= MIXUP_FROM_EPOCHS else 0.0
    if size <= 40:
        return AugmentConfig(flip=flip, rotation=0.0, zoom=0.0, contrast=0.0,
                             translate=0.1 if epochs >= SHIFT_FROM_EPOCHS else 0.0, mixup=mixup)
    return AugmentConfig(flip=flip, mixup=mixup)


@dataclass(frozen=True)
class Estimate:
    """Seconds a training should take, by part."""

    decoding: float
    features: float
    training: float
    start: float = START_S

    @property
    def total(self) -> float:
        return self.decoding + self.features + self.training + self.start


# Seconds per photo and core to decode it into the cache: a fixed cost, plus one per pixel of a 4:3 photo
# whose shorter side is the typical size (bench/pipeline_throughput.py, bench/fashion_budget.py).
DECODE_FIXED_S, DECODE_PIXEL_S = 0.8e-3, 15e-9


@dataclass(frozen=True)
class Workload:
    """The photos one training passes over."""

    train: int
    val: int
    photo_size: int  # the typical shorter side, for the decoding time

    @classmethod
    def of(cls, profile: DataProfile, val_split: float) -> Workload:
        if profile.val_photos:
            return cls(profile.photos, profile.val_photos, profile.typical_size)
        train = round(profile.photos * (1 - val_split))
        return cls(train, profile.photos - train, profile.typical_size)


def estimate(variant: str, input_size: int, channels: int, epochs: int, work: Workload, speed: SpeedModel,
             cores: int | None = None, transfer: bool = False, fine_tune_epochs: int = 0) -> Estimate:
    """How long a training with these settings should take on the machine `speed` describes; with
    `transfer`, `epochs` are the classifier head's (about half a second each on cached features)."""
    cores = cores or os.cpu_count() or 1
    photos = work.train + work.val
    decoding = photos * (DECODE_FIXED_S + DECODE_PIXEL_S * 4 / 3 * work.photo_size ** 2) / cores
    forward = speed.seconds_per_image(variant, input_size, channels, training=False)
    if transfer:
        # fine-tuning trains the last dense block: about two thirds of a forward pass on top of the forward pass
        tune = (work.train * (1.0 + 2.0 / 3.0) + work.val) * forward * fine_tune_epochs
        return Estimate(decoding, photos * forward, tune + epochs * 0.5)
    per_epoch = work.train * forward * speed.TRAIN_FACTOR + work.val * forward
    return Estimate(decoding, 0.0, per_epoch * epochs)


@dataclass(frozen=True)
class AutoSettings:
    """The settings Automatic chose, the budget they fit, the estimate and the reason in one line."""

    variant: str
    input_size: int
    channels: int
    epochs: int  # the epochs the estimate expects; the cap the budget's plan may reach is max_epochs
    batch_size: int
    lr: float
    pretrained: str | None
    fine_tune_epochs: int
    val_split: float
    augment: AugmentConfig
    label_smoothing: float
    time_budget: float
    estimate_seconds: float
    why: tuple[Said, ...]  # the reason, clause by clause
    device: str = field(default="", compare=False)

    @property
    def reason(self) -> str:
        """The reason in one line, e.g. "ImageNet weights at hand; 300 colour photos of about 400 px ..."."""
        return "; ".join(item.text() for item in self.why)

    @property
    def max_epochs(self) -> int:
        """A from-scratch training within a budget runs as many epochs as fit (engine.training.schedule): the estimate
        may be off either way, so the cap is generous. Transfer learning's head epochs cost a second each."""
        return self.epochs if self.pretrained else min(MAX_EPOCHS, max(10, 2 * self.epochs))

    @property
    def summary(self) -> str:
        """E.g. "DenseNet-BC (L=52, k=12) at 32 px, 40 epochs, about 6 min on this CPU"."""
        return self.summary_said.text()

    @property
    def summary_said(self) -> Said:
        how = (Said(TRANSFER_HOW, {"epochs": epochs_said(self.fine_tune_epochs, fine_tune=True)}) if self.pretrained
               else epochs_said(self.epochs))
        return Said(SUMMARY, {"network": get_variant(self.variant).label, "size": self.input_size, "how": how,
                              "time": minutes_said(self.estimate_seconds),
                              "where": "GPU" if self.device.startswith("GPU") else "CPU"})

    def config_options(self) -> dict:
        """TrainConfig keyword arguments."""
        options = {name: getattr(self, name) for name in (
            "variant", "input_size", "channels", "batch_size", "lr", "pretrained", "fine_tune_epochs",
            "val_split", "augment", "label_smoothing", "time_budget")}
        options["epochs"] = self.max_epochs
        options["planned_epochs"] = None if self.pretrained else self.epochs
        # No early stopping: the budget ends the training, annealed, and the last epoch is kept. A patience of
        # a third of the plan stopped 300-photo folders at epoch 62-74 of 91-102 planned, on the noise of 60
        # validation photos, 2-3 points below the same runs to their end (bench/small_folders.py).
        options["patience"] = 0
        options["automatic"] = f"{self.summary}: {self.reason}"
        return options


def epochs_said(count: int, fine_tune: bool = False) -> Said:
    if count == 1:
        return Said(ONE_FINE_TUNE_EPOCH if fine_tune else ONE_EPOCH)
    return Said(FINE_TUNE_EPOCHS if fine_tune else EPOCHS, {"count": count})


def minutes_said(seconds: float) -> Said:
    """A duration as the user reads it: "6 min", "2.5 h" (`.text()` for the CLI; the window translates it)."""
    minutes = max(1, round(seconds / 60))
    return Said(MINUTES, {"minutes": minutes}) if minutes < 90 else Said(HOURS, {"hours": minutes / 60})


def _transfer(profile: DataProfile, device: Device, speed: SpeedModel, weights: Availability, budget_s: float,
              cores: int | None) -> AutoSettings | None:
    if weights not in (AT_HAND, DOWNLOADABLE) or profile.grey or profile.typical_size < TRANSFER_MIN_SIZE:
        return None
    val_split = validation_share(profile)
    work = Workload.of(profile, val_split)

    def transfer_estimate(head_epochs: int, fine_tune_epochs: int) -> Estimate:
        return estimate(TRANSFER_VARIANT, TRANSFER_SIZE, 3, head_epochs, work, speed, cores, True, fine_tune_epochs)

    plain = transfer_estimate(TRANSFER_HEAD_EPOCHS, 0)
    if plain.features > TRANSFER_FEATURE_SHARE * budget_s:
        return None
    one_tune = transfer_estimate(0, 1).training
    fine_tune = int(min(MAX_FINE_TUNE_EPOCHS, max(0.0, budget_s - plain.total) // max(one_tune, 1e-9)))
    batch = batch_for(TRANSFER_SIZE, device)
    total = transfer_estimate(TRANSFER_HEAD_EPOCHS, fine_tune).total
    return AutoSettings(
        TRANSFER_VARIANT, TRANSFER_SIZE, 3, TRANSFER_HEAD_EPOCHS, batch, 1e-3, IMAGENET_PRETRAINED, fine_tune,
        val_split, AugmentConfig(flip=profile.mirror_keeps_class), 0.1, round(budget_s / 60, 2), total,
        (Said(WEIGHTS_AT_HAND if weights == AT_HAND else WEIGHTS_DOWNLOADABLE),
         Said(TRANSFER_WHY, {"photos": profile.photos, "size": profile.typical_size,
                             "time": minutes_said(plain.features), "fine_tune": fine_tune})),
        device.name)


def _scratch(profile: DataProfile, device: Device, speed: SpeedModel, budget_s: float,
             cores: int | None) -> AutoSettings:
    size = max(16, min(MAX_SCRATCH_SIZE if not device.is_gpu else 2 * MAX_SCRATCH_SIZE, profile.typical_size or 32))
    size -= size % 4
    channels = 1 if profile.grey else 3
    val_split = validation_share(profile)
    work = Workload.of(profile, val_split)
    batch = batch_for(size, device, work.train)
    wanted = target_epochs(work.train, batch)

    def epochs_in_budget(variant: str) -> float:
        one = estimate(variant, size, channels, 1, work, speed, cores)
        return (budget_s - one.start - one.decoding) / max(one.training, 1e-9)

    fitting = [variant for variant in SCRATCH_VARIANTS if epochs_in_budget(variant) >= wanted]
    variant = fitting[-1] if fitting else SCRATCH_VARIANTS[0]
    epochs = int(max(1, min(MAX_EPOCHS, epochs_in_budget(variant))))
    total = estimate(variant, size, channels, epochs, work, speed, cores).total
    seen = {"photos": profile.photos, "tone": Said(GREY if profile.grey else COLOUR), "size": profile.typical_size,
            "classes": profile.classes}
    time = minutes_said(budget_s)
    why = [Said(PHOTOS_SEEN, seen), Said(DEEPEST, {"wanted": wanted, "time": time})] if fitting else [
        Said(PHOTOS_SEEN_FEW, seen), Said(SMALLEST, {"epochs": epochs_said(epochs), "time": time})]
    if not profile.mirror_keeps_class:
        why.append(Said(NO_MIRROR))
    if not val_split and not profile.val_photos:
        why.append(Said(ALL_TRAIN, {"needed": photos_to_judge(profile.classes)}))
    augment = augmentation_for(size, epochs, profile.mirror_keeps_class)
    if augment.mixup:
        why.append(Said(BLENDED, {"epochs": epochs_said(epochs)}))
    return AutoSettings(variant, size, channels, epochs, batch, learning_rate_for(batch), None, 0, val_split,
                        augment, 0.1, round(budget_s / 60, 2), total, tuple(why), device.name)


def choose_settings(profile: DataProfile, device: Device, weights: Availability, budget_minutes: float | None = None,
                    cores: int | None = None) -> AutoSettings:
    """The automatic settings for `profile` on `device`, within `budget_minutes` (None: default_budget).

    `weights` is engine.model.pretrained.weights_availability("densenet121"): AT_HAND, DOWNLOADABLE or UNAVAILABLE.
    """
    budget_s = 60.0 * (budget_minutes or default_budget(profile.photos))
    speed = speed_model(device, cores)
    return (_transfer(profile, device, speed, weights, budget_s, cores)
            or _scratch(profile, device, speed, budget_s, cores))


# The settings Automatic fills in whenever the user leaves one of them out.
AUTO_FIELDS = ("variant", "input_size", "epochs", "batch_size", "lr")


def needs_automatic(given: dict) -> bool:
    return any(name not in given for name in AUTO_FIELDS)


def merged_config(auto: AutoSettings, given: dict) -> TrainConfig:
    """The training: what the user gave (`given`, TrainConfig's keyword arguments, `out` among them), the
    automatic choice for the rest, and what TrainConfig holds by default for anything neither names.

    Naming another network than the automatic one drops what only fits the automatic one: its ImageNet start
    (unless asked for), its input size (the variant's own default instead) and grey input for ImageNet."""
    options = auto.config_options()
    variant = get_variant(given.get("variant", auto.variant))
    if variant.name != auto.variant:
        if "pretrained" not in given:
            options.update(pretrained=None, fine_tune_epochs=0)
        if variant.family != get_variant(auto.variant).family:
            options["input_size"] = variant.default_input_size
    options.update(given)
    if "epochs" in given or options.get("pretrained"):  # the estimate's plan is for Automatic's epochs only
        options["planned_epochs"] = None
    if options.get("pretrained"):
        options["channels"] = 3
    elif "fine_tune_epochs" not in given:  # from scratch, asked for: nothing to fine-tune
        options["fine_tune_epochs"] = 0
    config = TrainConfig(**options)
    by_hand = sorted(name for name in given if name in AUTO_FIELDS or name == "pretrained")
    if by_hand:  # the automatic summary no longer describes the training: say what it is now
        config = dataclasses.replace(
            config, automatic=f"{describe(config)}; automatic except {', '.join(by_hand)} ({auto.reason})")
    return config


def describe(config: TrainConfig) -> str:
    """One line for a training, e.g. "DenseNet-BC (L=16, k=12) at 28 px, grey, batch 128, lr 0.002, up to 300
    epochs within 15 min"."""
    parts = [f"{get_variant(config.variant).label} at {config.input_size} px"]
    if config.channels == 1:
        parts.append("grey")
    if config.transfer:
        parts.append(f"from ImageNet weights, {config.fine_tune_epochs} fine-tune epochs")
    parts.append(f"batch {config.batch_size}, lr {config.lr:g}")
    budget = config.time_budget
    parts.append(f"up to {config.epochs} epochs" + (f" within {budget:g} min" if budget else ""))
    return ", ".join(parts)


def estimate_config(config: TrainConfig, profile: DataProfile, device: Device, cores: int | None = None) -> Estimate:
    """The duration estimate of a training (hand-picked or automatic) for this folder and device."""
    return estimate(config.variant, config.input_size, config.channels, config.epochs,
                    Workload.of(profile, config.val_split), speed_model(device, cores), cores, config.transfer,
                    config.fine_tune_epochs)


def is_long(config: TrainConfig, seconds: float) -> bool:
    """Whether a training estimated at `seconds` is long enough to offer Automatic instead: over
    LONG_TRAINING_S with no time budget to bound it. The CLI warns, the Train tab shows it before Start."""
    return config.time_budget is None and seconds > LONG_TRAINING_S


def long_training_warning(config: TrainConfig, auto: AutoSettings, profile: DataProfile, device: Device,
                          cores: int | None = None) -> str | None:
    """A warning when hand-picked settings would train for long (is_long), offering the automatic ones."""
    seconds = estimate_config(config, profile, device, cores).total
    if not is_long(config, seconds):
        return None
    return (f"these settings would train for about {minutes_said(seconds).text()} on this machine; "
            f"Automatic would take about {minutes_said(auto.estimate_seconds).text()} ({auto.summary})")


def settings_for_scan(scan, budget_minutes: float | None = None, weights: Availability | None = None,
                      measure_speed: bool = True) -> tuple[AutoSettings, DataProfile, Device, str]:
    """The automatic settings for a scanned folder (engine.data.dataset.DatasetScan) on this machine, with the
    profile, device (its speed measured once per machine: engine.training.speed_probe) and weights' availability they
    rest on. Imports TensorFlow to see the device; probes the weights host unless `weights` is given. The CLI
    and the Train tab both ask here. Without `measure_speed` the rates are the table's: the workers of a
    cluster must choose the same settings, which their own measurements would not promise."""
    from engine.training.speed_probe import probe_speed

    device = detect_device()
    if measure_speed:
        device = dataclasses.replace(device, speed_factor=probe_speed(device, reference_speed(device)).factor)
    weights = weights or weights_availability(TRANSFER_VARIANT)
    profile = profile_scan(scan)
    return choose_settings(profile, device, weights, budget_minutes), profile, device, weights
