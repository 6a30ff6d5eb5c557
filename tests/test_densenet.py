"""The engine's DenseNets against the paper, keras.applications and the textbook (../shared/REFERENCE.md)."""

import keras
import numpy as np
import pytest

from engine.model.config import ModelConfig
from engine.model.densenet import build_densenet, dense_block, transition_block
from tests.keras_files import write_legacy_h5_weights


def trainable_params(model) -> int:
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


@pytest.mark.parametrize(
    "variant, total, trainable",
    [
        ("densenet121", 8_062_504, 7_978_856),
        ("densenet169", 14_307_880, 14_149_480),
        ("densenet201", 20_242_984, 20_013_928),
        ("densenet264", 33_736_232, 33_337_704),
    ],
)
def test_parameter_counts_match_keras_applications(variant, total, trainable):
    model = build_densenet(ModelConfig(variant))
    assert model.count_params() == total
    assert trainable_params(model) == trainable


def test_densenet_bc_100_k12_has_the_papers_parameter_count():
    model = build_densenet(ModelConfig("densenet-bc-100-k12", input_size=32, classes=10))
    assert trainable_params(model) == 769_162
    assert model.output_shape == (None, 10)


def test_textbook_dense_block_shape():
    inputs = keras.Input((56, 56, 64))
    assert tuple(dense_block(inputs, 6, 32, "conv2").shape) == (None, 56, 56, 256)


def test_textbook_transition_shape():
    inputs = keras.Input((56, 56, 256))
    assert tuple(transition_block(inputs, 0.5, "pool2").shape) == (None, 28, 28, 128)


def test_layer_names_match_keras_applications():
    ours = build_densenet(ModelConfig("densenet121"))
    reference = keras.applications.DenseNet121(weights=None)
    weighted = lambda model: [layer.name for layer in model.layers if layer.weights]  # noqa: E731
    assert weighted(ours) == weighted(reference)


def test_keras_applications_weights_load_and_give_the_same_outputs(tmp_path):
    keras.utils.set_random_seed(7)
    reference = keras.applications.DenseNet121(weights=None)
    weights = write_legacy_h5_weights(reference, tmp_path / "densenet121_weights_tf_dim_ordering_tf_kernels.h5")
    ours = build_densenet(ModelConfig("densenet121"))
    ours.load_weights(weights)

    batch = np.random.default_rng(0).uniform(0, 255, (4, 224, 224, 3)).astype("float32")
    # Called eagerly: tracing predict for two DenseNet-121s would take most of the test's time.
    expected = reference(keras.applications.densenet.preprocess_input(batch.copy()), training=False).numpy()
    actual = ours(batch, training=False).numpy()
    assert np.max(np.abs(actual - expected)) < 1e-5
    assert not np.allclose(expected, expected[0])  # the batch really discriminates between images


def test_grayscale_small_input_without_head_gives_features():
    model = build_densenet(ModelConfig("densenet121", input_size=32, channels=1, include_top=False))
    assert model.output_shape == (None, 1, 1, 1024)
    pooled = build_densenet(ModelConfig("densenet-bc-40-k12", input_size=32, include_top=False), pooling="avg")
    # 24 stem maps; each block adds 6 x 12; transitions halve: 24+72=96 -> 48+72=120 -> 60+72=132
    assert pooled.output_shape == (None, 132)


def test_dropout_adds_layers_but_no_parameters():
    plain = build_densenet(ModelConfig("densenet-bc-40-k12", input_size=32, classes=3))
    dropped = build_densenet(ModelConfig("densenet-bc-40-k12", input_size=32, classes=3, dropout=0.2))
    assert dropped.count_params() == plain.count_params()
    assert any(isinstance(layer, keras.layers.Dropout) for layer in dropped.layers)


def test_model_takes_raw_pixels():
    model = build_densenet(ModelConfig("densenet-bc-40-k12", input_size=32, classes=2))
    assert model.layers[1].name == "preprocess"
    probabilities = model.predict(np.full((1, 32, 32, 3), 255, "float32"), verbose=0)
    assert probabilities.shape == (1, 2) and np.isclose(probabilities.sum(), 1.0, atol=1e-5)
