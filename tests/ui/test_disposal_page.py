"""The disposal page at the desk: open a batch, scan devices in (a refusal says why), weigh, close
with a second manager's sign-in, attach the processor's PDF, export the WEEE report."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from simkeys import Keyboard
from sqlalchemy import select

from app import clock
from app.config import Settings
from app.models import Asset, AssetStatus, Category, DisposalStatus, User
from app.services import assets, auth, disposal, lifecycle, processors
from app.services.permissions import SYSTEM
from app.ui.disposal_page import DisposalPage
from app.ui.main_window import MainWindow


@pytest.fixture
def yard(ui_database):
    """A certified processor, a carrier, three monitors awaiting disposal and one ready device."""
    with ui_database.session() as s:
        auth.add_user(s, SYSTEM, "tine", "Tine Technieker", "technician", "tech-pass-1")
        boss = auth.add_user(s, SYSTEM, "mia", "Mia Manager", "manager", "mgr-pass-1")
        auth.add_user(s, SYSTEM, "max", "Max Tweede", "manager", "mgr-pass-2")
        proc = processors.create_processor(
            s, boss, name="Galloo Recycling", enterprise_number="0403170701",
            registration_number="OVAM 1", street="Wervikstraat 1", postcode="8930", city="Menen")
        processors.add_certification(s, boss, proc.id, "r2", dt.date(2099, 1, 1))
        processors.create_carrier(s, boss, name="Transport Claes", enterprise_number="0202239951",
                                  registration_number="IHM-1")
        tags = []
        for serial in ("MON-1", "MON-2", "MON-3", "READY-1"):
            asset = assets.register_asset(s, boss, category=Category.MONITOR, manufacturer="Dell",
                                          model="P2419H", serial=serial)
            if serial != "READY-1":
                lifecycle.apply(s, boss, asset.id, "retire")
            tags.append(asset.tag)
    return tags


def open_page(qtbot, ui_database, tmp_path, username: str):
    with ui_database.session() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
    settings = Settings(extra={"sound_muted": True, "printing": {
        "label_target": "folder", "folder": str(tmp_path / "out")}})
    window = MainWindow(ui_database, user, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("disposal")
    return window, window.stack.currentWidget(), Keyboard(window.windowHandle())


@pytest.fixture
def desk(qtbot, ui_database, tmp_path, english, yard):
    window, page, keyboard = open_page(qtbot, ui_database, tmp_path, "mia")
    page.new_button.click()
    dialog = page.dialog
    dialog.carrier_combo.setCurrentIndex(1)
    dialog.findChild(type(page.new_button), "openBatchButton").click()
    assert page.summary is not None and page.summary.status == DisposalStatus.OPEN
    return window, page, keyboard


def test_manager_opens_a_batch_and_scans_devices_into_it(qtbot, desk, yard):
    _window, page, keyboard = desk
    for tag in yard[:3]:
        keyboard.scan(tag)
    qtbot.waitUntil(lambda: page.items_model.rowCount() == 3)
    assert [r.tag for r in page.items_model.rows] == yard[:3]
    assert page.scan_bar.state == "good" and "WEEE category 2" in page.scan_bar.meaning()
    assert page.weights_model.rows[0].items == 3


def test_a_ready_device_is_refused_with_the_reason(qtbot, desk, yard):
    _window, page, keyboard = desk
    keyboard.scan(yard[3])
    qtbot.waitUntil(lambda: page.scan_bar.state == "bad")
    assert "only a device awaiting disposal" in page.scan_bar.meaning()
    assert page.items_model.rowCount() == 0


def test_close_waits_for_the_weighing_then_for_a_second_manager(qtbot, desk, yard, ui_database,
                                                                 tmp_path):
    _window, page, _keyboard = desk
    page.handle_scan(yard[0])
    assert not page.close_button.isEnabled()
    assert "weigh WEEE category 2" in page.problems.text()
    page.record_weight()
    page.dialog.kg_edit.setText("5,5")
    page.dialog.findChild(type(page.new_button), "saveWeighingButton").click()
    assert page.weights_model.rows[0].weighed_kg == pytest.approx(5.5)
    assert page.close_button.isEnabled()

    page.close_button.click()
    dialog = page.dialog
    dialog.username_edit.setText("mia")  # oneself is no second person
    dialog.password_edit.setText("mgr-pass-1")
    dialog.findChild(type(page.new_button), "countersignButton").click()
    assert dialog.isVisible() and "second manager" in dialog.error_label.text()
    dialog.username_edit.setText("max")
    dialog.password_edit.setText("mgr-pass-2")
    dialog.findChild(type(page.new_button), "countersignButton").click()
    assert not dialog.isVisible()
    assert page.summary.status == DisposalStatus.CLOSED and page.summary.certificate
    with ui_database.session() as s:
        assert s.scalar(select(Asset.status).where(Asset.tag == yard[0])) == AssetStatus.DISPOSED
    assert page.print_button.isEnabled() and page.waiting_model.rowCount() == 1

    pdf = tmp_path / "galloo.pdf"
    pdf.write_bytes(b"%PDF-1.4 attest van vernietiging")
    assert page.attach_file(pdf)
    assert page.waiting_model.rowCount() == 0 and "galloo.pdf" in page.parties.text()

    year = clock.today().year
    assert page.export_weee_report(year, tmp_path / "weee.xlsx")
    total = list(load_workbook(tmp_path / "weee.xlsx").active.iter_rows(values_only=True))[-1]
    assert total[6] == 1


def test_technician_scans_but_cannot_open_or_close(qtbot, ui_database, tmp_path, english, yard):
    with ui_database.session() as s:
        boss = s.scalar(select(User).where(User.username == "mia"))
        disposal.open_batch(s, boss, processors.processors(s)[0].id)
    _window, page, keyboard = open_page(qtbot, ui_database, tmp_path, "tine")
    assert page.new_button.isHidden() and page.close_button.isHidden()
    assert page.weee_button.isHidden()
    keyboard.scan(yard[1])
    qtbot.waitUntil(lambda: page.items_model.rowCount() == 1)


def test_page_fits_the_1280_pixel_window(qtbot, ui_database, english, yard):
    with ui_database.session() as s:
        user = s.scalar(select(User).where(User.username == "mia"))
    page = DisposalPage(ui_database, user, Settings(extra={"sound_muted": True}))
    qtbot.addWidget(page)
    page.show()
    navigation = 220
    assert page.minimumSizeHint().width() <= 1280 - navigation
    assert page.minimumSizeHint().height() <= 740


def test_manager_adds_a_processor_and_its_certification(qtbot, ui_database, tmp_path, english, yard):
    _window, page, _keyboard = open_page(qtbot, ui_database, tmp_path, "mia")
    page.processors_button.click()
    dialog = page.dialog
    for key, value in (("name", "Nieuwe Recyclage"), ("registration_number", "OVAM 9"),
                       ("street", "Kaai 1"), ("postcode", "9000"), ("city", "Gent"),
                       ("enterprise_number", "0403.170.702")):  # wrong check digits
        dialog.fields[key].setText(value)
    assert not dialog.add_party()
    assert "not a valid Belgian enterprise number" in dialog.error_label.text()
    dialog.fields["enterprise_number"].setText("0202 239 951")
    assert dialog.add_party()
    row = next(i for i, r in enumerate(dialog.model.rows) if r.name == "Nieuwe Recyclage")
    assert not dialog.model.rows[row].usable  # no certification yet
    dialog.table.selectRow(row)
    dialog.cert_number.setText("R2-77")
    assert dialog.add_certification()
    fresh = next(r for r in dialog.model.rows if r.name == "Nieuwe Recyclage")
    assert fresh.usable and fresh.certification == "R2 R2-77"
