"""The intake desk, driven as a technician drives it: a scanner and the Enter key.

Scans are simulated as key bursts through the window's scanner filter, so
these tests cover the whole path: keys → scan → service → table, label, receipt.
"""

from __future__ import annotations

import subprocess

import pytest
from bench_helpers import pass_bench
from PySide6.QtWidgets import QApplication
from simkeys import Keyboard
from sqlalchemy import func, select

from app.config import Settings
from app.models import Asset, AssetStatus, Document, IntakeLot
from app.services import auth, parties
from app.services.assets import MediumSpec
from app.services.permissions import SYSTEM
from app.ui.main_window import MainWindow


@pytest.fixture
def desk(qtbot, ui_database, tmp_path, english):
    with ui_database.session() as s:
        tech = auth.add_user(s, SYSTEM, "tine", "Tine Technieker", "technician", "tech-pass-1")
        parties.create_party(s, SYSTEM, "service", name="Dienst Mobiliteit")
    settings = Settings(site_name="Testmagazijn",
                        extra={"printing": {"label_target": "folder", "folder": str(tmp_path / "out")}})
    window = MainWindow(ui_database, tech, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("intake")
    page = window.stack.currentWidget()
    return window, page, tmp_path / "out"


def scan(qtbot, keyboard: Keyboard, code: str) -> None:
    keyboard.scan(code)
    qtbot.wait(1)  # let the queued scan be delivered
    QApplication.processEvents()


def press_enter(qtbot, window) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return)


