"""`densenet-studio summary VARIANT`: the architecture report as a table or JSON."""

from __future__ import annotations

import json

from engine.commands.arguments import whole
from engine.model.config import MAX_CLASSES, MAX_INPUT_SIZE, ModelConfig
from engine.model.variants import CIFAR_INPUT_SIZE, IMAGENET_INPUT_SIZE, get_variant
from engine.runtime.native_logs import load_tensorflow


def register(subparsers) -> None:
    parser = subparsers.add_parser("summary", help="list the stages of a DenseNet with shapes, params and MACs")
    parser.add_argument("variant", help="densenet121|169|201|264 or densenet-bc-L-kK")
    parser.add_argument("--input-size", type=whole(1, MAX_INPUT_SIZE), default=None,
                        help=f"height and width (default {IMAGENET_INPUT_SIZE}; {CIFAR_INPUT_SIZE} for BC)")
    parser.add_argument("--classes", type=whole(1, MAX_CLASSES),
                        help="default: 1000 for ImageNet DenseNets, 10 for DenseNet-BC")
    parser.add_argument("--channels", type=int, default=3, choices=(1, 3))
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def run(args) -> int:
    variant = get_variant(args.variant)
    config = ModelConfig(args.variant, channels=args.channels,
                         input_size=variant.default_input_size if args.input_size is None else args.input_size,
                         classes=variant.default_classes if args.classes is None else args.classes)
    load_tensorflow(args.verbose)  # only once the arguments are valid
    from engine.model.architecture import describe

    report = describe(config)
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.to_text())
    return 0
