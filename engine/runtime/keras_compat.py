"""The few places the app reaches past Keras' and TensorFlow's public API, in one module.

Each is something the public API does not offer (Keras 3.15, TensorFlow 2.21); a Keras or TensorFlow
upgrade that moves one breaks here, and tests/test_keras_compat.py has a test for each that says which.
TensorFlow and Keras are imported inside the functions: the window reads this module at start.
"""

from __future__ import annotations

import functools
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


def fused_batch_norm(x, scale, offset, epsilon: float):
    """Training-mode batch norm of `x` (float32, channels last) in TensorFlow's fused kernel: (normalized,
    batch mean, unbiased batch variance). Only TensorFlow 1's API still exposes the kernel with a gradient."""
    import tensorflow as tf

    return tf.compat.v1.nn.fused_batch_norm(x, scale, offset, epsilon=epsilon, is_training=True)


@functools.cache
def adamw_with_own_update() -> type:
    """keras.optimizers.AdamW whose update step a subclass can take over: where `owns_update()` is true,
    Keras' weight decay and per-variable update are skipped and `update(grads, variables, learning_rate)`
    runs instead; `moments(variable)` gives the Adam state Keras keeps for a variable. Keras names these
    steps only privately (`_apply_weight_decay`, `_backend_update_step`, `_momentums`, `_velocities`)."""
    import keras

    class AdamWWithOwnUpdate(keras.optimizers.AdamW):
        def owns_update(self) -> bool:
            return False

        def update(self, grads, variables, learning_rate) -> None:
            raise NotImplementedError

        def moments(self, variable) -> tuple:
            """The first and second moment variables of `variable`."""
            index = self._get_variable_index(variable)
            return self._momentums[index], self._velocities[index]

        def decays(self, variable) -> bool:
            """Whether weight decay applies to `variable` (not excluded by exclude_from_weight_decay)."""
            return self._use_weight_decay(variable)

        def _apply_weight_decay(self, variables):
            if not self.owns_update():
                super()._apply_weight_decay(variables)

        def _backend_update_step(self, grads, trainable_variables, learning_rate):
            if self.owns_update():
                self.update(grads, trainable_variables, learning_rate)
            else:
                super()._backend_update_step(grads, trainable_variables, learning_rate)

    return AdamWWithOwnUpdate
