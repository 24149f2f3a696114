"""A handover at the desk with the scanner and the keyboard only.

The manager reserved three laptops for a school (set up through the services). At the desk the
manager scans each laptop, ticks that the province's labels are off, and hands them over: the
certificate is issued and printed at once. What changed is read from the database and from the
printed PDF, rendered to a picture as the school would hold it.
"""

from __future__ import annotations

import pytest
from pdfcheck import pdf_text, render_png, require_pdf_tools, scan_qr_codes
from PySide6.QtWidgets import QApplication
from screen import keep, label, scan_bar, screenshot
from sqlalchemy import select
from stock import handover_for_a_school

from app.models import Asset, AssetStatus, Document, DocumentKind


@pytest.fixture
def handover(warehouse):
    return handover_for_a_school(warehouse)


def statuses(warehouse, tags) -> list[AssetStatus]:
    with warehouse.session() as s:
        return [s.scalar(select(Asset.status).where(Asset.tag == t)) for t in tags]


def scan_all(desk, window, tags) -> None:
    for n, tag in enumerate(tags, start=1):
        desk.scan(tag)
        verdict, message = scan_bar(window)
        assert verdict == "good" and f"{n} van {len(tags)} gescand" in message, message


def test_scanned_labels_ticked_and_handed_over_with_keys(start, desk, warehouse, handover, tmp_path):
    require_pdf_tools()
    window = start("mia")
    desk.shortcut("Ctrl+5")
    assert window.current_page_key() == "handovers"
    scan_all(desk, window, handover.reserved)  # the first scan brings the desk tab forward
    assert label(window, "deskProgress") == "3 van 3 gescand · 0 ontbrekend"

    desk.scan("CMD-DONE")  # the labels are not confirmed yet: refused, nothing handed over
    verdict, message = scan_bar(window)
    assert verdict == "bad" and "labels" in message, message
    assert statuses(warehouse, handover.reserved) == [AssetStatus.RESERVED] * 3

    desk.shortcut("F2")  # the labels and stickers are off every device
    screenshot(window, "handover-keys-ready")
    desk.shortcut("F9")  # hand over and print the certificate
    assert statuses(warehouse, handover.reserved) == [AssetStatus.TRANSFERRED] * 3
    with warehouse.session() as s:
        certificate = s.scalars(select(Document).where(
            Document.kind == DocumentKind.HANDOVER_CERTIFICATE)).one()
        number, stored = certificate.number, certificate.pdf
    verdict, message = scan_bar(window)
    assert verdict == "good" and number in message and "Overgedragen" in message, message
    assert number in label(window, "certificateLabel")
    printed = tmp_path / "printed" / "documents" / f"{number}.pdf"
    assert printed.read_bytes() == stored  # the paper is the issued document
    text = pdf_text(printed)
    assert "Sint-Jozefscollege" in text and all(tag in text for tag in handover.reserved)
    picture = keep(render_png(printed), "handover-keys-certificate")
    assert any(number in code for code in scan_qr_codes(picture))  # the paper checks back
    screenshot(window, "handover-keys-done")
    assert window.width() <= 1280

    printed.unlink()
    desk.shortcut("F4")  # print again: the same document
    assert printed.read_bytes() == stored


def test_tab_leaves_the_scan_field_for_the_labels_and_the_hand_over_button(start, desk, warehouse,
                                                                          handover):
    window = start("mia")
    desk.shortcut("Ctrl+5")
    scan_all(desk, window, handover.reserved)
    seen = []
    for _ in range(4):  # past the table (arrows move in it), not through each of its cells
        desk.press("Tab")
        seen.append(QApplication.focusWidget().objectName())
    assert "labelsRemoved" in seen and "completeHandover" in seen, seen
    while QApplication.focusWidget().objectName() != "labelsRemoved":
        desk.press("Backtab")
    desk.press("Space")
    desk.press("Tab")
    assert QApplication.focusWidget().objectName() == "completeHandover"
    desk.press("Space")
    assert statuses(warehouse, handover.reserved) == [AssetStatus.TRANSFERRED] * 3
