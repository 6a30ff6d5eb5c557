"""Mixup: blends as Beta draws folded to at least a half, soft targets that the loss and accuracy read, and a
real training of a small network on blended photos that still learns and stays reproducible."""

import numpy as np
import pytest
import tensorflow as tf

from engine.data.augment import AugmentConfig
from engine.data.mixup import mix_batch
from engine.errors import ConfigError
from engine.model.modelfile import load_model, read_metadata
from engine.training.losses import LabelAccuracy, SmoothedSparseCrossentropy
from engine.training.train_config import TrainConfig
from engine.training.trainer import train
from tests.image_files import make_class_folders

TINY = dict(variant="densenet-bc-10-k4", input_size=32, batch_size=8, precision="float32", jit_compile=False,
            memory_efficient=False)


def test_each_photo_is_blended_with_a_partner_of_its_batch_and_keeps_the_larger_share():
    tf.random.set_seed(3)
    images = tf.constant(np.arange(8, dtype=np.float32).reshape(8, 1, 1, 1) * np.ones((8, 4, 4, 1), np.float32))
    labels = tf.constant([0, 1, 2, 0, 1, 2, 0, 1])
    mixed, soft = mix_batch(images, labels, 3, alpha=1.0)
    mixed, soft = mixed.numpy(), soft.numpy()
    assert soft.shape == (8, 3) and np.allclose(soft.sum(axis=1), 1.0)
    own = soft[np.arange(8), labels.numpy()]
    assert (own >= 0.5 - 1e-6).all() and (own < 1.0).any()  # some photos really are blended
    one_hot = np.eye(3)[labels.numpy()]
    for row in range(8):  # every pixel: share * own + (1 - share) * one partner's, the label blended alike
        value = mixed[row, 0, 0, 0]
        assert np.allclose(mixed[row], value)
        fits = [(partner, (value - partner) / (row - partner)) for partner in range(8) if partner != row]
        fits = [(partner, share) for partner, share in fits if 0.5 - 1e-5 <= share <= 1 + 1e-5]
        assert any(np.allclose(soft[row], share * one_hot[row] + (1 - share) * one_hot[partner], atol=1e-4)
                   for partner, share in fits) or np.isclose(value, row)


def test_a_tiny_alpha_that_underflows_gives_unblended_photos_not_nan():
    images, labels = tf.ones((4, 2, 2, 1)) * 7.0, tf.constant([0, 1, 0, 1])
    mixed, soft = mix_batch(images, labels, 2, alpha=1e-4)
    assert np.isfinite(mixed.numpy()).all() and np.isfinite(soft.numpy()).all()
    assert np.allclose(soft.numpy().sum(axis=1), 1.0)


def test_loss_and_accuracy_read_soft_targets_as_they_read_integer_labels():
    probabilities = tf.constant([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    labels, one_hot = tf.constant([0, 1]), tf.constant([[1.0, 0, 0], [0, 1.0, 0]])
    loss = SmoothedSparseCrossentropy(0.1)
    assert float(loss(labels, probabilities)) == pytest.approx(float(loss(one_hot, probabilities)), rel=1e-6)
    blended = tf.constant([[0.6, 0.4, 0.0], [0.0, 0.3, 0.7]])  # the larger shares: classes 0 and 2
    for targets, expected in ((labels, 0.5), (one_hot, 0.5), (blended, 1.0)):
        accuracy = LabelAccuracy()
        accuracy.update_state(targets, probabilities)
        assert float(accuracy.result()) == pytest.approx(expected)
    assert LabelAccuracy().name == "accuracy"  # the history's key, as before


def test_mixup_is_a_bounded_augmentation_setting():
    assert AugmentConfig().mixup == 0.0
    for wrong in (-0.1, 1.5):
        with pytest.raises(ConfigError, match="mixup must be from 0"):
            AugmentConfig(mixup=wrong)


def test_a_training_on_blended_photos_learns_and_a_rerun_gives_the_same_weights(tmp_path):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog", "owl"), per_class=12, size=32)
    weights = []
    for run in ("first", "second"):
        out = tmp_path / f"{run}.keras"
        config = TrainConfig(out=out, epochs=12, lr=0.01, seed=5, val_split=0.25, deterministic=True,
                             cache_dir=tmp_path / f"{run}-cache", augment=AugmentConfig(mixup=1.0), **TINY)
        result = train(data, config)
        weights.append(load_model(out).model.get_weights())
    history = read_metadata(out).history
    assert read_metadata(out).training["augment"]["mixup"] == 1.0
    assert all(0.0 <= epoch.accuracy <= 1.0 for epoch in history)
    assert result.best_val_accuracy is not None and result.best_val_accuracy > 0.5  # 3 classes: guessing is 1/3
    assert all(np.array_equal(a, b) for a, b in zip(*weights, strict=True))
