"""Backups and restores of the whole database, and the daily start-up backup of a single desk.

Three kinds of backup file, recognised by their first bytes:

- SQLite: a consistent copy made with SQLite's online backup API while the app
  may be writing (`depot-….sqlite`);
- PostgreSQL: a `pg_dump` custom-format archive when the client tools are installed;
- portable: every table of either database as gzip'd JSON lines (typed values, row
  counts in the file), used for PostgreSQL without `pg_dump` and for moving a
  database between SQLite and PostgreSQL.

A restore only goes into an *empty* database (freshly created by the app): it
never mixes two histories. Afterwards it checks the result by itself — row
counts against the backup and `audit verify` — so a restore that did not give
back everything says so at once.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sqlalchemy import MetaData, insert, text
from sqlalchemy.engine import Engine, make_url

from .. import clock
from ..i18n import N_, _
from ..timefmt import BRUSSELS
from .errors import DomainError
from .portable import (
    BATCH,
    Damaged,
    NotPortable,
    Rows,
    decode,
    export_portable,
    read_rows,
    reflect,
    row_counts,
    schema_revision,
    table_rows,
    tables_in_order,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
GZIP_MAGIC = b"\x1f\x8b"

# Settings.extra keys of the scheduled backup (single-desk SQLite only).
SCHEDULE_KEY = "backup_schedule"  # "daily" (default) or "off"
KEEP_KEY = "backup_keep"  # how many daily backups to keep (default 7)
FOLDER_KEY = "backup_folder"  # default: the data folder's "backups"
DEFAULT_KEEP = 7
DAILY_NAME = re.compile(r"^depot-(\d{4}-\d{2}-\d{2})\.sqlite$")


class BackupFailed(DomainError):
    message = N_("The backup could not be made: {detail}")


class RestoreRefused(DomainError):
    message = N_("The database {database} is not empty ({detail}). A backup is only restored into "
                 "an empty database, so that two histories are never mixed. Create a new database "
                 "and restore into that one.")


class UnknownBackup(DomainError):
    message = N_("{path} is not a backup of this application (SQLite file, pg_dump archive or "
                 "portable export).")


class IncompleteBackup(DomainError):
    message = N_("The backup {path} is incomplete or damaged: {detail}")


class WrongDatabaseKind(DomainError):
    message = N_("A pg_dump archive can only be restored into PostgreSQL. For SQLite, make a "
                 "portable backup (backup --portable) and restore that.")


class NewerBackup(DomainError):
    message = N_("The backup comes from a newer version of the application (schema {revision}). "
                 "Update the application first.")


@dataclass
class BackupResult:
    path: Path
    kind: str  # sqlite | pg_dump | portable
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)

    def message(self) -> str:
        return _("Backup written to {path} ({kind}, {rows} rows, {seconds:.1f} s).", path=self.path,
                 kind=self.kind, rows=sum(self.counts.values()), seconds=self.seconds)


@dataclass
class RestoreResult:
    kind: str
    seconds: float
    counts: dict[str, int]
    mismatches: dict[str, tuple[int, int]]  # table: (in the backup, in the database)
    audit_ok: bool
    audit_message: str

    @property
    def ok(self) -> bool:
        return self.audit_ok and not self.mismatches

    def message(self) -> str:
        lines = [_("Restored from a {kind} backup in {seconds:.1f} s: {rows} rows in {tables} tables.",
                   kind=self.kind, seconds=self.seconds, rows=sum(self.counts.values()),
                   tables=len(self.counts))]
        for table, (want, got) in sorted(self.mismatches.items()):
            lines.append(_("Table {table}: {want} rows in the backup, {got} in the database.",
                           table=table, want=want, got=got))
        lines.append(self.audit_message)
        return "\n".join(lines)


# --- backup ----------------------------------------------------------------------


def backup(engine: Engine, out: str | Path, *, portable: bool = False) -> BackupResult:
    """Back up the whole database behind `engine` into the file `out` (replaced when it exists)."""
    from .files import OutputRefused

    out = Path(out)
    if out.is_dir():
        raise OutputRefused(path=str(out), detail=N_("it is a folder, not a file"))
    out.parent.mkdir(parents=True, exist_ok=True)
    start = _now()
    if engine.dialect.name == "sqlite" and not portable:
        _sqlite_backup(engine, out)
        kind = "sqlite"
    elif engine.dialect.name == "postgresql" and not portable and find_pg_tool("pg_dump"):
        kind = "pg_dump" if _pg_dump(engine, out) else "portable"
        if kind == "portable":
            export_portable(engine, out)
    else:
        export_portable(engine, out)
        kind = "portable"
    return BackupResult(out, kind, _now() - start, row_counts(engine))


def _now() -> float:
    import time

    return time.perf_counter()


def sqlite_file(engine: Engine) -> str:
    path = make_url(str(engine.url)).database
    if not path or path == ":memory:":
        raise BackupFailed(detail=_("an in-memory database has no file"))
    return path


def _sqlite_backup(engine: Engine, out: Path) -> None:
    # Write next to the target and rename at the end: a crash never leaves a half backup
    # under the real name.
    tmp = out.with_name(out.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(sqlite_file(engine), timeout=30)
        dst = sqlite3.connect(tmp)
        try:
            with dst:
                src.backup(dst)  # online: other desks keep reading and writing meanwhile
            ok = dst.execute("PRAGMA quick_check").fetchone()[0]
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
            src.close()
        if ok != "ok":
            raise BackupFailed(detail=ok)
        os.replace(tmp, out)
    except sqlite3.Error as err:
        raise BackupFailed(detail=str(err)) from err
    finally:
        tmp.unlink(missing_ok=True)


def find_pg_tool(name: str) -> str | None:
    """pg_dump / pg_restore on PATH, else the newest Debian PostgreSQL install."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")

    def version(path: str) -> int:
        digits = re.findall(r"/postgresql/(\d+)/", path)
        return int(digits[0]) if digits else 0

    return max(candidates, key=version) if candidates else None


