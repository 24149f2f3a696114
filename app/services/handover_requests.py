"""Requests for a second life: what a recipient asked for, matching stock, reservation.

A school, charity or provincial service asks for devices: per category a
quantity, a minimum cosmetic grade and minimum specs (RAM, storage), and a
date it needs them by. `propose` matches `ready` stock to each line — oldest in
first, so nothing ages on the shelf — and writes nothing; the manager accepts,
swaps (`alternatives`) or drops each proposal, and `reserve` moves the accepted
devices `ready → reserved` into the request's handover batch, all or none.
Cancelling releases every reservation (`reserved → ready`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock
from ..i18n import N_, _
from ..models import (
    Asset,
    AssetStatus,
    BatchStatus,
    Category,
    Grade,
    HandoverBatch,
    HandoverItem,
    HandoverRequest,
    Party,
    PartyType,
    RequestLine,
    RequestStatus,
    utcnow,
)
from . import lifecycle, sequences
from .errors import DomainError, NotFound, ValidationError
from .parties import RECIPIENT_TYPES
from .uow import unit_of_work

REQUEST_STATUS_LABELS = {
    RequestStatus.OPEN: N_("open"), RequestStatus.RESERVED: N_("reserved"),
    RequestStatus.COMPLETED: N_("handed over"), RequestStatus.CANCELLED: N_("cancelled"),
}
GRADES = list(Grade)  # A is the best; "at least B" accepts A and B


class RequestClosed(DomainError):
    message = N_("Request {number} is {status}: nothing can be reserved or changed for it any more.")


class DoesNotMatch(DomainError):
    message = N_("{tag} does not fit request {number}: {reason}.")


class LineFull(DomainError):
    message = N_("Request {number} asks for {quantity} × {category}: that many are reserved already.")


class NotReserved(DomainError):
    message = N_("{tag} is not reserved for handover {batch}.")


@dataclass(frozen=True)
class LineSpec:
    """One line of a new request, as typed by the manager."""

    category: Category | str
    quantity: int
    min_grade: Grade | str | None = None
    min_ram_gb: int | None = None
    min_storage_gb: int | None = None


@dataclass(frozen=True)
class Proposal:
    """A ready device proposed for a request line (plain values: safe to keep in a screen)."""

    line_id: int
    asset_id: int
    tag: str
    category: str
    manufacturer: str
    model: str
    serial: str | None
    grade: str | None
    ram_gb: int | None
    storage_gb: int | None
    received_at: dt.datetime


def status_label(status: RequestStatus) -> str:
    return _(REQUEST_STATUS_LABELS[RequestStatus(status)])


def purpose_for(recipient: Party) -> str:
    """The reservation's purpose as the lifecycle knows it: internal redeployment or a donation."""
    return "internal" if recipient.type == PartyType.SERVICE else "handover"


# --- requests ---------------------------------------------------------------------------------

def create_request(session: Session, actor, recipient_id: int, lines: Iterable[LineSpec],
                   needed_by: dt.date | None = None, notes: str | None = None) -> HandoverRequest:
    specs = list(lines)
    if not specs:
        raise ValidationError(N_("A request needs at least one line: what and how many."))
    for spec in specs:
        if not isinstance(spec.quantity, int) or spec.quantity < 1:
            raise ValidationError(N_("The quantity must be a whole number of at least 1."))
        for value in (spec.min_ram_gb, spec.min_storage_gb):
            if value is not None and value < 0:
                raise ValidationError(N_("Minimum RAM and storage cannot be negative."))
    with unit_of_work(session, actor, "create_request", permission="handover.request"):
        recipient = session.get(Party, recipient_id)
        if recipient is None or recipient.type not in RECIPIENT_TYPES:
            raise ValidationError(N_("Choose a school, charity, provincial service or public body "
                                     "as the recipient."))
        if not recipient.active:
            raise ValidationError(N_("{name} is deactivated: reactivate it first."),
                                  name=recipient.name)
        number = f"RQ-{clock.today().year}-{sequences.next_value(session, 'handover_request'):05d}"
        request = HandoverRequest(number=number, recipient_id=recipient.id, needed_by=needed_by,
                                  notes=(notes or "").strip() or None, created_by_id=actor.id)
        request.lines = [RequestLine(category=Category(s.category), quantity=s.quantity,
                                     min_grade=Grade(s.min_grade) if s.min_grade else None,
                                     min_ram_gb=s.min_ram_gb or None,
                                     min_storage_gb=s.min_storage_gb or None) for s in specs]
        session.add(request)
    return request


