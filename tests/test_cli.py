"""The command line starts without TensorFlow, so argument and dataset errors answer at once."""

import subprocess
import sys


def test_cli_imports_no_tensorflow_until_a_command_needs_it():
    code = "import sys, engine.cli; print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"


def test_checking_training_settings_imports_no_tensorflow():
    code = ("import sys; from engine.train_config import TrainConfig; "
            "TrainConfig(out='m.keras', variant='densenet-bc-10-k4', input_size=32, batch_size=8); "
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"  # the train command says it is starting before TensorFlow loads
