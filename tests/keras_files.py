"""Write weight files in the formats Keras publishes, from models the tests build (nothing is downloaded)."""

from __future__ import annotations

from pathlib import Path

import h5py
import keras
from keras.src.legacy.saving import legacy_h5_format


def write_legacy_h5_weights(model: keras.Model, path: Path) -> Path:
    """Save `model`'s weights keyed by layer name, as keras.applications' ImageNet `.h5` files are."""
    with h5py.File(path, "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, model)
    return path
