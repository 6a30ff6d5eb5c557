"""FusedAdamW trains exactly as keras.optimizers.AdamW: same weights and optimizer state after several steps
(with weight decay and a learning-rate schedule), and the same checkpoints."""

import keras
import numpy as np
import pytest

from engine.training.fused_adamw import FusedAdamW


def _network(seed: int = 3) -> keras.Model:
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Conv2D(4, 3, use_bias=False)(inputs)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))


def _trained(optimizer_class, learning_rate, steps: int = 4) -> keras.Model:
    model = _network()
    model.compile(optimizer=optimizer_class(learning_rate=learning_rate, weight_decay=0.05),
                  loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    images, labels = rng.uniform(0, 1, (steps * 4, 8, 8, 3)).astype("float32"), rng.integers(0, 3, steps * 4)
    model.fit(images, labels, batch_size=4, epochs=1, shuffle=False, verbose=0)
    return model


@pytest.mark.parametrize("learning_rate", [0.01, keras.optimizers.schedules.CosineDecay(0.01, decay_steps=4)])
def test_weights_and_state_equal_keras_adamw(learning_rate):
    ours, theirs = _trained(FusedAdamW, learning_rate), _trained(keras.optimizers.AdamW, learning_rate)
    for mine, reference in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-6)
    for mine, reference in zip(ours.optimizer.variables, theirs.optimizer.variables, strict=True):
        np.testing.assert_allclose(np.asarray(mine), np.asarray(reference), rtol=1e-5, atol=1e-6)


def test_a_checkpoint_round_trips(tmp_path):
    model = _trained(FusedAdamW, 0.01)
    model.save(tmp_path / "trainer.keras")
    again = _network(seed=5)
    again.compile(optimizer=FusedAdamW(learning_rate=0.01, weight_decay=0.05), loss="sparse_categorical_crossentropy")
    again.optimizer.build(again.trainable_variables)
    again.load_weights(tmp_path / "trainer.keras")
    for mine, saved in zip(again.optimizer.variables, model.optimizer.variables, strict=True):
        np.testing.assert_array_equal(np.asarray(mine), np.asarray(saved))
