"""The configuration that travels from CLI/GUI to the model builder, as one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.errors import ConfigError
from engine.model.variants import DEFAULT_IMAGENET_VARIANT, IMAGENET_INPUT_SIZE, Variant, get_variant

# The layer names other modules rely on (keras.applications' names, so its weight files load by name).
FEATURE_LAYER = "relu"  # the last dense block's output after BN-ReLU, before pooling: Grad-CAM's layer
POOL_LAYER = "avg_pool"  # global average pooling: a transfer-learning backbone ends here
HEAD_LAYER = "predictions"  # the classifier

# The kinds of stage in the architecture report (engine.model.architecture), here so the window can name them without
# importing TensorFlow.
STEM, DENSE_BLOCK, TRANSITION, HEAD = "stem", "dense_block", "transition", "head"


def head_layer(model):
    """The layer that gives the class scores: the last one (named HEAD_LAYER in the app's models; a plain
    Keras model's may be named anything, or be a Softmax after a Dense)."""
    return model.layers[-1]


Auto = Literal["auto"]  # a setting the app chooses (compute plan, inference route, feature route)
AUTO: Auto = "auto"
MAX_CLASSES = 100_000  # ImageNet-21k has 21,841
MAX_INPUT_SIZE = 1024  # px: DenseNet-121 at 1024 px is 21x the work of 224 px; 100,000 px tried to take 30 GB a photo


@dataclass(frozen=True)
class ModelConfig:
    """What to build. Validated on creation, so an impossible model is refused before TensorFlow runs."""

    variant_name: str = DEFAULT_IMAGENET_VARIANT
    input_size: int = IMAGENET_INPUT_SIZE
    channels: int = 3
    classes: int = 1000
    dropout: float = 0.0
    include_top: bool = True
    # Recompute concatenation, batch norm and bottleneck in the backward pass (engine.model.bottleneck): linear
    # instead of quadratic training memory, same weights and layer names.
    memory_efficient: bool = False
    # Training-mode batch norm in TensorFlow's fused kernel (engine.model.fused_batch_norm). The networks that train
    # use it; model files keep Keras' BatchNormalization.
    fused_batch_norm: bool = False
    variant: Variant = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        variant = get_variant(self.variant_name)
        object.__setattr__(self, "variant", variant)
        object.__setattr__(self, "variant_name", variant.name)
        if self.input_size < variant.min_input_size:
            raise ConfigError(
                f"input size {self.input_size} is too small for {variant.name}: "
                f"it needs at least {variant.min_input_size}x{variant.min_input_size}"
            )
        if self.input_size > MAX_INPUT_SIZE:
            raise ConfigError(f"input size {self.input_size} is too large: at most {MAX_INPUT_SIZE} px")
        if self.channels not in (1, 3):
            raise ConfigError(f"input channels must be 1 (grayscale) or 3 (RGB), not {self.channels}")
        if self.include_top and not 1 <= self.classes <= MAX_CLASSES:
            raise ConfigError(f"the number of classes must be from 1 to {MAX_CLASSES:,}, not {self.classes}")
        if not 0.0 <= self.dropout < 1.0:
            raise ConfigError(f"dropout must be in [0, 1), not {self.dropout}")

    @property
    def input_shape(self) -> tuple[int, int, int]:
        return (self.input_size, self.input_size, self.channels)
