"""The command line starts without TensorFlow, so argument and dataset errors answer at once."""

import os
import subprocess
import sys

from engine.data.cache_index import LIMIT_ENV


def test_cli_imports_no_tensorflow_until_a_command_needs_it():
    code = "import sys, engine.cli; print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"


def test_checking_training_settings_imports_no_tensorflow():
    code = ("import sys; from engine.training.train_config import TrainConfig; "
            "TrainConfig(out='m.keras', variant='densenet-bc-10-k4', input_size=32, batch_size=8); "
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"  # the train command says it is starting before TensorFlow loads


def test_a_cache_limit_that_is_not_a_size_is_one_line_before_any_work(tmp_path):
    flag = subprocess.run([sys.executable, "-m", "engine", "train", str(tmp_path), "--out", "m.keras",
                           "--cache-limit", "10XB"], capture_output=True, text=True, timeout=120, check=False)
    assert flag.returncode == 2
    assert flag.stderr.splitlines()[-1] == ("densenet-studio train: error: argument --cache-limit: '10XB' is not a "
                                            "size (write it like 10GB, 500MB or 2GiB) "
                                            "(see densenet-studio train --help)")
    environment = {**os.environ, LIMIT_ENV: "lots"}
    variable = subprocess.run([sys.executable, "-m", "engine", "evaluate", "m.keras", str(tmp_path)],
                              capture_output=True, text=True, timeout=120, env=environment, check=False)
    assert variable.returncode == 2
    assert variable.stderr.strip() == ("densenet-studio evaluate: error: DENSENET_STUDIO_CACHE_LIMIT: 'lots' is not a "
                                       "size (write it like 10GB, 500MB or 2GiB)")


def test_a_reader_that_goes_away_ends_the_output_quietly():
    """`densenet-studio summary … --json | head -c 100`: no BrokenPipeError traceback, exit 141 as git's."""
    reader = subprocess.Popen(["head", "-c", "100"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run([sys.executable, "-m", "engine", "summary", "densenet121", "--json"], stdout=reader.stdin,
                            stderr=subprocess.PIPE, text=True, timeout=300, check=False,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    reader.stdin.close()
    reader.wait(timeout=60)
    assert writer.returncode == 141 and "Traceback" not in writer.stderr, writer.stderr
