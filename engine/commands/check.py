"""`densenet-studio check DATA_DIR`: classes, skipped files, exact duplicates and imbalance of a photo folder."""

from __future__ import annotations

import json
import sys
import time

from engine.data.dataset import check_dataset


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="check a folder of class subfolders before training on it")
    parser.add_argument("data_dir", help="folder with one subfolder per class, or train/ val/ test/ of those")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
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


def run(args) -> int:
    report = check_dataset(args.data_dir, progress=_Counter() if sys.stderr.isatty() else None)
    print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else report.to_text())
    return 0
