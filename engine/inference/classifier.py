"""Classify photos: a warmed-up classifier over a `.keras` model or the ImageNet DenseNet, and a streaming
`classify` that decodes in a small thread pool ahead of batched inference.

Runtimes (bench/inference_speed.py measures them against keras' `model.predict`):
- "onnx": float32 with ONNX Runtime's CPU kernels (engine.inference.onnx_runner), the fastest CPU route,
  ahead of TensorFlow's bfloat16 graph and of TFLite, where bench/inference_speed.py compares them; the
  converted model is cached, so only a model's first load pays the conversion.
- "tflite": float32 with TFLite's XNNPACK kernels (engine.inference.tflite_runner), likewise cached.
- "xla": one XLA-compiled TensorFlow function per batch shape, in float32 or bfloat16.
- "graph": a plain tf.function (no compile step).
The default ("auto") is ONNX Runtime on a CPU and bfloat16 under XLA on a GPU that computes it natively
(engine.model.compute.detect_device; float32 under XLA on an older one). Every runtime is warmed up when the
classifier loads (both batch shapes it uses run once), so the first photo pays no compile.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np

from engine.data.images import DAMAGED, ImageDecodeError, decode_image, is_image_name
from engine.errors import ConfigError, StudioError
from engine.inference.onnx_runner import OnnxRunner, onnx_model
from engine.inference.tflite_runner import TFLiteRunner, tflite_model
from engine.model.compute import (
    BFLOAT16,
    FLOAT32,
    INFERENCE_PRECISIONS,
    Device,
    InferencePrecision,
    settle,
)
from engine.model.config import AUTO, Auto, ModelConfig, head_layer
from engine.model.imagenet_labels import imagenet_class_names
from engine.model.modelfile import load_model
from engine.model.pretrained import imagenet_weights_file, load_imagenet_weights
from engine.model.variants import DEFAULT_IMAGENET_VARIANT, IMAGENET_INPUT_SIZE
from engine.runtime.stop import StopSignal
from engine.storage.atomic import atomic_path
from engine.storage.filenames import readable, readable_data

Runtime = Literal["onnx", "tflite", "xla", "graph"]
RUNTIMES: tuple[Runtime, ...] = get_args(Runtime)
ONNX, TFLITE, XLA, GRAPH = RUNTIMES
CONVERTED = (ONNX, TFLITE)  # float32 runtimes over a converted copy of the model
# Transfer learning only: the backbone quantised to int8 (engine.inference.onnx_runner.quantize).
ONNX_INT8 = "onnx-int8"
FeatureRuntime = Literal["onnx", "onnx-int8", "tflite", "graph"]  # transfer learning's routes
FEATURE_RUNTIMES: tuple[FeatureRuntime, ...] = (ONNX, ONNX_INT8, TFLITE, GRAPH)  # GRAPH compiles as the plan says
IMAGENET_SOURCE = "imagenet"  # a model source: "imagenet" is DenseNet-121; "imagenet:densenet169" names the variant


def imagenet_source(variant: str) -> str:
    """The model source of `variant`'s ImageNet classifier, as load_classifier and the app's settings spell it."""
    return f"{IMAGENET_SOURCE}:{variant}"


def imagenet_variant(source: str) -> str | None:
    """The variant an ImageNet model source names (DenseNet-121 for a bare "imagenet"); None for a model file."""
    name, _, variant = str(source).partition(":")
    if name != IMAGENET_SOURCE:
        return None
    return variant or DEFAULT_IMAGENET_VARIANT


class NoModelError(StudioError):
    """Nothing to classify with: no trained model was given and no ImageNet model was asked for."""

    def __init__(self, message: str = "no model to classify with: train one, open a .keras file, "
                                      "or get the ImageNet weights (--model imagenet)"):
        super().__init__(message)


@dataclass(frozen=True)
class InferenceSettings:
    """How a classifier runs. The defaults are the fastest route bench/inference_speed.py measured."""

    batch_size: int = 16
    runtime: Runtime | Auto = AUTO  # see the module's docstring
    precision: InferencePrecision | Auto = AUTO  # AUTO: bfloat16 where the device computes it natively
    decode_threads: int = 2
    decode_ahead: int = 2  # batches decoded ahead of the one being classified (bounds memory)

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.decode_threads < 1 or self.decode_ahead < 0:
            raise ConfigError("batch size and decode threads must be at least 1, decode-ahead at least 0")
        if self.runtime not in (AUTO, *RUNTIMES):
            raise ConfigError(f"runtime must be {AUTO}, {', '.join(RUNTIMES)}, not '{self.runtime}'")
        if self.precision not in (AUTO, *INFERENCE_PRECISIONS):
            raise ConfigError(f"precision must be {AUTO}, {FLOAT32} or {BFLOAT16}, not '{self.precision}'")
        if self.runtime in CONVERTED and self.precision == BFLOAT16:
            raise ConfigError(f"the {self.runtime} runtime computes in float32; bfloat16 needs the xla or graph "
                              "runtime")

    def resolved(self) -> tuple[Runtime, InferencePrecision]:
        """(runtime, precision) used on this machine, AUTO settled as the module's docstring says."""
        runtime, _ = settle(self.runtime, self._runtime_for)
        precision, _ = settle(self.precision, lambda device: _precision_for(device, runtime))
        return runtime, precision

    def _runtime_for(self, device: Device) -> tuple[str, str]:
        if device.is_gpu:
            return XLA, "XLA on a GPU"
        if self.precision == BFLOAT16:
            return GRAPH, "bfloat16 asked: TensorFlow's kernels"
        return ONNX, "ONNX Runtime, the fastest measured on a CPU"


