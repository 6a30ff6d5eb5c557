"""One training per model file: a second training into the same file is refused at once with one line, a
lock left by a killed training is taken over, and the lock file goes away with its training."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.model.model_lock import ModelBusyError, lock_path, model_lock
from tests.test_training import CLI_TINY, photo_folder, run_cli

HOLDER = textwrap.dedent("""
    import sys, time
    from engine.model.model_lock import model_lock
    with model_lock(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(600)
""")
ROOT = Path(__file__).resolve().parents[1]


def hold_lock(model: Path) -> subprocess.Popen:
    """Another process that holds the lock of `model` until it is killed."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(model)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_training_into_the_same_file_is_refused_and_a_killed_ones_lock_is_taken_over(tmp_path):
    data = photo_folder(tmp_path / "pets", per_class=4)
    model = tmp_path / "models" / "pets.keras"
    holder = hold_lock(model)
    try:
        code, _, errors = run_cli("train", str(data), "--out", str(model), "--epochs", "1",
                                  "--cache-dir", str(tmp_path / "cache"), *CLI_TINY)
        lines = errors.strip().splitlines()
        assert code == 2 and len(lines) == 1, errors
        assert f"another training is writing this model file (process {holder.pid})" in lines[0]
        assert not model.exists()
    finally:
        holder.send_signal(signal.SIGKILL)  # as a killed training: its lock file stays behind
        holder.wait()
    assert lock_path(model).is_file()
    code, printed, errors = run_cli("train", str(data), "--out", str(model), "--epochs", "1",
                                    "--cache-dir", str(tmp_path / "cache"), *CLI_TINY)
    assert code == 0, errors
    assert sorted(path.name for path in model.parent.iterdir()) == ["pets.keras"]  # the lock went with it


def test_the_lock_holds_against_a_second_open_in_the_same_process(tmp_path):
    model = tmp_path / "m.keras"
    with model_lock(model):
        assert lock_path(model).read_text().strip() == str(os.getpid())
        with pytest.raises(ModelBusyError, match="another training"), model_lock(model):
            pass
    assert not lock_path(model).exists()
    with model_lock(model):  # free again
        pass
