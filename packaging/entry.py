"""The installed app's entry point: the same launcher as the `densenet-studio` command (whose main() also
calls multiprocessing.freeze_support(), which the Train tab's `spawn` training process needs when frozen)."""

import sys

from gui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
