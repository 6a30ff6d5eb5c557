"""Test set-up: offscreen Qt, TensorFlow backend, quiet logs. Fixtures shared by engine and GUI tests."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
