"""`densenet-studio train DATA_DIR --out MODEL.keras`: train with a progress bar; Ctrl-C stops and keeps the best."""

from __future__ import annotations

import signal
import sys

from engine.commands.arguments import number, whole
from engine.commands.cache_options import add_cache_options, cache_limit
from engine.commands.exit_status import INTERRUPTED, TERMINATED
from engine.data.augment import AugmentConfig
from engine.data.data_config import MAX_BATCH
from engine.data.dataset import scan_dataset
from engine.errors import sentences
from engine.inference.classifier import FEATURE_RUNTIMES
from engine.model.compute import PRECISIONS
from engine.model.config import AUTO, MAX_INPUT_SIZE
from engine.model.variants import get_variant
from engine.runtime.native_logs import load_tensorflow
from engine.runtime.stop import StopToken
from engine.storage.filenames import readable
from engine.training.auto_settings import long_training_warning, merged_config, needs_automatic, settings_for_scan
from engine.training.checkpoints import ResumeError, read_state
from engine.training.events import (
    LOADING,
    PHASE_NAMES,
    BatchEnded,
    EpochEnded,
    PhaseProgress,
    PhaseStarted,
    PlanChanged,
    TrainingListener,
    TrainResult,
    clock_text,
)
from engine.training.train_config import MAX_EPOCHS, MAX_LEARNING_RATE, MAX_SEED, MAX_TIME_BUDGET, TrainConfig

BAR_WIDTH = 24
SWITCHES = {"auto": AUTO, "on": True, "off": False}


def register(subparsers) -> None:
    parser = subparsers.add_parser("train", help="train a DenseNet on a folder of class subfolders")
    parser.add_argument("data_dir", help="folder with one subfolder per class, or train/ val/ test/ of those")
    parser.add_argument("--out", required=True, help="model file to write (.keras)")
    parser.add_argument("--variant", help="densenet121|169|201|264 or densenet-bc-L-kK (default: automatic)")
    parser.add_argument("--input-size", type=whole(1, MAX_INPUT_SIZE), help="height and width (default: automatic)")
    parser.add_argument("--epochs", type=whole(1, MAX_EPOCHS),
                        help="epochs (with --pretrained: of the classifier head; default: automatic)")
    parser.add_argument("--batch-size", type=whole(1, MAX_BATCH), help="default: automatic")
    parser.add_argument("--lr", type=number(0, MAX_LEARNING_RATE),
                        help="peak learning rate (AdamW, warm-up then cosine decay; default: automatic)")
    parser.add_argument("--time-budget", type=number(0, MAX_TIME_BUDGET), metavar="MINUTES",
                        help="train for at most this long: epochs and the learning-rate schedule are fitted to it")
    parser.add_argument("--val-split", type=number(0, 1, low_included=True, high_included=False),
                        help="share of each class kept for validation")
    parser.add_argument("--seed", type=whole(0, MAX_SEED))
    parser.add_argument("--patience", type=whole(0, MAX_EPOCHS),
                        help="epochs without a better validation loss before stopping")
    parser.add_argument("--pretrained", help="'imagenet' (keras.applications weights) or a .h5 weights file")
    parser.add_argument("--fine-tune-epochs", type=whole(0, MAX_EPOCHS),
                        help="with --pretrained: epochs training the top block")
    parser.add_argument("--no-augment", action="store_true", help="train without flips, rotation, zoom, contrast")
    parser.add_argument("--precision", choices=(AUTO, *PRECISIONS))
    parser.add_argument("--memory-efficient", choices=tuple(SWITCHES), help="recompute DenseNet in the backward pass")
    parser.add_argument("--jit", choices=tuple(SWITCHES), help="XLA compilation")
    parser.add_argument("--feature-runtime", choices=(AUTO, *FEATURE_RUNTIMES),
                        help="with --pretrained: what computes the backbone's features (auto: ONNX Runtime on a CPU)")
    parser.add_argument("--resume", action="store_true", help="continue the interrupted training of --out")
    parser.add_argument("--deterministic", action="store_true",
                        help="the same --seed and photos give byte-identical weights (slower; a time budget then "
                             "only plans the epochs)")
    parser.add_argument("--distribute", choices=("mirrored", "multi-worker"),
                        help="mirrored: train on every GPU of this machine; multi-worker: on the machines the "
                             "TF_CONFIG environment variable names, each running this same command")
    add_cache_options(parser)
    parser.set_defaults(run=run)


def _given(args) -> dict:
    """The TrainConfig options the user gave on the command line."""
    options = {"out": args.out, "variant": args.variant, "input_size": args.input_size, "epochs": args.epochs,
               "batch_size": args.batch_size, "lr": args.lr, "val_split": args.val_split, "seed": args.seed,
               "patience": args.patience, "pretrained": args.pretrained, "fine_tune_epochs": args.fine_tune_epochs,
               "precision": args.precision, "resume": args.resume, "cache_dir": args.cache_dir,
               "cache_limit": cache_limit(args),
               "memory_efficient": SWITCHES.get(args.memory_efficient), "jit_compile": SWITCHES.get(args.jit),
               "time_budget": args.time_budget, "feature_runtime": args.feature_runtime,
               "deterministic": args.deterministic or None}
    if args.no_augment:
        options["augment"] = AugmentConfig(enabled=False)
    return {key: value for key, value in options.items() if value is not None}


