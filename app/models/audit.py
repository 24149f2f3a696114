"""The audit trail: append-only, hash-chained events, plus the chain head.

Each event's hash covers the previous event's hash and a canonical
serialisation of the event itself, so editing, deleting or reordering a row
breaks the chain at that point. The single `audit_head` row is locked by every
append: that is what keeps two desks writing at once on one unbroken chain.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

GENESIS_HASH = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),
                      # the dashboard's receipts per month: one action over a period
                      Index("ix_audit_events_action_time", "action", "occurred_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    entity_ref: Mapped[str | None] = mapped_column(String(80))
    changes: Mapped[str] = mapped_column(Text)  # canonical JSON: {field: [old, new]}
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """One row: the sequence number and hash of the newest event."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


class Counter(Base):
    """Named counters for numbers that must be unique and ordered across desks
    (asset tags, lot numbers, document numbers). Incremented with one
    conditional UPDATE … RETURNING, which both SQLite and PostgreSQL serialise."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
