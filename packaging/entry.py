"""The installed app's entry point: the same launcher as the `densenet-studio` command."""

import sys

from gui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
