"""Figures for the Reports page — intake, stock, second life, destinations, CO2e — and their export.

Each figure is one SQL aggregate (GROUP BY in the database, nothing loads the
inventory into Python), so the page stays usable on a million devices. Dates
come from where the fact is recorded: a receipt is the asset's `receive` audit
event; a device that is still out there, or was disposed of, has its exit date
in `status_changed_at` (served by the status/date index). A device that came
back after its second life has a later status date, so its handover date is
read from its `transfer`/`sell` audit event instead.

Exits are *first* exits: the moment a device leaves the warehouse's care —
handed over, sold, or disposed of without ever having had a second life. A
device disposed of after its second life is not a failure to reuse it, so it
counts for the kilograms sent to the recycler but not against the second-life
rate. Months and periods are calendar months and days in Europe/Brussels.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from sqlalchemy import (
    Float,
    String,
    and_,
    case,
    cast,
    extract,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from .. import clock
from ..i18n import N_, _
from ..models import Asset, AssetStatus, AuditEvent, Category, Party, PartyType, utcnow
from ..paths import RESOURCES
from ..timefmt import BRUSSELS, format_local
from .errors import ValidationError
from .inventory import DEFAULT_STALE_DAYS, STALE_STATUSES
from .permissions import require

S = AssetStatus
# Figures are read-only; every role that may read the inventory may read them.
PERMISSION = "inventory.read"
FACTORS_FILE = RESOURCES / "co2e_factors.json"

STOCK_STATUSES = (S.RECEIVED, S.IN_REFURBISHMENT, S.READY, S.RESERVED, S.AWAITING_DISPOSAL)
REUSED = ("transferred", "sold")
# canonical_json writes {"status":[old,new]}; the quote before the colon keeps
# "status_changed_at" from matching.
STATUS_CHANGED = '%"status":[%'


# --- the period ------------------------------------------------------------------------

PRESETS = ("this_month", "last_12_months", "this_year", "last_year", "all")
PRESET_LABELS = {
    "this_month": N_("This month"),
    "last_12_months": N_("Last 12 months"),
    "this_year": N_("This year"),
    "last_year": N_("Last year"),
    "all": N_("All time"),
}


def today_local() -> dt.date:
    return clock.today()


def _add_months(first_of_month: dt.date, months: int) -> dt.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=BRUSSELS).astimezone(dt.UTC)


@dataclass(frozen=True)
class Period:
    """Calendar days in Brussels, both ends included; None means open-ended."""

    start: dt.date | None = None
    end: dt.date | None = None
    preset: str | None = None

    @classmethod
    def of(cls, preset: str, today: dt.date | None = None) -> Period:
        today = today or today_local()
        month = today.replace(day=1)
        if preset == "this_month":
            return cls(month, today, preset)
        if preset == "last_12_months":  # this month and the eleven before it: twelve bars
            return cls(_add_months(month, -11), today, preset)
        if preset == "this_year":
            return cls(dt.date(today.year, 1, 1), today, preset)
        if preset == "last_year":
            return cls(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31), preset)
        if preset == "all":
            return cls(None, None, preset)
        raise ValueError(f"unknown period preset {preset!r}")

    def utc_bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """[from, to) in UTC, for comparing with stored times."""
        lo = _local_midnight(self.start) if self.start else None
        hi = _local_midnight(self.end + dt.timedelta(days=1)) if self.end else None
        return lo, hi

    def label(self) -> str:
        if self.preset in PRESET_LABELS:
            return _(PRESET_LABELS[self.preset])
        return self.dates_label()

    def dates_label(self) -> str:
        start = self.start.strftime("%d/%m/%Y") if self.start else "…"
        end = self.end.strftime("%d/%m/%Y") if self.end else "…"
        return f"{start} – {end}"

    def months(self, first: str | None = None, last: str | None = None) -> list[str]:
        """Every month ("YYYY-MM") of the period; an open start begins at `first`."""
        begin = self.start.replace(day=1) if self.start else _parse_month(first)
        if begin is None:
            return []
        end_day = self.end or today_local()
        stop = end_day.replace(day=1)
        if last is not None and self.end is None:
            stop = max(stop, _parse_month(last))
        out = []
        while begin <= stop:
            out.append(f"{begin.year:04d}-{begin.month:02d}")
            begin = _add_months(begin, 1)
        return out


def _parse_month(text: str | None) -> dt.date | None:
    if not text:
        return None
    year, month = text.split("-")
    return dt.date(int(year), int(month), 1)


def _within(column, period: Period):
    lo, hi = period.utc_bounds()
    conditions = [true()]
    if lo is not None:
        conditions.append(column >= lo)
    if hi is not None:
        conditions.append(column < hi)
    return and_(*conditions)


# --- SQL that differs between SQLite and PostgreSQL ------------------------------------

def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _read_only_figures(session: Session) -> None:
    """PostgreSQL: no JIT for this transaction. The exit figures are many small index
    probes whose estimated cost crosses the JIT threshold; compiling them took longer
    (about 1 s on 100 000 devices) than running them."""
    if _dialect(session) == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def _local_month(dialect: str, column):
    """The Brussels calendar month ("YYYY-MM") of a stored UTC time, computed in SQL.

    Literal SQL text (not bound parameters), so PostgreSQL sees the same
    expression in SELECT and GROUP BY.
    """
    if dialect == "postgresql":
        return func.to_char(func.timezone(literal_column("'Europe/Brussels'"), column),
                            literal_column("'YYYY-MM'"))
    # SQLite has no time-zone data. A month only matters at its first midnight, and
    # under the EU rule (clocks change on the last Sundays of March and October)
    # April to October begin in summer time (UTC+2) and November to March in winter
    # time (UTC+1). So: the month at +2 h is right when it is one of April–October;
    # otherwise the month at +1 h is.
    plus2 = func.strftime(literal_column("'%Y-%m'"), column, literal_column("'+2 hours'"))
    plus1 = func.strftime(literal_column("'%Y-%m'"), column, literal_column("'+1 hours'"))
    summer = func.substr(plus2, 6, 2).between(literal_column("'04'"), literal_column("'10'"))
    return case((summer, plus2), else_=plus1)


def _days_between(dialect: str, later, earlier):
    if dialect == "postgresql":
        return cast(extract("epoch", later - earlier), Float) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


# --- the figures -----------------------------------------------------------------------

@dataclass(frozen=True)
class MonthCount:
    month: str  # "YYYY-MM", Brussels
    count: int


@dataclass(frozen=True)
class StockCell:
    status: AssetStatus
    category: Category
    count: int


@dataclass(frozen=True)
class SecondLife:
    reused: int  # handed over or sold
    disposed: int  # disposed of without a second life

    @property
    def exits(self) -> int:
        return self.reused + self.disposed

    @property
    def rate(self) -> float | None:
        return self.reused / self.exits if self.exits else None


DESTINATIONS = ("internal", "schools", "charities", "staff", "recycling", "other")
DESTINATION_LABELS = {
    "internal": N_("Internal (services, public bodies)"),
    "schools": N_("Schools"),
    "charities": N_("Charities"),
    "staff": N_("Staff"),
    "recycling": N_("Recycling"),
    "other": N_("Other recipients"),
}
_DESTINATION_OF_RECIPIENT = {
    PartyType.SERVICE: "internal",
    PartyType.PUBLIC_BODY: "internal",
    PartyType.SCHOOL: "schools",
    PartyType.CHARITY: "charities",
    PartyType.STAFF: "staff",
}


@dataclass(frozen=True)
class DestinationCount:
    key: str  # one of DESTINATIONS
    count: int

    @property
    def label(self) -> str:
        return _(DESTINATION_LABELS[self.key])


@dataclass(frozen=True)
class DaysToExit:
    average_days: float | None
    devices: int  # first exits whose intake date is known
    unknown_intake: int  # first exits without a receive event (e.g. rows imported in bulk)


@dataclass(frozen=True)
class RecyclingWeight:
    kg: Decimal
    devices: int  # every disposal in the period
    without_weight: int
    after_second_life: int  # of which came back after a second life


@dataclass(frozen=True)
class CategoryFactor:
    category: Category
    kg_co2e: Decimal | None
    dataset: str = ""
    title: str = ""
    publisher: str = ""
    year: int | None = None
    url: str = ""
    note: str = ""
    short: str = ""  # a short name of the source, for a "source:" line on screen

    def citation(self) -> str:
        if self.kg_co2e is None:
            return ""
        return f"{self.publisher} ({self.year}), {self.dataset} — {self.url}"


@dataclass(frozen=True)
class Co2eFactors:
    unit: str
    indicative: bool
    note: str
    by_category: dict[Category, CategoryFactor]

    def publishers(self) -> str:
        """Who published the factors, for a short "source:" line."""
        names = sorted({f"{f.short} ({f.year})" for f in self.by_category.values() if f.short})
        return "; ".join(names)


@cache
def co2e_factors(path: Path = FACTORS_FILE) -> Co2eFactors:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    by_category = {}
    for category in Category:
        entry = data["factors"].get(category.value, {"kg_co2e": None})
        value = entry.get("kg_co2e")
        by_category[category] = CategoryFactor(
            category, Decimal(str(value)) if value is not None else None,
            entry.get("dataset", ""), entry.get("title", ""), entry.get("publisher", ""),
            entry.get("year"), entry.get("url", ""), entry.get("note", ""),
            entry.get("short") or entry.get("publisher", ""))
    return Co2eFactors(data["unit"], data.get("status") == "indicative", data.get("note", ""),
                       by_category)


@dataclass(frozen=True)
class Co2eLine:
    category: Category
    devices: int
    factor: CategoryFactor

    @property
    def kg(self) -> Decimal | None:
        return None if self.factor.kg_co2e is None else self.factor.kg_co2e * self.devices


@dataclass(frozen=True)
class Co2eAvoided:
    lines: list[Co2eLine]
    factors: Co2eFactors

    @property
    def kg(self) -> Decimal:
        return sum((line.kg for line in self.lines if line.kg is not None), Decimal(0))

    @property
    def devices(self) -> int:
        return sum(line.devices for line in self.lines)

    @property
    def uncounted(self) -> int:
        """Reused devices of a category without a factor: they add nothing."""
        return sum(line.devices for line in self.lines if line.kg is None)


def received_per_month(session: Session, actor, period: Period) -> list[MonthCount]:
    """Devices received, per Brussels month of their `receive` event (zero months included)."""
    require(actor, PERMISSION)
    month = _local_month(_dialect(session), AuditEvent.occurred_at).label("month")
    stmt = (
        select(month, func.count())
        .select_from(AuditEvent)
        # Only devices that still exist: an intake undone at the desk deletes the asset.
        # The tag as well as the id, because SQLite may give a deleted row's id to the next one.
        .join(Asset, and_(Asset.id == AuditEvent.entity_id, Asset.tag == AuditEvent.entity_ref))
        .where(AuditEvent.entity_type == "asset", AuditEvent.action == "receive",
               AuditEvent.changes.like(STATUS_CHANGED), _within(AuditEvent.occurred_at, period))
        .group_by(month)
    )
    counts = {m: n for m, n in session.execute(stmt)}
    months = period.months(first=min(counts) if counts else None,
                           last=max(counts) if counts else None)
    return [MonthCount(m, counts.get(m, 0)) for m in months]


def stock_by_status_and_category(session: Session, actor) -> list[StockCell]:
    """What is in the warehouse now (announced devices are not here yet), by status and category."""
    require(actor, PERMISSION)
    stmt = (select(Asset.status, Asset.category, func.count())
            .where(Asset.status.in_(STOCK_STATUSES))
            .group_by(Asset.status, Asset.category))
    order_s = {s: i for i, s in enumerate(STOCK_STATUSES)}
    order_c = {c: i for i, c in enumerate(Category)}
    cells = [StockCell(s, c, n) for s, c, n in session.execute(stmt)]
    return sorted(cells, key=lambda x: (order_s[x.status], order_c[x.category]))


def _receipt(asset_id, tag):
    """When the device was received: its first receive event in id order. The entity
    index hands an asset's events over in that order, so the search stops at once."""
    ev = aliased(AuditEvent)  # the enclosing query may read audit_events too
    return (select(ev.occurred_at)
            .where(ev.entity_type == "asset", ev.entity_id == asset_id, ev.entity_ref == tag,
                   ev.action == "receive", ev.changes.like(STATUS_CHANGED))
            .order_by(ev.id).limit(1)
            .correlate_except(ev)
            .scalar_subquery())


