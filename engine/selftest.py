"""`DenseNetStudio --self-test`: prove that an installed app works end to end, without a display.

A frozen bundle can import fine and still miss a TensorFlow kernel library, a Keras module that is only
imported when a model file loads, or a file from `resources/`. This runs the real path a user takes, on a
tiny DenseNet and a few images it writes itself: build, train one epoch, save the model file, load it back,
classify a photo. It prints one line per step and returns 0, or 1 with the failing step and its reason.
It never imports Qt, so it runs where there is no screen (CI, a server, an installer's post-check).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.resources import is_frozen, resource_path, resources_dir

VARIANT = "densenet-bc-10-k4"  # the smallest DenseNet-BC: one epoch takes a second or two on a CPU
INPUT_SIZE = 32
CLASSES = {"red": (200, 40, 40), "blue": (40, 60, 200)}  # colour is learnable in one epoch
IMAGES_PER_CLASS = 8
REQUIRED_RESOURCES = (("icons", "densenet-studio.svg"), ("imagenet_class_index.json",))


@dataclass
class SelfTestState:
    """What one step hands to the next."""

    work_dir: Path
    data_dir: Path | None = None
    model_path: Path | None = None
    model: object = None
    facts: dict = field(default_factory=dict)


def _environment(state: SelfTestState) -> str:
    import keras
    import tensorflow as tf

    devices = [device.device_type for device in tf.config.list_physical_devices()]
    where = "installed app" if is_frozen() else "source tree"
    return f"{where}, Python {sys.version.split()[0]}, TensorFlow {tf.__version__}, Keras {keras.__version__}, " \
           f"devices {'/'.join(devices)}"


def _resources(state: SelfTestState) -> str:
    missing = [str(resource_path(*parts)) for parts in REQUIRED_RESOURCES if not resource_path(*parts).is_file()]
    if missing:
        raise FileNotFoundError(f"missing shipped files: {', '.join(missing)}")
    labels = json.loads(resource_path("imagenet_class_index.json").read_text(encoding="utf-8"))
    if len(labels) != 1000:
        raise ValueError(f"imagenet_class_index.json has {len(labels)} classes, not 1000")
    shipped = sum(1 for path in resources_dir().rglob("*") if path.is_file())
    return f"{shipped} files in {resources_dir()}, 1000 ImageNet class names"


def _write_images(state: SelfTestState) -> str:
    from PIL import Image

    rng = np.random.default_rng(0)
    state.data_dir = state.work_dir / "photos"
    for name, colour in CLASSES.items():
        folder = state.data_dir / name
        folder.mkdir(parents=True)
        for index in range(IMAGES_PER_CLASS):
            noise = rng.integers(-30, 31, size=(INPUT_SIZE, INPUT_SIZE, 3))
            pixels = np.clip(np.array(colour) + noise, 0, 255).astype(np.uint8)
            Image.fromarray(pixels, "RGB").save(folder / f"{name}_{index}.png")
    return f"{IMAGES_PER_CLASS * len(CLASSES)} PNG files in {len(CLASSES)} class folders"


def _train(state: SelfTestState) -> str:
    import keras

    from engine.config import ModelConfig
    from engine.densenet import build_densenet
    from engine.images import decode_image

    class_names = sorted(CLASSES)
    paths = [(path, label) for label, name in enumerate(class_names) for path in sorted((state.data_dir / name).iterdir())]
    x = np.stack([decode_image(path, INPUT_SIZE) for path, _ in paths]).astype("float32")
    y = np.array([label for _, label in paths])
    model = build_densenet(ModelConfig(VARIANT, input_size=INPUT_SIZE, classes=len(class_names)))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=8, epochs=1, shuffle=True, verbose=0)
    state.model = model
    state.facts["class_names"] = class_names
    loss, accuracy = history.history["loss"][-1], history.history["accuracy"][-1]
    return f"{VARIANT} at {INPUT_SIZE}x{INPUT_SIZE}, {model.count_params():,} parameters, 1 epoch: " \
           f"loss {loss:.3f}, accuracy {accuracy:.2f}"


def _save_and_reload(state: SelfTestState) -> str:
    from engine.modelfile import load_model, save_model

    state.model_path = save_model(
        state.model,
        state.work_dir / "selftest.keras",
        {"class_names": state.facts["class_names"], "input_size": INPUT_SIZE, "variant": VARIANT},
    )
    loaded = load_model(state.model_path)
    probe = np.full((1, INPUT_SIZE, INPUT_SIZE, 3), 128.0, dtype="float32")
    difference = float(np.max(np.abs(loaded.model.predict(probe, verbose=0) - state.model.predict(probe, verbose=0))))
    if difference > 1e-5:
        raise ValueError(f"the reloaded model predicts differently (max difference {difference:.2e})")
    state.model = loaded
    size_kb = state.model_path.stat().st_size / 1024
    return f"{state.model_path.name} ({size_kb:.0f} KB) reloaded in safe mode, same predictions"


def _classify(state: SelfTestState) -> str:
    from engine.images import decode_image

    photo = sorted((state.data_dir / "red").iterdir())[0]
    probabilities = state.model.model.predict(decode_image(photo, INPUT_SIZE)[None].astype("float32"), verbose=0)[0]
    best = int(np.argmax(probabilities))
    return f"{photo.name}: {state.model.class_names[best]} ({probabilities[best]:.0%})"


def _pretrained(state: SelfTestState) -> str:
    bundled = sorted(path.name for path in resource_path("weights").glob("*.h5"))
    return f"bundled ImageNet weights: {', '.join(bundled)}" if bundled else "no ImageNet weights bundled"


STEPS: tuple[tuple[str, Callable[[SelfTestState], str]], ...] = (
    ("environment", _environment),
    ("resources", _resources),
    ("write images", _write_images),
    ("train", _train),
    ("save and reload", _save_and_reload),
    ("classify", _classify),
    ("pretrained", _pretrained),
)


def run_self_test(out=None) -> int:
    """Run every step, printing one line each to `out` (default stdout); 0 when all pass, else 1."""
    out = out or sys.stdout
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="densenet-studio-selftest-") as work_dir:
        state = SelfTestState(Path(work_dir))
        for number, (name, step) in enumerate(STEPS, start=1):
            step_started = time.perf_counter()
            try:
                detail = step(state)
            except Exception as error:  # report any failure as the result, never a crash
                print(f"self-test [{number}/{len(STEPS)}] {name}: FAILED: {type(error).__name__}: {error}", file=out)
                traceback.print_exc(file=out)
                return 1
            print(f"self-test [{number}/{len(STEPS)}] {name}: ok ({time.perf_counter() - step_started:.1f} s) - {detail}",
                  file=out, flush=True)
    print(f"self-test passed in {time.perf_counter() - started:.1f} s", file=out)
    return 0
