"""ImageNet weights: the registry matches keras.applications, files load by name, offline fails fast.

Nothing is downloaded: weights files are written by the tests from models they build.
"""

import hashlib
import time
import urllib.parse

import keras
import numpy as np
import pytest
from keras.src.applications import densenet as keras_densenet

from engine.model.config import ModelConfig
from engine.model.densenet import build_densenet
from engine.model.pretrained import (
    IMAGENET_WEIGHTS,
    ImageNetWeights,
    PretrainedError,
    WeightsFile,
    WeightsIdentity,
    fetch_weights_file,
    identify_weights_file,
    imagenet_weights_file,
    load_imagenet_weights,
)
from tests.keras_files import write_legacy_h5_weights


def test_registry_is_what_keras_applications_fetches():
    assert set(IMAGENET_WEIGHTS) == {"densenet121", "densenet169", "densenet201"}
    for variant, weights in IMAGENET_WEIGHTS.items():
        number = variant.removeprefix("densenet")
        assert weights.top.url == getattr(keras_densenet, f"DENSENET{number}_WEIGHT_PATH")
        assert weights.notop.url == getattr(keras_densenet, f"DENSENET{number}_WEIGHT_PATH_NO_TOP")
        assert weights.file(True).file_name.endswith("kernels.h5")
        assert weights.file(False).file_name.endswith("_notop.h5")
    with pytest.raises(PretrainedError, match="only for densenet121"):
        imagenet_weights_file("densenet-bc-100-k12")


def test_a_picked_weights_file_says_what_it_is(tmp_path):
    full = write_legacy_h5_weights(keras.applications.DenseNet121(weights=None), tmp_path / "a.h5")
    assert identify_weights_file(full) == WeightsIdentity("densenet121", with_classifier=True)
    notop = write_legacy_h5_weights(keras.applications.DenseNet169(weights=None, include_top=False), tmp_path / "b.h5")
    assert identify_weights_file(notop) == WeightsIdentity("densenet169", with_classifier=False)
    other = write_legacy_h5_weights(_small("densenet-bc-10-k4"), tmp_path / "c.h5")
    with pytest.raises(PretrainedError, match="not the weights of DenseNet-121, 169 or 201"):
        identify_weights_file(other)
    (tmp_path / "d.h5").write_bytes(b"not hdf5")
    with pytest.raises(PretrainedError, match="not an HDF5 weights file"):
        identify_weights_file(tmp_path / "d.h5")


def _small(variant, include_top=True, seed=0):
    keras.utils.set_random_seed(seed)
    return build_densenet(ModelConfig(variant, input_size=32, classes=3, include_top=include_top))


def test_notop_and_full_files_load_into_a_backbone(tmp_path):
    full = _small("densenet-bc-10-k4", seed=1)
    notop = _small("densenet-bc-10-k4", include_top=False, seed=2)
    full_file = write_legacy_h5_weights(full, tmp_path / "full.h5")
    notop_file = write_legacy_h5_weights(notop, tmp_path / "notop.h5")

    backbone = _small("densenet-bc-10-k4", include_top=False, seed=3)
    load_imagenet_weights(backbone, notop_file)
    np.testing.assert_array_equal(backbone.get_layer("bn").get_weights()[2], notop.get_layer("bn").get_weights()[2])
    load_imagenet_weights(backbone, full_file)  # the classifier in the file is ignored
    np.testing.assert_array_equal(backbone.get_layer("bn").get_weights()[2], full.get_layer("bn").get_weights()[2])

    with pytest.raises(PretrainedError, match="no weights for layers predictions"):
        load_imagenet_weights(_small("densenet-bc-10-k4"), notop_file)


