"""Training-time augmentation as Keras preprocessing layers: active only when called with training=True
(training maps them over the tf.data pipeline), plain layers (no Lambda), so safe-mode serialisation works.
Mixup blends whole batches and their labels, so it is no layer: engine.data.mixup, applied after these.

Keras is imported only when the layers are built, so the CLI and the GUI can read AugmentConfig cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.errors import ConfigError

if TYPE_CHECKING:
    import keras


@dataclass(frozen=True)
class AugmentConfig:
    """Which augmentations to apply. Factors are fractions: rotation of a full turn, zoom and contrast of 1."""

    enabled: bool = True
    flip: bool = True
    rotation: float = 0.05  # +-18 degrees
    zoom: float = 0.1
    contrast: float = 0.1
    translate: float = 0.0  # shift by up to this share of the height and width
    mixup: float = 0.0  # blend each photo with another of its batch (engine.data.mixup): Beta's alpha, 0 for none
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("rotation", "zoom", "contrast", "translate"):
            value = getattr(self, name)
            if not 0.0 <= value < 1.0:
                raise ConfigError(f"augmentation {name} must be in [0, 1), not {value}")
        if not 0.0 <= self.mixup <= 1.0:
            raise ConfigError(f"mixup must be from 0 (none) to 1, not {self.mixup}")


def build_augmentation(config: AugmentConfig) -> keras.Sequential:
    """A Sequential named "augmentation" taking raw 0-255 images; identity when disabled."""
    import keras

    layers: list[keras.layers.Layer] = []
    if config.enabled:
        if config.flip:
            layers.append(keras.layers.RandomFlip("horizontal", seed=config.seed, name="augment_flip"))
        if config.rotation:
            layers.append(keras.layers.RandomRotation(config.rotation, fill_mode="reflect", seed=config.seed,
                                                      name="augment_rotation"))
        if config.zoom:
            layers.append(keras.layers.RandomZoom(config.zoom, fill_mode="reflect", seed=config.seed,
                                                  name="augment_zoom"))
        if config.translate:
            layers.append(keras.layers.RandomTranslation(config.translate, config.translate, fill_mode="nearest",
                                                         seed=config.seed, name="augment_translate"))
        if config.contrast:
            layers.append(keras.layers.RandomContrast(config.contrast, value_range=(0, 255), seed=config.seed,
                                                      name="augment_contrast"))
    # Keras cannot build an empty Sequential: an Identity layer keeps one shape for "off".
    return keras.Sequential(layers or [keras.layers.Identity(name="augment_off")], name="augmentation")
