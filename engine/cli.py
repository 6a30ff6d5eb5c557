"""The headless command line: `densenet-studio SUBCOMMAND ...`, one module under engine/commands a subcommand.

A user error (bad argument, unknown variant, bad dataset) ends with one line on stderr and exit status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

from engine.commands import COMMANDS
from engine.commands.arguments import OneLineParser
from engine.commands.exit_status import BROKEN_PIPE, INTERRUPTED, USER_ERROR
from engine.errors import StudioError
from engine.storage.filenames import readable


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="densenet-studio",
        description="DenseNet Studio. Without a subcommand the desktop app opens.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    for command_parser in subparsers.choices.values():
        command_parser.add_argument("--verbose", action="store_true",
                                    help="also show the technical detail: TensorFlow's own log lines, an error's "
                                         "cause, and train's exact settings and phases")
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
    except KeyboardInterrupt:  # Ctrl-C outside a training (which stops gracefully itself): one line, as a shell
        print(f"densenet-studio {args.command}: stopped", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as git and cat do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's flush at exit must not fail
        return BROKEN_PIPE
