"""The `densenet-studio` command: no arguments open the desktop app, a subcommand runs headless."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        from engine.cli import main as cli_main

        return cli_main(argv)
    from gui.app import run_app

    return run_app()


if __name__ == "__main__":
    sys.exit(main())
