"""Inventory speed: with 1 000 000 assets in SQLite, opening the list and every keystroke or filter.

    .venv/bin/python -m benchmarks.bench_inventory [--assets 1000000] [--db /tmp/inv.sqlite] [--runs 5]

For each scenario it prints the median and p95 of

- service: `inventory.page()` for the first page (what a worker thread does), and
- GUI: the table model on an offscreen QApplication, from `set_query()` until the new rows are in
  the model and painted in a QTableView — the worker's time, the hand-over to the GUI thread and
  the model reset together (what a person waits for after a key),

plus the count (off the GUI thread; the label shows "Counting…" meanwhile), the one-off build of
the per-value counts, deep scrolling, and the longest the GUI thread was ever busy at a stretch.

The database is seeded here rather than with benchmarks/seed.py: that one writes 1 000 000 rows in
about 50 s but without locations, grades, purchase dates or storage media, which the filters and
sorts need. This seeding writes all of them (and media with their wipe records) straight through
sqlite3, with the secondary indexes rebuilt afterwards, so the schema is exactly the migrated one.
Seeded rows bypass the audit trail: the database is for measuring only. `--db` keeps it for the
next run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sqlite3
import statistics
import string
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from app.db import open_database
from app.models import (
    Asset,
    AssetStatus,
    Category,
    Grade,
    Location,
    Party,
    PartyType,
    Role,
    SanitisationRecord,
    StorageMedium,
)
from app.services import auth, inventory, locations, parties, sequences
from app.services.codes import format_tag
from app.services.demo import MODELS, PATHS, SERVICES
from app.services.inventory import DataStatus, InventoryQuery, SortColumn
from app.services.permissions import SYSTEM

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GRADED = {"ready", "reserved", "transferred", "sold"}
WIPED = {"ready", "reserved", "transferred", "sold"}
ALNUM = string.ascii_uppercase + string.digits


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


# --- seeding ---------------------------------------------------------------------------------------

def _variants(model: str, rng: random.Random, k: int) -> list[str]:
    """Plausible sibling models ("Latitude 5420" → "Latitude 5430", "Latitude 5510"…)."""
    out, runs = [model], list(re.finditer(r"\d+", model))
    for _ in range(200):
        if len(out) >= k or not runs:
            break
        text = model
        for m in reversed(runs):
            digits = m.group()
            new = digits[0] + "".join(rng.choice(string.digits) for _ in digits[1:]) if len(digits) > 1 \
                else str(rng.randint(1, 9))
            text = text[:m.start()] + new + text[m.end():]
        if text not in out:
            out.append(text)
    return out


def _serial(rng: random.Random, style: str) -> str:
    if style == "dell":
        return "".join(rng.choices(ALNUM, k=7))
    if style == "hp":
        return "5CG" + "".join(rng.choices(string.digits, k=3)) + "".join(rng.choices(ALNUM, k=4))
    if style == "lenovo":
        return "PF" + "".join(rng.choices(ALNUM, k=6))
    if style == "apple":
        return "C02" + "".join(rng.choices(ALNUM, k=9))
    return "35" + "".join(rng.choices(string.digits, k=13))


def seed_inventory(path: Path, n: int, seed: int = 7) -> None:
    """A warehouse of `n` devices with every field the inventory shows, written fast."""
    database = open_database(f"sqlite:///{path}")
    auth.use_cheap_hashing_for_tests()
    with database.session() as s:
        verifier = auth.add_user(s, SYSTEM, "verifier", "Vera Verifier", Role.MANAGER, "bench-pass-1")
        for name in SERVICES:
            parties.create_party(s, SYSTEM, PartyType.SERVICE, name=name)
        for zone in "ABCDE":
            for rack in ("01", "02", "03", "04", "05", "06"):
                for shelf in "1234":
                    locations.create_location(s, SYSTEM, "Centraal magazijn", zone, rack, shelf)
        service_ids = list(s.scalars(select(Party.id)))
        location_ids = list(s.scalars(select(Location.id)))
    database.dispose()  # the rows go in through sqlite3 itself; no other connection may hold the schema
    tables = [Asset.__table__, StorageMedium.__table__, SanitisationRecord.__table__]
    indexes = [ix for t in tables for ix in t.indexes if not ix.unique]
    rng = random.Random(seed)
    families = [(spec, model) for spec in MODELS for model in _variants(spec[2], rng, 15)]
    weights = [1 / (1 + i % 15) for i in range(len(families))]  # the first of a family is common
    statuses = [p[0] if p[0] != "returned" else "awaiting_disposal" for p in PATHS]
    status_weights = [p[1] for p in PATHS]
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    today = dt.date.today()
    stamp = now.isoformat(" ")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    for ix in indexes:  # rebuilt from the models below: one sort instead of a million inserts
        conn.execute(f"DROP INDEX {ix.name}")
    seen: set[tuple[str, str]] = set()
    assets, media, records = [], [], []
    asset_sql = ("INSERT INTO assets (id, tag, category, manufacturer, model, serial, serial_normalised, cpu, "
                 "ram_gb, storage_gb, screen_inch, purchase_date, purchase_cost, warranty_end, "
                 "origin_service_id, location_id, status, status_changed_at, grade, weight_kg, "
                 "data_bearing, version, created_at, updated_at) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
    medium_sql = ("INSERT INTO storage_media (id, asset_id, kind, serial, capacity_gb, removed, created_at) "
                  "VALUES (?,?,?,?,?,?,?)")
    record_sql = ("INSERT INTO sanitisation_records (id, medium_id, asset_id, media_serial, media_kind, "
                  "method, technique, outcome, tool, verification_result, performed_at, operator_id, "
                  "verifier_id, verified_at, source, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")

    def flush() -> None:
        conn.executemany(asset_sql, assets)
        conn.executemany(medium_sql, media)
        conn.executemany(record_sql, records)
        assets.clear()
        media.clear()
        records.clear()

    chosen = rng.choices(range(len(families)), weights, k=n)
    chosen_status = rng.choices(statuses, status_weights, k=n)
    for i in range(1, n + 1):
        (category, make, _base, cpu, ram, storage, screen, cost, weight, kind, style), model = \
            families[chosen[i - 1]]
        serial = _serial(rng, style)
        while (make, serial) in seen:
            serial = _serial(rng, style)
        seen.add((make, serial))
        status = chosen_status[i - 1]
        changed = (now - dt.timedelta(seconds=rng.randrange(400 * 86400))).isoformat(" ")
        bought = today - dt.timedelta(days=rng.randint(365, 9 * 365))
        assets.append((
            i, format_tag(i), category.value, make, model, serial, serial, cpu or None, ram, storage,
            screen or None, bought.isoformat(), cost, (bought + dt.timedelta(days=1095)).isoformat(),
            rng.choice(service_ids), None if status == "announced" else rng.choice(location_ids),
            status, changed, rng.choice("ABBCD") if status in GRADED else None, weight,
            kind is not None, 1, stamp, stamp))
        if kind is not None:
            media.append((i, i, kind.value, "".join(rng.choices(ALNUM, k=10)), storage, False, stamp))
            if status in WIPED or status == "disposed":
                destroyed = status == "disposed"
                records.append((i, i, i, None, kind.value, "destroy" if destroyed else "purge",
                                "shred" if destroyed else "crypto_erase",
                                "destroyed" if destroyed else "wiped", "nwipe", "passed", changed,
                                None, None if destroyed else verifier.id, None if destroyed else changed,
                                "manual", 1))
        if len(assets) == 50_000:
            flush()
    flush()
    conn.execute("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE "
                 "SET value = excluded.value", (sequences.ASSET_TAG, n))
    conn.commit()
    conn.close()
    database = open_database(f"sqlite:///{path}")
    for ix in indexes:
        ix.create(database.engine)
    database.dispose()


def open_or_seed(path: Path, n: int) -> None:
    if path.exists():
        with sqlite3.connect(path) as conn:
            have = conn.execute("SELECT count(*) FROM assets").fetchone()[0]
        if have == n:
            print(f"using {path} ({n} assets)")
            return
        path.unlink()
        for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            extra.unlink(missing_ok=True)
    t = time.perf_counter()
    seed_inventory(path, n)
    print(f"seeded {n} assets in {time.perf_counter() - t:.0f} s into {path}")


# --- the scenarios ----------------------------------------------------------------------------------

def scenarios(database) -> dict[str, list[InventoryQuery]]:
    with database.session() as s:
        last = s.scalar(select(Asset.id).order_by(Asset.id.desc()).limit(1))
        middle = s.scalar(select(Asset.serial_normalised).where(Asset.id == last * 7 // 9))
        tag = s.scalar(select(Asset.tag).where(Asset.id == last // 8))
    word = "latitude"
    S = AssetStatus
    statuses = [S.READY, S.RECEIVED, S.IN_REFURBISHMENT, S.SOLD, S.DISPOSED]
    return {
        "search keystrokes (l, la, lat … latitude)": [InventoryQuery(search=word[:k]) for k in range(1, 9)],
        f"tag prefix ({tag})": [InventoryQuery(search=tag[:k]) for k in range(1, len(tag) + 1)],
        f"serial prefix ({middle})": [InventoryQuery(search=middle[:k]) for k in range(1, len(middle) + 1)],
        "model substring (t14, think, fairphone 4, p24…)": [
            InventoryQuery(search=t) for t in ("t14", "think", "thinkpad x1", "fairphone 4", "p24",
                                               "elitebook", "aruba", "m404")],
        "status filter (each status, two at once)": [
            InventoryQuery(statuses=frozenset({x})) for x in statuses]
        + [InventoryQuery(statuses=frozenset({S.READY, S.RESERVED}))],
        "other filters (category, grade, location, stale, data, age)": [
            InventoryQuery(categories=frozenset({Category.SERVER})),
            InventoryQuery(grades=frozenset({Grade.D})),
            InventoryQuery(location_ids=frozenset({7})), InventoryQuery(stale_only=True),
            InventoryQuery(data_status=DataStatus.UNSANITISED),
            InventoryQuery(age_min_months=24, age_max_months=47),
            InventoryQuery(search="lat", statuses=frozenset({S.READY}))],
        "sort change (every column but age, both ways)": [
            InventoryQuery(sort=c, descending=d) for c in SortColumn if c != SortColumn.AGE
            for d in (False, True)],
        "sort by age (no index: reads and sorts all rows)": [
            InventoryQuery(sort=SortColumn.AGE), InventoryQuery(sort=SortColumn.AGE, descending=True)],
    }


def bench_service(database, queries: list[InventoryQuery], runs: int) -> tuple[list[float], list[float]]:
    pages, counts = [], []
    with database.session() as s:
        for _ in range(runs):
            for q in queries:
                t = time.perf_counter()
                inventory.page(s, q)
                pages.append((time.perf_counter() - t) * 1000)
        for q in queries:
            t = time.perf_counter()
            inventory.count(s, q)
            counts.append((time.perf_counter() - t) * 1000)
    return pages, counts


def wait_until(app, done, timeout_s: float = 120) -> None:
    """Run the event loop until `done()`; the GUI thread sleeps in Qt meanwhile (no busy loop
    holding Python's GIL, which would slow the worker threads down as no real window does)."""
    from PySide6.QtCore import QEventLoop, QTimer

    end = time.perf_counter() + timeout_s
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(1)
    poll.timeout.connect(lambda: loop.quit() if done() or time.perf_counter() > end else None)
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the inventory model did not answer")
        poll.start()
        loop.exec()
        poll.stop()


class Gui:
    """An offscreen table on the model, and a clock that notices when the GUI thread is busy."""

    def __init__(self, database) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer
        from PySide6.QtWidgets import QApplication, QTableView

        from app.ui.inventory_model import InventoryModel

        self.app = QApplication.instance() or QApplication([])
        self.model = InventoryModel(database)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.resize(1000, 600)
        self.view.show()
        self.gaps: list[float] = []
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = 0
        self._ticker = QTimer()
        self._ticker.setInterval(5)
        self._ticker.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = self._clock.elapsed()
        if self._last:
            self.gaps.append(now - self._last)
        self._last = now

    def wait(self, done) -> None:
        self._last = 0  # only the time the event loop runs counts as the GUI's own
        self._ticker.start()
        try:
            wait_until(self.app, done)
        finally:
            self._ticker.stop()

    def show(self, query: InventoryQuery) -> float:
        start = time.perf_counter()
        self.model.set_query(query)
        self.wait(lambda: self.model.query == query and not self.model.is_loading())
        self.view.viewport().repaint()  # the rows on screen
        return (time.perf_counter() - start) * 1000

    def settle_count(self) -> None:
        self.wait(lambda: self.model.count is not None)

    def close(self) -> None:
        self._ticker.stop()
        self.model.shutdown()


def bench_gui(gui: Gui, queries: list[InventoryQuery], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        for q in queries:
            times.append(gui.show(q))
        gui.settle_count()  # a new scenario starts with nothing running behind
    return times


def bench_open(database, runs: int) -> tuple[list[float], float]:
    """A new model (as when the page is built) until its first rows are painted; the counts' build."""
    from PySide6.QtWidgets import QApplication, QTableView

    from app.ui.inventory_model import InventoryModel

    app = QApplication.instance() or QApplication([])
    times = []
    with database.session() as s:
        inventory.forget_statistics(s)  # the very first open is measured too
    for _ in range(runs):
        start = time.perf_counter()
        model = InventoryModel(database)
        view = QTableView()
        view.setModel(model)
        model.set_query(InventoryQuery())
        wait_until(app, lambda model=model: not model.is_loading())
        view.show()
        view.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
        model.shutdown()
        view.deleteLater()
    with database.session() as s:
        inventory.forget_statistics(s)
        t = time.perf_counter()
        inventory.statistics(s)
        build = (time.perf_counter() - t) * 1000
    return times, build


def bench_scroll(database, pages: int) -> list[float]:
    times = []
    with database.session() as s:
        for q in (InventoryQuery(), InventoryQuery(sort=SortColumn.LOCATION),
                  InventoryQuery(statuses=frozenset({AssetStatus.READY}), sort=SortColumn.MODEL)):
            cursor = None
            for _ in range(pages):
                t = time.perf_counter()
                page = inventory.page(s, q, cursor)
                times.append((time.perf_counter() - t) * 1000)
                cursor = page.next
    return times


def bench_typing(database, pause_ms: int, word: str = "latitude") -> list[float]:
    """The page itself: a key typed into the search field until its rows are painted."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.config import Settings
    from app.models import User
    from app.ui import inventory_page
    from app.ui.inventory_page import InventoryPage

    app = QApplication.instance() or QApplication([])
    inventory_page.TYPING_PAUSE_MS = pause_ms
    reader = User(id=None, username="bench", display_name="Bench", role=Role.AUDITOR, active=True)
    page = InventoryPage(database, reader, Settings(extra={"sound_muted": True}))
    page.resize(1060, 700)
    page.show()
    wait_until(app, lambda: not page.model.is_loading())
    times = []
    for _ in range(3):
        page.search.clear()
        for k, char in enumerate(word, start=1):
            start = time.perf_counter()
            QTest.keyClick(page.search, char)
            wait_until(app, lambda k=k: page.model.query.search == word[:k]
                       and not page.model.is_loading())
            page.table.viewport().repaint()
            times.append((time.perf_counter() - start) * 1000)
        wait_until(app, lambda: page.model.count is not None)
    page.model.shutdown()
    page.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="seeded database to (re)use")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / f"bench-inventory-{args.assets}.sqlite"
    open_or_seed(path, args.assets)
    database = open_database(f"sqlite:///{path}")
    size = path.stat().st_size / 1e6
    print(f"SQLite {sqlite3.sqlite_version}, {args.assets} assets, {size:.0f} MB; "
          f"median / p95 in ms over {args.runs} runs of each keystroke or change\n")

    opens, build = bench_open(database, max(args.runs, 5))
    gui = Gui(database)
    with database.session() as s:
        inventory.statistics(s)
    rows = [("open the list (new model → first rows painted)", None, None, opens, None)]
    for name, queries in scenarios(database).items():
        service, counts = bench_service(database, queries, args.runs)
        shown = bench_gui(gui, queries, args.runs)
        rows.append((name, service, None, shown, counts))
    gui.close()
    scroll = bench_scroll(database, 50)

    head = f"{'scenario':60s} {'service':>15s} {'GUI (rows shown)':>18s} {'count (worker)':>16s}"
    print(head)
    print("-" * len(head))

    def cell(values):
        return f"{statistics.median(values):7.1f} / {pct(values, 95):6.1f}" if values else " " * 16

    for name, service, _none, shown, counts in rows:
        print(f"{name:60s} {cell(service):>15s} {cell(shown):>18s} {cell(counts):>16s}")
    print(f"{'deep scrolling: 50 pages × 3 orders (fetchMore)':60s} {cell(scroll):>15s}")
    print(f"\ncounts per value (built once off the GUI thread, then kept from the audit trail): "
          f"{build:.0f} ms")
    typing_plain = bench_typing(database, 0)
    typing_pause = bench_typing(database, 40)
    print(f"typing in the page's search field, key → rows painted: no pause {cell(typing_plain)}, "
          f"40 ms pause {cell(typing_pause)}")
    gaps = gui.gaps
    print(f"GUI thread: longest stretch without handling a 5 ms timer {max(gaps):.0f} ms, "
          f"p99 {pct(gaps, 99):.0f} ms ({len(gaps)} ticks)")
    database.dispose()


if __name__ == "__main__":
    main()
