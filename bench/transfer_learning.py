"""Time from Start to a trained transfer-learning model file on 1,000 photos, feature route against feature
route, and training images/s, against references in the same run (compare the ratios; the machine is shared
and absolute numbers move).

1. Transfer learning: 1,000 generated JPEGs (10 classes), DenseNet-121 at 224x224 with a backbone weights
   file written here (random weights, nothing downloaded). DenseNet Studio's `train(pretrained=...)`: decode
   once, backbone features once, the head for --epochs epochs on the cached features. One arm per feature
   route (TrainConfig.feature_runtime and precision), each in its own process and with the decoded-photo
   cache emptied before it, so every arm pays decoding. The arms run --repeats times in turn (arm A, B, C, then
   A, B, C again), so that a slow spell of the shared machine hits every arm; ratios are of median totals:
     filed          the engine as it was when issue #11 was filed (commit c7821fb, from this repository's
                    history): a plain TensorFlow function in float32 (today's route then: the reference)
     graph-float32  today's engine on a TensorFlow function in float32 (the route before, with today's
                    pipeline around it)
     graph          a TensorFlow function in the compute plan's precision (bfloat16 on an AMX CPU or a GPU)
     tflite-cold    TFLite, converting the backbone inside the run (the first training on a machine)
     tflite         TFLite, the converted backbone from the cache (every later training)
     onnx-cold      ONNX Runtime, converting the backbone inside the run
     onnx           ONNX Runtime, the converted backbone from the cache (the automatic route on a CPU)
     onnx-int8      ONNX Runtime on the backbone quantised to int8, calibrated on the photos in the first round
                    (its quantisation, 15-20 s, is in that round's features phase; later rounds reuse it)
   Then, in one process, --rounds interleaved rounds of the feature pass alone on each route (the training
   photos, decoded; tracing, conversion and warm-up not counted) and of classify's ONNX, TFLite and graph
   routes (engine.inference.classifier.classify over every photo: JPEG decoding in 2 threads ahead of
   inference, batch 16 and 32, with the trained model): each feature pass's images/s against the fastest
   classify route's.
   With --keras-reference: the usual Keras recipe, frozen backbone + head trained end to end with
   `model.fit` on the same decoded batches; a few batches are timed, scaled to an epoch's training batches
   (validation left out, so the reference is flattered) and multiplied by --epochs, plus the graph arm's
   decoding.
2. Training images/s of `train()` from scratch (the compute plan's automatic settings), median over the
   steady-state batches of one epoch: densenet121 at 224 (batch 16) and a compact variant at 32 (batch 64).
   Reference: keras.applications.DenseNet121 `train_on_batch` (Adam), batch 16, same run.

    .venv/bin/python bench/transfer_learning.py [--photos 1000] [--epochs 10] [--routes graph-float32,graph,...]
        [--repeats 3] [--rounds 2] [--keras-reference] [--compact densenet-bc-100-k12] [--part all|transfer|speed] [--jit auto|on|off]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import keras  # noqa: E402
import numpy as np  # noqa: E402

from bench.batch_timer import timed_fit  # noqa: E402
from bench.inference_speed import time_classify  # noqa: E402
from engine.data.image_cache import DECODER_VERSION  # noqa: E402
from engine.model.config import ModelConfig  # noqa: E402  (the engine first: its TensorFlow environment)
from engine.model.densenet import build_densenet  # noqa: E402
from engine.training.events import BatchEnded, PhaseStarted, TrainingListener  # noqa: E402
from engine.training.train_config import TrainConfig  # noqa: E402
from engine.training.trainer import train  # noqa: E402
from tests.image_files import make_class_folders  # noqa: E402
from tests.keras_files import write_legacy_h5_weights  # noqa: E402

CLASSES = tuple(f"class{index}" for index in range(10))
# arm -> (TrainConfig.feature_runtime, TrainConfig.precision) of today's engine; the first arm run is the reference
ROUTES = {"graph-float32": ("graph", "float32"), "graph": ("graph", "auto"), "tflite-cold": ("tflite", "auto"),
          "tflite": ("tflite", "auto"), "onnx-cold": ("onnx", "auto"), "onnx": ("onnx", "auto"),
          "onnx-int8": ("onnx-int8", "auto")}
# The arm "filed" trains with the engine of this commit, the code as it was when issue #11 asked for faster transfer
# learning ("today's route"): features through a plain tf.function in float32, fed by the tf.data pipeline.
FILED, FILED_COMMIT = "filed", "c7821fb"
FILED_TRAINING = """
import json, sys, time
from pathlib import Path
from engine.training.events import TrainingListener
from engine.training.train_config import TrainConfig
from engine.training.trainer import train

