"""Restore drill: back up a database of 100 000 assets with history, restore it into an empty
database and compare every table, row by row — on SQLite (online backup API) and PostgreSQL
(pg_dump), and through the portable format.

    .venv/bin/python -m benchmarks.bench_restore --assets 100000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from app.db import Database, open_database
from app.models import Asset
from app.services import audit, auth, backup, portable
from app.services.permissions import SYSTEM

from ._pg import load
from .seed import seed_assets

BATCH = 10_000


def add_history(database: Database, steps=("receive", "start_checks", "pass_checks")) -> int:
    """Audit events for every seeded asset, hash-chained like real ones (the seed writes rows only)."""
    ctx = audit.AuditContext(None, SYSTEM.display_name, "seed")
    n = 0
    with database.session() as s:
        ids = list(s.execute(select(Asset.id, Asset.tag)).all())
        for start in range(0, len(ids), BATCH):
            events = []
            for asset_id, tag in ids[start:start + BATCH]:
                status = None
                for step, new in zip(steps, ("received", "in_refurbishment", "ready"), strict=True):
                    events.append((step, "asset", asset_id, tag, {"status": [status, new]}))
                    status = new
            audit.append_events(s, ctx, events)
            s.commit()
            n += len(events)
    return n


def drill(kind: str, source_url: str, make_target, folder: Path, as_portable: bool) -> str:
    source = open_database(source_url, upgrade=False)
    target = open_database(make_target())
    try:
        t = time.perf_counter()
        made = backup.backup(source.engine, folder / f"{kind}-{as_portable}.backup",
                             portable=as_portable)
        backup_s = time.perf_counter() - t
        size = made.path.stat().st_size / 1e6
        t = time.perf_counter()
        result = backup.restore(target.engine, made.path)
        restore_s = time.perf_counter() - t
        t = time.perf_counter()
        differences = portable.compare_databases(source.engine, target.engine)
        compare_s = time.perf_counter() - t
        rows = sum(result.counts.values())
        return (f"{kind:10} {made.kind:9} backup {backup_s:6.1f} s ({size:.0f} MB)  restore+check "
                f"{restore_s:6.1f} s (restore {result.seconds:.1f} s, check {restore_s - result.seconds:.1f} s; {rows} rows, audit {'ok' if result.audit_ok else 'BROKEN'}, "
                f"counts {'ok' if not result.mismatches else result.mismatches})  compare every "
                f"table {compare_s:.1f} s: {'identical' if not differences else differences}")
    finally:
        source.dispose()
        target.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=100_000)
    args = parser.parse_args()
    auth.use_cheap_hashing_for_tests()
    server = load("pgserver").start_postgres()
    names = iter(range(1000))
    try:
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            sources = {"sqlite": f"sqlite:///{folder / 'source.sqlite'}",
                       "postgresql": server.create_database("source")}
            for kind, url in sources.items():
                database = open_database(url)
                t = time.perf_counter()
                seed_assets(database, args.assets)
                events = add_history(database)
                with database.session() as s:
                    assert audit.verify_chain(s).ok
                database.dispose()
                print(f"{kind}: seeded {args.assets} assets with {events} history events in "
                      f"{time.perf_counter() - t:.0f} s")

            def new_sqlite():
                return f"sqlite:///{folder / f'target{next(names)}.sqlite'}"

            def new_pg():
                return server.create_database(f"target{next(names)}")

            for kind, url in sources.items():
                for as_portable in (False, True):
                    print(drill(kind, url, new_sqlite if kind == "sqlite" else new_pg, folder,
                                as_portable), flush=True)
            print(drill("sqlite→pg", sources["sqlite"], new_pg, folder, True), flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
