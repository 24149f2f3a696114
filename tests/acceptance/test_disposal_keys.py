"""A disposal batch from opening to pick-up with the scanner and the keyboard only.

Two retired monitors and a laptop that failed at the bench (its disk wiped) await disposal. The
manager opens a batch for the certified processor, scans the three devices into it, records
what the scale said per WEEE category at pick-up, and closes the batch with a second manager
signing in: every device is disposed of and the end-of-life certificate is issued and printed.
"""

from __future__ import annotations

import pytest
from pdfcheck import pdf_text, render_png, require_pdf_tools, scan_qr_codes
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel
from screen import keep, label, scan_bar, screenshot
from sqlalchemy import select
from stock import SECOND_MANAGER, disposal_yard

from app.models import (
    Asset,
    AssetStatus,
    DisposalBatch,
    DisposalStatus,
    DisposalWeighing,
    Document,
)


@pytest.fixture
def yard(warehouse):
    return disposal_yard(warehouse)


def statuses(warehouse, tags) -> list[AssetStatus]:
    with warehouse.session() as s:
        return [s.scalar(select(Asset.status).where(Asset.tag == t)) for t in tags]


def dialog_up(name: str) -> QDialog:
    dialog = QApplication.activeModalWidget()
    assert dialog is not None and dialog.objectName() == name, dialog
    return dialog


def test_a_batch_opened_scanned_weighed_and_closed_with_keys(start, desk, warehouse, yard,
                                                              tmp_path):
    require_pdf_tools()
    devices = [*yard.monitors, yard.laptop]
    window = start("mia")
    desk.shortcut("Ctrl+7")
    assert window.current_page_key() == "disposal"

    for _ in range(3):  # New batch… is a Tab or two away; Space presses it
        if QApplication.focusWidget().objectName() == "newBatchButton":
            break
        desk.press("Tab")
    desk.press("Space")
    dialog_up("newBatchDialog")  # the one certified processor is chosen: Enter opens the batch
    desk.enter()
    verdict, message = scan_bar(window)
    assert verdict == "good" and "DB-" in message, message

    for tag in devices:
        desk.scan(tag)
        verdict, message = scan_bar(window)
        assert verdict == "good" and "AEEA-categorie" in message, message
    assert label(window, "batchTitle").startswith("Partij DB-") and "3 toestellen" in \
        label(window, "batchTitle")

    desk.shortcut("F6")  # the scale at pick-up: monitors and laptops are both WEEE category 2
    assert dialog_up("weighingDialog").findChild(QComboBox, "weighingCategory").currentData() == 2
    desk.type("12,4")
    desk.enter()
    assert "Klaar om af te sluiten" in label(window, "closeProblems")
    screenshot(window, "disposal-keys-weighed")

    desk.shortcut("F9")  # close at pick-up: a second manager signs in
    dialog_up("closeBatchDialog")
    desk.type(SECOND_MANAGER[0])
    desk.press("Tab")
    desk.type(SECOND_MANAGER[1])
    desk.enter()
    assert statuses(warehouse, devices) == [AssetStatus.DISPOSED] * 3
    with warehouse.session() as s:
        batch = s.scalars(select(DisposalBatch)).one()
        assert batch.status == DisposalStatus.CLOSED
        certificate = s.get(Document, batch.certificate_id)
        number, stored = certificate.number, certificate.pdf
    verdict, message = scan_bar(window)
    assert verdict == "good" and number in message, message

    desk.shortcut("F4")  # print the EOL certificate: the issued document
    printed = tmp_path / "printed" / "documents" / f"{number}.pdf"
    assert printed.read_bytes() == stored
    text = pdf_text(printed)
    assert "Galloo Recycling" in text and all(tag in text for tag in devices)
    picture = keep(render_png(printed), "disposal-keys-eol-certificate")
    assert any(number in code for code in scan_qr_codes(picture))  # the paper checks back
    screenshot(window, "disposal-keys-closed")
    assert window.width() <= 1280


def one_monitor_weighed(start, desk, warehouse):
    """A manager at the disposal desk scans a monitor into the open batch and weighs it (F6)."""
    yard = disposal_yard(warehouse, batch_open=True)
    window = start("mia")
    desk.shortcut("Ctrl+7")
    desk.scan(yard.monitors[0])
    desk.shortcut("F6")
    desk.type("5,1")
    desk.enter()
    return yard, window


def test_esc_in_the_close_dialog_leaves_the_batch_open(start, desk, warehouse):
    yard, window = one_monitor_weighed(start, desk, warehouse)
    desk.shortcut("F9")
    dialog_up("closeBatchDialog")
    desk.type(SECOND_MANAGER[0])
    desk.press("Esc")
    assert QApplication.activeModalWidget() is None
    assert statuses(warehouse, yard.monitors[:1]) == [AssetStatus.AWAITING_DISPOSAL]
    desk.scan(yard.monitors[1])  # the desk goes on scanning
    assert scan_bar(window)[0] == "good"
    desk.shortcut("F8")  # that one was not for the recycler after all: out of the batch again
    verdict, message = scan_bar(window)
    assert verdict == "good" and yard.monitors[1] in message and "uit de partij" in message, message
    with warehouse.session() as s:
        assert len(s.scalars(select(DisposalBatch)).one().items) == 1


def test_a_weight_under_a_category_the_batch_does_not_hold_is_refused(start, desk, warehouse):
    yard, window = one_monitor_weighed(start, desk, warehouse)
    desk.shortcut("F6")  # once more, to weigh again: it opens on the batch's category, not on 1
    dialog = dialog_up("weighingDialog")
    category = dialog.findChild(QComboBox, "weighingCategory")
    assert category.currentData() == 2
    desk.press("Backtab")
    desk.press("Up")  # 1. temperature exchange equipment: not in this batch
    assert category.currentData() == 1
    desk.press("Tab")
    desk.type("2,2")
    desk.enter()
    error = dialog.findChild(QLabel, "weighingDialogError")
    assert error.isVisible() and "geen toestel van AEEA-categorie 1" in error.text(), error.text()
    screenshot(dialog, "disposal-weighing-refused")
    desk.press("Esc")
    with warehouse.session() as s:
        weighed = {w.weee_category: w.weighed_kg for w in s.scalars(select(DisposalWeighing))}
    assert list(weighed) == [2]
    assert "Klaar om af te sluiten" in label(window, "closeProblems")
