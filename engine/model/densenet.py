"""DenseNet model definition, faithful to Huang et al. (CVPR 2017) and to keras.applications.densenet.

Layer names match keras.applications (`conv3_block7_1_conv`, `pool2_conv`, `predictions`), so its ImageNet
weight files load by name. Model definition only: no training, no I/O.
"""

from __future__ import annotations

import keras
from keras import layers

from engine.model.bottleneck import RecomputedBottleneck
from engine.model.config import FEATURE_LAYER, HEAD_LAYER, POOL_LAYER, ModelConfig
from engine.model.fused_batch_norm import FusedBatchNormalization
from engine.model.preprocessing import normalization_layer
from engine.model.variants import IMAGENET_FAMILY, Variant

BN_EPSILON = 1.001e-5


def _batch_norm(name: str, fused: bool) -> layers.BatchNormalization:
    kind = FusedBatchNormalization if fused else layers.BatchNormalization
    return kind(axis=-1, epsilon=BN_EPSILON, name=name)


def _bn_relu(x, name: str, fused: bool = False):
    x = _batch_norm(f"{name}_bn", fused)(x)
    return layers.Activation("relu", name=f"{name}_relu")(x)


def conv_block(x, growth_rate: int, name: str, bottleneck_factor: int = 4, dropout: float = 0.0,
               fused_batch_norm: bool = False):
    """One bottleneck layer: BN-ReLU-1x1 conv (4k) - BN-ReLU-3x3 conv (k), concatenated with its input.

    Args:
        x: input tensor (H, W, C).
        growth_rate: k, the feature maps this layer adds.
        name: block label, e.g. "conv2_block1".
        bottleneck_factor: the 1x1 conv gives bottleneck_factor * k maps.
        dropout: rate of the dropout after each convolution (the paper's choice without augmentation).
        fused_batch_norm: train the batch norms with the fused kernel (engine.model.fused_batch_norm).

    Returns:
        Output tensor (H, W, C + k).
    """
    x1 = _bn_relu(x, f"{name}_0", fused_batch_norm)
    x1 = layers.Conv2D(bottleneck_factor * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(x1)
    if dropout:
        x1 = layers.Dropout(dropout, name=f"{name}_1_dropout")(x1)
    x1 = _bn_relu(x1, f"{name}_1", fused_batch_norm)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(x1)
    if dropout:
        x1 = layers.Dropout(dropout, name=f"{name}_2_dropout")(x1)
    return layers.Concatenate(axis=-1, name=f"{name}_concat")([x, x1])


def memory_efficient_dense_block(
    x, blocks: int, growth_rate: int, name: str, bottleneck_factor: int = 4, dropout: float = 0.0,
    fused_batch_norm: bool = False,
):
    """A dense block whose bottleneck layers see the list of earlier maps and recompute in the backward pass.

    The `_concat` layers stay, chained as in the naive block, and give the block's output; no layer reads an
    intermediate concatenation, so none is kept for the backward pass.
    """
    pieces = [x]
    for i in range(blocks):
        label = f"{name}_block{i + 1}"
        new = RecomputedBottleneck(growth_rate, bottleneck_factor, dropout, BN_EPSILON, fused_batch_norm,
                                   name=label)(pieces)
        x = layers.Concatenate(axis=-1, name=f"{label}_concat")([x, new])
        pieces.append(new)
    return x


def dense_block(
    x, blocks: int, growth_rate: int, name: str, bottleneck_factor: int = 4, dropout: float = 0.0,
    memory_efficient: bool = False, fused_batch_norm: bool = False,
):
    """A dense block: `blocks` bottleneck layers, each seeing every earlier layer's maps.

    Args:
        x: input tensor (H, W, C).
        blocks: number of bottleneck layers.
        growth_rate: k.
        name: block label, e.g. "conv2".
        memory_efficient: recompute each bottleneck layer in the backward pass (same weights and names).
        fused_batch_norm: train the batch norms with the fused kernel.

    Returns:
        Output tensor (H, W, C + blocks * k).
    """
    if memory_efficient:
        return memory_efficient_dense_block(x, blocks, growth_rate, name, bottleneck_factor, dropout,
                                            fused_batch_norm)
    for i in range(blocks):
        x = conv_block(x, growth_rate, f"{name}_block{i + 1}", bottleneck_factor, dropout, fused_batch_norm)
    return x


def transition_block(x, compression: float, name: str, fused_batch_norm: bool = False):
    """A transition: BN-ReLU-1x1 conv to floor(compression * C) maps, then 2x2 average pool, stride 2.

    Args:
        x: input tensor (H, W, C).
        compression: theta of the paper (0.5 for DenseNet-BC).
        name: block label, e.g. "pool2".

    Returns:
        Output tensor (H/2, W/2, floor(theta * C)).
    """
    x = _bn_relu(x, name, fused_batch_norm)
    x = layers.Conv2D(int(x.shape[-1] * compression), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def stem(x, variant: Variant, fused_batch_norm: bool = False):
    """ImageNet: 7x7 conv stride 2, BN-ReLU, 3x3 max pool stride 2. Small images: one 3x3 conv of 2k maps."""
    if variant.family != IMAGENET_FAMILY:
        return layers.Conv2D(variant.stem_filters, 3, padding="same", use_bias=False, name="conv1_conv")(x)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(x)
    x = layers.Conv2D(variant.stem_filters, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _bn_relu(x, "conv1", fused_batch_norm)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    return layers.MaxPooling2D(3, strides=2, name="pool1")(x)


def features(x, config: ModelConfig):
    """Stem, dense blocks and transitions, then the final BN-ReLU: the backbone without classifier."""
    variant, fused = config.variant, config.fused_batch_norm
    x = stem(x, variant, fused)
    last = len(variant.blocks) - 1
    for index, blocks in enumerate(variant.blocks):
        x = dense_block(
            x, blocks, variant.growth_rate, f"conv{index + 2}", variant.bottleneck_factor, config.dropout,
            config.memory_efficient, fused,
        )
        if index < last:
            x = transition_block(x, variant.compression, f"pool{index + 2}", fused)
    x = _batch_norm("bn", fused)(x)
    return layers.Activation("relu", name=FEATURE_LAYER)(x)


def build_densenet(config: ModelConfig, pooling: str | None = None) -> keras.Model:
    """Build the DenseNet that `config` describes; it takes raw RGB (or gray) pixels in 0-255.

    Args:
        config: variant, input size, channels, classes, dropout and whether to include the classifier.
        pooling: without the classifier, "avg" ends with global average pooling (a feature vector);
            None keeps the last 4-D feature map.

    Returns:
        A functional keras.Model named after the variant.
    """
    inputs = keras.Input(shape=config.input_shape, name="image")
    x = normalization_layer(config.channels)(inputs)
    x = features(x, config)
    if config.include_top or pooling == "avg":
        x = layers.GlobalAveragePooling2D(name=POOL_LAYER)(x)
    if config.include_top:
        # float32 under mixed precision too: a bfloat16/float16 softmax loses the small probabilities.
        x = layers.Dense(config.classes, activation="softmax", name=HEAD_LAYER, dtype="float32")(x)
    return keras.Model(inputs, x, name=config.variant.name.replace("-", "_"))
