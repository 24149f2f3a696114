"""The intake desk's service: lots, what a scan means, receiving, undo, closing with a receipt."""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from bench_helpers import pass_bench
from sqlalchemy import func, select

from app.models import Asset, AssetStatus, Category, Document, PartyType
from app.services import audit, intake, lifecycle, parties
from app.services.codes import Command
from app.services.documents import issued
from app.services.errors import ValidationError


@pytest.fixture
def service(session, manager):
    return parties.create_party(session, manager, PartyType.SERVICE, name="Dienst Mobiliteit")


@pytest.fixture
def lot(session, technician, service):
    return intake.open_lot(session, technician, service.id, delivered_by="Jan Koerier")


def scan_in(session, technician, lot, serial, **form_changes):
    result = intake.interpret_scan(session, lot.id, serial)
    assert result.outcome == intake.Outcome.NEW_DEVICE, result
    for key, value in form_changes.items():
        setattr(result.form, key, value)
    return intake.receive(session, technician, lot.id, result.form)


def test_lot_numbers_are_unique_and_ordered(session, technician, service):
    first = intake.open_lot(session, technician, service.id)
    second = intake.open_lot(session, technician, service.id)
    assert first.number < second.number
    assert first.received_by_id == technician.id


def test_a_lot_comes_from_a_provincial_service(session, technician, manager):
    school = parties.create_party(session, manager, PartyType.SCHOOL, name="School", street="s",
                                  postcode="9000", city="Gent")
    with pytest.raises(ValidationError, match="provincial service"):
        intake.open_lot(session, technician, school.id)


def test_unknown_serial_offers_a_prefilled_form_and_creates_a_received_device(session, technician, lot):
    result = intake.interpret_scan(session, lot.id, " 5cg1234xyz\r")
    assert result.outcome == intake.Outcome.NEW_DEVICE
    assert result.form.serial == "5CG1234XYZ"
    result.form.manufacturer, result.form.model = "HP", "EliteBook 840 G8"
    asset = intake.receive(session, technician, lot.id, result.form)
    assert asset.status == AssetStatus.RECEIVED
    assert asset.intake_lot_id == lot.id and asset.origin_service_id == lot.origin_service_id
    assert asset.serial_normalised == "5CG1234XYZ"


def test_the_next_form_repeats_the_last_device_of_the_lot(session, technician, lot):
    scan_in(session, technician, lot, "SN-1", manufacturer="Dell", model="Latitude 5420",
            category=Category.LAPTOP, ram_gb=16)
    form = intake.interpret_scan(session, lot.id, "SN-2").form
    assert (form.manufacturer, form.model, form.ram_gb) == ("Dell", "Latitude 5420", 16)
    assert form.serial == "SN-2"


def test_catalogue_fills_specs_for_a_known_model():
    form = intake.form_for_category("X1", Category.LAPTOP, "lenovo", "thinkpad t14 gen 2")
    assert form.ram_gb == 16 and form.cpu.startswith("AMD")
    assert form.data_bearing and len(form.media) == 1


def test_a_monitor_has_no_media_by_default():
    form = intake.form_for_category("M1", Category.MONITOR)
    assert form.media == [] and not form.data_bearing


def test_scanning_the_same_serial_twice_in_a_lot_warns_and_adds_nothing(session, technician, lot):
    scan_in(session, technician, lot, "SN-1", manufacturer="Dell", model="Latitude 5420")
    result = intake.interpret_scan(session, lot.id, "sn-1")
    assert result.outcome == intake.Outcome.DUPLICATE_IN_LOT and not result.good
    assert session.scalar(select(func.count()).select_from(Asset)) == 1


def test_a_device_back_after_its_second_life_is_offered_for_take_back(session, technician, manager, lot,
                                                                     service):
    school = parties.create_party(session, manager, PartyType.SCHOOL, name="School", street="s",
                                  postcode="9000", city="Gent")
    asset = scan_in(session, technician, lot, "BACK-1", manufacturer="HP", model="ProBook 450 G7",
                    category=Category.LAPTOP)
    pass_bench(session, technician, manager, asset.id)
    lifecycle.apply(session, manager, asset.id, "reserve", purpose="handover")
    lifecycle.apply(session, manager, asset.id, "transfer", recipient=school, labels_removed=True)
    intake.close_lot(session, technician, lot.id)
    new_lot = intake.open_lot(session, technician, service.id)
    result = intake.interpret_scan(session, new_lot.id, "BACK-1")
    assert result.outcome == intake.Outcome.RETURNED_DEVICE and result.asset.id == asset.id
    intake.take_back(session, technician, new_lot.id, asset.id)
    session.expire_all()
    back = session.get(Asset, asset.id)
    assert back.status == AssetStatus.AWAITING_DISPOSAL and back.intake_lot_id == new_lot.id