def _flag(key: str) -> str:
    return {"jit_compile": "--jit", "augment": "--no-augment"}.get(key, "--" + key.replace("_", "-"))


def _refuse_changed_settings(given: dict, config: TrainConfig) -> None:
    """--resume continues with the interrupted training's own settings: options that would differ from them
    are refused by name rather than silently ignored."""
    state = read_state(config.state_dir)
    if state is None:
        return  # train() says there is nothing to resume
    wanted = config.to_dict()
    changed = [f"{_flag(key)} {wanted[key]} (it used {state.settings.get(key)})" for key in given
               if key not in ("out", "resume", "cache_dir", "cache_limit") and wanted[key] != state.settings.get(key)]
    if changed:
        raise ResumeError(f"--resume continues the interrupted training with its own settings, and these differ: "
                          f"{'; '.join(changed)}. Leave them out to resume, or train again without --resume")


def config_from_args(args, say=print) -> TrainConfig:
    """The TrainConfig of the options given; Automatic (engine.training.auto_settings) chooses the ones left out, and
    `say` tells the user what it chose (and warns when hand-picked settings would train for long)."""
    given = _given(args)
    if args.resume or not needs_automatic(given):
        if "variant" in given and "input_size" not in given:
            given["input_size"] = get_variant(given["variant"]).default_input_size
        config = TrainConfig(**given)
        if args.resume:
            _refuse_changed_settings(given, config)
        return config
    auto, profile, device, _ = settings_for_scan(scan_dataset(args.data_dir, decode_check=False),
                                                 given.get("time_budget"), measure_speed=args.distribute is None)
    config = merged_config(auto, given)
    say(f"automatic: {config.automatic}")
    warning = long_training_warning(config, auto, profile, device)
    if warning:
        say(f"warning: {warning}")
    return config


def _bar(done: int, total: int) -> str:
    filled = BAR_WIDTH * done // max(total, 1)
    return "[" + "=" * filled + " " * (BAR_WIDTH - filled) + "]"


class ProgressPrinter(TrainingListener):
    """Phases and epochs as lines; on a terminal, a live bar per batch and per decoded photo. Paths in them
    are made readable (engine.storage.filenames), so a UTF-8 terminal can print every one. A phase is said in
    plain words; `verbose` prints the engine's exact technical line instead (precision, memory mode, XLA)."""

    def __init__(self, stream=None, verbose: bool = False):
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty()
        self.verbose = verbose

    def _live(self, text: str) -> None:
        if self.live:
            self.stream.write("\r" + readable(text)[:160] + "\033[K")
            self.stream.flush()

    def _line(self, text: str) -> None:
        self.stream.write(("\r\033[K" if self.live else "") + readable(text) + "\n")
        self.stream.flush()

    def on_phase(self, event: PhaseStarted) -> None:
        name = PHASE_NAMES[event.phase]
        detail = event.detail if self.verbose or not event.said else sentences(event.said)
        self._line(f"{name}: {detail}" if detail else name)

    def on_progress(self, event: PhaseProgress) -> None:
        self._live(f"{PHASE_NAMES[event.phase]} {_bar(event.done, event.total)} {event.amount}")

    def on_batch(self, event: BatchEnded) -> None:
        self._live(f"epoch {event.epoch}/{event.epochs} {_bar(event.batch, event.batches)} "
                   f"{event.batch}/{event.batches} loss {event.loss:.4f} acc {event.accuracy:.3f} "
                   f"{event.images_per_second:.1f} img/s ETA {clock_text(event.eta_seconds)}")

    def on_epoch(self, event: EpochEnded) -> None:
        validation = ("" if event.val_loss is None
                      else f" val_loss {event.val_loss:.4f} val_acc {event.val_accuracy:.3f}")
        self._line(f"epoch {event.epoch}/{event.epochs} ({event.phase}) loss {event.loss:.4f} "
                   f"acc {event.accuracy:.3f}{validation} lr {event.learning_rate:.2e} {event.seconds:.1f}s"
                   + (" *best" if event.improved else ""))

    def on_plan(self, event: PlanChanged) -> None:
        self._line(event.text())

    def on_finish(self, result: TrainResult) -> None:
        if result.model_path is None:
            self._line(result.ending_text())
            return
        accuracy = "" if result.best_val_accuracy is None else (
            f", validation accuracy {result.best_val_accuracy:.1%} on {result.val_photos} photos it did not train on")
        self._line(f"{result.ending_text()}; {result.model_path} holds epoch {result.best_epoch}{accuracy}"
                   + (f"; {len(result.skipped)} photo(s) skipped" if result.skipped else ""))
        if result.stopped:
            self._line("continue with --resume")


def run(args) -> int:
    printer = ProgressPrinter(verbose=args.verbose)
    printer.on_phase(LOADING)
    load_tensorflow(args.verbose)  # before Automatic looks at the device
    from engine.training.trainer import make_strategy, train

    strategy = make_strategy(args.distribute)  # multi-worker: before anything else runs TensorFlow
    config = config_from_args(args)

    stop, signals = StopToken(), []

    def on_signal(number, _frame) -> None:  # Ctrl-C or SIGTERM: stop after this batch, keep the best model
        signals.append(number)
        stop.request()

    previous = {number: signal.signal(number, on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        result = train(args.data_dir, config, printer, stop, strategy)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if signals:
        return INTERRUPTED if signals[0] == signal.SIGINT else TERMINATED  # as a shell reports them
    return 0 if result.model_path is not None else 1
