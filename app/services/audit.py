"""The audit trail: every change to a record writes an event in the same transaction.

Events are not written by hand in each service (one could be forgotten):
a session hook records every insert, update and delete of an audited model
from the ORM's own change history, with the actor and action the unit of
work declared. A write without an actor, a bulk UPDATE/DELETE that would
bypass the hook, and a status change outside the lifecycle are refused.

Events are hash-chained: each hash covers the previous hash and a canonical
serialisation of the event. Appends lock the single chain-head row first, so
concurrent desks still produce one unbroken chain. `verify_chain` walks the
chain and names the first broken link.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import hashlib
import itertools
import json
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import event, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from ..i18n import N_, _
from ..models import (
    GENESIS_HASH,
    HandoverBatch,
    HandoverItem,
    HandoverRequest,
    RequestLine,
    Asset,
    AuditEvent,
    ChecklistResult,
    Document,
    AuditHead,
    IntakeLot,
    Location,
    Party,
    SanitisationRecord,
    SparePart,
    StockCount,
    StockCountLine,
    StorageMedium,
    User,
    utcnow,
)
from .errors import AuditWriteRefused

# Model → entity type in the trail. Later issues add their aggregates here.
AUDITED: dict[type, str] = {
    Asset: "asset",
    StorageMedium: "medium",
    IntakeLot: "lot",
    Party: "party",
    Location: "location",
    User: "user",
    Document: "document",
    ChecklistResult: "check",
    SanitisationRecord: "sanitisation",
    SparePart: "part",
    StockCount: "count",
    StockCountLine: "count_line",
    HandoverRequest: "handover_request",
    RequestLine: "handover_request_line",
    HandoverBatch: "handover_batch",
    HandoverItem: "handover_item",
}
from ..models import disposal as _disposal  # noqa: E402 (end of life, issue 7)

AUDITED.update({_disposal.ProcessorCertification: "certification",
                _disposal.DisposalBatch: "disposal_batch", _disposal.DisposalItem: "disposal_item",
                _disposal.DisposalWeighing: "disposal_weighing",
                _disposal.ProcessorCertificate: "processor_certificate"})
from ..models import organisation as _organisation  # noqa: E402 (settings, issue 15)
from ..models import sales as _sales  # noqa: E402 (staff resale, issue 6)

AUDITED[_organisation.Organisation] = "organisation"
AUDITED.update({_sales.StaffMember: "staff_member", _sales.SaleRound: "sale_round",
                _sales.SaleItem: "sale_item", _sales.SaleInterest: "sale_interest"})
# Bookkeeping columns that change with every write and say nothing by themselves.
NOT_RECORDED = {"version", "updated_at", "updated_by_id", "created_at", "serial_normalised",
                "pdf",  # a document's bytes are recorded by their sha256
                "logo"}  # the organisation's logo too (logo_sha256)
# Columns whose value must never be copied into the trail.
SECRET = {"password_hash",
          # personal data (GDPR): the trail says that a name or address changed, never what it
          # is, so pseudonymising the row after the retention period leaves no copy behind
          "full_name", "email", "phone", "contact_name", "staff_number"}
# Set in session.info by a privacy purge: its events say which columns were overwritten, not
# their old values (a purge also overwrites columns that are otherwise recorded, like a name).
PRIVACY_PURGE_KEY = "privacy_purge"
SECRET_PLACEHOLDER = "•••"

CTX_KEY = "audit_context"
LIFECYCLE_KEY = "lifecycle_writing"


@dataclass(frozen=True)
class AuditContext:
    actor_id: int | None
    actor_name: str
    action: str


def set_context(session: Session, actor: User, action: str) -> None:
    session.info[CTX_KEY] = AuditContext(actor.id, actor.display_name or actor.username, action)


def clear_context(session: Session) -> None:
    session.info.pop(CTX_KEY, None)


def _plain(value: object) -> object:
    """A JSON value for the canonical serialisation (stable across databases)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def canonical_json(data: object) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, fields: dict) -> str:
    payload = prev_hash + "\n" + canonical_json(fields)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hashed_fields(seq, occurred_at, actor_id, actor_name, action, entity_type, entity_id,
                  entity_ref, changes) -> dict:
    return {
        "seq": seq,
        "occurred_at": _plain(occurred_at),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "entity_ref": entity_ref,
        "changes": changes,
    }


