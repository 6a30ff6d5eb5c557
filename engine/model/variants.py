"""The DenseNet family as data: one table row a variant, no branches on names.

Pure Python (no TensorFlow), so the GUI can list variants before TensorFlow is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from engine.errors import ConfigError

# A variant's family (its stem and block count), not where weights come from: that is
# engine.training.train_config.IMAGENET_PRETRAINED, and the ImageNet classifier as a model is
# engine.inference.classifier.IMAGENET_SOURCE.
IMAGENET_FAMILY = "imagenet"
IMAGENET_INPUT_SIZE = 224  # px: ImageNet DenseNets' published size, which their ImageNet weights were trained at
CIFAR_INPUT_SIZE = 32  # px: DenseNet-BC's published size (CIFAR)
DEFAULT_IMAGENET_VARIANT = "densenet121"  # the ImageNet DenseNet the app offers and builds by default
CIFAR_FAMILY = "cifar"


@dataclass(frozen=True)
class Variant:
    """One DenseNet of the paper: its stem family, layers per dense block and growth rate."""

    name: str
    family: str  # IMAGENET_FAMILY (7x7 stem + max pool, four blocks) or CIFAR_FAMILY (3x3 stem, three blocks)
    blocks: tuple[int, ...]
    growth_rate: int
    compression: float = 0.5
    bottleneck_factor: int = 4

    @property
    def stem_filters(self) -> int:
        return 64 if self.family == IMAGENET_FAMILY else 2 * self.growth_rate

    @property
    def default_input_size(self) -> int:
        """The size the variant was published for: ImageNet's 224, CIFAR's 32."""
        return IMAGENET_INPUT_SIZE if self.family == IMAGENET_FAMILY else CIFAR_INPUT_SIZE

    @property
    def default_classes(self) -> int:
        """The class count it was published with: ImageNet's 1000, CIFAR-10's 10 (the paper's 0.8 M parameters
        for DenseNet-BC L=100, k=12 are counted at 10)."""
        return 1000 if self.family == IMAGENET_FAMILY else 10

    @property
    def min_input_size(self) -> int:
        """Smallest height/width that leaves at least one pixel after every downsampling."""
        return 32 if self.family == IMAGENET_FAMILY else 2 ** (len(self.blocks) - 1)

    @property
    def depth(self) -> int:
        """L of the paper: two convolutions per bottleneck layer, plus stem, transitions and classifier.

        DenseNet-264 keeps its published name although this count gives 265 for its blocks (6, 12, 64, 48).
        """
        return 2 * sum(self.blocks) + len(self.blocks) + 1

    @property
    def label(self) -> str:
        if self.family == IMAGENET_FAMILY:
            return f"DenseNet-{self.name.removeprefix('densenet')}"
        return f"DenseNet-BC (L={self.depth}, k={self.growth_rate})"


IMAGENET_VARIANTS: dict[str, Variant] = {
    name: Variant(name, IMAGENET_FAMILY, blocks, growth_rate=32)
    for name, blocks in {
        "densenet121": (6, 12, 24, 16),
        "densenet169": (6, 12, 32, 32),
        "densenet201": (6, 12, 48, 32),
        "densenet264": (6, 12, 64, 48),
    }.items()
}

# DenseNet-BC for small images that the GUI offers by default; any densenet-bc-L-kK is accepted.
COMPACT_EXAMPLES = ("densenet-bc-40-k12", "densenet-bc-100-k12", "densenet-bc-190-k40", "densenet-bc-250-k24")

_BC_PATTERN = re.compile(r"^densenet-?bc-?(\d+)-?k(\d+)$")


def variant_names() -> list[str]:
    """Names offered in menus: the ImageNet variants, then the compact examples."""
    return [*IMAGENET_VARIANTS, *COMPACT_EXAMPLES]


# The paper's largest DenseNet-BC is L=250 (k=24), its widest k=40 (L=190); beyond them, a network takes minutes
# to build and days to train, so a typo such as L=100000 is refused instead of hanging in "building".
MIN_BC_DEPTH, MAX_BC_DEPTH, MAX_GROWTH_RATE = 10, 250, 64


# What an edited variant may hold: DenseNet-264's longest block has 64 layers; a transition keeps at least a tenth.
MAX_BLOCK_LAYERS, MIN_COMPRESSION = 64, 0.1
_EDIT_PATTERN = re.compile(r"^(.+)@k(\d+)-b(\d+(?:x\d+)*)-c([\d.]+)$")


def edited(base: Variant, growth_rate: int, blocks: tuple[int, ...], compression: float) -> Variant:
    """`base` with another k, layers per block and theta (the Architecture tab's what-if), named so that
    get_variant and so ModelConfig rebuild it: 'densenet-bc-40-k12@k16-b8x6x6-c0.4'."""
    if len(blocks) != len(base.blocks):
        raise ConfigError(f"{base.name} has {len(base.blocks)} dense blocks, not {len(blocks)}")
    if not 1 <= growth_rate <= MAX_GROWTH_RATE or not all(1 <= layers <= MAX_BLOCK_LAYERS for layers in blocks):
        raise ConfigError(f"k must be from 1 to {MAX_GROWTH_RATE} and every block from 1 to {MAX_BLOCK_LAYERS} "
                          f"layers, not k={growth_rate} and blocks {blocks}")
    if not MIN_COMPRESSION <= compression <= 1:
        raise ConfigError(f"compression must be from {MIN_COMPRESSION} to 1, not {compression}")
    name = f"{base.name}@k{growth_rate}-b{'x'.join(map(str, blocks))}-c{compression:g}"
    variant = replace(base, name=name, growth_rate=growth_rate, blocks=tuple(blocks), compression=compression)
    maps = variant.stem_filters
    for layers in blocks[:-1]:
        maps = int((maps + layers * growth_rate) * compression)
        if maps < 1:
            raise ConfigError(f"compression {compression:g} leaves a transition of {name} no feature maps")
    return variant


def _canonical(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def get_variant(name: str) -> Variant:
    """Look up a variant by name ('densenet121', 'DenseNet-121', 'densenet-bc-100-k12')."""
    key = _canonical(name)
    edit = _EDIT_PATTERN.match(key)
    if edit:
        base, growth, blocks, compression = edit.groups()
        return edited(get_variant(base), int(growth), tuple(map(int, blocks.split("x"))), float(compression))
    imagenet_key = key.replace("-", "")
    if imagenet_key in IMAGENET_VARIANTS:
        return IMAGENET_VARIANTS[imagenet_key]
    match = _BC_PATTERN.match(key)
    if match:
        depth, growth = int(match.group(1)), int(match.group(2))
        if not MIN_BC_DEPTH <= depth <= MAX_BC_DEPTH or (depth - 4) % 6 or not 1 <= growth <= MAX_GROWTH_RATE:
            raise ConfigError(
                f"DenseNet-BC depth L={depth} must be from {MIN_BC_DEPTH} to {MAX_BC_DEPTH} with (L - 4) divisible "
                f"by 6 (e.g. 40, 100, 190, 250), and k from 1 to {MAX_GROWTH_RATE}; not densenet-bc-{depth}-k{growth}"
            )
        per_block = (depth - 4) // 6
        return Variant(f"densenet-bc-{depth}-k{growth}", CIFAR_FAMILY, (per_block,) * 3, growth_rate=growth)
    raise ConfigError(f"unknown variant '{name}'; choose one of {', '.join(IMAGENET_VARIANTS)} or densenet-bc-L-kK")
