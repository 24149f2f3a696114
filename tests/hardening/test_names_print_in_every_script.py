"""Names print in every script: Latin Extended, Greek, Cyrillic, Arabic and CJK (issue #17, 18).

The PDFs used to draw with Helvetica, not embedded and Windows-1252 only: 'Łukasz'
printed as '■ukasz', Arabic and Chinese as rows of boxes, and the labels as '?'. A
handover certificate (a person, a school, device models) and the labels are rendered
with such names and read back as a holder would: every font embedded (pdffonts), the
names as text (pdftotext), a page rendered to PNG beside the PDF to look at.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata

import pytest
from handover_helpers import laptops_request, ready_device, reserve_all_proposals
from pdfcheck import pdf_text, render_png, write_pdf

from app.models import PartyType
from app.services import handovers, intake, parties
from app.services.documents import fonts, labels
from app.services.documents.command_sheet import render_command_sheet

PERSON = "Ayşe Yılmaz-Dvořák"  # Latin Extended-A: ş ı ř
SCHOOL = "مدرسة الأمل"  # Arabic: joined letter forms, right to left
GREEK_MODEL = "Φορητός Παπαδόπουλος"
CYRILLIC_MAKER = "Łukasz Дмитрий"  # Latin Extended and Cyrillic in one run of text
CJK_MODEL = "联想 笔记本 東京 김민준"  # Chinese, Japanese kanji, Korean Hangul
LATIN_NAMES = (PERSON, GREEK_MODEL, CYRILLIC_MAKER, CJK_MODEL)
EMOJI_ORG = "Repair Café 😀"  # beyond U+FFFF: DejaVu draws it, the text must read back
BOXES = ("\u25a0", "\ufffd", "\u25a1")  # black square, replacement character, white square


def _fonts_of(pdf) -> list[tuple[str, bool]]:
    """(name, embedded) of every font the PDF uses, from pdffonts."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    return [(row.split()[0], row.split()[-5] == "yes") for row in rows if row.strip()]


def _logical(text: str) -> str:
    """Text as read back: Arabic presentation forms to letters, direction marks removed."""
    return re.sub("[\u200e\u200f\u202a-\u202e]", "", unicodedata.normalize("NFKC", text))


@pytest.fixture
def certificate(session, technician, manager, tmp_path, pdf_tools):
    school = parties.create_party(session, manager, PartyType.SCHOOL, name=SCHOOL,
                                  enterprise_number="0419.028.518", street="Collegestraat 24",
                                  postcode="8800", city="Roeselare", contact_name=PERSON)
    devices = [ready_device(session, technician, manager, f"UNI-{i}", model=model,
                            manufacturer=maker)
               for i, (maker, model) in enumerate([(CYRILLIC_MAKER, GREEK_MODEL),
                                                   ("Lenovo", CJK_MODEL)])]
    batch = reserve_all_proposals(session, manager, laptops_request(session, manager, school, 2))
    for d in devices:
        handovers.scan_at_desk(session, technician, batch.id, d.tag)
    document = handovers.complete_handover(session, technician, batch.id, labels_removed=True,
                                           language="en")
    return write_pdf(document.pdf, tmp_path, "handover.pdf")


@pytest.fixture
def label_pdf(tmp_path, pdf_tools):
    path = tmp_path / "labels.pdf"
    labels.render_pdf(_label_data(), "102x51", path)
    return path


def _label_data() -> list[labels.LabelData]:
    day = dt.date(2026, 12, 3)
    return [labels.LabelData("CD00000016", CYRILLIC_MAKER, GREEK_MODEL, "SN-Ω1", day, PERSON),
            labels.LabelData("CD00000024", "", SCHOOL, None, day),
            labels.LabelData("CD00000032", "Lenovo", CJK_MODEL, "X1", day, EMOJI_ORG)]


def test_every_font_of_the_certificate_is_embedded(certificate):
    used = _fonts_of(certificate)
    assert used and all(embedded for _, embedded in used), used
    assert not any("Helvetica" in name or "Courier" in name for name, _ in used)


def test_names_in_latin_greek_cyrillic_and_cjk_come_back_as_text(certificate):
    text = pdf_text(certificate)
    for name in LATIN_NAMES:
        assert name in text, name
    assert not any(box in text for box in BOXES)
    render_png(certificate)  # handover-p1.png beside the PDF, to look at


