"""Second life: requests, matching proposals, reservation, the desk, all-or-nothing completion."""

from __future__ import annotations

import json

import pytest
from handover_helpers import (
    internal_service,
    laptops_request,
    ready_device,
    reserve_all_proposals,
    school,
)
from sqlalchemy import func, select

from app.models import (
    Asset,
    AssetStatus,
    BatchStatus,
    Category,
    Counter,
    Document,
    DocumentKind,
    Grade,
    HandoverBatch,
    RequestStatus,
)
from app.services import audit, handover_requests, handovers, intake, lifecycle, parties
from app.services.documents import issued
from app.services.errors import GuardFailed, PermissionDenied

S = AssetStatus


@pytest.fixture
def recipient(session, manager):
    return school(session, manager)


def status_of(session, asset_id: int) -> AssetStatus:
    session.expire_all()
    return session.get(Asset, asset_id).status


# --- matching -----------------------------------------------------------------------------------

def test_proposals_take_the_oldest_ready_devices_first(session, technician, manager, recipient):
    devices = [ready_device(session, technician, manager, f"OLD-{i}") for i in range(4)]
    request = laptops_request(session, manager, recipient, quantity=2)
    proposed = [p.tag for p in handover_requests.propose(session, request.id)]
    assert proposed == [devices[0].tag, devices[1].tag]


def test_proposals_respect_minimum_grade(session, technician, manager, recipient):
    worn = ready_device(session, technician, manager, "WORN", grade=Grade.D)
    good = ready_device(session, technician, manager, "GOOD", grade=Grade.A)
    request = laptops_request(session, manager, recipient, quantity=2, min_grade=Grade.B)
    assert [p.tag for p in handover_requests.propose(session, request.id)] == [good.tag]
    assert worn.tag not in [p.tag for p in handover_requests.propose(session, request.id)]


def test_proposals_respect_minimum_ram_and_storage(session, technician, manager, recipient):
    ready_device(session, technician, manager, "SMALL-RAM", ram_gb=4, storage_gb=512)
    ready_device(session, technician, manager, "SMALL-DISK", ram_gb=16, storage_gb=128)
    fits = ready_device(session, technician, manager, "FITS", ram_gb=16, storage_gb=512)
    request = laptops_request(session, manager, recipient, quantity=3, min_ram_gb=8,
                              min_storage_gb=256)
    assert [p.tag for p in handover_requests.propose(session, request.id)] == [fits.tag]


def test_proposals_only_offer_ready_devices_of_the_category(session, technician, manager, recipient):
    ready_device(session, technician, manager, "MON-1", category=Category.MONITOR, ram_gb=None,
                 storage_gb=None, model="P2419H")
    laptop = ready_device(session, technician, manager, "LAP-1")
    not_ready = ready_device(session, technician, manager, "LAP-2")
    lifecycle.apply(session, manager, not_ready.id, "retire")
    request = laptops_request(session, manager, recipient, quantity=5)
    assert [p.tag for p in handover_requests.propose(session, request.id)] == [laptop.tag]


def test_alternatives_offer_other_matching_devices_to_swap(session, technician, manager, recipient):
    devices = [ready_device(session, technician, manager, f"SW-{i}") for i in range(3)]
    request = laptops_request(session, manager, recipient, quantity=1)
    first = handover_requests.propose(session, request.id)[0]
    others = handover_requests.alternatives(session, first.line_id, exclude=[first.asset_id])
    assert [p.tag for p in others] == [devices[1].tag, devices[2].tag]


# --- reservation --------------------------------------------------------------------------------

def test_accepting_reserves_the_devices_for_the_request(session, technician, manager, recipient):
    devices = [ready_device(session, technician, manager, f"R-{i}") for i in range(2)]
    request = laptops_request(session, manager, recipient, quantity=2)
    batch = reserve_all_proposals(session, manager, request)
    assert [status_of(session, d.id) for d in devices] == [S.RESERVED, S.RESERVED]
    assert {i.asset_id for i in batch.items} == {d.id for d in devices}
    assert session.get(type(request), request.id).status == RequestStatus.RESERVED
    assert handover_requests.propose(session, request.id) == []


