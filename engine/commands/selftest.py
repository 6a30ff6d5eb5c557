"""`DenseNetStudio --self-test`: prove that an installed app works end to end, without a display.

A frozen bundle can import fine and still miss a TensorFlow kernel library, a Keras module that is only
imported when a model file loads, or a file from `resources/`. This runs the real path a user takes, on a tiny
DenseNet and a few images it writes itself: train one epoch in a spawned child process through
engine.training.training_process (the Train tab's path), load the model file it wrote with
engine.inference.classifier, classify a photo and a broken file, and rank a planted wrong label with cleanlab
and scikit-learn (the label check's libraries, imported only when it runs). It prints one line per step and
returns 0, or 1 with the failing step and its reason. It never imports Qt, so it runs where there is no screen (CI, a
server, an installer's post-check).
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from PIL import Image

from engine.data.label_problems import label_issues, look_alikes
from engine.inference.classifier import Classifier, classify
from engine.model.compute import FLOAT32
from engine.model.imagenet_labels import imagenet_class_names
from engine.model.modelfile import load_model
from engine.model.pretrained import bundled_weights_dir, imagenet_weights_file
from engine.model.variants import DEFAULT_IMAGENET_VARIANT
from engine.storage.resources import is_frozen, resource_path, resources_dir
from engine.training.train_config import TrainConfig
from engine.training.training_process import training_events

VARIANT = "densenet-bc-10-k4"  # the smallest DenseNet-BC: one epoch takes a second or two on a CPU
INPUT_SIZE = 32
CLASSES = {"red": (200, 40, 40), "blue": (40, 60, 200)}  # colour is learnable in one epoch
IMAGES_PER_CLASS = 8
CHILD_TIMEOUT_S = 600
REQUIRED_RESOURCES = (("icons", "densenet-studio.svg"), ("imagenet_class_index.json",))


@dataclass
class SelfTestState:
    """What one step hands to the next."""

    work_dir: Path
    data_dir: Path | None = None
    trained: object = None  # engine.training.events.TrainResult from the training child process
    classifier: object = None  # engine.inference.classifier.Classifier


def _environment(state: SelfTestState) -> str:
    devices = [device.device_type for device in tf.config.list_physical_devices()]
    where = "installed app" if is_frozen() else "source tree"
    return f"{where}, Python {sys.version.split()[0]}, TensorFlow {tf.__version__}, Keras {keras.__version__}, " \
           f"devices {'/'.join(devices)}"


def _resources(state: SelfTestState) -> str:
    missing = [str(resource_path(*parts)) for parts in REQUIRED_RESOURCES if not resource_path(*parts).is_file()]
    if missing:
        raise FileNotFoundError(f"missing shipped files: {', '.join(missing)}")

    labels = imagenet_class_names()
    if len(labels) != 1000:
        raise ValueError(f"imagenet_class_index.json has {len(labels)} classes, not 1000")
    shipped = sum(1 for path in resources_dir().rglob("*") if path.is_file())
    return f"{shipped} files in {resources_dir()}, 1000 ImageNet class names"


def _write_images(state: SelfTestState) -> str:
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


def _probe() -> np.ndarray:
    return np.full((1, INPUT_SIZE, INPUT_SIZE, 3), 128.0, dtype="float32")


def _train(state: SelfTestState) -> str:
    """Train in a `spawn` child process through engine.training.training_process, the Train tab's own path: in a frozen
    app that is the executable started again, which works only when the bundle's entry point handles
    multiprocessing."""
    # XLA off for training: compiling it costs a minute on 2 cores. Classification (later steps) takes the
    # default route for this machine (ONNX Runtime on a CPU, XLA on a GPU), so those libraries are exercised too.
    config = TrainConfig(out=state.work_dir / "selftest.keras", variant=VARIANT, input_size=INPUT_SIZE, epochs=1,
                         batch_size=4, val_split=0.25, cache_dir=state.work_dir / "decoded", precision=FLOAT32,
                         memory_efficient=False, jit_compile=False)
    events = training_events(str(state.data_dir), config, threading.Event(), evaluate=False,
                             timeout_s=CHILD_TIMEOUT_S)
    while True:
        try:
            next(events)
        except StopIteration as end:
            result, _evaluation = end.value
            break
    if result.model_path is None or not Path(result.model_path).is_file():
        raise FileNotFoundError("training wrote no model file")
    state.trained = result
    last = result.history[-1]
    return f"{VARIANT} at {INPUT_SIZE}x{INPUT_SIZE} in a spawned process, 1 epoch: loss {last.loss:.3f}, " \
           f"validation accuracy {last.val_accuracy:.2f}; wrote {Path(result.model_path).name}"


def _reload(state: SelfTestState) -> str:
    model_path = Path(state.trained.model_path)
    saved = load_model(model_path)
    state.classifier = Classifier.from_file(model_path)
    expected = saved.model.predict(_probe(), verbose=0)
    difference = float(np.max(np.abs(state.classifier.predict(_probe().astype(np.uint8)) - expected)))
    if difference > 1e-4:
        raise ValueError(f"the classifier ({state.classifier.route}) predicts differently from the model file "
                         f"(max difference {difference:.2e})")
    if state.classifier.class_names != list(state.trained.class_names):
        raise ValueError(f"class names {state.classifier.class_names} != {list(state.trained.class_names)}")
    size_kb = model_path.stat().st_size / 1024
    return f"{model_path.name} ({size_kb:.0f} KB, {saved.model.count_params():,} parameters) loaded in safe mode, " \
           f"classes {', '.join(state.classifier.class_names)}; classifies as the file does " \
           f"({state.classifier.route}) after {state.classifier.warmup_seconds:.1f} s"


def _classify(state: SelfTestState) -> str:
    photo = sorted((state.data_dir / "red").iterdir())[0]
    broken = state.work_dir / "not-a-photo.jpg"
    broken.write_text("this is text, not a JPEG", encoding="utf-8")
    good, bad = classify([photo, broken], state.classifier, top_k=2)
    if good.error is not None or not good.top:
        raise ValueError(f"{photo.name} was not classified: {good.error}")
    if bad.error is None:
        raise ValueError(f"{broken.name} was classified although it is not an image")
    label, probability = good.top[0]
    return f"{photo.name}: {label} ({probability:.0%}); {broken.name}: error reported ({bad.error})"


def _pretrained(state: SelfTestState) -> str:
    bundled = sorted(path.name for path in bundled_weights_dir().glob("*.h5"))
    if not bundled:
        return "no ImageNet weights bundled (the app offers to download them)"
    found = imagenet_weights_file(DEFAULT_IMAGENET_VARIANT, include_top=True, fetch=False)
    if found.parent != bundled_weights_dir():
        raise FileNotFoundError(f"the bundled weights ({', '.join(bundled)}) are not the ones used: {found}")
    return f"bundled ImageNet weights verified (MD5) and used offline: {', '.join(bundled)}"


def _label_problems(state: SelfTestState) -> str:
    labels = np.repeat(np.arange(len(CLASSES)), IMAGES_PER_CLASS)
    probabilities = np.where(np.eye(len(CLASSES))[labels] == 1, 0.9, 0.1)
    probabilities[0] = (0.05, 0.95)  # a red photo that every answer calls blue
    paths = [f"photo{index}.png" for index in range(len(labels))]
    flagged = [issue.path for issue in label_issues(paths, labels, tuple(CLASSES), probabilities)]
    if flagged != ["photo0.png"]:
        raise ValueError(f"the planted wrong label was not the one flagged: {flagged}")
    groups, _ = look_alikes(["copy.png", *paths], np.vstack([probabilities[:1] * 2, probabilities]))
    if ("copy.png", "photo0.png") not in groups:
        raise ValueError(f"a photo and its copy were not found alike: {groups}")
    return "cleanlab flagged the planted wrong label; nearest neighbours found the copy of a photo"


STEPS: tuple[tuple[str, Callable[[SelfTestState], str]], ...] = (
    ("environment", _environment),
    ("resources", _resources),
    ("write images", _write_images),
    ("train", _train),
    ("reload", _reload),
    ("classify", _classify),
    ("label problems", _label_problems),
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
