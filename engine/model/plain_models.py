"""Keras models the app did not write, made photo classifiers the engine can run: one square photo input of a
fixed size, one probability per class out. What cannot be made so is refused in one line (ModelFileError),
never a traceback or a "28176.1%" later. Models the app writes pass through unchanged."""

from __future__ import annotations

import numpy as np

from engine.errors import ModelFileError
from engine.model.config import head_layer

PHOTO_CHANNELS = (1, 3)  # what engine.data.images decodes: grayscale or RGB


def photo_classifier(model, source: str, input_size: int | None = None):
    """`model` taking `input_size` x `input_size` photos and giving class probabilities.

    A model that takes any size gets `input_size` (the user's or its file's); logits get a softmax: a final
    layer with no activation, or, where the last layer has none to read, outputs that do not sum to 1.

    Raises:
        ModelFileError: several inputs or outputs, an input that is not a photo, no size for a model that
            takes any, a size it cannot take, or outputs that are not one score per class.
    """
    import keras

    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ModelFileError(f"{source}: the model has {len(model.inputs)} inputs and {len(model.outputs)} "
                              "outputs; a photo classifier has one of each")
    shape = tuple(model.input_shape)
    if len(shape) != 4:
        raise ModelFileError(f"{source}: the model takes input of shape {shape}, not photos (height, width, "
                              "channels)")
    height, width, channels = shape[1:]
    if channels not in PHOTO_CHANNELS:
        raise ModelFileError(f"{source}: the model takes photos with {channels} channels; the app gives 1 "
                              "(grayscale) or 3 (RGB)")
    if height is None or width is None:
        model = _fixed_input(model, source, input_size, channels)
    elif height != width:
        raise ModelFileError(f"{source}: the model takes {height} x {width} photos; the app gives square ones")
    elif input_size not in (None, height):
        raise ModelFileError(f"{source}: the model takes {height} x {height} photos, not {input_size} x "
                              f"{input_size}")
    output = tuple(model.output_shape)
    if len(output) != 2 or output[1] is None or output[1] < 2:
        raise ModelFileError(f"{source}: the model's output {output} is not one score per class (two or more)")
    activation = _final_activation(model)
    if activation == "softmax" or (activation is None and _sums_to_one(model)):
        return model
    if activation in ("linear", None):
        probabilities = keras.layers.Softmax(name="probabilities", dtype="float32")(model.outputs[0])
        return keras.Model(model.inputs[0], probabilities, name=model.name)
    raise ModelFileError(f"{source}: the model ends in a {activation} activation: its outputs are neither class "
                          "probabilities (softmax) nor logits")


def _fixed_input(model, source: str, input_size: int | None, channels: int):
    """The same layers (shared weights) on an input of `input_size` x `input_size`."""
    import keras

    if input_size is None or input_size < 1:
        raise ModelFileError(f"{source}: the model accepts any input size: give one (--input-size)")
    try:
        return keras.models.clone_model(model, input_tensors=keras.Input((input_size, input_size, channels)),
                                        clone_function=lambda layer: layer)
    except ValueError:  # Keras' message is a multi-line call report
        raise ModelFileError(f"{source}: the model cannot take {input_size} x {input_size} photos") from None


def _final_activation(model) -> str | None:
    """The name of the last layer's activation ("softmax", "linear", ...), None where it has none."""
    import keras

    layer = head_layer(model)
    if isinstance(layer, keras.layers.Softmax):
        return "softmax"
    return getattr(getattr(layer, "activation", None), "__name__", None)


def _sums_to_one(model) -> bool:
    """Whether the outputs for two noise photos are probabilities (non-negative, summing to 1)."""
    size, channels = model.input_shape[1], model.input_shape[-1]
    pixels = np.random.default_rng(0).uniform(0, 255, (2, size, size, channels)).astype(np.float32)
    outputs = np.asarray(model(pixels, training=False), dtype=np.float64)
    return bool((outputs >= 0).all() and np.allclose(outputs.sum(axis=1), 1.0, atol=1e-3))
