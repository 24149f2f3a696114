"""The settings page: administrators manage users there; everybody sets the language; it fits the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.config import Settings
from app.models import Role
from app.services import auth
from app.services.errors import SignInFailed
from app.services.permissions import SYSTEM
from app.ui.settings_page import SettingsPage


@pytest.fixture
def staff(ui_database, admin):
    with ui_database.session() as s:
        auth.add_user(s, SYSTEM, "tine", "Tine Technieker", Role.TECHNICIAN, "tech-pass-1")
        auth.add_user(s, SYSTEM, "mia", "Mia Manager", Role.MANAGER, "mgr-pass-1")
    return admin


def open_page(qtbot, database, user, settings=None) -> SettingsPage:
    page = SettingsPage(database, user, settings or Settings())
    qtbot.addWidget(page)
    page.resize(1060, 740)  # what the 1280×800 window leaves beside the navigation
    page.show()
    qtbot.waitExposed(page)
    return page


def status_of(page, username):
    page.users.select(username)
    row = page.users.selected()
    return row, page.users.model.data(page.users.model.index(page.users.model.rows.index(row), 3))


def test_admin_sees_every_user(qtbot, ui_database, staff, english):
    page = open_page(qtbot, ui_database, staff)
    assert [r.username for r in page.users.model.rows] == ["admin", "mia", "tine"]


def test_technician_sees_language_and_password_but_no_users(qtbot, ui_database, staff, english):
    with ui_database.session() as s:
        tech = auth.get_user(s, "tine")
    page = open_page(qtbot, ui_database, tech)
    assert page.users is None
    assert page.findChild(QLabel, "directoryState") is None
    assert page.desk.language_combo.isVisible()
    assert not page.desk.idle_spin.isVisible()
    assert page.password_button.isVisible()


def test_new_user_dialog_adds_a_user_who_can_sign_in(qtbot, ui_database, staff, english):
    page = open_page(qtbot, ui_database, staff)
    dialog = page.users.new_user()
    qtbot.keyClicks(dialog.username_edit, "jan")
    qtbot.keyClicks(dialog.display_name_edit, "Jan Peeters")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("manager"))
    qtbot.keyClicks(dialog.password_edit, "jan-pass-12")
    qtbot.keyClicks(dialog.repeat_edit, "jan-pass-12")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert "jan" in [r.username for r in page.users.model.rows]
    assert page.users.selected().username == "jan"
    with ui_database.session() as s:
        assert auth.authenticate(s, "jan", "jan-pass-12").role == Role.MANAGER


def test_disable_then_enable(qtbot, ui_database, staff, english):
    page = open_page(qtbot, ui_database, staff)
    page.users.select("tine")
    assert page.users.active_button.text() == "Disable"
    page.users.active_button.click()
    assert status_of(page, "tine")[1] == "Disabled"
    assert page.users.active_button.text() == "Enable"
    page.users.active_button.click()
    assert status_of(page, "tine")[1] == "Active"


def test_admin_cannot_disable_themself_as_the_last_admin(qtbot, ui_database, staff, english):
    page = open_page(qtbot, ui_database, staff)
    page.users.select("admin")
    page.users.active_button.click()
    assert page.users.error_label.isVisible()
    assert page.users.error_label.text().startswith("At least one active administrator must remain")
    assert status_of(page, "admin")[1] == "Active"


def test_locked_user_is_shown_locked_and_unlocked_by_the_admin(qtbot, ui_database, staff, english):
    with ui_database.session() as s:
        for _ in range(5):
            with pytest.raises((SignInFailed, auth.AccountLocked)):
                auth.authenticate(s, "mia", "guess-guess")
    page = open_page(qtbot, ui_database, staff)
    _row, status = status_of(page, "mia")
    assert status.startswith("Locked until ")
    assert page.users.unlock_button.isEnabled()
    page.users.unlock_button.click()
    assert status_of(page, "mia")[1] == "Active"
    with ui_database.session() as s:
        assert auth.authenticate(s, "mia", "mgr-pass-1").username == "mia"


def test_set_role(qtbot, ui_database, staff, english):
    page = open_page(qtbot, ui_database, staff)
    page.users.select("tine")
    page.users.role_combo.setCurrentIndex(page.users.role_combo.findData("auditor"))
    page.users.role_button.click()
    assert page.users.selected().role == Role.AUDITOR
    assert page.users.done_label.text() == "tine is now Auditor."


def test_reset_password(qtbot, ui_database, staff, english):
    page = open_page(qtbot, ui_database, staff)
    page.users.select("tine")
    dialog = page.users.reset_password()
    qtbot.keyClicks(dialog.password_edit, "fresh-pass-1")
    qtbot.keyClicks(dialog.repeat_edit, "fresh-pass-1")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    with ui_database.session() as s:
        assert auth.authenticate(s, "tine", "fresh-pass-1").username == "tine"


def test_delete_only_for_users_not_in_the_audit_trail(qtbot, ui_database, staff, english):
    with ui_database.session() as s:
        auth.authenticate(s, "tine", "tech-pass-1")  # tine signed in once: in the trail
    page = open_page(qtbot, ui_database, staff)
    page.users.select("tine")
    assert not page.users.delete_button.isEnabled()
    page.users.select("mia")
    assert page.users.delete_button.isEnabled()
    page.users.delete(confirm=False)
    assert [r.username for r in page.users.model.rows] == ["admin", "tine"]


def test_language_and_idle_minutes_are_saved_for_this_desk(qtbot, ui_database, staff, english):
    settings = Settings()
    page = open_page(qtbot, ui_database, staff, settings)
    page.desk.language_combo.setCurrentIndex(page.desk.language_combo.findData("en"))
    page.desk.idle_spin.setValue(5)
    page.desk.save_button.click()
    saved = Settings.load()
    assert saved.language == "en" and saved.extra["idle_lock_minutes"] == 5


def test_plain_ldap_is_refused_in_the_directory_settings(qtbot, ui_database, staff, english):
    page = open_page(qtbot, ui_database, staff)
    dialog = page.open_directory_dialog()
    dialog.url_edit.setText("ldap://dc1.prov.be")
    dialog.base_edit.setText("dc=prov,dc=be")
    dialog.pattern_edit.setText("{username}@prov.be")
    dialog.group_edits[Role.TECHNICIAN].setText("GG-Depot-Technici")
    assert not dialog.save()
    assert "ldaps://" in dialog.error_label.text()
    assert Settings.load().ldap == {}


def test_directory_settings_are_saved_and_shown(qtbot, ui_database, staff, english):
    from app.services.ldap_auth import DirectoryConfig

    page = open_page(qtbot, ui_database, staff)
    dialog = page.open_directory_dialog()
    dialog.url_edit.setText("ldaps://dc1.prov.be")
    dialog.base_edit.setText("dc=prov,dc=be")
    dialog.pattern_edit.setText("{username}@prov.be")
    dialog.group_edits[Role.TECHNICIAN].setText("GG-Depot-Technici; GG-Bench")
    dialog.group_edits[Role.MANAGER].setText("GG-Depot-Beheer")
    try:
        assert dialog.save()
        config = DirectoryConfig.from_settings(Settings.load())
        assert config.group_roles == {"GG-Depot-Technici": "technician", "GG-Bench": "technician",
                                      "GG-Depot-Beheer": "manager"}
        assert "ldaps://dc1.prov.be" in page.directory_label.text()
    finally:
        auth.use_directory(None)


@pytest.mark.parametrize("code", ["nl", "en"])
def test_page_fits_the_window_beside_the_navigation(qtbot, ui_database, staff, language, code):
    language(code)  # Dutch labels are the longest
    page = open_page(qtbot, ui_database, staff)
    hint = page.minimumSizeHint()
    assert hint.width() <= 1060 and hint.height() <= 740
