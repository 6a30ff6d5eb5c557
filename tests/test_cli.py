"""The command line starts without TensorFlow, so argument and dataset errors answer at once."""

import subprocess
import sys


def test_cli_imports_no_tensorflow_until_a_command_needs_it():
    code = "import sys, engine.cli; print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"
