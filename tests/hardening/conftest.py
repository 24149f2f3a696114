"""Fixtures for the hardening tests (issue #17): hostile and broken input to the importers, and
the command line as a person types it, on a SQLite file of its own.

Most of these tests are about reading input, files, paths and messages, which do not depend on
the database, so they run on SQLite only (the folder must stay well under a minute); the race of
two desks importing the same wipe report runs on both databases (`both_db_url`).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

import pytest
from hardening_helpers import SSD_SERIAL

from app import cli
from app.models import Category, MediumKind
from app.services import files
from app.services.assets import MediumSpec, register_asset


@pytest.fixture
def db_url(migrated_sqlite_url):
    return migrated_sqlite_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def both_db_url(request):
    if request.param == "sqlite":
        return request.getfixturevalue("migrated_sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def laptop(session, technician):
    return register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                          model="Latitude 5420", serial="LAP-0001",
                          media=[MediumSpec(MediumKind.SSD, SSD_SERIAL, 256)])


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys, monkeypatch):
    """`run("--database", url, "db", "info")`: the exit code and what was printed (in English)."""
    monkeypatch.setenv("DEPOT_LANG", "en")

    def _run(*argv: str) -> Run:
        capsys.readouterr()
        try:
            code = cli.main(list(argv))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return _run


@pytest.fixture
def full_disk(monkeypatch):
    """Every output file meets a full disk while it is being written."""

    def no_space(path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(files, "_sync", no_space)
