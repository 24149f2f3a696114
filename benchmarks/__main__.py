"""`python -m benchmarks`: the whole suite (see benchmarks/suite.py)."""

import sys

from .suite import main

if __name__ == "__main__":
    sys.exit(main())