def _first_exits(period: Period):
    """One row per device that first left the warehouse in the period: kind, date,
    recipient and intake date (read once per row, inside the union)."""
    out_there = (
        select(Asset.id.label("asset_id"), Asset.tag.label("tag"), Asset.category.label("category"),
               type_coerce(Asset.status, String).label("kind"),
               Asset.status_changed_at.label("exited_at"), Asset.recipient_id.label("recipient_id"),
               _receipt(Asset.id, Asset.tag).label("received_at"))
        .where(Asset.status.in_((S.TRANSFERRED, S.SOLD, S.DISPOSED)),
               or_(Asset.status != S.DISPOSED, Asset.recipient_id.is_(None)),
               _within(Asset.status_changed_at, period))
    )
    # Back after a second life (recipient recorded, status moved on): the handover is
    # the exit, dated by its audit event. Driven from the few such assets; each event is
    # found through the entity index (newest first: the handover is near the end), then
    # read by its primary key — never a join over the whole trail.
    ev = aliased(AuditEvent)
    handover_id = (
        select(ev.id)
        .where(ev.entity_type == "asset", ev.entity_id == Asset.id, ev.entity_ref == Asset.tag,
               ev.action.in_(("transfer", "sell")), ev.changes.like(STATUS_CHANGED))
        .order_by(ev.id.desc()).limit(1)
        .scalar_subquery()
    )
    returned = (
        select(Asset.id, Asset.tag, Asset.category, Asset.recipient_id,
               handover_id.label("event_id"))
        .where(Asset.status.in_((S.AWAITING_DISPOSAL, S.DISPOSED)), Asset.recipient_id.is_not(None),
               # the handover came before the return: a device whose status last changed
               # before the period cannot have been handed over in it
               _within(Asset.status_changed_at, Period(period.start, None)))
        # OFFSET 0 keeps PostgreSQL from inlining this subquery, which would repeat the
        # handover search for every use of its result
        .offset(0)
        .subquery("returned")
    )

    def handover(column):
        return select(column).where(AuditEvent.id == returned.c.event_id).scalar_subquery()

    handed_over = (
        select(returned.c.id, returned.c.tag, returned.c.category, returned.c.recipient_id,
               handover(AuditEvent.action).label("action"),
               handover(AuditEvent.occurred_at).label("occurred_at"))
        .subquery("handed_over")
    )
    came_back = (
        select(handed_over.c.id, handed_over.c.tag, handed_over.c.category,
               case((handed_over.c.action == "sell", literal(S.SOLD.value)),
                    else_=literal(S.TRANSFERRED.value)),
               handed_over.c.occurred_at, handed_over.c.recipient_id,
               _receipt(handed_over.c.id, handed_over.c.tag))
        .where(_within(handed_over.c.occurred_at, period))
    )
    return union_all(out_there, came_back).subquery("exits")