def test_a_swapped_in_device_that_does_not_fit_is_refused(session, technician, manager, recipient):
    worn = ready_device(session, technician, manager, "WORN", grade=Grade.D)
    request = laptops_request(session, manager, recipient, quantity=1, min_grade=Grade.B)
    with pytest.raises(handover_requests.DoesNotMatch, match="grade is below the minimum"):
        handover_requests.reserve(session, manager, request.id,
                                  [(request.lines[0].id, worn.id)])
    assert status_of(session, worn.id) == S.READY
    assert session.scalar(select(func.count()).select_from(HandoverBatch)) == 0


def test_technician_cannot_take_requests_or_reserve(session, technician, manager, recipient):
    device = ready_device(session, technician, manager, "T-1")
    with pytest.raises(PermissionDenied):
        laptops_request(session, technician, recipient)
    request = laptops_request(session, manager, recipient, quantity=1)
    with pytest.raises(PermissionDenied):
        handover_requests.reserve(session, technician, request.id, [(request.lines[0].id, device.id)])


def test_cancelling_releases_every_reservation(session, technician, manager, recipient):
    devices = [ready_device(session, technician, manager, f"C-{i}") for i in range(2)]
    request = laptops_request(session, manager, recipient, quantity=2)
    batch = reserve_all_proposals(session, manager, request)
    handover_requests.cancel_batch(session, manager, batch.id)
    assert [status_of(session, d.id) for d in devices] == [S.READY, S.READY]
    assert session.get(HandoverBatch, batch.id).status == BatchStatus.CANCELLED
    assert session.get(type(request), request.id).status == RequestStatus.OPEN


def test_dropping_one_device_releases_it_and_reopens_the_request(session, technician, manager,
                                                                 recipient):
    devices = [ready_device(session, technician, manager, f"D-{i}") for i in range(2)]
    request = laptops_request(session, manager, recipient, quantity=2)
    batch = reserve_all_proposals(session, manager, request)
    handover_requests.drop(session, manager, batch.id, devices[1].id)
    assert status_of(session, devices[1].id) == S.READY
    assert [i.tag for i in handovers.desk_state(session, batch.id).items] == [devices[0].tag]
    assert session.get(type(request), request.id).status == RequestStatus.OPEN


# --- the desk -----------------------------------------------------------------------------------

@pytest.fixture
def reserved(session, technician, manager, recipient):
    devices = [ready_device(session, technician, manager, f"H-{i}") for i in range(3)]
    request = laptops_request(session, manager, recipient, quantity=3)
    batch = reserve_all_proposals(session, manager, request)
    return batch, devices


def test_scanning_ticks_off_devices_and_shows_the_missing_ones(session, technician, reserved):
    batch, devices = reserved
    result = handovers.scan_at_desk(session, technician, batch.id, devices[0].tag)
    assert (result.tag, result.already, result.scanned, result.total) == (devices[0].tag, False, 1, 3)
    state = handovers.desk_state(session, batch.id)
    assert [i.tag for i in state.missing] == [devices[1].tag, devices[2].tag]


def test_scanning_by_serial_number_works_too(session, technician, reserved):
    batch, devices = reserved
    assert handovers.scan_at_desk(session, technician, batch.id, "h-1").tag == devices[1].tag


def test_a_device_scanned_twice_is_counted_once(session, technician, reserved):
    batch, devices = reserved
    handovers.scan_at_desk(session, technician, batch.id, devices[0].tag)
    again = handovers.scan_at_desk(session, technician, batch.id, devices[0].tag)
    assert (again.already, again.scanned) == (True, 1)


def test_a_ready_device_not_in_the_batch_is_refused_with_its_status(session, technician, manager,
                                                                    reserved):
    batch, _devices = reserved
    stranger = ready_device(session, technician, manager, "STRANGER")
    with pytest.raises(handovers.NotInBatch, match="is “ready”, not reserved"):
        handovers.scan_at_desk(session, technician, batch.id, stranger.tag)


def test_a_device_reserved_for_another_recipient_is_refused_naming_it(session, technician, manager,
                                                                      reserved):
    batch, _devices = reserved
    other_device = ready_device(session, technician, manager, "OTHER")
    charity = parties.create_party(session, manager, "charity", name="Digitaal Thuis vzw",
                                   street="Havenlaan 86", postcode="1000", city="Brussel")
    other = reserve_all_proposals(session, manager, laptops_request(session, manager, charity, 1))
    assert other.items[0].asset_id == other_device.id
    with pytest.raises(handovers.NotInBatch, match=f"reserved for Digitaal Thuis vzw \\(handover "
                                                   f"{other.number}\\)"):
        handovers.scan_at_desk(session, technician, batch.id, other_device.tag)


