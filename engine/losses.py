"""Cross-entropy on integer class labels with label smoothing, which Keras' sparse loss does not offer.

Smoothing moves a share of each target's probability to the other classes, so the network is not pushed
towards ever larger logits on photos it already gets right; on short trainings it generalises better.
"""

from __future__ import annotations

import keras


@keras.saving.register_keras_serializable(package="densenet_studio")
class SmoothedSparseCrossentropy(keras.losses.Loss):
    """Integer labels (B,), softmax probabilities (B, classes)."""

    def __init__(self, label_smoothing: float = 0.1, name: str = "smoothed_sparse_crossentropy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.label_smoothing = label_smoothing

    def call(self, y_true, y_pred):
        labels = keras.ops.cast(keras.ops.reshape(y_true, (-1,)), "int32")
        targets = keras.ops.one_hot(labels, keras.ops.shape(y_pred)[-1], dtype=y_pred.dtype)
        return keras.losses.categorical_crossentropy(targets, y_pred, label_smoothing=self.label_smoothing)

    def get_config(self) -> dict:
        return {**super().get_config(), "label_smoothing": self.label_smoothing}
