"""How good a trained model is on a folder of labelled photos: accuracy, per-class precision/recall/F1,
confusion matrix, and every scored photo with what the model said and how sure it was. The answers
come from the classification path (engine.inference.classifier), so they are the ones `classify` gives.

The folder's classes are matched to the model's by name. In a train/val/test layout the test photos are
used (else the validation photos); in a plain class-folder layout, every photo. Either way the photos that
trained the model are left out, recognised by content (engine.data.trained_photos): a score on them would say how
well it remembers, not how well it does on new photos.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from engine.data.dataset import DatasetError, ImageFile, Progress, Skipped, scan_dataset
from engine.data.pipeline import DataConfig, cache_files, entry_batches, release_cache
from engine.data.trained_photos import photo_digest
from engine.inference.classifier import Classifier, InferenceSettings
from engine.inference.report import EvaluationReport, ScoredPhoto, scores_from_confusion
from engine.model.modelfile import ModelMetadata, StudioModel, read_trained_on
from engine.runtime.stop import StopSignal


class EvaluationStopped(Exception):
    """A stop request ended the evaluation before its report: a part of a folder is no score of it."""


def _evaluation_files(root: Path | str, labels: tuple[str, ...]) -> tuple[list[ImageFile], tuple[Skipped, ...]]:
    scan = scan_dataset(root, decode_check=False)
    unknown = [name for name in scan.class_names if name not in labels]
    if unknown:
        raise DatasetError(f"{root}: class '{unknown[0]}' is not one the model knows ({', '.join(labels)})")
    files = scan.files
    if scan.has_splits:
        split = "test" if any(file.split == "test" for file in files) else "val"
        files = tuple(file for file in files if file.split == split)
    index = {name: labels.index(name) for name in scan.class_names}
    remapped = [dataclasses.replace(file, label=index[scan.class_names[file.label]]) for file in files]
    return remapped, scan.skipped


def evaluate_model(studio_model: StudioModel, data_root: Path | str, batch_size: int = 32,
                   cache_dir: Path | None = None, cache_limit: int | None = None,
                   progress: Progress | None = None, stop: StopSignal | None = None) -> EvaluationReport:
    """Run `studio_model` over the labelled photos under `data_root` and score it.

    `progress(done, total)` counts decoded, then classified photos (each photo twice in `total`); `stop` is
    polled at each of those steps.

    Raises:
        DatasetError: the folder is missing, holds a class the model does not know, or no usable photo.
        EvaluationStopped: `stop` was set.
    """
    def step(done: int, total: int) -> None:
        if stop is not None and stop.is_set():
            raise EvaluationStopped()
        if progress is not None:
            progress(done, total)

    labels = tuple(studio_model.class_names)
    files, skipped = _evaluation_files(data_root, labels)
    seen = studio_model.trained_on
    unseen = [file for file in files if not seen or photo_digest(file.path) not in seen]
    if files and not unseen:
        raise DatasetError(f"{data_root}: all {len(files)} photos trained this model, so a score on them would not "
                           "say how it does on new photos; evaluate it on photos it has not seen")
    excluded, files = len(files) - len(unseen), unseen
    config = DataConfig(studio_model.input_size, studio_model.channels, batch_size, val_split=0.0,
                        cache_dir=cache_dir, cache_limit=cache_limit)
    usable, entries, bad, _ = cache_files(files, config, lambda done, total: step(done, 2 * total))
    if not usable:
        raise DatasetError(f"{data_root}: no usable photo to evaluate on")
    classifier = Classifier(studio_model.model, list(labels), "evaluation", InferenceSettings(batch_size=batch_size),
                            warm_up=False, test_time_flip=studio_model.test_time_flip)
    batches = entry_batches(entries, [file.label for file in usable], config, shuffle=False).as_numpy_iterator()
    parts = []
    try:
        for images, _ in batches:
            parts.append(classifier.predict(images.astype(np.uint8)))
            step(len(files) + sum(map(len, parts)), len(files) + len(usable))
    finally:
        release_cache(config)
    probabilities = np.concatenate(parts)
    predicted = probabilities.argmax(axis=1)
    truth = np.array([file.label for file in usable])
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(matrix, (truth, predicted), 1)
    scored = [ScoredPhoto(str(file.path), labels[file.label], labels[guess], float(probabilities[i, guess]))
              for i, (file, guess) in enumerate(zip(usable, predicted))]
    return EvaluationReport(
        accuracy=float(np.mean(predicted == truth)),
        labels=labels,
        confusion_matrix=tuple(tuple(int(count) for count in row) for row in matrix),
        per_class=scores_from_confusion(matrix, labels),
        scored=tuple(scored),
        images=len(usable),
        skipped=tuple(skipped) + tuple(bad),
        excluded=excluded,
        mirrored=studio_model.test_time_flip,
    )


def studio_model_of(classifier: Classifier) -> StudioModel:
    """A loaded classifier as evaluate_model takes it; one loaded from a model file keeps that file's list of
    the photos that trained it, so those are left out of its score."""
    source = Path(classifier.source)
    trained_on = read_trained_on(source) if source.suffix == ".keras" and source.is_file() else frozenset()
    metadata = ModelMetadata(tuple(classifier.class_names), classifier.input_size, classifier.channels,
                             test_time_flip=classifier.test_time_flip)
    return StudioModel(classifier.model, metadata, trained_on)
