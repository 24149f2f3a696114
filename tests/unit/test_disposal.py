"""Disposal batches: certified processors only, awaiting-disposal devices only, data recorded,
weighed at pick-up, and a close that is all or nothing and countersigned by a second manager."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.models import (
    Asset,
    AssetStatus,
    Category,
    DisposalStatus,
    Document,
    MediumKind,
    Role,
)
from app.services import auth, disposal, lifecycle, processors, refurbishment, sanitisation
from app.services.assets import MediumSpec, register_asset
from app.services.documents import issued
from app.services.errors import PermissionDenied
from app.services.uow import unit_of_work

pytestmark = pytest.mark.calendar  # reads the calendar: `make test` runs it a year ahead too

TODAY = processors.today()


@pytest.fixture
def second_manager(session, admin):
    return auth.add_user(session, admin, "max", "Max Tweede", Role.MANAGER, "mgr-pass-2")


@pytest.fixture
def processor(session, manager):
    party = processors.create_processor(
        session, manager, name="Galloo Recycling", enterprise_number="BE 0403.170.701",
        registration_number="OVAM 2019/123", street="Wervikstraat 1", postcode="8930",
        city="Menen", contact_name="An Peeters", phone="056 11 22 33")
    processors.add_certification(session, manager, party.id, "weeelabex",
                                 TODAY + dt.timedelta(days=200), certificate_number="WLX-0042")
    return party


@pytest.fixture
def carrier(session, manager):
    return processors.create_carrier(session, manager, name="Transport Claes",
                                     enterprise_number="0202.239.951",
                                     registration_number="OVAM-IHM 55.321")


def awaiting(session, technician, serial, category=Category.MONITOR, wiped=True, manager=None,
             **fields) -> Asset:
    media = ([MediumSpec(MediumKind.SSD, f"M-{serial}", 256)]
             if category in (Category.LAPTOP, Category.DESKTOP) else [])
    asset = register_asset(session, technician, category=category, manufacturer="Dell",
                           model="P2419H" if category == Category.MONITOR else "Latitude 5420",
                           serial=serial, media=media, **fields)
    if wiped and media:
        medium = sanitisation.media_statuses(session, asset)[0].medium
        sanitisation.record(session, technician, medium.id, method="destroy", technique="shred")
    refurbishment.start(session, technician, asset.id)
    lifecycle.apply(session, technician, asset.id, "fail_checks")
    return session.get(Asset, asset.id)


@pytest.fixture
def batch(session, manager, processor, carrier):
    return disposal.open_batch(session, manager, processor.id, carrier.id)


def test_a_batch_is_numbered_like_every_other_document_of_the_warehouse(batch):
    import re

    assert re.fullmatch(r"DB-\d{4}-\d{5}", batch.number), batch.number  # as IL-, RQ-, HB-…


def test_enterprise_number_with_a_wrong_check_digit_is_refused(session, manager):
    with pytest.raises(processors.InvalidEnterpriseNumber):
        processors.create_processor(session, manager, name="X", enterprise_number="0403.170.702",
                                    registration_number="R", street="s", postcode="1", city="c")


def test_enterprise_number_is_stored_in_the_kbo_format(processor):
    assert processor.enterprise_number == "0403.170.701"


def test_expired_certification_refuses_a_new_batch(session, manager, processor):
    other = processors.create_processor(
        session, manager, name="Oud Recycling", enterprise_number="0202.239.951",
        registration_number="P-1", street="Kaai 2", postcode="2000", city="Antwerpen")
    processors.add_certification(session, manager, other.id, "r2", TODAY - dt.timedelta(days=1))
    with pytest.raises(processors.CertificationExpired) as err:
        disposal.open_batch(session, manager, other.id)
    assert "expired on" in str(err.value) and "Oud Recycling" in str(err.value)
    assert disposal.batches(session) == []


def test_processor_without_certification_is_refused(session, manager):
    other = processors.create_processor(
        session, manager, name="Zonder Cert", enterprise_number="0202.239.951",
        registration_number="P-1", street="Kaai 2", postcode="2000", city="Antwerpen")
    with pytest.raises(processors.ProcessorNotCertified):
        disposal.open_batch(session, manager, other.id)


def test_a_carrier_cannot_be_the_processor(session, manager, carrier):
    with pytest.raises(processors.NotAProcessor):
        disposal.open_batch(session, manager, carrier.id)


def test_technician_cannot_open_a_batch(session, technician, processor):
    with pytest.raises(PermissionDenied):
        disposal.open_batch(session, technician, processor.id)


def test_scanned_device_gets_weee_category_eural_code_and_default_weight(session, technician, batch):
    asset = awaiting(session, technician, "MON1")
    item = disposal.add_device(session, technician, batch.id, asset.tag)
    assert (item.weee_category, item.eural_code, item.weight_kg) == (2, "20 01 35*", Decimal("5.20"))


def test_device_own_weight_wins_over_the_category_default(session, technician, batch):
    asset = awaiting(session, technician, "MON2", weight_kg=Decimal("4.10"))
    assert disposal.add_device(session, technician, batch.id, asset.tag).weight_kg == Decimal("4.10")


def test_weee_category_and_weight_can_be_overridden(session, technician, batch):
    asset = awaiting(session, technician, "MON3")
    item = disposal.add_device(session, technician, batch.id, "MON3", weee_category=4,
                               weight_kg="7,5")
    assert (item.weee_category, item.weight_kg, item.asset_id) == (4, Decimal("7.50"), asset.id)
    disposal.change_item(session, technician, item.id, weee_category=6, weight_kg="3")
    assert (item.weee_category, item.weight_kg) == (6, Decimal("3.00"))


def test_device_not_awaiting_disposal_is_refused_with_its_status(session, technician, batch):
    asset = register_asset(session, technician, category=Category.MONITOR, manufacturer="Dell",
                           model="P2419H", serial="READY1")
    with pytest.raises(disposal.NotAwaitingDisposal) as err:
        disposal.add_device(session, technician, batch.id, asset.tag)
    assert asset.tag in str(err.value) and "received" in str(err.value)
    assert batch.items == []


def test_device_cannot_be_in_two_batches(session, manager, technician, processor, batch):
    asset = awaiting(session, technician, "MON4")
    disposal.add_device(session, technician, batch.id, asset.tag)
    second = disposal.open_batch(session, manager, processor.id)
    with pytest.raises(disposal.AlreadyInBatch) as err:
        disposal.add_device(session, technician, second.id, asset.tag)
    assert batch.number in str(err.value)


def test_weight_check_shows_the_difference_per_category(session, technician, batch):
    for serial in ("W1", "W2"):
        disposal.add_device(session, technician, batch.id, awaiting(session, technician, serial).tag)
    disposal.record_weighing(session, technician, batch.id, 2, "11.00")
    [line] = disposal.weight_check(batch)
    assert (line.items, line.device_kg, line.weighed_kg, line.difference_kg) == (
        2, Decimal("10.40"), Decimal("11.00"), Decimal("0.60"))


def test_a_category_the_batch_does_not_hold_cannot_be_weighed(session, technician, batch):
    disposal.add_device(session, technician, batch.id, awaiting(session, technician, "W3").tag)
    with pytest.raises(disposal.NothingToWeigh) as err:
        disposal.record_weighing(session, technician, batch.id, 1, "2.2")
    assert batch.number in str(err.value) and "category 1" in str(err.value)
    assert batch.weighings == []


def close(session, manager, second_manager, batch):
    return disposal.close_batch(session, manager, batch.id, second_manager, language="en")


def test_close_refused_while_a_data_bearing_device_has_no_record(session, technician, manager,
                                                                 second_manager, batch):
    bad = awaiting(session, technician, "LAP1", Category.LAPTOP, wiped=False)
    good = awaiting(session, technician, "LAP2", Category.LAPTOP)
    for a in (bad, good):
        disposal.add_device(session, technician, batch.id, a.tag)
    disposal.record_weighing(session, technician, batch.id, 2, "3.2")
    with pytest.raises(disposal.DataNotRecorded) as err:
        close(session, manager, second_manager, batch)
    assert bad.tag in str(err.value) and good.tag not in str(err.value)
    assert session.get(Asset, good.id).status == AssetStatus.AWAITING_DISPOSAL


def test_close_refused_until_every_category_is_weighed(session, technician, manager,
                                                      second_manager, batch):
    disposal.add_device(session, technician, batch.id, awaiting(session, technician, "M7").tag)
    with pytest.raises(disposal.WeighingMissing):
        close(session, manager, second_manager, batch)


def test_close_needs_a_second_manager(session, technician, manager, batch):
    disposal.add_device(session, technician, batch.id, awaiting(session, technician, "M8").tag)
    disposal.record_weighing(session, technician, batch.id, 2, "5")
    with pytest.raises(disposal.CountersignRequired):
        disposal.close_batch(session, manager, batch.id, manager)
    with pytest.raises(disposal.CountersignRequired):
        disposal.close_batch(session, manager, batch.id, technician)
    assert batch.status == DisposalStatus.OPEN


def test_close_with_a_wrong_password_of_the_second_manager_is_refused(
        session, technician, manager, second_manager, batch):
    disposal.add_device(session, technician, batch.id, awaiting(session, technician, "M9").tag)
    disposal.record_weighing(session, technician, batch.id, 2, "5")
    with pytest.raises(Exception, match="wrong password"):
        disposal.close_batch_signed(session, manager, batch.id, "max", "not-it")
    assert batch.status == DisposalStatus.OPEN


def test_close_disposes_every_device_and_issues_the_certificate(session, technician, manager,
                                                               second_manager, batch):
    assets = [awaiting(session, technician, f"C{i}") for i in range(3)]
    assets.append(awaiting(session, technician, "CL", Category.LAPTOP))
    for a in assets:
        disposal.add_device(session, technician, batch.id, a.tag)
    disposal.record_weighing(session, technician, batch.id, 2, "17.5")
    document = disposal.close_batch_signed(session, manager, batch.id, "max", "mgr-pass-2",
                                           language="en")
    assert all(session.get(Asset, a.id).status == AssetStatus.DISPOSED for a in assets)
    assert batch.status == DisposalStatus.CLOSED and batch.certificate_id == document.id
    assert (batch.closed_by_id, batch.countersigned_by_id) == (manager.id, second_manager.id)
    assert document.number.startswith("EOL-")
    result = issued.verify_code(session, issued.qr_payload(document.number, document.digest))
    assert result.ok and {d["tag"] for d in result.covered} == {a.tag for a in assets}
    laptop = next(d for d in result.covered if d["category"] == "laptop")
    assert laptop["data_status"] == "destroyed"


def test_a_failure_half_way_through_the_close_changes_nothing(session, technician, manager,
                                                             second_manager, batch, monkeypatch):
    assets = [awaiting(session, technician, f"F{i}") for i in range(3)]
    for a in assets:
        disposal.add_device(session, technician, batch.id, a.tag)
    disposal.record_weighing(session, technician, batch.id, 2, "15.6")
    real_enter, calls = lifecycle.enter, []

    def enter_then_fail(session_, asset, name, actor, ctx=None):
        calls.append(asset.tag)
        if len(calls) == 2:
            raise RuntimeError("the power went out")
        return real_enter(session_, asset, name, actor, ctx)

    monkeypatch.setattr(lifecycle, "enter", enter_then_fail)
    with pytest.raises(RuntimeError):
        close(session, manager, second_manager, batch)
    session.expire_all()
    assert [session.get(Asset, a.id).status for a in assets] == [AssetStatus.AWAITING_DISPOSAL] * 3
    assert disposal.get_batch(session, batch.id).status == DisposalStatus.OPEN
    assert session.scalar(select(func.count()).select_from(Document)) == 0
    monkeypatch.setattr(lifecycle, "enter", real_enter)
    close(session, manager, second_manager, batch)  # and it can be closed afterwards
    assert session.get(Asset, assets[0].id).status == AssetStatus.DISPOSED


def test_expired_certification_also_stops_the_close(session, technician, manager, second_manager,
                                                    batch, processor):
    disposal.add_device(session, technician, batch.id, awaiting(session, technician, "E1").tag)
    disposal.record_weighing(session, technician, batch.id, 2, "5")
    [cert] = processors.certifications(session, processor.id)
    with unit_of_work(session, manager, "certificate lapsed", permission="party.manage"):
        cert.valid_until = TODAY - dt.timedelta(days=1)  # expired while the batch was open
    with pytest.raises(processors.CertificationExpired):
        close(session, manager, second_manager, batch)


def test_device_returned_after_its_second_life_joins_the_flow(session, technician, manager,
                                                             second_manager, batch):
    from bench_helpers import pass_bench

    from app.services import parties

    asset = register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                           model="Latitude 5420", serial="BACK1",
                           media=[MediumSpec(MediumKind.NVME, "N-BACK1", 256)])
    pass_bench(session, technician, manager, asset.id)
    school = parties.create_party(session, manager, "school", name="De Regenboog",
                                  street="Kerkstraat 12", postcode="9000", city="Gent")
    lifecycle.apply(session, manager, asset.id, "reserve", purpose="handover")
    lifecycle.apply(session, manager, asset.id, "transfer", recipient=school, labels_removed=True)
    lifecycle.apply(session, technician, asset.id, "return_after_second_life")
    assert disposal.add_device(session, technician, batch.id, "BACK1").asset_id == asset.id
    disposal.record_weighing(session, technician, batch.id, 2, "1.6")
    # the school's data is on it now: the wipe from before its second life no longer counts
    with pytest.raises(disposal.DataNotRecorded, match=asset.tag):
        close(session, manager, second_manager, batch)
    assert session.get(Asset, asset.id).status == AssetStatus.AWAITING_DISPOSAL
    medium = session.get(Asset, asset.id).media[0]
    sanitisation.record(session, technician, medium.id, method="destroy", technique="shred",
                        tool="HSM Powerline", verification_method="visual")
    document = close(session, manager, second_manager, batch)
    assert session.get(Asset, asset.id).status == AssetStatus.DISPOSED
    assert issued.verify_code(session, document.number).covered[0]["data_status"] == "destroyed"


def test_processor_certificate_is_stored_with_its_sha256(session, technician, manager,
                                                        second_manager, batch):
    disposal.add_device(session, technician, batch.id, awaiting(session, technician, "P1").tag)
    disposal.record_weighing(session, technician, batch.id, 2, "5")
    close(session, manager, second_manager, batch)
    assert disposal.waiting_for_processor_certificate(session) == [batch]
    pdf = b"%PDF-1.4 processor certificate of destruction"
    with pytest.raises(disposal.NotAPdf):
        disposal.attach_processor_certificate(session, manager, batch.id, b"GIF89a", "x.gif")
    attached = disposal.attach_processor_certificate(session, manager, batch.id, pdf,
                                                     "/tmp/galloo-2026-118.pdf", "GAL-118")
    assert attached.sha256 == hashlib.sha256(pdf).hexdigest()
    assert attached.filename == "galloo-2026-118.pdf"
    assert disposal.waiting_for_processor_certificate(session) == []
    with pytest.raises(disposal.CertificateAlreadyAttached):
        disposal.attach_processor_certificate(session, manager, batch.id, pdf, "again.pdf")


def test_every_disposal_record_is_in_the_audit_trail(session, technician, manager, second_manager,
                                                     batch):
    from app.models import AuditEvent

    disposal.add_device(session, technician, batch.id, awaiting(session, technician, "A1").tag)
    disposal.record_weighing(session, technician, batch.id, 2, "5")
    close(session, manager, second_manager, batch)
    disposal.attach_processor_certificate(session, manager, batch.id, b"%PDF-1.4 x", "x.pdf")
    recorded = set(session.scalars(select(AuditEvent.entity_type).distinct()))
    assert {"certification", "disposal_batch", "disposal_item", "disposal_weighing",
            "processor_certificate"} <= recorded
    closing = session.scalars(select(AuditEvent).where(AuditEvent.action == "close_disposal_batch")).all()
    assert {e.entity_type for e in closing} >= {"asset", "disposal_batch", "document"}
