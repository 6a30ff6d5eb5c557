"""A quiet terminal: TensorFlow's native start-up lines are hidden from the CLI unless --verbose, and
everything else written meanwhile still reaches the user."""

import os
import subprocess
import sys
from pathlib import Path

from engine.runtime.native_logs import NATIVE_LINE, native_lines_filtered

ROOT = Path(__file__).resolve().parents[1]


def test_the_filter_hides_native_lines_and_passes_the_rest(capfd):
    with native_lines_filtered():
        os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
                    b"I0000 00:00:1796094639.866967    2365 port.cc:153] oneDNN custom operations are on.\n"
                    b"E0000 00:00:1796094643.919051    2365 cuda_platform.cc:52] failed call to cuInit\n"
                    b"a warning of our own\n")
    assert capfd.readouterr().err == "a warning of our own\n"


def _user_environment() -> dict:
    """The environment of a user who set no log level (this test process's engine import set both)."""
    return {key: value for key, value in os.environ.items()
            if key not in ("TF_CPP_MIN_LOG_LEVEL", "DENSENET_STUDIO_USER_TF_LOG_LEVEL")}


def _summary(*extra: str) -> str:
    environment = _user_environment()
    done = subprocess.run([sys.executable, "-m", "engine", "summary", "densenet-bc-10-k4", *extra], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_the_cli_hides_tensorflows_start_up_lines_unless_verbose():
    assert _summary() == ""
    verbose = _summary("--verbose")
    assert any(NATIVE_LINE.match(line.encode()) for line in verbose.splitlines()), verbose  # oneDNN's notice at least


CHILD_LOADS_TENSORFLOW = """
import multiprocessing
import engine  # sets TensorFlow's default log level in this process's environment, which the child inherits
from engine.runtime.native_logs import load_tensorflow

if __name__ == "__main__":
    child = multiprocessing.get_context("spawn").Process(target=load_tensorflow)
    child.start()
    child.join()
    raise SystemExit(child.exitcode)
"""


def test_the_apps_child_processes_load_tensorflow_quietly_too(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD_LOADS_TENSORFLOW)
    environment = {**_user_environment(), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr
