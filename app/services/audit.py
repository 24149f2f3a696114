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

import datetime as dt
import enum
import hashlib
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
from ..models import sales as _sales  # noqa: E402 (staff resale, issue 6)

AUDITED.update({_sales.StaffMember: "staff_member", _sales.SaleRound: "sale_round",
                _sales.SaleItem: "sale_item", _sales.SaleInterest: "sale_interest"})
# Bookkeeping columns that change with every write and say nothing by themselves.
NOT_RECORDED = {"version", "updated_at", "updated_by_id", "created_at", "serial_normalised",
                "pdf"}  # a document's bytes are recorded by their sha256
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


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the whole chain in order; report the first event that breaks it."""
    prev = GENESIS_HASH
    expected_seq = 0
    # Plain rows, not ORM objects: the check must see what is in the database now,
    # never an object cached in this session.
    cols = AuditEvent.__table__.c
    stmt = (select(cols.id, cols.seq, cols.occurred_at, cols.actor_id, cols.actor_name, cols.action,
                   cols.entity_type, cols.entity_id, cols.entity_ref, cols.changes, cols.prev_hash,
                   cols.hash)
            .order_by(cols.seq).execution_options(yield_per=batch))
    for ev in session.execute(stmt):
        expected_seq += 1
        if ev.seq != expected_seq:
            return ChainReport(False, expected_seq - 1, expected_seq, ev.id,
                               N_("this event is missing (deleted, or the order was changed)"))
        if ev.prev_hash != prev:
            return ChainReport(False, expected_seq - 1, ev.seq, ev.id,
                               N_("it does not link to the event before it (deleted or reordered)"))
        fields = hashed_fields(ev.seq, ev.occurred_at, ev.actor_id, ev.actor_name, ev.action,
                               ev.entity_type, ev.entity_id, ev.entity_ref, ev.changes)
        if event_hash(prev, fields) != ev.hash:
            return ChainReport(False, expected_seq - 1, ev.seq, ev.id,
                               N_("its content was changed after it was written"))
        prev = ev.hash
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
