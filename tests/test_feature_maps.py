"""engine.inference.feature_maps on a real tiny DenseNet and a real photo file."""

import numpy as np
import pytest

from engine.errors import StudioError
from engine.inference.feature_maps import feature_maps
from tests.classifier_models import tiny_model
from tests.image_files import write_image


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    return write_image(tmp_path_factory.mktemp("photo") / "photo.jpg", "jpeg")


def test_every_stage_but_the_head_with_its_shape(photo):
    stages = feature_maps(tiny_model(2), photo, count=8)
    # densenet-bc-10-k4 at 32x32: stem of 2k = 8 maps, one layer (+4) per block, transitions halve both.
    assert [(s.stage, s.shape) for s in stages] == [
        ("stem", (32, 32, 8)), ("dense_block_1", (32, 32, 12)), ("transition_1", (16, 16, 6)),
        ("dense_block_2", (16, 16, 10)), ("transition_2", (8, 8, 5)), ("dense_block_3", (8, 8, 9)),
    ]
    for stage in stages:
        height, width, channels = stage.shape
        assert stage.maps.shape == (min(8, channels), height, width) and stage.maps.dtype == np.uint8
        assert len(set(stage.channels)) == len(stage.channels)


def test_maps_are_the_layer_outputs_most_active_first(photo):
    import keras

    from engine.data.images import decode_image

    model = tiny_model(2)
    stage = feature_maps(model, photo, count=3)[1]
    probe = keras.Model(model.input, model.get_layer("conv2_block1_concat").output)
    output = np.asarray(probe(decode_image(photo, 32)[None].astype(np.float32)))[0]
    means = output.mean(axis=(0, 1))
    assert list(stage.channels) == list(np.argsort(means)[::-1][:3])
    first = output[..., stage.channels[0]]
    assert np.argmax(stage.maps[0]) == np.argmax(first) and stage.maps[0].max() == 255


def test_a_model_without_dense_blocks_is_refused(photo):
    import keras

    inputs = keras.Input((32, 32, 3))
    model = keras.Model(inputs, keras.layers.Conv2D(4, 3, name="other")(inputs))
    with pytest.raises(StudioError, match="no dense blocks"):
        feature_maps(model, photo)
