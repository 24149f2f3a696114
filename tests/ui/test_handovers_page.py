"""The handovers page: a manager takes a school's request for 10 laptops and reserves the
proposals, a technician scans the 10 at the desk (keyboard-wedge bursts through the window's
scanner filter), the certificate is issued and printed, and scanning its QR code verifies it.
Also the recipients tab (KBO check, deactivation) and a device returned at intake."""

from __future__ import annotations

from pathlib import Path

import pytest
from handover_helpers import laptops_request, ready_device, reserve_all_proposals, school
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from simkeys import Keyboard
from sqlalchemy import select

from app.config import Settings
from app.models import Asset, AssetStatus, HandoverRequest, Party, User
from app.services import auth, handovers, intake, parties
from app.services.documents import issued
from app.services.permissions import SYSTEM
from app.ui.main_window import MainWindow


@pytest.fixture
def stock(ui_database):
    """Staff, a school, 12 ready laptops (oldest first) and the school's request for 10."""
    with ui_database.session() as s:
        tech = auth.add_user(s, SYSTEM, "tine", "Tine Technieker", "technician", "tech-pass-1")
        boss = auth.add_user(s, SYSTEM, "mia", "Mia Manager", "manager", "mgr-pass-1")
        devices = [ready_device(s, tech, boss, f"LAP-{i:02d}") for i in range(12)]
        recipient = school(s, boss)
        request = laptops_request(s, boss, recipient, quantity=10)
        return {"tags": [d.tag for d in devices], "request_id": request.id,
                "recipient_id": recipient.id}


