"""The architecture report and its CLI against REFERENCE.md's figures."""

import json
import subprocess
import sys

import pytest

from engine.architecture import describe
from engine.cli import main
from engine.config import ModelConfig


@pytest.fixture(scope="module")
def report121():
    return describe(ModelConfig("densenet121"))


def test_stages_in_order(report121):
    assert [stage.name for stage in report121.stages] == [
        "stem", "dense_block_1", "transition_1", "dense_block_2", "transition_2",
        "dense_block_3", "transition_3", "dense_block_4", "head",
    ]
    assert [stage.dense_layers for stage in report121.stages if stage.kind == "dense_block"] == [6, 12, 24, 16]


def test_textbook_shapes_in_the_report(report121):
    stages = {stage.name: stage for stage in report121.stages}
    assert (stages["dense_block_1"].input_shape, stages["dense_block_1"].output_shape) == ((56, 56, 64), (56, 56, 256))
    assert (stages["transition_1"].input_shape, stages["transition_1"].output_shape) == ((56, 56, 256), (28, 28, 128))
    assert stages["stem"].input_shape == (224, 224, 3)
    assert stages["head"].output_shape == (1000,)


def test_totals_match_the_model(report121):
    assert report121.total_params == 8_062_504
    assert report121.trainable_params == 7_978_856
    assert sum(stage.params for stage in report121.stages) == report121.total_params
    # Convolution and dense multiply-adds; torchvision lists 2.834 G, REFERENCE.md about 2.87 G.
    assert report121.macs == pytest.approx(2.834e9, rel=0.002)
    assert report121.macs == pytest.approx(2.87e9, rel=0.02)


def test_every_stage_opens_into_layers(report121):
    block = report121.stages[1]
    assert block.layers[0].name == "conv2_block1_0_bn"
    assert block.layers[-1].name == "conv2_block6_concat"
    assert block.macs == sum(layer.macs for layer in block.layers) > 0


def test_dense_block_growth_adds_k_maps_per_layer(report121):
    growth = report121.stages[1].growth
    assert growth[0] == ("conv2_block1", 64, 96)
    assert [seen for _, seen, _ in growth] == list(range(64, 256, 32))
    assert all(after - seen == 32 for _, seen, after in growth)
    assert report121.stages[2].growth == ()


def test_summary_json(capsys):
    assert main(["summary", "densenet-bc-100-k12", "--json"]) == 0  # DenseNet-BC: 10 classes unless given
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"variant", "input_shape", "total_params", "trainable_params", "macs", "stages"}
    assert data["variant"] == "densenet-bc-100-k12"
    assert data["input_shape"] == [32, 32, 3]
    assert data["trainable_params"] == 769_162
    assert [s["kind"] for s in data["stages"]] == ["stem", "dense_block", "transition", "dense_block",
                                                   "transition", "dense_block", "head"]
    for stage in data["stages"]:
        assert set(stage) >= {"name", "kind", "input_shape", "output_shape", "layers", "params", "macs"}
    assert sum(s["macs"] for s in data["stages"]) == data["macs"]


def test_summary_text_is_a_table(capsys):
    assert main(["summary", "densenet-bc-40-k12"]) == 0
    out = capsys.readouterr().out
    assert "dense_block_1" in out and "(32, 32, 24)" in out and "total params" in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (["summary", "densenet99"], "unknown variant 'densenet99'"),
        (["summary", "densenet121", "--input-size", "16"], "too small"),
        (["summary", "densenet121", "--classes", "0"], "at least 1"),
    ],
)
def test_summary_errors_are_one_line(capsys, argv, words):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err and "Traceback" not in err


def test_installed_command_prints_json_for_densenet121():
    result = subprocess.run(
        [sys.executable, "-m", "gui.launcher", "summary", "densenet121", "--json"],
        capture_output=True, text=True, timeout=300, check=True,
    )
    data = json.loads(result.stdout)
    assert (data["total_params"], data["trainable_params"]) == (8_062_504, 7_978_856)
    assert data["stages"][1]["input_shape"] == [56, 56, 64] and data["stages"][1]["output_shape"] == [56, 56, 256]
