"""One SQLite file, two app processes writing at once: nobody is ever shown "database is locked".

Writes start with BEGIN IMMEDIATE and wait their turn (busy timeout); reads never
hold the write lock (WAL). The two desks below run the load test's mix of
intake, moves, bench checks, reservations, handovers and disposals on the
same devices for a few seconds each.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pg"))

import desks

from app.db import open_database

SECONDS = 4.0


def test_two_processes_on_one_sqlite_file_never_show_database_is_locked(sqlite_url, tmp_path):
    database = open_database(sqlite_url)
    try:
        desks.prepare(database, 2, pool=12)
        seeded, since = desks.pool_size(database), desks.audit_seq(database)
    finally:
        database.dispose()
    ctx = mp.get_context("spawn")
    outs = [tmp_path / f"desk{i}.json" for i in range(2)]
    procs = [ctx.Process(target=desks.desk_process, args=(sqlite_url, i, 10 + i, SECONDS, str(outs[i])))
             for i in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    logs = desks.read_logs(outs)
    stats = desks.summary(logs, SECONDS)
    assert all(log.actions for log in logs), stats  # both desks really worked
    assert "gave_way" not in stats["outcomes"] and "unexpected" not in stats["outcomes"], stats
    assert not any("locked" in tb for log in logs for tb in log.unexpected)
    database = open_database(sqlite_url)
    try:
        assert desks.check_invariants(database, logs, seeded=seeded, since_seq=since) == []
    finally:
        database.dispose()