def test_the_arabic_school_comes_back_letter_for_letter(certificate):
    # Shaped into joined presentation forms and drawn right to left; a reader that
    # extracts the text gets each word back in logical order.
    text = _logical(pdf_text(certificate))
    for word in SCHOOL.split():
        assert word in text, word


def test_the_intake_receipt_prints_a_courier_and_models_in_every_script(session, technician,
                                                                        manager, tmp_path,
                                                                        pdf_tools):
    service = parties.create_party(session, manager, PartyType.SERVICE, name="Служба Ελλάδα")
    lot = intake.open_lot(session, technician, service.id, delivered_by=PERSON)
    for i, model in enumerate((GREEK_MODEL, SCHOOL, CJK_MODEL)):
        result = intake.interpret_scan(session, lot.id, f"UNI-R{i}")
        result.form.manufacturer, result.form.model = CYRILLIC_MAKER, model
        intake.receive(session, technician, lot.id, result.form)
    pdf = write_pdf(intake.close_lot(session, technician, lot.id, language="en").pdf, tmp_path,
                    "receipt.pdf")
    used = _fonts_of(pdf)
    assert used and all(embedded for _, embedded in used), used
    text = _logical(pdf_text(pdf))
    for name in (PERSON, GREEK_MODEL, CYRILLIC_MAKER, CJK_MODEL, *SCHOOL.split()):
        assert name in text, name
    assert not any(box in text for box in BOXES)
    render_png(pdf)


def test_the_command_sheet_embeds_its_fonts(tmp_path, pdf_tools):
    path = tmp_path / "commands.pdf"
    render_command_sheet(path)
    used = _fonts_of(path)
    assert used and all(embedded for _, embedded in used), used


def test_every_font_of_the_labels_is_embedded_and_the_names_come_back(label_pdf):
    used = _fonts_of(label_pdf)
    assert used and all(embedded for _, embedded in used), used
    text = _logical(pdf_text(label_pdf))
    for name in (PERSON, GREEK_MODEL, CYRILLIC_MAKER, CJK_MODEL, EMOJI_ORG, *SCHOOL.split()):
        assert name in text, name
    assert "?" not in text and not any(box in text for box in BOXES)
    render_png(label_pdf)


@pytest.mark.parametrize("name", [PERSON, GREEK_MODEL, CYRILLIC_MAKER, SCHOOL, CJK_MODEL])
def test_every_character_is_drawn_in_a_font_that_has_it(name):
    for font in (fonts.REGULAR, fonts.BOLD):
        for run_font, piece in fonts.runs(name, font):
            missing = [c for c in piece if not c.isspace() and ord(c) not in fonts.covered(run_font)]
            assert not missing, (run_font, missing)


def test_arabic_is_shaped_and_put_right_to_left():
    drawn = fonts.visual(SCHOOL)
    # Joined forms (Arabic Presentation Forms-B), the first letter of the text drawn rightmost.
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in drawn if not c.isspace())
    assert unicodedata.normalize("NFKC", drawn[-1]) == SCHOOL[0]
    assert fonts.visual("Dell Latitude") == "Dell Latitude"


def test_zpl_labels_print_no_question_marks():
    zpl = labels.render_zpl(_label_data(), "102x51")
    assert "?" not in zpl
    # What Zebra font 0 cannot print is sent as a bitmap drawn with the app's fonts …
    first = zpl.split("^XZ")[0]
    assert first.count("^GFA") == 3  # the person (org line), the model, the serial "SN-Ω1"
    # … and what it can print stays text the printer sets itself.
    assert "^A0N" in first and "^FDCD00000016^FS" in first


def test_a_plain_latin_label_still_goes_as_printer_text():
    data = labels.LabelData("CD00000016", "Dell", "Latitude 5420 Café", "ABC", dt.date(2026, 1, 2))
    zpl = labels.render_zpl([data], "102x51")
    assert "^GFA" not in zpl and "Latitude 5420 Café" in zpl


def test_arabic_keeps_bold_and_stands_upright_in_italics():
    # DejaVu's bold face has Arabic; its oblique face has none, so there a run switches
    # to the upright face (a <font> tag resets bold and italic to the named font's).
    assert "<font" not in fonts.markup(f"<b>{SCHOOL}</b>")
    assert f'<font name="{fonts.REGULAR}">' in fonts.markup(f"<i>{SCHOOL}</i>")
    assert f'<b><font name="{fonts.CJK}">' in fonts.markup(f"<b>{CJK_MODEL}</b>")
