"""engine.model.cost counts a DenseNet's multiply-adds and activations from the variant table alone; it must agree
with the report of the model engine.model.densenet actually builds, and with the published DenseNet-121 figure."""

import math
import subprocess
import sys

import pytest

from engine.errors import ConfigError
from engine.model.architecture import describe
from engine.model.config import ModelConfig
from engine.model.cost import network_cost, network_counts
from engine.model.variants import edited, get_variant


@pytest.mark.parametrize("variant, size, channels, classes", [
    ("densenet121", 224, 3, 1000),
    ("densenet121", 97, 3, 5),  # odd sizes: the 7x7 stride-2 stem, the max pool and the transitions round down
    ("densenet-bc-40-k12", 32, 3, 10),
    ("densenet-bc-40-k12", 28, 1, 10),
    ("densenet-bc-16-k4", 33, 1, 3),
])
def test_counts_equal_the_built_model(variant, size, channels, classes):
    report = describe(ModelConfig(variant, input_size=size, channels=channels, classes=classes))
    cost = network_cost(variant, size, channels, classes)
    assert cost.macs == report.macs
    assert cost.activations == sum(math.prod(layer.output_shape) for stage in report.stages
                                   for layer in stage.layers)


def test_densenet121_multiply_adds_are_torchvisions_figure():
    assert network_cost("densenet121", 224).macs == pytest.approx(2.834e9, rel=5e-4)


def test_counting_imports_no_tensorflow():
    code = "import sys; from engine.model.cost import network_cost; network_cost('densenet201', 224); " \
           "print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("base, growth, blocks, compression, size, classes", [
    ("densenet-bc-40-k12", 16, (8, 3, 5), 0.4, 32, 10),  # CIFAR family, unequal blocks, theta rounding down
    ("densenet-bc-16-k4", 7, (2, 2, 2), 1.0, 20, 3),  # no compression at all
    ("densenet121", 8, (2, 3, 1, 2), 0.35, 64, 5),  # the ImageNet stem and four blocks
])
def test_edited_networks_count_what_keras_builds(base, growth, blocks, compression, size, classes):
    """The Architecture tab's live numbers for an edited k, blocks and theta: the model built through
    ModelConfig from the edited variant's name has the same layers, parameters and multiply-adds."""
    variant = edited(get_variant(base), growth, blocks, compression)
    report = describe(ModelConfig(variant.name, input_size=size, classes=classes))
    counts = network_counts(variant, size, classes=classes)
    assert (counts.params, counts.trainable_params, counts.macs) == (
        report.total_params, report.trainable_params, report.macs)
    stages = {stage.name: stage for stage in report.stages}
    for number, block in enumerate(counts.blocks, start=1):
        stage = stages[f"dense_block_{number}"]
        assert [(layer.maps_in, layer.maps_out) for layer in block.layers] == [
            (seen, after) for _, seen, after in stage.growth]
        for index, layer in enumerate(block.layers, start=1):
            own = [info for info in stage.layers if info.name.startswith(f"conv{number + 1}_block{index}_")]
            assert (layer.params, layer.macs) == (sum(i.params for i in own), sum(i.macs for i in own))
        assert (block.size, block.maps_in) == (stage.input_shape[:2], stage.input_shape[2])
        if block.transition is not None:
            transition = stages[f"transition_{number}"]
            assert (block.transition.params, block.transition.macs) == (transition.params, transition.macs)
            assert (*block.transition.size_out, block.transition.maps_out) == transition.output_shape
            assert block.transition.maps_out == int(block.transition.maps_in * compression)


def test_published_variants_count_the_reference_parameters():
    """REFERENCE.md's keras.applications and DenseNet-BC figures, without building anything."""
    assert network_counts("densenet121", 224).params == 8_062_504
    assert network_counts("densenet264", 224).trainable_params == 33_337_704
    assert network_counts("densenet-bc-100-k12", 32, classes=10).trainable_params == 769_162


def test_an_edit_that_leaves_no_maps_is_refused():
    with pytest.raises(ConfigError, match="no feature maps"):
        edited(get_variant("densenet-bc-10-k4"), 1, (1, 1, 1), 0.1)
    with pytest.raises(ConfigError, match="3 dense blocks, not 2"):
        edited(get_variant("densenet-bc-10-k4"), 4, (1, 1), 0.5)
