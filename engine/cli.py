"""The headless command line: `densenet-studio SUBCOMMAND ...`, one module under engine/commands a subcommand.

A user error (bad argument, unknown variant, bad dataset) ends with one line on stderr and exit status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from engine.commands import COMMANDS
from engine.errors import StudioError
from engine.filenames import readable

USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="densenet-studio",
        description="DenseNet Studio. Without a subcommand the desktop app opens.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    for command_parser in subparsers.choices.values():
        command_parser.add_argument("--verbose", action="store_true",
                                    help="also show TensorFlow's own log lines (hidden by default)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except StudioError as error:
        print(readable(f"densenet-studio {args.command}: error: {error}"), file=sys.stderr)
        if error.detail and args.verbose:
            print(readable(f"  detail: {error.detail}"), file=sys.stderr)
        return USER_ERROR
