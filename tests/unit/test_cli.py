"""The command line: help, demo data, audit verification, adding users.

Most tests run `app.cli.main` in-process on a SQLite file; one goes through a
real `python -m app` process with its own data and config folders, and one
runs the demo and the audit check on PostgreSQL. Messages are checked for
what they must name (a number, a user name), not for their wording, so the
tests hold in Dutch and in English.
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import i18n
from app.cli import main
from app.db import open_database
from app.models import Asset, AssetStatus, AuditEvent, Role, User
from app.services import auth

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["demo", "user", "audit", "label", "command-sheet", "db"]
DEMO_ASSETS = 60


def _query(url: str, stmt):
    database = open_database(url, upgrade=False)
    try:
        with database.session() as session:
            return session.execute(stmt).all()
    finally:
        database.dispose()


def _serials(url: str) -> list[tuple[str, str]]:
    rows = _query(url, select(Asset.manufacturer, Asset.serial).order_by(Asset.id))
    return [tuple(row) for row in rows]


def _event_count(url: str) -> int:
    return _query(url, select(func.count()).select_from(AuditEvent))[0][0]


def _demo(url: str, assets: int = DEMO_ASSETS, seed: int = 3) -> int:
    return main(["--database", url, "--create", "demo", "--assets", str(assets), "--seed", str(seed)])


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    """One demo database (60 devices, seed 3) shared by the tests that only read it."""
    base = tmp_path_factory.mktemp("demo")
    language = i18n.current_language()
    # module scope: the per-test folder isolation of conftest is not active yet
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DEPOT_DATA_DIR", str(base / "data"))
        mp.setenv("DEPOT_CONFIG_DIR", str(base / "config"))
        mp.delenv("DEPOT_DATABASE_URL", raising=False)
        url = f"sqlite:///{base / 'demo.sqlite'}"
        try:
            rc = _demo(url)
        finally:
            i18n.set_language(language)  # main() switches the language for the whole process
    assert rc == 0
    return url


@pytest.fixture
def add_user(sqlite_url, monkeypatch):
    """Run `user add NAME --role ROLE` with `password` on standard input."""
    def run(name: str, password: str, role: str = "technician") -> int:
        monkeypatch.setattr(sys, "stdin", io.StringIO(password))
        return main(["--database", sqlite_url, "--create", "user", "add", name, "--role", role])
    return run


# --- help ---------------------------------------------------------------------------


def test_help_exits_successfully(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    listed = set(re.findall(r"^\s+([a-z][a-z-]*)\b", out, re.MULTILINE))
    assert set(COMMANDS) - listed == set()


# --- demo ---------------------------------------------------------------------------


def test_demo_creates_the_requested_number_of_devices(sqlite_url):
    assert main(["--database", sqlite_url, "--create", "demo", "--assets", "25", "--devices-only"]) == 0
    assert _query(sqlite_url, select(func.count()).select_from(Asset))[0][0] == 25


def test_the_demo_shows_every_workflow_at_work(demo_url):
    from app.models import DisposalBatch, HandoverRequest, SaleRound

    for model in (HandoverRequest, SaleRound, DisposalBatch):
        assert _query(demo_url, select(func.count()).select_from(model))[0][0] > 0, model.__name__


def test_demo_has_devices_in_every_lifecycle_status(demo_url):
    statuses = {row[0] for row in _query(demo_url, select(Asset.status).distinct())}
    assert set(AssetStatus) - statuses == set()


def test_demo_names_every_demo_account_with_its_role_and_password(sqlite_url, capsys, monkeypatch):
    from app.services import demo
    from app.services.permissions import role_label

    monkeypatch.setenv("DEPOT_LANG", "en")
    assert _demo(sqlite_url, assets=10) == 0
    lines = capsys.readouterr().out.splitlines()
    made = _query(sqlite_url, select(User.username, User.role, User.active))
    assert len(made) >= 7  # every role, a second manager, an intern, a former technician
    for username, role, active in made:
        line = next((ln for ln in lines if ln.split()[:1] == [username]), None)
        assert line is not None, username
        assert role_label(role) in line and demo.DEMO_PASSWORD in line
        assert ("disabled" in line) is (not active)


def test_demo_with_the_same_seed_gives_the_same_serials(demo_url, sqlite_url):
    assert _demo(sqlite_url, seed=3) == 0
    assert _serials(sqlite_url) == _serials(demo_url)


def test_demo_with_another_seed_gives_other_serials(demo_url, sqlite_url):
    assert _demo(sqlite_url, seed=4) == 0
    assert _serials(sqlite_url) != _serials(demo_url)


# --- audit verify -------------------------------------------------------------------


def test_audit_verify_after_demo_succeeds(demo_url, capsys):
    assert main(["--database", demo_url, "audit", "verify"]) == 0


def test_audit_verify_prints_one_line_with_the_number_of_events(demo_url, capsys):
    main(["--database", demo_url, "audit", "verify"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and re.search(rf"\b{_event_count(demo_url)}\b", lines[0])


@pytest.fixture
def tampered(sqlite_url) -> int:
    """A demo database in which someone edited one audit event by hand; returns its number."""
    assert _demo(sqlite_url, assets=10) == 0
    seq = _event_count(sqlite_url) // 2
    path = sqlite_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as conn, conn:
        changed = conn.execute(
            "UPDATE audit_events SET changes = ? WHERE seq = ?",
            ('{"grade":["D","A"],"edited_by_hand":[null,true]}', seq),
        ).rowcount
    assert changed == 1
    return seq


def test_audit_verify_of_an_edited_event_fails(sqlite_url, tampered):
    # exit code 2 (not 1): a script can tell a broken trail from a refused command
    assert main(["--database", sqlite_url, "audit", "verify"]) == 2


def test_audit_verify_names_the_edited_event(sqlite_url, tampered, capsys):
    main(["--database", sqlite_url, "audit", "verify"])
    out = capsys.readouterr().out
    assert re.search(rf"\b{tampered}\b", out)


# --- user add -----------------------------------------------------------------------


def _sign_in(url: str, name: str, password: str) -> User:
    database = open_database(url, upgrade=False)
    try:
        with database.session() as session:
            return auth.authenticate(session, name, password)
    finally:
        database.dispose()


def _users_named(url: str, name: str) -> int:
    return _query(url, select(func.count()).select_from(User).where(User.username == name))[0][0]


def test_added_user_can_sign_in_with_the_password_from_stdin(add_user, sqlite_url):
    assert add_user("jan", "lang-genoeg-42\n") == 0
    assert _sign_in(sqlite_url, "jan", "lang-genoeg-42").role is Role.TECHNICIAN


def test_password_from_a_windows_file_loses_its_line_ending(add_user, sqlite_url):
    assert add_user("jan", "lang-genoeg-42\r\n") == 0
    assert _sign_in(sqlite_url, "jan", "lang-genoeg-42").username == "jan"


def test_too_short_password_is_refused_with_a_message(add_user, capsys):
    assert add_user("jan", "kort\n") == 1
    assert str(auth.MIN_PASSWORD_LENGTH) in capsys.readouterr().err


def test_too_short_password_creates_no_user(add_user, sqlite_url):
    add_user("jan", "kort\n")
    assert _users_named(sqlite_url, "jan") == 0


def test_duplicate_user_name_is_refused_with_a_message(add_user, capsys):
    assert add_user("jan", "eerste-wachtwoord\n") == 0
    capsys.readouterr()
    assert add_user("jan", "tweede-wachtwoord\n", role="manager") == 1
    assert "jan" in capsys.readouterr().err


def test_duplicate_user_name_leaves_the_first_user_unchanged(add_user, sqlite_url):
    add_user("jan", "eerste-wachtwoord\n")
    add_user("jan", "tweede-wachtwoord\n", role="manager")
    assert _sign_in(sqlite_url, "jan", "eerste-wachtwoord").role is Role.TECHNICIAN


# --- a real process -----------------------------------------------------------------


def test_command_line_process_fills_and_verifies_the_default_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DEPOT_DATABASE_URL", "DEPOT_LANG")}
    env.update(DEPOT_DATA_DIR=str(tmp_path / "data"), DEPOT_CONFIG_DIR=str(tmp_path / "config"))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "app", *args], check=False, cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)

    demo = run("demo", "--assets", "10", "--seed", "1")
    verify = run("audit", "verify")
    assert (demo.returncode, verify.returncode) == (0, 0), demo.stderr + verify.stderr
    assert len(list((tmp_path / "data").glob("*.sqlite"))) == 1


# --- PostgreSQL ---------------------------------------------------------------------


@pytest.mark.pg
def test_demo_on_postgresql_has_an_intact_audit_trail(pg_url):
    assert _demo(pg_url, assets=20) == 0
    assert main(["--database", pg_url, "audit", "verify"]) == 0
