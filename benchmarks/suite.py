"""The benchmark suite: every speed figure of the app beside its floor, measured in the same run.

    .venv/bin/python -m benchmarks [--assets 100000] [--runs 5] [--no-pg] [--only 1 2 …]

A fresh database of `--assets` devices is made for each database kind (SQLite in a
temporary folder; PostgreSQL on a throwaway server from tests/pgserver.py when one can
be started), the figures are measured on it, one table is printed and the same figures
are written as JSON to benchmarks/results/<date>.json. Each figure is timed beside a
*floor* — the cheapest way the machine does the same essential work without the app —
and the ratio app/floor is reported (1.0: as fast as the floor; higher: slower).

The figures themselves are in suite_figures.py (1–7) and suite_coldstart.py (8).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DEPOT_LANG", "en")

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Figure:
    """One measured figure: the app's timings and the floor's, in the same unit."""

    figure: str  # "1", "2a" …
    name: str
    db: str  # "sqlite", "postgresql" or "-" (no database involved)
    unit: str = "ms"  # unit of median/p95 ("ms" or "s")
    median: float | None = None
    p95: float | None = None
    runs: int = 0
    floor: str = ""  # what the floor does
    floor_median: float | None = None
    floor_p95: float | None = None
    floor_runs: int = 0
    ratio: float | None = None  # median / floor_median
    per_run: int | None = None  # items per run (labels, rows, events): gives the rate
    rate: float | None = None  # items per second at the median
    target: str = ""
    passed: bool | None = None  # None: no target, or not measured
    status: str = "ok"  # "ok", "not built yet", "failed: …"
    note: str = ""
    extra: dict = field(default_factory=dict)

    def measured(self, app: list[float], floor: list[float] | None = None) -> Figure:
        self.median, self.p95, self.runs = statistics.median(app), pct(app, 95), len(app)
        if floor:
            self.floor_median, self.floor_p95 = statistics.median(floor), pct(floor, 95)
            self.floor_runs = len(floor)
            self.ratio = self.median / self.floor_median if self.floor_median else None
        if self.per_run and self.median:
            seconds = self.median / 1000 if self.unit == "ms" else self.median
            self.rate = self.per_run / seconds
        return self


def seconds_to(unit: str, seconds: float) -> float:
    return seconds * 1000 if unit == "ms" else seconds


# --- the table -------------------------------------------------------------------------------------

def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def table(figures: list[Figure]) -> str:
    head = (f"{'fig':4s} {'what':52s} {'db':10s} {'median':>9s} {'p95':>9s} {'unit':4s} {'runs':>5s} "
            f"{'floor':>9s} {'ratio':>7s} {'rate/s':>9s}  {'target':30s} result")
    lines = [head, "-" * len(head)]
    for f in figures:
        if f.status != "ok":
            lines.append(f"{f.figure:4s} {f.name[:52]:52s} {f.db:10s} {f.status.upper()}")
            continue
        result = "-" if f.passed is None else ("pass" if f.passed else "MISS")
        lines.append(
            f"{f.figure:4s} {f.name[:52]:52s} {f.db:10s} {_num(f.median, 2):>9s} {_num(f.p95, 2):>9s} "
            f"{f.unit:4s} {f.runs:>5d} {_num(f.floor_median, 2):>9s} {_num(f.ratio, 2):>7s} "
            f"{_num(f.rate, 0):>9s}  {f.target[:30]:30s} {result}")
    notes = [f"  {f.figure} ({f.db}): {f.note}" for f in figures if f.note]
    floors = sorted({(f.figure, f.floor) for f in figures if f.floor})
    return "\n".join(lines + ["", "floors:"] + [f"  {k}: {v}" for k, v in floors]
                     + (["", "notes:"] + notes if notes else []))


# --- running ----------------------------------------------------------------------------------------

@dataclass
class Options:
    assets: int
    runs: int
    heavy_runs: int
    scans: int
    rows: int
    events: int
    labels: int
    devices: int
    cold_runs: int
    only: set[str] | None

    def wants(self, number: int | str) -> bool:
        return self.only is None or str(number) in self.only


def guarded(figures: list[Figure], make, *args) -> None:
    """Run one figure maker; a crash becomes a FAILED row instead of ending the suite."""
    try:
        out = make(*args)
        figures.extend(out if isinstance(out, list) else [out])
    except Exception as err:  # noqa: BLE001 - reported in the table, with the traceback on stderr
        traceback.print_exc()
        name = getattr(make, "__doc__", "") or make.__name__
        figures.append(Figure(getattr(make, "figure", "?"), name.strip().splitlines()[0], "?",
                              status=f"failed: {type(err).__name__}: {str(err)[:80]}"))


def run_backend(kind: str, url: str, opts: Options, figures: list[Figure], log) -> None:
    from . import suite_coldstart as cold
    from . import suite_figures as fig

    t = time.perf_counter()
    bench = fig.prepare(url, opts.assets)
    log(f"[{kind}] fresh database with {opts.assets} assets in {time.perf_counter() - t:.0f} s")
    try:
        steps = [(1, fig.scan_to_commit), (2, fig.search), (3, fig.inventory_view),
                 (7, fig.audit_verify), (6, fig.import_rows), (8, cold.cold_start)]
        for number, make in steps:
            if opts.wants(number):
                t = time.perf_counter()
                guarded(figures, make, bench, opts)
                log(f"[{kind}] figure {number} in {time.perf_counter() - t:.0f} s")
    finally:
        bench.database.dispose()


def run(opts: Options, use_sqlite: bool, use_pg: bool, log=print) -> tuple[list[Figure], dict]:
    from app.i18n import set_language

    from . import suite_figures as fig

    set_language("en")
    figures: list[Figure] = []
    info: dict = {"assets": opts.assets, "python": platform.python_version(),
                  "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                  "load_at_start": round(os.getloadavg()[0], 1)}
    folder = Path(tempfile.mkdtemp(prefix="depot-bench-"))
    if opts.wants(4):
        guarded(figures, fig.labels, opts)
    if opts.wants(5):
        guarded(figures, fig.handover_certificate, opts)
    if use_sqlite:
        import shutil
        import sqlite3

        info["sqlite"] = sqlite3.sqlite_version
        try:
            run_backend("sqlite", f"sqlite:///{folder / 'bench.sqlite'}", opts, figures, log)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if use_pg:
        sys.path.insert(0, str(ROOT / "tests"))
        try:
            from pgserver import PgUnavailable, start_postgres
        except ImportError as err:
            info["postgresql"] = f"not run: {err}"
        else:
            try:
                server = start_postgres()
            except PgUnavailable as err:
                info["postgresql"] = f"not run: {str(err).splitlines()[0]}"
                log(f"PostgreSQL: {info['postgresql']}")
            else:
                try:
                    url = server.create_database("bench")
                    import psycopg

                    with psycopg.connect(server.conninfo("bench")) as c:
                        info["postgresql"] = c.execute("SHOW server_version").fetchone()[0]
                    run_backend("postgresql", url, opts, figures, log)
                finally:
                    server.stop()
    order = {"sqlite": 0, "postgresql": 1, "-": -1, "?": 2}
    figures.sort(key=lambda f: (int("".join(c for c in f.figure if c.isdigit()) or 0), f.figure,
                                order.get(f.db, 3)))
    return figures, info


def write_json(figures: list[Figure], info: dict, out: Path | None) -> Path:
    stamp = dt.datetime.now(dt.UTC)
    if out is None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"{stamp.date().isoformat()}.json"
        if out.exists():  # a second run on the same day keeps the first
            out = RESULTS / f"{stamp.date().isoformat()}-{stamp.strftime('%H%M%S')}.json"
    payload = {"written_at": stamp.isoformat(timespec="seconds"), **info,
               "figures": [asdict(f) for f in figures]}
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return out


def parse_args(argv: list[str] | None) -> tuple[Options, argparse.Namespace]:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("--assets", type=int, default=100_000, help="devices in the fresh database")
    p.add_argument("--runs", type=int, default=5, help="runs of each cheap figure (keystrokes × runs…)")
    p.add_argument("--heavy-runs", type=int, default=3, help="runs of each slow figure (labels, import…)")
    p.add_argument("--scans", type=int, default=200, help="scans timed for scan-to-commit")
    p.add_argument("--rows", type=int, default=None, help="CSV rows imported (default min(100000, assets))")
    p.add_argument("--events", type=int, default=None,
                   help="audit events verified (default 1000000 from 1M assets, else as many as assets)")
    p.add_argument("--labels", type=int, default=1000)
    p.add_argument("--devices", type=int, default=500, help="devices on the handover certificate")
    p.add_argument("--cold-runs", type=int, default=5, help="cold starts timed (after one untimed)")
    p.add_argument("--no-pg", action="store_true", help="SQLite only")
    p.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    p.add_argument("--only", nargs="+", help="figure numbers to run (1 … 8)")
    p.add_argument("--out", type=Path, help="JSON file (default benchmarks/results/<date>.json)")
    a = p.parse_args(argv)
    events = a.events or (1_000_000 if a.assets >= 1_000_000 else max(a.assets, 1000))
    opts = Options(assets=a.assets, runs=max(1, a.runs), heavy_runs=max(1, a.heavy_runs),
                   scans=max(3, a.scans), rows=a.rows or min(100_000, a.assets), events=events,
                   labels=a.labels, devices=a.devices, cold_runs=max(1, a.cold_runs), only=set(a.only) if a.only else None)
    return opts, a


def main(argv: list[str] | None = None) -> int:
    opts, a = parse_args(argv)
    started = time.perf_counter()

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    figures, info = run(opts, not a.no_sqlite, not a.no_pg, log)
    info["seconds"] = round(time.perf_counter() - started)
    info["load_at_end"] = round(os.getloadavg()[0], 1)
    out = write_json(figures, info, a.out)
    print(f"\nCircuIT Depot benchmarks: {opts.assets} assets; Python {info['python']}, "
          f"SQLite {info.get('sqlite', '-')}, PostgreSQL {info.get('postgresql', '-')}; "
          f"{info['machine']}, load {info['load_at_start']}→{info['load_at_end']}; {info['seconds']} s")
    print("median/p95 per run; ratio = app median / floor median (1.0 = the floor); "
          "rate = items per second at the median\n")
    print(table(figures))
    print(f"\nwritten to {out}")
    return 1 if any(f.status.startswith("failed") for f in figures) else 0
