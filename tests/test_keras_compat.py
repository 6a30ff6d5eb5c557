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


def test_fused_batch_norm_normalizes_with_the_batch_moments_and_has_a_gradient():
    import numpy as np
    import tensorflow as tf

    from engine.runtime.keras_compat import fused_batch_norm

    x = tf.constant(np.random.default_rng(0).normal(3.0, 2.0, (4, 5, 5, 3)), tf.float32)
    scale, offset = tf.constant([1.0, 2.0, 0.5]), tf.constant([0.0, -1.0, 0.25])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y, mean, variance = fused_batch_norm(x, scale, offset, 1e-3)
        loss = tf.reduce_sum(y * y)
    flat = x.numpy().reshape(-1, 3)
    np.testing.assert_allclose(mean, flat.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(variance, flat.var(axis=0, ddof=1), rtol=1e-4)  # the unbiased variance
    expected = (flat - flat.mean(axis=0)) / np.sqrt(flat.var(axis=0) + 1e-3) * scale.numpy() + offset.numpy()
    np.testing.assert_allclose(y.numpy().reshape(-1, 3), expected, atol=1e-4)
    assert tape.gradient(loss, x) is not None


def _one_step(optimizer, gradient: float = 0.5):
    """A kernel and a bias, one apply_gradients with the same gradient for both."""
    import numpy as np

    kernel = keras.Variable(np.ones((2, 2), "float32"), name="kernel")
    bias = keras.Variable(np.ones(2, "float32"), name="bias")
    optimizer.build([kernel, bias])
    optimizer.apply_gradients([(np.full((2, 2), gradient, "float32"), kernel), (np.full(2, gradient, "float32"), bias)])
    return kernel, bias


def test_an_adamw_that_owns_its_update_replaces_keras_weight_decay_and_update_step():
    import numpy as np

    from engine.runtime.keras_compat import adamw_with_own_update

    calls = []

    class Recording(adamw_with_own_update()):
        def owns_update(self):
            return True

        def update(self, grads, variables, learning_rate):
            calls.append(([variable.name for variable in variables], float(learning_rate)))

    kernel, bias = _one_step(Recording(learning_rate=0.1, weight_decay=0.5))
    assert calls == [(["kernel", "bias"], np.float32(0.1))]
    np.testing.assert_array_equal(kernel.numpy(), 1.0)  # neither Keras' decay nor its Adam step ran
    np.testing.assert_array_equal(bias.numpy(), 1.0)


def test_an_adamw_that_does_not_own_its_update_is_keras_adamw_and_shows_its_moments():
    import numpy as np

    from engine.runtime.keras_compat import adamw_with_own_update

    optimizer = adamw_with_own_update()(learning_rate=0.1, weight_decay=0.5, beta_1=0.9, beta_2=0.99)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    reference = keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5, beta_1=0.9, beta_2=0.99)
    reference.exclude_from_weight_decay(var_names=["bias"])
    kernel, bias = _one_step(optimizer)
    reference_kernel, reference_bias = _one_step(reference)
    np.testing.assert_allclose(kernel.numpy(), reference_kernel.numpy(), rtol=1e-6)
    np.testing.assert_allclose(bias.numpy(), reference_bias.numpy(), rtol=1e-6)
    momentum, velocity = optimizer.moments(kernel)
    np.testing.assert_allclose(momentum.numpy(), 0.1 * 0.5, rtol=1e-6)  # (1 - beta_1) * gradient
    np.testing.assert_allclose(velocity.numpy(), 0.01 * 0.25, rtol=1e-5)  # (1 - beta_2) * gradient²
    assert optimizer.decays(kernel) and not optimizer.decays(bias)
