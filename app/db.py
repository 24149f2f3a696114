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
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from . import models  # noqa: F401  (registers every model on Base.metadata)
from .services.errors import NetworkShareRefused

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


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        if path is not None:
            if is_network_path(path):
                raise NetworkShareRefused(path=path)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
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
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {'IMMEDIATE' if mode == 'IMMEDIATE' else 'DEFERRED'}")


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


def open_database(url: str, *, upgrade: bool = True) -> Database:
    """Open (and create/migrate to the newest revision) the database at `url`."""
    engine = make_engine(url)
    if upgrade:
        migrate(engine)
    return Database(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
