"""Change password from the File menu: the current password first, the first-run rule for the new one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import auth
from app.services.errors import DomainError
from app.services.permissions import SYSTEM
from app.ui.main_window import MainWindow

PASSWORD = "tech-pass-1"


@pytest.fixture
def window(qtbot, ui_database, english):
    with ui_database.session() as s:
        tech = auth.add_user(s, SYSTEM, "tine", "Tine Technieker", "technician", PASSWORD)
    from app.config import Settings

    window = MainWindow(ui_database, tech, Settings(extra={"idle_lock_minutes": 0, "sound_muted": True}))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_from_menu(window):
    window.findChild(type(window.menuBar().actions()[0]), "changePasswordAction").trigger()
    return window.password_dialog


def fill(qtbot, dialog, current, new, repeat):
    for edit, text in ((dialog.current_edit, current), (dialog.new_edit, new), (dialog.repeat_edit, repeat)):
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)


def can_sign_in(database, password) -> bool:
    with database.session() as s:
        try:
            auth.authenticate(s, "tine", password)
            return True
        except DomainError:
            return False


def test_menu_action_opens_the_dialog_and_the_new_password_works(qtbot, window, ui_database):
    dialog = open_from_menu(window)
    assert dialog.isVisible()
    fill(qtbot, dialog, PASSWORD, "nieuw-wachtwoord", "nieuw-wachtwoord")
    assert dialog.changed and not dialog.isVisible()
    assert can_sign_in(ui_database, "nieuw-wachtwoord")
    assert not can_sign_in(ui_database, PASSWORD)


def test_wrong_current_password_is_refused_and_nothing_changes(qtbot, window, ui_database):
    dialog = open_from_menu(window)
    fill(qtbot, dialog, "not-it", "nieuw-wachtwoord", "nieuw-wachtwoord")
    assert dialog.isVisible()
    assert dialog.error_label.text() == "The current password is not right."
    assert dialog.current_edit.text() == ""
    assert can_sign_in(ui_database, PASSWORD)


def test_short_new_password_is_refused_with_the_rule(qtbot, window, ui_database):
    dialog = open_from_menu(window)
    fill(qtbot, dialog, PASSWORD, "kort", "kort")
    assert dialog.error_label.text() == "A password needs at least 8 characters."
    assert can_sign_in(ui_database, PASSWORD)


def test_mismatched_new_passwords_are_refused(qtbot, window, ui_database):
    dialog = open_from_menu(window)
    fill(qtbot, dialog, PASSWORD, "nieuw-wachtwoord", "nieuw-wachtwoordd")
    assert dialog.error_label.text() == "The passwords do not match."
    assert dialog.new_edit.text() == "" and dialog.repeat_edit.text() == ""
    assert can_sign_in(ui_database, PASSWORD)
