"""`check --label-issues` and the Train tab's "Find label problems": out-of-sample class probabilities for every
photo of a labelled folder, by k-fold cross-validation, then the ranking of engine.data.label_problems.

A photo's probabilities come from a model that never saw it, so a wrong label cannot teach the model to agree
with it. Two ways, chosen by what is at hand:
- ImageNet weights (bundled, in the Keras cache, or a weights file given): one pass of the frozen DenseNet-121
  backbone over every photo, then k logistic regressions on its features; seconds after the pass.
- Otherwise k small trainings of the app's own Automatic recipe, each on the other k-1 folds within its share of
  the time budget, through views of the folder made of links (nothing copied, and the photo cache, keyed by
  content, decodes each photo once for all folds); their answers are averaged with those of a logistic
  regression on the photos' pixels, fitted on the same folds.
Either way the features for look-alikes and outliers are those of the backbone, or of the last fold's network.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.data.dataset import DatasetError, ImageFile, scan_dataset
from engine.data.label_problems import (
    DEFAULT_BUDGET_MINUTES,
    DEFAULT_FOLDS,
    LabelCheckStopped,
    LabelReport,
    label_issues,
    look_alikes,
)
from engine.data.pipeline import DataConfig, cache_files, entry_batches, release_cache
from engine.model.compute import FLOAT32
from engine.model.modelfile import load_model
from engine.model.pretrained import UNAVAILABLE, PretrainedError, imagenet_weights_file
from engine.model.variants import IMAGENET_INPUT_SIZE, get_variant
from engine.runtime.stop import StopSignal, StopToken
from engine.training.auto_settings import TRANSFER_VARIANT, merged_config, settings_for_scan
from engine.training.trainer import train

# The budget holds the whole check: each fold's training gets its share less the time the folds so far spent
# outside their trainings (settings, loading, scoring), guessed for the first fold as a share of its time;
# the features and the pixel model at the end take seconds (bench/label_issues.py: the check's wall time
# against the budget).
FIRST_OVERHEAD_SHARE = 0.25
FINAL_SECONDS = 10.0
MIN_FOLD_MINUTES = 0.1
BATCH = 32
# The networks trained on a few hundred photos within seconds are weak (bench/label_issues.py: 61-83 % of
# held-out answers agree with the labels); averaged with a logistic regression on the photos' pixels at 32 px
# their answers find more of the moved labels than either alone, and than cleanlab over an SVM on pixels.
PIXEL_SIZE = 32
PIXEL_C = 0.1
FEATURE_C = 0.1  # the same L2 strength on the standardised ImageNet features
Progress = Callable[[int, int], None]  # (folds done, folds), or (photos done, photos) during the backbone's pass


@dataclass(frozen=True)
class Cache:
    """The studio cache the check decodes photos into (None: the user's, at its default limit)."""

    folder: Path | None = None
    limit: int | None = None


@dataclass(frozen=True)
class Backbone:
    """The ImageNet backbone whose features the check uses when its weights are at hand: `weights_path` (a
    keras.applications-style file without classifier), else the bundled or cached copy; never downloaded."""

    variant: str = TRANSFER_VARIANT
    input_size: int = IMAGENET_INPUT_SIZE
    weights_path: Path | str | None = None

    def weights(self) -> Path | None:
        """The weights file at hand, or None when there is none."""
        try:
            return imagenet_weights_file(self.variant, include_top=False, weights_path=self.weights_path, fetch=False)
        except PretrainedError:
            if self.weights_path is not None:
                raise
            return None


def _pixel_batches(files: Sequence[ImageFile], size: int, channels: int, cache: Cache):
    """The files' uint8 pixel batches, decoded once through the photo cache; the cache keeps its size limit
    again only once they are read (earlier, it could drop entries still to be read).

    Raises:
        DatasetError: a photo that the folder's scan decoded cannot be read any more.
    """
    config = DataConfig(size, channels, BATCH, val_split=0.0, cache_dir=cache.folder, cache_limit=cache.limit)
    usable, entries, skipped, _ = cache_files(files, config)
    try:
        if skipped:
            raise DatasetError(f"{skipped[0].path}: {skipped[0].reason} (it changed during the label check)")
        for images, _ in entry_batches(entries, [file.label for file in usable], config,
                                       shuffle=False).as_numpy_iterator():
            yield images.astype(np.uint8)
    finally:
        release_cache(config)


def _folds(labels: np.ndarray, folds: int, seed: int) -> list[np.ndarray]:
    """Each photo's fold, stratified: every class spread over the folds as evenly as it can be."""
    from sklearn.model_selection import StratifiedKFold

    smallest = int(np.bincount(labels).min())
    splitter = StratifiedKFold(n_splits=max(2, min(folds, smallest)), shuffle=True, random_state=seed)
    return [held_out for _, held_out in splitter.split(np.zeros(len(labels)), labels)]


def _link_view(root: Path, files: Sequence[ImageFile], class_names: tuple[str, ...]) -> None:
    """ROOT/<class>/<n>-<name> for each file: a link where the system allows one, else a copy."""
    for number, file in enumerate(files):
        target = root / class_names[file.label] / f"{number:06d}-{file.path.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.symlink(file.path.resolve(), target)
        except OSError:  # Windows without developer mode
            shutil.copyfile(file.path, target)


def _from_trainings(files: list[ImageFile], class_names: tuple[str, ...], held_outs: list[np.ndarray],
                    deadline: float, seed: int, cache: Cache, progress: Progress, stop: StopSignal):
    """Out-of-sample probabilities from k trainings, averaged with those of a linear model on the photos' pixels,
    and features of every photo from the last training's network."""
    probabilities = np.zeros((len(files), len(class_names)), dtype=np.float32)
    overheads: list[float] = []  # each fold's seconds outside its training: settings, loading, scoring
    with tempfile.TemporaryDirectory(prefix="densenet-studio-label-check-") as work:
        for fold, held_out in enumerate(held_outs):
            if stop.is_set():
                raise LabelCheckStopped("the label check was stopped")
            folds_left = len(held_outs) - fold
            seconds = (deadline - time.monotonic()) / folds_left
            overhead = np.mean(overheads) if overheads else seconds * FIRST_OVERHEAD_SHARE
            minutes = max(MIN_FOLD_MINUTES, (seconds - overhead - FINAL_SECONDS / folds_left) / 60)
            fold_started = time.monotonic()
            view = Path(work) / f"fold-{fold}"
            training = [files[index] for index in np.setdiff1d(np.arange(len(files)), held_out)]
            _link_view(view / "photos", training, class_names)
            auto = settings_for_scan(scan_dataset(view / "photos", decode_check=False), minutes, UNAVAILABLE)[0]
            config = merged_config(auto, {"out": view / "model.keras", "seed": seed + fold,
                                          "cache_dir": cache.folder, "cache_limit": cache.limit})
            trained = time.monotonic()
            train(view / "photos", config, stop=stop)
            training_seconds = time.monotonic() - trained
            if stop.is_set():
                raise LabelCheckStopped("the label check was stopped")
            studio_model = load_model(view / "model.keras")
            probabilities[held_out] = _predict(studio_model, [files[index] for index in held_out], cache)
            overheads.append(time.monotonic() - fold_started - training_seconds)
            progress(fold + 1, len(held_outs))
        features = _network_features(studio_model, files, cache)
    pixels = np.concatenate([images.reshape(len(images), -1) / 255.0
                             for images in _pixel_batches(files, PIXEL_SIZE, studio_model.channels, cache)])
    probabilities = (probabilities + _fold_regressions(pixels, files, held_outs, PIXEL_C)) / 2
    return probabilities, features, (f"{len(held_outs)} small trainings of {get_variant(auto.variant).label}, "
                                     f"with a linear model on {PIXEL_SIZE} px pixels")


def _predict(studio_model, files: list[ImageFile], cache: Cache) -> np.ndarray:
    """Class probabilities of `files` as the classification path answers (test-time flip included)."""
    from engine.inference.classifier import GRAPH, Classifier, InferenceSettings

    # TensorFlow's own kernels: the faster ONNX route would convert each fold's network first, which takes
    # longer than scoring its hundred-odd photos.
    classifier = Classifier(studio_model.model, studio_model.class_names, "label check",
                            InferenceSettings(batch_size=BATCH, runtime=GRAPH, precision=FLOAT32), warm_up=False,
                            test_time_flip=studio_model.test_time_flip)
    batches = _pixel_batches(files, studio_model.input_size, studio_model.channels, cache)
    return np.concatenate([classifier.predict(images) for images in batches])


def _network_features(studio_model, files: list[ImageFile], cache: Cache) -> np.ndarray:
    from engine.training.transfer import backbone_of

    backbone = backbone_of(studio_model.model)
    batches = _pixel_batches(files, studio_model.input_size, studio_model.channels, cache)
    return np.concatenate([backbone.predict_on_batch(images.astype(np.float32)) for images in batches])


def _from_backbone(files: list[ImageFile], held_outs: list[np.ndarray], backbone: Backbone, weights: Path,
                   cache: Cache, progress: Progress, stop: StopSignal):
    """Out-of-sample probabilities from k logistic regressions on the ImageNet backbone's features."""
    from sklearn.preprocessing import StandardScaler

    from engine.training.transfer import build_backbone

    network = build_backbone(backbone.variant, backbone.input_size, 3, weights)
    features = []
    for images in _pixel_batches(files, backbone.input_size, 3, cache):
        if stop.is_set():
            raise LabelCheckStopped("the label check was stopped")
        features.append(network.predict_on_batch(images.astype(np.float32)))
        progress(sum(map(len, features)), len(files))
    features = np.concatenate(features)
    probabilities = _fold_regressions(StandardScaler().fit_transform(features), files, held_outs, FEATURE_C)
    return probabilities, features, f"ImageNet {backbone.variant} features, {len(held_outs)}-fold logistic regression"


def _fold_regressions(rows: np.ndarray, files: list[ImageFile], held_outs: list[np.ndarray],
                      strength: float) -> np.ndarray:
    """Out-of-sample probabilities of a logistic regression on `rows`, one fit per fold (L2 strength 1/C)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    labels = np.array([file.label for file in files])
    probabilities = np.zeros((len(files), int(labels.max()) + 1), dtype=np.float32)
    # One BLAS thread: these fits are small, and two threads beside other work took 10x longer (0.15 s against
    # 1.5 s on 400 photos of 32 px on a busy 2-core machine; bench/label_issues.py's folders).
    with threadpool_limits(1):
        for held_out in held_outs:
            trained = np.setdiff1d(np.arange(len(files)), held_out)
            model = LogisticRegression(max_iter=2000, C=strength).fit(rows[trained], labels[trained])
            probabilities[np.ix_(held_out, model.classes_)] = model.predict_proba(rows[held_out])
    return probabilities


def check_labels(data_root: Path | str, budget_minutes: float = DEFAULT_BUDGET_MINUTES, folds: int = DEFAULT_FOLDS,
                 backbone: Backbone = Backbone(), seed: int = 0, cache: Cache = Cache(),
                 progress: Progress | None = None, stop: StopSignal | None = None) -> LabelReport:
    """Every photo of the folder (all splits) checked for a wrong label, a look-alike and being out of place.

    Raises:
        DatasetError: the folder cannot be read as classes of photos, or a class has fewer than two photos.
        PretrainedError: the backbone's `weights_path` is not a weights file of its variant.
        LabelCheckStopped: `stop` was set before the check ended.
    """
    started = time.monotonic()
    scan = scan_dataset(data_root)  # decodes each photo once: a bad one is skipped here, not mid-check
    files = list(scan.files)
    counts = np.bincount([file.label for file in files], minlength=len(scan.class_names))
    if counts.min() < 2:
        name = scan.class_names[int(counts.argmin())]
        raise DatasetError(f"class '{name}' needs at least two photos to check its labels")
    progress, stop = progress or (lambda done, total: None), stop or StopToken()
    weights = backbone.weights()
    labels = np.array([file.label for file in files])
    held_outs = _folds(labels, folds, seed)
    if weights is not None:
        probabilities, features, method = _from_backbone(files, held_outs, backbone, weights, cache, progress, stop)
    else:
        deadline = started + 60 * budget_minutes  # the folder's scan counts too
        probabilities, features, method = _from_trainings(files, scan.class_names, held_outs, deadline, seed, cache,
                                                          progress, stop)
    paths = [str(file.path) for file in files]
    groups, far = look_alikes(paths, features)
    return LabelReport(label_issues=label_issues(paths, labels, scan.class_names, probabilities),
                       near_duplicates=groups, outliers=far,
                       photos=len(files), method=method, seconds=time.monotonic() - started,
                       out_of_sample_accuracy=float(np.mean(probabilities.argmax(axis=1) == labels)))
