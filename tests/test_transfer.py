"""Transfer learning's feature routes: ONNX Runtime and TFLite equal TensorFlow, the converted backbone is
cached and checked, and a training on a converted route or on TensorFlow ends with the same model.

Tiny real DenseNets at 32x32 with weights files the tests write; nothing is downloaded.
"""

import random
import threading
import time

import numpy as np
import pytest
import tensorflow as tf

from engine.cli import build_parser
from engine.commands.train import config_from_args
from engine.errors import ConfigError
from engine.inference.classifier import GRAPH, ONNX, ONNX_INT8, TFLITE
from engine.inference.tflite_runner import TFLiteRunner
from engine.model.compute import BFLOAT16, Device, activation_elements
from engine.model.modelfile import load_model
from engine.training import transfer
from engine.training.events import PhaseStarted
from engine.training.train_config import TrainConfig
from engine.training.trainer import train
from tests.image_files import make_class_folders
from tests.test_training import TINY, Recorder

VARIANT, SIZE = "densenet-bc-10-k4", 32


@pytest.fixture
def weights(tiny_backbone):
    return tiny_backbone[1]


@pytest.fixture
def conversions(monkeypatch):
    """Counts the backbone conversions that really run."""
    count = []
    for route, (convert, runner) in list(transfer.CONVERTERS.items()):
        def counted(model, path, convert=convert):
            count.append(path)
            convert(model, path)

        monkeypatch.setitem(transfer.CONVERTERS, route, (counted, runner))
    return count


def ensure(weights, cache, route=ONNX):
    return transfer.ensure_backbone(route, VARIANT, SIZE, 3, weights, cache)


def test_converted_features_equal_the_graph_route_within_float_tolerance(weights, tmp_path):
    pixels = np.random.default_rng(0).uniform(0, 255, (11, SIZE, SIZE, 3)).astype(np.float32)
    labels = np.arange(11, dtype=np.int32) % 3
    dataset = tf.data.Dataset.from_tensor_slices((pixels, labels)).batch(4).prefetch(2)  # a partial last batch
    backbone = transfer.build_backbone(VARIANT, SIZE, 3, weights)
    routes = {
        GRAPH: lambda: transfer.graph_forward(backbone, jit_compile=False, bfloat16=False),
        BFLOAT16: lambda: transfer.graph_forward(backbone, jit_compile=False, bfloat16=True),
        TFLITE: lambda: TFLiteRunner(ensure(weights, tmp_path / "cache", TFLITE)),
        ONNX: lambda: transfer.converted_forward(ONNX, ensure(weights, tmp_path / "cache", ONNX)),
    }
    width = int(backbone.output_shape[-1])
    extracted = {name: transfer.extract_features(forward, width, dataset, 11, tmp_path / f"{name}.npy", lambda _: None)
                 for name, forward in routes.items()}
    graph, graph_labels = extracted[GRAPH]
    assert graph.shape == (11, width) and np.ptp(graph) > 0.01
    for route in (TFLITE, ONNX):
        converted, converted_labels = extracted[route]
        np.testing.assert_allclose(converted, graph, rtol=1e-4, atol=1e-6, err_msg=route)
        np.testing.assert_array_equal(converted_labels, graph_labels)
    half, half_labels = extracted[BFLOAT16]
    assert half.dtype == np.float32 and not np.array_equal(half, graph)  # computed in bfloat16, stored float32
    np.testing.assert_allclose(half, graph, rtol=0.05, atol=0.02 * np.abs(graph).max())
    np.testing.assert_array_equal(half_labels, graph_labels)


