"""Fixtures for the window tests: offscreen Qt, a throw-away SQLite database, a language.

The root conftest already keeps the user's real settings and data folders out
of reach; the folders are set again here so these tests stay safe when run on
their own from another root.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app import i18n  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db import open_database  # noqa: E402
from app.services import auth  # noqa: E402

ADMIN_PASSWORD = "admin-pass-1"


@pytest.fixture(autouse=True)
def _private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("DEPOT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("DEPOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DEPOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("DEPOT_LANG", raising=False)


@pytest.fixture
def language():
    """Call `language("nl")` in a test; the previous language comes back afterwards."""
    previous = i18n.current_language()
    yield i18n.set_language
    i18n.set_language(previous)


@pytest.fixture
def english(language):
    language("en")


@pytest.fixture
def dutch(language):
    language("nl")


@pytest.fixture
def ui_database(tmp_path):
    database = open_database(f"sqlite:///{tmp_path}/t.sqlite")
    yield database
    database.dispose()


@pytest.fixture
def admin_password():
    return ADMIN_PASSWORD


@pytest.fixture
def admin(ui_database):
    with ui_database.session() as session:
        return auth.create_first_admin(session, "admin", "Ada Admin", ADMIN_PASSWORD)


@pytest.fixture
def site_settings():
    return Settings(site_name="Magazijn Testlaan")
