"""Grad-CAM (Selvaraju et al., 2017): where the network looked for a class, as a heatmap the GUI overlays.

The class score's gradient with respect to the last dense block's output (layer "relu", before pooling)
is averaged per channel; those weights sum the channels into a map, negative evidence is cut, and the map
is scaled to [0, 1] and resized to the model's input size.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from PIL import Image

from engine.data.images import decode_image
from engine.errors import StudioError
from engine.model.config import FEATURE_LAYER, head_layer


def _pixels(classifier, image: np.ndarray | Path | str) -> np.ndarray:
    size = classifier.input_size
    if isinstance(image, (str, Path)):
        return decode_image(image, size, classifier.channels)
    picture = Image.fromarray(np.asarray(image, dtype=np.uint8).squeeze())
    picture = picture.convert("L" if classifier.channels == 1 else "RGB").resize((size, size), Image.Resampling.BILINEAR)
    return np.asarray(picture, dtype=np.uint8).reshape(size, size, classifier.channels)


def _class_index(classifier, class_index: int | str | None, probabilities: np.ndarray) -> int:
    if class_index is None:
        return int(np.argmax(probabilities))
    if isinstance(class_index, str):
        if class_index not in classifier.class_names:
            raise StudioError(f"class '{class_index}' is not one of this model's classes")
        return classifier.class_names.index(class_index)
    return int(class_index)


def gradcam(classifier, image: np.ndarray | Path | str, class_index: int | str | None = None) -> np.ndarray:
    """The Grad-CAM heatmap (input_size, input_size) in [0, 1] of a photo for a class.

    Args:
        classifier: an engine.inference.classifier.Classifier (its float32 model is used).
        image: a photo path, or a uint8 array (H, W[, C]) resized to the input size.
        class_index: the class by index or label; None for the predicted class.
    """
    model = classifier.model
    try:
        features = model.get_layer(FEATURE_LAYER).output
    except ValueError:
        raise StudioError(f"{classifier.source}: no layer '{FEATURE_LAYER}' to take a Grad-CAM from") from None
    head = head_layer(model)
    scores_from_logits = isinstance(head, keras.layers.Dense)
    # With a Dense softmax head, differentiate the class logit (the paper's score), not the saturating softmax.
    outputs = [features, head.input if scores_from_logits else model.output, model.output]
    probe = keras.Model(model.inputs, outputs)
    pixels = tf.constant(_pixels(classifier, image)[None].astype(np.float32))
    with tf.GradientTape() as tape:
        feature_maps, head_input, probabilities = probe(pixels, training=False)
        index = _class_index(classifier, class_index, probabilities[0].numpy())
        if scores_from_logits:
            score = tf.matmul(head_input, head.kernel)[:, index] + (head.bias[index] if head.use_bias else 0.0)
        else:
            score = tf.math.log(head_input[:, index] + 1e-12)
    gradients = tape.gradient(score, feature_maps)
    weights = tf.reduce_mean(gradients, axis=(1, 2), keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(weights * feature_maps, axis=-1))[0].numpy()
    peak = float(cam.max())
    cam = cam / peak if peak > 0 else np.zeros_like(cam)
    size = classifier.input_size
    resized = Image.fromarray(cam.astype(np.float32), "F").resize((size, size), Image.Resampling.BILINEAR)
    return np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)
