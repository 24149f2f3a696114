"""Several desks at once: tags stay unique and the audit chain stays one chain.

On PostgreSQL the desks are threads with their own connections; on SQLite
they are separate processes on one file (the way two app windows would be).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.db import open_database
from app.models import Asset, AuditEvent, Category
from app.services import assets, audit, auth
from app.services.codes import is_valid_tag
from app.services.permissions import SYSTEM

DESKS = 4
PER_DESK = 25


@pytest.mark.pg
def test_concurrent_desks_on_postgresql_get_unique_tags_and_one_unbroken_chain(pg_url):
    database = open_database(pg_url)
    try:
        with database.session() as s:
            desks = [auth.add_user(s, SYSTEM, f"desk{i}", f"Desk {i}", "technician", "desk-pass-1")
                     for i in range(DESKS)]

        def work(desk_no: int) -> list[str]:
            tags = []
            with database.session() as s:
                for n in range(PER_DESK):
                    a = assets.register_asset(s, desks[desk_no], category=Category.LAPTOP,
                                              manufacturer="Dell", model="Latitude 5420",
                                              serial=f"D{desk_no}N{n}")
                    tags.append(a.tag)
            return tags

        with ThreadPoolExecutor(DESKS) as pool:
            tags = [t for chunk in pool.map(work, range(DESKS)) for t in chunk]
        assert len(tags) == len(set(tags)) == DESKS * PER_DESK
        assert all(is_valid_tag(t) for t in tags)
        with database.session() as s:
            report = audit.verify_chain(s)
            assert report.ok, report.message()
            assert s.scalar(select(func.count()).select_from(Asset)) == DESKS * PER_DESK
            seqs = list(s.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)))
            assert seqs == list(range(1, len(seqs) + 1))
    finally:
        database.dispose()


DESK_SCRIPT = textwrap.dedent("""
    import sys
    from app.db import open_database
    from app.models import Category
    from app.services import assets
    from app.services.permissions import SYSTEM
    from app.models import User
    url, desk = sys.argv[1], int(sys.argv[2])
    db = open_database(url)
    with db.session() as s:
        for n in range({per_desk}):
            assets.register_asset(s, SYSTEM, category=Category.MONITOR, manufacturer="HP",
                                  model="E24 G4", serial=f"P{{desk}}N{{n}}")
    print("ok")
