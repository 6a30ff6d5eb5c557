"""A class suggested for every unsorted photo, from the few the user has sorted, and the order to ask in.

A softmax (multinomial logistic) regression with an L2 penalty, fitted in NumPy on the photos' feature
vectors (engine.inference.photo_features): a linear model is what a few examples per class can fit, and
on pooled DenseNet features it is what transfer learning's head is too. It takes milliseconds for hundreds
of photos, so it is fitted again after every answer. The unsorted photos come least confident first: the
answer the model is least sure of teaches it the most (uncertainty sampling).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_PER_CLASS = 2  # sorted photos each class needs before anything is suggested
UNSORTED = -1  # a row's label before the user sorts it
PENALTY = 1e-2  # L2 on the weights: with two photos a class, the fit must not trust one pixel
STEPS = 300


@dataclass(frozen=True)
class Suggestions:
    """For each unsorted row of the features, least confident first: its suggested class and how sure."""

    rows: np.ndarray  # row indices into the feature matrix
    labels: np.ndarray  # the suggested class index of each
    confidences: np.ndarray  # its probability, 0-1


def ready(counts: list[int] | tuple[int, ...]) -> bool:
    """Whether photos sorted per class (`counts`, one per named class) are enough to suggest from."""
    return len(counts) >= 2 and min(counts) >= MIN_PER_CLASS


def suggest(features: np.ndarray, labels: np.ndarray, classes: int) -> Suggestions | None:
    """Suggestions for the rows of `features` whose label is UNSORTED, from those with a label 0..classes-1;
    None until every class has MIN_PER_CLASS sorted photos (see ready)."""
    labels = np.asarray(labels)
    counts = [int(np.sum(labels == label)) for label in range(classes)]
    if not ready(counts):
        return None
    scaled = _standardised(np.asarray(features, np.float64))
    unsorted = np.flatnonzero(labels == UNSORTED)
    sorted_rows = np.flatnonzero(labels >= 0)
    weights, bias = fit_softmax(scaled[sorted_rows], labels[sorted_rows], classes)
    probabilities = softmax(scaled[unsorted] @ weights + bias)
    best = probabilities.argmax(axis=1)
    confidence = probabilities.max(axis=1)
    order = np.argsort(confidence, kind="stable")
    return Suggestions(unsorted[order], best[order], confidence[order].astype(np.float32))


def _standardised(features: np.ndarray) -> np.ndarray:
    """Each feature at mean 0 and spread 1 over all photos, sorted or not (pooled DenseNet features differ
    in scale by orders of magnitude), divided by the root of the width so a row's length is about 1."""
    spread = features.std(axis=0)
    scaled = (features - features.mean(axis=0)) / np.where(spread > 1e-8, spread, 1.0)
    return scaled / np.sqrt(max(features.shape[1], 1))


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def fit_softmax(features: np.ndarray, labels: np.ndarray, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """(weights (width, classes), bias (classes,)) of an L2-penalised softmax regression, by gradient descent
    with the step its smoothness allows (the loss is convex: the step needs no tuning)."""
    count, width = features.shape
    targets = np.eye(classes)[labels]
    weights, bias = np.zeros((width, classes)), np.zeros(classes)
    smoothness = 0.5 * (np.linalg.norm(features, 2) ** 2 + count) / count + PENALTY
    step = 1.0 / smoothness
    for _ in range(STEPS):
        error = (softmax(features @ weights + bias) - targets) / count
        weights -= step * (features.T @ error + PENALTY * weights)
        bias -= step * error.sum(axis=0)
    return weights, bias
