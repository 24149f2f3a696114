"""The locations page, driven with a scanner: scan-to-move and a stock count with its resolutions.

Scans are simulated as key bursts through the window's scanner filter, so
these tests cover the whole path: keys → scan → service → tables, report.
"""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtWidgets import QApplication, QPushButton
from simkeys import Keyboard
from sqlalchemy import select

from app.config import Settings
from app.models import Asset, Category, CountFinding, Document, StockCount
from app.services import assets, auth, locations, moves
from app.services.permissions import SYSTEM
from app.ui.main_window import MainWindow


@pytest.fixture
def warehouse(ui_database):
    """Two shelves; three monitors on shelf A, one on shelf B, one without a location."""
    with ui_database.session() as s:
        auth.add_user(s, SYSTEM, "tine", "Tine Technieker", "technician", "tech-pass-1")
        boss = auth.add_user(s, SYSTEM, "mia", "Mia Manager", "manager", "mgr-pass-1")
        shelf_a = locations.create_location(s, boss, "Centraal magazijn", "A", "01", "2")
        shelf_b = locations.create_location(s, boss, "Centraal magazijn", "B", "02", "1")
        tags = {}
        for serial, where in (("MON-1", shelf_a), ("MON-2", shelf_a), ("MON-3", shelf_a),
                              ("MON-B", shelf_b), ("MON-LOOSE", None)):
            asset = assets.register_asset(s, boss, category=Category.MONITOR, manufacturer="Dell",
                                          model="P2419H", serial=serial)
            if where is not None:
                moves.move_by_scan(s, boss, where.code, asset.tag)
            tags[serial] = asset.tag
    return tags


