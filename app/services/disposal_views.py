"""What the disposal page shows: batch summaries summed in the database, a batch's devices with
their data status, the weight check and what still stops the close; the issued certificate.

Read-only views over `services/disposal`; the page never touches the ORM itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, selectinload

from ..i18n import N_
from ..models import (
    Asset,
    DisposalBatch,
    DisposalItem,
    DisposalStatus,
    Document,
    Party,
    ProcessorCertificate,
)
from .disposal import DATA_MISSING, WeightLine, close_problems, data_statuses, get_batch, weight_check
from .errors import NotFound, ValidationError


@dataclass(frozen=True)
class BatchSummary:
    id: int
    number: str
    status: DisposalStatus
    processor: str
    carrier: str
    treatment: str
    devices: int
    kg: Decimal
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    certificate: str | None
    processor_certificate: str | None  # the file name of the processor's PDF, once attached


@dataclass(frozen=True)
class ItemRow:
    item_id: int
    asset_id: int
    tag: str
    category: str
    model: str
    serial: str
    weee_category: int
    weight_kg: Decimal
    data_status: str
    data_reference: str


def _summaries(session: Session, where, order, limit: int) -> list[BatchSummary]:
    """Batches with their counts and weights summed in the database (one query, any history)."""
    processor, carrier = aliased(Party), aliased(Party)
    items = (select(DisposalItem.batch_id, func.count().label("n"),
                    func.sum(DisposalItem.weight_kg).label("kg"))
             .group_by(DisposalItem.batch_id).subquery())
    stmt = (select(DisposalBatch, processor.name, carrier.name, items.c.n, items.c.kg,
                   Document.number, ProcessorCertificate.filename)
            .join(processor, processor.id == DisposalBatch.processor_id)
            .outerjoin(carrier, carrier.id == DisposalBatch.carrier_id)
            .outerjoin(items, items.c.batch_id == DisposalBatch.id)
            .outerjoin(Document, Document.id == DisposalBatch.certificate_id)
            .outerjoin(ProcessorCertificate, ProcessorCertificate.batch_id == DisposalBatch.id)
            .where(where).order_by(*order).limit(limit))
    return [BatchSummary(b.id, b.number, b.status, pname, cname or "", b.treatment, n or 0,
                         Decimal(str(kg or 0)).quantize(Decimal("0.01")), b.opened_at, b.closed_at,
                         number, filename)
            for b, pname, cname, n, kg, number, filename in session.execute(stmt)]


def _summary(session: Session, batch: DisposalBatch) -> BatchSummary:
    return _summaries(session, DisposalBatch.id == batch.id, [DisposalBatch.id], 1)[0]


def batch_summaries(session: Session, limit: int = 200) -> list[BatchSummary]:
    """Open batches first, then the most recent closed ones."""
    open_first = (DisposalBatch.status != DisposalStatus.OPEN)
    return _summaries(session, DisposalBatch.id.is_not(None), [open_first, DisposalBatch.id.desc()],
                      limit)


def waiting_summaries(session: Session, limit: int = 200) -> list[BatchSummary]:
    """Closed batches still waiting for the processor's certificate, oldest pick-up first."""
    return _summaries(session, (DisposalBatch.status == DisposalStatus.CLOSED)
                      & ProcessorCertificate.id.is_(None), [DisposalBatch.closed_at], limit)


def batch_detail(session: Session, batch_id: int
                 ) -> tuple[BatchSummary, list[ItemRow], list[WeightLine], list[str]]:
    """A batch as the page shows it: summary, devices, weight check and what stops the close."""
    batch = session.scalar(select(DisposalBatch).where(DisposalBatch.id == batch_id).options(
        selectinload(DisposalBatch.items).selectinload(DisposalItem.asset).selectinload(Asset.media),
        selectinload(DisposalBatch.weighings), selectinload(DisposalBatch.processor),
        selectinload(DisposalBatch.carrier)))
    if batch is None:
        raise NotFound(what=str(batch_id))
    rows = []
    data = data_statuses(session, [item.asset for item in batch.items])
    for item in batch.items:
        a = item.asset
        status, reference = data[a.id]
        rows.append(ItemRow(item.id, a.id, a.tag, a.category.value, f"{a.manufacturer} {a.model}",
                            a.serial or "", item.weee_category, Decimal(item.weight_kg), status,
                            reference))
    unrecorded = [r.tag for r in rows if r.data_status == DATA_MISSING]
    problems = ([str(p) for p in close_problems(session, batch, unrecorded=unrecorded)]
                if batch.status == DisposalStatus.OPEN else [])
    return _summary(session, batch), rows, weight_check(batch), problems


def certificate_pdf(session: Session, batch_id: int) -> tuple[str, bytes]:
    """The EOL certificate of a closed batch, exactly as issued (number, bytes)."""
    batch = get_batch(session, batch_id)
    if batch.certificate_id is None:
        raise ValidationError(N_("Batch {number} has no EOL certificate yet: it is issued when the "
                                 "batch is closed."), number=batch.number)
    document = session.get(Document, batch.certificate_id)
    return document.number, document.pdf