class Marks(TrainingListener):
    def __init__(self):
        self.marks = []
    def on_phase(self, event):
        self.marks.append((event.phase, time.perf_counter(), time.process_time()))

work, epochs, marks = Path(sys.argv[1]), int(sys.argv[2]), Marks()
config = TrainConfig(out=work / "transfer-filed.keras", variant="densenet121", input_size=224, epochs=epochs,
                     batch_size=32, pretrained=str(work / "densenet121_notop.h5"), patience=0,
                     cache_dir=work / "cache-filed")
result = train(work / "photos", config, marks)
marks.marks.append(("end", time.perf_counter(), time.process_time()))
print(json.dumps({"marks": marks.marks, "val_accuracy": result.best_val_accuracy, "compute": result.compute}))
"""
CONVERTED_AHEAD = ("tflite", "onnx", "onnx-int8")  # arms whose backbone is converted before Start, as the app does
PHASES = ("decoding", "features", "head", "saving")
CLASSIFY_BATCHES = (16, 32)


class Timeline(TrainingListener):
    """Wall-clock and process CPU time at each phase start, and every batch event."""

    def __init__(self):
        self.started, self.started_cpu = time.perf_counter(), time.process_time()
        self.phases: list[tuple[str, float, float]] = []
        self.batches: list[BatchEnded] = []

    def on_phase(self, event: PhaseStarted) -> None:
        self.phases.append((event.phase, time.perf_counter() - self.started, time.process_time() - self.started_cpu))

    def on_batch(self, event: BatchEnded) -> None:
        self.batches.append(event)

    def durations(self) -> dict[str, tuple[float, float]]:
        """Each phase's (wall seconds, CPU seconds of every thread of this process), up to now."""
        return phase_durations(self.phases + [("end", time.perf_counter() - self.started,
                                                time.process_time() - self.started_cpu)])


