"""Training in a child process: the path the app's Train tab and the installed app's self-test both take.

TensorFlow holds Python's GIL for long stretches while it builds and compiles a model, which froze the
window when training ran in a thread. In a child process it cannot: the caller only reads events from a
queue. A crash of the child (even a segfault or the OOM killer) ends as a clear message while the caller
keeps running. This module imports neither Qt nor TensorFlow.

Loading TensorFlow takes seconds, so the Train tab starts the child ahead of time (a TrainingProcess, as
soon as a dataset is checked): it imports the engine's training while the user reads the check and the
settings, converts the transfer-learning backbone the settings will need (prepare: once per machine, then
cached), then waits for the one training job the Start click sends. The label check (its k small trainings,
engine.training.label_check) runs in such a child too, for the same reason: label_check_events.

Everything crosses the process boundary typed: engine.training.events' dataclasses (PhaseStarted(EVALUATING) when the
saved model is scored), the TrainResult, and the StudioError itself (its class, template and facts kept), which
is raised here.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import traceback
from typing import Any

from engine.data.dataset import DatasetError
from engine.errors import QT_TRANSLATE_NOOP, StudioError
from engine.inference.classifier import GRAPH, ONNX, ONNX_INT8
from engine.inference.report import EvaluationReport, NoScore
from engine.model.modelfile import load_model
from engine.runtime.native_logs import load_tensorflow
from engine.training.events import EVALUATING, LOADING, PhaseStarted, TrainingListener

PROCESS_ENDED = QT_TRANSLATE_NOOP("EngineText", "The training process ended unexpectedly; the best model saved so far "
                                                "is kept.")
UNEXPECTED = QT_TRANSLATE_NOOP("EngineText", "The training stopped on a problem DenseNet Studio did not expect; the best "
                                             "model saved so far is kept. Please report it with the details.")
NO_ANSWER = QT_TRANSLATE_NOOP("EngineText", "The training did not answer the stop request, so it was ended; the best "
                                            "model saved so far is kept.")
CHECK_ENDED = QT_TRANSLATE_NOOP("EngineText", "The label check's process ended unexpectedly; nothing in the folder "
                                              "was changed.")
CHECK_UNEXPECTED = QT_TRANSLATE_NOOP("EngineText", "The label check stopped on a problem DenseNet Studio did not "
                                                   "expect; nothing in the folder was changed. Please report it with "
                                                   "the details.")
CHECK_NO_ANSWER = QT_TRANSLATE_NOOP("EngineText", "The label check did not answer the stop request, so it was ended; "
                                                  "nothing in the folder was changed.")
POLL_S = 0.05
STOP_GRACE_S = 120.0  # silence after a stop request (the child normally answers within a batch) before it is ended
EVENT, RESULT, ERROR, READY = "event", "result", "error", "ready"
# The jobs a child takes: any number of PREPARE, then one TRAIN or LABEL_CHECK.
PREPARE, TRAIN, LABEL_CHECK = "prepare", "train", "label-check"
# What a job's failure says (the process died, a bug, no answer to a stop): a training keeps its best model, a
# label check changes nothing.
FAILURES = {TRAIN: (PROCESS_ENDED, UNEXPECTED, NO_ANSWER),
            LABEL_CHECK: (CHECK_ENDED, CHECK_UNEXPECTED, CHECK_NO_ANSWER)}


def _reporting(events, job, kind: str) -> None:
    """Run `job()` (a job of `kind`) and send its result, or its error, back through `events`."""
    try:
        events.put((RESULT, job()))
    except StudioError as error:
        events.put((ERROR, error))
    except BaseException:  # a bug: said plainly, its traceback kept as the detail
        events.put((ERROR, StudioError.said(FAILURES[kind][1], detail=traceback.format_exc(limit=6))))


def _train(data_root: str, config, evaluate: bool, events, stop) -> None:
    """Train (stopping when the parent sets `stop`), score the saved model if asked, and send everything
    back through `events`."""
    from engine.training.trainer import train

    class Forward(TrainingListener):
        def _forward(self, event) -> None:
            events.put((EVENT, event))

        on_phase = on_progress = on_batch = on_epoch = on_plan = _forward

    def job():
        result = train(data_root, config, Forward(), stop)
        evaluation: EvaluationReport | NoScore | None = None
        if evaluate and result.model_path is not None:
            events.put((EVENT, PhaseStarted(EVALUATING, "the photos the model did not train on")))
            evaluation = _evaluation(result.model_path, data_root)
        return result, evaluation

    _reporting(events, job, TRAIN)


def _label_check(data_root: str, options: dict, events, stop) -> None:
    """engine.training.label_check.check_labels with `options`; its progress sent as (done, total) events."""
    from engine.training.label_check import check_labels

    _reporting(events, lambda: check_labels(data_root, **options, stop=stop,
                                            progress=lambda done, total: events.put((EVENT, (done, total)))),
               LABEL_CHECK)


def _evaluation(model_path, data_root: str) -> EvaluationReport | NoScore:
    """The new model's scores on the photos of `data_root` it did not train on, or why there are none."""
    from engine.inference.evaluation import evaluate_model

    try:
        return evaluate_model(load_model(model_path), data_root)
    except DatasetError as error:
        return NoScore(error)


