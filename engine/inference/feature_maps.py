"""What a DenseNet sees in one photo: the feature maps after the stem and after every dense block and
transition, so the Architecture tab can show the lesson on a real picture.

Stages are found by engine.model.architecture's grouping of layer names, so any model the app builds, trains or
loads (ImageNet weights included) is split the same way as its architecture report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from engine.data.images import decode_image
from engine.errors import StudioError
from engine.model.architecture import report_for_model
from engine.model.config import DENSE_BLOCK, HEAD

SHOWN_MAPS = 8


@dataclass(frozen=True)
class StageMaps:
    """One stage's output: its shape and its most active maps as small grey pictures."""

    stage: str  # engine.model.architecture's stage name, e.g. "dense_block_1"
    kind: str
    shape: tuple[int, ...]  # (height, width, channels) of the whole output
    channels: tuple[int, ...]  # which maps are shown, most active first
    maps: np.ndarray  # (len(channels), height, width) uint8, each map scaled to 0-255 on its own


def _most_active(output: np.ndarray, count: int) -> tuple[tuple[int, ...], np.ndarray]:
    """The `count` maps with the largest mean activation (a dense block's first maps are only its input
    passed on, so the first channels would show little), each stretched to 0-255."""
    channels = tuple(int(c) for c in np.argsort(output.mean(axis=(0, 1)))[::-1][:count])
    maps = np.moveaxis(output[..., list(channels)], -1, 0).astype(np.float32)
    low = maps.min(axis=(1, 2), keepdims=True)
    span = np.maximum(maps.max(axis=(1, 2), keepdims=True) - low, 1e-12)
    return channels, np.round((maps - low) / span * 255).astype(np.uint8)


def feature_maps(model, photo: Path | str, count: int = SHOWN_MAPS) -> list[StageMaps]:
    """Run `model` on `photo` and return every stage's output but the head's, in order.

    Raises:
        ImageDecodeError: the photo cannot be read.
        StudioError: the model has no DenseNet stages (not built by this app or keras.applications).
    """
    stages = [stage for stage in report_for_model(model, model.name).stages if stage.kind != HEAD]
    if not any(stage.kind == DENSE_BLOCK for stage in stages):
        raise StudioError(f"{model.name} has no dense blocks to show")
    size, channels = int(model.input_shape[1]), int(model.input_shape[-1])
    pixels = decode_image(photo, size, channels)[None].astype(np.float32)
    probe = keras.Model(model.input, [model.get_layer(stage.layers[-1].name).output for stage in stages])
    outputs = probe(pixels, training=False)
    result = []
    for stage, output in zip(stages, outputs):
        output = np.asarray(output)[0]
        shown, maps = _most_active(output, count)
        result.append(StageMaps(stage.name, stage.kind, tuple(output.shape), shown, maps))
    return result