def _entity_ref(obj: object) -> str | None:
    for attr in ("tag", "number", "code", "username", "name"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    if isinstance(obj, StorageMedium) and obj.asset is not None:
        return obj.asset.tag
    return None


def _changes(obj: object, kind: str, masked: bool = False) -> dict[str, list]:
    state = inspect(obj)
    out: dict[str, list] = {}
    for col_attr in state.mapper.column_attrs:
        key = col_attr.key
        if key in NOT_RECORDED or key == "id":
            continue
        if kind == "insert":
            new = getattr(obj, key)
            if new is None:
                continue
            old = None
        elif kind == "delete":
            old, new = getattr(obj, key), None
        else:
            hist = state.attrs[key].history  # only here: an import inserts 100 000 rows
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if _plain(old) == _plain(new):
                continue
        if key in SECRET or masked:
            old = SECRET_PLACEHOLDER if old is not None else None
            new = SECRET_PLACEHOLDER if new is not None else None
        out[key] = [_plain(old), _plain(new)]
    return out


def _audited(session: Session):
    for kind, objs in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objs:
            entity_type = AUDITED.get(type(obj))
            if entity_type is not None:
                yield kind, entity_type, obj


@event.listens_for(Session, "before_flush")
def _refuse_unrecorded_writes(session: Session, _ctx, _instances) -> None:
    pending = list(_audited(session))
    if not pending:
        return
    if session.info.get(CTX_KEY) is None:
        raise AuditWriteRefused(detail=N_("no acting user was given"))
    if not session.info.get(LIFECYCLE_KEY):
        for _kind, _etype, obj in pending:
            if isinstance(obj, Asset) and inspect(obj).attrs.status.history.has_changes():
                raise AuditWriteRefused(detail=N_("the status changes only through the lifecycle"))


@event.listens_for(Session, "after_flush")
def _record(session: Session, _ctx) -> None:
    # After the flush the new rows have their ids, and the attribute history still
    # holds the old values; the events go in on the same connection and transaction.
    rows = []
    for kind, entity_type, obj in _audited(session):
        changes = _changes(obj, kind, masked=bool(session.info.get(PRIVACY_PURGE_KEY)))
        if kind == "update" and not changes:
            continue
        rows.append((kind, entity_type, obj, changes))
    if not rows:
        return
    ctx: AuditContext = session.info[CTX_KEY]
    append_events(
        session,
        ctx,
        [
            (ctx.action, etype, obj.id, _entity_ref(obj), changes)
            for kind, etype, obj, changes in rows
        ],
    )


def append_events(session: Session, ctx: AuditContext, events: list[tuple]) -> None:
    """Append events (action, entity_type, entity_id, entity_ref, changes) to the chain."""
    conn = session.connection()
    head = conn.execute(
        select(AuditHead.seq, AuditHead.last_hash).where(AuditHead.id == 1).with_for_update()
    ).one()
    seq, prev = head.seq, head.last_hash
    now = utcnow()
    values = []
    for action, entity_type, entity_id, entity_ref, changes in events:
        seq += 1
        changes_json = canonical_json(changes)
        fields = hashed_fields(seq, now, ctx.actor_id, ctx.actor_name, action, entity_type,
                               entity_id, entity_ref, changes_json)
        digest = event_hash(prev, fields)
        values.append(dict(seq=seq, occurred_at=now, actor_id=ctx.actor_id,
                           actor_name=ctx.actor_name, action=action, entity_type=entity_type,
                           entity_id=entity_id, entity_ref=entity_ref, changes=changes_json,
                           prev_hash=prev, hash=digest))
        prev = digest
    conn.execute(insert(AuditEvent), values)
    conn.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, last_hash=prev))


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_writes(state) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    audited_tables = {model.__table__.name for model in AUDITED}
    if table is not None and getattr(table, "name", None) in audited_tables:
        raise AuditWriteRefused(detail=N_("bulk changes would bypass the audit trail"))


# --- verification -----------------------------------------------------------------

@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str | None = None  # English source text, see message()

    def message(self) -> str:
        if self.ok:
            return _("Audit trail intact: {count} events, every link verified.", count=self.events)
        return _("Audit trail BROKEN at event {seq}: {reason}.", seq=self.broken_seq,
                 reason=_(self.reason or ""))


# The verify walk builds each event's hashed bytes directly instead of through
# hashed_fields + json.dumps: at a million events the generic path (a dict, a sort,
# the encoder) costs four times the SHA-256 itself. The text must be byte for byte
# prev + "\n" + canonical_json(hashed_fields(...)); tests/unit/test_audit.py compares them.
_json_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) quotes strings with
_json_int = int.__repr__  # ... and writes ints with; raises TypeError for anything but an int


def _hashed_payload(prev_hash, seq, occurred_at_json, actor_id, actor_name, action, entity_type,
                    entity_id, entity_ref, changes) -> str:
    """prev_hash + "\n" + canonical_json(hashed_fields(...)) for values as the database returns them.

    `occurred_at_json` is canonical_json(_plain(occurred_at)). A value of an unexpected
    type raises TypeError (the caller then takes the generic path). Drivers return plain
    ints for integer columns, never bools, which json would write as true/false.
    """
    return (f'{prev_hash}\n{{"action":{_json_str(action)},'
            f'"actor_id":{"null" if actor_id is None else _json_int(actor_id)},'
            f'"actor_name":{_json_str(actor_name)},"changes":{_json_str(changes)},'
            f'"entity_id":{"null" if entity_id is None else _json_int(entity_id)},'
            f'"entity_ref":{"null" if entity_ref is None else _json_str(entity_ref)},'
            f'"entity_type":{_json_str(entity_type)},"occurred_at":{occurred_at_json},'
            f'"seq":{_json_int(seq)}}}')


