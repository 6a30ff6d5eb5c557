"""Training-mode batch normalization in one TensorFlow kernel each way (FusedBatchNormV3 and its gradient).

Keras 3 computes training-mode batch norm from separate ops (mean, squared difference, mean, rsqrt, multiply,
add), each a pass over the activations, with as many again in the backward pass. DenseNet-121 has 121 batch
norms over its widest tensors: in a TensorFlow profile of one training step on a CPU those ops took about 3
thread-seconds, against 0.7 for the forward convolutions. The fused kernel (oneDNN's on x86) does the work
in one op per direction; bench/train_speed.py --explore measures what that gives.

Only training uses it: in inference mode the layer is Keras' BatchNormalization, and the model files the
engine writes hold plain BatchNormalization layers (training builds a twin with this layer, see
engine.training.trainer), so any Keras loads them.
"""

from __future__ import annotations

import keras
from keras import layers, ops

from engine.runtime import keras_compat


def fused_normalize(x, gamma, beta, epsilon: float):
    """Normalize `x` (channels last) with its own batch moments, in float32 as Keras does.

    Returns the normalized tensor in x's dtype and the batch mean and (biased) variance, with no gradient,
    for the moving statistics.
    """
    x32 = ops.cast(x, "float32")
    y, mean, variance = keras_compat.fused_batch_norm(x32, ops.cast(gamma, "float32"), ops.cast(beta, "float32"),
                                                      epsilon)
    # The kernel reports the unbiased (n - 1) variance for the moving average; Keras averages the biased one.
    count = ops.cast(ops.prod(ops.shape(x32)[:-1]), "float32")
    variance = variance * (count - 1.0) / count
    return ops.cast(y, x.dtype), ops.stop_gradient(mean), ops.stop_gradient(variance)


def update_moving_statistics(bn: layers.BatchNormalization, mean, variance) -> None:
    """BatchNormalization's own update rule: moving = moving * momentum + batch * (1 - momentum)."""
    bn.moving_mean.assign(bn.moving_mean * bn.momentum + mean * (1.0 - bn.momentum))
    bn.moving_variance.assign(bn.moving_variance * bn.momentum + variance * (1.0 - bn.momentum))


@keras.saving.register_keras_serializable(package="densenet_studio")
class FusedBatchNormalization(layers.BatchNormalization):
    """BatchNormalization whose training step uses the fused kernel (on 4-D, channels-last inputs).

    Same weights, names, update rule and results (within float32 rounding); inference is Keras' code.
    """

    def call(self, inputs, training=None, mask=None):
        fusable = (mask is None and not self.renorm and not self.synchronized and self.scale and self.center
                   and len(inputs.shape) == 4 and self.axis in (-1, 3))  # the kernel takes NHWC images
        if not (training and self.trainable and fusable):
            return super().call(inputs, training=training, mask=mask)
        outputs, mean, variance = fused_normalize(inputs, self.gamma, self.beta, self.epsilon)
        update_moving_statistics(self, mean, variance)
        return ops.cast(outputs, self.compute_dtype)
