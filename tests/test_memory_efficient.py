"""The memory-efficient DenseNet computes what the naive one computes: same weights, outputs, gradients and
batch-norm statistics, and it saves and loads in safe mode."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from engine.model.bottleneck import RecomputedBottleneck
from engine.model.compute import MIXED_FLOAT16, ComputePlan, precision_scope
from engine.model.config import ModelConfig
from engine.model.densenet import build_densenet
from engine.model.modelfile import ModelMetadata, load_model, save_model
from engine.training.transfer import freeze_for_fine_tune

SMALL = dict(variant_name="densenet-bc-16-k4", input_size=32, classes=3)


def twins(**config) -> tuple[keras.Model, keras.Model]:
    """A naive and a memory-efficient model with identical weights."""
    keras.utils.set_random_seed(3)
    naive = build_densenet(ModelConfig(**config))
    efficient = build_densenet(ModelConfig(**config, memory_efficient=True))
    efficient.set_weights(naive.get_weights())
    return naive, efficient


def batch(size: int = 6, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 255, (size, 32, 32, 3)).astype("float32"), rng.integers(0, 3, size)


def loss_and_gradients(model: keras.Model, images, labels):
    with tf.GradientTape() as tape:
        probabilities = model(images, training=True)
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(labels, probabilities))
    return probabilities, tape.gradient(loss, model.trainable_weights)


def relative_difference(actual, expected) -> float:
    """max |actual - expected| over max |expected|, per tensor (elementwise ratios explode near zero)."""
    expected = np.asarray(expected)
    return float(np.max(np.abs(np.asarray(actual) - expected)) / max(np.max(np.abs(expected)), 1e-30))


def layer_of(weight) -> str:
    return weight.path.split("/")[-2]


def test_densenet121_keeps_parameters_weight_order_and_layer_names():
    naive = build_densenet(ModelConfig("densenet121", input_size=32))
    efficient = build_densenet(ModelConfig("densenet121", input_size=32, memory_efficient=True))
    assert efficient.count_params() == naive.count_params() == 8_062_504
    assert [layer_of(w) for w in efficient.weights] == [layer_of(w) for w in naive.weights]
    assert [w.shape for w in efficient.weights] == [w.shape for w in naive.weights]
    assert efficient.get_layer("conv4_block24_concat").output.shape == naive.get_layer("conv4_block24_concat").output.shape
    assert layer_of(efficient.get_layer("conv2_block1").weights[0]) == "conv2_block1_0_bn"


@pytest.mark.parametrize("fused", [False, True], ids=["keras-batch-norm", "fused-batch-norm"])
def test_gradients_equal_the_naive_models_in_float32(fused):
    naive, efficient = twins(**SMALL, fused_batch_norm=fused)
    images, labels = batch()
    expected_output, expected = loss_and_gradients(naive, images, labels)
    actual_output, actual = loss_and_gradients(efficient, images, labels)
    assert relative_difference(actual_output, expected_output) < 1e-5
    assert len(actual) == len(expected) == len(naive.trainable_weights)
    worst = max(relative_difference(a, e) for a, e in zip(actual, expected))
    assert worst < 1e-4
    assert all(np.any(np.asarray(g) != 0) for g in actual)  # every weight really receives a gradient


@pytest.mark.parametrize("fused", [False, True], ids=["keras-batch-norm", "fused-batch-norm"])
def test_batch_norm_moving_statistics_are_updated_once_per_step(fused):
    naive, efficient = twins(**SMALL, fused_batch_norm=fused)
    before = [w.numpy().copy() for w in efficient.non_trainable_weights]
    images, labels = batch()
    loss_and_gradients(naive, images, labels)
    loss_and_gradients(efficient, images, labels)  # the backward pass runs the bottleneck again
    for after, original, reference in zip(efficient.non_trainable_weights, before, naive.non_trainable_weights):
        np.testing.assert_allclose(after.numpy(), reference.numpy(), rtol=1e-5, atol=1e-6)
    assert any(not np.allclose(w.numpy(), b) for w, b in zip(efficient.non_trainable_weights, before))


def test_compiled_training_steps_match_the_naive_model():
    naive, efficient = twins(**SMALL)
    images, labels = batch(8)
    for model in (naive, efficient):
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss="sparse_categorical_crossentropy")
        model.fit(images, labels, batch_size=4, epochs=2, shuffle=False, verbose=0)
    for actual, expected in zip(efficient.weights, naive.weights):
        assert relative_difference(actual.numpy(), expected.numpy()) < 1e-4, actual.path


def test_inference_mode_uses_moving_statistics_like_the_naive_model():
    naive, efficient = twins(**SMALL)
    images, _ = batch(3)
    np.testing.assert_allclose(efficient.predict(images, verbose=0), naive.predict(images, verbose=0), atol=1e-6)


def test_safe_mode_round_trip(tmp_path):
    _, efficient = twins(**SMALL)
    images, _ = batch(2)
    path = save_model(efficient, tmp_path / "efficient.keras", ModelMetadata(("a", "b", "c")))
    loaded = load_model(path).model
    assert isinstance(loaded.get_layer("conv2_block1"), RecomputedBottleneck)
    np.testing.assert_array_equal(loaded.predict(images, verbose=0), efficient.predict(images, verbose=0))


def test_dropout_recomputes_the_same_units():
    """With dropout, the backward pass must drop the units the forward pass dropped: the gradient of a
    recomputed layer then equals the gradient of the same layer run once under the tape."""
    keras.utils.set_random_seed(5)
    layer = RecomputedBottleneck(4, dropout=0.5, name="conv2_block1")
    pieces = [tf.random.uniform((2, 8, 8, 6), seed=1), tf.random.uniform((2, 8, 8, 4), seed=2)]
    layer(pieces)  # build
    seeds = layer._dropout_seeds()
    with tf.GradientTape() as tape:
        tape.watch(pieces)
        outputs, *_ = tf.recompute_grad(lambda *p: layer._forward(p, True, True, seeds))(*pieces)
        recomputed = tape.gradient(tf.reduce_sum(outputs * outputs), pieces + layer.trainable_weights)
    with tf.GradientTape() as tape:
        tape.watch(pieces)
        direct_outputs = layer._forward(pieces, True, True, seeds)[0]
        direct = tape.gradient(tf.reduce_sum(direct_outputs * direct_outputs), pieces + layer.trainable_weights)
    np.testing.assert_array_equal(outputs.numpy(), direct_outputs.numpy())
    assert float(tf.reduce_mean(tf.cast(outputs == 0, "float32"))) > 0.2  # units really were dropped
    assert max(relative_difference(a, e) for a, e in zip(recomputed, direct)) < 1e-5


def test_float16_memory_efficient_model_trains_with_loss_scaling_and_float32_softmax():
    plan = ComputePlan(MIXED_FLOAT16, memory_efficient=True, jit_compile=False, device="test", reason="test")
    with precision_scope(plan):
        model = build_densenet(ModelConfig("densenet-bc-10-k4", input_size=32, classes=3, memory_efficient=True))
    assert model.get_layer("conv2_block1").compute_dtype == "float16"
    assert model.get_layer("predictions").compute_dtype == "float32"
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    images, labels = batch(4)
    loss = model.train_on_batch(images, labels)
    assert np.isfinite(loss)
    assert model.predict_on_batch(images).dtype == np.float32


def test_fine_tune_freezing_reaches_the_batch_norms_inside_recomputed_layers():
    model = build_densenet(ModelConfig(**SMALL, memory_efficient=True, fused_batch_norm=True))
    freeze_for_fine_tune(model, block_count=3, blocks=1)
    top, bottom = model.get_layer("conv4_block1"), model.get_layer("conv2_block1")
    assert top.trainable and top.conv1.trainable and top.conv2.trainable
    assert not (top.bn0.trainable or top.bn1.trainable)
    assert not (bottom.trainable or bottom.conv1.trainable)
    trainable = {layer_of(weight) for weight in model.trainable_weights}
    assert trainable and not any(name.endswith("_bn") or name == "bn" for name in trainable)
    assert {"conv4_block1_1_conv", "conv4_block1_2_conv", "predictions"} <= trainable
    assert "conv2_block1_1_conv" not in trainable
