"""The architecture report and its CLI against REFERENCE.md's figures."""

import json
import subprocess
import sys

import pytest

from engine.cli import main
from engine.model.architecture import describe
from engine.model.config import ModelConfig


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


# DenseNet-121 by hand (k = 32, bottleneck 4k = 128, blocks 6-12-24-16, compression 0.5; a batch norm holds 4
# numbers per channel): a dense layer seeing c maps has 4c + 128c + 4*128 + 9*128*32 = 132c + 37,376 params,
# a transition seeing c maps 4c + c*c/2, the head 4*1024 + 1024*1000 + 1000.
STAGE_PARAMS_121 = {
    "stem": 7 * 7 * 3 * 64 + 4 * 64,  # 9,664
    "dense_block_1": 132 * (6 * 64 + 32 * 15) + 6 * 37_376,  # 338,304
    "transition_1": 4 * 256 + 256 * 128,  # 33,792
    "dense_block_2": 132 * (12 * 128 + 32 * 66) + 12 * 37_376,  # 930,048
    "transition_2": 4 * 512 + 512 * 256,  # 133,120
    "dense_block_3": 132 * (24 * 256 + 32 * 276) + 24 * 37_376,  # 2,873,856
    "transition_3": 4 * 1024 + 1024 * 512,  # 528,384
    "dense_block_4": 132 * (16 * 512 + 32 * 120) + 16 * 37_376,  # 2,186,240
    "head": 4 * 1024 + 1024 * 1000 + 1000,  # 1,029,096
}
# Multiply-adds: output positions x kernel area x input channels, per convolution.
STAGE_MACS_121 = {
    "stem": 112 * 112 * 64 * 7 * 7 * 3,  # 118,013,952
    "dense_block_1": 56 * 56 * (128 * (6 * 64 + 32 * 15) + 6 * 32 * 9 * 128),  # 1,040,449,536
    "transition_1": 56 * 56 * 128 * 256,  # the 1x1 convolution runs before the pooling: 102,760,448
    "head": 1024 * 1000,
}


def test_totals_match_the_model(report121):
    assert report121.total_params == 8_062_504 == sum(STAGE_PARAMS_121.values())
    assert report121.trainable_params == 7_978_856
    assert {stage.name: stage.params for stage in report121.stages} == STAGE_PARAMS_121
    stages = {stage.name: stage for stage in report121.stages}
    assert {name: stages[name].macs for name in STAGE_MACS_121} == STAGE_MACS_121
    # Convolution and dense multiply-adds; torchvision lists 2.834 G, REFERENCE.md about 2.87 G.
    assert report121.macs == pytest.approx(2.834e9, rel=0.002)
    assert report121.macs == pytest.approx(2.87e9, rel=0.02)


def test_every_stage_opens_into_layers(report121):
    block = report121.stages[1]
    assert block.layers[0].name == "conv2_block1_0_bn"
    assert block.layers[-1].name == "conv2_block6_concat"
    macs = {layer.name: layer.macs for layer in block.layers}
    assert macs["conv2_block1_1_conv"] == 56 * 56 * 128 * 64 and macs["conv2_block1_2_conv"] == 56 * 56 * 32 * 9 * 128
    assert macs["conv2_block1_0_bn"] == macs["conv2_block1_concat"] == 0


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
    # By hand (k = 12, 16 layers a block, 4k = 48 bottleneck maps): a block at s x s seeing c0 maps first does
    # s*s*(48 * (16*c0 + 12*120) + 16 * 9*48*12) multiply-adds, a transition s*s*c*c/2 before its pooling.
    assert [s["macs"] for s in data["stages"]] == [
        32 * 32 * 24 * 3 * 3 * 3,  # stem: 663,552
        32 * 32 * (48 * (16 * 24 + 1440) + 16 * 5184), 32 * 32 * 216 * 108,  # 174,587,904; 23,887,872
        16 * 16 * (48 * (16 * 108 + 1440) + 16 * 5184), 16 * 16 * 300 * 150,  # 60,162,048; 11,520,000
        8 * 8 * (48 * (16 * 150 + 1440) + 16 * 5184),  # 17,104,896
        342 * 10,  # head
    ]
    assert data["macs"] == 287_929_692  # the 0.29 G engine.training.train_config quotes
    assert (data["stages"][0]["params"], data["stages"][-1]["params"]) == (3 * 3 * 3 * 24, 4 * 342 + 342 * 10 + 10)


def test_summary_text_is_a_table(capsys):
    assert main(["summary", "densenet-bc-40-k12"]) == 0
    out = capsys.readouterr().out
    assert "dense_block_1" in out and "(32, 32, 24)" in out and "total params" in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (["summary", "densenet99"], "unknown variant 'densenet99'"),
        (["summary", "densenet121", "--input-size", "16"], "too small"),
        (["summary", "densenet121", "--classes", "0"], "argument --classes: 0 is not from 1 to 100,000"),
    ],
)
def test_summary_errors_are_one_line(capsys, argv, words):
    try:
        code = main(argv)
    except SystemExit as refused:  # refused while the arguments are parsed
        code = refused.code
    assert code == 2
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
