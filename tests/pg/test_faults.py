"""Faults: a desk killed with SIGKILL mid-action, and its server connection terminated mid-transaction.

After each fault the database must be exactly as if the interrupted action
had never started: the invariants of the load test hold (every device's state
explained by its history, no tag or document number lost or doubled, the
audit chain intact) and SQLite's `PRAGMA integrity_check` says ok. The short
version runs here; benchmarks/bench_faults.py runs ≥ 50 trials of each.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import sqlite3
import time

import desks
import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from app.db import open_database
from app.services.errors import DatabaseUnavailable, DomainError
from app.services.retry import run_with_retry

TRIALS = int(os.environ.get("DEPOT_FAULT_TRIALS", "10"))


def _context():
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["desks"])  # a desk starts in milliseconds, not a second
    return ctx


def kill_trial(ctx, url: str, folder, trial: int, rng: random.Random) -> str:
    """One desk process, killed mid-action; returns how ('self' at a flush, or 'external')."""
    ready = folder / f"ready{trial}"
    if trial % 2 == 0:  # at a random flush: rows written, commit not reached
        how, kill_at = "self", rng.randint(1, 12)
    else:
        how, kill_at = "external", None
    proc = ctx.Process(target=desks.desk_process,
                       args=(url, 0, trial, 600.0, str(folder / f"log{trial}"), str(ready), kill_at))
    proc.start()
    if how == "external":
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=120)
    assert proc.exitcode == -signal.SIGKILL, f"trial {trial}: desk ended with {proc.exitcode}"
    return how


def run_kill_trials(url: str, folder, trials: int, seed: int = 1) -> list[str]:
    database = open_database(url)
    try:
        desks.prepare(database, 1, pool=10)
    finally:
        database.dispose()
    ctx, rng, problems = _context(), random.Random(seed), []
    for trial in range(trials):
        how = kill_trial(ctx, url, folder, trial, rng)
        database = open_database(url, upgrade=False)
        try:
            found = desks.check_invariants(database)
        finally:
            database.dispose()
        if url.startswith("sqlite"):
            with sqlite3.connect(make_url(url).database) as conn:
                verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                found.append(f"integrity_check: {verdict}")
        problems += [f"trial {trial} ({how}): {p}" for p in found]
    return problems


@pytest.mark.pg
def test_desks_killed_mid_action_leave_postgresql_consistent(pg_url, tmp_path):
    assert run_kill_trials(pg_url, tmp_path, TRIALS) == []


def test_desks_killed_mid_action_leave_sqlite_consistent_and_intact(sqlite_url, tmp_path):
    assert run_kill_trials(sqlite_url, tmp_path, TRIALS) == []


def run_terminate_trials(url: str, trials: int, seed: int = 2) -> tuple[list[str], dict]:
    """pg_terminate_backend on the desk's own connection at a random flush of an action, until
    `trials` actions were cut mid-transaction (actions refused before writing are not counted)."""
    database = open_database(url)
    rng = random.Random(seed)
    outcomes = {"cut": 0, "finished_first": 0, "refused": 0}
    try:
        desks.prepare(database, 1, pool=10)
        since = desks.audit_seq(database)
        desk = desks.Desk(database, 0, rng)
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True) as admin:
            attempts = 0
            while outcomes["cut"] < trials and attempts < trials * 5:  # `trials` real cuts
                attempts += 1
                cut_at = {"n": rng.randint(1, 2)}

                def cut(session, _ctx, cut_at=cut_at):
                    cut_at["n"] -= 1
                    if cut_at["n"] == 0:
                        pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
                        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

                event.listen(database.sessions, "after_flush", cut)
                action = rng.choice(["intake", "intake", "reserve", "handover", "dispose", "check"])
                try:
                    run_with_retry(database, getattr(desk, action))
                    outcomes["finished_first"] += 1
                except DatabaseUnavailable:
                    outcomes["cut"] += 1
                except DomainError:
                    outcomes["refused"] += 1
                finally:
                    event.remove(database.sessions, "after_flush", cut)
                # the very next action reconnects by itself (pre-ping): no error from the cut
                try:
                    run_with_retry(database, desk.move)
                except DatabaseUnavailable as err:
                    raise AssertionError(f"did not reconnect: {err}") from err
                except DomainError:
                    pass
        return desks.check_invariants(database, [desk.log], since_seq=since), outcomes
    finally:
        database.dispose()


@pytest.mark.pg
def test_connection_terminated_mid_transaction_rolls_back_and_reconnects(pg_url):
    problems, outcomes = run_terminate_trials(pg_url, TRIALS)
    assert problems == []
    assert outcomes["cut"] == TRIALS, outcomes  # the fault really hit that many open transactions
