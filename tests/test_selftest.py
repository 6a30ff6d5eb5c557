"""The `--self-test` from the source tree (the frozen run is tests/test_packaging.py), and resource lookup."""

import io
import sys

import pytest

from engine.commands.selftest import STEPS, run_self_test
from engine.storage.resources import resource_path
from gui.launcher import main


@pytest.mark.heavy
def test_self_test_passes_from_source_through_the_launcher(capsys):
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    for number, (name, _) in enumerate(STEPS, start=1):
        assert f"self-test [{number}/{len(STEPS)}] {name}: ok" in out
    assert "source tree" in out
    assert "1000 ImageNet class names" in out
    assert "in a spawned process" in out
    assert "loaded in safe mode" in out and "classifies as the file does (onnx float32" in out
    assert "not-a-photo.jpg: error reported" in out
    assert "self-test passed" in out


def test_self_test_names_the_missing_files_of_a_broken_bundle(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)  # a bundle without resources/
    out = io.StringIO()
    assert run_self_test(out) == 1
    report = out.getvalue()
    assert "installed app" in report
    assert "resources: FAILED" in report
    assert str(tmp_path / "resources" / "imagenet_class_index.json") in report
    assert "self-test passed" not in report


def test_resources_are_found_in_the_source_tree():
    assert resource_path("icons", "densenet-studio.svg").is_file()
    assert resource_path("imagenet_class_index.json").is_file()