def test_weights_of_another_variant_are_refused(tmp_path):
    small = write_legacy_h5_weights(_small("densenet-bc-10-k4", include_top=False), tmp_path / "bc10.h5")
    deeper = write_legacy_h5_weights(_small("densenet-bc-16-k4", include_top=False), tmp_path / "bc16.h5")
    with pytest.raises(PretrainedError, match="no weights for layers conv2_block2_0_bn"):
        load_imagenet_weights(_small("densenet-bc-16-k4", include_top=False), small)
    with pytest.raises(PretrainedError, match="do not fit"):
        load_imagenet_weights(_small("densenet-bc-10-k4", include_top=False), deeper)
    text = tmp_path / "notes.h5"
    text.write_text("not weights")
    with pytest.raises(PretrainedError, match="not an HDF5 weights file"):
        load_imagenet_weights(_small("densenet-bc-10-k4", include_top=False), text)
    with pytest.raises(PretrainedError, match="not found"):
        imagenet_weights_file("densenet121", weights_path=tmp_path / "missing.h5")


def test_keras_cache_copy_is_used_only_when_its_checksum_matches(tmp_path, monkeypatch):
    cached = tmp_path / "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5"
    write_legacy_h5_weights(_small("densenet-bc-10-k4", include_top=False), cached)
    md5 = hashlib.md5(cached.read_bytes()).hexdigest()
    entry = WeightsFile(cached.name, "http://127.0.0.1:9/" + cached.name, md5, 1)
    monkeypatch.setitem(IMAGENET_WEIGHTS, "densenet121", ImageNetWeights(entry, entry))
    assert imagenet_weights_file("densenet121", include_top=False, fetch=False, cache_dir=tmp_path) == cached

    cached.write_bytes(cached.read_bytes()[:-10])
    with pytest.raises(PretrainedError, match="damaged"):
        imagenet_weights_file("densenet121", include_top=False, fetch=False, cache_dir=tmp_path)
    cached.unlink()
    with pytest.raises(PretrainedError, match="not downloaded"):
        imagenet_weights_file("densenet121", include_top=False, fetch=False, cache_dir=tmp_path)


@pytest.mark.parametrize("url", ["http://10.255.255.1/w.h5", "http://127.0.0.1:9/w.h5", "http://host.invalid/w.h5"])
def test_offline_fetch_fails_fast_with_a_clear_message(tmp_path, url):
    started = time.monotonic()
    with pytest.raises(PretrainedError, match=r"ImageNet weights.*w\.h5.*use a weights file") as refused:
        fetch_weights_file(WeightsFile("w.h5", url, "0" * 32, 29), cache_dir=tmp_path, timeout=1.0)
    assert time.monotonic() - started < 5
    message = str(refused.value)  # plain words: no host, no OS error text; those stay in the detail
    assert urllib.parse.urlsplit(url).hostname not in message and "rrno" not in message
    assert refused.value.detail  # the technical cause, for --verbose
    assert list(tmp_path.iterdir()) == []



def test_download_reports_its_bytes_and_checks_the_checksum(tmp_path):
    """A weights host on the loopback interface serves a file the test wrote: bytes are reported as they
    arrive, the file lands in the cache, and a wrong checksum leaves nothing behind."""
    import hashlib
    import http.server
    import threading

    served = tmp_path / "served"
    served.mkdir()
    payload = bytes(range(256)) * 4000  # 1 MB: several chunks
    (served / "w.h5").write_bytes(payload)
    handler = lambda *args: http.server.SimpleHTTPRequestHandler(*args, directory=str(served))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/w.h5"
    try:
        seen = []
        entry = WeightsFile("w.h5", url, hashlib.md5(payload).hexdigest(), 1)
        path = fetch_weights_file(entry, cache_dir=tmp_path / "cache", progress=lambda *bytes_: seen.append(bytes_))
        assert path.read_bytes() == payload
        assert len(seen) > 1 and seen[-1] == (len(payload), len(payload))
        assert [done for done, _ in seen] == sorted(done for done, _ in seen)
        with pytest.raises(PretrainedError, match="checksum"):
            fetch_weights_file(WeightsFile("w.h5", url, "0" * 32, 1), cache_dir=tmp_path / "other")
        assert list((tmp_path / "other").iterdir()) == []
    finally:
        server.shutdown()
