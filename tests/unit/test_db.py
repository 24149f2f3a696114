"""The database layer: network-share refusal, SQLite settings, migrations, which database is used.

A SQLite file on a network share gets corrupted, so the app refuses it and
points to PostgreSQL; a new SQLite file works with nothing installed (WAL,
foreign keys, busy timeout); every migration goes up and down on both
databases and ends in exactly the schema of the models.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select
from sqlalchemy.engine import make_url

import app.db
from app.config import Settings, resolve_database_url
from app.db import (
    alembic_config,
    current_revision,
    downgrade,
    head_revision,
    is_network_path,
    make_engine,
    migrate,
    open_database,
)
from app.models import Base, User
from app.services import auth
from app.services.errors import NetworkShareRefused

APP_TABLES = set(Base.metadata.tables)
_names = itertools.count()


@pytest.fixture
def local(tmp_path) -> Path:
    """A real folder (symlinks resolved, as is_network_path compares resolved paths)."""
    return tmp_path.resolve()


# --- network shares -----------------------------------------------------------------


@pytest.mark.parametrize("fs_type", ["nfs", "nfs4", "cifs", "smb3", "sshfs", "fuse.sshfs"])
def test_file_on_a_network_mount_is_a_network_path(local, fs_type):
    mounts = [("/", "ext4"), (str(local / "share"), fs_type)]
    assert is_network_path(local / "share" / "depot.sqlite", mounts=mounts)


def test_file_on_a_local_disk_is_not_a_network_path(local):
    mounts = [("/", "ext4"), (str(local), "ext4")]
    assert not is_network_path(local / "depot.sqlite", mounts=mounts)


# The deepest mount point holding the file decides, whatever the order of the mount table.
IN_TABLE_ORDER = pytest.mark.parametrize("order", [list, lambda m: list(reversed(m))],
                                         ids=["outer_first", "inner_first"])


@IN_TABLE_ORDER
def test_local_mount_inside_a_network_mount_is_local(local, order):
    mounts = [("/", "ext4"), (str(local / "nas"), "nfs"), (str(local / "nas" / "scratch"), "ext4")]
    assert not is_network_path(local / "nas" / "scratch" / "depot.sqlite", mounts=order(mounts))


@IN_TABLE_ORDER
def test_network_mount_inside_a_local_mount_is_network(local, order):
    mounts = [("/", "ext4"), (str(local), "ext4"), (str(local / "nas"), "cifs")]
    assert is_network_path(local / "nas" / "depot.sqlite", mounts=order(mounts))


def test_mount_point_matches_whole_folder_names_only(local):
    # /x/nas2 is not inside the share mounted at /x/nas
    mounts = [("/", "ext4"), (str(local / "nas"), "nfs")]
    assert not is_network_path(local / "nas2" / "depot.sqlite", mounts=mounts)


def test_symlink_into_a_network_mount_is_a_network_path(local):
    (local / "share").mkdir()
    (local / "shortcut").symlink_to(local / "share")
    mounts = [("/", "ext4"), (str(local / "share"), "cifs")]
    assert is_network_path(local / "shortcut" / "depot.sqlite", mounts=mounts)


def test_network_mount_point_with_a_space_is_recognised(local):
    # /proc/mounts writes a space in a mount point as \040
    share = local / "Gedeelde map"
    mounts_file = local / "mounts"
    mounts_file.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        f"//nas/depot {str(share).replace(' ', chr(92) + '040')} cifs rw 0 0\n",
        encoding="utf-8",
    )
    mounts = app.db._linux_mounts(str(mounts_file))
    assert is_network_path(share / "depot.sqlite", mounts=mounts)


@pytest.mark.parametrize("path", [r"\\server\share\depot.sqlite", "//server/share/x"])
def test_unc_path_is_a_network_path(path):
    assert is_network_path(path, mounts=[("/", "ext4")])


@pytest.fixture
def share(local, monkeypatch) -> Path:
    """A folder that the (simulated) mount table says is an SMB share."""
    mounts = [("/", "ext4"), (str(local), "cifs")]
    monkeypatch.setattr(app.db, "_linux_mounts", lambda *args, **kwargs: mounts)
    return local / "depot"


def test_sqlite_on_a_network_share_is_refused_with_advice_to_use_postgresql(share):
    with pytest.raises(NetworkShareRefused) as err:
        make_engine(f"sqlite:///{share / 'depot.sqlite'}")
    assert "PostgreSQL" in str(err.value)


def test_refused_network_database_leaves_nothing_on_the_share(share):
    with pytest.raises(NetworkShareRefused):
        open_database(f"sqlite:///{share / 'depot.sqlite'}")
    assert not share.exists()


def test_postgresql_url_is_not_checked_for_network_shares(share):
    engine = make_engine("postgresql+psycopg://depot@db.example/depot")  # no connection is made
    assert engine.dialect.name == "postgresql"


# --- a new SQLite database ----------------------------------------------------------


@pytest.fixture
def new_sqlite(tmp_path):
    path = tmp_path / "not" / "yet" / "there" / "depot.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    yield path, engine
    engine.dispose()


def _pragma(engine, name: str):
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_new_sqlite_database_is_created_in_a_missing_folder(new_sqlite):
    path, engine = new_sqlite
    with engine.connect():
        pass
    assert path.is_file()


def test_sqlite_database_uses_write_ahead_logging(new_sqlite):
    _path, engine = new_sqlite
    assert _pragma(engine, "journal_mode").lower() == "wal"


def test_sqlite_database_enforces_foreign_keys(new_sqlite):
    _path, engine = new_sqlite
    assert _pragma(engine, "foreign_keys") == 1


def test_sqlite_database_waits_for_a_busy_writer(new_sqlite):
    _path, engine = new_sqlite
    assert _pragma(engine, "busy_timeout") >= 1000


def test_wal_mode_is_stored_in_the_file(new_sqlite):
    # another process (a backup tool, a second desk) sees WAL too
    path, engine = new_sqlite
    with engine.connect():
        pass
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"


# --- migrations ---------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def empty_engine(request, tmp_path):
    """An engine on a database without any tables, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
        yield engine
        engine.dispose()
        return
    server = request.getfixturevalue("pg_server")
    name = f"empty_{os.getpid()}_{next(_names)}"
    engine = make_engine(server.create_database(name))
    yield engine
    engine.dispose()
    server.drop_database(name)


