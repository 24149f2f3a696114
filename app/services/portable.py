"""The portable backup format, and comparing two databases table by table.

Every table of either database as gzip'd JSON lines: a header (format, source
database, schema revision), then per table its column names and one line per
row, and at the end the row count of every table — so a file cut short is
recognised. Values keep their type across databases (times in UTC with their
zone, decimals as text, bytes as base64), which is what lets a SQLite desk move
to PostgreSQL, and what the restore drill uses to compare every row.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import MetaData, Table, func, select
from sqlalchemy.engine import Engine

from .. import clock
from ..i18n import _

PORTABLE_FORMAT = "circuit-depot-export"
PORTABLE_VERSION = 1
BATCH = 5000


# --- values ----------------------------------------------------------------------


def encode(value: object) -> object:
    """A JSON value for one column value; every database gives back the same Python value."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # SQLite forgets the zone; the house rule is UTC everywhere
            value = value.replace(tzinfo=dt.UTC)
        return {"dt": value.astimezone(dt.UTC).isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"n": str(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b": base64.b64encode(bytes(value)).decode("ascii")}
    if hasattr(value, "value"):  # an enum
        return value.value
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def decode(value: object) -> object:
    if not isinstance(value, dict):
        return value
    (tag, raw), = value.items()
    if tag == "dt":
        return dt.datetime.fromisoformat(raw)
    if tag == "d":
        return dt.date.fromisoformat(raw)
    if tag == "n":
        return decimal.Decimal(raw)
    if tag == "b":
        return base64.b64decode(raw)
    raise ValueError(f"unknown value tag {tag!r}")


def reflect(engine: Engine) -> MetaData:
    meta = MetaData()
    meta.reflect(engine)
    return meta


def tables_in_order(meta: MetaData) -> list[Table]:
    """Parents before children, so rows go in with their foreign keys satisfied."""
    return list(meta.sorted_tables)


def _order(table: Table):
    pk = list(table.primary_key.columns)
    return pk or list(table.columns)


def table_rows(conn, table: Table) -> Iterator[list]:
    result = conn.execution_options(yield_per=BATCH).execute(select(table).order_by(*_order(table)))
    for row in result:
        yield [encode(v) for v in row]


def row_counts(engine: Engine, meta: MetaData | None = None) -> dict[str, int]:
    meta = meta or reflect(engine)
    with engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in tables_in_order(meta)}



def export_portable(engine: Engine, out: Path) -> dict[str, int]:
    """Every table as JSON lines in one REPEATABLE READ snapshot; the row counts close the file."""
    meta = reflect(engine)
    tmp = out.with_name(out.name + ".part")
    counts: dict[str, int] = {}
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin(), gzip.open(tmp, "wt", encoding="utf-8", compresslevel=5) as fh:
                fh.write(json.dumps({"format": PORTABLE_FORMAT, "version": PORTABLE_VERSION,
                                     "source": engine.dialect.name,
                                     "revision": schema_revision(conn),
                                     "made_at": clock.now().isoformat()}) + "\n")
                for table in tables_in_order(meta):
                    fh.write(json.dumps({"table": table.name,
                                         "columns": [c.name for c in table.columns]}) + "\n")
                    n = 0
                    for row in table_rows(conn, table):
                        fh.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
                        n += 1
                    counts[table.name] = n
                fh.write(json.dumps({"end": True, "counts": counts}) + "\n")
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return counts


def schema_revision(conn) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


class NotPortable(Exception):
    """The file is not in the portable format."""


class Damaged(Exception):
    """The file is cut short or unreadable; args: path, detail."""


Rows = Iterator[tuple[str, list[str], list[list]] | dict]


def read_rows(path: Path) -> Rows:
    """(table, columns, batch of rows) …, then the header dict and footer counts."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            header = json.loads(fh.readline())
            if header.get("format") != PORTABLE_FORMAT:
                raise NotPortable(path)
            yield {"revision": header.get("revision")}
            table, columns, batch, counts = None, [], [], None
            for line in fh:
                item = json.loads(line)
                if isinstance(item, list):
                    batch.append([decode(v) for v in item])
                    if len(batch) >= BATCH:
                        yield table, columns, batch
                        batch = []
                    continue
                if batch or table is not None:
                    yield table, columns, batch
                    batch = []
                if "end" in item:
                    counts = item["counts"]
                    table = None
                    break
                table, columns = item["table"], item["columns"]
    except (OSError, EOFError, ValueError) as err:
        raise Damaged(path, str(err)) from err
    if counts is None:
        raise Damaged(path, _("the file ends before its last table"))
    yield {"counts": counts}



# --- comparing two databases (restore drill, tests) -------------------------------


def compare_databases(a: Engine, b: Engine) -> dict[str, str]:
    """Every table, row by row: {table: what differs}; empty when both hold the same data."""
    meta_a, meta_b = reflect(a), reflect(b)
    out: dict[str, str] = {}
    names = set(meta_a.tables) | set(meta_b.tables)
    with a.connect() as ca, b.connect() as cb:
        for name in sorted(names):
            if name not in meta_a.tables or name not in meta_b.tables:
                out[name] = "missing on one side"
                continue
            ta, tb = meta_a.tables[name], meta_b.tables[name]
            cols = [c.name for c in ta.columns]
            if cols != [c.name for c in tb.columns] and set(cols) != {c.name for c in tb.columns}:
                out[name] = "different columns"
                continue
            tb_cols = [tb.columns[c] for c in cols]
            ra = table_rows(ca, ta)
            rb = (list(map(encode, r)) for r in cb.execution_options(yield_per=BATCH).execute(
                select(*tb_cols).order_by(*[tb.columns[c.name] for c in _order(ta)])))
            for n, (row_a, row_b) in enumerate(zip(ra, rb, strict=False), start=1):
                if row_a != row_b:
                    out[name] = f"row {n} differs"
                    break
            else:
                na = ca.scalar(select(func.count()).select_from(ta))
                nb = cb.scalar(select(func.count()).select_from(tb))
                if na != nb:
                    out[name] = f"{na} rows against {nb}"
    return out
