"""Export round trips: each format is written, run with its own runtime and checked against the .keras model."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main
from engine.inference.export import ONNX, SAVEDMODEL, TFLITE, ExportError, export_model
from engine.model.modelfile import load_model, read_metadata, save_model
from tests.classifier_models import save_tiny_model


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    return save_tiny_model(tmp_path_factory.mktemp("model") / "tiny.keras", ("cat", "dog", "owl"))


@pytest.mark.parametrize("fmt, name", [(SAVEDMODEL, "served"), (TFLITE, "tiny.tflite"), (ONNX, "tiny.onnx")])
def test_export_round_trip_matches_the_keras_model(model_file, tmp_path, fmt, name):
    result = export_model(model_file, fmt, tmp_path / name)
    assert result.path.exists() and result.passed, result.summary()
    assert result.max_abs_diff < 1e-4 and result.images >= 3
    assert [path.name for path in tmp_path.iterdir()] == [name]  # no partial file left behind


def test_a_name_of_the_file_systems_longest_is_exported(model_file, tmp_path):
    """255 bytes, the most a name may have: the hidden partial name beside it must not be longer."""
    name = "n" * (255 - len(".tflite")) + ".tflite"
    assert export_model(model_file, TFLITE, tmp_path / name).passed
    assert [path.name for path in tmp_path.iterdir()] == [name]


def test_the_check_says_when_the_app_averages_mirror_images_and_the_export_does_not(model_file, tmp_path):
    mirrored = save_model(load_model(model_file).model, tmp_path / "mirrored.keras",
                          dataclasses.replace(read_metadata(model_file), test_time_flip=True))
    assert "the app averages this model's answers for a photo and its mirror image" in export_model(
        mirrored, TFLITE, tmp_path / "m.tflite").summary()
    assert "mirror" not in export_model(model_file, TFLITE, tmp_path / "plain.tflite").summary()


def test_refuses_to_overwrite_or_misname(model_file, tmp_path):
    (tmp_path / "taken.tflite").write_bytes(b"mine")
    with pytest.raises(ExportError, match="already exists"):
        export_model(model_file, TFLITE, tmp_path / "taken.tflite")
    assert (tmp_path / "taken.tflite").read_bytes() == b"mine"
    with pytest.raises(ExportError, match="must end in .onnx"):
        export_model(model_file, ONNX, tmp_path / "model.tflite")


def test_cli_prints_the_check(model_file, tmp_path, capsys):
    assert main(["export", str(model_file), "--format", "tflite", "--out", str(tmp_path / "m.tflite")]) == 0
    out = capsys.readouterr().out
    assert "check on 4 images" in out and out.strip().endswith("OK")
    assert main(["export", str(tmp_path / "missing.keras"), "--format", "onnx", "--out", str(tmp_path / "x.onnx")]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform != "linux", reason="the file size limit is set with bash's ulimit")
def test_a_full_disk_during_a_savedmodel_export_is_one_line(model_file, tmp_path):
    """TensorFlow writes a SavedModel in C++, past Python's reach; a file size limit (ulimit -f, in KiB, with
    SIGXFSZ ignored) makes its writes fail at the operating system as a full disk would."""
    out = tmp_path / "served"
    command = (f"trap '' XFSZ; ulimit -f 200; exec '{sys.executable}' -m engine export '{model_file}' "
               f"--format savedmodel --out '{out}'")
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).parent.parent, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-1].endswith(f"{out}: could not write the export (File too large)")
    assert list(tmp_path.iterdir()) == []  # no partial export left
