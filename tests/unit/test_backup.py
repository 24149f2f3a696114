"""Backup and restore: the whole database to one file and back into an empty database, checked."""

from __future__ import annotations

import datetime as dt
import gzip
import itertools

import pytest
from sqlalchemy import select

from app import cli
from app.config import Settings
from app.db import open_database
from app.models import Asset, AssetStatus, Category, PartyType
from app.services import assets, audit, backup, intake, lifecycle, parties, portable
from app.services.intake import DeviceForm

_names = itertools.count()


def _fill(session, admin, technician, manager) -> None:
    """A little of everything: a lot with a receipt (PDF bytes), moves, a transition."""
    service = parties.create_party(session, manager, PartyType.SERVICE, name="Dienst Wegen")
    lot = intake.open_lot(session, technician, service.id, delivered_by="Jef")
    for n in range(3):
        intake.receive(session, technician, lot.id, DeviceForm(
            serial=f"MON{n}", category=Category.MONITOR, manufacturer="Dell", model="P2422H"))
    intake.close_lot(session, technician, lot.id)
    first = session.scalars(select(Asset).order_by(Asset.id)).first()
    lifecycle.apply(session, technician, first.id, "retire")


def _new_database_url(request, kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{request.getfixturevalue('tmp_path') / f'restored{next(_names)}.sqlite'}"
    server = request.getfixturevalue("pg_server")
    name = f"restored_{next(_names)}"
    url = server.create_database(name)
    request.addfinalizer(lambda: server.drop_database(name))
    return url


def _restore_into(url: str, path):
    target = open_database(url)
    try:
        return backup.restore(target.engine, path), target
    except BaseException:
        target.dispose()
        raise


@pytest.mark.parametrize("as_portable", [False, True], ids=["native", "portable"])
def test_backup_restores_into_an_empty_database_with_every_row_the_same(
        request, database, session, admin, technician, manager, tmp_path, as_portable):
    _fill(session, admin, technician, manager)
    made = backup.backup(database.engine, tmp_path / "depot.backup", portable=as_portable)
    expected_kind = "portable" if as_portable else ("sqlite" if database.kind == "sqlite" else "pg_dump")
    assert made.kind == expected_kind
    result, target = _restore_into(_new_database_url(request, database.kind), made.path)
    try:
        assert result.ok, result.message()
        assert portable.compare_databases(database.engine, target.engine) == {}
    finally:
        target.dispose()


@pytest.mark.pg
def test_portable_backup_moves_a_sqlite_database_to_postgresql_and_back(
        request, sqlite_url, tmp_path):
    source = open_database(sqlite_url)
    try:
        from app.services import auth

        with source.session() as s:
            admin = auth.create_first_admin(s, "admin", "Ada Admin", "admin-pass-1")
            tech = auth.add_user(s, admin, "tom", "Tom", "technician", "tech-pass-1")
            mgr = auth.add_user(s, admin, "mia", "Mia", "manager", "mgr-pass-1")
            _fill(s, admin, tech, mgr)
        made = backup.backup(source.engine, tmp_path / "move.backup", portable=True)
        result, pg = _restore_into(_new_database_url(request, "postgresql"), made.path)
        try:
            assert result.ok, result.message()
            assert portable.compare_databases(source.engine, pg.engine) == {}
            with pg.session() as s:  # the restored database keeps working: ids continue
                new = assets.register_asset(s, tech, category=Category.MONITOR, manufacturer="HP",
                                            model="E24", serial="AFTER-RESTORE")
                assert new.id > 3
            back = backup.backup(pg.engine, tmp_path / "back.backup", portable=True)
        finally:
            pg.dispose()
        result2, again = _restore_into(_new_database_url(request, "sqlite"), back.path)
        try:
            assert result2.ok, result2.message()
            with again.session() as s:
                assert s.scalar(select(Asset).where(Asset.serial == "AFTER-RESTORE")) is not None
        finally:
            again.dispose()
    finally:
        source.dispose()


def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(
        request, database, session, admin, technician, manager, tmp_path):
    _fill(session, admin, technician, manager)
    made = backup.backup(database.engine, tmp_path / "depot.backup", portable=True)
    before = backup.row_counts(database.engine)
    with pytest.raises(backup.RestoreRefused, match="not empty"):
        backup.restore(database.engine, made.path)
    assert backup.row_counts(database.engine) == before


def test_a_truncated_portable_backup_is_refused_as_incomplete(session, admin, technician, manager,
                                                              database, tmp_path):
    _fill(session, admin, technician, manager)
    made = backup.backup(database.engine, tmp_path / "depot.backup", portable=True)
    with gzip.open(made.path, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    with gzip.open(tmp_path / "cut.backup", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines[: len(lines) // 2]) + "\n")
    target = open_database(f"sqlite:///{tmp_path / 'new.sqlite'}")
    try:
        with pytest.raises(backup.IncompleteBackup):
            backup.restore(target.engine, tmp_path / "cut.backup")
        assert backup.emptiness_problem(target.engine) is None  # all or nothing
    finally:
        target.dispose()


def test_a_file_that_is_no_backup_is_refused(tmp_path, sqlite_url):
    junk = tmp_path / "notes.txt"
    junk.write_text("shopping list")
    target = open_database(sqlite_url)
    try:
        with pytest.raises(backup.UnknownBackup):
            backup.restore(target.engine, junk)
    finally:
        target.dispose()


def test_command_line_backup_and_restore_report_the_check(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DEPOT_LANG", "en")
    source = f"sqlite:///{tmp_path / 'a.sqlite'}"
    assert cli.main(["--database", source, "--create", "demo", "--assets", "30"]) == 0
    out = tmp_path / "a.backup"
    assert cli.main(["--database", source, "backup", "--out", str(out)]) == 0
    assert cli.main(["--database", f"sqlite:///{tmp_path / 'b.sqlite'}", "restore", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Restored from a sqlite backup" in text and "Audit trail intact" in text
    # the same file again into the (now full) database: refused, exit 1
    assert cli.main(["--database", f"sqlite:///{tmp_path / 'b.sqlite'}", "restore", str(out)]) == 1
    assert "not empty" in capsys.readouterr().err


def test_daily_start_up_backup_runs_once_a_day_and_keeps_the_newest(sqlite_url, tmp_path):
    database = open_database(sqlite_url)
    try:
        settings = Settings(extra={backup.FOLDER_KEY: str(tmp_path / "daily"), backup.KEEP_KEY: 3})
        day = dt.date(2026, 11, 1)
        made = [backup.run_scheduled(database.engine, settings, today=day + dt.timedelta(days=i))
                for i in range(5)]
        assert all(made)
        assert backup.run_scheduled(database.engine, settings, today=day + dt.timedelta(days=4)) is None
        kept = sorted(p.name for p in (tmp_path / "daily").iterdir())
        assert kept == ["depot-2026-11-03.sqlite", "depot-2026-11-04.sqlite", "depot-2026-11-05.sqlite"]
        assert backup.backup_kind(made[-1]) == "sqlite"
    finally:
        database.dispose()


def test_daily_backup_can_be_switched_off(sqlite_url, tmp_path):
    database = open_database(sqlite_url)
    try:
        settings = Settings(extra={backup.FOLDER_KEY: str(tmp_path / "daily"),
                                   backup.SCHEDULE_KEY: "off"})
        assert backup.run_scheduled(database.engine, settings) is None
        assert not (tmp_path / "daily").exists()
    finally:
        database.dispose()


@pytest.mark.pg
def test_no_start_up_backup_of_a_shared_postgresql_database(pg_url, tmp_path):
    database = open_database(pg_url)
    try:
        settings = Settings(extra={backup.FOLDER_KEY: str(tmp_path / "daily")})
        assert backup.run_scheduled(database.engine, settings) is None
    finally:
        database.dispose()


def test_restored_history_explains_the_states(request, database, session, admin, technician,
                                              manager, tmp_path):
    _fill(session, admin, technician, manager)
    made = backup.backup(database.engine, tmp_path / "d.backup")
    _result, target = _restore_into(_new_database_url(request, database.kind), made.path)
    try:
        with target.session() as s:
            retired = s.scalars(select(Asset).where(Asset.status == AssetStatus.AWAITING_DISPOSAL)).one()
            steps = [e.action for e in audit.history(s, "asset", retired.id)]
            assert steps == ["receive", "retire"]
    finally:
        target.dispose()
