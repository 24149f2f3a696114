"""The refurbishment bench, driven as a technician drives it: scans, checklist, wipes, verdict.

Scans are simulated as key bursts through the window's scanner filter; the
checklist, grade and dialogs are worked through the page's widgets. The
database is checked after each step, because the screen may never promise
what the services did not store.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from bench_helpers import answer_checklist, pass_bench, wipe_and_verify
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from simkeys import Keyboard
from sqlalchemy import select

from app.config import Settings
from app.models import Asset, AssetStatus, CheckOutcome, Grade, SanitisationRecord
from app.services import assets, auth, refurbishment
from app.services.assets import MediumSpec
from app.services.permissions import SYSTEM
from app.ui.main_window import MainWindow

TECH_PASSWORD = "tech-pass-1"
MANAGER_PASSWORD = "mgr-pass-1"


@pytest.fixture
def people(ui_database):
    with ui_database.session() as s:
        tech = auth.add_user(s, SYSTEM, "tine", "Tine Technieker", "technician", TECH_PASSWORD)
        boss = auth.add_user(s, SYSTEM, "mia", "Mia Manager", "manager", MANAGER_PASSWORD)
    return tech, boss


@pytest.fixture
def bench(qtbot, ui_database, people, english):
    tech, _boss = people
    window = MainWindow(
        ui_database, tech, Settings(site_name="Testmagazijn", extra={"sound_muted": True})
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("refurbishment")
    return window, window.stack.currentWidget()


def add_laptop(database, people, serial: str = "5CG1071KQX") -> Asset:
    tech, _boss = people
    with database.session() as s:
        return assets.register_asset(
            s,
            tech,
            category="laptop",
            manufacturer="HP",
            model="EliteBook 840 G8",
            serial=serial,
            media=[MediumSpec("nvme", f"{serial}-D", 512)],
        )


def scan(qtbot, window, code: str) -> None:
    Keyboard(window.windowHandle()).scan(code)
    qtbot.wait(1)  # let the queued scan be delivered
    QApplication.processEvents()


def status_of(database, asset_id: int) -> AssetStatus:
    with database.session() as s:
        return s.get(Asset, asset_id).status


def records_of(database, asset_id: int) -> list[SanitisationRecord]:
    with database.session() as s:
        return list(
            s.scalars(select(SanitisationRecord).where(SanitisationRecord.asset_id == asset_id))
        )


def answer_everything(page, outcome=CheckOutcome.PASS, battery: str = "90") -> None:
    for row in page.checklist.rows:
        row.buttons[outcome].click()
        if row.number is not None:
            row.number.setText(battery)


def record_wipe(page) -> None:
    dialog = page.open_wipe_dialog()
    dialog.method.setCurrentIndex(dialog.method.findData("purge"))
    dialog.set_technique("crypto_erase")
    dialog.tool.setText("Blancco Drive Eraser")
    dialog.tool_version.setText("7.9")
    dialog.verification_method.setText("full read-back")
    dialog.passed.click()
    dialog.save_button.click()
    assert not dialog.isVisible(), dialog.error_label.text()


def sign_in_to_verify(page, username: str, password: str):
    dialog = page.open_verify_dialog()
    dialog.username_edit.setText(username)
    dialog.password_edit.setText(password)
    dialog.verify_button.click()  # the dialog's accept path: sign in, then verify
    return dialog


def test_scanning_a_received_laptop_puts_it_on_the_bench(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    assert status_of(ui_database, laptop.id) == AssetStatus.IN_REFURBISHMENT
    assert page.scan_bar.state == "good"
    assert page.view.tag == laptop.tag
    assert laptop.tag in page.device_label.text() and "in refurbishment" in page.device_label.text()


def test_a_serial_scan_finds_the_device_too(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people, serial="PF2RX8KD")
    scan(qtbot, window, "pf2rx8kd")
    assert page.view is not None and page.view.tag == laptop.tag
    assert status_of(ui_database, laptop.id) == AssetStatus.IN_REFURBISHMENT


def test_the_checklist_of_a_laptop_shows_its_items_with_battery_health_as_a_number(
    qtbot, bench, ui_database, people
):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    expected = [i.key for i in refurbishment.checklist_for("laptop").items]
    assert [r.item.key for r in page.checklist.rows] == expected
    assert page.checklist.row("powers_on").label.isVisible()
    assert "Powers on and reaches BIOS/UEFI" in page.checklist.row("powers_on").label.text()
    battery = page.checklist.row("battery_health")
    assert battery.number is not None and battery.number.isVisible()
    unit = battery.number_box.findChild(type(battery.label), "unit_battery_health")
    assert unit.text() == "% (min. 60)"
    assert page.checklist.row("keyboard").number is None  # a pass/fail item asks no number


def test_saved_answers_are_stored_in_one_call_and_shown_again(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    page.checklist.row("powers_on").buttons[CheckOutcome.PASS].click()
    page.checklist.row("webcam").buttons[CheckOutcome.NOT_APPLICABLE].click()
    page.checklist.row("battery_health").number.setText("87,5")
    page.checklist.row("battery_health").buttons[CheckOutcome.PASS].click()
    page.checklist.row("screen").buttons[CheckOutcome.FAIL].click()
    page.checklist.row("screen").note.setText("dead pixel top left")
    page.save_button.click()
    assert page.scan_bar.state == "good", page.last_message
    with ui_database.session() as s:
        stored = refurbishment.results(s, laptop.id)
    assert {k: r.outcome for k, r in stored.items()} == {
        "powers_on": CheckOutcome.PASS,
        "webcam": CheckOutcome.NOT_APPLICABLE,
        "battery_health": CheckOutcome.PASS,
        "screen": CheckOutcome.FAIL,
    }
    assert stored["battery_health"].value == Decimal("87.5")
    assert stored["screen"].note == "dead pixel top left"
    scan(qtbot, window, "CMD-CANCEL")  # off the screen, then back: the stored answers come back
    assert page.view is None
    scan(qtbot, window, laptop.tag)
    assert page.checklist.row("screen").outcome() == CheckOutcome.FAIL
    assert page.checklist.row("screen").note.text() == "dead pixel top left"
    assert page.checklist.row("battery_health").number.text() == "87.5"
    assert page.checklist.row("keyboard").outcome() is None
    assert not page.checklist.is_changed()


def test_a_battery_below_the_minimum_is_a_fail(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    answer_everything(page, battery="")
    battery = page.checklist.row("battery_health")
    battery.number.setFocus()
    qtbot.keyClicks(battery.number, "41")
    assert battery.outcome() == CheckOutcome.FAIL  # shown at once, as the service will store it
    page.save_checklist()
    with ui_database.session() as s:
        assert refurbishment.results(s, laptop.id)["battery_health"].outcome == CheckOutcome.FAIL
    assert "a required checklist item failed" in page.problems_label.text()


def test_a_pass_item_without_its_number_is_refused_and_nothing_is_stored(
    qtbot, bench, ui_database, people
):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    page.checklist.row("powers_on").buttons[CheckOutcome.PASS].click()
    page.checklist.row("battery_health").buttons[CheckOutcome.PASS].click()
    page.save_checklist()
    assert page.scan_bar.state == "bad"
    assert "“Battery health” needs a number." in page.last_message
    with ui_database.session() as s:
        assert refurbishment.results(s, laptop.id) == {}


def test_choosing_grade_b_stores_it_and_shows_its_definition(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    page.grade_buttons[Grade.B].click()
    with ui_database.session() as s:
        assert s.get(Asset, laptop.id).grade == Grade.B
    assert page.grade_definition.text() == refurbishment.grade_definition("B")


def test_a_laptop_with_an_unwiped_disk_cannot_pass(qtbot, bench, ui_database, people):
    window, page = bench
    tech, _boss = people
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    with ui_database.session() as s:
        answer_checklist(s, tech, laptop.id)
        refurbishment.set_grade(s, tech, laptop.id, Grade.B)
    scan(qtbot, window, "CMD-CANCEL")
    scan(qtbot, window, laptop.tag)
    assert (
        "a storage medium has no successful wipe or destruction record"
        in page.problems_label.text()
    )
    scan(qtbot, window, "CMD-DONE")  # DONE passes the checks: refused, with the guard's reason
    assert page.scan_bar.state == "bad"
    assert "“pass checks” is not possible yet" in page.last_message
    assert "no successful wipe" in page.last_message
    assert status_of(ui_database, laptop.id) == AssetStatus.IN_REFURBISHMENT
    assert page.view is not None  # still on the bench


def test_the_technician_cannot_verify_their_own_wipe(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    record_wipe(page)
    assert page.media_model.media[0].state == "unverified"
    assert page.media_model.media[0].operator == "Tine Technieker"
    dialog = sign_in_to_verify(page, "tine", TECH_PASSWORD)
    assert dialog.isVisible()
    assert dialog.error_label.text() == (
        "Only a manager can verify a wipe: sign in as a manager who did not do it."
    )
    assert dialog.password_edit.text() == ""
    [record] = records_of(ui_database, laptop.id)
    assert record.verifier_id is None


def test_a_manager_cannot_verify_a_wipe_they_did_themselves(qtbot, ui_database, people):
    _tech, boss = people
    window = MainWindow(ui_database, boss, Settings(extra={"sound_muted": True}))
    qtbot.addWidget(window)
    window.show_page("refurbishment")
    page = window.stack.currentWidget()
    laptop = add_laptop(ui_database, people)
    page.handle_scan(laptop.tag)
    record_wipe(page)
    dialog = sign_in_to_verify(page, "mia", MANAGER_PASSWORD)
    assert dialog.isVisible()
    assert dialog.error_label.text() == (
        "The person who sanitised a medium cannot verify it: a second person must check it."
    )
    assert records_of(ui_database, laptop.id)[0].verifier_id is None


def test_a_manager_verifies_the_wipe_by_signing_in(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    record_wipe(page)
    dialog = sign_in_to_verify(page, "mia", MANAGER_PASSWORD)
    assert not dialog.isVisible(), dialog.error_label.text()
    [record] = records_of(ui_database, laptop.id)
    assert record.verifier_id == people[1].id and record.technique == "crypto_erase"
    medium = page.media_model.media[0]
    assert medium.state == "verified" and medium.verifier == "Mia Manager"
    assert "verified by Mia Manager" in page.last_message


def test_a_wrong_password_for_the_verifier_is_refused_in_the_dialog(
    qtbot, bench, ui_database, people
):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    record_wipe(page)
    dialog = sign_in_to_verify(page, "mia", "not-her-password")
    assert dialog.error_label.text() == "Unknown user name or wrong password."
    assert records_of(ui_database, laptop.id)[0].verifier_id is None


def test_enter_in_the_wipe_dialog_records_nothing_until_a_result_is_chosen(qtbot, bench, ui_database,
                                                                           people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    dialog = page.open_wipe_dialog()
    qtbot.waitExposed(dialog)
    QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    assert dialog.isVisible() and "passed or failed" in dialog.error_label.text()
    assert records_of(ui_database, laptop.id) == []
    QTest.keyClick(dialog.passed, Qt.Key.Key_Space)  # the technician chooses, then Enter records
    QTest.keyClick(dialog.passed, Qt.Key.Key_Return)
    assert not dialog.isVisible() and len(records_of(ui_database, laptop.id)) == 1


def test_a_wipe_without_a_technique_is_refused_in_the_dialog(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    dialog = page.open_wipe_dialog()
    dialog.technique.setEditText("  ")
    dialog.passed.click()
    dialog.save_button.click()
    assert dialog.isVisible()
    assert "Say which technique was used" in dialog.error_label.text()
    assert records_of(ui_database, laptop.id) == []


def test_after_checklist_grade_b_and_a_verified_wipe_the_device_passes(
    qtbot, bench, ui_database, people
):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    answer_everything(page)
    page.save_button.click()
    page.grade_buttons[Grade.B].click()
    record_wipe(page)
    sign_in_to_verify(page, "mia", MANAGER_PASSWORD)
    assert "Nothing blocks passing" in page.problems_label.text()
    page.pass_button.click()
    assert page.scan_bar.state == "good", page.last_message
    assert status_of(ui_database, laptop.id) == AssetStatus.READY
    assert page.view is None  # it left the bench


def test_done_passes_a_device_that_is_ready_for_it(qtbot, bench, ui_database, people):
    window, page = bench
    tech, boss = people
    laptop = add_laptop(ui_database, people)
    with ui_database.session() as s:
        refurbishment.start(s, tech, laptop.id)
        answer_checklist(s, tech, laptop.id)
        wipe_and_verify(s, tech, boss, laptop.id)
        refurbishment.set_grade(s, tech, laptop.id, Grade.A)
    scan(qtbot, window, laptop.tag)
    assert "Nothing blocks passing" in page.problems_label.text()
    scan(qtbot, window, "CMD-DONE")
    assert status_of(ui_database, laptop.id) == AssetStatus.READY
    assert page.view is None


def test_unsaved_answers_block_the_pass(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    page.checklist.row("powers_on").buttons[CheckOutcome.PASS].click()
    page.pass_checks()
    assert page.scan_bar.state == "bad"
    assert "unsaved answers" in page.last_message
    assert status_of(ui_database, laptop.id) == AssetStatus.IN_REFURBISHMENT


def test_fail_checks_moves_the_device_to_awaiting_disposal(
    qtbot, bench, ui_database, people, monkeypatch
):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    asked = []
    monkeypatch.setattr(page, "confirm_fail", lambda tag: asked.append(tag) or True)
    page.fail_button.click()
    assert asked == [laptop.tag]
    assert status_of(ui_database, laptop.id) == AssetStatus.AWAITING_DISPOSAL
    assert page.view is None


def test_fail_checks_asks_first_and_a_no_changes_nothing(
    qtbot, bench, ui_database, people, monkeypatch
):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    monkeypatch.setattr(page, "confirm_fail", lambda tag: False)
    page.fail_button.click()
    assert status_of(ui_database, laptop.id) == AssetStatus.IN_REFURBISHMENT
    assert page.view is not None


def test_scanning_a_ready_device_says_it_is_not_for_the_bench(qtbot, bench, ui_database, people):
    window, page = bench
    tech, boss = people
    laptop = add_laptop(ui_database, people)
    with ui_database.session() as s:
        pass_bench(s, tech, boss, laptop.id)
    scan(qtbot, window, laptop.tag)
    assert page.scan_bar.state == "bad"
    assert page.last_message == (
        f"{laptop.tag} (HP EliteBook 840 G8) is “ready”: only received devices "
        "go on the bench. Nothing was changed."
    )
    assert status_of(ui_database, laptop.id) == AssetStatus.READY
    assert page.view is None


def test_a_refused_scan_leaves_the_device_on_the_bench(qtbot, bench, ui_database, people):
    window, page = bench
    tech, boss = people
    on_bench = add_laptop(ui_database, people, serial="SN-ON-BENCH")
    ready = add_laptop(ui_database, people, serial="SN-READY")
    with ui_database.session() as s:
        pass_bench(s, tech, boss, ready.id)
    scan(qtbot, window, on_bench.tag)
    scan(qtbot, window, ready.tag)
    assert page.scan_bar.state == "bad"
    assert page.view.tag == on_bench.tag


def test_an_unknown_tag_is_refused(qtbot, bench, ui_database, people):
    window, page = bench
    scan(qtbot, window, "CD00000013")
    assert page.scan_bar.state == "bad"
    assert page.last_message == "Nothing was found for CD00000013."


def test_cancel_clears_the_device_which_stays_in_refurbishment(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    scan(qtbot, window, "CMD-CANCEL")
    assert page.view is None and page.empty_notice.isVisible()
    assert status_of(ui_database, laptop.id) == AssetStatus.IN_REFURBISHMENT


def test_another_device_is_refused_while_answers_are_unsaved(qtbot, bench, ui_database, people):
    window, page = bench
    first = add_laptop(ui_database, people, serial="SN-FIRST")
    second = add_laptop(ui_database, people, serial="SN-SECOND")
    scan(qtbot, window, first.tag)
    page.checklist.row("powers_on").buttons[CheckOutcome.PASS].click()
    scan(qtbot, window, second.tag)
    assert page.scan_bar.state == "bad"
    assert page.view.tag == first.tag
    assert status_of(ui_database, second.id) == AssetStatus.RECEIVED


def test_a_monitor_brings_its_own_checklist_and_no_media(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    with ui_database.session() as s:
        monitor = assets.register_asset(
            s, people[0], category="monitor", manufacturer="Dell", model="P2419H", serial="CN0J8T2K"
        )
    scan(qtbot, window, laptop.tag)
    scan(qtbot, window, monitor.tag)
    expected = [i.key for i in refurbishment.checklist_for("monitor").items]
    assert [r.item.key for r in page.checklist.rows] == expected
    assert page.media_model.rowCount() == 0
    assert not page.wipe_button.isEnabled()
    assert (
        "Nothing blocks passing" not in page.problems_label.text()
    )  # checklist and grade still open


def test_scans_wait_while_a_dialog_is_open(qtbot, bench, ui_database, people):
    window, page = bench
    first = add_laptop(ui_database, people, serial="SN-FIRST")
    second = add_laptop(ui_database, people, serial="SN-SECOND")
    scan(qtbot, window, first.tag)
    dialog = page.open_wipe_dialog()
    page.handle_scan(second.tag)
    assert page.scan_bar.state == "bad"
    assert page.view.tag == first.tag
    dialog.reject()


def test_the_dutch_bench_speaks_dutch(qtbot, ui_database, people, dutch):
    window = MainWindow(ui_database, people[0], Settings(extra={"sound_muted": True}))
    qtbot.addWidget(window)
    window.show_page("refurbishment")
    page = window.stack.currentWidget()
    laptop = add_laptop(ui_database, people)
    page.handle_scan(laptop.tag)
    assert "Batterijgezondheid" in page.checklist.row("battery_health").label.text()
    assert page.device_label.text().endswith("in herstelling")


def test_the_checklist_is_worked_with_the_keyboard(qtbot, bench, ui_database, people):
    window, page = bench
    laptop = add_laptop(ui_database, people)
    scan(qtbot, window, laptop.tag)
    window.activateWindow()
    first, second = page.checklist.rows[:2]
    first.buttons[CheckOutcome.PASS].setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # Space ticks the focused choice
    assert first.outcome() == CheckOutcome.PASS
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)  # arrows change it within the row
    assert first.outcome() == CheckOutcome.FAIL
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # Tab: the note, then the next row
    assert QApplication.focusWidget() is first.note
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is second.buttons[CheckOutcome.PASS]
    assert second.outcome() is None


def test_a_short_checklist_sits_at_the_top_of_its_box(qtbot, bench, ui_database, people):
    window, page = bench
    window.resize(1366, 768)
    tech, _boss = people
    with ui_database.session() as s:  # a desktop: five checks, far fewer than the box holds
        desktop = assets.register_asset(s, tech, category="desktop", manufacturer="Dell",
                                        model="OptiPlex 7070 Micro", serial="Y27TEEQ",
                                        media=[MediumSpec("ssd", "ZCQFO8R", 256)])
    scan(qtbot, window, desktop.tag)
    qtbot.waitUntil(lambda: bool(page.checklist.rows))
    header = page.checklist.findChild(QLabel, "checklistHeader")
    last = page.checklist.rows[-1].buttons[CheckOutcome.PASS]
    needed = page.checklist.sizeHint().height()
    assert page.checklist.height() > 1.5 * needed  # the box has room to spare
    assert header.y() < header.height(), f"an empty band of {header.y()} px above the checklist"
    assert last.y() + last.height() <= needed, "the checks are spread over the box"
