"""`densenet-studio evaluate MODEL DATA_DIR`: accuracy, per-class scores, confusion matrix, every scored photo."""

from __future__ import annotations

import json

from engine.commands.arguments import whole
from engine.commands.cache_options import add_cache_options, cache_limit
from engine.data.data_config import MAX_BATCH
from engine.model.config import MAX_INPUT_SIZE
from engine.model.modelfile import load_model
from engine.runtime.native_logs import load_tensorflow
from engine.storage.filenames import readable, readable_data


def register(subparsers) -> None:
    parser = subparsers.add_parser("evaluate", help="score a trained model on a folder of labelled photos")
    parser.add_argument("model", help="a .keras model file written by `train`")
    parser.add_argument("data_dir", help="folder with one subfolder per class (in train/val/test: test is used)")
    parser.add_argument("--batch-size", type=whole(1, MAX_BATCH), default=32)
    parser.add_argument("--input-size", type=whole(1, MAX_INPUT_SIZE),
                        help="photo size for a model that takes any size")
    add_cache_options(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def run(args) -> int:
    limit = cache_limit(args)
    load_tensorflow(args.verbose)
    from engine.inference.evaluation import evaluate_model

    report = evaluate_model(load_model(args.model, args.input_size), args.data_dir, args.batch_size, args.cache_dir,
                            limit)
    print(json.dumps(readable_data(report.to_dict()), indent=2, ensure_ascii=False) if args.json
          else readable(report.to_text()))
    return 0