""").format(per_desk=PER_DESK)


def test_two_processes_on_one_sqlite_file_never_see_database_is_locked(sqlite_url, tmp_path):
    open_database(sqlite_url).dispose()  # create and migrate once
    script = tmp_path / "desk.py"
    script.write_text(DESK_SCRIPT)
    procs = [subprocess.Popen([sys.executable, str(script), sqlite_url, str(i)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(3)]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    database = open_database(sqlite_url)
    try:
        with database.session() as s:
            assert s.scalar(select(func.count()).select_from(Asset)) == 3 * PER_DESK
            assert audit.verify_chain(s).ok
    finally:
        database.dispose()


# --- exclusive transitions, deadlocks and the bounded retry -----------------------

import threading

from app.models import Party, PartyType, Role
from app.services import lifecycle, parties
from app.services.errors import IllegalTransition, StaleRecord
from app.services.retry import run_with_retry
from app.services.uow import TransientConflict, unit_of_work


def _ready_monitors(database, n: int):
    from bench_helpers import answer_checklist

    from app.services import refurbishment

    with database.session() as s:
        mia = auth.add_user(s, SYSTEM, "mia", "Mia Manager", Role.MANAGER, "mgr-pass-1")
        school = parties.create_party(s, SYSTEM, PartyType.SCHOOL, name="School", street="Straat 1",
                                      postcode="3000", city="Leuven")
        ids = []
        for i in range(n):
            a = assets.register_asset(s, mia, category=Category.MONITOR, manufacturer="Dell",
                                      model="P2422H", serial=f"R{i}")
            refurbishment.start(s, mia, a.id)
            answer_checklist(s, mia, a.id)
            refurbishment.set_grade(s, mia, a.id, "A")
            refurbishment.pass_checks(s, mia, a.id)
            ids.append(a.id)
    return mia, school.id, ids


@pytest.mark.pg
def test_six_desks_reserving_one_device_at_once_give_exactly_one_winner(pg_url):
    database = open_database(pg_url)
    try:
        mia, _school, (device,) = _ready_monitors(database, 1)
        start = threading.Barrier(6)

        def desk(_n):
            with database.session() as s:
                start.wait(timeout=30)
                try:
                    lifecycle.apply(s, mia, device, "reserve", purpose="handover")
                    return "won"
                except IllegalTransition as err:
                    return str(err)

        with ThreadPoolExecutor(6) as pool:
            results = list(pool.map(desk, range(6)))
        assert results.count("won") == 1
        assert all("reserved" in r for r in results if r != "won")  # a clear refusal, not a crash
        with database.session() as s:
            reserves = [e for e in audit.history(s, "asset", device) if e.action == "reserve"]
            assert len(reserves) == 1
    finally:
        database.dispose()


def test_a_desk_holding_an_old_copy_cannot_hand_over_a_device_twice(database):
    """The transition reads the row afresh (and locks it on PostgreSQL), whatever the session cached."""
    mia, school_id, (device,) = _ready_monitors(database, 1)
    with database.session() as first, database.session() as second:
        first.get(lifecycle.Asset, device)  # desk 1 shows the device, still ready
        lifecycle.apply(second, mia, device, "reserve", purpose="handover")
        with pytest.raises(IllegalTransition, match="reserved"):
            lifecycle.apply(first, mia, device, "reserve", purpose="handover")
        lifecycle.apply(second, mia, device, "transfer", recipient=second.get(Party, school_id),
                        labels_removed=True)
        with pytest.raises(IllegalTransition, match="transferred"):
            lifecycle.apply(first, mia, device, "transfer", recipient=first.get(Party, school_id),
                            labels_removed=True)


@pytest.mark.pg
def test_a_deadlock_between_two_desks_is_retried_and_both_actions_succeed(pg_url):
    database = open_database(pg_url)
    try:
        mia, _school, (a_id, b_id) = _ready_monitors(database, 2)
        both_hold_one = threading.Barrier(2)
        retried = []

        def edit_both(first_id, second_id, note):
            def action(s):
                with unit_of_work(s, mia, "edit", permission="asset.edit"):
                    s.get(Asset, first_id, with_for_update=True).notes = note
                    if not retried:  # the first attempts meet here, each holding one row
                        both_hold_one.wait(timeout=30)
                    s.get(Asset, second_id, with_for_update=True).notes = note
            run_with_retry(database, action, on_retry=lambda n, err: retried.append(err))

        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(edit_both, a_id, b_id, "left"),
                       pool.submit(edit_both, b_id, a_id, "right")]
            for f in futures:
                f.result(timeout=60)
        assert len(retried) == 1 and isinstance(retried[0], TransientConflict)
        with database.session() as s:
            notes = {s.get(Asset, a_id).notes, s.get(Asset, b_id).notes}
            assert len(notes) == 1  # one desk's edit wholly after the other's, never a mix
            assert audit.verify_chain(s).ok
    finally:
        database.dispose()


def test_retry_gives_up_after_the_bounded_number_of_attempts(database):
    calls = []

    def always_conflicting(s):
        calls.append(1)
        raise TransientConflict()

    with pytest.raises(TransientConflict):
        run_with_retry(database, always_conflicting, attempts=3, sleep=lambda _s: None)
    assert len(calls) == 3


def test_a_stale_write_is_never_retried(database):
    calls = []

    def stale(s):
        calls.append(1)
        raise StaleRecord(what="CD1", user="Mia", time="10:00")

    with pytest.raises(StaleRecord):
        run_with_retry(database, stale, sleep=lambda _s: None)
    assert len(calls) == 1


def test_a_row_changed_between_the_actions_own_read_and_write_is_run_again(database):
    from app.services.uow import ConcurrentChange

    calls = []

    def raced_once(s):
        calls.append(1)
        if len(calls) == 1:
            raise ConcurrentChange()
        return "done"

    assert run_with_retry(database, raced_once, sleep=lambda _s: None) == "done"
    assert len(calls) == 2