def count(database, model) -> int:
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_lot_of_30_devices_with_only_the_scanner_and_enter(qtbot, desk, ui_database):
    window, page, out = desk
    keyboard = Keyboard(window.windowHandle())
    page.delivered_by.setFocus()
    press_enter(qtbot, window)  # open the lot for the preselected service
    assert page.lot is not None
    # The first device of the day: the technician types its make and model once.
    scan(qtbot, keyboard, "5CG0000001")
    assert page.device_form.isVisible()
    page.device_form.manufacturer.setText("HP")
    page.device_form.model.setText("EliteBook 840 G8")
    press_enter(qtbot, window)
    for n in range(2, 31):  # the next 29: scan, Enter
        scan(qtbot, keyboard, f"5CG{n:07d}")
        assert page.device_form.isVisible(), page.last_message
        press_enter(qtbot, window)
    assert page.table_model.rowCount() == 30
    assert "30 devices" in page.lot_counts.text()
    labels = sorted((out / "labels").glob("CD*.pdf"))
    assert len(labels) == 30
    scan(qtbot, keyboard, "CMD-NEXT_LOT")  # close the lot: the receipt is issued and printed
    assert page.lot is None
    with ui_database.session() as s:
        lot = s.scalars(select(IntakeLot)).one()
        assert lot.closed_at is not None
        document = s.scalars(select(Document)).one()
        assert len(document.assets) == 30
    receipt = out / "documents" / f"{document.number}.pdf"
    text = subprocess.run(["pdftotext", str(receipt), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "5CG0000030" in text and "Tine Technieker" in text


def test_the_done_barcode_confirms_and_cancel_discards(qtbot, desk, ui_database):
    window, page, _out = desk
    keyboard = Keyboard(window.windowHandle())
    page.open_lot()
    scan(qtbot, keyboard, "SN-DONE-1")
    page.device_form.manufacturer.setText("Dell")
    page.device_form.model.setText("P2419H")
    scan(qtbot, keyboard, "CMD-DONE")  # a monitor on a laptop's form: filled in, shown, not saved
    assert count(ui_database, Asset) == 0 and page.device_form.isVisible()
    scan(qtbot, keyboard, "CMD-DONE")
    assert count(ui_database, Asset) == 1
    scan(qtbot, keyboard, "SN-CANCEL-1")
    scan(qtbot, keyboard, "CMD-CANCEL")
    assert not page.device_form.isVisible()
    assert count(ui_database, Asset) == 1


def test_a_duplicate_scan_flashes_red_and_adds_nothing(qtbot, desk, ui_database):
    window, page, _out = desk
    keyboard = Keyboard(window.windowHandle())
    page.open_lot()
    scan(qtbot, keyboard, "SN-TWICE")
    page.device_form.manufacturer.setText("Dell")
    page.device_form.model.setText("P2419H")
    page.confirm_device()
    scan(qtbot, keyboard, "SN-TWICE")
    assert page.scan_bar.state == "bad"
    assert "already scanned in this lot" in page.scan_bar.meaning()
    assert count(ui_database, Asset) == 1


def test_a_second_serial_before_confirming_the_first_is_refused_not_merged(qtbot, desk, ui_database):
    window, page, _out = desk
    keyboard = Keyboard(window.windowHandle())
    page.open_lot()
    scan(qtbot, keyboard, "SN-FIRST")
    scan(qtbot, keyboard, "SN-SECOND")
    assert page.scan_bar.state == "bad"
    assert "SN-FIRST" in page.device_form.serial.text()
    assert count(ui_database, Asset) == 0


def test_undo_last_removes_the_device_and_its_row(qtbot, desk, ui_database):
    window, page, _out = desk
    keyboard = Keyboard(window.windowHandle())
    page.open_lot()
    scan(qtbot, keyboard, "SN-UNDO")
    page.device_form.manufacturer.setText("Dell")
    page.device_form.model.setText("P2419H")
    page.confirm_device()
    scan(qtbot, keyboard, "CMD-UNDO_LAST")
    assert page.table_model.rowCount() == 0
    assert count(ui_database, Asset) == 0


def test_print_again_reprints_the_last_label(qtbot, desk):
    window, page, out = desk
    keyboard = Keyboard(window.windowHandle())
    page.open_lot()
    scan(qtbot, keyboard, "SN-LABEL")
    page.device_form.manufacturer.setText("Dell")
    page.device_form.model.setText("P2419H")
    page.confirm_device()
    label = next((out / "labels").glob("CD*.pdf"))
    label.unlink()
    scan(qtbot, keyboard, "CMD-PRINT_AGAIN")
    assert label.exists()


def test_a_scan_before_a_lot_is_open_says_what_to_do(qtbot, desk):
    window, page, _out = desk
    keyboard = Keyboard(window.windowHandle())
    scan(qtbot, keyboard, "5CG9999999")
    assert page.scan_bar.state == "bad"
    assert "Open a lot first" in page.scan_bar.meaning()


def test_a_device_back_after_its_second_life_is_taken_back(qtbot, desk, ui_database):
    from app.services import assets, lifecycle

    window, page, _out = desk
    with ui_database.session() as s:
        school = parties.create_party(s, SYSTEM, "school", name="School", street="s", postcode="9000",
                                      city="Gent")
        tech = auth.add_user(s, SYSTEM, "tom", "Tom", "technician", "tech-pass-2")
        boss = auth.add_user(s, SYSTEM, "mia", "Mia", "manager", "mgr-pass-2")
        device = assets.register_asset(s, tech, category="laptop", manufacturer="Dell",
                                       model="Latitude 5420", serial="BACK-HOME", grade="B",
                                       media=[MediumSpec("ssd", "BACK-HOME-D", 256)])
        pass_bench(s, tech, boss, device.id)
        lifecycle.apply(s, boss, device.id, "reserve", purpose="handover")
        lifecycle.apply(s, boss, device.id, "transfer", recipient=school, labels_removed=True)
    keyboard = Keyboard(window.windowHandle())
    page.open_lot()
    scan(qtbot, keyboard, "BACK-HOME")
    with ui_database.session() as s:
        assert s.get(Asset, device.id).status == AssetStatus.AWAITING_DISPOSAL
    assert page.table_model.rowCount() == 1


def test_the_command_sheet_can_be_printed_from_the_desk(qtbot, desk):
    window, page, out = desk
    page.open_lot()
    page.sheet_button.click()
    sheet = out / "documents" / "scanner-commands.pdf"
    text = subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Klaar" in text and "Done" in text  # Dutch and English names


def test_labels_printed_through_qt_still_scan_back(qtbot, desk, tmp_path):
    """The Qt print path (print dialog / preview) renders the label PDF onto the printer page by
    page; printed to a PDF file here, the barcode must still decode to the tag."""
    from PySide6.QtPrintSupport import QPrinter

    from app.ui.printing import print_pdf_to

    window, page, _out = desk
    page.open_lot()
    page.handle_scan("SN-QT-PRINT")
    page.device_form.manufacturer.setText("Dell")
    page.device_form.model.setText("Latitude 5420")
    page.confirm_device()
    tag = page.table_model.tags()[0]
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setFullPage(True)
    print_pdf_to(printer, page.lot_labels_pdf())
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(tmp_path / "printed.pdf"), str(tmp_path / "p")],
                   check=True)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", *map(str, sorted(tmp_path.glob("p*.png")))],
                             capture_output=True, text=True).stdout.split()
    assert tag in decoded
