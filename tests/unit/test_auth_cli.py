"""User administration on the command line, and the CLI path of the permission check: a command
acting as a named user (--actor, --issuer, --operator) is refused what that user's role may not do."""

from __future__ import annotations

import io
import sys

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.db import open_database
from app.models import Asset, AuditEvent, Role
from app.services import auth
from app.services.permissions import SYSTEM

REFUSED = "This is for: "  # the refusal names the roles that may, from the permission table


@pytest.fixture
def url(sqlite_url, monkeypatch):
    monkeypatch.setenv("DEPOT_LANG", "en")  # main() takes the language from the environment
    database = open_database(sqlite_url)
    with database.session() as s:
        auth.create_first_admin(s, "admin", "Ada Admin", "admin-pass-1")
        for name, role in (("tom", Role.TECHNICIAN), ("mia", Role.MANAGER), ("otto", Role.AUDITOR)):
            auth.add_user(s, SYSTEM, name, name.title(), role, f"{name}-pass-1")
    database.dispose()
    return sqlite_url


def run(url, *argv, stdin: str | None = None, monkeypatch=None) -> int:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["--database", url, "--create", *argv])


def events(url) -> int:
    database = open_database(url, upgrade=False)
    try:
        with database.session() as s:
            return s.scalar(select(func.count()).select_from(AuditEvent))
    finally:
        database.dispose()


def sign_in(url, name, password):
    database = open_database(url, upgrade=False)
    try:
        with database.session() as s:
            return auth.authenticate(s, name, password)
    finally:
        database.dispose()


def lock_out(url, name):
    for _ in range(5):
        with pytest.raises((auth.AccountLocked, Exception)):
            sign_in(url, name, "guess-guess")


def test_user_list_shows_roles_and_lock_outs(url, capsys):
    lock_out(url, "mia")
    assert run(url, "user", "list") == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert set(lines) == {"admin", "mia", "tom", "otto"}
    assert "locked until" in lines["mia"] and "technician" in lines["tom"]


def test_user_unlock_lets_a_locked_user_in_again(url, capsys):
    lock_out(url, "mia")
    assert run(url, "user", "unlock", "mia") == 0
    assert sign_in(url, "mia", "mia-pass-1").username == "mia"


def test_user_password_sets_a_new_password_from_standard_input(url, monkeypatch, capsys):
    assert run(url, "user", "password", "tom", stdin="tom-new-pass\n", monkeypatch=monkeypatch) == 0
    assert sign_in(url, "tom", "tom-new-pass").username == "tom"


def test_user_password_keeps_the_rule(url, monkeypatch, capsys):
    assert run(url, "user", "password", "tom", stdin="short\n", monkeypatch=monkeypatch) == 1
    assert "at least 8" in capsys.readouterr().err
    assert sign_in(url, "tom", "tom-pass-1").username == "tom"


def test_the_last_admin_cannot_be_disabled_from_the_command_line_either(url, capsys):
    assert run(url, "user", "disable", "admin") == 1
    assert "administrator" in capsys.readouterr().err
    assert sign_in(url, "admin", "admin-pass-1").username == "admin"


def test_user_role_and_add_still_work(url, monkeypatch, capsys):
    assert run(url, "user", "role", "tom", "manager") == 0
    assert sign_in(url, "tom", "tom-pass-1").role == Role.MANAGER
    assert run(url, "user", "add", "kim", "--role", "auditor", stdin="kim-pass-12\n",
               monkeypatch=monkeypatch) == 0
    assert sign_in(url, "kim", "kim-pass-12").role == Role.AUDITOR


# --- the CLI path of the permission check ------------------------------------------------


def test_technician_cannot_run_a_manager_action_through_the_cli(url, capsys):
    before = events(url)
    assert run(url, "sales", "expire", "--actor", "tom") == 1
    assert REFUSED in capsys.readouterr().err
    assert events(url) == before


def test_the_same_command_works_for_a_manager(url, capsys):
    assert run(url, "sales", "expire", "--actor", "mia") == 0


def test_technician_cannot_purge_personal_data_through_the_cli(url, capsys):
    before = events(url)
    assert run(url, "privacy", "purge", "--apply", "--actor", "tom") == 1
    assert REFUSED in capsys.readouterr().err
    assert events(url) == before


def test_auditor_cannot_import_assets_through_the_cli(url, tmp_path, capsys):
    register = tmp_path / "register.csv"
    register.write_text("category;manufacturer;model;serial\nlaptop;Dell;Latitude 5420;CLI0001\n",
                        encoding="utf-8")
    before = events(url)
    assert run(url, "import", "assets", str(register), "--actor", "otto") == 1
    out = capsys.readouterr()
    assert REFUSED in out.out + out.err
    assert events(url) == before
    database = open_database(url, upgrade=False)
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Asset)) == 0
    database.dispose()
