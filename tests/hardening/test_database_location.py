"""Finding 7: no silent data loss from where the database is (or is not).

A SQLite file deleted under the running app is noticed before anything is reported as
saved; an in-memory URL is refused; a path that does not exist yet is only created with
`--create` (the command line) or after a question (the window) — except the default
database in the data folder, which a new machine creates without asking (`make run`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select, text

from app.config import default_database_url
from app.db import open_database
from app.models import User
from app.services import auth
from app.services.errors import DatabaseVanished, InMemoryDatabaseRefused, NewDatabaseRefused
from app.services.permissions import SYSTEM


def test_a_file_deleted_while_the_app_runs_refuses_the_next_change(tmp_path):
    path = tmp_path / "depot.sqlite"
    database = open_database(f"sqlite:///{path}")
    try:
        with database.session() as session:
            session.scalar(select(func.count()).select_from(User))  # the connection is open
            os.unlink(path)
            with pytest.raises(DatabaseVanished):
                auth.add_user(session, SYSTEM, "anna", "Anna", "technician", "sterk-wachtwoord-1")
    finally:
        database.dispose()


def test_a_file_deleted_during_a_long_transaction_refuses_the_commit(tmp_path):
    path = tmp_path / "depot.sqlite"
    database = open_database(f"sqlite:///{path}")
    try:
        with database.engine.connect() as conn:
            transaction = conn.begin()  # a long import: rows go in …
            conn.execute(text("CREATE TABLE imported (line INTEGER)"))
            conn.execute(text("INSERT INTO imported VALUES (1), (2), (3)"))
            os.unlink(path)  # … and the file goes away before the commit
            with pytest.raises(DatabaseVanished):
                transaction.commit()
    finally:
        database.dispose()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_is_refused(url):
    with pytest.raises(InMemoryDatabaseRefused):
        open_database(url)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_the_command_line_refuses_an_in_memory_database(run, url):
    result = run("--database", url, "db", "info")
    assert result.code == 1
    assert "in-memory" in result.err


def test_a_mistyped_path_is_refused_without_create(run, tmp_path):
    typo = tmp_path / "dpeot" / "depot.sqlite"
    result = run("--database", f"sqlite:///{typo}", "db", "info")
    assert result.code == 1
    assert "There is no database at" in result.err and "--create" in result.err
    assert not typo.exists() and not typo.parent.exists()


def test_create_makes_a_new_database_at_a_new_path(run, tmp_path):
    new = tmp_path / "elsewhere" / "depot.sqlite"
    result = run("--database", f"sqlite:///{new}", "--create", "db", "info")
    assert result.code == 0, result.err
    assert new.exists()


def test_the_default_database_is_created_without_asking(run):
    path = Path(default_database_url().removeprefix("sqlite:///"))
    assert not path.exists()
    result = run("db", "info")  # a new machine: nothing configured, nothing to add
    assert result.code == 0, result.err
    assert path.exists()


def test_open_database_refuses_a_new_file_only_when_asked_to(tmp_path):
    with pytest.raises(NewDatabaseRefused):
        open_database(f"sqlite:///{tmp_path / 'new.sqlite'}", create=False)
    assert not (tmp_path / "new.sqlite").exists()


def test_the_window_asks_before_creating_a_database_somewhere_new(qapp, tmp_path, monkeypatch):
    from app.ui import app as ui_app

    monkeypatch.setenv("DEPOT_LANG", "en")  # no Dutch Qt translator left on the shared QApplication
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kw: asked.append(args[2]) or QMessageBox.StandardButton.No)
    # not the desk's style and locale: they would stay on the shared QApplication for later tests
    monkeypatch.setattr(ui_app, "prepare_application", lambda settings: qapp)
    new = tmp_path / "typo" / "depot.sqlite"
    assert ui_app.run_gui(f"sqlite:///{new}") == 1
    assert len(asked) == 1 and str(new) in asked[0]
    assert not new.exists()


def test_the_window_does_not_ask_for_the_default_database(tmp_path):
    from app.ui import app as ui_app

    assert not ui_app.needs_confirmation(default_database_url())
    assert ui_app.needs_confirmation(f"sqlite:///{tmp_path / 'typo.sqlite'}")
