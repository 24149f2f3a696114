"""The administrator's settings tabs, set by keyboard and read back where they are kept.

Printing and labels, scanner and sound, backup (the desk's settings file) and
the organisation (the database): each set through the page the way an
administrator would — typing, Enter, the space bar on a tick box — and read
back from `Settings.load()` or the service. Bad input gets its message and
saves nothing; the page never grows wider than the window, whatever path it shows.
"""

from __future__ import annotations

import io
import socket
import threading

import pytest
from pdfcheck import pdf_text
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.config import Settings
from app.models import Role
from app.services import auth, backup, organisation
from app.services.permissions import SYSTEM
from app.ui import printing, settings_printing
from app.ui.printing import LabelPrinter, PrintSettings
from app.ui.scanner import ScannerSettings
from app.ui.settings_page import SettingsPage

PAGE_ROOM = (1060, 740)  # what the 1280×800 window leaves beside the navigation
DEEP = "/".join(["een-heel-diep-gelegen-map-op-de-netwerkschijf-van-de-provincie"] * 6)


def open_page(qtbot, database, user, settings=None, tab=None) -> SettingsPage:
    page = SettingsPage(database, user, settings or Settings())
    qtbot.addWidget(page)
    page.resize(*PAGE_ROOM)
    page.show()
    qtbot.waitExposed(page)
    if tab is not None:
        page.show_tab(getattr(page, tab))
    return page


def type_into(qtbot, edit, text: str, enter: bool = True) -> None:
    """Select what the field holds and type over it, like a person; Enter saves the tab."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(edit, text)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if enter:
        qtbot.keyClick(edit, Qt.Key.Key_Return)


def png(width=120, height=40) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def no_printers(monkeypatch):
    """This test machine's printers (if any) never get a page: Qt finds none."""
    monkeypatch.setattr(printing, "_printer", lambda name: None)
    monkeypatch.setattr(settings_printing, "available_printers", list)


# --- printing and labels --------------------------------------------------------------------

def test_documents_saved_to_a_typed_folder_are_kept_on_enter(qtbot, ui_database, admin, tmp_path,
                                                             english, no_printers):
    page = open_page(qtbot, ui_database, admin, tab="printing")
    page.printing.choose("documents", "folder")
    type_into(qtbot, page.printing.folder_edit, str(tmp_path / "pdf"))
    saved = PrintSettings.from_settings(Settings.load())
    assert saved.destination("documents") == ("folder", None)
    assert saved.output_folder() == tmp_path / "pdf"
    assert page.printing.done_label.text().startswith("Saved.")


def test_test_print_of_a_page_says_where_it_went_and_carries_the_organisation(
        qtbot, ui_database, admin, tmp_path, english, no_printers, pdf_tools):
    with ui_database.session() as s:
        organisation.save(s, admin, name="Provincie Limburg", enterprise_number="0216.747.488")
    page = open_page(qtbot, ui_database, admin, tab="printing")
    page.printing.choose("documents", "folder")
    type_into(qtbot, page.printing.folder_edit, str(tmp_path / "pdf"), enter=False)
    qtbot.mouseClick(page.printing.test_buttons["documents"], Qt.MouseButton.LeftButton)
    printed = tmp_path / "pdf" / "documents" / "test-documents.pdf"
    assert str(printed) in page.printing.done_label.text()
    text = pdf_text(printed)
    assert "Test page" in text and "Provincie Limburg" in text and "0216.747.488" in text
    assert Settings.load().extra == {}  # a test print saves nothing


def test_test_label_goes_over_the_network_to_the_zebra_address(qtbot, ui_database, admin, english,
                                                              no_printers):
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)
    received: list[bytes] = []

    def zebra():
        conn, _peer = server.accept()
        with conn:
            received.append(b"".join(iter(lambda: conn.recv(65536), b"")))

    listener = threading.Thread(target=zebra, daemon=True)
    listener.start()
    try:
        page = open_page(qtbot, ui_database, admin, tab="printing")
        page.printing.choose("labels", "zebra")
        type_into(qtbot, page.printing.zebra_edit, f"127.0.0.1:{server.getsockname()[1]}",
                  enter=False)
        page.printing.dpi_combo.setCurrentIndex(page.printing.dpi_combo.findData(300))
        message = page.printing.test_print("labels")
        listener.join(5)
    finally:
        server.close()
    assert "Label sent to the Zebra printer 127.0.0.1:" in message
    assert b"^XA" in received[0] and b"TEST-0001" in received[0]


def test_label_stock_and_zebra_settings_are_saved(qtbot, ui_database, admin, english, no_printers):
    page = open_page(qtbot, ui_database, admin, tab="printing")
    page.printing.layout_combo.setCurrentIndex(page.printing.layout_combo.findData("62x29"))
    page.printing.dpi_combo.setCurrentIndex(page.printing.dpi_combo.findData(300))
    qtbot.keyClick(page.printing.auto_print, Qt.Key.Key_Space)
    page.printing.choose("labels", "zebra")
    type_into(qtbot, page.printing.zebra_edit, "zebra-onthaal.provincie.local")
    saved = PrintSettings.from_settings(Settings.load())
    assert (saved.label_layout, saved.zebra_dpi, saved.auto_print_labels) == ("62x29", 300, False)
    assert saved.zebra == "zebra-onthaal.provincie.local:9100"  # the port the printer listens on
    assert saved.destination("labels") == ("zebra", None)