def scan_all(session, technician, batch, devices):
    for d in devices:
        handovers.scan_at_desk(session, technician, batch.id, d.tag)


# --- completion ---------------------------------------------------------------------------------

def test_completing_transfers_every_device_and_issues_the_certificate(session, technician, reserved,
                                                                      recipient):
    batch, devices = reserved
    scan_all(session, technician, batch, devices)
    document = handovers.complete_handover(session, technician, batch.id, labels_removed=True)
    assert document.number.startswith("HC-")
    assert document.kind == DocumentKind.HANDOVER_CERTIFICATE
    for d in devices:
        asset = session.get(Asset, d.id)
        assert (asset.status, asset.recipient_id) == (S.TRANSFERRED, recipient.id)
    assert session.get(HandoverBatch, batch.id).status == BatchStatus.COMPLETED
    assert handovers.desk_state(session, batch.id).certificate_number == document.number


def test_completion_with_a_device_not_scanned_is_refused(session, technician, reserved):
    batch, devices = reserved
    scan_all(session, technician, batch, devices[:2])
    with pytest.raises(handovers.DevicesMissing, match=devices[2].tag):
        handovers.complete_handover(session, technician, batch.id, labels_removed=True)
    assert status_of(session, devices[0].id) == S.RESERVED


def test_completion_without_labels_confirmation_is_refused(session, technician, reserved):
    batch, devices = reserved
    scan_all(session, technician, batch, devices)
    with pytest.raises(GuardFailed, match="labels and inventory stickers were removed"):
        handovers.complete_handover(session, technician, batch.id, labels_removed=False)
    assert [status_of(session, d.id) for d in devices] == [S.RESERVED] * 3
    assert session.scalar(select(func.count()).select_from(Document)) == 0


def test_disk_without_verified_wipe_blocks_the_whole_handover(session, technician, manager, reserved):
    batch, devices = reserved
    scan_all(session, technician, batch, devices)
    # a disk found in the last laptop after the bench, recorded but never wiped
    from app.services import assets as asset_service
    from app.services.assets import MediumSpec

    asset_service.add_medium(session, technician, devices[2].id, MediumSpec("ssd", "EXTRA-1", 128))
    with pytest.raises(GuardFailed, match=devices[2].tag):
        handovers.complete_handover(session, technician, batch.id, labels_removed=True)
    assert [status_of(session, d.id) for d in devices] == [S.RESERVED] * 3
    assert session.scalar(select(func.count()).select_from(Document)) == 0


def test_deactivated_recipient_blocks_the_handover(session, technician, manager, reserved, recipient):
    batch, devices = reserved
    scan_all(session, technician, batch, devices)
    parties.set_active(session, manager, recipient.id, recipient.version, False)
    with pytest.raises(GuardFailed, match="recipient is deactivated"):
        handovers.complete_handover(session, technician, batch.id, labels_removed=True)


def test_failure_mid_way_changes_nothing_and_uses_no_number(session, technician, reserved,
                                                            monkeypatch):
    batch, devices = reserved
    scan_all(session, technician, batch, devices)
    events_before = audit.event_count(session)

    def store_fails(*args, **kwargs):  # the devices are transferred and flushed by now
        raise RuntimeError("disk full while storing the PDF")

    monkeypatch.setattr(issued, "store_document", store_fails)
    with pytest.raises(RuntimeError):
        handovers.complete_handover(session, technician, batch.id, labels_removed=True)
    session.expire_all()
    assert [status_of(session, d.id) for d in devices] == [S.RESERVED] * 3
    assert [session.get(Asset, d.id).recipient_id for d in devices] == [None] * 3
    assert session.get(HandoverBatch, batch.id).status == BatchStatus.OPEN
    assert session.scalar(select(func.count()).select_from(Document)) == 0
    assert audit.event_count(session) == events_before
    counter = session.get(Counter, "document_handover_certificate")
    assert counter is None or counter.value == 0

    monkeypatch.undo()
    document = handovers.complete_handover(session, technician, batch.id, labels_removed=True)
    assert document.number.endswith("-00001")


def test_auditor_cannot_complete_a_handover(session, technician, auditor, reserved):
    batch, devices = reserved
    scan_all(session, technician, batch, devices)
    with pytest.raises(PermissionDenied):
        handovers.complete_handover(session, auditor, batch.id, labels_removed=True)


