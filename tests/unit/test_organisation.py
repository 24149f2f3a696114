"""The organisation's identity: set once by an administrator, on every document's letterhead.

Read back the way a person holding the paper would (pdftotext, a rendered page);
the validation messages; who may change it; the audit trail; the migration.
"""

from __future__ import annotations

import io
import json

import pytest
from handover_helpers import laptops_request, ready_device, reserve_all_proposals, school
from pdfcheck import pdf_text, render_png, write_pdf
from PIL import Image
from sqlalchemy import inspect, select

from app.db import downgrade, make_engine, migrate
from app.models import AuditEvent, PartyType
from app.services import handovers, intake, organisation, parties
from app.services.documents.labels import LabelData
from app.services.errors import PermissionDenied, ValidationError

PROVINCE = {"name": "Provincie Vlaams-Brabant", "short_name": "Prov. VB",
            "street": "Provincieplein 1", "postcode": "3010", "city": "Leuven",
            "enterprise_number": "0253.973.219"}


def png(width=120, height=40, colour=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def identity(session, admin):
    return organisation.save(session, admin, **PROVINCE, logo=png())


def closed_lot(session, technician, manager, n=2):
    service = parties.create_party(session, manager, PartyType.SERVICE, name="Dienst Mobiliteit")
    lot = intake.open_lot(session, technician, service.id, delivered_by="Jan Koerier")
    for i in range(n):
        result = intake.interpret_scan(session, lot.id, f"ORG-{i}")
        result.form.manufacturer, result.form.model = "HP", "EliteBook 840"
        intake.receive(session, technician, lot.id, result.form)
    return intake.close_lot(session, technician, lot.id, language="en")


# --- reading and saving ---------------------------------------------------------------------

def test_a_new_database_prints_the_default_name(session):
    identity = organisation.get(session)
    assert identity.name == "Provincie" and identity.short == "Provincie"
    assert identity.address == "" and identity.logo is None
    assert organisation.label_name(session) == "Provincie"


def test_saved_identity_is_read_back_with_the_number_in_its_printed_form(session, admin):
    organisation.save(session, admin, **{**PROVINCE, "enterprise_number": "BE 253973219"})
    identity = organisation.get(session)
    assert identity.enterprise_number == "0253.973.219"
    assert identity.address == "Provincieplein 1, 3010 Leuven"
    assert organisation.label_name(session) == "Prov. VB"


def test_the_logo_is_kept_replaced_or_removed(session, admin, identity):
    assert identity.logo_type == "image/png"
    organisation.save(session, admin, **PROVINCE)  # KEEP
    assert organisation.get(session).logo == identity.logo
    organisation.save(session, admin, **PROVINCE, logo=None)
    assert organisation.get(session).logo is None


def test_only_an_administrator_may_change_it(session, manager):
    with pytest.raises(PermissionDenied):
        organisation.save(session, manager, **PROVINCE)
    assert organisation.get(session).name == "Provincie"


def test_a_change_is_in_the_audit_trail_with_the_logo_as_its_digest(session, identity):
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "organisation")).one()
    changes = json.loads(event.changes)
    assert event.action == "set_organisation"
    assert changes["name"] == [None, "Provincie Vlaams-Brabant"]
    assert "logo" not in changes and len(changes["logo_sha256"][1]) == 64


@pytest.mark.parametrize(("field", "value", "message"), [
    ("enterprise_number", "0253.973.218", "“0253.973.218” is not a valid enterprise number"),
    ("enterprise_number", "12345", "Write it as 0123.456.789"),
    ("name", "   ", "Give the organisation's full name"),
    ("postcode", "B-3010", "“B-3010” is not a Belgian postcode"),
    ("short_name", "x" * 61, "Short name is too long: at most 60 characters"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(session, admin, field, value,
                                                                      message):
    with pytest.raises(ValidationError) as refused:
        organisation.save(session, admin, **{**PROVINCE, field: value})
    assert message in str(refused.value) and "Nothing was saved" in str(refused.value)
    assert organisation.get(session).name == "Provincie"


@pytest.mark.parametrize(("data", "message"), [
    (b"GIF89a" + b"\0" * 40, "must be a PNG or JPEG picture"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "could not be read as a picture"),
    (png(8, 8), "each side must be between 16 and 4000 pixels"),
])
def test_a_logo_that_would_not_print_is_refused(session, admin, data, message):
    with pytest.raises(ValidationError, match=message):
        organisation.save(session, admin, **PROVINCE, logo=data)


def test_a_logo_over_the_size_limit_is_refused(session, admin, monkeypatch):
    monkeypatch.setattr(organisation, "LOGO_MAX_BYTES", 100)
    with pytest.raises(organisation.LogoTooLarge, match="at most 0 KB"):
        organisation.save(session, admin, **PROVINCE, logo=png())


# --- on paper -------------------------------------------------------------------------------

def test_the_intake_receipt_carries_name_address_and_enterprise_number(
        session, identity, technician, manager, tmp_path, pdf_tools):
    document = closed_lot(session, technician, manager)
    text = pdf_text(write_pdf(document.pdf, tmp_path))
    assert "Provincie Vlaams-Brabant — Central ICT warehouse" in text
    assert "Provincieplein 1, 3010 Leuven · Enterprise number 0253.973.219" in text
    assert render_png(tmp_path / "document.pdf").stat().st_size > 0


def test_the_handover_certificate_names_the_giver_from_the_database(
        session, identity, technician, manager, tmp_path, pdf_tools):
    device = ready_device(session, technician, manager, "ORG-H1")
    batch = reserve_all_proposals(session, manager,
                                  laptops_request(session, manager, school(session, manager), 1))
    handovers.scan_at_desk(session, technician, batch.id, device.tag)
    document = handovers.complete_handover(session, technician, batch.id, labels_removed=True,
                                           language="en")
    text = pdf_text(write_pdf(document.pdf, tmp_path))
    assert text.count("0253.973.219") == 2  # the letterhead and the giver's box
    assert "Provincie Vlaams-Brabant" in text and "3010 Leuven" in text


def test_without_an_identity_documents_keep_the_default_name(session, technician, manager, tmp_path,
                                                              pdf_tools):
    text = pdf_text(write_pdf(closed_lot(session, technician, manager, n=1).pdf, tmp_path))
    assert "Provincie — Central ICT warehouse" in text
    assert "Enterprise number" not in text


def test_labels_carry_the_short_name(session, identity, technician, manager):
    closed_lot(session, technician, manager, n=1)
    from app.models import Asset

    asset = session.scalars(select(Asset)).first()
    assert LabelData.from_asset(asset, organisation.label_name(session)).org == "Prov. VB"


# --- the migration ----------------------------------------------------------------------------

def test_the_migration_adds_and_removes_the_organisation_table(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    try:
        migrate(engine)
        assert "organisation" in inspect(engine).get_table_names()
        downgrade(engine, "0011")
        assert "organisation" not in inspect(engine).get_table_names()
        migrate(engine)
        assert {c["name"] for c in inspect(engine).get_columns("organisation")} >= {
            "name", "short_name", "street", "postcode", "city", "enterprise_number", "logo",
            "logo_type", "logo_sha256"}
    finally:
        engine.dispose()
