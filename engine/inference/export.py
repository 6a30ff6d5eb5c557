"""Export a model for serving elsewhere (SavedModel, TFLite, ONNX), each checked after writing.

The check runs the written file with its own runtime (TensorFlow, LiteRT, ONNX Runtime) on a few images and
compares the probabilities with the Keras model's: the largest absolute difference must stay below 1e-4 (all
three formats are float32). Writing goes to a hidden temporary path that is renamed only once the check has
run, so a failed or cancelled export (a full disk, in Python's writes or TensorFlow's) never leaves a half
file under the requested name, and ends in one line. A written file whose answers differ is kept (the
command line exits 1), so that it can be looked at.

The work is a generator of steps (writing, loading back, checking), so that the command line prints them and
the window shows them on a progress bar and can cancel between them; a step itself cannot be interrupted.

ONNX uses Keras' own exporter over tf2onnx (engine.inference.onnx_runner, also classification's route on a CPU).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import numpy as np

from engine.errors import QT_TRANSLATE_NOOP, StudioError
from engine.inference import onnx_runner, tflite_runner
from engine.inference.converted_models import portable_copy
from engine.inference.onnx_runner import OnnxRunner
from engine.inference.tflite_runner import TFLiteRunner
from engine.model.modelfile import load_model
from engine.runtime.stop import StopSignal
from engine.storage.atomic import partial_name, require_writable

SAVEDMODEL, TFLITE, ONNX = "savedmodel", "tflite", "onnx"
FORMATS = (SAVEDMODEL, TFLITE, ONNX)
SUFFIXES = {SAVEDMODEL: "", TFLITE: ".tflite", ONNX: ".onnx"}
FORMAT_NAMES = {SAVEDMODEL: "SavedModel", TFLITE: "TFLite", ONNX: "ONNX"}
RUNTIME_NAMES = {SAVEDMODEL: "TensorFlow", TFLITE: "LiteRT", ONNX: "ONNX Runtime"}  # what loads each back
TOLERANCE = 1e-4
CHECK_IMAGES = 4

# The steps of an export, in order; each is announced (ExportStep) as it begins.
StepName = Literal["writing", "loading back", "checking"]
STEPS: tuple[StepName, ...] = get_args(StepName)
WRITING, LOADING_BACK, CHECKING = STEPS
STEP_TEMPLATES: dict[StepName, str] = {
    WRITING: QT_TRANSLATE_NOOP("EngineText", "writing the {format} export"),
    LOADING_BACK: QT_TRANSLATE_NOOP("EngineText", "loading it back with {runtime}"),
    CHECKING: QT_TRANSLATE_NOOP("EngineText", "comparing its answers with the model's on {images} test images"),
}

UNKNOWN_FORMAT = QT_TRANSLATE_NOOP("EngineText", "unknown export format '{format}'; choose one of {formats}")
WRONG_SUFFIX = QT_TRANSLATE_NOOP("EngineText", "{path}: a {format} file must end in {suffix}")
EXISTS = QT_TRANSLATE_NOOP("EngineText", "{path}: already exists; choose another name or remove it")
NO_FOLDER = QT_TRANSLATE_NOOP("EngineText", "{folder}: folder not found")
NOT_WRITTEN = QT_TRANSLATE_NOOP("EngineText", "{path}: could not write the export ({reason})")
NOT_HERE = QT_TRANSLATE_NOOP("EngineText", "{path}: {format} export cannot be done on this computer ({module} is "
                                           "not installed)")


class ExportError(StudioError):
    """An export that cannot be done: unknown format, output in the way, converter not installed."""


@dataclass(frozen=True)
class ExportStep:
    """A step of an export beginning (the steps before it are done)."""

    name: StepName
    format: str

    @property
    def number(self) -> int:
        """1 for the first step."""
        return STEPS.index(self.name) + 1

    @property
    def total(self) -> int:
        return len(STEPS)

    def said(self) -> tuple[str, dict]:
        """What the step does, as its template (STEP_TEMPLATES, translated by the window) and the facts."""
        return STEP_TEMPLATES[self.name], {"format": FORMAT_NAMES[self.format], "runtime": RUNTIME_NAMES[self.format],
                                           "images": CHECK_IMAGES}

    @property
    def text(self) -> str:
        """E.g. "loading it back with ONNX Runtime"."""
        template, facts = self.said()
        return template.format(**facts)


@dataclass(frozen=True)
class ExportResult:
    """What was written and how closely it reproduces the Keras model."""

    path: Path
    format: str
    images: int
    max_abs_diff: float
    same_top: int  # of the `images`, those whose most probable class is the same in the export and the model
    # The app averages this model's answer for each photo with its mirror image's (test-time flips); the
    # export, like the network itself, answers for the photo alone, so the two can differ on a photo.
    mirrored_in_app: bool = False

    @property
    def passed(self) -> bool:
        return self.max_abs_diff < TOLERANCE

    def summary(self) -> str:
        verdict = "OK" if self.passed else "FAILED"
        note = ("; note: it answers for each photo alone, while the app averages this model's answers for a photo "
                "and its mirror image" if self.mirrored_in_app else "")
        return (f"{self.format} written to {self.path}; check on {self.images} images: "
                f"max |difference| of probabilities {self.max_abs_diff:.2e} (limit {TOLERANCE:.0e}), "
                f"same top class on {self.same_top} of {self.images}{note} {verdict}")


def check_pixels(size: int, channels: int, count: int = CHECK_IMAGES) -> np.ndarray:
    """A few varied images (gradients plus noise), the same every run."""
    rng = np.random.default_rng(0)
    ramp = np.linspace(0, 255, size, dtype=np.float32)
    images = [np.clip(np.add.outer(ramp * rng.uniform(0.2, 1), ramp * rng.uniform(0.2, 1))[..., None] / 2
                      + rng.normal(0, 40, (size, size, channels)), 0, 255) for _ in range(count)]
    return np.stack(images).astype(np.float32)


def check_target(fmt: str, out: Path | str) -> None:
    """Raise ExportError (or engine.errors.WriteError) unless `fmt` can be written to `out`: a known format,
    the right suffix, nothing there yet, a folder that exists and takes files. Quick, and free of TensorFlow,
    so a window can say it before it starts."""
    out = Path(out)
    if fmt not in FORMATS:
        raise ExportError.said(UNKNOWN_FORMAT, format=fmt, formats=", ".join(FORMATS))
    if SUFFIXES[fmt] and out.suffix.lower() != SUFFIXES[fmt]:
        raise ExportError.said(WRONG_SUFFIX, path=out, format=fmt, suffix=SUFFIXES[fmt])
    if out.exists():
        raise ExportError.said(EXISTS, path=out)
    if not out.parent.is_dir():
        raise ExportError.said(NO_FOLDER, folder=out.parent)
    require_writable(out)


def _write(model, fmt: str, path: Path) -> None:
    if fmt == SAVEDMODEL:
        portable_copy(model).export(str(path), format="tf_saved_model", verbose=False)
    else:
        {TFLITE: tflite_runner.convert, ONNX: onnx_runner.convert}[fmt](model, path)


def _load_savedmodel(path: Path) -> Callable[[np.ndarray], np.ndarray]:
    import tensorflow as tf

    loaded = tf.saved_model.load(str(path))  # kept referenced by the function: `serve` needs its variables alive
    return lambda pixels: loaded.serve(tf.constant(pixels)).numpy()


# Each format's own runtime: the written file's path -> pixels (N, size, size, channels) -> probabilities.
LOADERS: dict[str, Callable[[Path], Callable[[np.ndarray], np.ndarray]]] = {
    SAVEDMODEL: _load_savedmodel, TFLITE: TFLiteRunner, ONNX: OnnxRunner,
}


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _reason(error: Exception) -> str:
    """Why a write failed, in a few words: an OSError's, or the end of TensorFlow's "PATH; No space left"."""
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error).splitlines()[0].rpartition("; ")[2]


def export_steps(model, fmt: str, out: Path | str, mirrored_in_app: bool = False,
                 stop: StopSignal | None = None) -> Generator[ExportStep, None, ExportResult | None]:
    """Write the Keras `model` as `fmt` to `out` and check it, yielding each step as it begins; returns the
    ExportResult, or None when `stop` was set between two steps (then nothing is left on disk).

    `mirrored_in_app`: the app averages this model's answers with its mirror images' (ExportResult notes it).
    """
    import tensorflow as tf

    out = Path(out)
    check_target(fmt, out)
    partial = partial_name(out, "export")
    _remove(partial)
    try:
        yield ExportStep(WRITING, fmt)
        if stop is not None and stop.is_set():
            return None
        _write(model, fmt, partial)
        yield ExportStep(LOADING_BACK, fmt)
        if stop is not None and stop.is_set():
            return None
        run = LOADERS[fmt](partial)
        yield ExportStep(CHECKING, fmt)
        if stop is not None and stop.is_set():
            return None
        pixels = check_pixels(int(model.input_shape[1]), int(model.input_shape[-1]))
        expected, actual = model(pixels, training=False).numpy(), run(pixels)
        os.replace(partial, out)
    except ImportError as error:  # a converter or runtime without a wheel for this platform
        raise ExportError.said(NOT_HERE, path=out, format=FORMAT_NAMES[fmt],
                               module=error.name or error) from None
    except (OSError, tf.errors.OpError) as error:  # TensorFlow writes a SavedModel itself, in C++
        facts = {"errno": error.errno} if isinstance(error, OSError) else {}
        raise ExportError.said(NOT_WRITTEN, path=out, reason=_reason(error), **facts) from None
    finally:
        _remove(partial)
    return ExportResult(out, fmt, len(pixels), float(np.max(np.abs(actual - expected))),
                        int(np.sum(actual.argmax(-1) == expected.argmax(-1))), mirrored_in_app)


def export_model(model_path: Path | str, fmt: str, out: Path | str,
                 on_step: Callable[[ExportStep], None] = lambda step: None) -> ExportResult:
    """Write the model of the `.keras` file `model_path` as `fmt` to `out`, then check it against the file's
    model; `on_step` is told each step as it begins."""
    check_target(fmt, out)  # before the model loads, which takes seconds
    studio_model = load_model(model_path)
    steps = export_steps(studio_model.model, fmt, out, studio_model.test_time_flip)
    while True:
        try:
            on_step(next(steps))
        except StopIteration as end:
            return end.value
