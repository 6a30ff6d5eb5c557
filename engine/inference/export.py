"""Export a `.keras` model for serving elsewhere (SavedModel, TFLite, ONNX), each checked after writing.

The check runs the written file with its own runtime (TensorFlow, the TFLite interpreter, ONNX Runtime) on
a few images and compares the probabilities with the `.keras` model's: the largest absolute difference must
stay below 1e-4 (all three formats are float32). Writing goes to a hidden temporary path that is renamed
only once complete, so a failed export (a full disk, in Python's writes or TensorFlow's) never leaves a half
file under the requested name, and ends in one line.

ONNX uses Keras' own exporter over tf2onnx (engine.inference.onnx_runner, also classification's route on a CPU).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.errors import StudioError
from engine.inference import onnx_runner, tflite_runner
from engine.inference.converted_models import portable_copy
from engine.inference.onnx_runner import OnnxRunner
from engine.inference.tflite_runner import TFLiteRunner
from engine.model.modelfile import load_model
from engine.storage.atomic import partial_name

SAVEDMODEL, TFLITE, ONNX = "savedmodel", "tflite", "onnx"
FORMATS = (SAVEDMODEL, TFLITE, ONNX)
SUFFIXES = {SAVEDMODEL: "", TFLITE: ".tflite", ONNX: ".onnx"}
TOLERANCE = 1e-4
CHECK_IMAGES = 4


class ExportError(StudioError):
    """An export that cannot be done: unknown format, output in the way, converter not installed."""


@dataclass(frozen=True)
class ExportResult:
    """What was written and how closely it reproduces the `.keras` model."""

    path: Path
    format: str
    images: int
    max_abs_diff: float
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
                f"max |difference| of probabilities {self.max_abs_diff:.2e} (limit {TOLERANCE:.0e}){note} {verdict}")


def check_pixels(size: int, channels: int, count: int = CHECK_IMAGES) -> np.ndarray:
    """A few varied images (gradients plus noise), the same every run."""
    rng = np.random.default_rng(0)
    ramp = np.linspace(0, 255, size, dtype=np.float32)
    images = [np.clip(np.add.outer(ramp * rng.uniform(0.2, 1), ramp * rng.uniform(0.2, 1))[..., None] / 2
                      + rng.normal(0, 40, (size, size, channels)), 0, 255) for _ in range(count)]
    return np.stack(images).astype(np.float32)


def _write(model, fmt: str, path: Path) -> None:
    if fmt == SAVEDMODEL:
        portable_copy(model).export(str(path), format="tf_saved_model", verbose=False)
    else:
        {TFLITE: tflite_runner.convert, ONNX: onnx_runner.convert}[fmt](model, path)


def _run_savedmodel(path: Path, pixels: np.ndarray) -> np.ndarray:
    import tensorflow as tf

    loaded = tf.saved_model.load(str(path))  # kept referenced: `serve` needs its variables alive
    return loaded.serve(tf.constant(pixels)).numpy()


def _run_tflite(path: Path, pixels: np.ndarray) -> np.ndarray:
    return TFLiteRunner(path)(pixels)


def _run_onnx(path: Path, pixels: np.ndarray) -> np.ndarray:
    return OnnxRunner(path)(pixels)


RUNNERS: dict[str, Callable[[Path, np.ndarray], np.ndarray]] = {
    SAVEDMODEL: _run_savedmodel, TFLITE: _run_tflite, ONNX: _run_onnx,
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


def export_model(model_path: Path | str, fmt: str, out: Path | str) -> ExportResult:
    """Write the model of `model_path` as `fmt` to `out`, then check it against the `.keras` model."""
    import tensorflow as tf

    out = Path(out)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if SUFFIXES[fmt] and out.suffix.lower() != SUFFIXES[fmt]:
        raise ExportError(f"{out}: a {fmt} file must end in {SUFFIXES[fmt]}")
    if out.exists():
        raise ExportError(f"{out}: already exists; choose another --out or remove it")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent}: folder not found")
    studio_model = load_model(model_path)
    model = studio_model.model
    pixels = check_pixels(int(model.input_shape[1]), int(model.input_shape[-1]))
    expected = model(pixels, training=False).numpy()
    partial = partial_name(out, "export")
    _remove(partial)
    try:
        _write(model, fmt, partial)
        actual = RUNNERS[fmt](partial, pixels)
        os.replace(partial, out)
    except (OSError, tf.errors.OpError) as error:  # TensorFlow writes a SavedModel itself, in C++
        raise ExportError(f"{out}: could not write the export ({_reason(error)})") from None
    finally:
        _remove(partial)
    return ExportResult(out, fmt, len(pixels), float(np.max(np.abs(actual - expected))),
                        studio_model.test_time_flip)
