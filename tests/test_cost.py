"""engine.model.cost counts a DenseNet's multiply-adds and activations from the variant table alone; it must agree
with the report of the model engine.model.densenet actually builds, and with the published DenseNet-121 figure."""

import math
import subprocess
import sys

import pytest

from engine.model.architecture import describe
from engine.model.config import ModelConfig
from engine.model.cost import network_cost


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
