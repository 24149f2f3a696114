"""A staff member collects the laptop they bought in a sale round: scan, Enter, receipt.

The round was opened, drawn and the laptop paid through the services. At the sales desk the
manager scans the laptop's tag; the question names the buyer, so the manager sees whether the
colleague standing there bought it; Enter hands it over (the labels are off) and the sales
receipt is printed. Esc hands nothing over.
"""

from __future__ import annotations

import pytest
from pdfcheck import pdf_text, render_png, require_pdf_tools, scan_qr_codes
from PySide6.QtWidgets import QMessageBox
from screen import keep, scan_bar, screenshot
from sqlalchemy import select
from stock import drawn_sale_round

from app.models import Asset, AssetStatus, Document, DocumentKind, ItemStatus, SaleItem


@pytest.fixture
def sale(warehouse):
    return drawn_sale_round(warehouse)


def sale_of(warehouse, tag: str) -> tuple[AssetStatus, ItemStatus, int | None]:
    with warehouse.session() as s:
        item = s.scalars(select(SaleItem).join(Asset).where(Asset.tag == tag)).one()
        return item.asset.status, item.status, item.receipt_document_id


def answer(desk, key: str, asked: list[str]) -> None:
    """Read the question when it comes up, then press `key`."""

    def read_and_press(box: QMessageBox) -> None:
        asked.append(box.text())
        screenshot(box, "sale-handover-question")
        desk.press(key)

    desk.when_modal(QMessageBox, read_and_press)


def test_the_buyer_s_laptop_scanned_and_enter_hands_it_over_with_its_receipt(
        start, desk, warehouse, sale, tmp_path):
    require_pdf_tools()
    window = start("mia")
    desk.shortcut("Ctrl+6")
    assert window.current_page_key() == "sales"
    asked: list[str] = []
    answer(desk, "Enter", asked)
    desk.scan(sale.paid)
    desk.settle()  # the scan's own settling went by while the question was up
    assert len(asked) == 1 and sale.buyer in asked[0] and sale.paid in asked[0]
    status, item_status, receipt_id = sale_of(warehouse, sale.paid)
    assert (status, item_status) == (AssetStatus.SOLD, ItemStatus.SOLD)
    verdict, message = scan_bar(window)
    assert verdict == "good" and "verkocht; verkoopbewijs" in message, message
    with warehouse.session() as s:
        receipt = s.get(Document, receipt_id)
        assert receipt.kind == DocumentKind.SALE_RECEIPT
        number, stored = receipt.number, receipt.pdf
    printed = tmp_path / "printed" / "documents" / f"sales-receipt-{sale.paid}.pdf"
    assert printed.read_bytes() == stored
    text = pdf_text(printed)
    assert number in text and sale.buyer in text and sale.paid in text
    picture = keep(render_png(printed), "sale-handover-receipt")
    assert any(number in code for code in scan_qr_codes(picture))  # the paper checks back
    screenshot(window, "sale-handover-done")
    assert window.width() <= 1280


def test_esc_at_the_question_hands_nothing_over_and_says_so(start, desk, warehouse, sale):
    window = start("mia")  # the colleague at the desk is not the buyer the question names
    desk.shortcut("Ctrl+6")
    asked: list[str] = []
    answer(desk, "Esc", asked)
    desk.scan(sale.paid)
    desk.settle()
    assert len(asked) == 1
    assert sale_of(warehouse, sale.paid) == (AssetStatus.RESERVED, ItemStatus.PAID, None)
    verdict, message = scan_bar(window)
    assert verdict == "bad" and sale.paid in message and "niet overhandigd" in message, message


def test_a_laptop_of_an_older_round_is_found_while_a_newer_round_is_shown(start, desk, warehouse):
    sale = drawn_sale_round(warehouse, newer_round=True)
    window = start("mia")
    desk.shortcut("Ctrl+6")  # the newest round is shown: the buyer comes for last round's laptop
    asked: list[str] = []
    answer(desk, "Enter", asked)
    desk.scan(sale.paid)
    desk.settle()
    assert len(asked) == 1 and sale.buyer in asked[0]
    assert sale_of(warehouse, sale.paid)[:2] == (AssetStatus.SOLD, ItemStatus.SOLD)
    assert scan_bar(window)[0] == "good"
