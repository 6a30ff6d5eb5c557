"""Cross-entropy and accuracy on integer class labels or on soft targets (engine.data.mixup's blended labels).

Keras' sparse loss and accuracy take integer labels only, and its cross-entropy offers label smoothing only
on one-hot targets. Smoothing moves a share of each target's probability to the other classes, so the
network is not pushed towards ever larger logits on photos it already gets right; on short trainings it
generalises better. Validation photos always come with integer labels.
"""

from __future__ import annotations

import keras


def _is_soft(y_true) -> bool:
    """Soft targets (batch, classes), as against integer labels (batch,) or (batch, 1)."""
    return len(y_true.shape) == 2 and y_true.shape[-1] not in (None, 1)


@keras.saving.register_keras_serializable(package="densenet_studio")
class SmoothedSparseCrossentropy(keras.losses.Loss):
    """Integer labels (B,) or soft targets (B, classes); softmax probabilities (B, classes)."""

    def __init__(self, label_smoothing: float = 0.1, name: str = "smoothed_sparse_crossentropy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.label_smoothing = label_smoothing

    def call(self, y_true, y_pred):
        if _is_soft(y_true):
            targets = keras.ops.cast(y_true, y_pred.dtype)
        else:
            labels = keras.ops.cast(keras.ops.reshape(y_true, (-1,)), "int32")
            targets = keras.ops.one_hot(labels, keras.ops.shape(y_pred)[-1], dtype=y_pred.dtype)
        return keras.losses.categorical_crossentropy(targets, y_pred, label_smoothing=self.label_smoothing)

    def get_config(self) -> dict:
        return {**super().get_config(), "label_smoothing": self.label_smoothing}


def _hits(y_true, y_pred):
    """1 where the most probable class is the label (a soft target's largest share), else 0: Keras' categorical
    accuracy for soft targets, its sparse one for integer labels."""
    if _is_soft(y_true):
        return keras.metrics.categorical_accuracy(y_true, y_pred)
    return keras.metrics.sparse_categorical_accuracy(y_true, y_pred)


@keras.saving.register_keras_serializable(package="densenet_studio")
class LabelAccuracy(keras.metrics.MeanMetricWrapper):
    """Accuracy (logged as "accuracy") on integer labels or soft targets."""

    def __init__(self, name: str = "accuracy", dtype=None):
        super().__init__(_hits, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}