def _pg_args(engine: Engine) -> tuple[list[str], dict]:
    url = engine.url
    args = ["-h", url.host or "localhost", "-p", str(url.port or 5432), "-d", url.database or ""]
    if url.username:
        args += ["-U", url.username]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where `ps` shows it
    return args, env


def _pg_dump(engine: Engine, out: Path) -> bool:
    """pg_dump custom format; False when the client cannot dump this server (too old, …)."""
    args, env = _pg_args(engine)
    tmp = out.with_name(out.name + ".part")
    proc = subprocess.run([find_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(tmp), *args],
                          env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        if "server version" in proc.stderr:  # e.g. pg_dump 14 against a PostgreSQL 16 server
            return False
        raise BackupFailed(detail=proc.stderr.strip().splitlines()[-1] if proc.stderr.strip()
                           else f"pg_dump exit {proc.returncode}")
    os.replace(tmp, out)
    return True


# --- restore ---------------------------------------------------------------------


class BackupMissing(DomainError):
    message = N_("There is no backup file {path}.")


class BackupIsFolder(DomainError):
    message = N_("{path} is a folder; give the backup file itself.")


# Tables every database of this application has had since its first schema: a SQLite file
# without them is some other program's database, not a backup of this one.
IDENTITY_TABLES = frozenset({"alembic_version", "assets", "audit_events", "users", "documents"})


def backup_kind(path: str | Path) -> str:
    path = Path(path)
    if path.is_dir():
        raise BackupIsFolder(path=str(path))
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except FileNotFoundError:
        raise BackupMissing(path=str(path)) from None
    except OSError as err:
        raise IncompleteBackup(path=str(path), detail=err.strerror or str(err)) from err
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "pg_dump"
    if head.startswith(GZIP_MAGIC):
        return "portable"
    raise UnknownBackup(path=str(path))


@cache
def _fresh_counts() -> dict[str, int]:
    """Rows a newly created database already has (the audit chain's head, …)."""
    from ..db import make_engine, migrate

    engine = make_engine("sqlite://")
    try:
        migrate(engine)
        return row_counts(engine)
    finally:
        engine.dispose()


def emptiness_problem(engine: Engine) -> str | None:
    """Why the database is not empty (a table with rows a new database does not have), or None."""
    fresh = _fresh_counts()
    for table, n in row_counts(engine).items():
        if table == "alembic_version":
            continue
        if n > fresh.get(table, 0):
            return _("table {table} has {count} rows", table=table, count=n)
    with engine.connect() as conn:
        if "audit_head" in fresh and conn.scalar(text("SELECT seq FROM audit_head WHERE id = 1")):
            return _("the audit trail has events")
    return None


def _known_revision(revision: str | None) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from ..db import alembic_config

    if not revision:
        return False
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def check_backup(path: str | Path) -> str:
    """The kind of a backup file that can be restored here, or the refusal that says why not.

    Checked before the target database is touched: the file exists and is a file, it is a
    backup of this application (its tables, not just any SQLite file), it is complete, and
    its schema is one this version knows (a newer one is refused, not copied in).
    """
    path = Path(path)
    kind = backup_kind(path)
    if kind == "sqlite":
        _check_sqlite_backup(path)
    elif kind == "portable":
        revision = None
        for item in _portable(path):  # read to the end: a truncated file is refused now
            if isinstance(item, dict) and "revision" in item:
                revision = item["revision"]
        if revision and not _known_revision(revision):
            raise NewerBackup(revision=revision)
    return kind


def _check_sqlite_backup(path: Path) -> None:
    try:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise IncompleteBackup(path=str(path), detail=str(err)) from err
    try:
        if src.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise IncompleteBackup(path=str(path), detail="PRAGMA quick_check")
        tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not IDENTITY_TABLES <= tables:
            raise UnknownBackup(path=str(path))
        row = src.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as err:  # truncated or not a database after all
        raise IncompleteBackup(path=str(path), detail=str(err)) from err
    finally:
        src.close()
    if row is None:
        raise UnknownBackup(path=str(path))
    if not _known_revision(row[0]):
        raise NewerBackup(revision=row[0])


def restore(engine: Engine, path: str | Path, *,
            progress: Callable[[str, int], None] | None = None) -> RestoreResult:
    """Restore the backup file into the (empty, migrated) database behind `engine`, then check it.

    The caller disposes of `engine` afterwards: a SQLite restore replaces the file under it.
    """
    path = Path(path)
    kind = check_backup(path)
    problem = emptiness_problem(engine)
    if problem:
        raise RestoreRefused(database=_display(engine), detail=problem)
    start = _now()
    if kind == "pg_dump":
        if engine.dialect.name != "postgresql":
            raise WrongDatabaseKind()
        _pg_restore(engine, path)
        expected = None
    elif kind == "sqlite" and engine.dialect.name == "sqlite":
        expected = _sqlite_restore(engine, path)
    elif kind == "sqlite":
        expected = _restore_rows(engine, _sqlite_source_rows(path), progress)
    else:
        expected = _restore_rows(engine, _portable(path), progress)
    seconds = _now() - start
    return check_restored(engine, kind, seconds, expected)


def _display(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def check_restored(engine: Engine, kind: str, seconds: float,
                   expected: dict[str, int] | None) -> RestoreResult:
    from ..db import migrate

    migrate(engine)  # a backup from an older version is brought up to date
    engine.dispose()
    counts = row_counts(engine)
    mismatches = {t: (n, counts.get(t, 0)) for t, n in (expected or {}).items()
                  if t != "alembic_version" and counts.get(t, 0) != n}
    from sqlalchemy.orm import Session

    from . import audit

    with Session(engine) as session:
        report = audit.verify_chain(session)
    return RestoreResult(kind, seconds, counts, mismatches, report.ok, report.message())


def _sqlite_restore(engine: Engine, path: Path) -> dict[str, int]:
    target = sqlite_file(engine)
    engine.dispose()  # nobody may hold the file while its pages are replaced
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if src.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise IncompleteBackup(path=str(path), detail="PRAGMA quick_check")
        expected = _sqlite_counts(src)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
    finally:
        src.close()
    return expected


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _pg_restore(engine: Engine, path: Path) -> None:
    args, env = _pg_args(engine)
    engine.dispose()
    tool = find_pg_tool("pg_restore")
    if tool is None:
        raise BackupFailed(detail=_("pg_restore is not installed"))
    # The empty database has the app's schema already: --clean drops it first, in the
    # same transaction, so a failure leaves the database as it was.
    proc = subprocess.run([tool, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                           "--exit-on-error", *args, str(path)],
                          env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    if proc.returncode != 0:
        raise BackupFailed(detail=proc.stderr.strip().splitlines()[-1] if proc.stderr.strip()
                           else f"pg_restore exit {proc.returncode}")


def _portable(path: Path) -> Rows:
    try:
        yield from read_rows(path)
    except NotPortable as err:
        raise UnknownBackup(path=str(path)) from err
    except Damaged as err:
        raise IncompleteBackup(path=str(path), detail=err.args[1]) from err


def _sqlite_source_rows(path: Path) -> Rows:
    """A SQLite backup read as rows, to restore it into PostgreSQL."""
    from ..db import make_engine

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "source.sqlite"
        shutil.copyfile(path, copy)
        engine = make_engine(f"sqlite:///{copy}")
        try:
            meta = reflect(engine)
            with engine.connect() as conn:
                yield {"revision": schema_revision(conn)}
                counts = {}
                for table in tables_in_order(meta):
                    columns = [c.name for c in table.columns]
                    batch, n = [], 0
                    for row in table_rows(conn, table):
                        batch.append([decode(v) for v in row])
                        n += 1
                        if len(batch) >= BATCH:
                            yield table.name, columns, batch
                            batch = []
                    yield table.name, columns, batch
                    counts[table.name] = n
            yield {"counts": counts}
        finally:
            engine.dispose()


def _restore_rows(engine: Engine, rows: Rows, progress) -> dict[str, int]:
    from alembic.script import ScriptDirectory

    from ..db import alembic_config, downgrade, head_revision, migrate

    first = next(rows)
    revision = first.get("revision")
    if revision:
        scripts = ScriptDirectory.from_config(alembic_config())
        if scripts.get_revision(revision) is None:
            raise NewerBackup(revision=revision)
        if revision != head_revision():
            downgrade(engine, revision)  # the empty database takes the backup's schema …
    meta = reflect(engine)
    fresh = _fresh_counts()
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        # … loses the rows a new database starts with (they are in the backup too) …
        for table in reversed(tables_in_order(meta)):
            if fresh.get(table.name) and table.name != "alembic_version":
                conn.execute(table.delete())
        for item in rows:
            if isinstance(item, dict):
                counts = item["counts"]
                continue
            name, columns, batch = item
            if name == "alembic_version" or not batch:
                continue
            table = meta.tables[name]
            conn.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in batch])
            if progress:
                progress(name, len(batch))
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn, meta)
    if revision and revision != head_revision():
        migrate(engine)  # … and is brought up to date afterwards
    return counts


