"""The handover certificate, read back the way the person holding the paper would.

Its text with pdftotext, its QR code decoded from a rendered page with zbarimg;
verification of the code, a tampered record and an unknown number; a reprint
is the stored PDF byte for byte; the Dutch and the internal wording.
"""

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
from pdfcheck import pdf_text, render_png, scan_qr_codes, write_pdf
from sqlalchemy import text

from app.services import handovers
from app.services.documents import issued


def hand_over(session, technician, manager, recipient, n=3, language="en"):
    devices = [ready_device(session, technician, manager, f"HC-{i}", model="ThinkPad T14 Gen 2",
                            manufacturer="Lenovo") for i in range(n)]
    batch = reserve_all_proposals(session, manager, laptops_request(session, manager, recipient, n))
    for d in devices:
        handovers.scan_at_desk(session, technician, batch.id, d.tag)
    document = handovers.complete_handover(session, technician, batch.id, labels_removed=True,
                                           language=language)
    return document, devices


@pytest.fixture
def certificate(session, technician, manager):
    recipient = school(session, manager)
    return hand_over(session, technician, manager, recipient)


def test_the_certificate_names_both_parties_devices_terms_and_signatures(certificate, tmp_path,
                                                                         pdf_tools):
    document, devices = certificate
    text = pdf_text(write_pdf(document.pdf, tmp_path))
    assert "Handover certificate" in text and document.number in text
    assert "Sint-Jozefscollege" in text and "0419.028.518" in text and "8800 Roeselare" in text
    for d in devices:
        assert d.tag in text and d.serial in text
    assert "Lenovo ThinkPad T14 Gen 2" in text
    assert "Total: 3 devices (3 × laptop)" in text
    assert "without any warranty" in text and "WEEE collection point" in text
    assert "does not export them" in text and "personal data was erased" in text
    assert "For the province (giver)" in text and "For the recipient" in text
    assert "Els De Smet" in text


def test_the_qr_code_scans_back_and_verifies_the_certificate(session, certificate, tmp_path, pdf_tools):
    document, devices = certificate
    codes = scan_qr_codes(render_png(write_pdf(document.pdf, tmp_path), dpi=200))
    assert codes == [issued.qr_payload(document.number, document.digest)]
    result = issued.verify_code(session, codes[0])
    assert result.ok
    assert [d["tag"] for d in result.covered] == [d.tag for d in devices]


def test_a_tampered_record_is_reported_as_altered(session, certificate, admin):
    document, _devices = certificate
    content = json.loads(document.content)
    content["recipient"]["name"] = "Someone Else"
    # the tampering goes straight to the table, as someone with database access would do it
    session.execute(text("UPDATE documents SET content = :c WHERE id = :i"),
                    {"c": issued.canonical(content), "i": document.id})
    session.commit()
    session.expire_all()
    result = issued.verify_code(session, issued.qr_payload(document.number, document.digest))
    assert result.verdict == issued.Verdict.ALTERED


def test_a_code_with_another_digest_is_rejected(session, certificate):
    document, _devices = certificate
    assert issued.verify_code(session, f"CERT:{document.number}:000000000000").verdict == \
        issued.Verdict.MISMATCH


def test_an_unknown_number_is_rejected(session, certificate):
    assert issued.verify_code(session, "CERT:HC-2026-09999:ABCDEF012345").verdict == \
        issued.Verdict.UNKNOWN


def test_a_reprint_is_the_stored_pdf_byte_for_byte(session, certificate):
    document, _devices = certificate
    batch_id = json.loads(document.content)["batch"]
    from sqlalchemy import select

    from app.models import HandoverBatch

    batch = session.scalar(select(HandoverBatch).where(HandoverBatch.number == batch_id))
    assert handovers.certificate_pdf(session, batch.id) == document.pdf
    assert issued.verify(session, document.number, document.pdf)


def test_the_dutch_certificate_speaks_dutch(session, technician, manager, tmp_path, pdf_tools):
    document, _devices = hand_over(session, technician, manager, school(session, manager),
                                   language="nl")
    text = pdf_text(write_pdf(document.pdf, tmp_path))
    assert "Overdrachtscertificaat" in text and "Ondernemingsnummer" in text
    assert "zonder enige waarborg" in text


def test_internal_redeployment_has_its_own_wording(session, technician, manager, tmp_path, pdf_tools):
    document, _devices = hand_over(session, technician, manager, internal_service(session, manager))
    text = pdf_text(write_pdf(document.pdf, tmp_path))
    assert "Internal redeployment certificate" in text
    assert "remain the property of the province" in text
    assert "free of charge" not in text


def test_long_model_names_and_hostile_text_are_printed_safely(session, technician, manager, tmp_path,
                                                              pdf_tools):
    recipient = school(session, manager, name="School <b>&</b> Co")
    device = ready_device(session, technician, manager, "LONG-1", manufacturer="Dell",
                          model="Latitude 7490 with an exceptionally long docking-station description")
    batch = reserve_all_proposals(session, manager, laptops_request(session, manager, recipient, 1))
    handovers.scan_at_desk(session, technician, batch.id, device.tag)
    document = handovers.complete_handover(session, technician, batch.id, labels_removed=True)
    text = pdf_text(write_pdf(document.pdf, tmp_path))
    assert "School <b>&</b> Co" in text
    assert "exceptionally long docking-station" in text
