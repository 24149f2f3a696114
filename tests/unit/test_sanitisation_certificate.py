"""The data sanitisation certificate: only for verified media; readable, scannable, stored once.

The PDF is checked the way a person holding the paper would: its text with
pdftotext (poppler-utils), its QR code rendered with pdftoppm and decoded
with zbarimg (zbar-tools), its length with pdfinfo.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import i18n
from app.models import Asset, Category, Document, DocumentKind, MediumKind
from app.services import certificates, sanitisation
from app.services.assets import MediumSpec, register_asset
from app.services.documents import issued
from app.services.errors import PermissionDenied

TOOLS = {"pdftoppm": "poppler-utils", "pdftotext": "poppler-utils", "pdfinfo": "poppler-utils",
         "zbarimg": "zbar-tools"}


@pytest.fixture(scope="session")
def pdf_tools():
    missing = sorted({pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None})
    if missing:
        message = (f"{' and '.join(missing)} missing: install them (apt-get install "
                   f"{' '.join(missing)}) to read the certificate back")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture
def dutch_title(monkeypatch):
    # Until resources/translations/nl.json carries the certificate's strings, this test brings
    # the title along; test_translations still fails for every string the catalog lacks.
    dutch = i18n.catalog("nl")
    if "Data sanitisation certificate" not in dutch:
        monkeypatch.setitem(dutch, "Data sanitisation certificate",
                            "Certificaat van gegevensvernietiging")


def register_laptop(session, technician, serial: str, *media: tuple[MediumKind, str],
                    model: str = "Latitude 5420") -> Asset:
    return register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                          model=model, serial=serial,
                          media=[MediumSpec(kind, s, 512) for kind, s in media])


def media_of(session, asset: Asset):
    return [s.medium for s in sanitisation.media_statuses(session, asset)]


def wipe(session, technician, manager, medium_id: int, verify: bool = True):
    rec = sanitisation.record(session, technician, medium_id, method="purge",
                              technique="crypto_erase", tool="Blancco Drive Eraser",
                              tool_version="7.9", verification_method="full read-back",
                              media_manufacturer="Samsung", media_model="PM9A1")
    if verify:
        sanitisation.verify(session, manager, rec.id)
    return rec


def shred(session, technician, manager, medium_id: int):
    rec = sanitisation.record(session, technician, medium_id, method="destroy", technique="shred",
                              tool="HSM Powerline HDS 230", verification_method="visual inspection",
                              media_manufacturer="Seagate", media_model="ST1000LM035")
    sanitisation.verify(session, manager, rec.id)
    return rec


@pytest.fixture
def laptop(session, technician, manager) -> Asset:
    """A laptop whose SSD was purged and whose hard disk was shredded, both verified."""
    asset = register_laptop(session, technician, "5CG1234XYZ", (MediumKind.SSD, "S4EWNX0R123456"),
                            (MediumKind.HDD, "WD-WX51A1234567"))
    ssd, hdd = media_of(session, asset)
    wipe(session, technician, manager, ssd.id)
    shred(session, technician, manager, hdd.id)
    return asset


def issue(session, actor, *assets: Asset, language: str | None = "en") -> Document:
    return certificates.issue_sanitisation_certificate(session, actor, [a.id for a in assets],
                                                       language=language)


def write(document: Document, tmp_path: Path, name: str = "certificate.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(document.pdf)
    return path


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """The text in drawing order, whitespace folded: a name wrapped in a narrow cell reads whole."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    raw = subprocess.run(["pdftotext", "-raw", *pages, str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(raw.split())


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def document_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Document))


def test_the_qr_code_scans_back_and_verifies_the_certificate(session, technician, laptop, pdf_tools,
                                                             tmp_path):
    document = issue(session, technician, laptop)
    pdf = write(document, tmp_path)
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page-*.png")
    scanned = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
                             capture_output=True, text=True, check=True).stdout
    assert scanned.splitlines() == [f"CERT:{document.number}:{document.digest}"]
    result = issued.verify_code(session, scanned.strip())
    assert result.ok and [d["tag"] for d in result.covered] == [laptop.tag]


def test_the_certificate_lists_device_media_methods_and_both_people(session, technician, laptop,
                                                                    pdf_tools, tmp_path):
    document = issue(session, technician, laptop)
    text = pdf_text(write(document, tmp_path))
    assert re.fullmatch(r"SC-\d{4}-00001", document.number) and document.number in text
    assert laptop.tag in text and "5CG1234XYZ" in text
    assert "S4EWNX0R123456" in text and "WD-WX51A1234567" in text
    assert "Purge" in text and "cryptographic erase" in text
    assert "Destroy" in text and "shred" in text
    assert "NIST SP 800-88 Rev. 1" in text
    assert "Blancco Drive Eraser 7.9" in text and "full read-back" in text
    assert "Tom Technieker" in text and "Mia Manager" in text


def test_the_certificate_is_stored_with_its_hash_and_linked_to_the_devices(session, technician,
                                                                           laptop):
    document = issue(session, technician, laptop)
    assert document.kind == DocumentKind.SANITISATION_CERTIFICATE
    assert issued.verify(session, document.number, document.pdf)
    assert [a.id for a in document.assets] == [laptop.id]
    assert [d.number for d in issued.documents_for_asset(session, laptop.id)] == [document.number]


