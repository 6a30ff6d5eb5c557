"""`densenet-studio check DATA_DIR`: classes, skipped files, exact duplicates and imbalance of a photo folder."""

from __future__ import annotations

import json

from engine.dataset import check_dataset


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="check a folder of class subfolders before training on it")
    parser.add_argument("data_dir", help="folder with one subfolder per class, or train/ val/ test/ of those")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def run(args) -> int:
    report = check_dataset(args.data_dir)
    print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else report.to_text())
    return 0
