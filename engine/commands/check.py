"""`densenet-studio check DATA_DIR`: classes, skipped files, exact duplicates and imbalance of a photo folder;
with `--label-issues`, also the photos that look wrongly labelled, look-alikes and outliers
(engine.training.label_check)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from engine.commands.arguments import number, whole
from engine.commands.cache_options import add_cache_options, cache_limit
from engine.data.dataset import check_dataset
from engine.runtime.native_logs import load_tensorflow
from engine.training.train_config import MAX_SEED, MAX_TIME_BUDGET

MAX_FOLDS = 20


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="check a folder of class subfolders before training on it")
    parser.add_argument("data_dir", help="folder with one subfolder per class, or train/ val/ test/ of those")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--label-issues", action="store_true",
                        help="also find likely wrong labels, look-alike photos and outliers (trains small models "
                             "unless ImageNet weights are at hand)")
    parser.add_argument("--time-budget", type=number(0, MAX_TIME_BUDGET), default=3.0, metavar="MINUTES",
                        help="with --label-issues: minutes for the small trainings (default 3)")
    parser.add_argument("--folds", type=whole(2, MAX_FOLDS), default=5,
                        help="with --label-issues: cross-validation folds (default 5)")
    parser.add_argument("--weights", metavar="FILE",
                        help="with --label-issues: a DenseNet-121 ImageNet weights file (no top) to use its features")
    parser.add_argument("--seed", type=whole(0, MAX_SEED), default=0)
    add_cache_options(parser)
    parser.set_defaults(run=run)


class _Counter:
    """`checked N/M photos` on one rewritten stderr line, a few times a second, only on a terminal."""

    def __init__(self) -> None:
        self.shown_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - self.shown_at > 0.25:
            self.shown_at = now
            end = "\r\033[K" if done == total else ""
            print(f"\rchecked {done}/{total} photos", end=end, file=sys.stderr, flush=True)


def _folds_done(done: int, total: int) -> None:
    print(f"label check: {done}/{total}", file=sys.stderr, flush=True)


def run(args) -> int:
    report = check_dataset(args.data_dir, progress=_Counter() if sys.stderr.isatty() else None)
    result = report.to_dict() if args.json else report.to_text()
    if args.label_issues:
        load_tensorflow(args.verbose)
        from engine.training.label_check import Backbone, Cache, check_labels

        cache = Cache(Path(args.cache_dir) if args.cache_dir else None, cache_limit(args))
        labels = check_labels(args.data_dir, args.time_budget, args.folds, Backbone(weights_path=args.weights),
                              args.seed, cache,
                              progress=_folds_done if sys.stderr.isatty() else None)
        result = result | labels.to_dict() if args.json else result + "\n" + labels.to_text()
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else result)
    return 0
