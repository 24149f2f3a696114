"""The first-run dialog creates the first administrator, and refuses what it cannot use."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from app.services.auth import needs_first_admin
from app.ui.first_run import FirstRunDialog


def open_dialog(qtbot, database) -> FirstRunDialog:
    dialog = FirstRunDialog(database.session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def fill_in(qtbot, dialog: FirstRunDialog, password: str, repeat: str) -> None:
    qtbot.keyClicks(dialog.username_edit, "greet")
    qtbot.keyClicks(dialog.display_name_edit, "Greet Janssens")
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.keyClicks(dialog.repeat_edit, repeat)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)


def administrator_exists(database) -> bool:
    with database.session() as session:
        return not needs_first_admin(session)


def test_dialog_explains_that_no_administrator_exists_yet(qtbot, ui_database, english):
    dialog = open_dialog(qtbot, ui_database)
    intro = dialog.findChild(QLabel, "firstRunIntro")
    assert "No administrator exists yet: create the first one." in intro.text()


def test_first_administrator_is_created(qtbot, ui_database, english):
    dialog = open_dialog(qtbot, ui_database)
    fill_in(qtbot, dialog, "sterk-wachtwoord", "sterk-wachtwoord")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user.username == "greet"
    assert dialog.user.display_name == "Greet Janssens"
    assert administrator_exists(ui_database)


def test_mismatched_passwords_are_refused_and_nobody_is_created(qtbot, ui_database, english):
    dialog = open_dialog(qtbot, ui_database)
    fill_in(qtbot, dialog, "sterk-wachtwoord", "sterk-wachtwoort")
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "The passwords do not match."
    assert dialog.password_edit.text() == "" and dialog.repeat_edit.text() == ""
    assert dialog.user is None
    assert not administrator_exists(ui_database)


def test_too_short_password_is_refused_with_the_rule(qtbot, ui_database, english):
    dialog = open_dialog(qtbot, ui_database)
    fill_in(qtbot, dialog, "kort", "kort")
    assert dialog.isVisible()
    assert dialog.error_label.text() == "A password needs at least 8 characters."
    assert not administrator_exists(ui_database)
