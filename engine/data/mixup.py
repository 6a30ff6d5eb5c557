"""Mixup (Zhang et al., 2018): each training photo blended with another of its batch, the label blended alike.

A network trained for hundreds of passes over a few photos a class learns them by heart; blended pairs
give it a new picture at every pass and ask for a soft answer between the two classes. On 10 Fashion-MNIST
photos a class (266 epochs planned in 2 minutes) it raised the held-out accuracy from 69.8 % to 72.6 % on
average over 3 seeds, and the worst seed from 67.1 % to 72.1 % (bench/small_folders.py). Labels leave as
soft targets (batch, classes), which engine.training.losses reads beside integer labels.
"""

from __future__ import annotations

import tensorflow as tf


def mix_batch(images: tf.Tensor, labels: tf.Tensor, classes: int, alpha: float) -> tuple[tf.Tensor, tf.Tensor]:
    """Each photo blended with a shuffled partner from the same batch, by a share drawn from Beta(alpha, alpha)
    and folded to at least a half, so every blend still shows mostly its own photo; soft targets to match."""
    images = tf.cast(images, tf.float32)
    targets = tf.one_hot(tf.cast(tf.reshape(labels, (-1,)), tf.int32), classes)
    count = tf.shape(images)[0]
    first, second = tf.random.gamma((count,), alpha), tf.random.gamma((count,), alpha)
    share = tf.math.divide_no_nan(first, first + second)  # both draws can underflow to 0 at a small alpha
    share = tf.maximum(share, 1.0 - share)
    partner = tf.random.shuffle(tf.range(count))

    def blend(values: tf.Tensor) -> tf.Tensor:
        own = tf.reshape(share, (-1,) + (1,) * (len(values.shape) - 1))  # one share a photo, over its values
        return own * values + (1.0 - own) * tf.gather(values, partner)

    return blend(images), blend(targets)
