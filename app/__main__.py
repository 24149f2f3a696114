"""`python -m app`: the GUI without arguments, an admin command with one (see app.cli)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