def _reset_sequences(conn, meta: MetaData) -> None:
    """Rows came in with their ids: the id sequences continue after the highest one."""
    for table in meta.tables.values():
        if "id" not in table.columns:
            continue
        seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        if seq:
            conn.execute(text(f'SELECT setval(:s, coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, '
                              'false)'), {"s": seq})


# --- the daily start-up backup of a single desk -----------------------------------


def scheduled_folder(settings) -> Path:
    from ..paths import data_dir

    return Path(settings.extra.get(FOLDER_KEY) or data_dir() / "backups")


def run_scheduled(engine: Engine, settings, today: dt.date | None = None) -> Path | None:
    """At start-up: back up a SQLite database once a day, keeping the newest N; None if not due.

    PostgreSQL is backed up on the server (by whoever runs it), not by each desk.
    """
    if engine.dialect.name != "sqlite" or settings.extra.get(SCHEDULE_KEY, "daily") == "off":
        return None
    folder = scheduled_folder(settings)
    today = today or clock.today()
    target = folder / f"depot-{today.isoformat()}.sqlite"
    if target.exists():
        return None
    backup(engine, target)
    keep = max(1, int(settings.extra.get(KEEP_KEY, DEFAULT_KEEP)))
    daily = sorted((p for p in folder.iterdir() if DAILY_NAME.match(p.name)), key=lambda p: p.name)
    for old in daily[:-keep]:
        old.unlink(missing_ok=True)
    return target


def backup_now(engine: Engine, settings) -> BackupResult:
    """An extra backup, asked for in Settings → Backup, beside the daily ones in the same folder.

    Its name carries the time, so it never replaces a daily backup and the daily clean-up
    (which only counts `depot-YYYY-MM-DD.sqlite`) never removes it.
    """
    stamp = clock.now().astimezone(BRUSSELS).strftime("%Y-%m-%d-%H%M%S")
    suffix = ".sqlite" if engine.dialect.name == "sqlite" else ".backup"
    return backup(engine, scheduled_folder(settings) / f"depot-{stamp}{suffix}")


def startup_backup(engine: Engine, settings) -> Path | None:
    """`run_scheduled` for the window's start-up: a failed backup is logged, never stops the desk."""
    import logging

    try:
        return run_scheduled(engine, settings)
    except Exception:
        logging.getLogger(__name__).exception("the daily backup could not be made")
        return None
