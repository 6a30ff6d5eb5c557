"""Test set-up: offscreen Qt, TensorFlow backend, quiet logs. Fixtures shared by engine and GUI tests."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import engine  # noqa: E402,F401  (its TensorFlow environment applies before any test imports TensorFlow)
