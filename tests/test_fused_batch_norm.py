"""The fused training batch norm computes what Keras' BatchNormalization computes: outputs, gradients and
moving statistics; and the networks that train with it hand plain Keras layers to the model file."""

import keras
import numpy as np
import tensorflow as tf

from engine.model.compute import MIXED_BFLOAT16, ComputePlan, plan_compute, precision_scope
from engine.model.config import ModelConfig
from engine.model.densenet import build_densenet
from engine.model.fused_batch_norm import FusedBatchNormalization
from engine.training.trainer import build_training_network


def relative_difference(actual, expected) -> float:
    expected = np.asarray(expected)
    return float(np.max(np.abs(np.asarray(actual) - expected)) / max(np.max(np.abs(expected)), 1e-30))


def pair(**kwargs):
    """A Keras batch norm and a fused one with the same (non-trivial) weights."""
    plain = keras.layers.BatchNormalization(epsilon=1.001e-5, momentum=0.9, **kwargs)
    fused = FusedBatchNormalization(epsilon=1.001e-5, momentum=0.9, **kwargs)
    rng = np.random.default_rng(1)
    for layer in (plain, fused):
        layer.build((None, 5, 5, 7))
    weights = [rng.uniform(0.5, 2.0, 7), rng.normal(0, 1, 7), rng.normal(0, 1, 7), rng.uniform(0.5, 2.0, 7)]
    for layer in (plain, fused):
        layer.set_weights([w.astype("float32") for w in weights])
    return plain, fused


def run(layer, x, training: bool):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=training)
        loss = tf.reduce_sum(y * tf.cos(y))  # a loss whose gradient differs per element
    return y, tape.gradient(loss, [x, *layer.trainable_weights])


def test_training_step_matches_keras_batch_norm():
    plain, fused = pair()
    x = tf.constant(np.random.default_rng(2).normal(3.0, 2.0, (4, 5, 5, 7)), "float32")
    initial_mean = fused.moving_mean.numpy().copy()
    expected_y, expected_grads = run(plain, x, training=True)
    actual_y, actual_grads = run(fused, x, training=True)
    assert relative_difference(actual_y, expected_y) < 1e-5
    assert len(actual_grads) == 3  # input, gamma, beta
    for actual, expected in zip(actual_grads, expected_grads):
        assert relative_difference(actual, expected) < 1e-4
    # The moving statistics take the batch's biased variance, as Keras does (not the kernel's n - 1 one).
    for actual, expected in zip(fused.non_trainable_weights, plain.non_trainable_weights):
        np.testing.assert_allclose(actual.numpy(), expected.numpy(), rtol=1e-5)
    assert not np.allclose(fused.moving_mean.numpy(), initial_mean)


def test_inference_and_frozen_layers_are_keras_own_computation():
    plain, fused = pair()
    x = tf.constant(np.random.default_rng(3).normal(0, 1, (2, 5, 5, 7)), "float32")
    np.testing.assert_array_equal(fused(x, training=False), plain(x, training=False))
    fused.trainable = plain.trainable = False  # fine-tuning freezes batch norms: inference mode while training
    np.testing.assert_array_equal(fused(x, training=True), plain(x, training=True))


def test_bfloat16_inputs_normalize_in_float32_and_return_bfloat16():
    plain, fused = pair(dtype="mixed_bfloat16")
    x = tf.constant(np.random.default_rng(4).normal(1.0, 3.0, (4, 5, 5, 7)), "bfloat16")
    actual, expected = fused(x, training=True), plain(x, training=True)
    assert actual.dtype == tf.bfloat16
    np.testing.assert_allclose(tf.cast(actual, "float32"), tf.cast(expected, "float32"), atol=0.05)


def test_training_network_uses_fused_batch_norm_and_the_plan_but_exports_plain_weights():
    config = ModelConfig("densenet-bc-10-k4", input_size=32, classes=3)
    plan = ComputePlan(MIXED_BFLOAT16, memory_efficient=False, jit_compile=False, device="test", reason="test")
    net = build_training_network(config, plan)
    norms = [layer for layer in net.layers if isinstance(layer, keras.layers.BatchNormalization)]
    assert norms and all(isinstance(layer, FusedBatchNormalization) for layer in norms)
    assert net.get_layer("conv2_block1_1_conv").compute_dtype == "bfloat16"
    with precision_scope(plan_compute("densenet-bc-10-k4", 32, 4, precision="float32")):
        export = build_densenet(config)
    assert not any(isinstance(layer, FusedBatchNormalization) for layer in export.layers)
    export.set_weights(net.get_weights())  # same weights, same order
    assert [w.path for w in export.weights] == [w.path for w in net.weights]
