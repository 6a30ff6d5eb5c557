"""The memory-efficient DenseNet bottleneck layer (Pleiss et al. 2017): recompute instead of store.

A naive dense layer keeps its whole concatenated input, that input's batch-norm and ReLU outputs and the
bottleneck maps for the backward pass, so memory grows quadratically with depth. This layer keeps only its
inputs, the k-channel outputs of the earlier layers (shared by every later layer), and recomputes the
concatenation, batch norms, ReLUs and convolutions in the backward pass with `tf.recompute_grad`: memory
grows linearly.

Its sublayers carry keras.applications' names (`conv2_block1_0_bn`, `_1_conv`, `_1_bn`, `_2_conv`) and are
created in the same order, so the model's weights list is the naive model's, parameter counts are equal and
weights move between the two modes with `set_weights`.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers, ops

from engine.model.fused_batch_norm import fused_normalize, update_moving_statistics


@keras.saving.register_keras_serializable(package="densenet_studio")
class RecomputedBottleneck(layers.Layer):
    """BN-ReLU-1x1 conv (4k) - BN-ReLU-3x3 conv (k) over the concatenation of its inputs, recomputed in the
    backward pass. Takes the list of feature maps the dense layer sees; returns its k new maps."""

    def __init__(self, growth_rate: int, bottleneck_factor: int = 4, dropout: float = 0.0,
                 epsilon: float = 1.001e-5, fused_batch_norm: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.growth_rate = growth_rate
        self.bottleneck_factor = bottleneck_factor
        self.dropout = dropout
        self.epsilon = epsilon
        self.fused_batch_norm = fused_batch_norm
        policy = self.dtype_policy
        self.bn0 = layers.BatchNormalization(epsilon=epsilon, name=f"{self.name}_0_bn", dtype=policy)
        self.conv1 = layers.Conv2D(bottleneck_factor * growth_rate, 1, use_bias=False,
                                   name=f"{self.name}_1_conv", dtype=policy)
        self.bn1 = layers.BatchNormalization(epsilon=epsilon, name=f"{self.name}_1_bn", dtype=policy)
        self.conv2 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False,
                                   name=f"{self.name}_2_conv", dtype=policy)
        if dropout:
            self.seed_generator = keras.random.SeedGenerator()

    def build(self, input_shape):
        shapes = _shapes(input_shape)
        concatenated = (*shapes[0][:-1], sum(shape[-1] for shape in shapes))
        bottleneck = (*concatenated[:-1], self.bottleneck_factor * self.growth_rate)
        self.bn0.build(concatenated)
        self.conv1.build(concatenated)
        self.bn1.build(bottleneck)
        self.conv2.build(bottleneck)

    def compute_output_shape(self, input_shape):
        return (*_shapes(input_shape)[0][:-1], self.growth_rate)

    def call(self, inputs, training=None):
        pieces = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        train0 = bool(training) and self.bn0.trainable
        train1 = bool(training) and self.bn1.trainable
        seeds = self._dropout_seeds() if training and self.dropout else None

        if not training:
            return self._forward(pieces, train0, train1, seeds)[0]
        outputs, mean0, var0, mean1, var1 = tf.recompute_grad(
            lambda *maps: self._forward(maps, train0, train1, seeds)
        )(*pieces)
        # The moving statistics are updated here, once: updating them inside `_forward` would apply each
        # update twice, because the backward pass runs `forward` again.
        if train0:
            update_moving_statistics(self.bn0, mean0, var0)
        if train1:
            update_moving_statistics(self.bn1, mean1, var1)
        return outputs

    def _forward(self, pieces, train0: bool, train1: bool, seeds):
        """The bottleneck itself; returns the new maps and both batch norms' batch moments."""
        x = ops.concatenate(list(pieces), axis=-1) if len(pieces) > 1 else pieces[0]
        x, mean0, var0 = self._normalize(self.bn0, x, train0)
        x = self._drop(self.conv1(ops.relu(x)), seeds, 0)
        x, mean1, var1 = self._normalize(self.bn1, x, train1)
        x = self._drop(self.conv2(ops.relu(x)), seeds, 1)
        return x, mean0, var0, mean1, var1

    def _normalize(self, bn: layers.BatchNormalization, x, training: bool):
        """What BatchNormalization computes (in float32, as it does), returning the batch moments it used."""
        if training and self.fused_batch_norm:
            return fused_normalize(x, bn.gamma, bn.beta, bn.epsilon)
        x32 = ops.cast(x, "float32")
        if training:
            mean, variance = ops.moments(x32, axes=[0, 1, 2])
        else:
            mean, variance = ops.cast(bn.moving_mean, "float32"), ops.cast(bn.moving_variance, "float32")
        y = ops.batch_normalization(
            x32, mean, variance, axis=-1,
            offset=ops.cast(bn.beta, "float32"), scale=ops.cast(bn.gamma, "float32"), epsilon=bn.epsilon,
        )
        return ops.cast(y, bn.compute_dtype), ops.stop_gradient(mean), ops.stop_gradient(variance)

    def _dropout_seeds(self):
        """Seeds drawn once per step, outside the recomputed function, so the recomputation drops the same
        units as the forward pass did."""
        return keras.random.randint((2, 2), 0, 2**31 - 1, seed=self.seed_generator, dtype="int32")

    def _drop(self, x, seeds, index: int):
        if seeds is None:
            return x
        return tf.nn.experimental.stateless_dropout(x, rate=self.dropout, seed=seeds[index])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "growth_rate": self.growth_rate,
            "bottleneck_factor": self.bottleneck_factor,
            "dropout": self.dropout,
            "epsilon": self.epsilon,
            "fused_batch_norm": self.fused_batch_norm,
        }


def _shapes(input_shape) -> list[tuple]:
    """One shape or a list of shapes, as a list."""
    return [tuple(input_shape)] if isinstance(input_shape[0], (int, type(None))) else [tuple(s) for s in input_shape]