def open_page(qtbot, ui_database, tmp_path, username: str):
    with ui_database.session() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
    settings = Settings(site_name="Testmagazijn", extra={
        "printing": {"label_target": "folder", "folder": str(tmp_path / "out")},
        "sound_muted": True})
    window = MainWindow(ui_database, user, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("handovers")
    page = window.stack.currentWidget()
    page.confirm = lambda _title, _text: True
    return window, page, Keyboard(window.windowHandle())


def scan(qtbot, keyboard: Keyboard, code: str) -> None:
    keyboard.scan(code)
    qtbot.wait(1)
    QApplication.processEvents()


def statuses(database, tags) -> list[AssetStatus]:
    with database.session() as s:
        return [s.scalar(select(Asset.status).where(Asset.tag == t)) for t in tags]


def test_manager_sees_the_oldest_ready_laptops_proposed_and_reserves_them(qtbot, ui_database, tmp_path,
                                                                        english, stock):
    _window, page, _keys = open_page(qtbot, ui_database, tmp_path, "mia")
    assert page.request_model.rowCount() == 1
    assert [r[0] for r in page.proposal_model.rows] == stock["tags"][:10]

    page.proposal_table.selectRow(0)
    page.choose_alternative = lambda options: 0  # the first other laptop that fits: LAP-10
    page.swap()
    page.proposal_model.setData(page.proposal_model.index(9, 0), Qt.CheckState.Unchecked.value,
                                Qt.ItemDataRole.CheckStateRole)  # drop the last one
    qtbot.mouseClick(page.reserve_button, Qt.MouseButton.LeftButton)

    reserved = [stock["tags"][10]] + stock["tags"][1:9]
    assert statuses(ui_database, reserved) == [AssetStatus.RESERVED] * 9
    assert statuses(ui_database, [stock["tags"][0], stock["tags"][9]]) == [AssetStatus.READY] * 2
    assert "9 devices reserved" in page.last_message
    assert sorted(r[0] for r in page.desk.model.rows) == sorted(reserved)
    # one short of the 10 asked: the request stays open and proposes one more
    assert [r[0] for r in page.proposal_model.rows] == [stock["tags"][0]]


def test_technician_scans_the_ten_and_hands_them_over_with_a_certificate(qtbot, ui_database, tmp_path,
                                                                       english, stock):
    with ui_database.session() as s:
        boss = s.scalars(select(User).where(User.username == "mia")).one()
        request = s.get(HandoverRequest, stock["request_id"])
        reserve_all_proposals(s, boss, request)
    window, page, keys = open_page(qtbot, ui_database, tmp_path, "tine")
    assert page.tabs.currentWidget() is page.desk
    assert not page.new_button.isVisible() and not page.desk.cancel_button.isVisible()
    tags = stock["tags"][:10]

    for tag in tags[:9]:
        scan(qtbot, keys, tag)
    assert page.scan_bar.state == "good"
    assert "9 of 10 scanned · 1 missing" in page.desk.progress.text()
    assert [r[5] for r in page.desk.model.rows].count("missing") == 1

    scan(qtbot, keys, stock["tags"][11])  # ready, but not part of this handover
    assert page.scan_bar.state == "bad"
    assert "is not in handover" in page.last_message and "not reserved" in page.last_message

    page.desk.labels_removed.setChecked(True)
    qtbot.mouseClick(page.desk.complete_button, Qt.MouseButton.LeftButton)
    assert "missing" in page.last_message and tags[9] in page.last_message
    assert statuses(ui_database, tags) == [AssetStatus.RESERVED] * 10

    scan(qtbot, keys, tags[9])
    qtbot.mouseClick(page.desk.complete_button, Qt.MouseButton.LeftButton)
    assert statuses(ui_database, tags) == [AssetStatus.TRANSFERRED] * 10
    number = page.desk.certificate[0]
    assert number.startswith("HC-") and number in page.desk.certificate_label.text()
    printed = list(Path(tmp_path / "out" / "documents").glob("HC-*.pdf"))
    assert [p.name for p in printed] == [f"{number}.pdf"]
    assert page.desk.progress.text() == "No handover is waiting at the desk."

    with ui_database.session() as s:
        document = issued.get_document(s, number)
        code = issued.qr_payload(number, document.digest)
    scan(qtbot, keys, code)  # the QR code of the printed certificate, scanned at the desk
    dialog = window.verify_dialog
    assert dialog is not None and "is genuine and unchanged" in dialog.findChild(
        type(page.desk.progress), "verifyVerdict").text()
    dialog.close()


def test_without_the_labels_confirmation_nothing_is_handed_over(qtbot, ui_database, tmp_path, english,
                                                                stock):
    with ui_database.session() as s:
        boss = s.scalars(select(User).where(User.username == "mia")).one()
        batch = reserve_all_proposals(s, boss, s.get(HandoverRequest, stock["request_id"]))
        tech = s.scalars(select(User).where(User.username == "tine")).one()
        for item in batch.items:
            handovers.scan_at_desk(s, tech, batch.id, item.asset.tag)
    _window, page, _keys = open_page(qtbot, ui_database, tmp_path, "tine")
    qtbot.mouseClick(page.desk.complete_button, Qt.MouseButton.LeftButton)
    assert page.scan_bar.state == "bad"
    assert "labels and inventory stickers were removed" in page.last_message
    assert statuses(ui_database, stock["tags"][:10]) == [AssetStatus.RESERVED] * 10


def test_new_request_dialog_records_what_the_recipient_asks(qtbot, ui_database, tmp_path, english,
                                                            stock):
    _window, page, _keys = open_page(qtbot, ui_database, tmp_path, "mia")

    def fill_in(dialog):
        dialog.add_line()
        category, quantity, grade, _ram, _storage = dialog.lines[1]
        category.setCurrentIndex(category.findData("monitor"))
        quantity.setValue(4)
        grade.setCurrentIndex(grade.findData("B"))
        dialog.notes.setText("Voor het computerlokaal")
        dialog.save()
        return dialog.result() == dialog.DialogCode.Accepted

    page.run_dialog = fill_in
    page.new_request()
    assert page.request_model.rowCount() == 2
    with ui_database.session() as s:
        request = s.scalars(select(HandoverRequest).order_by(HandoverRequest.id.desc())).first()
        assert [(l.category.value, l.quantity, l.min_grade) for l in request.lines] == [
            ("laptop", 1, None), ("monitor", 4, "B")]


def test_recipients_tab_refuses_a_wrong_enterprise_number_and_keeps_a_deactivated_one(
        qtbot, ui_database, tmp_path, english, stock):
    _window, page, _keys = open_page(qtbot, ui_database, tmp_path, "mia")
    tab = page.recipients
    page.tabs.setCurrentWidget(tab)
    tab.clear_form()
    tab.type.setCurrentIndex(tab.type.findData("charity"))
    for key, value in {"name": "Digitaal Thuis vzw", "enterprise_number": "0750.711.507",
                       "street": "Havenlaan 86", "postcode": "1000", "city": "Brussel"}.items():
        tab.edits[key].setText(value)
    tab.save()
    assert tab.error.isVisible() and "not a valid enterprise number" in tab.error.text()
    tab.edits["enterprise_number"].setText("BE 0750 711 506")
    tab.save()
    assert not tab.error.isVisible()
    assert ("Digitaal Thuis vzw", "charity", "0750.711.506", "Brussel") in tab.model.rows

    tab.search.setText("digitaal")
    assert [r[0] for r in tab.model.rows] == ["Digitaal Thuis vzw"]
    tab.table.selectRow(0)
    tab.toggle_active()
    assert tab.show_inactive.isChecked() and tab.model.rows[0][0] == "Digitaal Thuis vzw"
    with ui_database.session() as s:
        party = s.scalar(select(Party).where(Party.name == "Digitaal Thuis vzw"))
        assert not party.active
        assert party.id not in [p.id for p in parties.search_recipients(s, "digitaal")]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_fits_the_window_beside_the_navigation(qtbot, ui_database, tmp_path, language, lang,
                                                    stock):
    language(lang)
    window, page, _keys = open_page(qtbot, ui_database, tmp_path, "mia")
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        hint = page.minimumSizeHint()
        assert hint.width() <= 1060 and hint.height() <= 740
    assert (window.width(), window.height()) == (1280, 800)


def test_a_device_back_from_a_school_is_taken_back_at_intake_for_another_check(
        qtbot, ui_database, tmp_path, english, stock):
    with ui_database.session() as s:
        boss = s.scalars(select(User).where(User.username == "mia")).one()
        tech = s.scalars(select(User).where(User.username == "tine")).one()
        batch = reserve_all_proposals(s, boss, s.get(HandoverRequest, stock["request_id"]))
        for item in batch.items:
            handovers.scan_at_desk(s, tech, batch.id, item.asset.tag)
        handovers.complete_handover(s, tech, batch.id, labels_removed=True)
        parties.create_party(s, boss, "service", name="Dienst Welzijn")
    window, _page, keys = open_page(qtbot, ui_database, tmp_path, "tine")
    window.show_page("intake")
    intake_page = window.stack.currentWidget()
    intake_page.open_lot()
    intake_page.returns_for_checks.setChecked(True)
    back = stock["tags"][3]
    scan(qtbot, keys, back)
    assert statuses(ui_database, [back]) == [AssetStatus.RECEIVED]
    assert "taken back for another check" in intake_page.last_message
    with ui_database.session() as s:
        lot_id = s.scalar(select(Asset.intake_lot_id).where(Asset.tag == back))
        assert back in [a.tag for a in intake.lot_assets(s, lot_id)]
