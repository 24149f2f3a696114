"""The staff-sale documents as a reader sees them: rendered, read back, QR codes scanned."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pdfcheck import pdf_text, render_png, scan_qr_codes, write_pdf
from sales_helpers import ready_device, staff_members

from app.models import Document
from app.services import sales, staff
from app.services.documents import issued
from app.services.documents.sale_catalogue import catalogue_xlsx, render_catalogue_pdf

TODAY = dt.date(2026, 11, 29)
# The pictures in docs/screenshots are renewed with DEPOT_SCREENSHOTS=docs/screenshots; a plain
# test run writes them to a temporary folder, so running the tests never changes the repository.
SHOTS = Path(os.environ.get("DEPOT_SCREENSHOTS") or Path(tempfile.gettempdir()) / "depot-screenshots")


@pytest.fixture
def db_url(sqlite_url):  # documents do not depend on the database: SQLite only
    return sqlite_url


@pytest.fixture
def sold(session, technician, manager):
    devices = [ready_device(session, technician, manager, f"SN-{i}") for i in range(3)]
    people = staff_members(session, manager, 3)
    buyer = staff.add_staff_member(session, manager, "Sofie Vandenbroucke & Co <b>", "P77777",
                                   "sofie@provincie.example", "Dienst Erfgoed")
    round_ = sales.open_round(session, manager, "Najaar <2026>", TODAY, TODAY,
                              [d.id for d in devices], limits={"laptop": 1},
                              eligibility="=1+1 alle personeelsleden", today=TODAY)
    sales.register_interest(session, manager, round_.items[0].id, buyer.id, today=TODAY)
    for person in people:
        sales.register_interest(session, manager, round_.items[1].id, person.id, today=TODAY)
    sales.close_round(session, manager, round_.id, today=TODAY, language="en")
    sales.register_payment(session, manager, round_.items[0].id, "transfer")
    item = sales.hand_over(session, manager, devices[0].tag, labels_removed=True, language="en")
    return round_, item


def test_sales_receipt_names_buyer_device_price_terms_and_scans_back(session, sold, pdf_tools,
                                                                     tmp_path):
    _round, item = sold
    receipt = session.get(Document, item.receipt_document_id)
    pdf = write_pdf(receipt.pdf, tmp_path, "receipt.pdf")
    text = pdf_text(pdf)
    assert "Sales receipt and handover" in text and receipt.number in text
    assert "Sofie Vandenbroucke & Co <b>" in text and "P77777" in text  # user text printed literally
    assert item.asset.tag in text and "€ 92,00" in text and "+++" in text
    assert "sold as is" in text and "WEEE collection point" in text and "Signature" in text
    png = render_png(pdf)
    assert scan_qr_codes(png) == [issued.qr_payload(receipt.number, receipt.digest)]
    assert issued.verify_code(session, scan_qr_codes(png)[0]).ok
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, SHOTS / "sales-receipt.png")


def test_allocation_report_prints_seed_candidates_and_winners_without_full_names(
        session, sold, pdf_tools, tmp_path):
    round_, _item = sold
    report = session.get(Document, round_.report_document_id)
    pdf = write_pdf(report.pdf, tmp_path, "allocation.pdf")
    text = pdf_text(pdf)
    assert round_.seed in text and "Najaar <2026>" in text
    assert "by lottery" in text and "only candidate" in text and "nobody: back in stock" in text
    assert "STAFF-" in text and "Collega" not in text and "Vandenbroucke" not in text
    assert "python -m app sales lottery" in text
    png = render_png(pdf)
    assert scan_qr_codes(png) == [issued.qr_payload(report.number, report.digest)]
    shutil.copy(png, SHOTS / "sales-allocation-report.png")


def test_catalogue_lists_every_device_with_price_rule_and_conditions(session, manager, sold,
                                                                     pdf_tools, tmp_path):
    round_, _item = sold
    rows = sales.item_rows(session, manager, round_.id)
    pdf = write_pdf(render_catalogue_pdf(round_, rows, language="en"), tmp_path, "catalogue.pdf")
    text = pdf_text(pdf)
    assert all(r.tag in text for r in rows) and "€ 92,00" in text and "grade B counts 85%" in text
    assert "Per person at most: 1 × laptop" in text and "=1+1 alle personeelsleden" in text
    shutil.copy(render_png(pdf), SHOTS / "sales-catalogue.png")


def test_catalogue_xlsx_has_a_row_per_device_and_no_formulas(session, manager, sold, tmp_path):
    round_, _item = sold
    rows = sales.item_rows(session, manager, round_.id)
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(catalogue_xlsx(round_, rows, language="en"))
    sheet = load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values.index(["Tag", "Category", "Device", "Key specs", "Grade", "Price", "Price rule"])
    assert [v[0] for v in values[header + 1:]] == [r.tag for r in rows]
    assert values[header + 1][5] == 92
    assert values[0][0] == "Najaar <2026>"
    assert ["Who may take part: =1+1 alle personeelsleden"] == [v[0] for v in values
                                                                if str(v[0]).startswith("Who")]
    assert not any(isinstance(v[0], str) and v[0].startswith("=") for v in values)
