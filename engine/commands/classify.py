"""`densenet-studio classify PATH...`: top-k classes of photos and folders, as text, JSON or CSV.

Exit status 0 when the run completed, even if some files could not be classified (each says why);
2 when nothing could run (no model, bad arguments).
"""

from __future__ import annotations

import json
import sys

from engine.commands.arguments import whole
from engine.data.data_config import MAX_BATCH
from engine.inference.classifier import RUNTIMES
from engine.model.compute import INFERENCE_PRECISIONS
from engine.model.config import AUTO, MAX_CLASSES, MAX_INPUT_SIZE
from engine.model.variants import IMAGENET_INPUT_SIZE
from engine.runtime.native_logs import load_tensorflow
from engine.storage.filenames import one_line, readable


def register(subparsers) -> None:
    parser = subparsers.add_parser("classify", help="classify photos and folders with a trained or ImageNet model")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="photo files and folders (searched recursively)")
    parser.add_argument("--model", help="a .keras file from training, or imagenet[:densenet121|169|201]")
    parser.add_argument("--weights", help="ImageNet weights .h5 file to use instead of the Keras cache")
    parser.add_argument("--input-size", type=whole(1, MAX_INPUT_SIZE),
                        help=f"photo size for a model that takes any size (ImageNet: default {IMAGENET_INPUT_SIZE})")
    parser.add_argument("--top-k", type=whole(1, MAX_CLASSES), default=3, help="classes shown per photo (default 3)")
    parser.add_argument("--batch-size", type=whole(1, MAX_BATCH), default=16)
    parser.add_argument("--runtime", choices=(AUTO, *RUNTIMES), default=AUTO,
                        help="auto: ONNX Runtime on a CPU, XLA on a GPU")
    parser.add_argument("--precision", choices=(AUTO, *INFERENCE_PRECISIONS), default=AUTO,
                        help="auto: bfloat16 where the CPU/GPU computes it natively (xla/graph runtimes)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="a JSON list of {path, top, error}")
    output.add_argument("--csv", action="store_true", help="CSV: path, label_1, probability_1, ..., error")
    parser.set_defaults(run=run)


def _text(result) -> str:
    if result.error is not None:
        return f"{one_line(str(result.path))}: error: {readable(result.error)}"
    answer = ", ".join(f"{label} {100 * probability:.1f}%" for label, probability in result.top)
    return f"{one_line(str(result.path))}: {readable(answer)}"


def run(args) -> int:
    load_tensorflow(args.verbose)
    from engine.inference.classifier import InferenceSettings, classify, load_classifier, write_csv

    settings = InferenceSettings(batch_size=args.batch_size, runtime=args.runtime, precision=args.precision)
    classifier = load_classifier(args.model, weights_path=args.weights, settings=settings, input_size=args.input_size)
    results = classify(args.paths, classifier, top_k=args.top_k)
    if args.json:
        json.dump([result.to_dict() for result in results], sys.stdout, indent=1)
        print()
    elif args.csv:
        write_csv(results, sys.stdout)
    else:
        for result in results:
            print(_text(result), flush=True)
    return 0