@pytest.mark.parametrize(("address", "message"), [
    ("zebra:99999", "is not a printer address. Write host:port"),
    ("10.0.4", "is not a printer address"),
])
def test_a_bad_printer_address_is_refused_and_nothing_saved(qtbot, ui_database, admin, english,
                                                            no_printers, address, message):
    page = open_page(qtbot, ui_database, admin, tab="printing")
    type_into(qtbot, page.printing.zebra_edit, address)
    assert message in page.printing.error_label.text()
    assert "Nothing was saved" in page.printing.error_label.text()
    assert "printing" not in Settings.load().extra


def test_labels_to_the_zebra_need_its_address(qtbot, ui_database, admin, english, no_printers):
    page = open_page(qtbot, ui_database, admin, tab="printing")
    page.printing.choose("labels", "zebra")
    type_into(qtbot, page.printing.zebra_edit, "")
    assert page.printing.error_label.text().startswith("Labels go to the Zebra printer")
    assert "printing" not in Settings.load().extra


def test_a_folder_this_desk_cannot_write_in_is_refused(qtbot, ui_database, admin, tmp_path, english,
                                                       no_printers):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    page = open_page(qtbot, ui_database, admin, tab="printing")
    type_into(qtbot, page.printing.folder_edit, str(blocker / "pdf"))
    assert "This desk cannot write in the folder" in page.printing.error_label.text()
    assert "printing" not in Settings.load().extra


def test_without_a_printer_the_message_says_where_to_set_one(tmp_path, english, no_printers):
    where = LabelPrinter(PrintSettings(document_target="printer", folder=str(tmp_path))
                         ).print_document(b"%PDF-1.4", "receipt")
    assert where.startswith("No printer is set up (Settings → Printing and labels): saved as")
    where = LabelPrinter(PrintSettings(document_target="printer", document_printer="HP Onthaal",
                                       folder=str(tmp_path))).print_document(b"%PDF-1.4", "x")
    assert where.startswith("The printer HP Onthaal is not available")
    assert "Settings → Printing and labels" in where


def test_older_settings_files_print_where_they_did():
    old = PrintSettings(label_target="folder")  # documents followed the labels into the folder
    assert old.destination("documents") == ("folder", None)
    assert old.destination("receipts") == ("folder", None)
    assert PrintSettings(zebra="10.0.0.9:9100").destination("labels") == ("zebra", None)
    assert PrintSettings(label_printer="Brother QL").destination("labels") == ("printer", "Brother QL")


def test_pages_print_with_what_was_saved_without_a_restart(tmp_path):
    settings = Settings()
    printer = LabelPrinter.for_desk(settings)
    settings.extra["printing"] = {"document_target": "folder", "folder": str(tmp_path)}
    assert printer.print_document(b"%PDF-1.4", "x").startswith("Saved as")
    assert (tmp_path / "documents" / "x.pdf").exists()


# --- scanner and sound ----------------------------------------------------------------------

def test_scanner_timing_end_keys_and_mute_are_saved(qtbot, ui_database, admin, english):
    page = open_page(qtbot, ui_database, admin, tab="scanner")
    type_into(qtbot, page.scanner.gap_spin.lineEdit(), "60", enter=False)
    type_into(qtbot, page.scanner.length_spin.lineEdit(), "6", enter=False)
    qtbot.keyClick(page.scanner.terminator_boxes["tab"], Qt.Key.Key_Space)
    qtbot.keyClick(page.scanner.mute_box, Qt.Key.Key_Space)
    qtbot.mouseClick(page.scanner.save_button, Qt.MouseButton.LeftButton)
    saved = Settings.load()
    assert ScannerSettings.from_settings(saved) == ScannerSettings(60, 6, ("enter",))
    assert saved.extra["sound_muted"] is True


def test_a_scanner_without_an_end_key_is_refused(qtbot, ui_database, admin, english):
    page = open_page(qtbot, ui_database, admin, tab="scanner")
    for box in page.scanner.terminator_boxes.values():
        qtbot.keyClick(box, Qt.Key.Key_Space)
    qtbot.mouseClick(page.scanner.save_button, Qt.MouseButton.LeftButton)
    assert page.scanner.error_label.text().startswith("Tick at least one key that ends a scan")
    assert "scanner" not in Settings.load().extra


# --- backup ---------------------------------------------------------------------------------

def test_daily_backup_folder_and_count_are_saved(qtbot, ui_database, admin, tmp_path, english):
    page = open_page(qtbot, ui_database, admin, tab="backup")
    qtbot.keyClick(page.backup.daily_box, Qt.Key.Key_Space)  # off
    type_into(qtbot, page.backup.keep_spin.lineEdit(), "14", enter=False)
    type_into(qtbot, page.backup.folder_edit, str(tmp_path / "backups"))
    extra = Settings.load().extra
    assert extra[backup.SCHEDULE_KEY] == "off" and extra[backup.KEEP_KEY] == 14
    assert extra[backup.FOLDER_KEY] == str(tmp_path / "backups")
    assert page.backup.done_label.text() == "Saved. The daily backup is off."


