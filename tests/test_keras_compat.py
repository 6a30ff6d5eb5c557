"""engine.runtime.keras_compat: each reach past Keras' and TensorFlow's public API still does what the app needs."""

import os
import subprocess
import sys
from pathlib import Path

import keras

from engine.runtime.keras_compat import all_layers, onednn_enabled

ROOT = Path(__file__).resolve().parents[1]


def test_all_layers_finds_the_layers_nested_in_a_sub_model():
    inner_input = keras.Input((4,))
    inner = keras.Model(inner_input, keras.layers.BatchNormalization(name="nested_bn")(inner_input), name="inner")
    outer_input = keras.Input((4,))
    outer = keras.Model(outer_input, keras.layers.Dense(2, name="top")(inner(outer_input)))
    assert "nested_bn" not in [layer.name for layer in outer.layers]
    assert {"inner", "nested_bn", "top"} <= {layer.name for layer in all_layers(outer)}


def test_keras_home_follows_keras_home_as_keras_reads_it(tmp_path):
    probe = "from engine.runtime.keras_compat import keras_home; print(keras_home())"
    environment = {**os.environ, "KERAS_HOME": str(tmp_path / "kh")}
    out = subprocess.run([sys.executable, "-c", probe], env=environment, capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.strip().splitlines()[-1]
    assert Path(out) == tmp_path / "kh"


def test_onednn_enabled_reads_tensorflows_own_switch():
    """This test process has the switch as the engine set it ("1", unless the tester chose); a child gets the
    other setting. One child only: starting TensorFlow takes seconds."""
    here = os.environ["TF_ENABLE_ONEDNN_OPTS"]
    assert onednn_enabled() is (here == "1")
    other = "0" if here == "1" else "1"
    probe = "import engine, tensorflow; from engine.runtime.keras_compat import onednn_enabled; print(onednn_enabled())"
    answer = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "TF_ENABLE_ONEDNN_OPTS": other},
                            capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()[-1]
    assert answer == str(other == "1")