# No id: one column fewer per row is ~10 % of the walk; a broken event's id is looked up
# by its seq (unique) when the report needs it.
_VERIFY_COLUMNS = ("seq", "occurred_at", "actor_id", "actor_name", "action", "entity_type",
                   "entity_id", "entity_ref", "changes", "prev_hash", "hash")


@contextlib.contextmanager
def _stored_events(session: Session, batch: int):
    """The chain as stored, in seq order: (rows, plain_time).

    `rows` yields plain tuples (columns as in _VERIFY_COLUMNS) fetched `batch` at a time
    straight from the driver: no Row objects, no per-value type processing; PostgreSQL
    streams through a server-side cursor so a million events never sit in memory.
    `plain_time` turns a row's occurred_at into _plain() of the datetime the ORM reads.
    The read goes through the session's connection and transaction and sees the database
    as it is now, never an object cached in this session.
    """
    conn = session.connection()
    dialect = conn.dialect
    cols = AuditEvent.__table__.c
    stmt = select(*(cols[name] for name in _VERIFY_COLUMNS)).order_by(cols.seq)
    # The exact conversion SQLAlchemy itself applies when it reads the column (UTCDateTime).
    to_datetime = (cols.occurred_at.type.dialect_impl(dialect).result_processor(dialect, None)
                   or (lambda value: value))

    def plain_time(value):
        return _plain(to_datetime(value))

    dbapi_conn = conn.connection.driver_connection
    if dialect.name == "postgresql":
        cursor = dbapi_conn.cursor(name="audit_verify")  # server-side: fetchmany streams
    else:
        cursor = dbapi_conn.cursor()
    try:
        cursor.execute(str(stmt.compile(dialect=dialect)))
        chunks = iter(lambda: cursor.fetchmany(batch), [])
        yield itertools.chain.from_iterable(chunks), plain_time
    finally:
        cursor.close()


def verify_chain(session: Session, batch: int = 20_000) -> ChainReport:
    """Walk the whole chain in order; report the first event that breaks it."""
    prev = GENESIS_HASH
    expected_seq = 0
    sha256 = hashlib.sha256
    payload_of = _hashed_payload
    last_stored, last_plain, last_when = object(), "", ""  # one flush's events share a time
    broken: tuple[int, int, str] | None = None  # (events verified, seq, reason)
    with _stored_events(session, batch) as (rows, plain_time):
        for (seq, occurred_at, actor_id, actor_name, action, entity_type, entity_id, entity_ref,
             changes, prev_hash, digest) in rows:
            expected_seq += 1
            if seq != expected_seq:
                broken = (expected_seq, seq,
                          N_("this event is missing (deleted, or the order was changed)"))
                break
            if prev_hash != prev:
                broken = (seq, seq,
                          N_("it does not link to the event before it (deleted or reordered)"))
                break
            if occurred_at != last_stored or type(occurred_at) is not type(last_stored):
                last_stored = occurred_at
                last_plain = plain_time(occurred_at)
                last_when = canonical_json(last_plain)
            try:
                payload = payload_of(prev, seq, last_when, actor_id, actor_name, action,
                                     entity_type, entity_id, entity_ref, changes)
            except TypeError:  # a value of an unexpected type: the generic, slower path
                payload = prev + "\n" + canonical_json(hashed_fields(
                    seq, last_plain, actor_id, actor_name, action, entity_type,
                    entity_id, entity_ref, changes))
            if sha256(payload.encode("utf-8")).hexdigest() != digest:
                broken = (seq, seq, N_("its content was changed after it was written"))
                break
            prev = digest
    if broken is not None:
        reported_seq, row_seq, reason = broken
        cols = AuditEvent.__table__.c
        row_id = session.execute(select(cols.id).where(cols.seq == row_seq)).scalar()
        return ChainReport(False, expected_seq - 1, reported_seq, row_id, reason)
    head = session.execute(select(AuditHead.seq, AuditHead.last_hash)).one_or_none()
    if head is None or head.seq != expected_seq or head.last_hash != prev:
        return ChainReport(False, expected_seq, expected_seq + 1, None,
                           N_("the newest events were removed (the chain head does not match)"))
    return ChainReport(True, expected_seq)


def history(session: Session, entity_type: str, entity_id: int) -> list[AuditEvent]:
    stmt = (select(AuditEvent)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.seq))
    return list(session.scalars(stmt))


def event_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def verify_chain_as(session: Session, actor) -> ChainReport:
    """`verify_chain` for a signed-in user: managers, auditors and administrators (audit.verify)."""
    from .permissions import require

    require(actor, "audit.verify")
    return verify_chain(session)
