"""A shared desk locks itself when idle; only the signed-in person unlocks it; the work stays."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.services import auth, parties
from app.services.permissions import SYSTEM
from app.ui.main_window import MainWindow

PASSWORD = "tech-pass-1"


@pytest.fixture
def desk(qtbot, ui_database, english):
    with ui_database.session() as s:
        tech = auth.add_user(s, SYSTEM, "tine", "Tine Technieker", "technician", PASSWORD)
        parties.create_party(s, SYSTEM, "service", name="Dienst Mobiliteit")
    # 0.002 minutes = 120 ms of idleness
    window = MainWindow(ui_database, tech, Settings(extra={"idle_lock_minutes": 0.002,
                                                           "sound_muted": True}))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_an_idle_desk_locks_and_hides_its_work(qtbot, desk):
    qtbot.waitUntil(lambda: desk.locked, timeout=3000)
    assert desk.lock_cover.isVisible()
    assert desk.unlock_dialog.isVisible()


def test_the_right_password_unlocks_and_the_open_work_is_kept(qtbot, desk):
    page = desk.stack.currentWidget()
    page.open_lot()
    lot_number = page.lot.number
    qtbot.waitUntil(lambda: desk.locked, timeout=3000)
    dialog = desk.unlock_dialog
    dialog.password_edit.setText(PASSWORD)
    dialog.sign_in_button.click()
    assert not desk.locked
    assert desk.lock_cover is None
    assert page.lot is not None and page.lot.number == lot_number


def test_a_wrong_password_keeps_it_locked(qtbot, desk):
    qtbot.waitUntil(lambda: desk.locked, timeout=3000)
    dialog = desk.unlock_dialog
    dialog.password_edit.setText("not-the-password")
    dialog.sign_in_button.click()
    assert desk.locked
    assert dialog.error_label.isVisible()


def test_scans_are_ignored_while_locked(qtbot, desk):
    page = desk.stack.currentWidget()
    page.open_lot()
    qtbot.waitUntil(lambda: desk.locked, timeout=3000)
    desk.route_scan("5CG0000001")
    assert page.device_form.isHidden()


def test_a_lock_time_of_zero_turns_the_lock_off(qtbot, ui_database, english):
    with ui_database.session() as s:
        tech = auth.add_user(s, SYSTEM, "tom", "Tom", "technician", PASSWORD)
    window = MainWindow(ui_database, tech, Settings(extra={"idle_lock_minutes": 0}))
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(200)
    assert not window.locked
