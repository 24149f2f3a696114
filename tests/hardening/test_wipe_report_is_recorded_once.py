"""Finding 4: the same wipe report is recorded once per disk, also by two desks at the same moment."""

from __future__ import annotations

import json
import threading

import pytest
from hardening_helpers import SSD_SERIAL
from sqlalchemy import func, inspect, select, text

from app.db import downgrade, migrate, open_database
from app.models import Asset, AssetStatus, Category, MediumKind, SanitisationRecord
from app.services import audit, auth, wipe_reports
from app.services.assets import MediumSpec, register_asset
from app.services.uow import unit_of_work

REPORT = {"report_metadata": {"nwipe_version": "0.37"},
          "device": {"model": "Samsung SSD 860 EVO", "serial_no": SSD_SERIAL},
          "wipe_result": {"status": "success", "pass_errors": 0, "verify_errors": 0,
                          "start_time": "2026-11-20T09:12:03+01:00",
                          "end_time": "2026-11-20T10:14:41+01:00"}}


def report(**changes) -> bytes:
    return json.dumps({**REPORT, **changes}, indent=2).encode()


def record_count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(SanitisationRecord))


def test_a_report_differing_only_by_trailing_whitespace_is_the_same_report(session, technician,
                                                                          laptop):
    assert wipe_reports.import_report(session, technician, "a.json", report()).ok
    again = wipe_reports.import_report(session, technician, "b.json", report() + b"\n \n")
    assert not again.ok and "already imported" in again.message and record_count(session) == 1


def test_a_report_with_its_keys_in_another_order_is_the_same_report(session, technician, laptop):
    assert wipe_reports.import_report(session, technician, "a.json", report()).ok
    shuffled = json.dumps(dict(reversed(list(REPORT.items())))).encode()
    assert not wipe_reports.import_report(session, technician, "b.json", shuffled).ok


def test_a_report_with_a_duplicate_key_is_malformed(session, technician, laptop):
    data = report().replace(b'"status": "success"', b'"status": "failure", "status": "success"')
    outcome = wipe_reports.import_report(session, technician, "a.json", data)
    assert not outcome.ok and "“status” twice" in outcome.message and record_count(session) == 0


@pytest.mark.parametrize("status", [AssetStatus.SOLD, AssetStatus.TRANSFERRED, AssetStatus.DISPOSED])
def test_a_report_for_a_device_that_has_left_is_refused_with_why(session, technician, admin,
                                                                 laptop, status):
    # How it left (a handover, a sale, a disposal batch) is not the point here: the status is set
    # as the lifecycle would set it.
    with unit_of_work(session, admin, "edit", permission="user.manage"):
        session.info[audit.LIFECYCLE_KEY] = True
        session.get(Asset, laptop.id).status = status
    session.info.pop(audit.LIFECYCLE_KEY, None)
    outcome = wipe_reports.import_report(session, technician, "a.json", report())
    assert not outcome.ok and "has left the warehouse" in outcome.message
    assert record_count(session) == 0


@pytest.fixture
def shared_database(both_db_url):
    database = open_database(both_db_url)
    yield database
    database.dispose()


def test_two_desks_importing_the_same_report_at_once_record_it_once(shared_database):
    with shared_database.session() as s:
        admin = auth.create_first_admin(s, "admin", "Ada Admin", "admin-pass-1")
        desks = [auth.add_user(s, admin, f"desk{d}", f"Desk {d}", "technician", "desk-pass-1")
                 for d in range(2)]
        for n in range(5):
            register_asset(s, desks[0], category=Category.LAPTOP, manufacturer="Dell",
                           model="Latitude", serial=f"LAP-{n}",
                           media=[MediumSpec(MediumKind.SSD, f"DISK-{n}", 256)])
    outcomes: list[list[bool]] = [[], []]
    for trial in range(5):  # the race was lost in 2 of 10 trials before the fix
        data = report(device={"serial_no": f"DISK-{trial}"})
        barrier = threading.Barrier(2)

        def desk(d: int, data=data, barrier=barrier) -> None:
            with shared_database.session() as s:
                barrier.wait()
                outcomes[d].append(wipe_reports.import_report(s, desks[d], "r.json", data).ok)

        threads = [threading.Thread(target=desk, args=(d,)) for d in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    with shared_database.session() as s:
        per_disk = s.execute(select(SanitisationRecord.medium_id, func.count())
                             .group_by(SanitisationRecord.medium_id)).all()
    assert sorted(n for _medium, n in per_disk) == [1] * 5
    assert [a + b for a, b in zip(*outcomes, strict=True)] == [1] * 5  # one desk was told no


def _copy_record(session, record_id: int) -> None:
    columns = [c["name"] for c in inspect(session.connection()).get_columns("sanitisation_records")
               if c["name"] != "id"]
    names = ", ".join(columns)
    session.execute(text(f"INSERT INTO sanitisation_records ({names}) "
                         f"SELECT {names} FROM sanitisation_records WHERE id = :id"), {"id": record_id})
    session.commit()


def test_duplicates_recorded_before_the_migration_are_kept_without_their_digest(
        database, session, technician, laptop):
    assert wipe_reports.import_report(session, technician, "a.json", report()).ok
    first = session.scalar(select(SanitisationRecord.id))
    session.close()
    downgrade(database.engine, "0012")
    _copy_record(session, first)
    migrate(database.engine)
    rows = session.execute(select(SanitisationRecord.id, SanitisationRecord.report_sha256,
                                  SanitisationRecord.notes).order_by(SanitisationRecord.id)).all()
    assert [r.report_sha256 is None for r in rows] == [False, True]
    assert f"the same report as record {first}" in rows[1].notes


def test_after_downgrading_the_migration_the_same_digest_may_be_stored_again(
        database, session, technician, laptop):
    assert wipe_reports.import_report(session, technician, "a.json", report()).ok
    session.close()
    downgrade(database.engine, "0012")
    _copy_record(session, session.scalar(select(SanitisationRecord.id)))
    assert record_count(session) == 2