def get_request(session: Session, request_id: int) -> HandoverRequest:
    request = session.get(HandoverRequest, request_id)
    if request is None:
        raise NotFound(what=str(request_id))
    return request


def list_requests(session: Session, include_closed: bool = False, limit: int = 300
                  ) -> list[HandoverRequest]:
    stmt = select(HandoverRequest)
    if not include_closed:
        stmt = stmt.where(HandoverRequest.status.in_((RequestStatus.OPEN, RequestStatus.RESERVED)))
    order = (HandoverRequest.needed_by.is_(None), HandoverRequest.needed_by, HandoverRequest.id)
    return list(session.scalars(stmt.order_by(*order).limit(limit)))


def open_batch(session: Session, request_id: int) -> HandoverBatch | None:
    return session.scalar(select(HandoverBatch).where(HandoverBatch.request_id == request_id,
                                                      HandoverBatch.status == BatchStatus.OPEN))


def reserved_per_line(session: Session, request_id: int) -> dict[int, int]:
    rows = session.execute(
        select(HandoverItem.line_id, func.count()).join(HandoverBatch)
        .where(HandoverBatch.request_id == request_id, HandoverBatch.status != BatchStatus.CANCELLED,
               HandoverItem.released.is_(False)).group_by(HandoverItem.line_id))
    return {line_id: n for line_id, n in rows}


# --- matching ---------------------------------------------------------------------------------

def _matching(line: RequestLine):
    """The `ready` devices that satisfy a line, oldest in first."""
    stmt = select(Asset).where(Asset.status == AssetStatus.READY, Asset.category == line.category)
    if line.min_grade is not None:
        stmt = stmt.where(Asset.grade.in_(GRADES[:GRADES.index(Grade(line.min_grade)) + 1]))
    if line.min_ram_gb:
        stmt = stmt.where(Asset.ram_gb >= line.min_ram_gb)
    if line.min_storage_gb:
        stmt = stmt.where(Asset.storage_gb >= line.min_storage_gb)
    return stmt.order_by(Asset.created_at, Asset.id)


def mismatch(line: RequestLine, asset: Asset) -> str | None:
    """Why `asset` does not satisfy `line` (English source text), or None."""
    if asset.category != line.category:
        return N_("it is not of the requested category")
    if line.min_grade is not None and (
            asset.grade is None or GRADES.index(asset.grade) > GRADES.index(Grade(line.min_grade))):
        return N_("its grade is below the minimum")
    if line.min_ram_gb and (asset.ram_gb or 0) < line.min_ram_gb:
        return N_("it has less RAM than asked")
    if line.min_storage_gb and (asset.storage_gb or 0) < line.min_storage_gb:
        return N_("it has less storage than asked")
    return None


def _proposal(line_id: int, a: Asset) -> Proposal:
    return Proposal(line_id, a.id, a.tag, a.category.value, a.manufacturer, a.model, a.serial,
                    a.grade.value if a.grade else None, a.ram_gb, a.storage_gb, a.created_at)


def propose(session: Session, request_id: int) -> list[Proposal]:
    """Matching ready devices for every line still short of its quantity. Writes nothing."""
    request = get_request(session, request_id)
    if request.status not in (RequestStatus.OPEN, RequestStatus.RESERVED):
        return []
    have = reserved_per_line(session, request_id)
    taken: set[int] = set()
    proposals: list[Proposal] = []
    for line in request.lines:
        wanted = line.quantity - have.get(line.id, 0)
        if wanted <= 0:
            continue
        stmt = _matching(line)
        if taken:
            stmt = stmt.where(Asset.id.not_in(taken))
        for asset in session.scalars(stmt.limit(wanted)):
            taken.add(asset.id)
            proposals.append(_proposal(line.id, asset))
    return proposals


def alternatives(session: Session, line_id: int, exclude: Iterable[int] = (), limit: int = 20
                 ) -> list[Proposal]:
    """Other ready devices that fit the line, oldest in first (to swap a proposal for)."""
    line = session.get(RequestLine, line_id)
    if line is None:
        raise NotFound(what=str(line_id))
    stmt = _matching(line)
    excluded = list(exclude)
    if excluded:
        stmt = stmt.where(Asset.id.not_in(excluded))
    return [_proposal(line.id, a) for a in session.scalars(stmt.limit(limit))]


# --- reservation ------------------------------------------------------------------------------

def _next_batch_number(session: Session) -> str:
    return f"HB-{clock.today().year}-{sequences.next_value(session, 'handover_batch'):05d}"


