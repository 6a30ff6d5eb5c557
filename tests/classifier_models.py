"""Small real models for the classification, Grad-CAM and export tests, saved as the app's `.keras` files."""

from __future__ import annotations

from pathlib import Path

import keras

from engine.model.config import ModelConfig
from engine.model.densenet import build_densenet
from engine.model.modelfile import ModelMetadata, save_model

TINY_VARIANT = "densenet-bc-10-k4"
TINY_SIZE = 32


def tiny_model(classes: int, seed: int = 0, channels: int = 3) -> keras.Model:
    """A DenseNet-BC with one layer per block at 32x32: real, and fast to build, compile and run."""
    keras.utils.set_random_seed(seed)
    return build_densenet(ModelConfig(TINY_VARIANT, input_size=TINY_SIZE, channels=channels, classes=classes))


def save_tiny_model(path: Path, class_names: tuple[str, ...], model: keras.Model | None = None) -> Path:
    """Write a `.keras` model file with its class names and input size, as training does."""
    model = model or tiny_model(len(class_names))
    return save_model(model, path, ModelMetadata(tuple(class_names), TINY_SIZE, variant=TINY_VARIANT))
