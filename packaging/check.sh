#!/usr/bin/env bash
# Build the installed app and run its self-test (the frozen executable, no display needed), printing both
# as they go. CI runs the fuller `scripts/test -m slow tests/test_packaging.py` (which also installs the app
# into a temporary home); see docs/install.md, "The installed app". On Linux the build installs into its own venv.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
"$PYTHON" -m pip install --quiet -e ".[package]"
"$PYTHON" packaging/build.py "$@"
QT_QPA_PLATFORM=offscreen dist/DenseNetStudio/DenseNetStudio --self-test