def test_a_known_tag_opens_the_device(session, technician, lot, service):
    asset = scan_in(session, technician, lot, "SN-9", manufacturer="Dell", model="P2419H",
                    category=Category.MONITOR)
    other = intake.open_lot(session, technician, service.id)
    result = intake.interpret_scan(session, other.id, asset.tag)
    assert result.outcome == intake.Outcome.KNOWN_DEVICE and result.asset.id == asset.id


@pytest.mark.parametrize("raw,fragment", [
    ("", "Not a serial"),
    ("CD00000014", "check digit"),
    ("X" * 81, "Too long"),
    ("CMD-FOO", "Not a serial"),
])
def test_bad_scans_are_refused_with_a_reason_and_change_nothing(session, lot, raw, fragment):
    before = audit.event_count(session)
    result = intake.interpret_scan(session, lot.id, raw)
    assert result.outcome == intake.Outcome.REFUSED and not result.good
    assert fragment in result.message
    assert audit.event_count(session) == before


def test_an_over_long_serial_is_refused_never_truncated(session, technician, lot):
    form = intake.form_for_category("Y" * 81, Category.OTHER, "Acme", "Box")
    with pytest.raises(ValidationError, match="Too long"):
        intake.receive(session, technician, lot.id, form)
    assert session.scalar(select(func.count()).select_from(Asset)) == 0


def test_command_barcodes_are_recognised(session, lot):
    assert intake.interpret_scan(session, lot.id, "CMD-UNDO_LAST").command == Command.UNDO_LAST


def test_undo_last_removes_only_the_newest_untouched_device(session, technician, lot):
    first = scan_in(session, technician, lot, "SN-1", manufacturer="Dell", model="Latitude 5420")
    second = scan_in(session, technician, lot, "SN-2", manufacturer="Dell", model="Latitude 5420")
    assert intake.undo_last(session, technician, lot.id) == second.tag
    remaining = intake.lot_assets(session, lot.id)
    assert [a.id for a in remaining] == [first.id]
    assert audit.verify_chain(session).ok
    lifecycle.apply(session, technician, first.id, "start_checks")
    with pytest.raises(intake.UndoTooLate):
        intake.undo_last(session, technician, lot.id)


def test_lot_counts_by_category(session, technician, lot):
    scan_in(session, technician, lot, "L1", manufacturer="Dell", model="Latitude 5420")
    scan_in(session, technician, lot, "L2", manufacturer="Dell", model="Latitude 5420")
    scan_in(session, technician, lot, "M1", manufacturer="Dell", model="P2419H", category=Category.MONITOR)
    assert intake.lot_counts(session, lot.id) == {Category.LAPTOP: 2, Category.MONITOR: 1}


def test_closing_a_lot_issues_a_stored_receipt_listing_every_device(session, technician, lot, tmp_path):
    devices = [scan_in(session, technician, lot, f"SN-{i}", manufacturer="HP",
                       model="EliteBook <840> & G8") for i in range(3)]
    document = intake.close_lot(session, technician, lot.id, language="en")
    assert document.number.startswith("IR-")
    assert document.sha256 == hashlib.sha256(document.pdf).hexdigest()
    assert {a.id for a in document.assets} == {d.id for d in devices}
    assert issued.verify(session, document.number, document.pdf)
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(document.pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for d in devices:
        assert d.tag in text and d.serial in text
    assert "EliteBook <840> & G8" in text  # escaped, printed as written
    assert "Jan Koerier" in text and "Tom Technieker" in text and lot.number in text


def test_a_closed_lot_takes_no_more_devices(session, technician, lot):
    scan_in(session, technician, lot, "SN-1", manufacturer="Dell", model="Latitude 5420")
    intake.close_lot(session, technician, lot.id)
    form = intake.form_for_category("SN-2", Category.LAPTOP, "Dell", "Latitude 5420")
    with pytest.raises(intake.LotClosed):
        intake.receive(session, technician, lot.id, form)


def test_an_empty_lot_cannot_be_closed(session, technician, lot):
    with pytest.raises(intake.EmptyLot):
        intake.close_lot(session, technician, lot.id)
    assert session.scalar(select(func.count()).select_from(Document)) == 0
