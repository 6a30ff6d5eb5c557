"""What a DenseNet costs, computed from the variant table alone: no TensorFlow, no model built.

The automatic settings and the duration estimate run before TensorFlow is imported (the Train tab shows
them while the user looks at the dataset check), the compute plan needs the activation memory without
building a whole extra model, and the Architecture tab's drawing follows an edited k, block or theta at
once. The counts follow engine.model.densenet layer by layer, so they equal what
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


@dataclass(frozen=True)
class LayerCost:
    """One bottleneck layer H_i of a dense block: the maps it receives (all earlier ones), the maps after its k
    are concatenated, and its parameters (batch norms' moving statistics included, as Keras counts) and
    multiply-adds."""

    maps_in: int
    maps_out: int
    params: int
    macs: int


@dataclass(frozen=True)
class TransitionCost:
    """BN-ReLU-1x1 convolution to floor(theta * C) maps, then 2x2 average pooling (height and width halve)."""

    compression: float  # theta
    maps_in: int
    maps_out: int
    size_in: tuple[int, int]
    size_out: tuple[int, int]
    params: int
    macs: int


@dataclass(frozen=True)
class BlockCost:
    """A dense block: its maps' height and width, its input's maps (k0), k, its layers, and the transition
    after it (None after the last block)."""

    size: tuple[int, int]
    maps_in: int
    growth_rate: int
    layers: tuple[LayerCost, ...]
    transition: TransitionCost | None


@dataclass(frozen=True)
class NetworkCounts:
    """Every dense block and transition of a network, and the whole classifier's totals."""

    blocks: tuple[BlockCost, ...]
    params: int
    trainable_params: int
    macs: int


class _Tally:
    """Walks the network as engine.model.densenet builds it, adding each layer's output size, parameters and
    multiply-adds."""

    def __init__(self, size: int, channels: int):
        self.height = self.width = size
        self.channels = channels
        self.macs = self.params = self.trainable = 0
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
        self.params += filters * kernel * kernel * in_channels
        self.trainable += filters * kernel * kernel * in_channels

    def pad(self, amount: int) -> None:
        self.height += 2 * amount
        self.width += 2 * amount
        self._emit()

    def pool(self, size: int, stride: int) -> None:
        self.height = (self.height - size) // stride + 1
        self.width = (self.width - size) // stride + 1
        self._emit()

    def bn_relu(self) -> None:
        self.params += 4 * self.channels  # gamma, beta and the two moving statistics
        self.trainable += 2 * self.channels
        self._emit(times=2)

    def mark(self) -> tuple[int, int]:
        """Parameters and multiply-adds so far: a layer's own are the difference of two marks."""
        return self.params, self.macs

    def since(self, mark: tuple[int, int]) -> tuple[int, int]:
        return self.params - mark[0], self.macs - mark[1]


def _stem(tally: _Tally, variant: Variant) -> None:
    if variant.family != IMAGENET_FAMILY:
        tally.conv(variant.stem_filters, 3)
        return
    tally.pad(3)
    tally.conv(variant.stem_filters, 7, stride=2, padding_same=False)
    tally.bn_relu()
    tally.pad(1)
    tally.pool(3, 2)


def _bottleneck(tally: _Tally, variant: Variant) -> LayerCost:
    """BN-ReLU-1x1 conv (4k), BN-ReLU-3x3 conv (k), concatenation."""
    block_input, start = tally.channels, tally.mark()
    tally.bn_relu()
    tally.conv(variant.bottleneck_factor * variant.growth_rate, 1)
    tally.bn_relu()
    tally.conv(variant.growth_rate, 3)
    tally._emit(block_input + variant.growth_rate)
    return LayerCost(block_input, tally.channels, *tally.since(start))


def _transition(tally: _Tally, variant: Variant) -> TransitionCost:
    maps_in, size_in, start = tally.channels, (tally.height, tally.width), tally.mark()
    tally.bn_relu()
    tally.conv(int(tally.channels * variant.compression), 1)
    tally.pool(2, 2)
    return TransitionCost(variant.compression, maps_in, tally.channels, size_in, (tally.height, tally.width),
                          *tally.since(start))


def _walk(variant: str | Variant, input_size: int, channels: int, classes: int) -> tuple[_Tally, NetworkCounts]:
    """The full classifier, block by block; the tally also holds its activations."""
    variant = variant if isinstance(variant, Variant) else get_variant(variant)
    tally = _Tally(input_size, channels)
    _stem(tally, variant)
    blocks = []
    last = len(variant.blocks) - 1
    for index, layers in enumerate(variant.blocks):
        size, maps_in = (tally.height, tally.width), tally.channels
        costs = tuple(_bottleneck(tally, variant) for _ in range(layers))
        transition = _transition(tally, variant) if index < last else None
        blocks.append(BlockCost(size, maps_in, variant.growth_rate, costs, transition))
    tally.bn_relu()
    head = tally.channels * classes
    return tally, NetworkCounts(tuple(blocks), tally.params + head + classes, tally.trainable + head + classes,
                                tally.macs + head)


def network_counts(variant: str | Variant, input_size: int, channels: int = 3, classes: int = 1000) -> NetworkCounts:
    """Each dense block's layers and transition, and the totals, of the classifier `variant` builds."""
    return _walk(variant, input_size, channels, classes)[1]


def network_cost(variant: str | Variant, input_size: int, channels: int = 3, classes: int = 1000) -> Cost:
    """Forward multiply-adds (convolutions and the classifier, as torchvision counts) and activation values
    of one image through the full classifier."""
    tally, counts = _walk(variant, input_size, channels, classes)
    return Cost(macs=counts.macs, activations=tally.activations + tally.channels + classes)
