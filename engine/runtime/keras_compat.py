"""The few places the app reaches past Keras' and TensorFlow's public API, in one module.

Each is something the public API does not offer (Keras 3.15, TensorFlow 2.21); a Keras or TensorFlow
upgrade that moves one breaks here, and tests/test_keras_compat.py says which.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def all_layers(model) -> Iterator:
    """Every layer inside `model`, nested ones included (a memory-efficient bottleneck's batch norms, a
    sub-model's layers): `model.layers` lists only the top level."""
    return model._flatten_layers(include_self=False)


def keras_home() -> Path:
    """The Keras home folder (~/.keras, or KERAS_HOME): keras.config does not export it."""
    from keras.src.backend.config import keras_home as home

    return Path(home()).expanduser()


def onednn_enabled() -> bool:
    """Whether this TensorFlow runs its oneDNN CPU kernels; False when the probe is gone (say nothing rather
    than guess)."""
    try:
        from tensorflow.python.util import _pywrap_util_port
    except ImportError:
        return False
    return bool(_pywrap_util_port.IsMklEnabled())
