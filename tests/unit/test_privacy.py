"""Privacy purge: personal data pseudonymised after the retention period, the audit chain intact."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sales_helpers import ready_device, staff_members

from app import clock
from app.models import AuditEvent, Party, PartyType, StaffMember
from app.services import audit, parties, privacy, sales
from app.services.errors import PermissionDenied

pytestmark = pytest.mark.calendar  # reads the calendar: `make test` runs it a year ahead too

TODAY = dt.date(2026, 11, 29)
LATER = clock.now() + dt.timedelta(days=3 * 365)  # past a two-year retention


@pytest.fixture
def sold(session, technician, manager):
    """A round in which staff member 0 bought a device and staff member 1 only showed interest."""
    device = ready_device(session, technician, manager, "SN-1")
    people = staff_members(session, manager, 3)
    round_ = sales.open_round(session, manager, "R", TODAY, TODAY, [device.id], today=TODAY)
    sales.register_interest(session, manager, round_.items[0].id, people[0].id, today=TODAY)
    sales.close_round(session, manager, round_.id, today=TODAY)
    sales.register_payment(session, manager, round_.items[0].id, "card")
    sales.hand_over(session, manager, device.tag, labels_removed=True)
    return round_.items[0], people


@pytest.fixture
def school(session, manager):
    return parties.create_party(session, manager, PartyType.SCHOOL, name="Basisschool De Regenboog",
                                street="Kerkstraat 12", postcode="9000", city="Gent",
                                contact_name="Els Janssens", email="els@regenboog.example",
                                phone="09 123 45 67")


def test_dry_run_lists_what_is_old_enough_and_changes_nothing(session, manager, sold, school):
    _item, people = sold
    before = audit.event_count(session)
    plan = privacy.plan(session, manager, now=LATER)
    assert {c.id for c in plan.staff} == {p.id for p in people}
    assert [c.id for c in plan.contacts] == [school.id]
    assert audit.event_count(session) == before and people[0].full_name == "Collega0 Achternaam0"


def test_nothing_is_purged_within_the_retention_period(session, manager, sold, school):
    assert privacy.plan(session, manager).total == 0


def test_purge_pseudonymises_staff_and_keeps_the_sale_and_the_chain(session, manager, sold):
    item, people = sold
    privacy.purge(session, manager, now=LATER)
    buyer = session.get(StaffMember, people[0].id)
    assert buyer.full_name == buyer.party.name and buyer.full_name.startswith("STAFF-")
    assert buyer.staff_number is None and buyer.email is None and buyer.pseudonymised_at
    assert item.status.value == "sold" and item.price == Decimal(92) and item.buyer_id == buyer.id
    assert audit.verify_chain(session).ok


def test_purge_events_say_what_was_overwritten_but_not_the_old_values(session, manager, sold, school):
    privacy.purge(session, manager, now=LATER)
    events = session.query(AuditEvent).filter_by(action="privacy_purge").all()
    text = " ".join(e.changes for e in events)
    assert events and "Collega" not in text and "Els Janssens" not in text and "regenboog" not in text
    assert json.loads(next(e.changes for e in events if e.entity_type == "party"))["contact_name"] == \
        ["•••", None]


def test_recent_activity_keeps_a_staff_member(session, manager, sold):
    _item, people = sold
    plan = privacy.plan(session, manager, retention=30, now=clock.now()
                        + dt.timedelta(days=10))
    assert plan.total == 0 and all(p.pseudonymised_at is None for p in people)


def test_buyer_of_a_sale_still_running_is_kept(session, technician, manager):
    device = ready_device(session, technician, manager, "SN-2")
    [person] = staff_members(session, manager, 1)
    round_ = sales.open_round(session, manager, "R", TODAY, TODAY, [device.id], today=TODAY)
    sales.register_interest(session, manager, round_.items[0].id, person.id, today=TODAY)
    sales.close_round(session, manager, round_.id, today=TODAY)  # allocated, not paid
    assert privacy.plan(session, manager, now=LATER).staff == []


def test_recipient_contact_person_is_cleared_but_the_school_stays(session, manager, school):
    privacy.purge(session, manager, now=LATER)
    party = session.get(Party, school.id)
    assert party.name == "Basisschool De Regenboog" and party.city == "Gent"
    assert party.contact_name is party.email is party.phone is None
    assert audit.verify_chain(session).ok


def test_older_staff_party_with_a_name_gets_a_pseudonym(session, manager):
    legacy = parties.create_party(session, manager, PartyType.STAFF, name="An Peeters",
                                  staff_number="P1", email="an.peeters@provincie.example")
    privacy.purge(session, manager, now=LATER)
    assert legacy.name == f"STAFF-P{legacy.id:05d}" and legacy.staff_number is None
    assert privacy.plan(session, manager, now=LATER).total == 0  # done once
    assert audit.verify_chain(session).ok


def test_purge_twice_changes_nothing_the_second_time(session, manager, sold, school):
    privacy.purge(session, manager, now=LATER)
    count = audit.event_count(session)
    assert privacy.purge(session, manager, now=LATER).total == 0
    assert audit.event_count(session) == count


def test_technician_cannot_purge(session, technician):
    with pytest.raises(PermissionDenied):
        privacy.purge(session, technician, now=LATER)


def test_retention_comes_from_the_settings():
    from app.config import Settings

    assert privacy.retention_days(Settings()) == 730
    assert privacy.retention_days(Settings(extra={"privacy_retention_days": 365})) == 365
