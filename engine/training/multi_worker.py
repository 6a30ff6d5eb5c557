"""Training on several machines: tf.distribute.MultiWorkerMirroredStrategy over the cluster TF_CONFIG describes.

Every worker runs the same `train` command. TensorFlow keeps their networks identical (each batch is split
between the workers and the gradients are all-reduced after it), so one copy of the files is enough: the chief
(the "chief" task, else worker 0) writes the model file and OUT.state/, the others write theirs into a private
temporary folder that goes when they end. Resume reads the chief's OUT.state/, so every worker must see it
(shared storage, as for Keras' BackupAndRestore); a worker lost mid-training stops the others with
WorkerLostError, and the whole cluster restarts with --resume from the last completed epoch.

Everything a worker decides on its own must come out the same on every worker, or one waits forever for the
others: the settings and photos are compared at the start (`agree`), the logs that decide best epochs and
early stopping are averaged over the workers by Keras, and a time budget runs on a clock they share
(`shared_clock`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import numpy as np
import tensorflow as tf

from engine.errors import ConfigError, StudioError
from engine.training.checkpoints import STATE_FILE, ResumeError
from engine.training.train_config import TrainConfig

TF_CONFIG = "TF_CONFIG"
T = TypeVar("T")
ROLES = ("chief", "worker")


class WorkerLostError(StudioError):
    """Another worker of the cluster stopped (killed, crashed, its machine gone) during training."""


def cluster_role(text: str | None) -> tuple[str, int, bool]:
    """(task type, index, whether it is the chief) of the TF_CONFIG text `text`; ConfigError names what is wrong."""
    if not text:
        raise ConfigError(f"--distribute multi-worker needs the {TF_CONFIG} environment variable, which names the "
                          "cluster's workers and this one's task (see the documentation: Training, Multi-worker "
                          "training)")
    try:
        described = json.loads(text)
        cluster, task = described["cluster"], described["task"]
        role, index = task["type"], int(task["index"])
        members = cluster[role]
    except (ValueError, TypeError, KeyError) as error:
        raise ConfigError(f"{TF_CONFIG} is not a cluster description like {{\"cluster\": {{\"worker\": [\"host:port\", "
                          f"...]}}, \"task\": {{\"type\": \"worker\", \"index\": 0}}}} ({error!r})") from None
    if role not in ROLES or not 0 <= index < len(members):
        raise ConfigError(f"{TF_CONFIG}: task {role} {index} is not one of the cluster's chief or workers")
    return role, index, role == "chief" or (role == "worker" and index == 0 and "chief" not in cluster)


class KerasMultiWorkerStrategy(tf.distribute.MultiWorkerMirroredStrategy):
    """MultiWorkerMirroredStrategy taking the two calls Keras 3's `fit` makes of `reduce` under it
    (keras-team/keras#20585): a whole batch structure (MirroredStrategy maps over it; this strategy alone did
    not), and axis 0 of per-replica scalars (the logs, which have no axis 0: they are averaged as they are)."""

    def reduce(self, reduce_op, value, axis):
        reduce = super().reduce

        def one(item):
            local = item.values[0] if isinstance(item, tf.distribute.DistributedValues) else tf.convert_to_tensor(item)
            return reduce(reduce_op, item, None if local.shape.rank == 0 else axis)

        return tf.nest.map_structure(one, value)


def make_multi_worker_strategy() -> KerasMultiWorkerStrategy:
    """The strategy of the cluster in TF_CONFIG. Create it first, before TensorFlow runs anything: it sets up
    TensorFlow's runtime for the cluster, which is fixed once the runtime has started."""
    cluster_role(os.environ.get(TF_CONFIG))
    return KerasMultiWorkerStrategy()


def is_multi_worker(strategy) -> bool:
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)


def is_chief(strategy) -> bool:
    """Whether this process writes the files: always, except on a worker of a multi-worker cluster."""
    return not is_multi_worker(strategy) or cluster_role(os.environ.get(TF_CONFIG))[2]


@contextlib.contextmanager
def files_of_worker(config: TrainConfig, strategy) -> Iterator[TrainConfig]:
    """`config` with the model file this process writes: the chief's own; for another worker one in a private
    temporary folder, removed at the end, holding on resume a copy of the chief's model file and state."""
    if is_chief(strategy):
        yield config
        return
    private = tempfile.mkdtemp(prefix="densenet-studio-worker-")
    try:
        copy = dataclasses.replace(config, out=os.path.join(private, config.out.name))
        if config.resume:
            if not (config.state_dir / STATE_FILE).is_file():
                raise ResumeError(f"nothing to resume: {config.state_dir} is not there; with several workers "
                                  f"every one must see the chief's {config.out} folder (shared storage)")
            shutil.copytree(config.state_dir, copy.state_dir)
            if config.out.is_file():
                shutil.copyfile(config.out, copy.out)
        yield copy
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _digest(text: str) -> np.ndarray:
    return np.frombuffer(hashlib.sha256(text.encode("utf-8")).digest()[:16], np.int32)


def agree(strategy, description: dict) -> None:
    """Make sure every worker trains the same thing (settings, photos, compute plan): workers that differ
    would wait for each other forever, or train different networks under one name.

    Raises:
        ConfigError: on every worker, when one of them differs from the chief.
    """
    if not is_multi_worker(strategy):
        return
    mine = _digest(json.dumps(description, sort_keys=True, default=str))
    gathered = strategy.gather(strategy.experimental_distribute_values_from_function(lambda _: tf.constant(mine)),
                               axis=0).numpy().reshape(-1, mine.size)
    if not (gathered == gathered[0]).all():
        raise ConfigError("the workers were started with different settings, photos or machines' compute plans: "
                          "give every worker the same command, folder and settings (--precision, --jit and "
                          "--memory-efficient fixed where machines differ)")


def shared_clock(strategy, deadline: float | None) -> Callable[[], float]:
    """The clock the time budget's plan reads. Under a cluster, each reading is the workers' mean of their
    own time to the deadline, counted back from this worker's deadline, so every worker fits the same
    number of epochs and stops at the same batch; each reading is one small all-reduce."""
    if not is_multi_worker(strategy) or deadline is None:
        return time.monotonic

    def clock() -> float:
        left = strategy.reduce(tf.distribute.ReduceOp.MEAN, tf.constant(deadline - time.monotonic(), tf.float64),
                               axis=None)
        return deadline - float(left)

    return clock


def reporting_lost_worker(strategy, train: Callable[[], T]) -> T:
    """`train()`; a lost worker, as TensorFlow reports it on the others, becomes one line saying what to do."""
    try:
        return train()
    except tf.errors.UnavailableError as error:
        if not is_multi_worker(strategy):
            raise
        detail = str(error).splitlines()[0]
    # Past the handler nothing references the failed call's frames: collect them now, while the process is
    # whole, or the thread pool TensorFlow's eager all-reduce left in them prints a traceback at exit.
    gc.collect()
    raise WorkerLostError("another worker of the cluster stopped, so this one cannot go on; the last completed "
                          "epoch is kept: start every worker again with --resume", detail=detail)