def test_the_int8_backbone_is_quantised_once_and_its_features_follow_the_float_ones(weights, tmp_path):
    import onnx

    pixels = np.random.default_rng(1).uniform(0, 255, (12, SIZE, SIZE, 3)).astype(np.float32)
    calibrations = []
    calibration = lambda: calibrations.append(1) or pixels[:8]  # noqa: E731
    cache = tmp_path / "cache"
    quantised = transfer.ensure_backbone(ONNX_INT8, VARIANT, SIZE, 3, weights, cache, calibration=calibration)
    assert transfer.ensure_backbone(ONNX_INT8, VARIANT, SIZE, 3, weights, cache, calibration=calibration) == quantised
    assert len(calibrations) == 1  # calibrated and quantised once, then read from the cache
    operators = {node.op_type for node in onnx.load_from_string(quantised).graph.node}
    assert "QLinearConv" in operators and "Conv" not in operators  # every convolution runs in int8
    exact = transfer.converted_forward(ONNX, ensure(weights, cache))(pixels)
    approximate = transfer.converted_forward(ONNX_INT8, quantised)(pixels)
    assert approximate.shape == exact.shape and not np.allclose(approximate, exact, rtol=1e-4, atol=1e-6)
    cosine = np.sum(approximate * exact, 1) / (np.linalg.norm(approximate, axis=1) * np.linalg.norm(exact, axis=1))
    assert cosine.min() > 0.98, cosine


def test_the_converted_backbone_is_reused_and_a_damaged_copy_is_rebuilt(weights, tmp_path, conversions):
    """On TFLite; the cache is the same for both routes. The rebuilt copy is checked by what it computes and by
    being reused afterwards, not by its bytes: TFLite's converter is usually, not always, reproducible (one CI
    run in many gave other bytes)."""
    cache = tmp_path / "cache"
    model = ensure(weights, cache, TFLITE)
    (path,) = (cache / "converted").iterdir()
    written = path.stat().st_mtime_ns
    assert ensure(weights, cache, TFLITE) == model and path.stat().st_mtime_ns == written and len(conversions) == 1
    pixels = np.random.default_rng(2).uniform(0, 255, (2, SIZE, SIZE, 3)).astype(np.uint8)
    features = TFLiteRunner(model)(pixels)
    assert np.ptp(features) > 0.01

    # Every kind of damage is refused by the seal (tests/test_atomic.py); here: one such file is converted again.
    whole = path.read_bytes()
    path.write_bytes(whole[:-200] + bytes(64) + whole[-136:])  # same size, bytes changed
    rebuilt = ensure(weights, cache, TFLITE)
    assert len(conversions) == 2  # converted again, not read from the damaged file
    np.testing.assert_allclose(TFLiteRunner(rebuilt)(pixels), features, rtol=1e-5, atol=1e-6)
    assert ensure(weights, cache, TFLITE) == rebuilt and len(conversions) == 2  # and sealed whole


def test_the_key_follows_the_weights_file_and_input_size(weights, tmp_path, conversions):
    cache = tmp_path / "cache"
    ensure(weights, cache)
    other = tmp_path / "other.h5"
    other.write_bytes(weights.read_bytes())
    ensure(other, cache)
    transfer.ensure_backbone(ONNX, VARIANT, 40, 3, weights, cache)
    ensure(weights, cache, TFLITE)
    assert len(conversions) == 4 and len(list((cache / "converted").iterdir())) == 4


def test_a_conversion_started_ahead_is_waited_for_not_repeated(weights, tmp_path, conversions):
    cache = tmp_path / "cache"
    ahead = threading.Thread(target=ensure, args=(weights, cache))
    ahead.start()
    model = ensure(weights, cache)
    ahead.join()
    assert len(conversions) == 1 and model


def test_a_conversion_leaves_python_random_where_it_was(weights, tmp_path):
    random.seed(3)
    ensure(weights, tmp_path / "cache")  # cold: builds and clones Keras layers
    after_conversion = random.random()
    random.seed(3)
    assert random.random() == after_conversion


