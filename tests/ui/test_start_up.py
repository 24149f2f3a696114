"""Starting the app: a database that cannot be opened is explained; Qt's own buttons speak Dutch."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from app.ui import app as ui_app
from app.ui.first_run import FirstRunDialog
from app.ui.sign_in import SignInDialog


@pytest.fixture
def qt_language(qapp):
    """Take Qt's translators and default locale back off the shared QApplication afterwards."""
    installed = []
    yield lambda language: installed.append(ui_app.install_qt_translations(qapp, language))
    for translator in filter(None, installed):
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale.c())


@pytest.fixture
def sign_in_screens(monkeypatch):
    """Stand-ins for a person at the modal dialogs: each `exec` types and clicks, then returns."""
    seen = {"sign_in_username": None}

    def first_run(dialog):
        dialog.username_edit.setText("greet")
        dialog.display_name_edit.setText("Greet Janssens")
        dialog.password_edit.setText("sterk-wachtwoord")
        dialog.repeat_edit.setText("sterk-wachtwoord")
        dialog.create_button.click()
        return dialog.result()

    def sign_in(dialog):
        seen["sign_in_username"] = dialog.username_edit.text()
        dialog.password_edit.setText("sterk-wachtwoord")
        dialog.sign_in_button.click()
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", first_run)
    monkeypatch.setattr(SignInDialog, "exec", sign_in)
    return seen


def test_first_start_creates_the_administrator_then_asks_to_sign_in(qapp, ui_database,
                                                                    sign_in_screens, english):
    user = ui_app.sign_in(ui_database)
    assert user is not None and user.username == "greet"
    assert sign_in_screens["sign_in_username"] == "greet"  # filled in from the first run


def test_cancelling_the_first_run_does_not_open_the_app(qapp, ui_database, monkeypatch, english):
    monkeypatch.setattr(FirstRunDialog, "exec", lambda dialog: dialog.reject() or dialog.result())
    monkeypatch.setattr(SignInDialog, "exec", lambda dialog: pytest.fail("sign-in was asked"))
    assert ui_app.sign_in(ui_database) is None


def test_a_database_that_cannot_be_opened_is_explained_and_exits_1(qapp, monkeypatch, english):
    monkeypatch.setenv("DEPOT_LANG", "en")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text, *rest: shown.append(text))
    # the desk's style would stay on the shared QApplication and widen later tests' pages
    monkeypatch.setattr(ui_app, "apply_style", lambda app: None)
    code = ui_app.run_gui("nosuchdriver://depot:secret@server/depot")
    assert code == 1
    assert len(shown) == 1
    assert "CircuIT Depot cannot start." in shown[0]
    assert "server/depot" in shown[0]
    assert "secret" not in shown[0]  # a password never ends up on screen


def test_standard_buttons_are_dutch_on_a_dutch_screen(qt_language):
    qt_language("nl")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuleren"


def test_standard_buttons_stay_english_on_an_english_screen(qt_language):
    qt_language("en")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
