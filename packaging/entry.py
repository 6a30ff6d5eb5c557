"""The installed app's entry point: the same launcher as the `densenet-studio` command.

freeze_support() comes first: the Train tab trains in a `spawn` child process, which in a frozen app is
this executable started again with multiprocessing's arguments; PyInstaller's version of freeze_support
runs the child's work there instead of the launcher.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from gui.launcher import main

    sys.exit(main())