def test_auto_route_is_onnx_on_a_cpu_and_tensorflow_on_a_gpu(monkeypatch):
    for is_gpu, bfloat16, expected in ((False, False, ONNX), (False, True, ONNX), (True, True, GRAPH),
                                       (True, False, GRAPH)):
        monkeypatch.setattr("engine.model.compute.detect_device", lambda: Device("test", is_gpu, bfloat16, False))
        assert transfer.feature_runtime("auto") == expected
    assert transfer.feature_runtime(GRAPH) == GRAPH
    with pytest.raises(ConfigError, match="feature runtime must be"):
        TrainConfig(out="m.keras", feature_runtime="xla")
    args = build_parser().parse_args(["train", "data", "--out", "m.keras", "--feature-runtime", "graph",
                                      "--variant", "densenet121", "--input-size", "224", "--epochs", "2",
                                      "--batch-size", "8", "--lr", "0.001"])  # every setting given: no Automatic
    assert config_from_args(args).feature_runtime == GRAPH


def test_training_on_either_route_gives_the_same_model(weights, tmp_path):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=10, size=32)
    # The compute plan's first call per variant builds a model (cached after), drawing seeds: done here, the
    # two trainings start from the same seeds.
    activation_elements(VARIANT, SIZE)
    results, recorders = {}, {}
    for route in (ONNX, GRAPH):
        recorders[route] = Recorder()
        config = TrainConfig(out=tmp_path / f"{route}.keras", epochs=3, pretrained=str(weights), patience=0,
                             feature_runtime=route, cache_dir=tmp_path / "cache", **TINY)
        results[route] = train(data, config, recorders[route])
    for route, recorder in recorders.items():
        features = [event for event in recorder.of(PhaseStarted) if event.phase == "features"]
        assert len(features) == 1 and f"({route}, float32)" in features[0].detail
        assert [entry.phase for entry in results[route].history] == ["head"] * 3
    assert len(list((tmp_path / "cache" / "converted").glob("backbone-*.onnx"))) == 1
    converted, graph = (load_model(results[route].model_path).model for route in (ONNX, GRAPH))
    for ours, theirs in zip(converted.get_layer("predictions").get_weights(),
                            graph.get_layer("predictions").get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-5)
    for ours, theirs in zip(results[ONNX].history, results[GRAPH].history):
        assert ours.val_loss == pytest.approx(theirs.val_loss, rel=1e-4)


def test_a_training_on_int8_features_calibrates_on_its_own_photos(weights, tmp_path):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=10, size=32)
    recorder = Recorder()
    config = TrainConfig(out=tmp_path / "int8.keras", epochs=2, pretrained=str(weights), patience=0,
                         feature_runtime=ONNX_INT8, cache_dir=tmp_path / "cache", **TINY)
    result = train(data, config, recorder)
    features = [event for event in recorder.of(PhaseStarted) if event.phase == "features"]
    assert len(features) == 1 and "(onnx-int8, int8)" in features[0].detail
    assert [entry.phase for entry in result.history] == ["head"] * 2 and result.model_path.is_file()
    assert len(list((tmp_path / "cache" / "converted").glob("backbone-*.onnx-int8"))) == 1


def test_a_runner_runs_the_verified_bytes_even_if_the_file_changes_later(weights, tmp_path):
    """Interpreters are made per batch size, the last one at the last partial batch: minutes after the check."""
    model = ensure(weights, tmp_path / "cache", TFLITE)
    (path,) = (tmp_path / "cache" / "converted").iterdir()
    pixels = np.random.default_rng(2).uniform(0, 255, (3, SIZE, SIZE, 3)).astype(np.float32)
    expected = TFLiteRunner(model)(pixels)
    runner = TFLiteRunner(model)  # its interpreter is made at its first call, after the damage
    whole = path.read_bytes()
    middle = len(whole) // 2
    path.write_bytes(whole[:middle] + bytes(256) + whole[middle + 256:])  # weights zeroed, the same size
    np.testing.assert_array_equal(runner(pixels), expected)


