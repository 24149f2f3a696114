"""The benchmark suite at a tiny size, so that it cannot rot (the real run takes minutes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {"1", "2a", "2b", "2c", "3a", "3b", "4a", "4b", "5", "6", "7", "8"}


def test_suite_runs_at_a_tiny_size_and_writes_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--assets", "200", "--runs", "1", "--heavy-runs", "1",
         "--scans", "3", "--labels", "20", "--devices", "20", "--rows", "100", "--events", "500",
         "--cold-runs", "1", "--no-pg", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    data = json.loads(out.read_text())
    figures = {f["figure"]: f for f in data["figures"]}
    assert set(figures) == FIGURES
    for key, f in figures.items():
        assert f["status"] == "ok", (key, f["status"])
        for name in ("median", "p95", "floor_median", "ratio"):
            assert isinstance(f[name], (int, float)) and f[name] > 0, (key, name, f[name])
        assert f["runs"] >= 1 and f["floor_runs"] >= 1, key
        assert f["db"] in ("sqlite", "-"), key
    assert figures["6"]["rate"] > 0 and figures["7"]["per_run"] >= 500
    assert "scaled down" in figures["7"]["note"]
    # The printed table carries every figure with its target verdict.
    for key in FIGURES:
        assert any(line.startswith(f"{key} ") for line in done.stdout.splitlines()), key
    assert "written to" in done.stdout
