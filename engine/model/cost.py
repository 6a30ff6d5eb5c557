"""What a DenseNet costs, computed from the variant table alone: no TensorFlow, no model built.

The automatic settings and the duration estimate run before TensorFlow is imported (the Train tab shows
them while the user looks at the dataset check), and the compute plan needs the activation memory without
building a whole extra model. The counts follow engine.model.densenet layer by layer, so they equal what
engine.model.architecture reports for a built model (tests/test_cost.py checks that).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.model.variants import IMAGENET_FAMILY, Variant, get_variant


@dataclass(frozen=True)
class Cost:
    """Per image: multiply-adds of the forward pass, and activation values it produces (every layer's output)."""

    macs: int
    activations: int


class _Tally:
    """Walks the network as engine.model.densenet builds it, adding each layer's output size and multiply-adds."""

    def __init__(self, size: int, channels: int):
        self.height = self.width = size
        self.channels = channels
        self.macs = 0
        self.activations = size * size * channels  # the normalisation layer's output

    def _emit(self, channels: int | None = None, times: int = 1) -> None:
        self.channels = self.channels if channels is None else channels
        self.activations += times * self.height * self.width * self.channels

    def conv(self, filters: int, kernel: int, stride: int = 1, padding_same: bool = True) -> None:
        if not padding_same:
            self.height = (self.height - kernel) // stride + 1
            self.width = (self.width - kernel) // stride + 1
        in_channels = self.channels
        self._emit(filters)
        self.macs += self.height * self.width * filters * kernel * kernel * in_channels

    def pad(self, amount: int) -> None:
        self.height += 2 * amount
        self.width += 2 * amount
        self._emit()

    def pool(self, size: int, stride: int) -> None:
        self.height = (self.height - size) // stride + 1
        self.width = (self.width - size) // stride + 1
        self._emit()

    def bn_relu(self) -> None:
        self._emit(times=2)


def _stem(tally: _Tally, variant: Variant) -> None:
    if variant.family != IMAGENET_FAMILY:
        tally.conv(variant.stem_filters, 3)
        return
    tally.pad(3)
    tally.conv(variant.stem_filters, 7, stride=2, padding_same=False)
    tally.bn_relu()
    tally.pad(1)
    tally.pool(3, 2)


def _bottleneck(tally: _Tally, variant: Variant) -> None:
    """BN-ReLU-1x1 conv (4k), BN-ReLU-3x3 conv (k), concatenation."""
    block_input = tally.channels
    tally.bn_relu()
    tally.conv(variant.bottleneck_factor * variant.growth_rate, 1)
    tally.bn_relu()
    tally.conv(variant.growth_rate, 3)
    tally._emit(block_input + variant.growth_rate)


def _transition(tally: _Tally, variant: Variant) -> None:
    tally.bn_relu()
    tally.conv(int(tally.channels * variant.compression), 1)
    tally.pool(2, 2)


def network_cost(variant: str | Variant, input_size: int, channels: int = 3, classes: int = 1000) -> Cost:
    """Forward multiply-adds (convolutions and the classifier, as torchvision counts) and activation values
    of one image through the full classifier."""
    variant = variant if isinstance(variant, Variant) else get_variant(variant)
    tally = _Tally(input_size, channels)
    _stem(tally, variant)
    last = len(variant.blocks) - 1
    for index, layers in enumerate(variant.blocks):
        for _ in range(layers):
            _bottleneck(tally, variant)
        if index < last:
            _transition(tally, variant)
    tally.bn_relu()
    features = tally.channels
    return Cost(macs=tally.macs + features * classes, activations=tally.activations + features + classes)