@dataclass(frozen=True)
class ExitGroup:
    """First exits of one kind, recipient type and category, with their days since intake."""

    kind: str  # "transferred", "sold" or "disposed"
    recipient_type: PartyType | None
    category: Category
    count: int
    days_known: int  # of which the intake date is known
    days_sum: float


def exit_groups(session: Session, actor, period: Period) -> list[ExitGroup]:
    """The first exits of the period in one aggregate; the exit figures are sums over it."""
    require(actor, PERMISSION)
    _read_only_figures(session)
    x = _first_exits(period)
    days = _days_between(_dialect(session), x.c.exited_at, x.c.received_at)
    stmt = (select(x.c.kind, Party.type, x.c.category, func.count(), func.count(days),
                   cast(func.sum(days), Float))
            .select_from(x).outerjoin(Party, Party.id == x.c.recipient_id)
            .group_by(x.c.kind, Party.type, x.c.category))
    return [ExitGroup(kind, PartyType(ptype) if ptype else None, Category(category), n, known,
                      float(total or 0.0))
            for kind, ptype, category, n, known, total in session.execute(stmt)]


def _second_life_of(groups: list[ExitGroup]) -> SecondLife:
    return SecondLife(sum(g.count for g in groups if g.kind in REUSED),
                      sum(g.count for g in groups if g.kind == S.DISPOSED.value))


