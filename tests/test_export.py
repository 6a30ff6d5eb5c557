"""Export round trips: each format is written, run with its own runtime and checked against the .keras model."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from engine.cli import main
from engine.errors import WriteError
from engine.inference.export import (
    CHECKING,
    LOADING_BACK,
    ONNX,
    SAVEDMODEL,
    TFLITE,
    WRITING,
    ExportError,
    check_target,
    export_model,
    export_steps,
)
from engine.model.modelfile import load_model, read_metadata, save_model
from tests.classifier_models import save_tiny_model
from tests.refused_folders import refuse_writes


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    return save_tiny_model(tmp_path_factory.mktemp("model") / "tiny.keras", ("cat", "dog", "owl"))


@pytest.mark.parametrize("fmt, name", [(SAVEDMODEL, "served"), (TFLITE, "tiny.tflite"), (ONNX, "tiny.onnx")])
def test_export_round_trip_matches_the_keras_model(model_file, tmp_path, fmt, name):
    result = export_model(model_file, fmt, tmp_path / name)
    assert result.path.exists() and result.passed, result.summary()
    assert result.max_abs_diff < 1e-4 and result.images >= 3 and result.same_top == result.images
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


def test_each_step_is_told_as_it_begins_and_a_stop_between_steps_leaves_nothing(model_file, tmp_path):
    told = []
    result = export_model(model_file, ONNX, tmp_path / "told.onnx", told.append)
    assert [(step.name, step.number, step.total) for step in told] == [
        (WRITING, 1, 3), (LOADING_BACK, 2, 3), (CHECKING, 3, 3)]
    assert [step.text for step in told] == ["writing the ONNX export", "loading it back with ONNX Runtime",
                                            "comparing its answers with the model's on 4 test images"]
    assert result.passed and [path.name for path in tmp_path.iterdir()] == ["told.onnx"]

    model = load_model(model_file).model
    for count, last in enumerate((WRITING, LOADING_BACK, CHECKING), start=1):
        stop = threading.Event()
        names, result = _cancelled_during(export_steps(model, ONNX, tmp_path / "stopped.onnx", stop=stop), last, stop)
        assert names == [WRITING, LOADING_BACK, CHECKING][:count] and result is None
        assert [path.name for path in tmp_path.iterdir()] == ["told.onnx"]  # no partial file, no stopped.onnx


def _cancelled_during(steps, last, stop):
    """Run an export's `steps`, setting `stop` as step `last` begins (a user's Cancel while it runs); the names
    of the steps begun and what the export returned."""
    names = []
    while True:
        try:
            step = next(steps)
        except StopIteration as end:
            return names, end.value
        names.append(step.name)
        if step.name == last:
            stop.set()


def test_a_missing_converter_or_runtime_is_one_line_and_leaves_nothing(model_file, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as where ONNX Runtime has no wheel: import fails
    with pytest.raises(ExportError) as missing:
        export_model(model_file, ONNX, tmp_path / "tiny.onnx")
    assert str(missing.value) == (f"{tmp_path / 'tiny.onnx'}: ONNX export cannot be done on this computer "
                                  "(onnxruntime is not installed)")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_or_unwritable_folder_is_said_before_anything_is_written(model_file, tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("a file where the folder should be")
    with pytest.raises(ExportError, match=r"notes.txt: folder not found"):
        export_model(model_file, TFLITE, tmp_path / "notes.txt" / "tiny.tflite")
    with pytest.raises(ExportError, match="unknown export format 'pt'"):
        check_target("pt", tmp_path / "tiny.pt")
    locked = tmp_path / "locked"
    locked.mkdir()
    refuse_writes(monkeypatch, locked)
    with pytest.raises(WriteError) as refused:
        export_model(model_file, SAVEDMODEL, locked / "served")
    assert str(refused.value) == f"{locked / 'served'}: cannot write (Permission denied)"
    assert list(locked.iterdir()) == []


def test_cli_prints_the_steps_and_the_check(model_file, tmp_path, capsys):
    assert main(["export", str(model_file), "--format", "tflite", "--out", str(tmp_path / "m.tflite")]) == 0
    printed = capsys.readouterr()
    assert "check on 4 images" in printed.out and printed.out.strip().endswith("OK")
    assert "same top class on 4 of 4" in printed.out
    assert printed.err.splitlines() == ["1/3 writing the TFLite export", "2/3 loading it back with LiteRT",
                                        "3/3 comparing its answers with the model's on 4 test images"]
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
