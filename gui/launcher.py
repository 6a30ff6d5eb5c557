"""The `densenet-studio` command: no arguments open the desktop app, a subcommand runs headless,
`--self-test` checks the installation end to end without a display."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

SELF_TEST = "--self-test"


def _self_test() -> int:
    """Headless end-to-end check of an installed app (engine.commands.selftest); never imports Qt.

    A windowed Windows build has no stdout, so there the report goes to a file in the temp folder.
    """
    from engine.commands.selftest import run_self_test

    if sys.stdout is not None:
        return run_self_test(sys.stdout)
    with open(Path(tempfile.gettempdir()) / "densenet-studio-selftest.log", "w", encoding="utf-8") as log:
        return run_self_test(log)


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # in a frozen app, the Train tab's training process starts here
    argv = sys.argv[1:] if argv is None else argv
    if argv == [SELF_TEST]:
        return _self_test()
    if argv:
        from engine.cli import main as cli_main

        return cli_main(argv)
    from gui.app import run_app

    return run_app()


if __name__ == "__main__":
    sys.exit(main())