def _destinations_of(groups: list[ExitGroup]) -> list[DestinationCount]:
    totals = dict.fromkeys(DESTINATIONS, 0)
    for g in groups:
        if g.kind == S.DISPOSED.value:
            key = "recycling"
        elif g.kind == S.SOLD.value:
            key = "staff"
        else:
            key = _DESTINATION_OF_RECIPIENT.get(g.recipient_type, "other")
        totals[key] += g.count
    return [DestinationCount(k, n) for k, n in totals.items() if k != "other" or n]


def _days_to_exit_of(groups: list[ExitGroup]) -> DaysToExit:
    known = sum(g.days_known for g in groups)
    total = sum(g.count for g in groups)
    average = sum(g.days_sum for g in groups) / known if known else None
    return DaysToExit(average, known, total - known)


def _co2e_of(groups: list[ExitGroup]) -> Co2eAvoided:
    factors = co2e_factors()
    counts = dict.fromkeys(Category, 0)
    for g in groups:
        if g.kind in REUSED:
            counts[g.category] += g.count
    lines = [Co2eLine(c, n, factors.by_category[c]) for c, n in counts.items() if n]
    return Co2eAvoided(lines, factors)


def second_life(session: Session, actor, period: Period) -> SecondLife:
    """(handed over + sold) against disposed of without a second life, over first exits."""
    return _second_life_of(exit_groups(session, actor, period))