def test_a_relative_backup_folder_is_refused(qtbot, ui_database, admin, english):
    page = open_page(qtbot, ui_database, admin, tab="backup")
    type_into(qtbot, page.backup.folder_edit, "backups")
    assert "“backups” is not a whole path" in page.backup.error_label.text()
    assert backup.FOLDER_KEY not in Settings.load().extra


def test_back_up_now_writes_a_backup_and_says_where(qtbot, ui_database, admin, tmp_path, english):
    page = open_page(qtbot, ui_database, admin, tab="backup")
    type_into(qtbot, page.backup.folder_edit, str(tmp_path / "now"), enter=False)
    qtbot.mouseClick(page.backup.now_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.backup.is_busy(), timeout=20_000)
    (made,) = (tmp_path / "now").glob("depot-*.sqlite")
    assert backup.backup_kind(made) == "sqlite"
    assert f"Backup written to {made}" in page.backup.done_label.text()


# --- organisation ---------------------------------------------------------------------------

def test_the_organisation_is_typed_in_and_saved_in_the_database(qtbot, ui_database, admin, tmp_path,
                                                                english):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    page = open_page(qtbot, ui_database, admin, tab="organisation")
    form = page.organisation
    type_into(qtbot, form.name_edit, "Provincie Oost-Vlaanderen", enter=False)
    type_into(qtbot, form.short_edit, "Prov. O-VL", enter=False)
    type_into(qtbot, form.street_edit, "Gouvernementstraat 1", enter=False)
    type_into(qtbot, form.postcode_edit, "9000", enter=False)
    type_into(qtbot, form.city_edit, "Gent", enter=False)
    assert form.choose_logo(str(logo))
    type_into(qtbot, form.number_edit, "BE0216738085")
    with ui_database.session() as s:
        identity = organisation.get(s)
    assert (identity.name, identity.short, identity.address, identity.enterprise_number) == (
        "Provincie Oost-Vlaanderen", "Prov. O-VL", "Gouvernementstraat 1, 9000 Gent", "0216.738.085")
    assert identity.logo == logo.read_bytes()
    assert form.number_edit.text() == "0216.738.085"  # shown as it prints


def test_a_wrong_enterprise_number_is_refused_with_how_to_write_it(qtbot, ui_database, admin,
                                                                   english):
    page = open_page(qtbot, ui_database, admin, tab="organisation")
    type_into(qtbot, page.organisation.name_edit, "Provincie Antwerpen", enter=False)
    type_into(qtbot, page.organisation.number_edit, "0207.725.105")
    message = page.organisation.error_label.text()
    assert "“0207.725.105” is not a valid enterprise number" in message
    assert "Write it as 0123.456.789" in message and "Nothing was saved" in message
    with ui_database.session() as s:
        assert organisation.get(s).name == "Provincie"


def test_a_logo_that_is_no_picture_is_refused_at_once(qtbot, ui_database, admin, tmp_path, english):
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"GIF89a not really")
    page = open_page(qtbot, ui_database, admin, tab="organisation")
    assert not page.organisation.choose_logo(str(fake))
    assert "must be a PNG or JPEG picture" in page.organisation.error_label.text()
    assert page.organisation.logo is organisation.KEEP


# --- who sees what, and the width -----------------------------------------------------------

def test_a_technician_sees_only_language_and_password(qtbot, ui_database, admin, english):
    with ui_database.session() as s:
        tech = auth.add_user(s, SYSTEM, "tine", "Tine Technieker", Role.TECHNICIAN, "tech-pass-1")
    page = open_page(qtbot, ui_database, tech)
    assert page.tabs is None and page.printing is None and page.organisation is None
    for name in ("printingSection", "scannerSection", "backupSection", "organisationSection"):
        assert page.findChild(QWidget, name) is None
    assert page.desk.language_combo.isVisible() and page.password_button.isVisible()


@pytest.mark.parametrize("code", ["nl", "en"])
def test_long_paths_and_messages_never_widen_the_page(qtbot, ui_database, admin, tmp_path, language,
                                                      no_printers, code):
    language(code)  # Dutch labels are the longest
    deep = str(tmp_path / DEEP)
    settings = Settings(extra={"printing": {"folder": deep, "document_printer": "HP LaserJet Pro "
                                            "M404dn Onthaal tweede verdieping links naast de lift"},
                               backup.FOLDER_KEY: deep})
    page = open_page(qtbot, ui_database, admin, settings)
    page.printing.choose("documents", "folder")
    page.printing.test_print("documents")  # the message names the deep path
    type_into(qtbot, page.backup.folder_edit, "/proc/" + "x" * 300)  # refused, with the path
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        hint = page.minimumSizeHint()
        assert hint.width() <= PAGE_ROOM[0] and hint.height() <= PAGE_ROOM[1], page.tabs.tabText(index)
