"""The architecture report: every stage of a DenseNet (stem, dense blocks, transitions, head) with its
shapes, parameters and multiply-adds, read off the real Keras model so totals match the model's own counts.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

import keras

from engine.model.config import DENSE_BLOCK, FEATURE_LAYER, HEAD, HEAD_LAYER, POOL_LAYER, STEM, TRANSITION, ModelConfig
from engine.model.densenet import build_densenet

_DENSE_LAYER = re.compile(r"^conv(\d+)_block")
_TRANSITION_LAYER = re.compile(r"^pool(\d+)_")


@dataclass(frozen=True)
class LayerInfo:
    name: str
    type: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int
    macs: int


@dataclass(frozen=True)
class Stage:
    name: str
    kind: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    layers: tuple[LayerInfo, ...]

    @property
    def params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def growth(self) -> tuple[tuple[str, int, int], ...]:
        """A dense block's bottleneck layers as (name, maps it sees, maps after it adds its k), read off each
        layer's concatenation: dense connectivity in numbers. Empty for other stages."""
        if self.kind != DENSE_BLOCK:
            return ()
        return tuple((layer.name.removesuffix("_concat"), layer.input_shape[-1], layer.output_shape[-1])
                     for layer in self.layers if layer.type == "Concatenate")

    @property
    def dense_layers(self) -> int:
        """Bottleneck layers in a dense block (what the paper's Table 1 counts); else Keras layers."""
        return len(self.growth) if self.kind == DENSE_BLOCK else len(self.layers)


@dataclass(frozen=True)
class ArchitectureReport:
    variant: str
    input_shape: tuple[int, ...]
    total_params: int
    trainable_params: int
    macs: int
    stages: tuple[Stage, ...]

    def to_dict(self) -> dict:
        """The JSON form: shapes as [height, width, channels] lists, stages with their layer counts."""
        return {
            "variant": self.variant,
            "input_shape": list(self.input_shape),
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "macs": self.macs,
            "stages": [
                {
                    "name": stage.name,
                    "kind": stage.kind,
                    "input_shape": list(stage.input_shape),
                    "output_shape": list(stage.output_shape),
                    "layers": stage.dense_layers,
                    "params": stage.params,
                    "macs": stage.macs,
                    "details": [
                        {**asdict(layer), "input_shape": list(layer.input_shape),
                         "output_shape": list(layer.output_shape)}
                        for layer in stage.layers
                    ],
                }
                for stage in self.stages
            ],
        }

    def to_text(self) -> str:
        """A readable table, one row a stage, with totals."""
        header = f"{'stage':<16}{'input':>16}{'output':>16}{'layers':>8}{'params':>14}{'MACs':>16}"
        rows = [f"{self.variant}  input {format_shape(self.input_shape)}", header, "-" * len(header)]
        for stage in self.stages:
            rows.append(
                f"{stage.name:<16}{format_shape(stage.input_shape):>16}{format_shape(stage.output_shape):>16}"
                f"{stage.dense_layers:>8}{stage.params:>14,}{stage.macs:>16,}"
            )
        rows.append("-" * len(header))
        rows.append(
            f"total params {self.total_params:,} (trainable {self.trainable_params:,}), "
            f"{self.macs / 1e9:.3f} G multiply-adds"
        )
        return "\n".join(rows)


def format_shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _shape(tensor) -> tuple[int, ...]:
    if isinstance(tensor, (list, tuple)):
        tensor = tensor[0]
    return tuple(int(d) for d in tensor.shape[1:])


def layer_macs(layer: keras.layers.Layer) -> int:
    """Multiply-adds of a convolution or dense layer (the count torchvision and the paper report); 0 else."""
    if isinstance(layer, keras.layers.Conv2D):
        kernel_h, kernel_w, in_channels, _ = layer.kernel.shape
        return math.prod(_shape(layer.output)) * kernel_h * kernel_w * in_channels
    if isinstance(layer, keras.layers.Dense):
        return int(layer.kernel.shape[0] * layer.kernel.shape[1])
    return 0


def _stage_of(layer_name: str) -> tuple[str, str]:
    dense = _DENSE_LAYER.match(layer_name)
    if dense:
        return f"dense_block_{int(dense.group(1)) - 1}", DENSE_BLOCK
    transition = _TRANSITION_LAYER.match(layer_name)
    if transition and layer_name != "pool1_pad":
        return f"transition_{int(transition.group(1)) - 1}", TRANSITION
    if layer_name in ("bn", FEATURE_LAYER, POOL_LAYER, HEAD_LAYER) or layer_name.startswith("head"):
        return HEAD, HEAD
    return STEM, STEM


def report_for_model(model: keras.Model, variant: str) -> ArchitectureReport:
    """Group a built DenseNet's layers into stages, in order."""
    groups: dict[str, tuple[str, list[LayerInfo]]] = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        name, kind = _stage_of(layer.name)
        info = LayerInfo(
            name=layer.name,
            type=type(layer).__name__,
            input_shape=_shape(layer.input),
            output_shape=_shape(layer.output),
            params=int(layer.count_params()),
            macs=layer_macs(layer),
        )
        groups.setdefault(name, (kind, []))[1].append(info)
    stages = tuple(
        Stage(name, kind, infos[0].input_shape, infos[-1].output_shape, tuple(infos))
        for name, (kind, infos) in groups.items()
    )
    trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
    return ArchitectureReport(
        variant=variant,
        input_shape=_shape(model.inputs),
        total_params=int(model.count_params()),
        trainable_params=int(trainable),
        macs=sum(stage.macs for stage in stages),
        stages=stages,
    )


def describe(config: ModelConfig) -> ArchitectureReport:
    """Build the model `config` describes and report its stages."""
    return report_for_model(build_densenet(config), config.variant.name)