def destinations(session: Session, actor, period: Period) -> list[DestinationCount]:
    """Where the devices that left in the period went; "other" only when there is any."""
    return _destinations_of(exit_groups(session, actor, period))


def days_to_exit(session: Session, actor, period: Period) -> DaysToExit:
    """Average days from the receive event to the first exit, over first exits in the period."""
    return _days_to_exit_of(exit_groups(session, actor, period))


def co2e_avoided(session: Session, actor, period: Period) -> Co2eAvoided:
    """Devices handed over or sold in the period, by category, times the category's factor."""
    return _co2e_of(exit_groups(session, actor, period))


def recycling_weight(session: Session, actor, period: Period) -> RecyclingWeight:
    """Kilograms of every device disposed of in the period (after a second life too)."""
    require(actor, PERMISSION)
    total, weighed, kg, came_back = session.execute(
        select(func.count(), func.count(Asset.weight_kg), func.sum(Asset.weight_kg),
               func.count(Asset.recipient_id))
        .where(Asset.status == S.DISPOSED, _within(Asset.status_changed_at, period))).one()
    kg = Decimal(str(kg or 0)).quantize(Decimal("0.01"))
    return RecyclingWeight(kg, total, total - weighed, came_back)


@dataclass(frozen=True)
class StaleStock:
    """Devices ready or received for longer than the threshold: stock nobody is moving on."""

    days: int  # the threshold (setting `stale_days`)
    received: int
    ready: int

    @property
    def devices(self) -> int:
        return self.received + self.ready


def stale_stock(session: Session, actor, days: int = DEFAULT_STALE_DAYS,
                now: dt.datetime | None = None) -> StaleStock:
    """Stale stock now, as the inventory flags it (served by the status/date index)."""
    require(actor, PERMISSION)
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    counts = dict(session.execute(
        select(Asset.status, func.count())
        .where(Asset.status.in_(sorted(STALE_STATUSES)), Asset.status_changed_at < cutoff)
        .group_by(Asset.status)).all())
    return StaleStock(days, counts.get(S.RECEIVED, 0), counts.get(S.READY, 0))


@dataclass(frozen=True)
class Figures:
    period: Period
    generated_at: dt.datetime
    received: list[MonthCount]
    stock: list[StockCell]
    second_life: SecondLife
    destinations: list[DestinationCount]
    days_to_exit: DaysToExit
    recycling: RecyclingWeight
    co2e: Co2eAvoided
    stale: StaleStock

    @property
    def received_total(self) -> int:
        return sum(m.count for m in self.received)

    @property
    def stock_total(self) -> int:
        return sum(c.count for c in self.stock)


def figures(session: Session, actor, period: Period,
            stale_days: int = DEFAULT_STALE_DAYS) -> Figures:
    """Every figure of the Reports page for one period (the exits are read once).
    Stock and stale stock are "now", whatever the period."""
    groups = exit_groups(session, actor, period)
    now = utcnow()
    return Figures(period, now, received_per_month(session, actor, period),
                   stock_by_status_and_category(session, actor), _second_life_of(groups),
                   _destinations_of(groups), _days_to_exit_of(groups),
                   recycling_weight(session, actor, period), _co2e_of(groups),
                   stale_stock(session, actor, stale_days, now))


# --- export ----------------------------------------------------------------------------

EXPORT_COLUMNS = (N_("Figure"), N_("Item"), N_("Value"), N_("Unit"), N_("Source"))