@dataclass(frozen=True)
class Classification:
    """One file's answer: its top classes with probabilities, or why it could not be classified."""

    path: str
    top: tuple[tuple[str, float], ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As JSON holds it: names that are not UTF-8 made readable (the path itself stays usable as is)."""
        return readable_data({
            "path": self.path,
            "top": [{"label": label, "probability": probability} for label, probability in self.top],
            "error": self.error,
        })


@dataclass(frozen=True)
class ClassifyProgress:
    """Sent to the listener after each file: how many are done out of how many, and the latest answer."""

    done: int
    total: int
    result: Classification


def _precision_for(device: Device, runtime: str) -> tuple[str, str]:
    if runtime not in CONVERTED and device.fast_bfloat16:
        return BFLOAT16, "the device computes bfloat16 natively"
    return FLOAT32, "float32"


def bfloat16_copy(model):
    """The same network computing in bfloat16 (weights kept in float32), with the input normalisation and
    the final classifier in float32 so the pixels and the probabilities keep full precision."""
    import keras

    float32_layers = {head_layer(model).name}
    float32_layers |= {layer.name for layer in model.layers if isinstance(layer, keras.layers.Normalization)}

    def clone(layer):
        config = layer.get_config()
        if layer.name not in float32_layers:
            config["dtype"] = keras.DTypePolicy("mixed_bfloat16")
        return layer.__class__.from_config(config)

    copy = keras.models.clone_model(model, clone_function=clone)
    copy.set_weights(model.get_weights())
    return copy


class Classifier:
    """A loaded model ready to classify: its class names, input size, and a compiled predict path.

    Construction warms up (compiles and runs each batch shape once), so build it in the background.
    """

    def __init__(self, model, class_names: list[str], source: str, settings: InferenceSettings | None = None,
                 warm_up: bool = True, test_time_flip: bool = False, variant: str | None = None):
        self.model = model  # float32; Grad-CAM differentiates through it
        self.class_names = list(class_names)
        self.source = source
        self.variant = variant  # the app's name of its network (engine.model.variants); None for a plain Keras model
        self.settings = settings or InferenceSettings()
        self.test_time_flip = test_time_flip  # average each photo's answer with its mirror image's
        self.runtime, self.precision = self.settings.resolved()
        if len(self.class_names) != model.output_shape[-1]:
            raise StudioError(
                f"{source}: {len(self.class_names)} class names for {model.output_shape[-1]} model outputs"
            )
        start = time.perf_counter()
        self._run = self._runner()
        if warm_up:
            self.warm_up()
        self.warmup_seconds = time.perf_counter() - start  # conversion or compile included: the wait to be ready

    @classmethod
    def from_file(cls, path: Path | str, settings: InferenceSettings | None = None,
                  input_size: int | None = None) -> Classifier:
        """A classifier over a `.keras` file (class names from its metadata; `input_size` for a model that
        takes any size, see engine.model.modelfile.load_model)."""
        loaded = load_model(path, input_size)
        return cls(loaded.model, loaded.class_names, str(path), settings, test_time_flip=loaded.test_time_flip,
                   variant=loaded.metadata.variant)

    @classmethod
    def imagenet(cls, variant: str = DEFAULT_IMAGENET_VARIANT, weights_path: Path | str | None = None,
                 input_size: int = IMAGENET_INPUT_SIZE, settings: InferenceSettings | None = None,
                 fetch: bool = True) -> Classifier:
        """The ImageNet DenseNet-121/169/201 with its 1000 class names.

        Weights: `weights_path`, else the Keras cache, else fetched with its checksum (when `fetch`).
        The weights do not depend on the input size, so a smaller `input_size` gives a faster, coarser model.
        """
        from engine.model.densenet import build_densenet

        path = imagenet_weights_file(variant, include_top=True, weights_path=weights_path, fetch=fetch)
        model = build_densenet(ModelConfig(variant, input_size=input_size))
        load_imagenet_weights(model, path)
        return cls(model, imagenet_class_names(), f"ImageNet {model.name} ({path.name})", settings, variant=variant)

    @property
    def route(self) -> str:
        """How it runs, for status lines: e.g. "tflite float32, batch 16"."""
        flip = ", with its mirror image" if self.test_time_flip else ""
        return f"{self.runtime} {self.precision}, batch {self.settings.batch_size}{flip}"

    @property
    def input_size(self) -> int:
        return int(self.model.input_shape[1])

    @property
    def channels(self) -> int:
        return int(self.model.input_shape[-1])

    def warm_up(self) -> float:
        """Compile and run the two batch shapes classification uses (1 and the batch size); returns seconds."""
        start = time.perf_counter()
        for count in sorted({1, self.settings.batch_size}):
            self._run(np.zeros((count, self.input_size, self.input_size, self.channels), np.uint8))
        return time.perf_counter() - start

    def _runner(self) -> Callable[[np.ndarray], np.ndarray]:
        """pixels (N, size, size, channels) uint8 -> probabilities (N, classes) float32, on the runtime."""
        run = self._network_runner()
        if not self.test_time_flip:
            return run
        return lambda pixels: (run(pixels) + run(np.ascontiguousarray(pixels[:, :, ::-1]))) / 2

    def _network_runner(self) -> Callable[[np.ndarray], np.ndarray]:
        if self.runtime == ONNX:
            return OnnxRunner(onnx_model(self.model))
        if self.runtime == TFLITE:
            return TFLiteRunner(tflite_model(self.model))
        import tensorflow as tf

        network = bfloat16_copy(self.model) if self.precision == BFLOAT16 else self.model
        # Any batch size in one trace: tracing DenseNet-121 takes seconds, and the warm-up runs two sizes.
        forward = tf.function(
            lambda pixels: tf.cast(network(pixels, training=False), tf.float32),
            input_signature=[tf.TensorSpec([None, self.input_size, self.input_size, self.channels], tf.float32)],
            jit_compile=self.runtime == XLA,
        )
        return lambda pixels: forward(np.asarray(pixels, np.float32)).numpy()

    def predict(self, pixels: np.ndarray) -> np.ndarray:
        """Class probabilities (N, classes) for uint8 pixels (N, size, size, channels).

        Only the two warmed-up shapes run: a partial batch is padded when it fills more than half a batch
        and otherwise runs photo by photo, so no call ever compiles.
        """
        pixels = np.asarray(pixels)
        expected = (self.input_size, self.input_size, self.channels)
        if pixels.ndim != 4 or pixels.shape[1:] != expected:
            raise ValueError(f"expected pixels of shape (N, {', '.join(map(str, expected))}), got {pixels.shape}")
        size = self.settings.batch_size
        parts = []
        for start in range(0, len(pixels), size):
            chunk = pixels[start:start + size]
            if len(chunk) in (1, size):
                parts.append(self._run(chunk))
            elif 2 * len(chunk) > size:
                padding = np.zeros((size - len(chunk), *expected), pixels.dtype)
                parts.append(self._run(np.concatenate([chunk, padding]))[: len(chunk)])
            else:
                parts.extend(self._run(chunk[index:index + 1]) for index in range(len(chunk)))
        return np.concatenate(parts) if parts else np.zeros((0, len(self.class_names)), np.float32)

    def top(self, probabilities: np.ndarray, k: int) -> tuple[tuple[str, float], ...]:
        """The k most probable (label, probability) of one probability vector, best first."""
        best = np.argsort(probabilities)[::-1][: max(1, k)]
        return tuple((self.class_names[index], float(probabilities[index])) for index in best)


def load_classifier(source: str | Path | None, weights_path: Path | str | None = None,
                    settings: InferenceSettings | None = None, input_size: int | None = None) -> Classifier:
    """The classifier for `source`: a `.keras` path, "imagenet" or "imagenet:densenet169".

    `input_size` sets the ImageNet model's size, or a `.keras` model's that takes any size.

    Raises:
        NoModelError: `source` is None (and no ImageNet weights file was given).
    """
    if source is None and weights_path is not None:
        source = IMAGENET_SOURCE
    if source is None:
        raise NoModelError()
    variant = imagenet_variant(source)
    if variant is not None:
        size = input_size or IMAGENET_INPUT_SIZE
        return Classifier.imagenet(variant, weights_path=weights_path, input_size=size, settings=settings)
    if weights_path is not None:
        raise ConfigError("a weights file goes with the ImageNet model (--model imagenet), not a .keras model")
    return Classifier.from_file(str(source), settings, input_size)


def photo_paths(paths: Iterable[Path | str]) -> Iterator[str]:
    """Files named explicitly (whatever their name), then photos found in named folders, recursively and
    sorted; hidden files and folders and names that are not photos are skipped inside folders."""
    for path in map(str, paths):
        if not os.path.isdir(path):
            yield path
            continue
        for folder, subfolders, files in os.walk(path):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            yield from (os.path.join(folder, name) for name in sorted(files) if is_image_name(name))


def _decode(path: str, size: int, channels: int) -> np.ndarray | str:
    """The pixels, or the reason this file cannot be used (never raises: one bad file never stops a run)."""
    try:
        return decode_image(path, size, channels)
    except ImageDecodeError as error:
        return error.reason
    except OSError as error:  # plain words: the system's reason, not Python's exception name
        return f"could not be read ({error.strerror or 'a disk or permission problem'})"
    except (MemoryError, ValueError):
        return DAMAGED


def classify(paths: Iterable[Path | str], classifier: Classifier | None, top_k: int = 3,
             listener: Callable[[ClassifyProgress], None] | None = None,
             stop: StopSignal | None = None) -> Iterator[Classification]:
    """Classify files and folders; yields one Classification per file, in input order.

    Decoding runs in a thread pool at most `decode_ahead` batches ahead of inference, so memory stays
    bounded however many files there are. `listener` gets a ClassifyProgress after each file; once `stop`
    is set, the run ends before the next batch.

    Raises:
        NoModelError: `classifier` is None (raised at the call, before any file is read).
    """
    if classifier is None:
        raise NoModelError()
    return _stream(list(photo_paths(paths)), classifier, top_k, listener, stop)


def _stream(files: list[str], classifier: Classifier, top_k: int,
            listener: Callable[[ClassifyProgress], None] | None, stop: StopSignal | None) -> Iterator[Classification]:
    settings = classifier.settings
    size, channels = classifier.input_size, classifier.channels
    queued = iter(files)
    pending: deque[tuple[str, Future]] = deque()
    done = 0
    with ThreadPoolExecutor(settings.decode_threads, thread_name_prefix="decode") as pool:

        def submit(count: int) -> None:
            for path in itertools.islice(queued, count):
                pending.append((path, pool.submit(_decode, path, size, channels)))

        try:
            submit(settings.batch_size * (settings.decode_ahead + 1))
            while pending and not (stop is not None and stop.is_set()):
                batch = [pending.popleft() for _ in range(min(settings.batch_size, len(pending)))]
                submit(len(batch))  # the pool decodes the next photos while this batch is classified
                decoded = [(path, future.result()) for path, future in batch]
                good = [pixels for _, pixels in decoded if isinstance(pixels, np.ndarray)]
                probabilities = iter(classifier.predict(np.stack(good)) if good else ())
                for path, pixels in decoded:
                    if isinstance(pixels, np.ndarray):
                        result = Classification(path, classifier.top(next(probabilities), top_k))
                    else:
                        result = Classification(path, error=pixels)
                    done += 1
                    if listener is not None:
                        listener(ClassifyProgress(done, len(files), result))
                    yield result
        finally:
            for _, future in pending:
                future.cancel()


def write_csv(results: Iterable[Any], stream: io.TextIOBase) -> None:
    """Results (anything with path, top, error) as CSV: path, label_1, probability_1, ..., error; names that are
    not UTF-8 made readable, so the file is valid UTF-8."""
    results = list(results)
    depth = max((len(result.top) for result in results), default=0)
    writer = csv.writer(stream)
    header = ["path"]
    for rank in range(1, depth + 1):
        header += [f"label_{rank}", f"probability_{rank}"]
    writer.writerow(header + ["error"])
    for result in results:
        cells = [str(result.path)]
        for label, probability in result.top:
            cells += [label, f"{probability:.6f}"]
        cells += [""] * (2 * (depth - len(result.top)))
        writer.writerow([readable(cell) for cell in cells + [result.error or ""]])


def write_results_csv(path: Path | str, results: Iterable[Any]) -> Path:
    """Write `results` as CSV to `path` atomically (a failure never leaves half a file)."""
    path = Path(path)
    try:
        with atomic_path(path) as temporary, open(temporary, "w", newline="", encoding="utf-8") as stream:
            write_csv(results, stream)
    except OSError as error:
        raise StudioError(f"{path}: could not save the results ({error.strerror or error})") from None
    return path
