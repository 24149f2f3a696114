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


def bench_desk(n_assets: int, scans: int) -> list[float]:
    """The same through the intake page offscreen: scan → form → Enter → committed and in the table."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.config import Settings
    from app.ui.intake_page import IntakePage

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench-desk-"))
    database = open_database(f"sqlite:///{folder / 'bench.sqlite'}")
    seed_assets(database, n_assets)
    with database.session() as s:
        tech = auth.add_user(s, SYSTEM, "desk", "Desk Technician", "technician", "bench-pass-1")
    settings = Settings(extra={"printing": {"auto_print_labels": False}, "sound_muted": True})
    page = IntakePage(database, tech, settings)
    page.open_lot()
    timings = []
    for i in range(scans):
        start = time.perf_counter()
        page.handle_scan(f"DESK{i:07d}")
        page.device_form.manufacturer.setText("Dell")
        page.device_form.model.setText("Latitude 5420")
        page.confirm_device()
        app.processEvents()
        timings.append((time.perf_counter() - start) * 1000)
        assert page.table_model.rowCount() == i + 1
    database.dispose()
    return timings


def bench_labels(count: int = 1000) -> dict[str, list[float]]:
    from app.services.documents import labels

    from app.services.codes import format_tag

    out: dict[str, list[float]] = {"pdf": [], "zpl": []}
    for run in range(5):
        # New tags each run: QR symbols are cached per tag, and a desk prints new tags.
        data = [labels.LabelData(tag=format_tag(run * count + n), manufacturer="Lenovo",
                                 model="ThinkPad T14 Gen 2", serial=f"PF{n:06d}", intake_date=None,
                                 org="Provincie") for n in range(1, count + 1)]
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
    print(f"scan-to-commit (service) with {args.assets} assets: median {statistics.median(timings):.1f} ms, "
          f"p95 {pct(timings, 95):.1f} ms over {len(timings)} scans")
    desk = bench_desk(args.assets, args.scans)
    print(f"scan-to-shown (intake page, offscreen) with {args.assets} assets: median "
          f"{statistics.median(desk):.1f} ms, p95 {pct(desk, 95):.1f} ms over {len(desk)} scans")
    try:
        results = bench_labels()
    except ImportError as err:
        print(f"labels: not available ({err})")
        return
    for kind, values in results.items():
        print(f"1000 labels to {kind.upper()}: median {statistics.median(values):.2f} s over {len(values)} runs")


if __name__ == "__main__":
    main()
