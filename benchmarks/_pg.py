"""Benchmarks of several desks reuse the test suite's throwaway PostgreSQL and desk simulator."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

TESTS = Path(__file__).resolve().parent.parent / "tests"


def load(name: str) -> ModuleType:
    """A module of tests/ or tests/pg/ (pgserver, desks, test_load, test_faults)."""
    for folder in (TESTS, TESTS / "pg"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    return importlib.import_module(name)
