"""The real window, started the way `python -m app` starts it, on a small warehouse.

The database is a migrated SQLite file in the test's own data folder (the default place, so the
app finds it with nothing configured) with an administrator, a technician, a manager and two
provincial services. `start(user, password)` prepares the application as `run_gui` does
(production style, language from the settings, Qt's own translations), opens the real sign-in
dialog and signs in with keys only; it returns the main window.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).parent))

from desk import PASSWORDS, Desk  # noqa: E402

from app import i18n  # noqa: E402
from app.config import Settings, default_database_url  # noqa: E402
from app.db import open_database  # noqa: E402
from app.models import PartyType, Role  # noqa: E402
from app.services import auth, parties  # noqa: E402
from app.ui import app as desk_app  # noqa: E402
from app.ui.sign_in import SignInDialog  # noqa: E402

SCREEN_WIDTH, SCREEN_HEIGHT = 1280, 800  # the narrowest desk screen in the warehouse
LOWEST_SCREEN = 768  # and the lowest (1366×768)


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("DEPOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DEPOT_CONFIG_DIR", str(tmp_path / "config"))
    database = open_database(default_database_url())
    with database.session() as s:
        admin = auth.create_first_admin(s, "admin", "Ada Admin", PASSWORDS["admin"])
        auth.add_user(s, admin, "tine", "Tine Technieker", Role.TECHNICIAN, PASSWORDS["tine"])
        auth.add_user(s, admin, "mia", "Mia Manager", Role.MANAGER, PASSWORDS["mia"])
        manager = auth.authenticate(s, "mia", PASSWORDS["mia"])
        for name in ("Dienst Mobiliteit", "Dienst Welzijn"):
            parties.create_party(s, manager, PartyType.SERVICE, name=name)
    settings = Settings(language=os.environ.get("DEPOT_ACCEPTANCE_LANG", "nl"), extra={
        "printing": {"label_target": "folder", "folder": str(tmp_path / "printed")},
        "sound_muted": True})
    settings.save()
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def _application_as_it_was(qapp, monkeypatch):
    """The desk's start styles the shared QApplication and installs Qt's Dutch texts on it; take
    both off again, so the window tests that run after these see the application they expect."""
    font, sheet = qapp.font(), qapp.styleSheet()
    translators = []
    install = desk_app.install_qt_translations

    def remembered(app, language):
        translators.append(install(app, language))
        return translators[-1]

    monkeypatch.setattr(desk_app, "install_qt_translations", remembered)
    yield
    for translator in filter(None, translators):
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale.c())
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    i18n.set_language("en")


@pytest.fixture
def desk(qtbot):
    return Desk(qtbot)


@pytest.fixture
def start(qtbot, desk, warehouse):
    """Open the app and sign in as `user` by typing the password and pressing Enter."""
    windows = []

    def sign_in_with_keys(username: str, password: str | None = None, *, language: str | None = None):
        settings = Settings.load()
        if language:
            settings.language = language
            settings.save()
        desk_app.prepare_application(settings)

        def type_it(dialog) -> None:
            if not dialog.username_edit.text():
                desk.type(username)
                desk.press("Tab")
            desk.type(password or PASSWORDS[username])
            desk.enter()

        desk.when_modal(SignInDialog, type_it)
        window = desk_app.open_window(warehouse, settings)
        if window is not None:
            qtbot.addWidget(window)
            qtbot.waitExposed(window)
            qtbot.waitUntil(lambda: window.isAncestorOf(QApplication.focusWidget()))
            windows.append(window)
        return window

    yield sign_in_with_keys
    # Whatever a scenario did (long names, long paths, messages, a form opened), no page may have
    # grown the window past the screen of a 1280×800 desk, nor need more than a 768-pixel height.
    grown = [(w.size(), w.minimumSizeHint()) for w in windows if not w.isHidden()
             and (max(w.width(), w.minimumSizeHint().width()) > SCREEN_WIDTH
                  or w.height() > SCREEN_HEIGHT or w.minimumSizeHint().height() > LOWEST_SCREEN)]
    for window in windows:
        window.close()
    assert not grown, f"the window outgrew a {SCREEN_WIDTH}×{SCREEN_HEIGHT} screen: {grown}"
