"""Load: N desk processes × D seconds against one throwaway PostgreSQL (the long run of
tests/pg/test_load.py). Prints actions, throughput, p50/p95 latency and the invariant check.

    .venv/bin/python -m benchmarks.bench_load --desks 8 --seconds 120
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from app.db import open_database
from app.services import auth

from ._pg import load


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--desks", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--pool", type=int, default=40)
    args = parser.parse_args()
    auth.use_cheap_hashing_for_tests()
    desks, run_desks = load("desks"), load("test_load").run_desks
    server = load("pgserver").start_postgres()
    try:
        url = server.create_database("load")
        database = open_database(url)
        desks.prepare(database, args.desks, pool=args.pool)
        seeded, since = desks.pool_size(database), desks.audit_seq(database)
        with tempfile.TemporaryDirectory() as folder:
            logs, _elapsed = run_desks(url, args.desks, args.seconds, Path(folder))
        stats = desks.summary(logs, args.seconds)
        problems = desks.check_invariants(database, logs, seeded=seeded, since_seq=since)
        database.dispose()
        print(json.dumps(stats, indent=1))
        print(f"{args.desks} desks × {args.seconds:.0f} s: {stats['actions']} actions, "
              f"{stats['throughput']:.1f} actions/s, p50 {stats['p50_ms']:.0f} ms, "
              f"p95 {stats['p95_ms']:.0f} ms, {stats['retries']} retries")
        print("invariants:", "all hold" if not problems else problems)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
