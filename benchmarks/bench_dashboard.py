"""Dashboard figures and the index-hungry inventory orders on a large SQLite database.

    .venv/bin/python -m benchmarks.bench_dashboard [--assets 100000] [--db PATH] [--runs 5] [--plans]

Uses the inventory benchmark's database (benchmarks/bench_inventory.py seeds it, or reuses
`--db`), adds one `receive` audit event per device and four other events each (the
shape of a real trail) if it has none, then times each figure of the Reports page and
the inventory orders by grade and age (median and p95 in ms). `--plans` prints the
query plans. The added events do not form a valid hash chain: measuring only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from app.db import open_database
from app.models import Grade, User
from app.services import auth, inventory, reports
from app.services.inventory import InventoryQuery, SortColumn
from app.services.permissions import SYSTEM

from .bench_inventory import open_or_seed, pct


def add_trail(path: Path, seed: int = 5) -> None:
    with sqlite3.connect(path) as conn:
        if conn.execute("SELECT count(*) FROM audit_events").fetchone()[0] > 1000:
            return
        rng = random.Random(seed)
        start = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=3 * 365 + 90)
        seq = conn.execute("SELECT coalesce(max(seq), 0) FROM audit_events").fetchone()[0]
        rows = []
        for asset_id, tag in conn.execute("SELECT id, tag FROM assets ORDER BY id").fetchall():
            when = start + dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
            for action, changes in (("receive", '{"status":[null,"received"]}'),
                                    ("edit", '{"notes":[null,"x"]}'), ("move", '{"location_id":[1,2]}'),
                                    ("start_checks", '{"status":["received","in_refurbishment"]}'),
                                    ("pass_checks", '{"status":["in_refurbishment","ready"]}')):
                seq += 1
                rows.append((seq, when.strftime("%Y-%m-%d %H:%M:%S.%f"), None, "bench", action,
                             "asset", asset_id, tag, changes, f"{seq - 1:064d}", f"{seq:064d}"))
                when += dt.timedelta(days=rng.randint(1, 20))
        conn.executemany(
            "INSERT INTO audit_events (seq, occurred_at, actor_id, actor_name, action, entity_type, "
            "entity_id, entity_ref, changes, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        conn.execute("UPDATE audit_head SET seq = ?", (seq,))


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / f"bench-inventory-{args.assets}.sqlite"
    open_or_seed(path, args.assets)
    database = open_database(f"sqlite:///{path}")
    add_trail(path)
    auth.use_cheap_hashing_for_tests()
    with database.session() as s:
        user = s.scalar(select(User).where(User.username == "bench-manager"))
        if user is None:
            user = auth.add_user(s, SYSTEM, "bench-manager", "Bench Manager", "manager", "bench-pass-1")
    year = reports.Period.of("last_12_months")
    cases = {
        "received per month (last 12 months)": lambda s: reports.received_per_month(s, user, year),
        "stock by status and category": lambda s: reports.stock_by_status_and_category(s, user),
        "stale stock (60 days)": lambda s: reports.stale_stock(s, user, 60),
        "exits (second life, destinations, days, CO2e)": lambda s: reports.exit_groups(s, user, year),
        "kg to recycling": lambda s: reports.recycling_weight(s, user, year),
        "all figures of the page": lambda s: reports.figures(s, user, year),
        "inventory: first page by age": lambda s: inventory.page(s, InventoryQuery(sort=SortColumn.AGE)),
        "inventory: first page by age, descending": lambda s: inventory.page(
            s, InventoryQuery(sort=SortColumn.AGE, descending=True)),
        "inventory: first page by grade, descending": lambda s: inventory.page(
            s, InventoryQuery(sort=SortColumn.GRADE, descending=True)),
        "inventory: grade D filter": lambda s: inventory.page(s, InventoryQuery(grades=frozenset({Grade.D}))),
        "inventory: age 24-47 months filter": lambda s: inventory.page(
            s, InventoryQuery(age_min_months=24, age_max_months=47)),
    }
    print(f"{args.assets} assets; median / p95 in ms over {args.runs} runs")
    with database.session() as s:
        inventory.statistics(s)  # built once, as the page does off the GUI thread
        for name, fn in cases.items():
            fn(s)  # warm the cache
            values = timed(lambda fn=fn: fn(s), args.runs)
            print(f"{name:50s} {statistics.median(values):8.1f} / {pct(values, 95):8.1f}", flush=True)
    if args.plans:
        from sqlalchemy import event

        seen: list[str] = []

        def remember(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        event.listen(database.engine, "before_cursor_execute", remember)
        with database.session() as s:
            reports.figures(s, user, year)
        event.remove(database.engine, "before_cursor_execute", remember)
        raw = sqlite3.connect(path)
        for statement in seen:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            try:
                plan = raw.execute("EXPLAIN QUERY PLAN " + statement,
                                   [None] * statement.count("?")).fetchall()
            except sqlite3.Error:
                continue
            print("\n" + " ".join(statement.split())[:160])
            for row in plan:
                print("   ", row[-1])
    database.dispose()


if __name__ == "__main__":
    main()
