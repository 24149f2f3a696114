"""A lot received at the intake desk with the scanner and the keyboard only.

The technician opens a lot by typing the deliverer and pressing Enter, scans each device, types
a make and model where the pre-filled ones are wrong, and confirms with Enter or the DONE
barcode. What was saved is read back from the database; what the desk said, from the scan bar.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QCheckBox
from screen import label, scan_bar, screenshot, visible
from sqlalchemy import select

from app.models import Asset, Category, IntakeLot


@pytest.fixture
def open_lot(start, desk):
    window = start("tine")
    desk.type("Jan Peeters")  # the keyboard is on "Delivered by" after sign-in
    desk.enter()
    title = label(window, "lotTitle")  # unmistakable: number, service and who brought it
    assert "IL-" in title and "Dienst Mobiliteit" in title and "Jan Peeters" in title
    return window


def first_laptop(desk) -> None:
    """The first device of a lot: nothing to pre-fill from, so its make and model are typed."""
    desk.scan("5CG1234XYZ")
    desk.type("Dell")
    desk.press("Tab")
    desk.type("Latitude 5420")
    desk.enter()


def saved(warehouse, serial: str) -> Asset:
    with warehouse.session() as s:
        asset = s.scalars(select(Asset).where(Asset.serial == serial)).one()
        s.expunge(asset)
        return asset


def media_of(warehouse, serial: str) -> int:
    with warehouse.session() as s:
        return len(s.scalars(select(Asset).where(Asset.serial == serial)).one().media)


def test_focus_after_sign_in_is_where_the_deliverer_is_typed(start, desk, warehouse):
    start("tine")
    desk.type("Jan Peeters")
    desk.enter()
    with warehouse.session() as s:
        lot = s.scalars(select(IntakeLot)).one()
    assert lot.delivered_by == "Jan Peeters"


def test_scan_then_enter_receives_once_without_a_false_refusal(open_lot, desk, warehouse):
    first_laptop(desk)  # typed model of the form's category: one Enter saves it
    assert saved(warehouse, "5CG1234XYZ").model == "Latitude 5420"
    assert label(open_lot, "lotCounts").startswith("1 toestel:")  # not "1 toestellen"
    desk.scan("5CG1234ABC")  # the next one of the same model: pre-filled, scan and Enter
    assert visible(open_lot, "deviceForm")
    desk.enter()
    verdict, message = scan_bar(open_lot)
    assert verdict == "good" and "5CG1234ABC" not in message and "ontvangen" in message, message
    assert not visible(open_lot, "deviceForm")
    second = saved(warehouse, "5CG1234ABC")
    assert (second.category, second.model) == (Category.LAPTOP, "Latitude 5420")


def test_a_typed_monitor_over_a_laptop_is_looked_up_before_it_is_saved(open_lot, desk, warehouse):
    first_laptop(desk)  # the lot's last device, which pre-fills the next form
    desk.scan("CN0P2419H01")
    desk.type("Dell")
    desk.press("Tab")
    desk.type("P2419H")
    desk.enter()  # the catalogue fills in a monitor; the form shows it and waits
    assert visible(open_lot, "deviceForm")
    assert "P2419H" in label(open_lot, "formNotice")
    with warehouse.session() as s:
        assert s.scalars(select(Asset).where(Asset.serial == "CN0P2419H01")).first() is None
    desk.enter()
    monitor = saved(warehouse, "CN0P2419H01")
    assert (monitor.category, monitor.model, monitor.weight_kg) == (Category.MONITOR, "P2419H",
                                                                   Decimal("5.3"))
    assert media_of(warehouse, "CN0P2419H01") == 0
    assert scan_bar(open_lot)[0] == "good"


def test_the_done_barcode_also_looks_the_model_up_first(open_lot, desk, warehouse):
    first_laptop(desk)
    desk.scan("FP4IMEI0001")
    desk.type("Fairphone")
    desk.press("Tab")
    desk.type("Fairphone 4")
    desk.scan("CMD-DONE")
    assert visible(open_lot, "deviceForm")
    desk.scan("CMD-DONE")
    phone = saved(warehouse, "FP4IMEI0001")
    assert phone.category == Category.SMARTPHONE and media_of(warehouse, "FP4IMEI0001") == 1


def test_an_unknown_model_is_not_saved_as_the_last_category_without_a_look(open_lot, desk,
                                                                           warehouse):
    first_laptop(desk)
    desk.scan("XYZ-UNKNOWN-1")
    desk.type("Acme")
    desk.press("Tab")
    desk.type("Gizmo 3000")
    desk.enter()
    assert "niet in de catalogus" in label(open_lot, "formNotice")
    desk.press("Down")  # the category has the keyboard: the technician picks another one
    desk.enter()
    gizmo = saved(warehouse, "XYZ-UNKNOWN-1")
    assert gizmo.category != Category.LAPTOP and gizmo.model == "Gizmo 3000"


def test_closing_a_lot_forgets_its_deliverer(open_lot, desk, warehouse):
    first_laptop(desk)
    desk.scan("CMD-NEXT_LOT")
    desk.enter()  # the next delivery, without typing a name: no lot under Jan Peeters' name
    with warehouse.session() as s:
        names = [lot.delivered_by for lot in s.scalars(select(IntakeLot).order_by(IntakeLot.id))]
    assert names[0] == "Jan Peeters" and all(n != "Jan Peeters" for n in names[1:])


def test_the_lot_s_actions_have_function_keys(open_lot, desk, warehouse, tmp_path):
    first_laptop(desk)
    tag = saved(warehouse, "5CG1234XYZ").tag
    desk.shortcut("F4")  # print the label again
    verdict, message = scan_bar(open_lot)
    assert verdict == "good" and f"{tag}.pdf" in message
    desk.shortcut("F8")  # undo the last device: gone from the lot and from the records
    assert tag in scan_bar(open_lot)[1]
    with warehouse.session() as s:
        assert s.scalars(select(Asset).where(Asset.serial == "5CG1234XYZ")).first() is None
    desk.shortcut("F2")
    assert open_lot.findChild(QCheckBox, "returnsForChecks").isChecked()
    first_laptop(desk)
    screenshot(open_lot, "intake-keys-mid-lot")
    desk.shortcut("F9")  # close the lot: the receipt is printed (saved in the folder)
    with warehouse.session() as s:
        lot = s.scalars(select(IntakeLot)).one()
    assert lot.closed_at is not None and lot.number in scan_bar(open_lot)[1]
    screenshot(open_lot, "intake-keys-lot-closed")
    assert open_lot.width() <= 1280  # neither the keys on the buttons nor a long path widen it


def test_enter_on_a_button_reached_with_tab_presses_it(open_lot, desk, warehouse):
    from PySide6.QtWidgets import QApplication

    first_laptop(desk)
    tag = saved(warehouse, "5CG1234XYZ").tag
    for _ in range(25):  # from the scan field, Tab on to "Print label again (F4)"
        desk.press("Tab")
        if QApplication.focusWidget().objectName() == "commandPrintAgain":
            break
    assert QApplication.focusWidget().objectName() == "commandPrintAgain"
    desk.enter()
    verdict, message = scan_bar(open_lot)
    assert verdict == "good" and f"{tag}.pdf" in message, message


def test_a_saved_label_is_named_short_and_its_folder_opens(open_lot, desk, warehouse, tmp_path,
                                                          monkeypatch, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QToolButton

    from app.ui import feedback

    opened = []
    monkeypatch.setattr(feedback.QDesktopServices, "openUrl", lambda url: opened.append(url))
    first_laptop(desk)
    tag = saved(warehouse, "5CG1234XYZ").tag
    verdict, message = scan_bar(open_lot)
    assert verdict == "good" and f"{tag}.pdf" in message and str(tmp_path) not in message, message
    button = open_lot.stack.currentWidget().findChild(QToolButton, "scanBarOpenFolder")
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in opened] == [str(tmp_path / "printed" / "labels")]


# (serial, typed make and model or None when the form's pre-filled ones are right) in the order
# a service brought them: seven laptops, two monitors, a phone, two desktops.
MIXED_LOT = [("5CG1234X01", ("Dell", "Latitude 5420")), ("5CG1234X02", None),
             ("5CG1234X03", None), ("5CG1234X04", None), ("5CG1234X05", None),
             ("CN0P2419H01", ("Dell", "P2419H")), ("CN0P2419H02", None),
             ("5CG1234X06", ("Dell", "Latitude 5420")), ("5CG1234X07", None),
             ("359874110023457", ("Fairphone", "Fairphone 4")),
             ("CZC8011ABC", ("HP", "EliteDesk 800 G4 SFF")), ("CZC8011ABD", None)]
EXPECTED = {"laptop": (Category.LAPTOP, 1, Decimal("1.4")),
            "monitor": (Category.MONITOR, 0, Decimal("5.3")),
            "phone": (Category.SMARTPHONE, 1, Decimal("0.23")),
            "desktop": (Category.DESKTOP, 1, Decimal("5.1"))}


def kind_of(serial: str) -> str:
    return {"5CG": "laptop", "CN0": "monitor", "359": "phone", "CZC": "desktop"}[serial[:3]]


def test_a_mixed_lot_of_twelve_is_received_and_its_receipt_printed(open_lot, desk, warehouse,
                                                                   tmp_path, pdf_tools):
    from pdfcheck import pdf_text

    for serial, typed in MIXED_LOT:
        desk.scan(serial)
        if typed:  # the technician types over the pre-filled make and model
            desk.type(typed[0])
            desk.press("Tab")
            desk.type(typed[1])
        desk.enter()
        if visible(open_lot, "deviceForm"):  # the catalogue changed the category: look, Enter
            assert label(open_lot, "formNotice"), serial
            desk.enter()
        assert not visible(open_lot, "deviceForm"), serial
        assert scan_bar(open_lot)[0] == "good", (serial, scan_bar(open_lot))
    for serial, _typed in MIXED_LOT:
        category, media, weight = EXPECTED[kind_of(serial)]
        device = saved(warehouse, serial)
        assert (device.category, media_of(warehouse, serial), device.weight_kg) == \
            (category, media, weight), serial
    assert label(open_lot, "lotCounts").startswith("12 toestellen")
    screenshot(open_lot, "intake-mixed-lot")
    desk.shortcut("F9")  # close the lot: the receipt
    with warehouse.session() as s:
        lot = s.scalars(select(IntakeLot)).one()
    assert lot.closed_at is not None
    verdict, message = scan_bar(open_lot)
    assert verdict == "good" and lot.number in message, message
    [receipt] = [p for p in (tmp_path / "printed").rglob("*.pdf") if p.stem in message]
    text = pdf_text(receipt)
    assert lot.number in text and "Dienst Mobiliteit" in text and "Jan Peeters" in text
    for serial, _typed in MIXED_LOT:
        assert serial in text, serial


def lot_left_open_by(warehouse, username: str, serial: str):
    """A lot opened at another desk (or before the app was closed) with one device in it."""
    from desk import PASSWORDS

    from app.services import auth, intake, parties

    with warehouse.session() as s:
        person = auth.authenticate(s, username, PASSWORDS[username])
        service = next(p for p in parties.services(s) if p.name == "Dienst Welzijn")
        lot = intake.open_lot(s, person, service.id, "Els Claes")
        form = intake.prefill(s, lot.id, serial)
        form.manufacturer, form.model = "Dell", "Latitude 5420"
        intake.receive(s, person, lot.id, form)
        return lot.number


def test_a_lot_left_open_by_another_person_is_resumed_with_f5(start, desk, warehouse):
    number = lot_left_open_by(warehouse, "mia", "5CG9999A01")
    window = start("tine")
    notice = label(window, "openLotsNotice")
    assert number in notice and "Mia Manager" in notice and "1 toestel" in notice, notice
    desk.shortcut("F5")
    assert number in label(window, "lotTitle") and "Els Claes" in label(window, "lotTitle")
    desk.scan("5CG9999A02")  # the same model as the lot's last device: pre-filled, Enter
    desk.enter()
    assert label(window, "lotCounts").startswith("2 toestellen")
    with warehouse.session() as s:
        assert s.scalars(select(IntakeLot)).one().number == number  # no second lot


def test_the_own_open_lot_comes_back_when_the_desk_is_opened_again(start, desk, warehouse):
    number = lot_left_open_by(warehouse, "tine", "5CG9999A01")
    window = start("tine")
    assert number in label(window, "lotTitle")
    verdict, message = scan_bar(window)
    assert verdict == "good" and number in message
