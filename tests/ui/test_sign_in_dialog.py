"""The sign-in dialog: the right password lets you in, a wrong one says so and keeps you out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.ui.sign_in import SignInDialog


def open_dialog(qtbot, database, **kwargs) -> SignInDialog:
    dialog = SignInDialog(database.session, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def sign_in(qtbot, dialog: SignInDialog, username: str, password: str) -> None:
    dialog.username_edit.clear()
    qtbot.keyClicks(dialog.username_edit, username)
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_right_password_signs_in_and_closes_the_dialog(qtbot, ui_database, admin, admin_password,
                                                      english):
    dialog = open_dialog(qtbot, ui_database)
    sign_in(qtbot, dialog, "admin", admin_password)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user is not None and dialog.user.username == "admin"
    assert not dialog.isVisible()


def test_wrong_password_shows_the_reason_and_keeps_the_dialog_open(qtbot, ui_database, admin,
                                                                    english):
    dialog = open_dialog(qtbot, ui_database)
    sign_in(qtbot, dialog, "admin", "not-the-password")
    assert dialog.user is None
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "Unknown user name or wrong password."
    assert dialog.password_edit.text() == ""  # retype the password ...
    assert dialog.username_edit.text() == "admin"  # ... but not the user name


def test_wrong_password_message_is_in_dutch_on_a_dutch_screen(qtbot, ui_database, admin, dutch):
    dialog = open_dialog(qtbot, ui_database)
    sign_in(qtbot, dialog, "admin", "not-the-password")
    assert dialog.error_label.text() not in ("", "Unknown user name or wrong password.")


def test_second_attempt_after_a_typo_succeeds(qtbot, ui_database, admin, admin_password, english):
    dialog = open_dialog(qtbot, ui_database)
    sign_in(qtbot, dialog, "admin", "typo")
    sign_in(qtbot, dialog, "admin", admin_password)
    assert dialog.user is not None
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_password_is_not_shown_while_typing(qtbot, ui_database, admin, english):
    dialog = open_dialog(qtbot, ui_database)
    assert dialog.password_edit.echoMode() == dialog.password_edit.EchoMode.Password


def test_user_name_from_first_run_is_filled_in(qtbot, ui_database, admin, english):
    dialog = open_dialog(qtbot, ui_database, username="admin")
    assert dialog.username_edit.text() == "admin"


def test_too_many_wrong_passwords_say_until_when_the_name_is_locked(qtbot, ui_database, admin,
                                                                    admin_password, english):
    dialog = open_dialog(qtbot, ui_database)
    for _ in range(5):
        sign_in(qtbot, dialog, "admin", "not-the-password")
    text = dialog.error_label.text()
    assert text.startswith("Too many failed attempts; try again at ")
    assert text.endswith(" or ask an administrator.")
    sign_in(qtbot, dialog, "admin", admin_password)  # the right password waits too
    assert dialog.user is None and dialog.isVisible()


def test_an_unknown_name_gets_the_same_lock_out(qtbot, ui_database, admin, english):
    dialog = open_dialog(qtbot, ui_database)
    for _ in range(5):
        sign_in(qtbot, dialog, "nobody", "not-the-password")
    assert dialog.error_label.text().startswith("Too many failed attempts; try again at ")


def test_dialog_says_when_the_desk_signs_in_through_the_directory(qtbot, ui_database, english):
    from app.config import Settings
    from app.services import auth

    settings = Settings(ldap={"url": "ldaps://dc1.prov.be", "base_dn": "dc=prov,dc=be",
                              "bind_pattern": "{username}@prov.be", "group_roles": {"GG": "technician"}})
    try:
        dialog = SignInDialog(ui_database.session, settings=settings)
        qtbot.addWidget(dialog)
        assert "Windows account" in dialog.intro_label.text()
        assert auth.directory() is not None
    finally:
        auth.use_directory(None)