def export_rows(data: Figures) -> list[tuple]:
    """Every figure as rows of (figure, item, value, unit, source); values stay numbers."""
    from .documents.intake_receipt import category_name
    from .lifecycle import status_label

    devices = _("devices")
    rows: list[tuple] = [
        (_("Period"), data.period.label(), data.period.dates_label(), "", ""),
        (_("Generated on"), "", format_local(data.generated_at), "", ""),
    ]
    for m in data.received:
        rows.append((_("Devices received per month"), m.month, m.count, devices, ""))
    rows.append((_("Devices received per month"), _("Total"), data.received_total, devices, ""))
    for c in data.stock:
        rows.append((_("Stock now by status and category"),
                     f"{status_label(c.status)} / {category_name(c.category)}", c.count, devices, ""))
    rows.append((_("Stock now by status and category"), _("Total"), data.stock_total, devices, ""))
    stale = data.stale
    figure = _("Stale stock (more than {days} days ready or received)", days=stale.days)
    rows += [(figure, status_label(S.RECEIVED), stale.received, devices, ""),
             (figure, status_label(S.READY), stale.ready, devices, ""),
             (figure, _("Total"), stale.devices, devices, "")]
    sl = data.second_life
    figure = _("Second-life rate")
    rows += [(figure, _("Handed over or sold"), sl.reused, devices, ""),
             (figure, _("Disposed of without a second life"), sl.disposed, devices, ""),
             (figure, _("Rate"), round(sl.rate * 100, 1) if sl.rate is not None else "", "%", "")]
    for d in data.destinations:
        rows.append((_("Destinations"), d.label, d.count, devices, ""))
    dte = data.days_to_exit
    figure = _("Average days from intake to exit")
    rows += [(figure, _("Average"), round(dte.average_days, 1) if dte.average_days is not None
              else "", _("days"), ""),
             (figure, _("Devices with a known intake date"), dte.devices, devices, "")]
    rw = data.recycling
    figure = _("Sent to recycling")
    rows += [(figure, _("Weight"), rw.kg, "kg", ""),
             (figure, _("Devices disposed of"), rw.devices, devices, ""),
             (figure, _("of which after a second life"), rw.after_second_life, devices, ""),
             (figure, _("of which without a recorded weight"), rw.without_weight, devices, "")]
    co2e = data.co2e
    figure = _("CO2e avoided by reuse")
    note = _("Indicative factors, to be confirmed by the province's sustainability officer.") \
        if co2e.factors.indicative else ""
    for line in co2e.lines:
        name = category_name(line.category)
        source = line.factor.citation() or _("no factor: not counted")
        rows.append((figure, _("{category}: devices reused", category=name), line.devices,
                     devices, ""))
        rows.append((figure, _("{category}: factor", category=name),
                     line.factor.kg_co2e if line.factor.kg_co2e is not None else "",
                     _("kg CO2e per device"), source))
        rows.append((figure, _("{category}: avoided", category=name),
                     line.kg if line.kg is not None else "", "kg CO2e", source))
    rows.append((figure, _("Total"), co2e.kg, "kg CO2e", note))
    return rows


def export_figures(session: Session, actor, period: Period, path: str | Path) -> Path:
    """Read every figure of the period and write them to `path` (.xlsx or .csv)."""
    _check_export_path(path)
    return write_export(figures(session, actor, period), path)


def _check_export_path(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(N_("Export to a file that ends in .csv or .xlsx."))
    return suffix


def write_export(data: Figures, path: str | Path) -> Path:
    """Write figures already read (what a screen shows) to .xlsx (typed cells) or .csv.

    The CSV is UTF-8 with a byte-order mark and semicolons, which a Belgian Excel
    opens in columns; numbers keep a decimal point, so other tools read them too.
    """
    path = Path(path)
    suffix = _check_export_path(path)
    rows = export_rows(data)
    header = [_(c) for c in EXPORT_COLUMNS]
    from . import files

    with files.atomic_path(path) as tmp:  # a full disk leaves no half file (OutputFailed)
        if suffix == ".csv":
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh, delimiter=";")
                writer.writerow(header)
                writer.writerows(rows)
        else:
            _write_xlsx(tmp, header, rows)
    return path


def _write_xlsx(path: Path, header: list[str], rows: list[tuple]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Figures")[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for column, width in zip("ABCDE", (36, 44, 14, 22, 60), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    book.save(path)
