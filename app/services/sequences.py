"""Numbers that must be unique and ordered across desks: asset tags, lot and document numbers.

One row per counter, advanced with a single UPDATE … RETURNING inside the
caller's transaction: PostgreSQL row-locks it until commit, SQLite holds the
write lock, so two desks never get the same number and a rolled-back action
gives its number back.
"""

from __future__ import annotations

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import Counter
from .codes import format_tag

ASSET_TAG = "asset_tag"
INTAKE_LOT = "intake_lot"


def next_values(session: Session, name: str, count: int) -> range:
    """Reserve `count` consecutive numbers with one UPDATE (an import takes thousands at once)."""
    if count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    conn = session.connection()
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(insert(Counter).values(name=name, value=0).on_conflict_do_nothing())
    last = conn.execute(
        update(Counter).where(Counter.name == name).values(value=Counter.value + count)
        .returning(Counter.value)
    ).scalar_one()
    return range(last - count + 1, last + 1)


def next_value(session: Session, name: str) -> int:
    return next_values(session, name, 1)[0]


def next_tag(session: Session) -> str:
    return format_tag(next_value(session, ASSET_TAG))


def next_ids(session: Session, model: type, count: int) -> list[int]:
    """Primary keys for `count` rows of `model` that the caller is about to insert.

    With its keys known the ORM sends the rows as one executemany instead of
    INSERT … RETURNING per batch (which psycopg has to parse as one huge statement).
    PostgreSQL hands them out from the column's own sequence; SQLite's unit of work
    holds the write lock, so max(id) + 1 … is what SQLite would pick itself.
    """
    if count < 1:
        return []
    table = model.__table__
    pk = table.primary_key.columns.values()[0]
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        return list(conn.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, :column)) "
                 "FROM generate_series(1, :count)"),
            {"table": table.name, "column": pk.name, "count": count}).scalars())
    last = conn.execute(select(func.coalesce(func.max(pk), 0))).scalar_one()
    return list(range(last + 1, last + count + 1))


def next_tags(session: Session, count: int) -> list[str]:
    """`count` new asset tags in ascending order, reserved in one statement."""
    return [format_tag(n) for n in next_values(session, ASSET_TAG, count)]
