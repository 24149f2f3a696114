"""Faults, the long run of tests/pg/test_faults.py: ≥ 50 kill -9 trials on PostgreSQL and on
SQLite, and ≥ 50 pg_terminate_backend trials, each followed by the invariant check.

    .venv/bin/python -m benchmarks.bench_faults --trials 50
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from app.services import auth

from ._pg import load


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=50)
    args = parser.parse_args()
    auth.use_cheap_hashing_for_tests()
    faults = load("test_faults")
    run_kill_trials, run_terminate_trials = faults.run_kill_trials, faults.run_terminate_trials
    server = load("pgserver").start_postgres()
    try:
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            for kind in ("postgresql", "sqlite"):
                url = server.create_database("faults") if kind == "postgresql" else \
                    f"sqlite:///{folder / 'faults.sqlite'}"
                (folder / kind).mkdir()
                t = time.perf_counter()
                problems = run_kill_trials(url, folder / kind, args.trials)
                print(f"kill -9 on {kind}: {args.trials} trials (half at a random flush inside the "
                      f"transaction, half at a random moment) in {time.perf_counter() - t:.0f} s: "
                      + ("invariants hold after every one" + (", integrity_check ok"
                                                              if kind == "sqlite" else "")
                         if not problems else f"{len(problems)} problems: {problems[:5]}"))
            url = server.create_database("terminate")
            t = time.perf_counter()
            problems, outcomes = run_terminate_trials(url, args.trials)
            print(f"pg_terminate_backend: {outcomes['cut']} transactions cut in {time.perf_counter() - t:.0f} s, "
                  f"{outcomes}: " + ("invariants hold, reconnected every time" if not problems
                                     else f"problems: {problems[:5]}"))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