def phase_durations(marks: list) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds per phase from (phase, wall, CPU) marks at each phase start and a last one at the end.
    Compiling counts to the phase it compiles for (the head's first batch waits for it), starting and building
    to the decoding they precede."""
    totals: dict[str, tuple[float, float]] = {}
    owner = "decoding"
    for (phase, wall, cpu), (_, next_wall, next_cpu) in zip(marks, marks[1:]):
        owner = owner if phase in ("compiling", "building", "starting") else phase
        spent = totals.get(owner, (0.0, 0.0))
        totals[owner] = (spent[0] + next_wall - wall, spent[1] + next_cpu - cpu)
    return totals


REFERENCE_STEPS = 3  # timed batches of the reference, after a first (tracing) one


def transfer_config(work: Path, epochs: int, route: str, precision: str = "auto") -> TrainConfig:
    return TrainConfig(out=work / f"transfer-{route}-{precision}.keras", variant="densenet121", input_size=224,
                       epochs=epochs, batch_size=32, pretrained=str(work / "densenet121_notop.h5"), patience=0,
                       feature_runtime=route, precision=precision, cache_dir=work / "cache")


def filed_engine(work: Path) -> Path:
    """A folder holding the engine of FILED_COMMIT (from this repository's history), to import it from."""
    folder = work / FILED
    if not folder.is_dir():
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", FILED_COMMIT, "engine"], capture_output=True,
                                 check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as files:
            files.extractall(folder, filter="data")
    return folder


def run_filed_arm(work: Path, epochs: int) -> dict:
    """run_arm with the engine of FILED_COMMIT, in a fresh Python, decoding the photos into a fresh cache."""
    shutil.rmtree(work / "cache-filed", ignore_errors=True)
    completed = subprocess.run([sys.executable, "-c", FILED_TRAINING, str(work), str(epochs)], capture_output=True,
                               text=True, cwd=filed_engine(work))
    if completed.returncode:
        raise RuntimeError(f"the {FILED_COMMIT} training failed:\n{completed.stderr[-3000:]}")
    answer = json.loads(completed.stdout.strip().splitlines()[-1])
    phases = phase_durations(answer["marks"])
    return {"phases": phases, "total": sum(wall for wall, _ in phases.values()), "ahead": 0.0,
            "val_accuracy": answer["val_accuracy"], "compute": answer["compute"], "model": None}


def run_arm(work: Path, arm: str, epochs: int) -> dict:
    """One training from Start to the model file (in the arm's own process); its phases in seconds."""
    config = transfer_config(work, epochs, *ROUTES[arm])
    shutil.rmtree(work / "cache" / f"images-v{DECODER_VERSION}", ignore_errors=True)  # every arm decodes the photos
    route = ROUTES[arm][0]
    if arm.endswith("-cold"):
        for converted in (work / "cache" / "converted").glob(f"backbone-*.{route}"):
            converted.unlink()
    conversion = 0.0
    if arm in CONVERTED_AHEAD:  # converted ahead (once per machine; instant after the cold arm), not timed below
        from engine.training.transfer import ensure_backbone

        start = time.perf_counter()  # int8 is quantised in its first training, on its photos (as in the app)
        ensure_backbone("onnx" if route == "onnx-int8" else route, config.variant, config.input_size,
                        config.channels, config.pretrained, config.cache_dir)
        conversion = time.perf_counter() - start
    timeline = Timeline()
    result = train(work / "photos", config, timeline)
    phases = timeline.durations()
    return {"phases": phases, "total": sum(wall for wall, _ in phases.values()), "ahead": conversion,
            "val_accuracy": result.best_val_accuracy, "compute": result.compute, "model": str(result.model_path)}


def interleaved_rates(work: Path, model: str, rounds: int) -> dict[str, list[tuple[float, float]]]:
    """(images/s, CPU ms per photo) of the feature pass on each route (the training photos, decoded) and of
    classify's ONNX, TFLite and TensorFlow graph routes (every photo, JPEG decoding included), round by round in
    one process so that other jobs' load hits them alike. Conversion, tracing and warm-up are not counted."""
    from engine.data.pipeline import prepare_data
    from engine.inference.classifier import (
        GRAPH,
        ONNX,
        ONNX_INT8,
        TFLITE,
        Classifier,
        InferenceSettings,
    )
    from engine.model.compute import detect_device
    from engine.training import transfer

    os.environ["DENSENET_STUDIO_CACHE"] = str(work / "cache")
    config = transfer_config(work, 1, TFLITE)
    data = prepare_data(work / "photos", config.data_config())  # decoded by the arms: all cache hits
    backbone = transfer.build_backbone(config.variant, config.input_size, config.channels, config.pretrained)
    forwards = {
        "feature pass, graph float32": transfer.graph_forward(backbone, jit_compile=False, bfloat16=False),
    }
    first = next(data.train.as_numpy_iterator())[0]
    for route in (TFLITE, ONNX, ONNX_INT8):
        forwards[f"feature pass, {route}"] = transfer.converted_forward(route, transfer.ensure_backbone(
            route, config.variant, config.input_size, config.channels, config.pretrained, config.cache_dir,
            calibration=lambda: first))
    if detect_device().fast_bfloat16:
        forwards["feature pass, graph bfloat16"] = transfer.graph_forward(backbone, jit_compile=False, bfloat16=True)
    for forward in forwards.values():
        forward(first)  # trace / make the interpreter
    classifiers = {}
    for runtime in (ONNX, TFLITE, GRAPH):  # the graph in bfloat16 where the CPU computes it natively
        for batch in CLASSIFY_BATCHES:
            classifier = Classifier.from_file(model, InferenceSettings(batch_size=batch, runtime=runtime))
            classifiers[f"classify, {classifier.route.split(',')[0]} batch {batch}"] = classifier
    width, count, features = int(backbone.output_shape[-1]), len(data.train_files), work / "features.npy"

    def feature_pass(forward) -> int:
        transfer.extract_features(lambda: forward, width, data.train, count, features, lambda _: None)
        for path in (features, features.with_name(features.stem + "-labels.npy")):
            path.unlink()
        return count

    runs = {name: (lambda forward=forward: feature_pass(forward)) for name, forward in forwards.items()}
    runs |= {name: (lambda classifier=classifier: len(time_classify(classifier, work / "photos")[1]))
             for name, classifier in classifiers.items()}
    rates: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            start, cpu = time.perf_counter(), time.process_time()
            done = run()
            rates[name].append((done / (time.perf_counter() - start), 1000 * (time.process_time() - cpu) / done))
    return rates


def in_own_process(*args: str) -> dict:
    """Run this script with `args` in a fresh Python; its last output line is a JSON answer."""
    completed = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT)
    if completed.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def load_average() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def print_interleaved(work: Path, model: str, rounds: int) -> None:
    """The feature pass of each route against classify's routes, interleaved in one process, and the ratios."""
    rates = in_own_process("--interleave", model, "--work", str(work), "--rounds", str(rounds))
    print(f"  feature pass against the classify routes, {rounds} interleaved round(s) in one process "
          f"(median; load after {load_average()}):")
    median = {name: statistics.median(speed for speed, _ in values) for name, values in rates.items()}
    for name, values in rates.items():
        print(f"    {name:<28} {median[name]:6.1f} images/s  {statistics.median(cpu for _, cpu in values):5.0f} "
              f"CPU ms/photo   (rounds: {', '.join(f'{speed:.1f}' for speed, _ in values)})")
    fastest = max(value for name, value in median.items() if name.startswith("classify"))
    for name, value in median.items():
        if name.startswith("feature"):
            print(f"    {name}: {value / fastest:.0%} of the fastest classify route")


def transfer_learning(work: Path, photos: int, epochs: int, arms: list[str], repeats: int, rounds: int,
                      keras_reference: bool) -> None:
    make_class_folders(work / "photos", CLASSES, per_class=photos // len(CLASSES), size=256, kind="jpeg")
    keras.utils.set_random_seed(0)
    write_legacy_h5_weights(build_densenet(ModelConfig("densenet121", include_top=False)),
                            work / "densenet121_notop.h5")
    print(f"transfer learning, {photos} photos, DenseNet-121 224x224, batch 32, {epochs} head epochs, "
          f"each arm in its own process, {repeats} round(s) of the arms in turn (load before: {load_average()}); "
          "wall seconds per phase:")
    print(f"  {'arm':<14}" + "".join(f"{phase:>10}" for phase in PHASES)
          + f"{'total':>9}  feature pass images/s, CPU ms/photo  load after")
    runs: dict[str, list[dict]] = {arm: [] for arm in arms}
    for _ in range(repeats):
        for arm in arms:
            answer = (run_filed_arm(work, epochs) if arm == FILED
                      else in_own_process("--arm", arm, "--work", str(work), "--epochs", str(epochs)))
            runs[arm].append(answer)
            phases = answer["phases"]
            wall, cpu = phases["features"]
            print(f"  {arm:<14}" + "".join(f"{phases.get(phase, (0.0, 0.0))[0]:9.1f}s" for phase in PHASES)
                  + f"{answer['total']:8.1f}s  {photos / wall:10.1f} {1000 * cpu / photos:12.0f}  "
                  f"{load_average():>12}"
                  + (f"   (converted ahead: {answer['ahead']:.1f} s)" if arm in CONVERTED_AHEAD else ""), flush=True)
    print("  (the features phase of a -cold arm includes the conversion; CPU ms: every thread of the process)")
    total = {arm: statistics.median(answer["total"] for answer in answers) for arm, answers in runs.items()}
    print("  median total: " + ", ".join(f"{arm} {seconds:.1f}s" for arm, seconds in total.items()))
    answers = {arm: answers[-1] for arm, answers in runs.items()}
    print("  best val_acc: " + ", ".join(f"{arm} {answer['val_accuracy']:.3f}" for arm, answer in answers.items()))
    models = [answer["model"] for answer in answers.values() if answer["model"]]
    if rounds and models:  # --rounds 0: the end-to-end arms only; classify needs a model of today's engine
        print_interleaved(work, models[0], rounds)
    for arm, answer in answers.items():
        print(f"  compute plan, {arm}: {answer['compute']}")
    reference = arms[0]
    for arm in arms[1:]:
        print(f"  end to end (median totals), {reference} / {arm}: {total[reference] / total[arm]:.2f}x")
    if keras_reference:
        keras_recipe(work, epochs, answers[reference]["phases"]["decoding"][0])


def keras_recipe(work: Path, epochs: int, decoding: float) -> None:
    """The usual Keras recipe: frozen backbone inside `model.fit`, on the same decoded batches."""
    from engine.data.pipeline import prepare_data

    config = transfer_config(work, epochs, "graph")
    prepared = prepare_data(work / "photos", config.data_config())
    backbone = build_densenet(ModelConfig("densenet121", include_top=False))
    backbone.trainable = False
    inputs = keras.Input((224, 224, 3))
    outputs = keras.layers.Dense(len(CLASSES), activation="softmax")(
        keras.layers.GlobalAveragePooling2D()(backbone(inputs, training=False)))
    reference = keras.Model(inputs, outputs)
    reference.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    seconds = timed_fit(reference, prepared.train, REFERENCE_STEPS)
    batches = int(prepared.train.cardinality())
    reference_epoch = statistics.median(seconds) * batches  # training batches only: a lower bound
    print(f"  reference (frozen backbone in model.fit): {reference_epoch:.1f} s/epoch ({batches} batches, "
          f"validation not counted) -> {decoding + epochs * reference_epoch:.1f} s for {epochs} epochs")


def training_speed(work: Path, variant: str, input_size: int, batch_size: int, count: int, jit) -> float:
    data = make_class_folders(work / f"{variant}-{input_size}", ("a", "b"), per_class=count // 2,
                              size=input_size, kind="jpeg")
    config = TrainConfig(out=work / f"{variant}.keras", variant=variant, input_size=input_size, epochs=1,
                         batch_size=batch_size, val_split=0.0, jit_compile=jit, cache_dir=work / "cache")
    timeline = Timeline()
    result = train(data, config, timeline)
    steady = [event.images_per_second for event in timeline.batches[2:-1]] or [timeline.batches[-1].images_per_second]
    speed = statistics.median(steady)
    print(f"{variant} {input_size}x{input_size} batch {batch_size}: {speed:.1f} images/s "
          f"({len(steady)} steady batches; {result.compute})")
    return speed


def reference_speed(batch_size: int = 16, steps: int = 5) -> float:
    keras.utils.set_random_seed(0)
    model = keras.applications.DenseNet121(weights=None)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    images = np.random.default_rng(0).uniform(0, 255, (batch_size, 224, 224, 3)).astype("float32")
    labels = np.arange(batch_size) % 1000
    model.train_on_batch(images, labels)  # trace
    start = time.perf_counter()
    for _ in range(steps):
        model.train_on_batch(images, labels)
    speed = steps * batch_size / (time.perf_counter() - start)
    print(f"reference keras.applications.DenseNet121 train_on_batch, batch {batch_size}: {speed:.1f} images/s")
    return speed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--routes", default=",".join((FILED, *ROUTES)),
                        help=f"transfer-learning arms to run, in order (the first is the reference), from: "
                             f"{FILED} (the engine of {FILED_COMMIT}), {', '.join(ROUTES)}")
    parser.add_argument("--repeats", type=int, default=3,
                        help="rounds of the transfer-learning arms in turn; the ratios are of median totals")
    parser.add_argument("--rounds", type=int, default=2,
                        help="interleaved rounds of feature pass and classify route, for their ratio (0: none)")
    parser.add_argument("--keras-reference", action="store_true",
                        help="also time the Keras recipe (frozen backbone in model.fit)")
    parser.add_argument("--compact", default="densenet-bc-100-k12")
    parser.add_argument("--part", choices=("all", "transfer", "speed"), default="all")
    parser.add_argument("--jit", choices=("auto", "on", "off"), default="auto",
                        help="XLA for the training-speed part (its compile of DenseNet-121 takes minutes on 2 cores)")
    parser.add_argument("--arm", choices=tuple(ROUTES), help=argparse.SUPPRESS)  # one arm, in its own process
    parser.add_argument("--interleave", help=argparse.SUPPRESS)  # interleaved_rates with this model file
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.arm:
        print(json.dumps(run_arm(args.work, args.arm, args.epochs)))
        return
    if args.interleave:
        print(json.dumps(interleaved_rates(args.work, args.interleave, args.rounds)))
        return
    arms = args.routes.split(",")
    unknown = set(arms) - {FILED, *ROUTES}
    if unknown:
        parser.error(f"unknown route(s) {', '.join(sorted(unknown))}; choose from {FILED}, {', '.join(ROUTES)}")
    jit = {"auto": "auto", "on": True, "off": False}[args.jit]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if args.part in ("all", "transfer"):
            transfer_learning(work, args.photos, args.epochs, arms, args.repeats, args.rounds, args.keras_reference)
        if args.part in ("all", "speed"):
            ours = training_speed(work, "densenet121", 224, 16, 128, jit)
            reference = reference_speed()
            print(f"  ratio densenet121 train() / keras.applications: {ours / reference:.2f}x")
            training_speed(work, args.compact, 32, 64, 640, jit)


if __name__ == "__main__":
    main()
