"""Recipients: the fields a donation needs, the KBO/BCE mod-97 check, search, deactivation."""

from __future__ import annotations

import pytest
from handover_helpers import laptops_request, ready_device, reserve_all_proposals, school

from app.models import PartyType
from app.services import handover_requests, handovers, parties
from app.services.errors import PermissionDenied, ValidationError


@pytest.mark.parametrize("typed", ["0419.028.518", "0419028518", "BE0419028518", "BE 0419 028 518",
                                   " 419028518 "])
def test_enterprise_number_is_stored_in_its_printed_form(typed):
    assert parties.normalise_enterprise_number(typed) == "0419.028.518"


@pytest.mark.parametrize("typed", ["0419.028.519", "0419.028.51", "2419.028.518", "ABCDEFGHIJ"])
def test_enterprise_number_with_a_wrong_check_or_length_is_refused(typed):
    with pytest.raises(parties.InvalidEnterpriseNumber, match="not a valid enterprise number"):
        parties.normalise_enterprise_number(typed)


def test_a_school_with_a_mistyped_enterprise_number_is_not_saved(session, manager):
    with pytest.raises(parties.InvalidEnterpriseNumber):
        parties.create_party(session, manager, PartyType.SCHOOL, name="Sint-Jozefscollege",
                             enterprise_number="0419.028.581", street="Collegestraat 24",
                             postcode="8800", city="Roeselare")
    assert parties.search_recipients(session) == []


def test_a_charity_needs_its_address(session, manager):
    with pytest.raises(ValidationError, match="street, postcode, city"):
        parties.create_party(session, manager, PartyType.CHARITY, name="Digitaal Thuis vzw")


def test_technician_cannot_add_recipients(session, technician):
    with pytest.raises(PermissionDenied):
        parties.create_party(session, technician, PartyType.SERVICE, name="Dienst Welzijn")


def test_editing_a_recipient_checks_the_number_and_refuses_a_stale_version(session, manager):
    recipient = school(session, manager)
    version = recipient.version
    parties.update_party(session, manager, recipient.id, version, contact_name="Pieter Peeters",
                         enterprise_number="BE0203201340")
    assert (recipient.contact_name, recipient.enterprise_number) == ("Pieter Peeters", "0203.201.340")
    with pytest.raises(parties.PartyChanged):
        parties.update_party(session, manager, recipient.id, version, city="Brugge")
    with pytest.raises(ValidationError, match="street"):
        parties.update_party(session, manager, recipient.id, recipient.version, street="")


def test_search_finds_by_name_city_contact_and_enterprise_number(session, manager):
    recipient = school(session, manager)
    parties.create_party(session, manager, PartyType.CHARITY, name="Digitaal Thuis vzw",
                         street="Havenlaan 86", postcode="1000", city="Brussel")
    for text in ("jozef", "roeselare", "els de smet", "0419028", "0419.028"):
        assert [p.id for p in parties.search_recipients(session, text)] == [recipient.id], text


def test_staff_members_and_recyclers_are_not_recipients(session, manager):
    parties.create_party(session, manager, PartyType.STAFF, name="An Peeters", staff_number="P1",
                         email="an@provincie.example")
    assert parties.search_recipients(session) == []


def test_deactivating_keeps_the_history_and_blocks_new_requests(session, technician, manager):
    recipient = school(session, manager)
    device = ready_device(session, technician, manager, "HIST-1")
    batch = reserve_all_proposals(session, manager, laptops_request(session, manager, recipient, 1))
    handovers.scan_at_desk(session, technician, batch.id, device.tag)
    document = handovers.complete_handover(session, technician, batch.id, labels_removed=True)

    parties.set_active(session, manager, recipient.id, recipient.version, False)
    assert parties.search_recipients(session) == []
    assert [p.name for p in parties.search_recipients(session, include_inactive=True)] == [
        "Sint-Jozefscollege"]
    assert handovers.desk_state(session, batch.id).certificate_number == document.number
    assert session.get(type(device), device.id).recipient_id == recipient.id
    with pytest.raises(ValidationError, match="deactivated"):
        laptops_request(session, manager, recipient, 1)
    assert handover_requests.list_requests(session, include_closed=True)[0].recipient_id == recipient.id
