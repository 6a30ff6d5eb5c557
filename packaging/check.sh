#!/usr/bin/env bash
# Build the installed app and run its self-test (the frozen executable, no display needed).
# The same check as `scripts/test -m slow tests/test_packaging.py`, kept out of CI because the build takes
# longer than CI's budget allows on a 2-core machine (see README, "The installed app").
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
"$PYTHON" -m pip install --quiet -e ".[package]"
"$PYTHON" packaging/build.py "$@"
QT_QPA_PLATFORM=offscreen dist/DenseNetStudio/DenseNetStudio --self-test