def _prepare(config) -> None:
    """Convert the backbone a transfer-learning `config` will compute its features with, if its weights are
    already on this machine (never a download: the window asks first); quietly nothing otherwise, since the
    training itself reports any problem."""
    from engine.training import transfer

    route = transfer.feature_runtime(config.feature_runtime)
    if config.pretrained is None or route == GRAPH:
        return
    route = ONNX if route == ONNX_INT8 else route  # quantising needs the photos: the training does it
    try:
        weights = transfer.weights_file(config, fetch=False)
        transfer.ensure_backbone(route, config.variant, config.input_size, config.channels, weights,
                                 config.cache_dir)
    except (StudioError, OSError):
        return


def _child(jobs, events, stop) -> None:
    """The child process: load TensorFlow and the training code, say so, prepare what it is asked to, then
    train the job it is sent."""
    load_tensorflow()
    import engine.training.trainer  # noqa: F401  the seconds this takes are what starting early saves

    events.put((READY, None))
    while True:
        kind, *job = jobs.get()
        if kind == PREPARE:
            _prepare(*job)
        else:
            {TRAIN: _train, LABEL_CHECK: _label_check}[kind](*job, events, stop)
            return


class TrainingProcess:
    """A spawned training child that loads TensorFlow at once and then trains one job (see training_events).

    Never forked: the app's process runs Qt and TensorFlow threads. `discard` it when it is not used.
    """

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.jobs, self.events, self.stop = context.Queue(), context.Queue(), context.Event()
        self.child = context.Process(target=_child, args=(self.jobs, self.events, self.stop), daemon=True,
                                     name="densenet-studio-training")
        self.child.start()

    def prepare(self, config) -> None:
        """Let the waiting child convert what `config`'s training will need (see _prepare) before Start."""
        self.jobs.put((PREPARE, config))

    def loaded(self) -> bool:
        """Whether TensorFlow is already loaded; call once, before the job is sent (it takes the READY note)."""
        try:
            kind, _ = self.events.get_nowait()
        except queue.Empty:
            return False
        return kind == READY

    def close(self, timeout_s: float = 60.0) -> None:
        """End a training: it stops within one batch keeping its best model (killed if it does not)."""
        self.stop.set()
        self.child.join(timeout=timeout_s)
        if self.child.is_alive():
            self.child.kill()
            self.child.join()

    def discard(self) -> None:
        """End a child that was given no job (the dataset failed its check, the window closes): at once, since
        it has nothing to keep."""
        self.child.terminate()
        self.child.join()


def _check_alive(process: TrainingProcess, kind: str, deadline: float | None, timeout_s: float | None,
                 heard: float) -> None:
    """Raise if the silent child (running a job of `kind`) has died, ran past the caller's time limit, or ignores
    a stop request (a stuck native call): the caller's wait always ends, and closing the process then ends the
    child."""
    ended, _, no_answer = FAILURES[kind]
    if not process.child.is_alive():
        raise StudioError.said(ended, detail=f"exit code {process.child.exitcode}")
    if deadline is not None and time.monotonic() > deadline:
        raise StudioError(f"The training did not finish within {timeout_s:.0f} s.")
    if process.stop.is_set() and time.monotonic() - heard > STOP_GRACE_S:
        process.child.kill()
        raise StudioError.said(no_answer, detail=f"no word from the training process for {STOP_GRACE_S:.0f} s")


def training_events(data_root: str, config, stop, process: TrainingProcess | None = None, evaluate: bool = True,
                    timeout_s: float | None = None) -> Any:
    """Generator: trains `config` in `process` (a new one if None), yields engine.training.events as they come and
    returns (TrainResult, evaluation): the evaluation's dict form, why the model could not be scored, or None
    (no model, or `evaluate` False).

    `stop` (anything with is_set(), e.g. a threading.Event) is relayed to the child, which ends within one
    batch keeping the best model. A training still running after `timeout_s` is stopped and reported. The
    process is closed at the end.
    """
    return (yield from _job_events((TRAIN, data_root, config, evaluate), stop, process, timeout_s))


def label_check_events(data_root: str, options: dict, stop, process: TrainingProcess | None = None) -> Any:
    """Generator: engine.training.label_check.check_labels(data_root, **options) in `process` (a new one if
    None); yields PhaseStarted(STARTING) while TensorFlow loads and (done, total) as the folds finish, and
    returns the LabelReport. A stop ends it with LabelCheckStopped raised."""
    return (yield from _job_events((LABEL_CHECK, data_root, options), stop, process, None))


def _job_events(job: tuple, stop, process: TrainingProcess | None, timeout_s: float | None) -> Any:
    """Generator: `job` run in `process` (a new one if None), its events yielded, its result returned, its
    error raised here; `stop` relayed. The process is closed at the end."""
    process = process or TrainingProcess()
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    heard = time.monotonic()  # when the child last sent anything, or the stop was first relayed
    try:
        if not process.loaded():
            yield LOADING
        process.jobs.put(job)
        while True:
            if stop.is_set() and not process.stop.is_set():
                process.stop.set()
                heard = time.monotonic()
            try:
                kind, value = process.events.get(timeout=POLL_S)
            except queue.Empty:
                _check_alive(process, job[0], deadline, timeout_s, heard)
                continue
            heard = time.monotonic()
            if kind == EVENT:
                yield value
            elif kind == RESULT:
                return value
            elif kind == ERROR:
                raise value
            # READY, when TensorFlow finished loading after the click, needs nothing
    finally:
        process.close()
