"""`densenet-studio export MODEL --format savedmodel|tflite|onnx --out PATH`, checked after writing; each step
is said on stderr as it begins, the check's result on stdout."""

from __future__ import annotations

import sys

from engine.inference.export import FORMATS
from engine.runtime.native_logs import load_tensorflow


def register(subparsers) -> None:
    parser = subparsers.add_parser("export", help="export a .keras model as SavedModel, TFLite or ONNX")
    parser.add_argument("model", metavar="MODEL", help="a .keras file from training")
    parser.add_argument("--format", required=True, choices=FORMATS)
    parser.add_argument("--out", required=True, help="output path (.tflite / .onnx file, or SavedModel folder)")
    parser.set_defaults(run=run)


def run(args) -> int:
    load_tensorflow(args.verbose)
    from engine.inference.export import export_model

    result = export_model(args.model, args.format, args.out,
                          lambda step: print(f"{step.number}/{step.total} {step.text}", file=sys.stderr, flush=True))
    print(result.summary())
    return 0 if result.passed else 1
