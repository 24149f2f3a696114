"""The yearly WEEE report and the waste-register extract, from the closed disposal batches.

The WEEE report gives, for one calendar year (in Brussels time), the number of items and the
kilograms per EEE category of Directive 2012/19/EU Annex III, split into household-like ('dual
use') and professional EEE, as Flemish re-use and collection reporting asks; the waste-register
extract gives per pick-up and EURAL code the date, quantity, nature, carrier, processor and
treatment (the register of waste a producer keeps under VLAREMA). Both are summed from the batch
lines themselves, so their totals equal the sum of the batches to the cent; both are written as
CSV or XLSX through `asset_export.export_rows` (formula-looking cells neutralised).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..i18n import N_, _
from ..models import DisposalBatch, DisposalItem, DisposalStatus, Document, WasteStream
from ..timefmt import local
from . import weee
from .asset_export import export_rows
from .errors import ValidationError
from .permissions import require

PERMISSION = "report.weee"
BRUSSELS = ZoneInfo("Europe/Brussels")
ZERO = Decimal("0.00")


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), BRUSSELS).astimezone(dt.UTC)


_EARLIEST = dt.date(1970, 1, 1)
_LATEST = dt.date(2999, 12, 31)


def closed_batches(session: Session, first: dt.date, last: dt.date) -> list[DisposalBatch]:
    """Batches picked up from `first` to `last` inclusive (Brussels dates), oldest first."""
    if last < first:
        raise ValidationError(N_("The end date {to} lies before the start date {start}."),
                              to=last.isoformat(), start=first.isoformat())
    # "from year 1 to 9999" means everything: the query's bounds stay within what a datetime
    # with a time zone can hold (nothing was picked up before 1970 or after 2999 anyway).
    first, last = max(first, _EARLIEST), min(last, _LATEST)
    if last < first:
        return []
    return list(session.scalars(
        select(DisposalBatch)
        .where(DisposalBatch.status == DisposalStatus.CLOSED,
               DisposalBatch.closed_at >= _midnight(first),
               DisposalBatch.closed_at < _midnight(last + dt.timedelta(days=1)))
        .options(selectinload(DisposalBatch.items), selectinload(DisposalBatch.weighings))
        .order_by(DisposalBatch.closed_at, DisposalBatch.id)))


# --- the yearly WEEE report --------------------------------------------------------------------


@dataclass
class WeeeLine:
    weee_category: int
    items: dict[WasteStream, int] = field(default_factory=lambda: dict.fromkeys(WasteStream, 0))
    kg: dict[WasteStream, Decimal] = field(default_factory=lambda: dict.fromkeys(WasteStream, ZERO))
    weighed_kg: Decimal = ZERO

    @property
    def total_items(self) -> int:
        return sum(self.items.values())

    @property
    def total_kg(self) -> Decimal:
        return sum(self.kg.values(), ZERO)


@dataclass
class WeeeReport:
    year: int
    lines: list[WeeeLine]
    batches: int

    @property
    def total(self) -> WeeeLine:
        total = WeeeLine(0)
        for line in self.lines:
            for stream in WasteStream:
                total.items[stream] += line.items[stream]
                total.kg[stream] += line.kg[stream]
            total.weighed_kg += line.weighed_kg
        return total


def weee_report(session: Session, actor, year: int) -> WeeeReport:
    require(actor, PERMISSION)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(N_("“{year}” is not a year."), year=str(year))
    found = closed_batches(session, dt.date(year, 1, 1), dt.date(year, 12, 31))
    lines = {c: WeeeLine(c) for c in weee.CATEGORIES}  # every category, also when nothing went
    for batch in found:
        for item in batch.items:
            line = lines[item.weee_category]
            line.items[item.stream] += 1
            line.kg[item.stream] += Decimal(item.weight_kg)
        for weighing in batch.weighings:
            lines[weighing.weee_category].weighed_kg += Decimal(weighing.weighed_kg)
    return WeeeReport(year, list(lines.values()), len(found))


WEEE_HEADERS = (N_("WEEE category"), N_("Description"), N_("Household-like items"),
                N_("Household-like kg"), N_("Professional items"), N_("Professional kg"),
                N_("Total items"), N_("Total kg"), N_("Weighed at pick-up (kg)"))


def weee_rows(report: WeeeReport) -> list[tuple]:
    H, P = WasteStream.HOUSEHOLD, WasteStream.PROFESSIONAL

    def row(label, name, line: WeeeLine) -> tuple:
        return (label, name, line.items[H], line.kg[H], line.items[P], line.kg[P], line.total_items,
                line.total_kg, line.weighed_kg)

    rows = [row(line.weee_category, weee.category_name(line.weee_category), line)
            for line in report.lines]
    rows.append(row(_("Total"), _("{year}: {batches} pick-ups", year=report.year,
                                   batches=report.batches), report.total))
    return rows


def export_weee_report(session: Session, actor, year: int, path: str | os.PathLike,
                       fmt: str | None = None) -> WeeeReport:
    report = weee_report(session, actor, year)
    export_rows(weee_rows(report), path, fmt, headers=[_(h) for h in WEEE_HEADERS])
    return report


# --- the waste-register extract ----------------------------------------------------------------


@dataclass(frozen=True)
class RegisterLine:
    """One pick-up of one kind of waste (EURAL code)."""

    pickup: dt.datetime
    batch: str
    certificate: str
    eural_code: str
    items: int
    kg: Decimal
    carrier: str
    carrier_numbers: str
    processor: str
    processor_numbers: str
    processor_address: str
    treatment: str


def _numbers(party) -> str:
    if party is None:
        return ""
    return " / ".join(x for x in (party.enterprise_number, party.registration_number) if x)


def waste_register(session: Session, actor, first: dt.date, last: dt.date) -> list[RegisterLine]:
    require(actor, PERMISSION)
    found = closed_batches(session, first, last)
    numbers = dict(session.execute(select(Document.id, Document.number).where(
        Document.id.in_([b.certificate_id for b in found if b.certificate_id]))).all())
    lines = []
    for batch in found:
        per_code: dict[str, list[DisposalItem]] = {}
        for item in batch.items:
            per_code.setdefault(item.eural_code, []).append(item)
        p = batch.processor
        address = ", ".join(x for x in (p.street, " ".join(y for y in (p.postcode, p.city) if y)) if x)
        for code in sorted(per_code):
            items = per_code[code]
            lines.append(RegisterLine(
                batch.closed_at, batch.number, numbers.get(batch.certificate_id, ""), code,
                len(items), sum((Decimal(i.weight_kg) for i in items), ZERO),
                batch.carrier.name if batch.carrier else "", _numbers(batch.carrier), p.name,
                _numbers(p), address, batch.treatment))
    return lines


REGISTER_HEADERS = (N_("Pick-up date"), N_("Disposal batch"), N_("EOL certificate"),
                    N_("EURAL code"), N_("Nature of the waste"), N_("Items"), N_("Quantity (kg)"),
                    N_("Carrier"), N_("Carrier enterprise / registration number"), N_("Waste processor"),
                    N_("Processor enterprise / permit number"), N_("Processor address"),
                    N_("Treatment"))


def register_rows(lines: list[RegisterLine]) -> list[tuple]:
    return [(local(x.pickup).date(), x.batch, x.certificate, x.eural_code, weee.eural_name(x.eural_code),
             x.items, x.kg, x.carrier, x.carrier_numbers, x.processor, x.processor_numbers,
             x.processor_address, weee.treatment_name(x.treatment)) for x in lines]


def export_waste_register(session: Session, actor, first: dt.date, last: dt.date,
                          path: str | os.PathLike, fmt: str | None = None) -> list[RegisterLine]:
    lines = waste_register(session, actor, first, last)
    export_rows(register_rows(lines), path, fmt, headers=[_(h) for h in REGISTER_HEADERS])
    return lines