def test_internal_redeployment_uses_the_internal_purpose_and_wording(session, technician, manager):
    service = internal_service(session, manager)
    device = ready_device(session, technician, manager, "INT-1")
    batch = reserve_all_proposals(session, manager, laptops_request(session, manager, service, 1))
    reserve_event = [e for e in audit.history(session, "asset", device.id)
                     if e.action == "reserve"]
    assert reserve_event, "the reservation is in the device's history"
    handovers.scan_at_desk(session, technician, batch.id, device.tag)
    document = handovers.complete_handover(session, technician, batch.id, labels_removed=True)
    result = issued.verify_code(session, issued.qr_payload(document.number, document.digest))
    assert result.ok
    import json

    assert json.loads(document.content)["wording"] == "internal"


def test_certificate_lists_the_sanitisation_certificate_of_each_device(session, technician, manager,
                                                                        reserved):
    from app.services import certificates

    batch, devices = reserved
    sc = certificates.issue_sanitisation_certificate(session, technician, [devices[0].id])
    scan_all(session, technician, batch, devices)
    document = handovers.complete_handover(session, technician, batch.id, labels_removed=True)
    covered = issued.verify_code(session, document.number).covered
    assert [d["sanitisation"] for d in covered] == [sc.number, None, None]


def test_the_history_of_a_device_shows_reservation_scan_and_handover(session, technician, reserved):
    batch, devices = reserved
    scan_all(session, technician, batch, devices)
    handovers.complete_handover(session, technician, batch.id, labels_removed=True)
    actions = [e.action for e in audit.history(session, "asset", devices[0].id)]
    assert actions[-2:] == ["reserve", "transfer"]
    assert audit.verify_chain(session).ok


# --- returns ------------------------------------------------------------------------------------

def handed_over(session, technician, reserved):
    batch, devices = reserved
    scan_all(session, technician, batch, devices)
    handovers.complete_handover(session, technician, batch.id, labels_removed=True)
    return devices


def returned_at_intake(session, technician, manager, reserved, for_checks: bool):
    device = handed_over(session, technician, reserved)[0]
    service = parties.create_party(session, manager, "service", name="Dienst Welzijn")
    lot = intake.open_lot(session, technician, service.id)
    scan = intake.interpret_scan(session, lot.id, device.tag)
    assert scan.outcome == intake.Outcome.RETURNED_DEVICE
    intake.take_back(session, technician, lot.id, device.id, for_checks=for_checks)
    return device, lot


def test_a_device_returned_at_intake_can_go_back_for_another_check(session, technician, manager,
                                                                   reserved):
    device, lot = returned_at_intake(session, technician, manager, reserved, for_checks=True)
    session.expire_all()
    back = session.get(Asset, device.id)
    assert (back.status, back.intake_lot_id) == (S.RECEIVED, lot.id)


def test_a_returned_device_must_be_wiped_again_before_it_can_leave(session, technician, manager,
                                                                   reserved):
    """The school's data is on it now: the wipe from before its second life no longer counts."""
    from bench_helpers import answer_checklist, wipe_and_verify

    from app.services import refurbishment, sanitisation

    device, _lot = returned_at_intake(session, technician, manager, reserved, for_checks=True)
    back = session.get(Asset, device.id)
    assert back.returned_at is not None
    assert sanitisation.release_problem(session, back) == (
        "a storage medium has no successful wipe or destruction record")
    refurbishment.start(session, technician, back.id)
    answer_checklist(session, technician, back.id)
    with pytest.raises(GuardFailed):
        refurbishment.pass_checks(session, technician, back.id)
    assert status_of(session, back.id) == S.IN_REFURBISHMENT
    wipe_and_verify(session, technician, manager, back.id)
    refurbishment.pass_checks(session, technician, back.id)
    assert status_of(session, back.id) == S.READY


def test_a_device_returned_at_intake_for_disposal_awaits_disposal(session, technician, manager,
                                                                  reserved):
    device, _lot = returned_at_intake(session, technician, manager, reserved, for_checks=False)
    assert status_of(session, device.id) == S.AWAITING_DISPOSAL


def test_the_history_of_a_returned_device_shows_the_whole_loop(session, technician, manager, reserved):
    device, _lot = returned_at_intake(session, technician, manager, reserved, for_checks=True)
    statuses = [e.changes for e in audit.history(session, "asset", device.id) if '"status"' in e.changes]
    assert [json.loads(c)["status"][1] for c in statuses] == [
        "received", "in_refurbishment", "ready", "reserved", "transferred", "received"]
