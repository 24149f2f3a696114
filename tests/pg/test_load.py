"""Load: eight desk processes against one PostgreSQL, colliding on one pool of devices.

Each desk runs a random mix of intake, move, bench check, reserve, handover and
dispose for a bounded time (the long run is benchmarks/bench_load.py). After
it: no device lost or duplicated, every device's state explained by its
history, what each desk was told was done is exactly what the history holds,
documents unique, the audit chain intact, and no error other than the
expected refusals reached a desk.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time

import desks
import pytest

from app.db import open_database

DESKS = 8
SECONDS = float(os.environ.get("DEPOT_LOAD_SECONDS", "8"))


def run_desks(url: str, n: int, seconds: float, folder, seed: int = 1) -> tuple[list, float]:
    ctx = mp.get_context("spawn")
    outs = [folder / f"desk{i}.json" for i in range(n)]
    readies = [folder / f"desk{i}.ready" for i in range(n)]
    procs = [ctx.Process(target=desks.desk_process,
                         args=(url, i, seed * 1000 + i, seconds, str(outs[i]), str(readies[i])))
             for i in range(n)]
    for p in procs:
        p.start()
    start = time.monotonic()
    for p in procs:
        p.join(timeout=seconds + 120)
        assert p.exitcode == 0, f"desk process ended with {p.exitcode}"
    return desks.read_logs(outs), time.monotonic() - start


@pytest.mark.pg
def test_eight_desks_on_one_postgresql_lose_and_duplicate_nothing(pg_url, tmp_path):
    database = open_database(pg_url)
    try:
        desks.prepare(database, DESKS, pool=24)
        seeded, since = desks.pool_size(database), desks.audit_seq(database)
        logs, _elapsed = run_desks(pg_url, DESKS, SECONDS, tmp_path)
        stats = desks.summary(logs, SECONDS)
        print(stats)
        assert desks.check_invariants(database, logs, seeded=seeded, since_seq=since) == []
        # the desks really collided and really worked: every kind of action succeeded somewhere
        assert set(stats["ok_by_action"]) >= {"intake", "move", "check", "reserve", "handover",
                                              "dispose"}, stats
        refusals = {o for o in stats["outcomes"] if o not in ("ok", "unexpected")}
        assert refusals & {"IllegalTransition", "StaleRecord", "ConcurrentChange"}, stats
        assert "unexpected" not in stats["outcomes"]
    finally:
        database.dispose()
