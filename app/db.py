"""Engine and session factory, SQLite pragmas, and migrations at start-up.

SQLite (the default, one desk): WAL so readers never block the writer,
foreign keys on, a busy timeout, and write transactions that start with
BEGIN IMMEDIATE so two processes queue for the write lock instead of failing
half-way with "database is locked". PostgreSQL (several desks): pre-ping on
checkout so a dropped connection is replaced instead of failing the next action.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from . import models  # noqa: F401  (registers every model on Base.metadata)
from .services.errors import (
    DatabaseVanished,
    InMemoryDatabaseRefused,
    InvalidDatabaseUrl,
    NetworkShareRefused,
    NewDatabaseRefused,
    NewerDatabase,
    UnsupportedDatabase,
)

SUPPORTED_BACKENDS = ("sqlite", "postgresql")

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000

# Filesystem types that are served over a network: SQLite's locking is not safe there.
NETWORK_FS_TYPES = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs", "ncpfs",
     "davfs", "fuse.davfs2", "glusterfs", "fuse.glusterfs", "ceph", "fuse.ceph", "lustre",
     "fuse.rclone", "fuse.s3fs", "webdav", "fuse.gvfsd-fuse", "fuse.smbnetfs"}
)


def _linux_mounts(mounts_file: str = "/proc/mounts") -> list[tuple[str, str]]:
    try:
        with open(mounts_file, encoding="utf-8") as fh:
            rows = [line.split() for line in fh]
    except OSError:
        return []
    # /proc/mounts writes space, tab, newline and backslash in mount points as octal escapes
    return [(_unescape_mount(r[1]), r[2]) for r in rows if len(r) >= 3]


def _unescape_mount(text: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def is_network_path(path: str | Path, mounts: list[tuple[str, str]] | None = None) -> bool:
    """True when `path` lies on a network share (UNC path, mapped network drive, NFS/SMB mount)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32" and mounts is None:  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0] + "\\"
        return ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # DRIVE_REMOTE
    resolved = os.path.realpath(text)
    best, best_type = "", ""
    for mount_point, fs_type in mounts if mounts is not None else _linux_mounts():
        prefix = mount_point.rstrip("/") + "/"
        if (resolved + "/").startswith(prefix) and len(mount_point) >= len(best):
            best, best_type = mount_point, fs_type
    return best_type in NETWORK_FS_TYPES


def _sqlite_path(url: str) -> str | None:
    db = make_url(url).database
    return None if db in (None, "", ":memory:") else db


def shown_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return str(url).rsplit("@", 1)[-1]  # never show what may be a password


def check_url(url: str) -> URL:
    """The parsed URL of a database this application can use, or a refusal that says why.

    Refused: text that is no URL, another kind of database than SQLite or PostgreSQL, and
    an in-memory SQLite database (it keeps nothing: an import into it vanishes at exit).
    """
    try:
        parsed = make_url(str(url).strip())
    except (ArgumentError, ValueError):
        raise InvalidDatabaseUrl(url=shown_url(url)) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise UnsupportedDatabase(url=shown_url(url))
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise InMemoryDatabaseRefused(url=shown_url(url))
    if backend == "sqlite" and str(parsed.database).startswith("file:"):
        raise UnsupportedDatabase(url=shown_url(url))
    return parsed


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL; None for PostgreSQL (or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    path = _sqlite_path(url)
    return Path(path) if path else None


def is_new_location(url: str) -> bool:
    """True when `url` is a SQLite file that does not exist yet (opening it would create it)."""
    path = sqlite_file(url)
    return path is not None and not path.exists()


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        if path is not None:
            if is_network_path(path):
                raise NetworkShareRefused(path=path)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
        _configure_sqlite(engine, path)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine, path: str | None = None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's "begin" event emit BEGIN, so writes can ask for IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A unit of work asks for IMMEDIATE: it takes the write lock up front and waits
        # its turn (busy timeout). A deferred transaction that upgrades to a writer later
        # can fail at once with SQLITE_BUSY whatever the timeout. Reads stay deferred so
        # they never hold the write lock.
        if path is not None and not os.path.exists(path):
            # The file was deleted or moved under a running app: the open connection would
            # write into the unlinked file and everything would vanish at exit. Refuse.
            raise DatabaseVanished(path=path)
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {'IMMEDIATE' if mode == 'IMMEDIATE' else 'DEFERRED'}")

    @event.listens_for(engine, "commit")
    def _on_commit(conn):
        # Checked again before the commit: a long import that began before the file vanished
        # must not report its rows as saved.
        if path is not None and not os.path.exists(path):
            raise DatabaseVanished(path=path)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config()
    with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    cfg = alembic_config()
    with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@dataclass
class Database:
    """An open database: its URL, engine and session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    def session(self) -> Session:
        return self.sessions()

    @property
    def display_name(self) -> str:
        """The URL without its password, for the status bar and messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def kind(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()


def check_not_newer(engine: Engine) -> None:
    """Refuse (NewerDatabase) a database whose schema this version of the application does not know."""
    revision = current_revision(engine)
    if revision is None:
        return
    from alembic.util import CommandError

    scripts = ScriptDirectory.from_config(alembic_config())
    try:
        known = scripts.get_revision(revision) is not None
    except CommandError:  # alembic's ResolutionError is a CommandError
        known = False
    if not known:
        raise NewerDatabase(database=make_url(str(engine.url)).render_as_string(hide_password=True),
                            revision=revision)


def open_database(url: str, *, upgrade: bool = True, create: bool = True) -> Database:
    """Open (and create/migrate to the newest revision) the database at `url`.

    `create=False` refuses (NewDatabaseRefused) a SQLite file that does not exist yet, so a
    mistyped path is said instead of silently starting an empty database. A database of a
    newer schema is refused (NewerDatabase) before the migration touches it; `upgrade=False`
opens without connecting.
    """
    check_url(url)
    if not create and is_new_location(url):
        raise NewDatabaseRefused(path=str(sqlite_file(url)))
    engine = make_engine(url)
    try:
        if upgrade:
            check_not_newer(engine)
            migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Database(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
