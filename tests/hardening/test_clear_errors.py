"""Finding 17: no raw traceback anywhere; one clear line, the details in the log file.

Exit codes: 0 done, 1 not done (an error or a refusal), 2 a check found a problem or the
command line is wrong, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy.exc import DataError, OperationalError

from app import cli
from app.config import Settings
from app.failures import as_domain_error, describe
from app.logs import log_path
from app.services.errors import DatabaseReadOnly, DatabaseRefused, DatabaseUnavailable


def _one_line(result) -> None:
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err


@pytest.mark.parametrize("url", ["nonsense", "foo://", "mysql://user@host/depot",
                                 "postgresql+nosuchdriver://h/d"])
def test_a_bad_database_url_is_one_line(run, url):
    result = run("--database", url, "db", "info")
    assert result.code == 1
    _one_line(result)


@pytest.fixture
def newer_schema(db_url) -> str:
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    return db_url


@pytest.mark.parametrize("argv", [["db", "info"], ["backup", "--out", "{tmp}/b.sqlite"],
                                  ["audit", "verify"]])
def test_a_database_of_a_newer_version_is_one_line(run, newer_schema, tmp_path, argv):
    result = run("--database", newer_schema, *[a.format(tmp=tmp_path) for a in argv])
    assert result.code == 1
    _one_line(result)
    assert "newer version of the application" in result.err


@pytest.mark.parametrize("content", ["{broken", "[]", '{"language": 5, "extra": "x"}', "\xff\xfe"])
def test_a_broken_settings_file_does_not_break_the_command_line(run, content, db_url):
    path = Settings.path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("latin-1"))
    assert run("--help").code == 0
    result = run("--database", db_url, "db", "info")
    assert result.code == 0, result.err


def test_a_printer_port_that_is_no_number_is_refused(run, db_url):
    result = run("--database", db_url, "label", "CD00000001", "--printer", "host:notaport")
    assert result.code == 1
    _one_line(result)
    assert "port must be a number" in result.err


def test_a_seed_that_is_not_hexadecimal_is_refused(run, db_url):
    result = run("--database", db_url, "sales", "lottery", "R1", "--seed", "zz")
    assert result.code == 1
    _one_line(result)
    assert "hexadecimal" in result.err


def test_a_waste_register_from_year_1_to_9999_is_written(run, db_url, tmp_path):
    out = tmp_path / "register.csv"
    result = run("--database", db_url, "report", "waste-register", "--from", "0001-01-01",
                 "--to", "9999-12-31", "--out", str(out))
    assert result.code == 0, result.err
    assert out.exists()


@pytest.mark.parametrize("argv", [["command-sheet", "--out", "{tmp}"],
                                  ["export", "assets", "{tmp}"],
                                  ["report", "weee", "--year", "2026", "--out", "{tmp}"],
                                  ["backup", "--out", "{tmp}"]])
def test_out_pointing_to_a_folder_is_one_line(run, db_url, tmp_path, argv):
    result = run("--database", db_url, *[a.format(tmp=tmp_path) for a in argv])
    assert result.code == 1
    _one_line(result)
    assert "folder" in result.err


def test_ctrl_c_exits_130_without_a_traceback(run, db_url, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run", interrupted)
    result = run("--database", db_url, "demo", "--assets", "10")
    assert result.code == 130
    assert "Traceback" not in result.err and "Interrupted" in result.err


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(run, db_url, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero in the pricing")

    monkeypatch.setattr(cli, "_run", broken)
    result = run("--database", db_url, "db", "info")
    assert result.code == 1
    _one_line(result)
    assert str(log_path()) in result.err
    log = Path(log_path()).read_text(encoding="utf-8")
    assert "Traceback" in log and "division by zero in the pricing" in log


def test_a_read_only_database_is_not_called_unreachable():
    err = OperationalError("INSERT …", {}, sqlite3.OperationalError("attempt to write a readonly database"))
    assert isinstance(as_domain_error(err, "depot.sqlite"), DatabaseReadOnly)


def test_an_integer_overflow_is_not_called_unreachable():
    err = DataError("INSERT …", {}, Exception("integer out of range"))
    assert isinstance(as_domain_error(err), DatabaseRefused)
    assert isinstance(as_domain_error(OverflowError("Python int too large to convert to SQLite "
                                                    "INTEGER")), DatabaseRefused)


def test_a_server_that_is_down_is_unreachable():
    err = OperationalError("SELECT 1", {}, Exception("connection refused"))
    assert isinstance(as_domain_error(err), DatabaseUnavailable)


def test_a_round_is_taken_as_sales_rounds_lists_it(run, db_url, tmp_path):
    result = run("--database", db_url, "sales", "catalogue", "R2", "--out", str(tmp_path / "c.pdf"))
    assert result.code == 1  # the round does not exist in this database: refused, not a usage error
    assert "Nothing was found for 2" in result.err


def test_the_window_shows_an_unexpected_error_in_one_message_box(qapp, monkeypatch):
    from app.logs import setup_logging
    from app.ui import app as ui_app

    setup_logging()  # as run_gui does
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *rest: shown.append(text))
    try:
        raise RuntimeError("a page forgot to catch this")
    except RuntimeError as err:
        ui_app.show_uncaught(type(err), err, err.__traceback__)
    assert len(shown) == 1 and "Traceback" not in shown[0]
    assert "a page forgot to catch this" in shown[0]
    assert "a page forgot to catch this" in log_path().read_text(encoding="utf-8")


def test_describe_says_a_domain_error_as_it_is():
    from app.services.errors import NotFound

    assert describe(NotFound(what="CD1")) == "Nothing was found for CD1."


def test_a_read_only_database_is_said_as_read_only_by_the_services(session, admin, monkeypatch):
    """The window shows what the services raise: read-only, not "cannot be reached"."""
    from sqlalchemy.orm import Session

    from app.services import auth

    def read_only(self, *args, **kwargs):
        raise OperationalError("INSERT …", {}, sqlite3.OperationalError(
            "attempt to write a readonly database"))

    monkeypatch.setattr(Session, "flush", read_only)
    with pytest.raises(DatabaseReadOnly):
        auth.add_user(session, admin, "anna", "Anna", "technician", "sterk-wachtwoord-1")


def test_an_integer_overflow_is_refused_by_the_services_not_unreachable(session, admin, monkeypatch):
    from sqlalchemy.orm import Session

    from app.services import auth

    def too_large(self, *args, **kwargs):
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(Session, "flush", too_large)
    with pytest.raises(DatabaseRefused):
        auth.add_user(session, admin, "anna", "Anna", "technician", "sterk-wachtwoord-1")
