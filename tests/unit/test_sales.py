"""Staff resale end to end: a round, interest, the draw, payment, handover, expiry, overrides."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sales_helpers import PHONE, ready_device, staff_members
from sqlalchemy import select

from app.models import AssetStatus, Document, DocumentKind, ItemStatus, PartyType, SaleItem
from app.services import audit, ogm, pricing, sales
from app.services.documents import issued
from app.services.errors import GuardFailed, NotFound, PermissionDenied, SignInFailed
from app.services.sales import (
    NotOffered,
    NotPaid,
    OutsideRoundDates,
    SameVerifier,
    TooEarlyToClose,
)

pytestmark = pytest.mark.calendar  # reads the calendar: `make test` runs it a year ahead too

TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def devices(session, technician, manager):
    return [ready_device(session, technician, manager, f"SN-{i}") for i in range(3)]


@pytest.fixture
def people(session, manager):
    return staff_members(session, manager, 4)


@pytest.fixture
def open_round(session, manager, devices):
    return sales.open_round(session, manager, "Najaar 2026", TODAY, TODAY, [d.id for d in devices],
                            limits={"laptop": 1}, today=TODAY)


def items(round_):
    return {i.asset.tag: i for i in round_.items}


def closed(session, manager, round_, interest: dict[int, list]):
    for index, who in interest.items():
        for person in who:
            sales.register_interest(session, manager, round_.items[index].id, person.id, today=TODAY)
    return sales.close_round(session, manager, round_.id, today=TODAY, language="en")


def test_opening_a_round_reserves_its_devices_at_the_rule_price(open_round, devices):
    assert {d.status for d in devices} == {AssetStatus.RESERVED}
    item = open_round.items[0]
    assert item.price == item.proposed_price == Decimal(92)  # 1150 × .70 × .65^(56/12) × .85 = 91.60
    assert "grade B counts 85%" in pricing.explain(item.price_rule)  # the rule stays with the price


def test_technician_cannot_open_a_round(session, technician, devices):
    with pytest.raises(PermissionDenied):
        sales.open_round(session, technician, "R", TODAY, TODAY, [devices[0].id], today=TODAY)
    assert devices[0].status == AssetStatus.READY


def test_device_that_is_not_sanitised_cannot_be_offered(session, technician, manager):
    from app.models import Category, MediumKind
    from app.services import assets
    from app.services.assets import MediumSpec

    raw = assets.register_asset(session, technician, category=Category.LAPTOP, manufacturer="HP",
                                model="ProBook", serial="NOWIPE",
                                media=[MediumSpec(MediumKind.SSD, "D1", 256)])
    with pytest.raises(NotOffered):
        sales.open_round(session, manager, "R", TODAY, TODAY, [raw.id], today=TODAY)
    assert raw.status == AssetStatus.RECEIVED and sales.rounds(session) == []


def test_interest_outside_the_round_dates_is_refused(session, manager, open_round, people):
    with pytest.raises(OutsideRoundDates):
        sales.register_interest(session, manager, open_round.items[0].id, people[0].id,
                                today=TODAY + dt.timedelta(days=1))


def test_round_cannot_be_drawn_before_its_closing_date(session, manager, devices):
    round_ = sales.open_round(session, manager, "R", TODAY, TODAY + dt.timedelta(days=7),
                              [devices[0].id], today=TODAY)
    with pytest.raises(TooEarlyToClose):
        sales.close_round(session, manager, round_.id, today=TODAY)


def test_single_candidate_gets_the_device_and_unwanted_ones_go_back_to_ready(
        session, manager, open_round, people, devices):
    closed(session, manager, open_round, {0: [people[0]]})
    first, second, third = open_round.items
    assert first.status == ItemStatus.ALLOCATED and first.buyer_id == people[0].id
    assert first.allocated_by_lottery is False and ogm.is_valid(first.ogm)
    assert first.due_on == TODAY + dt.timedelta(days=14)
    assert second.status == third.status == ItemStatus.UNSOLD
    assert [d.status for d in devices] == [AssetStatus.RESERVED, AssetStatus.READY, AssetStatus.READY]


def test_per_person_limit_holds_in_the_draw(session, manager, open_round, people):
    closed(session, manager, open_round, {0: people[:2], 1: people[:2], 2: people[:2]})
    buyers = [i.buyer_id for i in open_round.items if i.buyer_id]
    assert sorted(buyers) == sorted({p.id for p in people[:2]})  # one laptop each, one left over
    assert sum(i.status == ItemStatus.UNSOLD for i in open_round.items) == 1


def test_seed_is_recorded_in_the_audit_trail_and_the_draw_can_be_rerun(session, manager, open_round,
                                                                        people):
    closed(session, manager, open_round, {0: people, 1: people, 2: people[1:]})
    events = audit.history(session, "sale_round", open_round.id)
    recorded = [json.loads(e.changes)["seed"][1] for e in events if "seed" in json.loads(e.changes)]
    assert recorded == [open_round.seed] and len(open_round.seed) == 32
    rerun = sales.rerun_lottery(session, open_round.id)
    assert rerun.same and rerun.winners == {i.asset.tag: i.buyer_id for i in open_round.items}


def test_rerun_with_another_seed_can_differ_and_says_where(session, manager, open_round, people):
    closed(session, manager, open_round, {0: people, 1: people, 2: people})
    reruns = [sales.rerun_lottery(session, open_round.id, seed=f"{n:032x}") for n in range(1, 20)]
    assert any(not r.same and r.differences for r in reruns)


def test_allocation_report_is_issued_with_the_seed(session, manager, open_round, people):
    closed(session, manager, open_round, {0: people})
    document = session.get(Document, open_round.report_document_id)
    content = json.loads(document.content)
    assert content["seed"] == open_round.seed and len(content["devices"]) == 3
    assert issued.verify_code(session, issued.qr_payload(document.number, document.digest)).ok


def test_device_cannot_be_handed_over_unpaid(session, manager, open_round, people, devices):
    closed(session, manager, open_round, {0: [people[0]]})
    with pytest.raises(NotPaid) as refused:
        sales.hand_over(session, manager, devices[0].tag, labels_removed=True)
    assert ogm.formatted(open_round.items[0].ogm) in str(refused.value)
    assert devices[0].status == AssetStatus.RESERVED


def test_paid_device_is_sold_to_the_buyer_with_a_receipt(session, manager, technician, open_round,
                                                         people, devices):
    closed(session, manager, open_round, {0: [people[0]]})
    item = open_round.items[0]
    sales.register_payment(session, manager, item.id, "transfer")
    sales.hand_over(session, technician, devices[0].tag, labels_removed=True, language="en")
    assert devices[0].status == AssetStatus.SOLD and item.status == ItemStatus.SOLD
    assert devices[0].recipient.type == PartyType.STAFF
    assert devices[0].recipient.name.startswith("STAFF-")  # the asset names no person
    receipt = session.get(Document, item.receipt_document_id)
    assert receipt.kind == DocumentKind.SALE_RECEIPT and receipt.number.startswith("SR-")
    check = issued.verify_code(session, issued.qr_payload(receipt.number, receipt.digest))
    assert check.ok and check.covered[0]["tag"] == devices[0].tag


def test_handover_needs_the_labels_removed(session, manager, open_round, people, devices):
    closed(session, manager, open_round, {0: [people[0]]})
    sales.register_payment(session, manager, open_round.items[0].id, "card")
    with pytest.raises(GuardFailed):
        sales.hand_over(session, manager, devices[0].tag, labels_removed=False)
    assert devices[0].status == AssetStatus.RESERVED
    assert session.scalar(select(Document).where(Document.kind == DocumentKind.SALE_RECEIPT)) is None


def test_payment_is_found_by_its_structured_communication(session, manager, open_round, people):
    closed(session, manager, open_round, {0: [people[0]]})
    item = open_round.items[0]
    assert sales.find_by_ogm(session, ogm.formatted(item.ogm)).id == item.id
    with pytest.raises(NotFound):
        sales.find_by_ogm(session, "+++000/0000/00097+++")


def test_unpaid_sale_expires_and_the_device_returns_to_ready(session, manager, open_round, people,
                                                             devices):
    closed(session, manager, open_round, {0: [people[0]], 1: [people[1]]})
    sales.register_payment(session, manager, open_round.items[1].id, "card")
    assert sales.expire_unpaid(session, manager, today=TODAY + dt.timedelta(days=14)) == []
    expired = sales.expire_unpaid(session, manager, today=TODAY + dt.timedelta(days=15))
    assert [i.id for i in expired] == [open_round.items[0].id]
    assert open_round.items[0].status == ItemStatus.EXPIRED
    assert devices[0].status == AssetStatus.READY and devices[1].status == AssetStatus.RESERVED


def test_price_override_needs_a_second_manager(session, admin, manager, open_round):
    from app.services import auth

    auth.add_user(session, admin, "karel", "Karel Keur", "manager", "second-pass-1")
    item = open_round.items[0]
    with pytest.raises(SameVerifier):
        sales.override_price(session, manager, item.id, "80", "scratch on the lid", "mia", "mgr-pass-1")
    with pytest.raises(SignInFailed):
        sales.override_price(session, manager, item.id, "80", "scratch on the lid", "karel", "wrong-pass")
    assert item.price == Decimal(92)
    sales.override_price(session, manager, item.id, "80,00", "scratch on the lid", "karel",
                         "second-pass-1")
    assert item.price == Decimal(80) and item.proposed_price == Decimal(92)
    event = audit.history(session, "sale_item", item.id)[-1]
    assert event.action == "override_sale_price"
    assert json.loads(event.changes)["override_reason"] == [None, "scratch on the lid"]


def test_technician_as_second_person_cannot_confirm_an_override(session, manager, technician,
                                                                open_round):
    with pytest.raises(PermissionDenied):
        sales.override_price(session, manager, open_round.items[0].id, "80", "scratch on the lid",
                             "tom", "tech-pass-1")


def test_staff_names_never_enter_the_audit_trail(session, manager, people):
    events = audit.history(session, "staff_member", people[0].id)
    assert "Collega0" not in events[0].changes and "P10000" not in events[0].changes
    assert json.loads(events[0].changes)["full_name"] == [None, "•••"]


def test_round_of_20_devices_and_30_staff_members_end_to_end(session, technician, manager):
    devices = [ready_device(session, technician, manager, f"L-{i}") for i in range(12)]
    devices += [ready_device(session, technician, manager, f"F-{i}", kind=PHONE, cost="580")
                for i in range(8)]
    people = staff_members(session, manager, 30)
    round_ = sales.open_round(session, manager, "Voorjaar", TODAY, TODAY, [d.id for d in devices],
                              limits={"laptop": 1, "smartphone": 1}, today=TODAY)
    import random

    rng = random.Random(3)
    for person in people:
        for item in rng.sample(round_.items, 3):
            sales.register_interest(session, technician, item.id, person.id, today=TODAY)
    sales.close_round(session, manager, round_.id, today=TODAY)
    allocated = [i for i in round_.items if i.status == ItemStatus.ALLOCATED]
    per_person: dict[tuple, int] = {}
    for i in allocated:
        key = (i.buyer_id, i.asset.category)
        per_person[key] = per_person.get(key, 0) + 1
    assert allocated and max(per_person.values()) == 1
    assert sales.rerun_lottery(session, round_.id).same
    for item in allocated:
        sales.register_payment(session, manager, item.id, "transfer")
        sales.hand_over(session, technician, item.asset.tag, labels_removed=True)
    assert all(i.asset.status == AssetStatus.SOLD for i in allocated)
    assert session.query(SaleItem).filter_by(status=ItemStatus.SOLD).count() == len(allocated)
    assert audit.verify_chain(session).ok


def test_desk_looks_a_colleague_up_but_cannot_browse_staff(session, technician, people):
    from app.services import staff

    assert [r.staff_number for r in staff.look_up(session, technician, "P10002")] == ["P10002"]
    assert staff.look_up(session, technician, "P1") == []
    with pytest.raises(PermissionDenied):
        staff.find_staff(session, technician, "")


def test_technician_sees_buyers_by_pseudonym_only(session, manager, technician, open_round, people):
    closed(session, manager, open_round, {0: [people[0]]})
    shown = sales.item_rows(session, technician, open_round.id)[0].buyer
    assert shown.startswith("STAFF-") and "Collega" not in shown
    assert sales.item_rows(session, manager, open_round.id)[0].buyer == "Collega0 Achternaam0 (P10000)"


def test_every_sales_model_is_recorded_in_the_audit_trail(session, manager, open_round, people):
    closed(session, manager, open_round, {0: [people[0]]})
    recorded = {e.entity_type for e in session.query(audit.AuditEvent)}
    assert {"staff_member", "sale_round", "sale_item", "sale_interest"} <= recorded
