"""Asset register import speed: rows per second for a file of new devices, SQLite and PostgreSQL.

    .venv/bin/python -m benchmarks.bench_import [--rows 10000 100000] [--runs 3] [--no-pg]
    .venv/bin/python -m benchmarks.bench_import --rows 5000 --runs 1 --no-pg --profile

Each run makes a new database (PostgreSQL: a throwaway server from tests/pgserver.py),
writes a depot-layout CSV of N devices that are not registered yet, and times what
`python -m app import assets FILE` does: `validate` (read and check every row) and
`commit` (one transaction: tags, lifecycle, audit trail). The figure is rows/s over
both phases, the median of the runs; the commit phase alone is printed next to it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from app.db import open_database
from app.models import PartyType, Role
from app.services import asset_import, audit, auth, parties
from app.services.demo import MODELS, SERVICES


def make_csv(rows: int, seed: int = 11) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    out.write("serial,manufacturer,model,category,cpu,ram_gb,storage_gb,purchase_date,"
              "purchase_cost,warranty_end,origin_service,notes\n")
    for n in range(rows):
        cat, make, model, cpu, ram, storage, *_rest = rng.choice(MODELS)
        year = rng.randint(2015, 2023)
        out.write(f"IMP{n:08d},{make},{model},{cat.value},{cpu or ''},{ram or ''},{storage or ''},"
                  f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year},"
                  f"{rng.randint(150, 2400)}.{rng.randint(0, 99):02d},,"
                  f"{rng.choice(SERVICES)},\n")
    return out.getvalue().encode("utf-8")


def one_run(url: str, data: bytes, profile: bool = False) -> tuple[float, float, float]:
    """Seconds for validate + commit, for commit alone, and this process's CPU seconds for both
    (the machine may be shared: CPU time shows what the import itself costs)."""
    database = open_database(url)
    try:
        with database.session() as s:
            admin = auth.create_first_admin(s, "admin", "Bench Admin", "bench-pass-1")
            manager = auth.add_user(s, admin, "mia", "Bench Manager", Role.MANAGER, "bench-pass-1")
            for name in SERVICES:
                parties.create_party(s, manager, PartyType.SERVICE, name=name)
            profiler = cProfile.Profile() if profile else None
            if profiler:
                profiler.enable()
            t0, c0 = time.perf_counter(), time.process_time()
            plan = asset_import.validate(s, data, "bench.csv", "depot")
            t1 = time.perf_counter()
            result = asset_import.commit(s, manager, plan)
            t2, c2 = time.perf_counter(), time.process_time()
            if profiler:
                profiler.disable()
                pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(45)
            assert result.ok, result.message()
            assert audit.verify_chain(s).ok
        return t2 - t0, t2 - t1, c2 - c0
    finally:
        database.dispose()


def bench(kind: str, rows: int, runs: int, new_url, profile: bool = False) -> None:
    data = make_csv(rows)
    results = [one_run(new_url(), data, profile) for _ in range(runs)]
    total, commit, cpu = (statistics.median(r[i] for r in results) for i in range(3))
    print(f"{kind:10s} {rows:>7d} rows: {rows / total:7.0f} rows/s  (validate + commit "
          f"{total:6.1f} s; commit alone {commit:6.1f} s = {rows / commit:.0f} rows/s; "
          f"client CPU {cpu:6.1f} s = {rows / cpu:.0f} rows/s; median of {runs})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each run")
    args = parser.parse_args()
    auth.use_cheap_hashing_for_tests()
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    counter = iter(range(1_000_000))
    if not args.no_sqlite:
        for rows in args.rows:
            bench("SQLite", rows, args.runs,
                  lambda: f"sqlite:///{folder / f'import{next(counter)}.sqlite'}", args.profile)
    if args.no_pg:
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from pgserver import start_postgres

    server = start_postgres()
    try:
        for rows in args.rows:
            bench("PostgreSQL", rows, args.runs,
                  lambda: server.create_database(f"import{next(counter)}"), args.profile)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
