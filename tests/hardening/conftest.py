"""Hardening tests: the command line as a person types it, on a SQLite file of its own."""

from __future__ import annotations

import errno
from dataclasses import dataclass

import pytest

from app import cli
from app.services import files


@pytest.fixture
def db_url(migrated_sqlite_url):
    """SQLite only: these tests are about files, paths and messages, not the server."""
    return migrated_sqlite_url


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

