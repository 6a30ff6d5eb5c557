"""AdamW whose per-variable update is one TensorFlow kernel (ResourceApplyAdam) instead of a dozen ops.

Keras 3 builds Adam's update from separate ops for every variable (casts, powers, two moment updates, square
root, divide, assign) and, for AdamW, reads the learning rate and decays each variable through a
tf.distribute merge call of its own. A DenseNet has hundreds of variables, so tracing the training step spent
most of its time creating these ops, and graph optimisation most of its time on them, before the first
batch. Here the step's learning rate and bias corrections are computed once and each variable takes its
weight decay and one ResourceApplyAdam, which computes the same update as Keras' Adam.

Under a tf.distribute strategy (mirrored variables need `extended.update`) and with AMSGrad, Keras' own code
runs unchanged.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from engine.runtime.keras_compat import adamw_with_own_update


@keras.saving.register_keras_serializable(package="densenet_studio")
class FusedAdamW(adamw_with_own_update()):
    """keras.optimizers.AdamW with the same settings, state variables, checkpoints and updates (within float32
    rounding); only the traced graph is smaller."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fused = not (tf.distribute.has_strategy() or self.amsgrad)  # the kernel has no AMSGrad

    def owns_update(self) -> bool:
        return self._fused

    def update(self, grads, variables, learning_rate) -> None:
        """Weight decay with the learning rate read once, then one ResourceApplyAdam per variable."""
        step = tf.cast(self.iterations + 1, tf.float32)
        rate = tf.cast(learning_rate, tf.float32)
        shared = {"lr": rate, "beta1_power": tf.pow(tf.constant(self.beta_1, tf.float32), step),
                  "beta2_power": tf.pow(tf.constant(self.beta_2, tf.float32), step),
                  "beta1": tf.constant(self.beta_1, tf.float32), "beta2": tf.constant(self.beta_2, tf.float32),
                  "epsilon": tf.constant(self.epsilon, tf.float32)}
        decay = rate * self.weight_decay if self.weight_decay else None
        for grad, variable in zip(grads, variables):
            self._fused_update(grad, variable, shared, decay)

    def _fused_update(self, grad, variable, shared: dict, decay) -> None:
        """AdamW's two steps for one variable: decay (variable -= variable * wd * lr), then the Adam update."""
        momentum, velocity = self.moments(variable)
        target = variable.value if isinstance(variable, keras.Variable) else variable
        dtype = target.dtype
        if decay is not None and self.decays(variable):
            target.assign_sub(target * tf.cast(decay, dtype))
        tf.raw_ops.ResourceApplyAdam(
            var=target.handle, m=momentum.value.handle, v=velocity.value.handle,
            grad=tf.cast(tf.convert_to_tensor(grad), dtype), use_locking=False,
            **{name: tf.cast(value, dtype) for name, value in shared.items()})
