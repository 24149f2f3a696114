"""The audit trail: every write path leaves an event, and the chain reveals tampering."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text, update

from app.models import Asset, AuditEvent, Category, Location, MediumKind, Party, PartyType, User
from app.services import assets, audit, auth, lifecycle, locations, parties
from app.services.assets import MediumSpec
from app.services.errors import AuditWriteRefused
from app.services.uow import unit_of_work


@pytest.fixture
def laptop(session, technician):
    return assets.register_asset(
        session, technician, category=Category.LAPTOP, manufacturer="Lenovo",
        model="ThinkPad T14 Gen 2", serial="PF2ABCDE", ram_gb=16,
        media=[MediumSpec(MediumKind.NVME, "S4EWNX0R", 512)],
    )


@pytest.fixture
def bin_a1(session, manager):
    return locations.create_location(session, manager, "Centraal magazijn", "A", "01", "2")


def last_events(session, n: int) -> list[AuditEvent]:
    return list(reversed(session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(n)).all()))


def changes(event: AuditEvent) -> dict:
    return json.loads(event.changes)


# --- every write path writes its event(s), with who, what, old and new -----------------

def test_registering_a_device_records_the_device_and_its_media(session, technician, laptop):
    asset_event, medium_event = sorted(last_events(session, 2), key=lambda e: e.entity_type)
    assert (asset_event.entity_type, asset_event.entity_id) == ("asset", laptop.id)
    assert asset_event.actor_name == "Tom Technieker" and asset_event.actor_id == technician.id
    assert changes(asset_event)["serial"] == [None, "PF2ABCDE"]
    assert changes(asset_event)["status"] == [None, "received"]
    assert changes(asset_event)["tag"] == [None, laptop.tag]
    assert medium_event.entity_type == "medium"
    assert changes(medium_event)["serial"] == [None, "S4EWNX0R"]
    assert audit.verify_chain(session).ok


def test_editing_a_field_records_old_and_new_value(session, technician, laptop):
    assets.edit_asset(session, technician, laptop.id, laptop.version, ram_gb=32, notes="extra RAM")
    (event,) = last_events(session, 1)
    assert event.action == "edit"
    assert changes(event) == {"ram_gb": [16, 32], "notes": [None, "extra RAM"]}


def test_a_transition_records_the_status_change(session, technician, laptop):
    lifecycle.apply(session, technician, laptop.id, "start_checks")
    (event,) = last_events(session, 1)
    assert event.action == "start_checks"
    assert changes(event)["status"] == ["received", "in_refurbishment"]


def test_a_move_records_old_and_new_location(session, technician, laptop, bin_a1, manager):
    other = locations.create_location(session, manager, "Centraal magazijn", "B", "02", "1")
    assets.move_asset(session, technician, laptop.id, bin_a1.id)
    assets.move_asset(session, technician, laptop.id, other.id)
    (event,) = last_events(session, 1)
    assert event.action == "move"
    assert changes(event) == {"location_id": [bin_a1.id, other.id]}


def test_adding_a_medium_records_it(session, technician, laptop):
    assets.add_medium(session, technician, laptop.id, MediumSpec(MediumKind.HDD, "WD-123", 1000))
    events = last_events(session, 1)
    assert events[0].entity_type == "medium"
    assert changes(events[0])["kind"] == [None, "hdd"]


def test_reference_data_and_users_are_recorded_without_password_hashes(session, admin, manager):
    parties.create_party(session, manager, PartyType.SERVICE, name="Dienst Welzijn")
    (party_event,) = last_events(session, 1)
    assert party_event.entity_type == "party" and changes(party_event)["name"] == [None, "Dienst Welzijn"]
    user_event = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "user",
                                                          AuditEvent.entity_ref == "mia")).one()
    assert changes(user_event)["password_hash"] == [None, audit.SECRET_PLACEHOLDER]
    assert "argon2" not in user_event.changes


# Written through their services, and found in the trail, by the workflow's own test:
# test_sales.py::test_every_sales_model_is_recorded_in_the_audit_trail and
# test_disposal.py::test_every_disposal_record_is_in_the_audit_trail and
# test_organisation.py::test_a_change_is_in_the_audit_trail_with_the_logo_as_its_digest.
COVERED_BY_THEIR_OWN_TESTS = {"staff_member", "sale_round", "sale_item", "sale_interest",
                              "certification", "disposal_batch", "disposal_item", "disposal_weighing",
                              "processor_certificate", "organisation"}


def test_every_audited_model_has_a_write_path_that_is_recorded(session, admin, technician, manager,
                                                               laptop, bin_a1):
    """Each aggregate the trail covers shows up in it when written through its service."""
    from app.services import intake

    griffie = parties.create_party(session, manager, PartyType.SERVICE, name="Griffie")
    lot = intake.open_lot(session, technician, griffie.id)
    form = intake.form_for_category("SN-LOT", Category.MONITOR, "Dell", "P2419H")
    intake.receive(session, technician, lot.id, form)
    intake.close_lot(session, technician, lot.id)
    from bench_helpers import answer_checklist, wipe_and_verify

    from app.services import refurbishment, spare_parts

    refurbishment.start(session, technician, laptop.id)
    answer_checklist(session, technician, laptop.id)
    wipe_and_verify(session, technician, manager, laptop.id)
    refurbishment.fail_checks(session, technician, laptop.id)
    spare_parts.harvest(session, technician, laptop.id, "ram", "16 GB DDR4")
    from app.services import stock_count

    count = stock_count.start_count(session, technician, bin_a1.id)
    scanned = stock_count.scan(session, technician, count.id, "NOT-A-DEVICE-1")
    stock_count.close_count(session, technician, count.id)
    stock_count.resolve_line(session, manager, scanned.line.line_id, "ignored", "old sticker")
    from handover_helpers import laptops_request, ready_device, reserve_all_proposals, school

    from app.services import handovers

    device = ready_device(session, technician, manager, "SN-SECOND-LIFE")
    batch = reserve_all_proposals(session, manager,
                                  laptops_request(session, manager, school(session, manager), quantity=1))
    handovers.scan_at_desk(session, technician, batch.id, device.tag)
    recorded = set(session.scalars(select(AuditEvent.entity_type).distinct()))
    assert set(audit.AUDITED.values()) == recorded | COVERED_BY_THEIR_OWN_TESTS


def test_a_write_without_an_acting_user_is_refused(session, laptop):
    laptop.notes = "sneaky"
    with pytest.raises(AuditWriteRefused):
        session.commit()
    session.rollback()
    session.expire_all()
    assert session.get(Asset, laptop.id).notes is None


@pytest.mark.parametrize("stmt", [
    update(Asset).values(notes="bulk"),
    update(Party).values(name="bulk"),
    update(User).values(display_name="bulk"),
    update(Location).values(description="bulk"),
])
def test_bulk_updates_that_would_bypass_the_trail_are_refused(session, technician, laptop, stmt):
    with pytest.raises(AuditWriteRefused):
        with unit_of_work(session, technician, "edit", permission="asset.edit"):
            session.execute(stmt)
    session.expire_all()
    assert session.get(Asset, laptop.id).notes is None


def test_a_failed_action_leaves_no_event(session, technician, laptop):
    before = audit.event_count(session)
    with pytest.raises(Exception):
        assets.register_asset(session, technician, category=Category.LAPTOP, manufacturer="lenovo",
                              model="ThinkPad", serial=" pf2abcde ")  # duplicate serial
    assert audit.event_count(session) == before
    assert audit.verify_chain(session).ok


# --- tampering is detected, and the first broken event is named ----------------------

@pytest.fixture
def trail(session, technician, laptop, bin_a1):
    assets.move_asset(session, technician, laptop.id, bin_a1.id)
    lifecycle.apply(session, technician, laptop.id, "start_checks")
    assets.edit_asset(session, technician, laptop.id, session.get(Asset, laptop.id).version, grade="A")
    report = audit.verify_chain(session)
    assert report.ok and report.events >= 8
    session.commit()
    return report.events


def tamper(session, sql: str, **params) -> None:
    session.execute(text(sql), params)
    session.commit()


def test_intact_chain_is_reported_intact(session, trail):
    report = audit.verify_chain(session)
    assert report.ok and report.events == trail
    assert str(trail) in report.message()


def test_edited_event_is_detected_at_that_event(session, trail):
    tamper(session, "UPDATE audit_events SET changes = :c WHERE seq = 5", c='{"grade":[null,"A"]}')
    report = audit.verify_chain(session)
    assert not report.ok and report.broken_seq == 5
    assert "changed" in report.message()


def test_edited_actor_is_detected(session, trail):
    tamper(session, "UPDATE audit_events SET actor_name = 'Someone Else' WHERE seq = 6")
    assert audit.verify_chain(session).broken_seq == 6


def test_deleted_event_is_detected(session, trail):
    tamper(session, "DELETE FROM audit_events WHERE seq = 4")
    report = audit.verify_chain(session)
    assert not report.ok and report.broken_seq == 4


def test_reordered_events_are_detected(session, trail):
    tamper(session, "UPDATE audit_events SET seq = -1 WHERE seq = 3")
    tamper(session, "UPDATE audit_events SET seq = 3 WHERE seq = 4")
    tamper(session, "UPDATE audit_events SET seq = 4 WHERE seq = -1")
    report = audit.verify_chain(session)
    assert not report.ok and report.broken_seq == 3


def test_removing_the_newest_events_is_detected(session, trail):
    tamper(session, "DELETE FROM audit_events WHERE seq = :s", s=trail)
    report = audit.verify_chain(session)
    assert not report.ok
    assert "newest" in report.message()


def test_rehashed_forgery_is_detected_at_the_next_event(session, trail):
    """Someone who edits an event and recomputes its own hash still breaks the next link."""
    ev = session.scalars(select(AuditEvent).where(AuditEvent.seq == 5)).one()
    forged = '{"grade":[null,"D"]}'
    fields = audit.hashed_fields(ev.seq, ev.occurred_at, ev.actor_id, ev.actor_name, ev.action,
                                 ev.entity_type, ev.entity_id, ev.entity_ref, forged)
    new_hash = audit.event_hash(ev.prev_hash, fields)
    tamper(session, "UPDATE audit_events SET changes = :c, hash = :h WHERE seq = 5", c=forged, h=new_hash)
    assert audit.verify_chain(session).broken_seq == 6


def test_history_of_an_asset_reads_as_a_timeline(session, technician, laptop, trail):
    events = audit.history(session, "asset", laptop.id)
    assert [e.action for e in events] == ["receive", "move", "start_checks", "edit"]
    assert all(e.actor_name == "Tom Technieker" for e in events)
    assert events == sorted(events, key=lambda e: e.occurred_at)


def test_sign_in_is_recorded(session, technician):
    auth.authenticate(session, "tom", "tech-pass-1")
    (event,) = last_events(session, 1)
    assert event.action == "sign_in" and event.entity_ref == "tom"


# --- the fast verify path hashes exactly what the writing side hashed --------------------

def _varied_events(n: int) -> list[tuple]:
    """Events as the database returns them: the awkward cases first, then random mixes."""
    import datetime as dt
    import random
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    texts = ["", "plain", "Zoë’s “quote” \"double\" \\back\\slash", "tab\there\nnew\rline\x00\x1f\x7f",
             "日本語のラベル", "emoji 🧯🖥️", "\u2028\u2029 line separators", "</script>", "•••", "ß" * 300]
    zones = [dt.UTC, ZoneInfo("Europe/Brussels"), ZoneInfo("Asia/Kolkata"), ZoneInfo("America/St_Johns"),
             dt.timezone(dt.timedelta(hours=-3, minutes=-30))]
    values = [None, True, False, 0, -7, 2**63 - 1, 10**30, 1.5, 0.1, -0.0, 1e-7, 3e20,
              Decimal("12.50"), Decimal("-0.000"), Decimal("1E+3"), dt.date(2026, 2, 29 - 1),
              dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC), "text", "ünïcödé"] + texts
    rng = random.Random(11)

    def changes() -> str:
        keys = rng.sample(["status", "grade", "notes", "ram_gb", "price", "Ä-key", "a", "B", "_"], rng.randint(0, 5))
        return audit.canonical_json({k: [audit._plain(rng.choice(values)), audit._plain(rng.choice(values))]
                                     for k in keys} | ({"nested": {"z": [1, {"y": None}], "a": "ä"}}
                                                       if rng.random() < 0.2 else {}))

    out = []
    for seq in range(1, n + 1):
        when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=rng.randint(0, 10**8),
                                                                     microseconds=rng.choice([0, 1, 999_999, rng.randint(0, 999_999)]))
        out.append((seq if seq > 3 else [1, 2**40, 0][seq - 1],
                    when.astimezone(rng.choice(zones)),
                    rng.choice([None, 1, 42, 2**31]),
                    rng.choice(texts[1:]),
                    rng.choice(["edit", "receive", "sign_in", "ünïcödé-action"]),
                    rng.choice(["asset", "medium", "handover_item"]),
                    rng.choice([None, 0, 7, 123456789]),
                    rng.choice([None, "CD00000011", "日本語", "quote\"d"]),
                    changes()))
    return out


def test_fast_hashed_payload_equals_the_canonical_serialisation():
    prev = "ab" * 32
    for seq, when, actor_id, actor_name, action, etype, eid, eref, changes in _varied_events(5000):
        original = prev + "\n" + audit.canonical_json(audit.hashed_fields(
            seq, when, actor_id, actor_name, action, etype, eid, eref, changes))
        fast = audit._hashed_payload(prev, seq, audit.canonical_json(audit._plain(when)), actor_id,
                                     actor_name, action, etype, eid, eref, changes)
        assert fast == original


@pytest.mark.parametrize("odd", [{"action": None}, {"actor_name": 5}, {"changes": b"{}"},
                                 {"actor_id": "7"}, {"entity_id": 1.0}, {"seq": None}])
def test_fast_hashed_payload_refuses_values_it_cannot_write_exactly(odd):
    """Such values send verify to the generic path instead of hashing different bytes."""
    fields = {"prev_hash": "ab" * 32, "seq": 1, "occurred_at_json": '"2026-01-01T00:00:00.000000+00:00"',
              "actor_id": 1, "actor_name": "Tom", "action": "edit", "entity_type": "asset",
              "entity_id": 1, "entity_ref": None, "changes": "{}"} | odd
    with pytest.raises(TypeError):
        audit._hashed_payload(**fields)


def test_varied_events_written_to_the_database_verify(session, technician):
    ctx = audit.AuditContext(technician.id, "Zoë “Tom” 日本 🧯", "bench")
    rng_events = [(action, etype, eid, eref, json.loads(changes))
                  for _s, _w, _a, _n, action, etype, eid, eref, changes in _varied_events(300)]
    for start in range(0, len(rng_events), 50):  # several flushes: several timestamps
        audit.append_events(session, ctx, rng_events[start:start + 50])
    session.commit()
    report = audit.verify_chain(session, batch=7)  # many chunks, and a chunk edge mid-flush
    assert report.ok and report.events >= 300


def test_tampering_in_a_later_chunk_is_named(session, trail):
    tamper(session, "UPDATE audit_events SET entity_ref = 'X' WHERE seq = :s", s=trail - 1)
    report = audit.verify_chain(session, batch=2)
    assert not report.ok and report.broken_seq == trail - 1
    assert "changed" in report.message()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # only PostgreSQL has session time zones
def test_chain_verifies_whatever_time_zone_the_database_session_uses(session, trail):
    session.execute(text("SET TIME ZONE 'America/St_Johns'"))
    assert audit.verify_chain(session).ok


def test_stored_times_read_for_verify_equal_what_the_orm_reads(session, trail):
    """verify reads occurred_at straight from the driver; it must hash what the ORM reads."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    times = [dt.datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=dt.UTC),
             dt.datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Brussels")),
             dt.datetime(1999, 12, 31, 23, 0, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=-9, minutes=-30))),
             dt.datetime(2038, 1, 19, 3, 14, 8, 500_000, tzinfo=ZoneInfo("Asia/Kolkata")),
             dt.datetime(9999, 12, 30, 12, 0, tzinfo=dt.UTC)]
    if session.bind.dialect.name == "postgresql":
        session.execute(text("SET TIME ZONE 'Pacific/Chatham'"))  # +13:45, never the UTC we write
    for seq, when in enumerate(times, start=1):
        session.execute(update(AuditEvent.__table__).where(AuditEvent.__table__.c.seq == seq)
                        .values(occurred_at=when))
    orm = {e.seq: audit._plain(e.occurred_at)
           for e in session.scalars(select(AuditEvent).execution_options(populate_existing=True))}
    with audit._stored_events(session, batch=2) as (rows, plain_time):
        read = {row[0]: plain_time(row[1]) for row in rows}
    assert read == orm
    assert [read[seq] for seq in range(1, len(times) + 1)] == [audit._plain(t) for t in times]


@pytest.mark.parametrize("sql", ["UPDATE audit_events SET changes = '{}' WHERE seq = 5",
                                 "UPDATE audit_events SET prev_hash = 'x' WHERE seq = 5",
                                 "DELETE FROM audit_events WHERE seq = 4"])
def test_the_broken_event_is_named_by_its_id(session, trail, sql):
    tamper(session, sql)
    report = audit.verify_chain(session)
    named = session.scalars(select(AuditEvent).where(AuditEvent.seq == 5)).one()
    assert not report.ok and report.broken_id == named.id
