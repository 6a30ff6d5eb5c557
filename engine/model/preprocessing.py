"""Input normalisation inside the model, so a saved model takes raw RGB 0-255 and answers the same anywhere.

It is keras.applications' "torch" mode for DenseNet: x / 255, minus the ImageNet mean, divided by its std.
"""

from __future__ import annotations

import keras

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def normalization_layer(channels: int, name: str = "preprocess") -> keras.layers.Layer:
    """A weightless layer mapping raw 0-255 pixels to ImageNet-normalised values (grayscale: channel mean)."""
    mean, std = IMAGENET_MEAN, IMAGENET_STD
    if channels == 1:
        mean, std = (sum(mean) / 3,), (sum(std) / 3,)
    return keras.layers.Normalization(
        axis=-1,
        mean=[255.0 * m for m in mean],
        variance=[(255.0 * s) ** 2 for s in std],
        name=name,
    )