def test_a_reprint_is_the_stored_pdf_byte_for_byte(session, technician, laptop):
    document = issue(session, technician, laptop)
    session.expire_all()
    assert certificates.reprint_sanitisation_certificate(session, document.number) == document.pdf
    assert document_count(session) == 1


def test_dutch_and_english_certificates_carry_their_own_title(session, technician, laptop,
                                                              pdf_tools, dutch_title, tmp_path):
    english = issue(session, technician, laptop, language="en")
    dutch = issue(session, technician, laptop, language="nl")
    english_text = pdf_text(write(english, tmp_path, "en.pdf"))
    dutch_text = pdf_text(write(dutch, tmp_path, "nl.pdf"))
    assert "Data sanitisation certificate" in english_text
    assert "Certificaat van gegevensvernietiging" in dutch_text
    assert "Data sanitisation certificate" not in dutch_text
    assert (english.language, dutch.language) == ("en", "nl")


def test_an_unverified_wipe_refuses_the_certificate_and_stores_nothing(session, technician,
                                                                       manager, laptop):
    pending = register_laptop(session, technician, "5CG0000PEND", (MediumKind.SSD, "PENDING-1"))
    (medium,) = media_of(session, pending)
    wipe(session, technician, manager, medium.id, verify=False)
    with pytest.raises(certificates.MediaNotSanitised) as refused:
        issue(session, technician, laptop, pending)
    assert pending.tag in str(refused.value) and laptop.tag not in str(refused.value)
    assert document_count(session) == 0
    # the refused certificate used up no number: the next one is still the first
    assert issue(session, technician, laptop).number.endswith("-00001")


def test_a_medium_without_any_record_refuses_the_certificate(session, technician):
    asset = register_laptop(session, technician, "5CG0000NONE", (MediumKind.NVME, "NEVER-WIPED"))
    with pytest.raises(certificates.MediaNotSanitised, match=asset.tag):
        issue(session, technician, asset)
    assert document_count(session) == 0


def test_a_medium_only_removed_to_the_secure_bin_is_not_sanitised_yet(session, technician,
                                                                      manager):
    asset = register_laptop(session, technician, "5CG0000BIN", (MediumKind.HDD, "IN-THE-BIN"))
    (medium,) = media_of(session, asset)
    rec = sanitisation.record(session, technician, medium.id, method="destroy",
                              technique="shred", outcome="removed")
    sanitisation.verify(session, manager, rec.id)
    with pytest.raises(certificates.MediaNotSanitised, match=asset.tag):
        issue(session, technician, asset)
    assert document_count(session) == 0


def test_a_data_bearing_device_without_recorded_media_is_refused(session, technician):
    asset = register_laptop(session, technician, "5CG0000BARE")
    with pytest.raises(certificates.NoMediaRecorded, match=asset.tag):
        issue(session, technician, asset)
    assert document_count(session) == 0


def test_a_device_without_data_bearing_media_is_listed_as_such(session, technician, laptop,
                                                               pdf_tools, tmp_path):
    monitor = register_asset(session, technician, category=Category.MONITOR, manufacturer="Dell",
                             model="P2419H", serial="CN0MON1")
    text = pdf_text(write(issue(session, technician, laptop, monitor), tmp_path))
    assert monitor.tag in text and "holds no data-bearing storage medium" in text


def test_an_auditor_may_not_issue_a_certificate(session, auditor, laptop):
    with pytest.raises(PermissionDenied):
        issue(session, auditor, laptop)
    assert document_count(session) == 0


def test_user_text_prints_literally(session, technician, manager, pdf_tools, tmp_path):
    asset = register_laptop(session, technician, "5CG<B>&1", (MediumKind.SSD, "SN<i>&2"),
                            model="EliteBook <b>& G8</b>")
    (medium,) = media_of(session, asset)
    rec = sanitisation.record(session, technician, medium.id, method="clear",
                              technique="overwrite <1 pass> & check", tool="nwipe & co",
                              verification_method="<b>sample</b>", media_model="Model <x> & y")
    sanitisation.verify(session, manager, rec.id)
    text = pdf_text(write(issue(session, technician, asset), tmp_path))
    for literal in ("EliteBook <b>& G8</b>", "5CG<B>&1", "SN<i>&2", "overwrite <1 pass> & check",
                    "nwipe & co", "<b>sample</b>", "Model <x> & y", "Clear"):
        assert literal in text


def test_forty_devices_flow_over_several_pages_with_every_tag(session, technician, manager,
                                                              pdf_tools, tmp_path):
    assets = []
    for i in range(40):
        asset = register_laptop(session, technician, f"BULK{i:04d}", (MediumKind.SSD, f"SSD-{i}"))
        (medium,) = media_of(session, asset)
        wipe(session, technician, manager, medium.id)
        assets.append(asset)
    document = issue(session, technician, *assets)
    pdf = write(document, tmp_path)
    pages = page_count(pdf)
    assert pages > 1
    assert all(a.tag in pdf_text(pdf) for a in assets)
    for page in range(1, pages + 1):
        text = pdf_text(pdf, page)
        assert f"page {page}" in text and document.number in text
        if any(a.tag in text for a in assets):
            assert "Storage medium NIST method and technique" in text  # the header, repeated
