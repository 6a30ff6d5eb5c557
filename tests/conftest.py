"""Test set-up: offscreen Qt, TensorFlow backend, quiet logs. Fixtures shared by engine and GUI tests."""

import atexit
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Each test process gets its own studio cache, Qt cache folder and trash: nothing of the user's is read or
# written, and parallel test processes (pytest -n) never share a half-written file.
_PRIVATE = tempfile.mkdtemp(prefix="densenet-studio-tests-")
atexit.register(shutil.rmtree, _PRIVATE, ignore_errors=True)
os.environ["DENSENET_STUDIO_CACHE"] = os.path.join(_PRIVATE, "studio-cache")
os.environ["XDG_CACHE_HOME"] = os.path.join(_PRIVATE, "cache")
os.environ["XDG_DATA_HOME"] = os.path.join(_PRIVATE, "data")  # the system trash (send2trash) included
import engine  # noqa: E402,F401  (its TensorFlow environment applies before any test imports TensorFlow)
from scripts.compile_translations import compile_translations  # noqa: E402


def pytest_configure(config):
    """The Korean catalogue compiled as the set-up commands compile it, once, before any test process starts
    (pytest-xdist's workers run this too, after the controller: they find it fresh)."""
    compile_translations()


@pytest.fixture(scope="session")
def tiny_backbone(tmp_path_factory):
    """A seeded densenet-bc-10-k4 backbone at 32 px (no classifier) and its weights written as a
    keras.applications-style .h5 file: the pre-trained start of the transfer-learning tests, built once."""
    import keras

    from engine.model.config import ModelConfig
    from engine.model.densenet import build_densenet
    from tests.keras_files import write_legacy_h5_weights

    keras.utils.set_random_seed(11)
    source = build_densenet(ModelConfig("densenet-bc-10-k4", input_size=32, include_top=False))
    return source, write_legacy_h5_weights(source, tmp_path_factory.mktemp("backbone") / "backbone_notop.h5")


def pytest_collection_modifyitems(items):
    """Tests marked `heavy` run first. pytest -n hands tests out in collection order, so a long test collected
    last kept one test process busy while the other sat idle; started first, the long tests interleave with the
    many short ones and both processes finish together."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)  # stable: the rest keep their order
