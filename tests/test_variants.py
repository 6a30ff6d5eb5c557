import pytest

from engine.errors import ConfigError
from engine.model.config import ModelConfig
from engine.model.variants import CIFAR_FAMILY, IMAGENET_FAMILY, get_variant, variant_names


@pytest.mark.parametrize("name", ["densenet121", "DenseNet-121", "densenet_121", " DENSENET121 "])
def test_imagenet_names_are_forgiving(name):
    assert get_variant(name).blocks == (6, 12, 24, 16)


@pytest.mark.parametrize(
    "name, blocks, depth",
    [("densenet121", (6, 12, 24, 16), 121), ("densenet169", (6, 12, 32, 32), 169),
     ("densenet201", (6, 12, 48, 32), 201), ("densenet264", (6, 12, 64, 48), 265)],
)
def test_table_one_of_the_paper(name, blocks, depth):
    variant = get_variant(name)
    assert (variant.family, variant.blocks, variant.growth_rate, variant.depth) == (IMAGENET_FAMILY, blocks, 32, depth)
    assert variant.label == "DenseNet-" + name.removeprefix("densenet")  # 264 keeps its published name


@pytest.mark.parametrize("name, per_block, k", [("densenet-bc-100-k12", 16, 12), ("densenet-bc-40-k12", 6, 12),
                                                ("densenetbc-250-k24", 41, 24), ("densenet-bc-190-k40", 31, 40)])
def test_compact_family_is_parsed(name, per_block, k):
    variant = get_variant(name)
    assert variant.family == CIFAR_FAMILY
    assert variant.blocks == (per_block,) * 3
    assert variant.growth_rate == k
    assert variant.stem_filters == 2 * k


@pytest.mark.parametrize("name", ["densenet99", "resnet50", "densenet-bc-101-k12", "densenet-bc-100-k0", ""])
def test_unknown_variants_are_refused_in_one_line(name):
    with pytest.raises(ConfigError) as info:
        get_variant(name)
    assert "\n" not in str(info.value)


def test_menu_lists_every_imagenet_variant_first():
    assert variant_names()[:4] == ["densenet121", "densenet169", "densenet201", "densenet264"]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(variant_name="densenet121", input_size=31), "too small"),
        (dict(variant_name="densenet-bc-40-k12", input_size=2), "too small"),
        (dict(variant_name="densenet121", classes=0), "classes"),
        (dict(variant_name="densenet121", channels=2), "channels"),
        (dict(variant_name="densenet121", dropout=1.0), "dropout"),
    ],
)
def test_impossible_configs_are_refused(kwargs, words):
    with pytest.raises(ConfigError, match=words):
        ModelConfig(**kwargs)


def test_smallest_imagenet_input_is_accepted():
    assert ModelConfig("densenet121", input_size=32).input_shape == (32, 32, 3)


@pytest.mark.parametrize("name, classes", [("densenet121", 1000), ("densenet264", 1000),
                                           ("densenet-bc-100-k12", 10), ("densenet-bc-40-k12", 10)])
def test_default_classes_are_the_published_setting(name, classes):
    assert get_variant(name).default_classes == classes
