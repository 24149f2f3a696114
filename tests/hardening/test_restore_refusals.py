"""Finding 6: restore checks the backup's identity, completeness and version before the target.

A refused restore leaves the target as it was: a new target file is not even created.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.db import head_revision


@pytest.fixture
def good_backup(db_url, tmp_path) -> Path:
    """A backup of this application (a SQLite copy of a migrated database)."""
    path = tmp_path / "backups" / "depot-good.sqlite"
    path.parent.mkdir()
    shutil.copyfile(db_url.removeprefix("sqlite:///"), path)
    return path


@pytest.fixture
def target(tmp_path) -> Path:
    return tmp_path / "target" / "restored.sqlite"


def _restore(run, target: Path, backup: Path):
    return run("--database", f"sqlite:///{target}", "restore", str(backup))


def _refused_and_untouched(result, target: Path) -> None:
    assert result.code == 1
    assert "Traceback" not in result.err and result.err.strip().count("\n") == 0
    assert not target.exists()  # nothing created, nothing copied in
    assert not target.parent.exists() or not list(target.parent.iterdir())


def test_a_good_backup_restores_into_a_new_file(run, good_backup, target):
    result = _restore(run, target, good_backup)
    assert result.code == 0, result.err
    assert target.exists()


def test_a_backup_of_a_newer_schema_is_refused(run, good_backup, target):
    with sqlite3.connect(good_backup) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    result = _restore(run, target, good_backup)
    _refused_and_untouched(result, target)
    assert "newer version" in result.err and "f00dfeed9999" in result.err


def test_an_unrelated_sqlite_file_is_refused(run, tmp_path, target):
    other = tmp_path / "recipes.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO recipes (name) VALUES ('stoofvlees')")
    result = _restore(run, target, other)
    _refused_and_untouched(result, target)
    assert "is not a backup of this application" in result.err


def test_a_truncated_sqlite_backup_is_refused(run, good_backup, target):
    data = good_backup.read_bytes()
    good_backup.write_bytes(data[: len(data) // 3])
    result = _restore(run, target, good_backup)
    _refused_and_untouched(result, target)


def test_a_truncated_portable_backup_is_refused(run, db_url, tmp_path, target):
    portable = tmp_path / "depot.portable"
    assert run("--database", db_url, "backup", "--portable", "--out", str(portable)).code == 0
    raw = gzip.decompress(portable.read_bytes())
    portable.write_bytes(gzip.compress(raw[: len(raw) // 2]))
    result = _restore(run, target, portable)
    _refused_and_untouched(result, target)
    assert "incomplete or damaged" in result.err


def test_a_missing_backup_file_is_refused(run, tmp_path, target):
    result = _restore(run, target, tmp_path / "no-such-backup.sqlite")
    _refused_and_untouched(result, target)
    assert "There is no backup file" in result.err


def test_a_folder_is_refused(run, tmp_path, target):
    folder = tmp_path / "backups"
    folder.mkdir()
    result = _restore(run, target, folder)
    _refused_and_untouched(result, target)
    assert "is a folder" in result.err


def test_an_existing_target_is_left_byte_for_byte_on_refusal(run, db_url, tmp_path):
    existing = Path(db_url.removeprefix("sqlite:///"))
    before = existing.read_bytes()
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    result = run("--database", db_url, "restore", str(other))
    assert result.code == 1
    assert existing.read_bytes() == before


def test_the_target_still_opens_after_a_refused_newer_backup(run, db_url, good_backup):
    with sqlite3.connect(good_backup) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    assert run("--database", db_url, "restore", str(good_backup)).code == 1
    info = run("--database", db_url, "db", "info")
    assert info.code == 0 and head_revision() in info.out
