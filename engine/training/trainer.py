"""Train a DenseNet on a folder of class subfolders: from scratch, or by transfer learning from ImageNet weights.

`train` is the one entry point; the CLI and the GUI both call it with a TrainConfig, a listener for events and
a stop token. The model file (OUT.keras) always holds the best epoch so far, saved atomically with its
metadata; OUT.state/ holds what `resume` needs and is removed when a training finishes.

Augmentation runs in the tf.data pipeline (parallel CPU threads, outside the compiled training step), so the
saved model is exactly the inference network: preprocessing inside, no augmentation layers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import time
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from engine.data.augment import AugmentConfig, build_augmentation
from engine.data.image_cache import CacheError
from engine.data.mixup import mix_batch
from engine.data.pipeline import PreparedData, prepare_data, release_cache
from engine.errors import ConfigError, Said
from engine.inference.classifier import GRAPH, ONNX_INT8
from engine.model.compute import (
    BFLOAT16,
    FLOAT32,
    MIXED_BFLOAT16,
    ComputePlan,
    plan_compute,
    precision_scope,
)
from engine.model.config import POOL_LAYER, ModelConfig
from engine.model.densenet import build_densenet
from engine.model.model_lock import model_lock
from engine.model.modelfile import ModelMetadata, load_model, save_model
from engine.model.variants import get_variant
from engine.runtime.keras_compat import all_layers
from engine.runtime.stop import StopSignal, StopToken
from engine.storage.atomic import atomic_write, require_writable
from engine.training import transfer
from engine.training.checkpoints import (
    BEST_HEAD,
    ResumeError,
    TrainingState,
    damaged_state,
    features_path,
    load_checkpoint,
    prune_checkpoints,
    read_state,
    remove_state,
    save_checkpoint,
    write_state,
)
from engine.training.events import (
    BUILDING,
    BUILDING_NETWORK,
    DECODING,
    DIVERGED,
    DOWNLOADING,
    FEATURES,
    FILLED_BUDGET,
    FINE_TUNE,
    HEAD,
    LEARNING_CLASSES,
    LOOKING_ONCE,
    NO_IMPROVEMENT,
    NOT_STARTED,
    OUT_OF_TIME,
    PLANNED,
    READING_FOLDER,
    SAVING,
    STOPPED_BY_USER,
    TRAIN,
    WRITING_MODEL,
    EpochEnded,
    PhaseProgress,
    PhaseStarted,
    PlanChanged,
    SilentListener,
    TrainingListener,
    TrainResult,
)
from engine.training.fit_events import FitEvents
from engine.training.fused_adamw import FusedAdamW
from engine.training.losses import LabelAccuracy, SmoothedSparseCrossentropy
from engine.training.multi_worker import (
    agree,
    files_of_worker,
    make_multi_worker_strategy,
    reporting_lost_worker,
    shared_clock,
)
from engine.training.schedule import PLAN_CHANGE_SHARE, EpochPlan, PlannedSchedule
from engine.training.train_config import TrainConfig

MIN_IMPROVEMENT = 1e-6  # a validation loss must fall by more than this to count as better
# The paper's Torch training (and PyTorch) update batch-norm statistics with momentum 0.1, i.e. Keras 0.9; Keras'
# default 0.99 needs hundreds of steps before inference-mode statistics fit, more than a small folder gives.
BATCH_NORM_MOMENTUM = 0.9
# A validation batch costs about a third of a training batch (forward pass only): the first epoch's plan
# counts validation time this way until an epoch has been measured.
VALIDATION_COST = 1 / 3
SAVE_RESERVE_S = 10.0  # of a time budget, kept for writing the model file at the end
# Within a time budget, the model file, checkpoint and state are written at most this often (and whenever
# training stops): each write costs 0.2-0.5 s, which was most of an epoch of a 100-photo folder and two
# thirds of its budget (bench/small_folders.py). A crash loses at most this much training.
PERSIST_EVERY_S = 15.0
# Settings that may differ between the workers of a cluster: their own paths and cache limits, and
# Automatic's reason (its time estimate is each machine's own).
LOCAL = ("out", "cache_dir", "cache_limit", "automatic")


class _Stopped(Exception):
    """A stop request outside `fit` (while decoding photos or computing features)."""


def make_strategy(name: str | None) -> tf.distribute.Strategy | None:
    """The tf.distribute strategy for `--distribute`: "mirrored" uses every GPU (or the CPU without one) of
    this machine, "multi-worker" the machines TF_CONFIG names (engine.training.multi_worker; make it before anything
    else runs TensorFlow)."""
    if name is None:
        return None
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multi-worker":
        return make_multi_worker_strategy()
    raise ConfigError(f"unknown distribution strategy '{name}'; those offered are 'mirrored' and 'multi-worker'")


def _resumed_config(config: TrainConfig, state: TrainingState) -> TrainConfig:
    """The interrupted training's settings, with this call's model file and cache limit (the disk's, not the
    training's)."""
    settings = dict(state.settings)
    try:
        settings["augment"] = AugmentConfig(**settings["augment"])
        settings.update(out=config.out, resume=True, cache_limit=config.cache_limit)
        return TrainConfig(**settings)
    except (KeyError, TypeError, ValueError) as error:  # ValueError: ConfigError too
        raise damaged_state(config.state_dir, f"settings: {error!r}") from None


def _start_state(config: TrainConfig) -> tuple[TrainConfig, TrainingState | None]:
    if not config.resume:
        remove_state(config.state_dir)  # a new training does not mix with an older interrupted one
        return config, None
    state = read_state(config.state_dir)
    if state is None:
        raise ResumeError(f"nothing to resume: no interrupted training next to {config.out} ({config.state_dir})")
    return _resumed_config(config, state), state


class _Run:
    """The bookkeeping of one training: history, best epoch, model file, checkpoints, early stopping."""

    def __init__(self, config: TrainConfig, data: PreparedData, plan: ComputePlan, state: TrainingState | None,
                 listener: TrainingListener, stop: StopSignal, deadline: float | None = None,
                 clock: Callable[[], float] = time.monotonic, named: Path | None = None):
        self.config, self.data, self.plan = config, data, plan
        self.named = named or config.out  # the model file the result names: the chief's, on every worker
        self.deadline = deadline  # time.monotonic() by which training must end (a time budget), or None
        self.clock = clock  # what the time budget's plan reads (engine.training.multi_worker.shared_clock)
        # The model file's network: float32, naive (any precision or memory mode trains a twin of it);
        # with transfer learning the backbone has no dropout (ImageNet weights were trained without).
        self.export_config = config.model_config(len(data.class_names), dropout=0.0 if config.transfer else None)
        self._export: keras.Model | None = None  # built on first use: see `export`
        self.listener, self.stop = listener, stop
        self.state = state or TrainingState(settings=config.to_dict(), fingerprint=data.fingerprint, phase="")
        self.best_weights: list[np.ndarray] | None = None
        self.epoch_plan: EpochPlan | None = None  # the running (or last) phase's epochs
        self.best_unsaved = False  # best_weights are newer than the model file
        self.diverged = False  # the training loss became NaN or infinite
        self.persisted_at: float | None = None  # self.clock() at the last checkpoint
        # The last completed epoch's trainer when it is not checkpointed yet: (weights, optimizer variables),
        # to checkpoint it if a stop interrupts the next epoch.
        self.unpersisted: tuple[list, list] | None = None

    @property
    def export(self) -> keras.Model:
        """The model file's network, built when first needed: a training from scratch needs it only to save
        its first epoch, so its first batch does not wait for a second build of the network."""
        if self._export is None:
            with precision_scope(dataclasses.replace(self.plan, precision=FLOAT32)):  # whatever the global policy
                self._export = build_densenet(self.export_config)
        return self._export

    def start_weights(self) -> list[np.ndarray] | None:
        """What the trained network starts from: the export model's weights once it holds some (a pre-trained
        backbone, a resumed best model); None keeps the network's own seeded initial weights."""
        return None if self._export is None else self._export.get_weights()

    def announce_build(self) -> None:
        """Say that a network is being built: for a DenseNet that takes seconds before anything else shows."""
        config = self.config
        said = Said(BUILDING_NETWORK, {"network": get_variant(config.variant).label, "size": config.input_size})
        self.listener.on_phase(PhaseStarted(BUILDING, f"{config.variant} at {config.input_size}x{config.input_size}",
                                            (said,)))

    def restore_best(self) -> None:
        """On resume: the best weights so far, from the best head in the state folder (head phase: the model
        file is written when the phase ends) or from the model file."""
        state = self.state
        if state.best_epoch is None:
            return
        if state.history[state.best_epoch - 1].phase == HEAD:
            head = keras.saving.load_model(self.config.state_dir / BEST_HEAD, safe_mode=True, compile=False)
            transfer.copy_head(head, self.export)
        else:
            self.export.set_weights(load_model(self.config.out).model.get_weights())
        self.best_weights = self.export.get_weights()

    def save_best(self, trainer: keras.Model) -> None:
        """Make the best weights durable: the model file, or in the head phase (epochs of a second, where
        rewriting the whole network each time would cost more than the epoch) the small head."""
        if self.state.phase == HEAD:
            with atomic_write(self.config.state_dir / BEST_HEAD) as temporary:
                trainer.save(temporary)
        else:
            self.export.set_weights(self.best_weights)
            self.save()

    def save(self, stopped: bool = False) -> Path:
        """Write the export network as it is now to the model file, atomically."""
        return save_model(self.export, self.config.out, self.metadata(stopped), self.data.train_digests)

    def metadata(self, stopped: bool = False) -> ModelMetadata:
        state, config, data = self.state, self.config, self.data
        return ModelMetadata(
            class_names=tuple(data.class_names), input_size=config.input_size, channels=config.channels,
            variant=config.variant, training=config.to_dict(), compute=self.plan.reason, history=tuple(state.history),
            best_epoch=state.best_epoch, stopped=stopped, dataset_fingerprint=data.fingerprint,
            train_images=len(data.train_files), val_images=len(data.val_files),
            best_val_accuracy=state.best_val_accuracy, test_time_flip=config.test_time_flip,
            skipped_images=len(data.skipped))

    def begin_phase(self, phase: str, phase_end: int, detail: str = "", said: tuple[Said, ...] = ()) -> bool:
        """Enter `phase` (running to epoch `phase_end`); True when it resumes that phase from a checkpoint."""
        state = self.state
        resuming = state.phase == phase and state.checkpoint is not None
        if not resuming:
            state.phase, state.phase_start, state.phase_end = phase, state.epoch, phase_end
            state.waited, state.checkpoint = 0, None
        self.listener.on_phase(PhaseStarted(phase, detail, said))
        return resuming

    def epoch_done(self, trainer: keras.Model, weights, epoch: int, logs: dict, learning_rate: float,
                   seconds: float) -> bool:
        """Record a completed epoch, save the model if it is the best, checkpoint; True to stop early."""
        state = self.state
        val_loss = logs.get("val_loss")
        monitored = float(val_loss if val_loss is not None else logs["loss"])
        improved = math.isfinite(monitored) and (
            state.best_loss is None or monitored < state.best_loss - MIN_IMPROVEMENT)
        event = EpochEnded(
            phase=state.phase, epoch=epoch + 1, loss=float(logs["loss"]),
            epochs=state.phase_end if self.epoch_plan is None else math.ceil(self.epoch_plan.end),
            accuracy=float(logs.get("accuracy", float("nan"))),
            val_loss=None if val_loss is None else float(val_loss),
            val_accuracy=None if logs.get("val_accuracy") is None else float(logs["val_accuracy"]),
            learning_rate=learning_rate, seconds=seconds, improved=improved,
        )
        state.history.append(event.record())
        state.epoch = epoch + 1
        if improved:
            state.best_loss = monitored
            state.waited = 0
        else:
            state.waited += 1
        kept = improved or (self.keeps_latest and math.isfinite(monitored))
        if kept:
            state.best_epoch, state.best_val_accuracy = epoch + 1, event.val_accuracy
            self.best_weights = weights()
            self.best_unsaved = True
        self.diverged = not all(math.isfinite(loss) for loss in (event.loss, event.val_loss) if loss is not None)
        early_stop = self.diverged or (bool(self.config.patience) and state.waited >= self.config.patience)
        if self.persist_due() or early_stop:
            self.persist(trainer)
        else:
            self.unpersisted = (trainer.get_weights(),
                                [keras.ops.convert_to_numpy(v) for v in trainer.optimizer.variables])
        self.listener.on_epoch(dataclasses.replace(event, saved=kept and not self.best_unsaved))
        return early_stop

    @property
    def keeps_latest(self) -> bool:
        """Whether the model file follows the latest epoch rather than the best validation loss: within a time
        budget and without early stopping, the learning rate anneals to the budget's end, and picking among
        epochs by tens of validation photos picks noise (digits, 60 photos: epoch 46 of 99 was kept;
        bench/small_folders.py)."""
        return self.deadline is not None and not self.config.patience and self.state.phase != HEAD

    def persist_due(self) -> bool:
        """Whether this epoch is written now: always without a time budget and in the head phase (its epochs
        take a second, its files are small), else every PERSIST_EVERY_S."""
        return (self.deadline is None or self.state.phase == HEAD or self.persisted_at is None
                or self.clock() - self.persisted_at >= PERSIST_EVERY_S)

    def persist(self, trainer: keras.Model) -> None:
        """Write the best model (when newer), the trainer's checkpoint and the state for the last epoch."""
        state = self.state
        if self.best_unsaved:
            self.save_best(trainer)
            self.best_unsaved = False
        state.checkpoint = save_checkpoint(trainer, self.config.state_dir, state.epoch)
        write_state(self.config.state_dir, state)
        prune_checkpoints(self.config.state_dir, state.checkpoint)
        self.persisted_at, self.unpersisted = self.clock(), None

    def persist_interrupted(self, trainer: keras.Model) -> None:
        """After a stop: checkpoint the last completed epoch (its weights and optimizer state, kept when it
        was not written), so resume continues from it, not from an older one."""
        if self.unpersisted is None:
            return
        weights, optimizer_values = self.unpersisted
        trainer.set_weights(weights)
        for variable, value in zip(trainer.optimizer.variables, optimizer_values, strict=True):
            variable.assign(value)
        self.persist(trainer)

    def fit(self, trainer: keras.Model, weights, train: tf.data.Dataset, val: tf.data.Dataset | None,
            peak_lr: float, class_weight: dict | None = None) -> FitEvents:
        """Run `fit` from the state's epoch to its phase end (or the time budget's) with the planned learning
        rate, events, stop and checkpoints."""
        state = self.state
        val_share = VALIDATION_COST * len(self.data.val_files) / max(len(self.data.train_files), 1) if val else 0.0
        planned = self.config.planned_epochs if state.phase == TRAIN else None
        plan = EpochPlan(state.phase_start, state.phase_end, self.deadline, val_share, resumed_at=state.epoch,
                         planned=planned)
        self.epoch_plan = plan
        events = FitEvents(state.phase, self.listener, self.stop, plan, self.config.batch_size,
                           lambda *args: self.epoch_done(trainer, weights, *args))

        def tell(epochs: int, was: int, seconds: float, assumed: float) -> None:
            self.listener.on_plan(PlanChanged(state.phase, epochs, was, seconds, assumed))

        schedule = PlannedSchedule(plan, peak_lr, self.clock, on_plan_changed=tell)
        if state.epoch < state.phase_end and not self.stop.is_set():
            trainer.fit(train, validation_data=val, epochs=state.phase_end, initial_epoch=state.epoch,
                        class_weight=class_weight, callbacks=[schedule, events], shuffle=False, verbose=0)
        if events.stopped:
            self.persist_interrupted(trainer)
        return events

    def ending(self, stopped: bool, early_stopped: bool) -> tuple[str, dict]:
        """Why the training ended (engine.training.events.ENDINGS) and the facts its sentence names."""
        state, plan = self.state, self.epoch_plan
        planned = state.phase_end if plan is None else plan.told
        facts = {"epoch": state.epoch, "epochs": max(planned, state.epoch), "patience": self.config.patience}
        if self.diverged:
            return DIVERGED, facts
        if self.best_weights is None:
            return NOT_STARTED, facts
        if stopped:
            return STOPPED_BY_USER, facts
        if early_stopped:
            return NO_IMPROVEMENT, facts
        if self.deadline is None or (plan is not None and state.epoch >= plan.cap):  # the epochs, not the time
            return PLANNED, {**facts, "epochs": state.epoch}
        if state.epoch < planned * (1 - PLAN_CHANGE_SHARE):  # the budget cut the plan it told
            return OUT_OF_TIME, facts
        return FILLED_BUDGET, {**facts, "epochs": state.epoch}

    def keep_best(self, stopped: bool = True) -> Path | None:
        """Write the best weights so far to the model file; None when no epoch completed (nothing worth a file)."""
        self.best_unsaved = False
        if self.best_weights is None:
            return None
        self.export.set_weights(self.best_weights)
        self.save(stopped)
        return self.named

    def finish(self, stopped: bool, early_stopped: bool) -> TrainResult:
        """Write the final model file (best epoch's weights, full history); drop the state unless stopped."""
        out = str(self.config.out)
        self.listener.on_phase(PhaseStarted(SAVING, out, (Said(WRITING_MODEL, {"path": out}),)))
        model_path = self.keep_best(stopped)
        if not stopped:
            remove_state(self.config.state_dir)
        state = self.state
        ending, facts = self.ending(stopped, early_stopped)
        result = TrainResult(
            model_path=model_path, class_names=tuple(self.data.class_names), history=tuple(state.history),
            best_epoch=state.best_epoch, best_val_loss=state.best_loss if self.data.val_files else None,
            best_val_accuracy=state.best_val_accuracy, stopped=stopped, early_stopped=early_stopped,
            compute=self.plan.reason, skipped=tuple(self.data.skipped), val_photos=len(self.data.val_files),
            ending=ending, ending_facts=facts, model=self.export if model_path is not None else None,
        )
        self.listener.on_finish(result)
        return result


def compile_network(model: keras.Model, lr: float, weight_decay: float, jit_compile: bool,
                    label_smoothing: float = 0.0) -> None:
    """Compile as every training phase does: AdamW (its rate set per batch by engine.training.schedule), cross-entropy
    with optional label smoothing, accuracy; both take integer labels and mixup's soft targets."""
    model.compile(
        optimizer=FusedAdamW(learning_rate=lr, weight_decay=weight_decay),
        loss=SmoothedSparseCrossentropy(label_smoothing),
        metrics=[LabelAccuracy()],
        jit_compile=jit_compile,
    )
    _build_step_state(model)


def _build_step_state(model: keras.Model) -> None:
    """Create the optimizer's and the metrics' variables now. Created inside the traced training step, they
    make TensorFlow trace the whole step a second time before the first batch."""
    model.optimizer.build(model.trainable_variables)
    predictions = keras.ops.zeros((1, *model.outputs[0].shape[1:]))
    model.compute_metrics(None, keras.ops.zeros((1,), "int32"), predictions, None)
    model.reset_metrics()


def _augmented(dataset: tf.data.Dataset, config: AugmentConfig, deterministic: bool, classes: int) -> tf.data.Dataset:
    """`dataset` augmented (with mixup, its labels become soft targets over `classes`); `deterministic` draws
    each batch's random numbers in order, in one thread (in parallel calls the augmentation layers' seed
    generator is advanced in whatever order threads run)."""
    if not config.enabled:
        return dataset
    augmentation = build_augmentation(config)

    def augment(images, labels):
        images = augmentation(images, training=True)
        return mix_batch(images, labels, classes, config.mixup) if config.mixup else (images, labels)

    threads = 1 if deterministic else tf.data.AUTOTUNE
    return dataset.map(augment, num_parallel_calls=threads).prefetch(tf.data.AUTOTUNE)


def _even_batch(batch: int, photos: int, replicas: int) -> int:
    """The batch a distributed training runs: at most the photos, and a multiple of the replicas."""
    fitted = min(batch, max(photos, 1))
    return max(replicas, fitted - fitted % replicas)


def _distributable(dataset: tf.data.Dataset | None, strategy, photos: int, batch: int) -> tf.data.Dataset | None:
    """`dataset` for `strategy`: every batch splits evenly between the replicas. Two workers given one batch
    of 27 photos (batch 128) aborted with a collective shape mismatch (14 against 13), and a last batch of one
    photo (one replica empty) failed in batch norm. So each pass takes a multiple of the replicas (at most
    replicas - 1 photos wait for the next epoch's shuffle; as many validation photos go unscored) in batches
    that are multiples of them too."""
    if dataset is None or strategy is None:
        return dataset
    replicas = strategy.num_replicas_in_sync
    usable = photos - photos % replicas
    if usable == 0:
        return None
    even = _even_batch(batch, usable, replicas)
    if (even, usable) != (batch, photos):  # the count stated, as Keras needs it to start each epoch anew
        batches = -(-usable // even)
        dataset = dataset.unbatch().take(usable).batch(even).apply(tf.data.experimental.assert_cardinality(batches))
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.with_options(options)


def set_batch_norm_momentum(net: keras.Model, momentum: float) -> None:
    for layer in all_layers(net):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = momentum


def build_training_network(config: ModelConfig, plan: ComputePlan) -> keras.Model:
    """The network as the engine trains it: the plan's precision and memory mode, fused batch norm."""
    with precision_scope(plan):
        return build_densenet(dataclasses.replace(config, memory_efficient=plan.memory_efficient,
                                                  fused_batch_norm=True))


def _trainable_copy(run: _Run) -> keras.Model:
    """The network `fit` trains: a twin of the float32 export model built for training (see
    build_training_network), starting from `run.start_weights()`. Call in the strategy scope."""
    run.announce_build()
    net = build_training_network(run.export_config, run.plan)
    weights = run.start_weights()
    if weights is not None:
        net.set_weights(weights)
    return net


def _fit_network(run: _Run, strategy, phase: str, phase_end: int, lr: float, prepare=None) -> FitEvents:
    """Train the whole network (from scratch, or fine-tuning) on augmented photos with `fit`.

    `prepare(net)` runs before compiling (fine-tuning freezes layers there)."""
    config, data, plan = run.config, run.data, run.plan
    resuming = run.begin_phase(phase, phase_end, plan.reason, plan.said)
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        net = _trainable_copy(run)
        set_batch_norm_momentum(net, BATCH_NORM_MOMENTUM)
        if prepare is not None:
            prepare(net)
        compile_network(net, lr, config.weight_decay, plan.jit_compile, config.label_smoothing)
        if resuming:
            load_checkpoint(net, config.state_dir, run.state.checkpoint)
    augmented = _augmented(data.train, config.augment, config.deterministic, len(data.class_names))
    train = _distributable(augmented, strategy, len(data.train_files), config.batch_size)
    val = _distributable(data.val, strategy, len(data.val_files), config.batch_size)
    return run.fit(net, net.get_weights, train, val, lr,
                   data.class_weights if config.class_weights else None)


def _feature_bfloat16(run: _Run, route: str) -> bool:
    """Whether the features are computed in bfloat16: on TensorFlow when the plan trains in it, which it does
    where the device computes bfloat16 natively (faster than float32 there: bench/transfer_learning.py); the
    converted routes compute in float32."""
    return route == GRAPH and run.plan.precision == MIXED_BFLOAT16


def _feature_forward(run: _Run, route: str, weights_path: Path) -> transfer.Forward:
    """The backbone's batch function on `route` (transfer.feature_runtime)."""
    config = run.config
    if route == GRAPH:
        return transfer.graph_forward(transfer.backbone_of(run.export), run.plan.jit_compile,
                                      _feature_bfloat16(run, route))
    first_photos = lambda: next(run.data.train.as_numpy_iterator())[0]  # noqa: E731  int8's calibration
    return transfer.converted_forward(route, transfer.ensure_backbone(route, config.variant, config.input_size,
                                                                      config.channels, weights_path, config.cache_dir,
                                                                      calibration=first_photos))


def _features(run: _Run, make_forward: Callable[[], transfer.Forward], name: str, dataset: tf.data.Dataset,
              count: int, key: str):
    def progress(done: int) -> None:
        run.listener.on_progress(PhaseProgress(FEATURES, done, count))
        if run.stop.is_set():
            raise _Stopped

    path = features_path(run.config.state_dir, name, key)
    width = int(run.export.get_layer(POOL_LAYER).output.shape[-1])
    return transfer.extract_features(make_forward, width, dataset, count, path, progress)


def _head_finished(run: _Run) -> bool:
    state, patience = run.state, run.config.patience
    if state.phase == FINE_TUNE:
        return True
    return state.phase == HEAD and (state.epoch >= state.phase_end or bool(patience) and state.waited >= patience)


def _train_head(run: _Run, weights_path: Path) -> FitEvents:
    """Compute (or reuse) the frozen backbone's features, then train the classifier on them."""
    config, data = run.config, run.data
    route = transfer.feature_runtime(config.feature_runtime)
    number = "int8" if route == ONNX_INT8 else BFLOAT16 if _feature_bfloat16(run, route) else FLOAT32
    arithmetic = f"{route}, {number}"
    said = Said(LOOKING_ONCE, {"network": get_variant(config.variant).label})
    run.listener.on_phase(PhaseStarted(FEATURES, f"{config.variant} backbone ({arithmetic}), {weights_path.name}",
                                       (said,)))
    make_forward = functools.cache(lambda: _feature_forward(run, route, weights_path))  # once, if features missing
    key = transfer.features_key(config, data.fingerprint, weights_path, arithmetic)
    train_x, train_y = _features(run, make_forward, "train", data.train, len(data.train_files), key)
    val = None
    if data.val is not None:
        val_x, val_y = _features(run, make_forward, "val", data.val, len(data.val_files), key)
        val = transfer.feature_batches(val_x, val_y, config.batch_size, shuffle=False, seed=config.seed)
    features = int(train_x.shape[1])
    resuming = run.begin_phase(HEAD, config.epochs, f"classifier on {features} features per photo",
                               (Said(LEARNING_CLASSES, {"features": features}),))
    head = transfer.build_head(features, len(data.class_names), config.dropout,
                               *transfer.feature_statistics(train_x))
    compile_network(head, config.lr, config.weight_decay, jit_compile=False, label_smoothing=config.label_smoothing)
    if resuming:
        load_checkpoint(head, config.state_dir, run.state.checkpoint)

    def weights() -> list[np.ndarray]:
        transfer.copy_head(head, run.export)
        return run.export.get_weights()

    train = transfer.feature_batches(train_x, train_y, config.batch_size, shuffle=True, seed=config.seed)
    return run.fit(head, weights, train, val, config.lr, data.class_weights if config.class_weights else None)


def _weights_file(run: _Run) -> Path:
    """The backbone's weights file; a download says so and shows its bytes, and stops on request."""
    announced = []

    def progress(done: int, total: int) -> None:
        if not announced:
            run.listener.on_phase(PhaseStarted(DOWNLOADING, "ImageNet weights"))
            announced.append(True)
        run.listener.on_progress(PhaseProgress(DOWNLOADING, done, total, unit="bytes"))
        if run.stop.is_set():
            raise _Stopped

    return transfer.weights_file(run.config, progress)


def _train_transfer(run: _Run, strategy) -> FitEvents | None:
    """The head on cached features, then optionally fine-tuning from the best head."""
    config, state = run.config, run.state
    weights_path = _weights_file(run)
    run.announce_build()
    transfer.load_backbone_weights(run.export, weights_path)
    run.restore_best()
    events = None
    if not _head_finished(run):
        events = _train_head(run, weights_path)
        if events.stopped:
            return events
    if not config.fine_tune_epochs:
        return events
    if run.best_weights is not None and state.phase != FINE_TUNE:
        run.export.set_weights(run.best_weights)  # fine-tuning starts from the best head
        run.save()
    end = state.phase_end if state.phase == FINE_TUNE else state.epoch + config.fine_tune_epochs
    blocks = len(get_variant(config.variant).blocks)
    return _fit_network(run, strategy, FINE_TUNE, end, config.lr * config.fine_tune_lr_factor,
                        prepare=lambda net: transfer.freeze_for_fine_tune(net, blocks, config.fine_tune_blocks))


def _deadline(config: TrainConfig, state: TrainingState | None, started: float) -> float | None:
    """When training must end for the time budget: the budget from `started`, less what the interrupted
    training already spent (on resume) and the time kept for saving."""
    if config.time_budget is None:
        return None
    spent = sum(epoch.seconds for epoch in state.history) if state else 0.0
    return started + config.time_budget * 60 - spent - min(SAVE_RESERVE_S, config.time_budget * 6)


def train(data_root: Path | str, config: TrainConfig, listener: TrainingListener | None = None,
          stop: StopSignal | None = None, strategy: tf.distribute.Strategy | None = None) -> TrainResult:
    """Train on the class folders under `data_root` and write `config.out`.

    Args:
        data_root: a folder with one subfolder per class (or train/val/test splits of those).
        config: what and how to train; with `config.resume`, the interrupted training's settings are used.
        listener: receives phase, progress, batch and epoch events and the result (on this thread).
        stop: a stop request ends training within one batch; the best model so far is kept and `resume`
            can continue it.
        strategy: a tf.distribute strategy (e.g. make_strategy("mirrored")); None trains on one device. Under
            make_strategy("multi-worker") only the chief writes `config.out`; the result of another worker
            names it all the same.

    Raises:
        StudioError: a bad folder (DatasetError), bad settings (ConfigError), missing or unfit pre-trained
            weights (PretrainedError), nothing to resume (ResumeError), a model file that cannot be written
            (ModelFileError, or WriteError at once when its folder cannot be written), another training writing
            the same model file (ModelBusyError), workers of a cluster that differ (ConfigError) or one of them
            lost (WorkerLostError).
    """
    with files_of_worker(config, strategy) as own:  # a worker other than the chief writes a private copy
        require_writable(own.out)
        with model_lock(own.out):
            return reporting_lost_worker(strategy, lambda: _train(data_root, own, listener or SilentListener(),
                                                                  stop or StopToken(), strategy, config.out))


def _train(data_root: Path | str, config: TrainConfig, listener: TrainingListener, stop: StopSignal,
           strategy, named: Path) -> TrainResult:
    """train(), holding the model file's lock; the result names the model file `named` (the chief's)."""
    started = time.monotonic()
    config, state = _start_state(config)
    if config.deterministic:
        tf.config.experimental.enable_op_determinism()  # for this process: the CLI's, or the app's training process
    keras.utils.set_random_seed(config.seed + (state.epoch if state else 0))  # same seed, same initial network
    listener.on_phase(PhaseStarted(DECODING, str(data_root), (Said(READING_FOLDER, {"folder": str(data_root)}),)))

    def decoding(done: int, total: int) -> None:
        listener.on_progress(PhaseProgress(DECODING, done, total))
        if stop.is_set():
            raise _Stopped

    try:
        data = prepare_data(data_root, config.data_config(), decoding)
    except _Stopped:
        result = TrainResult(model_path=None, class_names=(), history=(), best_epoch=None, best_val_loss=None,
                             best_val_accuracy=None, stopped=True, early_stopped=False, compute="",
                             ending=NOT_STARTED)
        listener.on_finish(result)
        return result
    if state is not None and state.fingerprint != data.fingerprint:
        raise ResumeError(f"{data_root} changed since the interrupted training; train again without resume")
    plan = plan_compute(config.variant, config.input_size, config.batch_size, config.precision,
                        config.memory_efficient, config.jit_compile)
    agree(strategy, {"settings": {key: value for key, value in config.to_dict().items() if key not in LOCAL},
                     "photos": data.fingerprint, "plan": dataclasses.astuple(plan)[:3]})
    deadline = _deadline(config, state, started)
    run = _Run(config, data, plan, state, listener, stop, deadline, shared_clock(strategy, deadline), named)
    events = None
    try:
        if not stop.is_set():
            if config.transfer:
                events = _train_transfer(run, strategy)
            else:
                run.restore_best()
                events = _fit_network(run, strategy, TRAIN, config.epochs, config.lr)
        stopped = stop.is_set() or bool(events and events.stopped)
    except _Stopped:
        stopped = True
    except tf.errors.NotFoundError as error:  # the input pipeline reads the cache's files as it goes
        run.keep_best()
        raise CacheError("a decoded photo vanished from the image cache during training (was the cache folder "
                         "deleted?); the model file keeps the best epoch so far; train again to decode the photos "
                         "again", detail=" ".join(error.message.split())) from None
    result = run.finish(stopped, early_stopped=bool(events and events.early_stopped and not stopped))
    release_cache(config.data_config())
    return result