def _tables(engine) -> set[str]:
    with engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def test_upgrade_from_empty_creates_every_model_table(empty_engine):
    migrate(empty_engine)
    missing = APP_TABLES - _tables(empty_engine)
    assert (current_revision(empty_engine), missing) == (head_revision(), set())


def test_downgrade_to_base_leaves_no_app_tables(empty_engine):
    migrate(empty_engine)
    downgrade(empty_engine, "base")
    assert (current_revision(empty_engine), _tables(empty_engine) & APP_TABLES) == (None, set())


def test_upgrade_after_downgrade_to_base_works(empty_engine):
    migrate(empty_engine)
    downgrade(empty_engine, "base")
    migrate(empty_engine)
    missing = APP_TABLES - _tables(empty_engine)
    assert (current_revision(empty_engine), missing) == (head_revision(), set())


def test_every_revision_goes_down_and_up_again(empty_engine):
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]  # oldest first
    for previous, revision in zip(["base", *revisions], revisions, strict=False):
        migrate(empty_engine, revision)
        downgrade(empty_engine, previous)
        migrate(empty_engine, revision)
        assert current_revision(empty_engine) == revision


def test_migrated_schema_matches_the_models(database):
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_opening_a_migrated_database_again_keeps_its_data(db_url):
    first = open_database(db_url)
    with first.session() as session:
        auth.create_first_admin(session, "admin", "Ada Admin", "admin-pass-1")
    first.dispose()
    again = open_database(db_url)
    try:
        with again.session() as session:
            names = session.scalars(select(User.username)).all()
        assert (names, current_revision(again.engine)) == (["admin"], head_revision())
    finally:
        again.dispose()


def test_display_name_hides_the_password():
    database = open_database("postgresql+psycopg://depot:geheim-42@db.example/depot", upgrade=False)
    assert "geheim-42" not in database.display_name


# --- which database -----------------------------------------------------------------


def test_default_database_is_a_sqlite_file_in_the_data_folder():
    url = make_url(resolve_database_url())
    data_dir = Path(os.environ["DEPOT_DATA_DIR"])
    assert (url.get_backend_name(), Path(url.database).parent) == ("sqlite", data_dir)


def test_first_start_creates_the_default_database_with_nothing_configured():
    database = open_database(resolve_database_url())
    try:
        assert Path(make_url(database.url).database).is_file()
    finally:
        database.dispose()


def test_settings_file_chooses_the_database():
    Settings(database_url="postgresql+psycopg://depot@settings-host/depot").save()
    assert resolve_database_url() == "postgresql+psycopg://depot@settings-host/depot"


def test_environment_variable_wins_over_settings(monkeypatch):
    Settings(database_url="postgresql+psycopg://depot@settings-host/depot").save()
    monkeypatch.setenv("DEPOT_DATABASE_URL", "postgresql+psycopg://depot@env-host/depot")
    assert resolve_database_url() == "postgresql+psycopg://depot@env-host/depot"


def test_database_option_wins_over_environment_variable(monkeypatch):
    monkeypatch.setenv("DEPOT_DATABASE_URL", "postgresql+psycopg://depot@env-host/depot")
    assert resolve_database_url("sqlite:///cli.sqlite") == "sqlite:///cli.sqlite"
