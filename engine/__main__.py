"""`python -m engine SUBCOMMAND`: the headless CLI without the GUI launcher."""

import sys

from engine.cli import main

sys.exit(main())