def _refresh_status(session: Session, request: HandoverRequest) -> None:
    have = reserved_per_line(session, request.id)
    full = all(have.get(line.id, 0) >= line.quantity for line in request.lines)
    request.status = RequestStatus.RESERVED if full else RequestStatus.OPEN


def _check_open(request: HandoverRequest) -> None:
    if request.status not in (RequestStatus.OPEN, RequestStatus.RESERVED):
        raise RequestClosed(number=request.number, status=status_label(request.status))


# The units of work that change a device's status carry the lifecycle's action name ("reserve",
# "release"), so a device's history reads the same whichever screen did it.
def reserve(session: Session, actor, request_id: int, picks: Iterable[tuple[int, int]]
            ) -> HandoverBatch:
    """Reserve the accepted devices (line id, asset id) for the request: all of them or none."""
    chosen = list(dict.fromkeys(picks))
    if not chosen:
        raise ValidationError(N_("Accept at least one proposed device first."))
    with unit_of_work(session, actor, "reserve", permission="handover.reserve"):
        request = get_request(session, request_id)
        _check_open(request)
        lines = {line.id: line for line in request.lines}
        have = reserved_per_line(session, request.id)
        batch = open_batch(session, request.id)
        if batch is None:
            batch = HandoverBatch(number=_next_batch_number(session), request_id=request.id,
                                  recipient_id=request.recipient_id, created_by_id=actor.id)
            session.add(batch)
            session.flush()
        ctx = {"purpose": purpose_for(request.recipient)}
        for line_id, asset_id in chosen:
            line = lines.get(line_id)
            asset = session.get(Asset, asset_id)
            if line is None or asset is None:
                raise NotFound(what=str(asset_id if line else line_id))
            reason = mismatch(line, asset)
            if reason:
                raise DoesNotMatch(tag=asset.tag, number=request.number, reason=reason)
            have[line_id] = have.get(line_id, 0) + 1
            if have[line_id] > line.quantity:
                from .documents.intake_receipt import category_name

                raise LineFull(number=request.number, quantity=line.quantity,
                               category=category_name(line.category))
            lifecycle.enter(session, asset, "reserve", actor, ctx)
            session.add(HandoverItem(batch_id=batch.id, asset_id=asset.id, line_id=line.id))
        session.flush()
        _refresh_status(session, request)
    return batch


def drop(session: Session, actor, batch_id: int, asset_id: int) -> Asset:
    """Take one reserved device out of the batch again (`reserved → ready`)."""
    with unit_of_work(session, actor, "release", permission="handover.reserve"):
        batch = _open_batch(session, batch_id)
        item = next((i for i in batch.items if i.asset_id == asset_id and not i.released), None)
        if item is None:
            asset = session.get(Asset, asset_id)
            raise NotReserved(tag=asset.tag if asset else str(asset_id), batch=batch.number)
        item.released = True
        lifecycle.enter(session, item.asset, "release", actor)
        session.flush()
        _refresh_status(session, batch.request)
    return item.asset


def _open_batch(session: Session, batch_id: int) -> HandoverBatch:
    batch = session.get(HandoverBatch, batch_id)
    if batch is None:
        raise NotFound(what=str(batch_id))
    if batch.status != BatchStatus.OPEN:
        from .handovers import BatchClosed

        raise BatchClosed(number=batch.number)
    return batch


def _release_all(session: Session, actor, batch: HandoverBatch) -> None:
    for item in batch.items:
        if not item.released:
            item.released = True
            lifecycle.enter(session, item.asset, "release", actor)
    batch.status = BatchStatus.CANCELLED
    batch.closed_at = utcnow()
    batch.closed_by_id = actor.id


def cancel_batch(session: Session, actor, batch_id: int) -> HandoverBatch:
    """Cancel the handover: every reserved device goes back to ready; the request stays open."""
    with unit_of_work(session, actor, "release", permission="handover.cancel"):
        batch = _open_batch(session, batch_id)
        _release_all(session, actor, batch)
        session.flush()
        _refresh_status(session, batch.request)
    return batch


def cancel_request(session: Session, actor, request_id: int) -> HandoverRequest:
    """The recipient no longer needs it: release its reservations and close the request."""
    with unit_of_work(session, actor, "release", permission="handover.cancel"):
        request = get_request(session, request_id)
        _check_open(request)
        batch = open_batch(session, request.id)
        if batch is not None:
            _release_all(session, actor, batch)
        request.status = RequestStatus.CANCELLED
    return request
