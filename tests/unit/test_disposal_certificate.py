"""The EOL certificate as a person holding the paper reads it: text, QR code, language."""

from __future__ import annotations

import datetime as dt

import pytest
from pdfcheck import pdf_text, render_png, scan_qr_codes, write_pdf

from app.models import Category, MediumKind, Role
from app.services import auth, disposal, lifecycle, processors, refurbishment, sanitisation
from app.services.assets import MediumSpec, register_asset
from app.services.documents import issued


@pytest.fixture
def closed(session, admin, manager, technician):
    second = auth.add_user(session, admin, "max", "Max Tweede", Role.MANAGER, "mgr-pass-2")
    proc = processors.create_processor(
        session, manager, name="Galloo <Recycling> & Co", enterprise_number="0403170701",
        registration_number="OVAM 2019/123", street="Wervikstraat 1", postcode="8930", city="Menen")
    processors.add_certification(session, manager, proc.id, "weeelabex", dt.date(2099, 6, 30),
                                 certificate_number="WLX-42")
    carrier = processors.create_carrier(session, manager, name="Transport Claes",
                                        enterprise_number="0202239951",
                                        registration_number="OVAM-IHM 55.321")

    def make(language):
        batch = disposal.open_batch(session, manager, proc.id, carrier.id)
        tags = {}
        for kind, category, media in (("wiped", Category.LAPTOP, True),
                                      ("destroyed", Category.DESKTOP, True),
                                      ("none", Category.MONITOR, False)):
            asset = register_asset(session, technician, category=category, manufacturer="Dell",
                                   model="Latitude 5420", serial=f"{language}-{kind}",
                                   media=[MediumSpec(MediumKind.SSD, f"D-{language}-{kind}", 256)]
                                   if media else [])
            for status in sanitisation.media_statuses(session, asset):
                if kind == "wiped":
                    rec = sanitisation.record(session, technician, status.medium.id, method="purge",
                                              technique="crypto_erase", tool="Blancco")
                    sanitisation.verify(session, manager, rec.id)
                else:
                    sanitisation.record(session, technician, status.medium.id, method="destroy",
                                        technique="shred")
            refurbishment.start(session, technician, asset.id)
            lifecycle.apply(session, technician, asset.id, "fail_checks")
            disposal.add_device(session, technician, batch.id, asset.tag)
            tags[kind] = asset.tag
        for line in disposal.weight_check(batch):
            disposal.record_weighing(session, technician, batch.id, line.weee_category, "10")
        document = disposal.close_batch(session, manager, batch.id, second, language=language)
        return document, tags

    return make


def test_certificate_in_english_lists_parties_codes_and_data_status(closed, tmp_path, pdf_tools):
    document, tags = closed("en")
    text = pdf_text(write_pdf(document.pdf, tmp_path))
    for expected in ("End-of-life certificate", document.number, "Galloo <Recycling> & Co",
                     "0403.170.701", "OVAM 2019/123", "Transport Claes", "OVAM-IHM 55.321",
                     "WEEELABEX WLX-42, valid until 30/06/2099", "20 01 35*", "20 01 36",
                     "2. Screens, monitors", "media destroyed", "no data-bearing parts", "wiped",
                     "Second manager (four eyes)", "Max Tweede", *tags.values()):
        assert expected in text, expected


def test_certificate_qr_code_verifies_against_the_database(closed, tmp_path, session, pdf_tools):
    document, tags = closed("en")
    png = render_png(write_pdf(document.pdf, tmp_path))
    [code] = scan_qr_codes(png)
    assert code == issued.qr_payload(document.number, document.digest)
    result = issued.verify_code(session, code)
    assert result.ok and sorted(d["tag"] for d in result.covered) == sorted(tags.values())


def test_certificate_in_dutch(closed, tmp_path, pdf_tools):
    document, _tags = closed("nl")
    text = pdf_text(write_pdf(document.pdf, tmp_path))
    for expected in ("Attest van einde levensduur", "Verwerker", "Vervoerder", "Ondernemingsnummer",
                     "gegevensdragers vernietigd", "geen gegevensdragers", "Per AEEA-categorie"):
        assert expected in text, expected
