"""Intake desk speed: scan-to-commit with N assets in SQLite, and 1 000 labels to PDF and ZPL.

    .venv/bin/python -m benchmarks.bench_intake [--assets 100000] [--scans 300]

Scan-to-commit is what the desk waits for after the Enter of a scan: interpret
the scan (look up tag/serial), then register the device with its medium and
its audit event and commit. Printed as median and p95 over many scans.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from app.db import open_database
from app.models import PartyType
from app.services import auth, intake, parties
from app.services.permissions import SYSTEM

from .seed import seed_assets


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_scan_to_commit(n_assets: int, scans: int) -> list[float]:
    folder = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    database = open_database(f"sqlite:///{folder / 'bench.sqlite'}")
    t0 = time.perf_counter()
    seed_assets(database, n_assets)
    print(f"seeded {n_assets} assets in {time.perf_counter() - t0:.1f} s")
    auth.use_cheap_hashing_for_tests()
    with database.session() as s:
        tech = auth.add_user(s, SYSTEM, "bench", "Bench Technician", "technician", "bench-pass-1")
        svc = parties.create_party(s, SYSTEM, PartyType.SERVICE, name="Benchmark Service")
        lot = intake.open_lot(s, tech, svc.id)
        timings = []
        for i in range(scans):
            start = time.perf_counter()
            result = intake.interpret_scan(s, lot.id, f"NEW{i:07d}")
            result.form.manufacturer, result.form.model = "Dell", "Latitude 5420"
            intake.receive(s, tech, lot.id, result.form)
            timings.append((time.perf_counter() - start) * 1000)
    database.dispose()
    return timings


def bench_labels(count: int = 1000) -> dict[str, list[float]]:
    from app.services.documents import labels

    data = [labels.LabelData(tag=f"CD{n:07d}0", manufacturer="Lenovo", model="ThinkPad T14 Gen 2",
                             serial=f"PF{n:06d}", intake_date=None, org="Provincie")
            for n in range(1, count + 1)]
    out: dict[str, list[float]] = {"pdf": [], "zpl": []}
    for _ in range(3):
        with tempfile.TemporaryFile() as fh:
            t = time.perf_counter()
            labels.render_pdf(data, "57x32", fh)
            out["pdf"].append(time.perf_counter() - t)
        t = time.perf_counter()
        labels.render_zpl(data, "102x51")
        out["zpl"].append(time.perf_counter() - t)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=300)
    args = parser.parse_args()
    timings = bench_scan_to_commit(args.assets, args.scans)
    print(f"scan-to-commit with {args.assets} assets: median {statistics.median(timings):.1f} ms, "
          f"p95 {pct(timings, 95):.1f} ms over {len(timings)} scans")
    try:
        results = bench_labels()
    except ImportError as err:
        print(f"labels: not available ({err})")
        return
    for kind, values in results.items():
        print(f"1000 labels to {kind.upper()}: median {statistics.median(values):.2f} s over {len(values)} runs")


if __name__ == "__main__":
    main()
