"""Numbers that must be unique and ordered across desks: asset tags, lot and document numbers.

One row per counter, advanced with a single UPDATE … RETURNING inside the
caller's transaction: PostgreSQL row-locks it until commit, SQLite holds the
write lock, so two desks never get the same number and a rolled-back action
gives its number back.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import Counter
from .codes import format_tag

ASSET_TAG = "asset_tag"
INTAKE_LOT = "intake_lot"


def next_value(session: Session, name: str) -> int:
    conn = session.connection()
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(insert(Counter).values(name=name, value=0).on_conflict_do_nothing())
    return conn.execute(
        update(Counter).where(Counter.name == name).values(value=Counter.value + 1).returning(Counter.value)
    ).scalar_one()


def next_tag(session: Session) -> str:
    return format_tag(next_value(session, ASSET_TAG))
