"""The import contracts of pyproject.toml ([tool.importlinter]) hold, and they catch what they forbid."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = "from importlinter.cli import lint_imports; raise SystemExit(lint_imports(no_cache=True, no_logo=True))"


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", LINT], cwd=root, capture_output=True, text=True, timeout=120)


def test_the_import_contracts_hold():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "4 kept, 0 broken" in done.stdout


def test_the_contracts_catch_tensorflow_at_start_an_upward_import_and_qt_in_the_engine(tmp_path):
    for part in ("engine", "gui"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with open(tmp_path / "gui" / "status_line.py", "a", encoding="utf-8") as module:
        module.write("\nimport keras  # noqa: E402\n")  # on the window's start path
    with open(tmp_path / "engine" / "model" / "cost.py", "a", encoding="utf-8") as module:
        module.write("\nfrom engine.data import dataset  # noqa: E402\n")  # model and data are independent
    with open(tmp_path / "engine" / "storage" / "atomic.py", "a", encoding="utf-8") as module:
        module.write("\nfrom PySide6 import QtCore  # noqa: E402\n")
    done = _lint(tmp_path)
    assert done.returncode == 1
    assert "Starting the window or the command line imports no TensorFlow BROKEN" in done.stdout
    assert "gui.status_line -> keras" in done.stdout
    assert "Each engine package imports only the packages below it BROKEN" in done.stdout
    assert "engine.model.cost -> engine.data.dataset" in done.stdout
    assert "The engine imports no Qt and nothing of the window BROKEN" in done.stdout
    assert "0 kept, 3 broken" not in done.stdout and "1 kept, 3 broken" in done.stdout