def open_page(qtbot, ui_database, tmp_path, username: str):
    with ui_database.session() as s:
        from app.models import User

        user = s.scalars(select(User).where(User.username == username)).one()
    settings = Settings(site_name="Testmagazijn", extra={
        "printing": {"label_target": "folder", "folder": str(tmp_path / "out")}})
    window = MainWindow(ui_database, user, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("locations")
    page = window.stack.currentWidget()
    page.confirm = lambda _title, _text: True  # the "close the count?" question, answered yes
    return window, page, Keyboard(window.windowHandle())


@pytest.fixture
def technician_desk(qtbot, ui_database, tmp_path, english, warehouse):
    return open_page(qtbot, ui_database, tmp_path, "tine")


@pytest.fixture
def manager_desk(qtbot, ui_database, tmp_path, english, warehouse):
    return open_page(qtbot, ui_database, tmp_path, "mia")


def scan(qtbot, keyboard: Keyboard, code: str) -> None:
    keyboard.scan(code)
    qtbot.wait(1)  # let the queued scan be delivered
    QApplication.processEvents()


def location_code_of(database, tag: str) -> str | None:
    with database.session() as s:
        asset = s.scalars(select(Asset).where(Asset.tag == tag)).one()
        return asset.location.code if asset.location else None


def pdf_text(path) -> str:
    """The PDF's text in drawing order, white space folded (a reason wraps in its narrow cell)."""
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(raw.split())


def findings(page) -> dict[str, CountFinding]:
    return {line.tag or line.serial: line.finding for line in page.lines_model.rows}


# --- the page ---------------------------------------------------------------------------------

def test_the_page_lists_locations_with_their_device_counts(technician_desk):
    window, page, _keyboard = technician_desk
    assert window.current_page_key() == "locations"
    assert [(r.code, r.devices) for r in page.location_model.rows] == [
        ("LOC-A-01-2", 3), ("LOC-B-02-1", 1)]
    assert not page.new_button.isVisible()  # a technician does not create locations


# --- scan to move -----------------------------------------------------------------------------

def test_scan_a_location_then_devices_moves_each_of_them(qtbot, technician_desk, ui_database,
                                                         warehouse):
    _window, page, keyboard = technician_desk
    scan(qtbot, keyboard, "LOC-B-02-1")
    assert page.target.code == "LOC-B-02-1"
    assert "Moving to LOC-B-02-1" in page.target_label.text()
    scan(qtbot, keyboard, warehouse["MON-1"])
    assert page.scan_bar.state == "good"
    scan(qtbot, keyboard, "MON-LOOSE")  # by serial number
    assert location_code_of(ui_database, warehouse["MON-1"]) == "LOC-B-02-1"
    assert location_code_of(ui_database, warehouse["MON-LOOSE"]) == "LOC-B-02-1"
    rows = page.moves_model.rows
    assert [(r.code, r.from_code, r.to_code, r.ok) for r in rows] == [
        (warehouse["MON-LOOSE"], "—", "LOC-B-02-1", True),
        (warehouse["MON-1"], "LOC-A-01-2", "LOC-B-02-1", True)]
    counts = {r.code: r.devices for r in page.location_model.rows}
    assert counts == {"LOC-A-01-2": 2, "LOC-B-02-1": 3}


def test_an_unknown_device_flashes_red_and_stays_in_the_list(qtbot, technician_desk):
    _window, page, keyboard = technician_desk
    scan(qtbot, keyboard, "LOC-B-02-1")
    scan(qtbot, keyboard, "NOSUCHSERIAL")
    assert page.scan_bar.state == "bad"
    assert "receive it at the intake desk" in page.scan_bar.meaning()
    (row,) = page.moves_model.rows
    assert row.code == "NOSUCHSERIAL" and not row.ok


def test_a_device_scanned_before_any_location_is_refused(qtbot, technician_desk, ui_database,
                                                         warehouse):
    _window, page, keyboard = technician_desk
    scan(qtbot, keyboard, warehouse["MON-1"])
    assert page.scan_bar.state == "bad"
    assert "Scan a location label first" in page.scan_bar.meaning()
    assert location_code_of(ui_database, warehouse["MON-1"]) == "LOC-A-01-2"


def test_cancel_forgets_the_target_location(qtbot, technician_desk):
    _window, page, keyboard = technician_desk
    scan(qtbot, keyboard, "LOC-B-02-1")
    scan(qtbot, keyboard, "CMD-CANCEL")
    assert page.target is None


# --- stock count --------------------------------------------------------------------------------

def run_count(qtbot, page, keyboard, warehouse) -> None:
    """Count shelf A: two of its monitors, the one from shelf B, an unknown code, one twice."""
    page.show_tab("count")
    scan(qtbot, keyboard, "LOC-A-01-2")
    assert page.count_location.code == "LOC-A-01-2"
    scan(qtbot, keyboard, "CMD-DONE")  # start
    assert page.count is not None and not page.count.closed
    for code in (warehouse["MON-1"], "MON-2", warehouse["MON-B"], "OLD-STICKER-9"):
        scan(qtbot, keyboard, code)
        assert page.scan_bar.state == "good", page.last_message
    scan(qtbot, keyboard, warehouse["MON-1"])
    assert page.scan_bar.state == "bad" and "counted once" in page.scan_bar.meaning()
    assert len(page.lines_model.rows) == 4
    scan(qtbot, keyboard, "CMD-DONE")  # close


def test_a_count_with_the_scanner_reconciles_and_saves_the_report(qtbot, technician_desk,
                                                                  ui_database, warehouse, tmp_path):
    _window, page, keyboard = technician_desk
    run_count(qtbot, page, keyboard, warehouse)
    assert page.count.closed
    assert findings(page) == {
        warehouse["MON-1"]: CountFinding.FOUND, warehouse["MON-2"]: CountFinding.FOUND,
        warehouse["MON-3"]: CountFinding.MISSING, warehouse["MON-B"]: CountFinding.UNEXPECTED,
        "OLD-STICKER-9": CountFinding.UNKNOWN}
    assert "Missing: <b>1</b>" in page.count_tally.text()
    with ui_database.session() as s:
        document = s.scalars(select(Document)).one()
        assert s.scalars(select(StockCount)).one().report_document_id == document.id
    report = tmp_path / "out" / "documents" / f"{document.number}.pdf"
    text = pdf_text(report)
    assert "LOC-A-01-2" in text and "Tine Technieker" in text and "OLD-STICKER-9" in text
    # a technician counts; resolving is the manager's
    assert page.lines_table.isColumnHidden(page.lines_model.ACTIONS)


def test_the_manager_resolves_every_line_and_gets_the_final_report(qtbot, manager_desk,
                                                                   ui_database, warehouse,
                                                                   tmp_path):
    _window, page, keyboard = manager_desk
    run_count(qtbot, page, keyboard, warehouse)

    def button(prefix: str, key: str) -> QPushButton:
        line = next(ln for ln in page.lines_model.rows if key in (ln.tag, ln.serial))
        return page.lines_table.findChild(QPushButton, f"resolve_{prefix}_{line.line_id}")

    button("moved_here", warehouse["MON-B"]).click()
    assert location_code_of(ui_database, warehouse["MON-B"]) == "LOC-A-01-2"

    button("marked_missing", warehouse["MON-3"]).click()
    dialog = page.dialog
    dialog.save_button.click()  # no reason yet: refused inside the dialog
    assert dialog.isVisible() and "Give a reason" in dialog.error_label.text()
    dialog.reason.setPlainText("Not on the shelf; asked the bench")
    dialog.save_button.click()
    assert not dialog.isVisible()

    button("ignored", "OLD-STICKER-9").click()
    page.dialog.reason.setPlainText("Sticker of the old inventory")
    page.dialog.save_button.click()

    assert page.count.open_lines == 0
    assert "final report" in page.last_message
    with ui_database.session() as s:
        missing = s.scalars(select(Asset).where(Asset.tag == warehouse["MON-3"])).one()
        assert missing.missing_reason == "Not on the shelf; asked the bench"
        final = s.scalars(select(Document).order_by(Document.id.desc())).first()
    text = pdf_text(tmp_path / "out" / "documents" / f"{final.number}.pdf")
    assert "All lines are resolved." in text and "Sticker of the old inventory" in text


def test_a_device_scanned_before_the_count_starts_is_refused(qtbot, technician_desk, warehouse):
    _window, page, keyboard = technician_desk
    page.show_tab("count")
    scan(qtbot, keyboard, warehouse["MON-1"])
    assert page.scan_bar.state == "bad" and "Start a count first" in page.scan_bar.meaning()


# --- labels and new locations -------------------------------------------------------------------

def test_labels_of_the_selected_locations_are_printed(qtbot, technician_desk, tmp_path):
    _window, page, _keyboard = technician_desk
    page.location_table.selectAll()
    page.labels_button.click()
    assert page.scan_bar.state == "good", page.last_message
    (pdf,) = (tmp_path / "out" / "documents").glob("location-labels-*.pdf")
    text = pdf_text(pdf)
    assert "LOC-A-01-2" in text and "LOC-B-02-1" in text


def test_a_manager_creates_a_location_and_sees_its_code_while_typing(qtbot, manager_desk):
    _window, page, _keyboard = manager_desk
    dialog = page.open_new_location_dialog()
    dialog.site.setCurrentText("Depot Noord")
    dialog.zone.setText("n")
    dialog.rack.setText("03")
    assert dialog.code.text() == "LOC-N-03"
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert page.selected_rows()[0].code == "LOC-N-03"
    assert page.selected_rows()[0].site == "Depot Noord"