def test_damaged_cached_features_are_computed_again(tmp_path):
    pixels = np.random.default_rng(0).uniform(0, 255, (6, 4)).astype(np.float32)
    dataset = tf.data.Dataset.from_tensor_slices((pixels, np.arange(6, dtype=np.int32))).batch(4)
    calls = []

    def make_forward():
        calls.append(1)
        return lambda batch: batch * 2

    path = tmp_path / "features.npy"
    features, _ = transfer.extract_features(make_forward, 4, dataset, 6, path, lambda _: None)
    whole = path.read_bytes()
    del features
    path.write_bytes(whole[:200] + bytes(24) + whole[224:])  # after the 128-byte header: the last 6 features zeroed
    features, labels = transfer.extract_features(make_forward, 4, dataset, 6, path, lambda _: None)
    assert len(calls) == 2
    np.testing.assert_array_equal(features, pixels * 2)
    np.testing.assert_array_equal(labels, np.arange(6))


def test_a_waiting_training_process_converts_the_backbone_before_start(weights, tmp_path):
    from engine.training.training_process import TrainingProcess

    cache = tmp_path / "cache"
    config = TrainConfig(out=tmp_path / "m.keras", pretrained=str(weights), feature_runtime=ONNX, cache_dir=cache,
                         **TINY)
    process = TrainingProcess()
    try:
        process.prepare(config)
        deadline = time.monotonic() + 240
        while not list((cache / "converted").glob("backbone-*.onnx")) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(list((cache / "converted").glob("backbone-*.onnx"))) == 1 and process.child.is_alive()
    finally:
        process.discard()


def test_the_head_standardises_features_and_the_full_model_answers_as_the_head_did(tmp_path):
    """Features of very different scales (one constant on the training photos) are standardised in the head;
    copied into the full model's classifier, folded in, through a saved and reloaded head (resume's path)."""
    import keras

    rng = np.random.default_rng(0)
    features = (rng.gamma(1.0, 1.0, (50, 16)) * np.geomspace(0.01, 3, 16)).astype(np.float32)
    features[:, 3] = 0.25  # one feature the training photos never vary
    mean, variance = transfer.feature_statistics(features, rows=7)  # in chunks, as from a memory map
    np.testing.assert_allclose(mean, features.mean(0), rtol=1e-5)
    spread = features.var(0)
    np.testing.assert_allclose(variance[spread > 0.01 * spread.mean()], spread[spread > 0.01 * spread.mean()],
                               rtol=1e-4)
    assert variance[3] == pytest.approx(0.01 * spread.mean(), rel=1e-4)  # floored: never scaled up wildly

    head = transfer.build_head(16, 3, 0.2, mean, variance)
    head.get_layer("predictions").set_weights([rng.normal(size=(16, 3)).astype(np.float32),
                                               rng.normal(size=3).astype(np.float32)])
    head.save(tmp_path / "head.keras")
    reloaded = keras.saving.load_model(tmp_path / "head.keras", safe_mode=True, compile=False)
    full = keras.Sequential([keras.Input((16,)), keras.layers.Dense(3, activation="softmax", name="predictions")])
    transfer.copy_head(reloaded, full)
    photos = (rng.gamma(1.0, 1.0, (6, 16)) * np.geomspace(0.01, 3, 16)).astype(np.float32)
    expected = head(photos, training=False).numpy()
    assert not np.allclose(expected, expected[0])
    np.testing.assert_allclose(full(photos).numpy(), expected, rtol=1e-4, atol=1e-6)

    # The best head of a training stopped under a version without standardisation still resumes into the model.
    earlier = keras.Sequential([keras.Input((16,)), keras.layers.Dense(3, activation="softmax", name="predictions")])
    transfer.copy_head(earlier, full)
    np.testing.assert_allclose(full(photos).numpy(), earlier(photos).numpy(), rtol=1e-6)
