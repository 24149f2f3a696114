"""Verifying an issued document from the code of its QR code (or its number)."""

from __future__ import annotations

from sqlalchemy import text

from app.cli import main as cli_main
from app.models import DocumentKind
from app.services.documents import issued
from app.services.uow import unit_of_work

COVERED = {"recipient": "Sint-Jozefschool", "devices": [
    {"tag": "CD00000013", "category": "laptop", "model": "Dell Latitude 5420", "serial": "ABC123"},
    {"tag": "CD00000021", "category": "laptop", "model": "HP EliteBook 840", "serial": "XYZ789"}]}


def issue(session, actor, content=COVERED, pdf=b"%PDF-1.4 handover"):
    with unit_of_work(session, actor, "issue_test_certificate", permission="sanitisation.certificate"):
        number = issued.allocate_number(session, DocumentKind.HANDOVER_CERTIFICATE)
        document = issued.store_document(session, actor, DocumentKind.HANDOVER_CERTIFICATE, number,
                                         "Handover", pdf, [], content=content)
    return document


def test_the_qr_code_of_a_certificate_verifies_as_genuine_and_lists_its_devices(session, technician):
    document = issue(session, technician)
    code = issued.qr_payload(document.number, issued.content_digest(COVERED))
    result = issued.verify_code(session, code)
    assert result.ok
    assert [d["tag"] for d in result.covered] == ["CD00000013", "CD00000021"]
    assert document.number in result.message() and technician.display_name in result.message()


def test_a_bare_number_typed_in_lower_case_is_found(session, technician):
    document = issue(session, technician)
    assert issued.verify_code(session, document.number.lower()).ok


def test_a_code_whose_digest_is_not_the_issued_one_is_rejected(session, technician):
    document = issue(session, technician)
    other = dict(COVERED, recipient="Someone else")
    result = issued.verify_code(session, issued.qr_payload(document.number, issued.content_digest(other)))
    assert result.verdict == issued.Verdict.MISMATCH and not result.ok


def test_an_unknown_number_is_rejected(session, technician):
    issue(session, technician)
    result = issued.verify_code(session, "CERT:HC-2026-99999:0123456789AB")
    assert result.verdict == issued.Verdict.UNKNOWN
    assert "HC-2026-99999" in result.message()


def test_a_record_changed_behind_the_apps_back_is_reported_as_altered(session, technician):
    document = issue(session, technician)
    code = issued.qr_payload(document.number, document.digest)
    tampered = issued.canonical(dict(COVERED, devices=COVERED["devices"][:1]))
    session.execute(text("UPDATE documents SET content = :c WHERE id = :i"), {"c": tampered, "i": document.id})
    session.commit()
    session.expire_all()
    assert issued.verify_code(session, code).verdict == issued.Verdict.ALTERED


def test_a_changed_pdf_is_reported_as_altered(session, technician):
    document = issue(session, technician)
    session.execute(text("UPDATE documents SET pdf = :p WHERE id = :i"), {"p": b"%PDF forged", "i": document.id})
    session.commit()
    session.expire_all()
    assert issued.verify_code(session, document.number).verdict == issued.Verdict.ALTERED


def test_something_that_is_no_document_code_is_said_so():
    assert issued.parse_code("CD00000013") is None
    assert not issued.is_document_code("HC-2026-00001")  # a bare number is typed, not scanned
    assert issued.is_document_code("cert:hc-2026-00001:abc")


def test_the_command_line_verifies_and_reprints(database, session, technician, tmp_path, capsys):
    document = issue(session, technician)
    url = database.url
    code = issued.qr_payload(document.number, document.digest)
    assert cli_main(["--database", url, "certificate", "verify", code]) == 0
    out = capsys.readouterr().out
    assert "CD00000021" in out and document.number in out
    assert cli_main(["--database", url, "certificate", "verify", "CERT:HC-2026-99999:00"]) == 2
    target = tmp_path / "copy.pdf"
    assert cli_main(["--database", url, "certificate", "pdf", document.number, "--out", str(target)]) == 0
    assert target.read_bytes() == document.pdf
