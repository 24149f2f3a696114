"""The inventory: find any device among a million, a page at a time, and see one device whole.

`page()` returns plain rows (only the visible columns, location and origin
names joined in), `count()` the number of matches; both take an
`InventoryQuery` and may be cancelled half-way (`should_stop`) when the
person has typed on. `asset_view()` gathers what the detail screen shows:
fields, storage media with their sanitisation state, the history from the
audit trail, the documents and the lifecycle actions its status allows.

How it stays fast without a full sort of a million rows: a page is read in
the order of an index wherever one exists (tag, serial, status + time in
status, category, model, location, origin), and columns with few values
(status, category, grade, model, location, origin) are walked group by group
in display order, each group along its own index. Filters are then checked
row by row on the way, which finds a page after a few hundred rows unless
the filter is rare; a rare filter (known from exact per-value counts, or a
capped count along its index) instead reads its own index and sorts the few
matches. On SQLite the choice is made explicit (a unary `+` hides a column
from the planner, which has no statistics); an optimistic walk that turns
out long is cut off after a fixed budget and redone the other way. The
cursor remembers the way a listing was read, so later pages continue it
exactly (keyset pagination: deep pages cost what the first one did).

Model and manufacturer are searched by substring without a trigram index:
a warehouse holds a few hundred distinct models, kept in memory per database
with their counts (`Statistics`), so "lati" becomes `model IN (…)` on the
model index. The counts are built once (off the GUI thread) and kept up to
date from the audit trail, which records every change of an asset.

Age is walked like the serial: the devices with a purchase date along its
index (migration 0006), then those without one.
"""

from __future__ import annotations

import datetime as dt
import enum
import heapq
import json
import math
import re
import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import (
    Date,
    Engine,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from ..i18n import N_, _, current_language
from ..models import (
    Asset,
    AssetStatus,
    AuditEvent,
    Category,
    ChecklistResult,
    DocumentKind,
    Grade,
    IntakeLot,
    Location,
    Party,
    SanitisationRecord,
    SparePart,
    StorageMedium,
    User,
    VerificationResult,
    utcnow,
)
from ..timefmt import BRUSSELS, format_local, local
from . import lifecycle, locations, permissions, refurbishment, sanitisation
from .assets import age_months
from .codes import TAG_DIGITS, TAG_PREFIX, ScanKind, classify, normalise_serial
from .documents.intake_receipt import category_name
from .documents.issued import documents_for_asset, get_document
from .documents.sanitisation_certificate import (
    MEDIUM_KIND_NAMES,
    METHOD_NAMES,
    RESULT_NAMES,
    TECHNIQUE_NAMES,
)
from .errors import InvalidTag, NotFound
from .sanitisation import MediumState

A = Asset.__table__
LOC = Location.__table__
PARTY = Party.__table__

# --- settings ----------------------------------------------------------------------

STALE_SETTING = "stale_days"  # key in Settings.extra
DEFAULT_STALE_DAYS = 60
STALE_STATUSES = frozenset({AssetStatus.RECEIVED, AssetStatus.READY})


def stale_days(extra: Mapping | None) -> int:
    """The stale-stock threshold in days from the settings (`Settings.extra["stale_days"]`)."""
    try:
        days = int((extra or {}).get(STALE_SETTING, DEFAULT_STALE_DAYS))
    except (TypeError, ValueError):
        return DEFAULT_STALE_DAYS
    return days if days > 0 else DEFAULT_STALE_DAYS


def days_since(moment: dt.datetime, now: dt.datetime) -> int:
    """Calendar days in Brussels from `moment` to `now`: received yesterday evening is 1 day ago
    this morning, and a night of 23 or 25 hours (clock change) still counts as one day."""
    return max(0, (local(now).date() - local(moment).date()).days)


def is_stale(status: AssetStatus | None, changed_at: dt.datetime | None, days: int,
             now: dt.datetime | None = None) -> bool:
    if status not in STALE_STATUSES or changed_at is None:
        return False
    return changed_at < (now or utcnow()) - dt.timedelta(days=days)


# --- the query ---------------------------------------------------------------------

class SortColumn(enum.StrEnum):
    TAG = "tag"
    STATUS = "status"
    CATEGORY = "category"
    MODEL = "model"
    SERIAL = "serial"
    GRADE = "grade"
    LOCATION = "location"
    ORIGIN = "origin"
    AGE = "age"
    DAYS_IN_STATUS = "days_in_status"


class DataStatus(enum.StrEnum):
    HOLDS_DATA = "holds_data"
    NO_DATA = "no_data"
    UNSANITISED = "unsanitised"  # holds data, and not every medium verifiably sanitised


# The order of the status column: the lifecycle's own order, not the alphabet.
STATUS_ORDER = (AssetStatus.ANNOUNCED, AssetStatus.RECEIVED, AssetStatus.IN_REFURBISHMENT,
                AssetStatus.READY, AssetStatus.RESERVED, AssetStatus.TRANSFERRED, AssetStatus.SOLD,
                AssetStatus.AWAITING_DISPOSAL, AssetStatus.DISPOSED)
GRADE_ORDER: tuple[Grade | None, ...] = (Grade.A, Grade.B, Grade.C, Grade.D, None)


@dataclass(frozen=True)
class InventoryQuery:
    search: str = ""  # tag prefix, serial prefix, model or manufacturer substring
    statuses: frozenset[AssetStatus] = frozenset()
    categories: frozenset[Category] = frozenset()
    grades: frozenset[Grade | None] = frozenset()  # None: not graded
    location_ids: frozenset[int] = frozenset()
    origin_ids: frozenset[int] = frozenset()
    age_min_months: int | None = None
    age_max_months: int | None = None
    data_status: DataStatus | None = None
    stale_only: bool = False
    sort: SortColumn = SortColumn.TAG
    descending: bool = False
    stale_days: int = DEFAULT_STALE_DAYS


@dataclass(frozen=True, slots=True)
class InventoryRow:
    id: int
    tag: str
    status: AssetStatus
    category: Category
    manufacturer: str
    model: str
    serial: str | None
    grade: Grade | None
    location: str | None  # location code
    origin: str | None  # origin service name
    purchase_date: dt.date | None
    status_changed_at: dt.datetime
    age_months: int | None
    days_in_status: int
    stale: bool


@dataclass(frozen=True)
class Cursor:
    """Where a listing stopped: how it was read (`plan`) and the sort key of its last row."""

    plan: str
    key: tuple
    index: str | None = None  # the filter whose index the "sort" plan reads


@dataclass(frozen=True)
class Page:
    rows: list[InventoryRow]
    next: Cursor | None  # None: this was the last page


class QueryCancelled(Exception):
    """The query was stopped because its answer is no longer wanted (the person typed on)."""


PAGE_SIZE = 100
FEW_MATCHES_FACTOR = 1.5  # see few_matches()
WALK_BUDGET = 200  # SQLite progress-handler ticks of 1000 VM steps (~20 ms) before a walk gives up
_TICK = 1000


# --- SQLite planner hints ------------------------------------------------------------

class unindexed(ColumnElement):
    """A column the SQLite planner must not use an index for (`+col`); plain elsewhere.

    SQLite has no statistics here and prefers any usable index, even one that
    reads 100 000 rows and sorts them where walking the sort index would stop
    after 200. The plan is chosen in Python from exact counts instead.
    """

    __visit_name__ = "inventory_unindexed"
    _traverse_internals: ClassVar = [("element", InternalTraversal.dp_clauseelement)]
    inherit_cache = True

    def __init__(self, element: ColumnElement) -> None:
        self.element = element
        self.type = element.type


@compiles(unindexed)
def _compile_unindexed(element, compiler, **kw):
    return compiler.process(element.element, **kw)


@compiles(unindexed, "sqlite")
def _compile_unindexed_sqlite(element, compiler, **kw):
    return "+" + compiler.process(element.element, **kw)


@contextmanager
def _interruptible(session: Session, should_stop: Callable[[], bool] | None,
                   budget: int | None = None) -> Iterator[dict]:
    """Stop a running SQLite query when `should_stop()` says so or when `budget` ticks are spent."""
    state = {"ticks": 0, "over": False, "stopped": False}
    conn = session.connection()
    raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
    if raw is None or (should_stop is None and budget is None):
        yield state
        return

    def handler() -> int:
        state["ticks"] += 1
        if should_stop is not None and should_stop():
            state["stopped"] = True
            return 1
        if budget is not None and state["ticks"] > budget:
            state["over"] = True
            return 1
        return 0

    raw.set_progress_handler(handler, _TICK)
    try:
        yield state
    except OperationalError as err:
        if state["stopped"]:
            raise QueryCancelled() from err
        raise
    finally:
        raw.set_progress_handler(None, 0)


# --- statistics: exact counts per value, kept up to date from the audit trail ------------

TRACKED = {"status": "status", "category": "category", "location_id": "location",
           "origin_service_id": "origin", "model": "model", "manufacturer": "maker", "grade": "grade"}


@dataclass
class Statistics:
    """How many assets have each status, category, grade, location, origin, model, manufacturer."""

    total: int = 0
    max_id: int = 0
    audit_seq: int = 0
    built_at: float = 0.0
    counts: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in TRACKED.values()})
    model_maker: dict[str, str] = field(default_factory=dict)  # a manufacturer seen with each model
    grades_counted: bool = False  # grade has no index: counted (one pass) only when needed

    def copy(self) -> Statistics:
        return Statistics(self.total, self.max_id, self.audit_seq, self.built_at,
                          {k: Counter(v) for k, v in self.counts.items()}, dict(self.model_maker),
                          self.grades_counted)

    def present(self, what: str) -> list:
        """Every value seen since the counts were made, even one counted down to none: a count
        is exact only as far as the audit trail and the first count met in time, and a value
        read as empty is a group the list would skip. An empty group costs one index seek."""
        return list(self.counts[what])

    def matching(self, what: str, needle: str) -> list[str]:
        needle = needle.casefold()
        return [v for v in self.present(what) if v is not None and needle in v.casefold()]

    def _value(self, what: str, raw):
        if raw is None:
            return None
        if what == "status":
            return AssetStatus(raw)
        if what == "category":
            return Category(raw)
        if what == "grade":
            return Grade(raw)
        return raw

    def apply_event(self, changes: dict) -> None:
        """Count one audited change of an asset (an insert names the tag as [None, tag])."""
        tag = changes.get("tag")
        inserted = tag is not None and tag[0] is None
        deleted = tag is not None and tag[1] is None
        for column, what in TRACKED.items():
            old, new = changes.get(column, [None, None])
            if inserted:
                self.counts[what][self._value(what, new)] += 1
            elif deleted:
                self.counts[what][self._value(what, old)] -= 1
            elif column in changes:
                self.counts[what][self._value(what, old)] -= 1
                self.counts[what][self._value(what, new)] += 1
        self.total += 1 if inserted else -1 if deleted else 0
        model = changes.get("model", [None, None])[1]
        if model and model not in self.model_maker:
            maker = changes.get("manufacturer", [None, None])[1]
            self.model_maker[model] = maker or ""


class _StatisticsCache:
    """One `Statistics` per database engine, shared by the worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_engine: weakref.WeakKeyDictionary[Engine, Statistics] = weakref.WeakKeyDictionary()
        self._building: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()

    def get(self, session: Session, rebuild_after: float | None = None,
            grades: bool = False) -> Statistics:
        """The counts, caught up with the audit trail. A published `Statistics` is never changed
        again (readers in other threads hold it): a change makes a new one."""
        engine = session.get_bind()
        with self._lock:
            build_lock = self._building.setdefault(engine, threading.Lock())
        with build_lock:  # one builder per database; the others wait for its result
            with self._lock:
                stats = self._by_engine.get(engine)
            too_old = (stats is not None and rebuild_after is not None
                       and time.monotonic() - stats.built_at > rebuild_after)
            fresh = None if stats is None or too_old else _catch_up(session, stats)
            if fresh is None:
                fresh = _build(session)
            if grades and not fresh.grades_counted:
                fresh = fresh.copy()
                fresh.counts["grade"] = Counter(dict(session.execute(
                    select(A.c.grade, func.count()).group_by(A.c.grade)).all()))
                fresh.grades_counted = True
            if fresh is not stats:
                with self._lock:
                    self._by_engine[engine] = fresh
            return fresh

    def forget(self, engine: Engine) -> None:
        with self._lock:
            self._by_engine.pop(engine, None)


_CACHE = _StatisticsCache()


def statistics(session: Session, rebuild_after: float | None = None,
               grades: bool = False) -> Statistics:
    """The per-value counts, built on first use (~0.5 s for a million assets) and kept exact.

    Call it once off the GUI thread when the inventory opens, so the first
    keystroke does not pay for building it; `rebuild_after` (seconds)
    recounts from scratch when the counts are older; `grades` counts the
    grades too (a pass over the whole table: grade has no index).
    """
    return _CACHE.get(session, rebuild_after, grades)


class _Stats:
    """The statistics of one query, fetched only when the query needs them."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._stats: Statistics | None = None

    def __call__(self, grades: bool = False) -> Statistics:
        if self._stats is None or (grades and not self._stats.grades_counted):
            self._stats = statistics(self._session, grades=grades)
        return self._stats


def _build(session: Session) -> Statistics:
    stats = Statistics()
    stats.audit_seq = session.scalar(select(func.max(AuditEvent.seq))) or 0
    stats.max_id = session.scalar(select(func.max(A.c.id))) or 0
    for column, what in TRACKED.items():
        if what == "grade":
            continue
        col = A.c[column]
        for value, n in session.execute(select(col, func.count()).group_by(col)):
            stats.counts[what][value] = n
    stats.total = sum(stats.counts["status"].values())
    for model in stats.present("model"):  # one index seek per model
        stats.model_maker[model] = session.scalar(
            select(A.c.manufacturer).where(A.c.model == model).limit(1)) or ""
    stats.built_at = time.monotonic()
    return stats


def _catch_up(session: Session, stats: Statistics) -> Statistics | None:
    """The counts with the asset changes audited since; None when they must be made again."""
    seq = session.scalar(select(func.max(AuditEvent.seq))) or 0
    newest = session.scalar(select(func.max(A.c.id))) or 0
    if seq == stats.audit_seq and newest <= stats.max_id:
        return stats
    fresh = stats.copy()
    events = session.execute(
        select(AuditEvent.entity_id, AuditEvent.changes)
        .where(AuditEvent.seq > stats.audit_seq, AuditEvent.seq <= seq, AuditEvent.entity_type == "asset")
        .order_by(AuditEvent.seq))
    for entity_id, changes in events:
        fresh.apply_event(json.loads(changes))
        fresh.max_id = max(fresh.max_id, entity_id or 0)
    fresh.audit_seq = seq
    # Rows written without the audit trail (a benchmark's bulk seeding): count again.
    return fresh if newest <= fresh.max_id else None


def forget_statistics(session: Session) -> None:
    _CACHE.forget(session.get_bind())


# --- filters --------------------------------------------------------------------------

_TAG_PREFIX_RE = re.compile(rf"^(?:C|{TAG_PREFIX}\d{{0,{TAG_DIGITS + 1}}})$")


def _prefix_range(col, prefix: str):
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(col >= prefix, col < upper)


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _first_of_month(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _unsanitised():
    """Holds data, and some medium lacks a verified, passed latest sanitisation record (made
    after the device's return from its second life, if it came back: sanitisation.py's rule)."""
    media, rec, later = StorageMedium.__table__, SanitisationRecord.__table__, SanitisationRecord.__table__.alias()
    since_return = or_(A.c.returned_at.is_(None), rec.c.performed_at > A.c.returned_at)
    verified_latest = exists().where(
        rec.c.medium_id == media.c.id,
        rec.c.verification_result == VerificationResult.PASSED,
        rec.c.verifier_id.is_not(None), since_return,
        ~exists().where(later.c.medium_id == rec.c.medium_id, later.c.id > rec.c.id)
    ).correlate(A, media)  # the outer query's device and medium, not new FROM entries
    no_media = ~exists().where(media.c.asset_id == A.c.id)
    open_medium = exists().where(media.c.asset_id == A.c.id, ~verified_latest)
    return and_(A.c.data_bearing == true(), or_(no_media, open_medium))


@dataclass
class _Search:
    tag: str | None
    serial: str | None
    models: list[str]
    makers: list[str]

    @classmethod
    def of(cls, text: str, stats: _Stats) -> _Search | None:
        text = " ".join(text.split())
        if not text:
            return None
        known = stats()
        upper = text.upper()
        serial = normalise_serial(text)
        return cls(tag=upper if _TAG_PREFIX_RE.match(upper) else None, serial=serial or None,
                   models=known.matching("model", text), makers=known.matching("maker", text))

    def term(self, use_index: bool):
        wrap = (lambda c: c) if use_index else unindexed
        terms = []
        if self.tag:
            terms.append(_prefix_range(wrap(A.c.tag), self.tag))
        if self.serial:
            terms.append(_prefix_range(wrap(A.c.serial_normalised), self.serial))
        if self.models:
            terms.append(wrap(A.c.model).in_(self.models))
        if self.makers:
            terms.append(wrap(A.c.manufacturer).in_(self.makers))
        return or_(*terms) if terms else false()


@dataclass
class _Filters:
    """The WHERE terms of a query; `index` names the one filter whose index may be used."""

    q: InventoryQuery
    now: dt.datetime
    search: _Search | None

    @property
    def cutoff(self) -> dt.datetime:
        return self.now - dt.timedelta(days=self.q.stale_days)

    def indexable(self) -> list[str]:
        names = [n for n, on in (("status", self.q.statuses), ("category", self.q.categories),
                                 ("location", self.q.location_ids), ("origin", self.q.origin_ids),
                                 ("search", self.search), ("stale", self.q.stale_only)) if on]
        return names

    def terms(self, index: str | None = None, skip: frozenset[str] = frozenset()) -> list:
        q = self.q

        def col(name: str, column):
            return column if name == index else unindexed(column)

        out = []
        if q.statuses and "status" not in skip:
            out.append(col("status", A.c.status).in_(sorted(q.statuses)))
        if q.categories and "category" not in skip:
            out.append(col("category", A.c.category).in_(sorted(q.categories)))
        if q.location_ids and "location" not in skip:
            out.append(col("location", A.c.location_id).in_(sorted(q.location_ids)))
        if q.origin_ids and "origin" not in skip:
            out.append(col("origin", A.c.origin_service_id).in_(sorted(q.origin_ids)))
        if self.search is not None and "search" not in skip:
            out.append(self.search.term(use_index=index == "search"))
        if q.stale_only and "stale" not in skip:
            out.append(col("stale", A.c.status).in_(sorted(STALE_STATUSES)))
            out.append(col("stale", A.c.status_changed_at) < self.cutoff)
        if q.grades:
            grade = unindexed(A.c.grade)
            named = sorted(g for g in q.grades if g is not None)
            parts = [grade.in_(named)] if named else []
            if None in q.grades:
                parts.append(grade.is_(None))
            out.append(or_(*parts))
        today = local(self.now).date()  # Brussels: at 00:30 on the 1st, UTC is last month
        if q.age_min_months is not None:  # age in whole months, as assets.age_months counts it
            bound = _first_of_month(_month_index(today) - q.age_min_months + 1)
            out.append(unindexed(A.c.purchase_date) < bound)
        if q.age_max_months is not None:
            bound = _first_of_month(_month_index(today) - q.age_max_months)
            out.append(unindexed(A.c.purchase_date) >= bound)
        if q.data_status == DataStatus.HOLDS_DATA:
            out.append(unindexed(A.c.data_bearing) == true())
        elif q.data_status == DataStatus.NO_DATA:
            out.append(unindexed(A.c.data_bearing) == false())
        elif q.data_status == DataStatus.UNSANITISED:
            out.append(_unsanitised())
        return out


def few_matches(total: int, limit: int) -> int:
    """Up to how many matches a filter's own index is read and its rows sorted.

    Walking the sort order's index visits about limit × total / matches rows to fill a page;
    reading the matches costs about their number. The two meet at √(limit × total): some
    15 000 rows for a page of 100 in a million.
    """
    return int(FEW_MATCHES_FACTOR * math.sqrt(max(total, 1) * limit))


def _capped_count(session: Session, where, cap: int) -> int:
    inner = select(literal(1)).select_from(A).where(where).limit(cap).subquery()
    return session.scalar(select(func.count()).select_from(inner)) or 0


def _estimates(session: Session, f: _Filters, stats: _Stats, few: int) -> dict[str, int]:
    """Rows each indexable filter matches: exact from the counts, or counted along its index
    up to just past `few` (beyond that, how many more does not change the plan)."""
    q = f.q
    c = stats().counts if (q.statuses or q.categories or q.location_ids or q.origin_ids
                           or f.search) else {}
    cap = few + 1
    est: dict[str, int] = {}
    if q.statuses:
        est["status"] = sum(c["status"][s] for s in q.statuses)
    if q.categories:
        est["category"] = sum(c["category"][x] for x in q.categories)
    if q.location_ids:
        est["location"] = sum(c["location"][x] for x in q.location_ids)
    if q.origin_ids:
        est["origin"] = sum(c["origin"][x] for x in q.origin_ids)
    if f.search is not None:
        s = f.search
        n = sum(c["model"][m] for m in s.models) + sum(c["maker"][m] for m in s.makers)
        if n < cap and s.tag:
            n += _capped_count(session, _prefix_range(A.c.tag, s.tag), cap)
        if n < cap and s.serial:
            n += _capped_count(session, _prefix_range(A.c.serial_normalised, s.serial), cap)
        est["search"] = n
    if q.stale_only:
        est["stale"] = _capped_count(session, and_(A.c.status.in_(sorted(STALE_STATUSES)),
                                                   A.c.status_changed_at < f.cutoff), cap)
    return est


# --- rows -------------------------------------------------------------------------------

_ROW_COLUMNS = (A.c.id, A.c.tag, A.c.status, A.c.category, A.c.manufacturer, A.c.model, A.c.serial,
                A.c.serial_normalised, A.c.grade, LOC.c.code.label("location"), PARTY.c.name.label("origin"),
                A.c.purchase_date, A.c.status_changed_at)
_FROM = A.outerjoin(LOC, LOC.c.id == A.c.location_id).outerjoin(PARTY, PARTY.c.id == A.c.origin_service_id)


def _row(r, q: InventoryQuery, now: dt.datetime) -> InventoryRow:
    today = local(now).date()
    age = None if r.purchase_date is None else _month_index(today) - _month_index(r.purchase_date)
    return InventoryRow(r.id, r.tag, r.status, r.category, r.manufacturer, r.model, r.serial, r.grade,
                        r.location, r.origin, r.purchase_date, r.status_changed_at, age,
                        days_since(r.status_changed_at, now),
                        is_stale(r.status, r.status_changed_at, q.stale_days, now))


def _after(cols: list, key: tuple, descending: bool):
    """Keyset condition: rows after `key` in the order of `cols` (row-value comparison)."""
    left = tuple_(*cols) if len(cols) > 1 else cols[0]
    values = [literal(v, type_=c.type) for c, v in zip(cols, key, strict=True)]
    right = tuple_(*values) if len(cols) > 1 else values[0]
    return left < right if descending else left > right


def _ordered(cols: list, descending: bool) -> list:
    return [c.desc() if descending else c.asc() for c in cols]


# --- the "sort" plan: read the filtered rows (one index at most) and let the database sort --------

def _category_rank():
    order = sorted(Category, key=lambda c: category_name(c).casefold())
    return case({c.value: i for i, c in enumerate(order)}, value=unindexed(A.c.category), else_=99)


def _sort_keys(sort: SortColumn) -> list:
    """The sort key of each column as SQL expressions, hidden from the planner, before the id."""
    u = unindexed
    if sort == SortColumn.TAG:
        return [u(A.c.tag)]
    if sort == SortColumn.STATUS:
        rank = case({s.value: i for i, s in enumerate(STATUS_ORDER)}, value=u(A.c.status), else_=99)
        return [rank, u(A.c.status_changed_at)]
    if sort == SortColumn.CATEGORY:
        return [_category_rank()]
    if sort == SortColumn.MODEL:
        return [func.lower(u(A.c.manufacturer)), func.lower(u(A.c.model)), u(A.c.model)]
    if sort == SortColumn.SERIAL:
        return [u(A.c.serial_normalised).is_(None), func.coalesce(u(A.c.serial_normalised), "")]
    if sort == SortColumn.GRADE:
        return [case({g.value: i for i, g in enumerate(GRADE_ORDER) if g}, value=u(A.c.grade), else_=9)]
    if sort == SortColumn.LOCATION:
        return [LOC.c.code.is_(None), func.lower(func.coalesce(LOC.c.code, "")),
                func.coalesce(u(A.c.location_id), 0)]
    if sort == SortColumn.ORIGIN:
        return [PARTY.c.name.is_(None), func.lower(func.coalesce(PARTY.c.name, "")),
                func.coalesce(u(A.c.origin_service_id), 0)]
    if sort == SortColumn.AGE:
        return [u(A.c.purchase_date).is_(None),
                func.coalesce(u(A.c.purchase_date), literal(dt.date(1, 1, 1), type_=Date))]
    return [u(A.c.status_changed_at)]  # DAYS_IN_STATUS


# Columns whose ascending order is the reverse of their key: fewest days and youngest first.
FLIPPED = {SortColumn.AGE, SortColumn.DAYS_IN_STATUS}


def _descending(q: InventoryQuery) -> bool:
    return q.descending != (q.sort in FLIPPED)


def _sort_plan(session: Session, f: _Filters, index: str | None, after: tuple | None,
               limit: int) -> tuple[list, tuple | None]:
    """Sort the matching rows by their key and id; the page's rows are joined afterwards."""
    q, desc = f.q, _descending(f.q)
    keys = [*_sort_keys(q.sort), A.c.id]
    source = _FROM if q.sort in (SortColumn.LOCATION, SortColumn.ORIGIN) else A
    inner = select(*(k.label(f"k{i}") for i, k in enumerate(keys))).select_from(source)
    inner = inner.where(*f.terms(index))
    if after is not None:
        inner = inner.where(_after(keys, after, desc))
    inner = inner.order_by(*_ordered(keys, desc)).limit(limit).subquery()
    ks = [inner.c[f"k{i}"] for i in range(len(keys))]
    stmt = (select(*_ROW_COLUMNS, *ks).select_from(_FROM.join(inner, inner.c[f"k{len(keys) - 1}"] == A.c.id))
            .order_by(*_ordered(ks, desc)))
    rows = session.execute(stmt).all()
    last = tuple(rows[-1][-len(keys):]) if rows else None
    return rows, last


# --- the "walk" plans: read along the index that gives the order ---------------------------------

@dataclass
class _Groups:
    """A walk group by group: the column, its values in display order, the key inside a group."""

    column: object  # None for the serial walk (serials, then devices without one)
    values: list
    order: Callable[[object], object]  # where a value sits in the display order
    within: list
    replaces: frozenset[str]  # filters the choice of groups already applies
    optional: object = None  # for column None: the column walked, rows without a value last


def _groups(session: Session, f: _Filters, need: _Stats) -> _Groups:
    q = f.q
    by_id = [A.c.id]
    # Status and category have few values, each with an index: an empty group costs one
    # seek, so they are walked without the counts. The others skip values nobody has.
    if q.sort == SortColumn.STATUS:
        values = [s for s in STATUS_ORDER if (not q.statuses or s in q.statuses)
                  and (not q.stale_only or s in STALE_STATUSES)]
        return _Groups(A.c.status, values, STATUS_ORDER.index, [A.c.status_changed_at, A.c.id],
                       frozenset({"status", "stale"}))
    if q.sort == SortColumn.CATEGORY:
        def rank(x):
            return category_name(x).casefold(), x.value
        values = sorted((x for x in Category if not q.categories or x in q.categories), key=rank)
        return _Groups(A.c.category, values, rank, by_id, frozenset({"category"}))
    stats = need(grades=q.sort == SortColumn.GRADE)
    c = stats.counts
    if q.sort == SortColumn.GRADE:
        values = [g for g in GRADE_ORDER if g in c["grade"] and (not q.grades or g in q.grades)]
        return _Groups(A.c.grade, values, GRADE_ORDER.index, by_id, frozenset())
    if q.sort == SortColumn.MODEL:
        def rank(m):  # lower() as in SQL, so both ways of reading give the same order
            return stats.model_maker.get(m, "").lower(), m.lower(), m
        return _Groups(A.c.model, sorted(stats.present("model"), key=rank), rank, by_id, frozenset())
    if q.sort in (SortColumn.LOCATION, SortColumn.ORIGIN):
        loc = q.sort == SortColumn.LOCATION
        table, column, what = (LOC, A.c.location_id, "location") if loc else (PARTY, A.c.origin_service_id, "origin")
        chosen = q.location_ids if loc else q.origin_ids
        names = dict(session.execute(select(table.c.id, table.c.code if loc else table.c.name)).all())
        c = stats.counts

        def rank(i):  # devices without a location or origin come last
            return (1, "", 0) if i is None else (0, names.get(i, "").lower(), i)
        values = sorted((i for i in c[what] if not chosen or i in chosen),
                        key=rank)
        return _Groups(column, values, rank, by_id, frozenset({what}))
    # Serial and age: the rows with a value along the column's index, then those without.
    optional = A.c.purchase_date if q.sort == SortColumn.AGE else A.c.serial_normalised
    return _Groups(None, [True, False], lambda has_value: not has_value, [], frozenset(), optional)


def _walk(session: Session, f: _Filters, stats: _Stats, after: tuple | None,
          limit: int) -> tuple[list, tuple | None]:
    q, desc = f.q, _descending(f.q)
    if q.sort == SortColumn.TAG:
        stmt = select(*_ROW_COLUMNS).select_from(_FROM).where(*f.terms(None))
        if after is not None:
            stmt = stmt.where(_after([A.c.tag], after, desc))
        rows = session.execute(stmt.order_by(*_ordered([A.c.tag], desc)).limit(limit)).all()
        return rows, ((rows[-1].tag,) if rows else None)
    if q.sort == SortColumn.DAYS_IN_STATUS:
        return _merge_by_status(session, f, after, limit)
    g = _groups(session, f, stats)
    terms = f.terms(None, skip=g.replaces)
    values = list(reversed(g.values)) if desc else g.values
    start, inner_after = 0, None
    if after is not None:
        if after[0] in values:
            start, inner_after = values.index(after[0]), after[1:]
        else:  # that group has gone (emptied): go on with the next one in display order
            mark = g.order(after[0])
            start = next((i for i, v in enumerate(values)
                          if (g.order(v) < mark if desc else g.order(v) > mark)), len(values))
    rows: list = []
    for position in range(start, len(values)):
        value = values[position]
        if g.column is None:  # the serial or age walk
            cols = [g.optional, A.c.id] if value else [A.c.id]
            where = [g.optional.is_not(None) if value else g.optional.is_(None)]
        else:
            cols = g.within
            where = [g.column.is_(None) if value is None else g.column == value]
        if q.stale_only and "stale" in g.replaces:
            where.append(A.c.status_changed_at < f.cutoff)
        stmt = select(*_ROW_COLUMNS).select_from(_FROM).where(*where, *terms)
        if position == start and inner_after:
            stmt = stmt.where(_after(cols, inner_after, desc))
        found = session.execute(stmt.order_by(*_ordered(cols, desc)).limit(limit - len(rows))).all()
        rows.extend((value, r) for r in found)
        if len(rows) >= limit:
            break
    if not rows:
        return [], None
    value, last = rows[-1]
    if g.column is None:
        key = (value, getattr(last, g.optional.name), last.id) if value else (value, last.id)
    elif q.sort == SortColumn.STATUS:
        key = (value, last.status_changed_at, last.id)
    else:
        key = (value, last.id)
    return [r for _v, r in rows], key


def _merge_by_status(session: Session, f: _Filters, after: tuple | None, limit: int):
    """Days in status: one walk per status along (status, status_changed_at), merged."""
    q, desc = f.q, _descending(f.q)
    statuses = [s for s in STATUS_ORDER if (not q.statuses or s in q.statuses)
                and (not q.stale_only or s in STALE_STATUSES)]
    terms = f.terms(None, skip=frozenset({"status", "stale"}))
    cols = [A.c.status_changed_at, A.c.id]
    streams = []
    for status in statuses:
        where = [A.c.status == status, *terms]
        if q.stale_only:
            where.append(A.c.status_changed_at < f.cutoff)
        stmt = select(*_ROW_COLUMNS).select_from(_FROM).where(*where)
        if after is not None:
            stmt = stmt.where(_after(cols, after, desc))
        streams.append(session.execute(stmt.order_by(*_ordered(cols, desc)).limit(limit)).all())
    merged = heapq.merge(*streams, key=lambda r: (r.status_changed_at, r.id), reverse=desc)
    rows = [r for _i, r in zip(range(limit), merged, strict=False)]
    return rows, ((rows[-1].status_changed_at, rows[-1].id) if rows else None)


# --- the service functions -------------------------------------------------------------------

def _plan(session: Session, f: _Filters, stats: _Stats,
          limit: int) -> tuple[str, str | None, dict[str, int]]:
    """How to read: "sort" a few matches found along one filter's index, or "walk" the order."""
    few = few_matches(stats().total, limit) if f.indexable() else 0
    est = _estimates(session, f, stats, few)
    best = min(est, key=est.get) if est else None
    if best is not None and est[best] <= few:
        return "sort", best, est
    return "walk", best, est


def _worth_its_index(best: str | None, est: dict[str, int], stats: _Stats) -> str | None:
    # Jumping from an index entry to its row costs more than reading rows in a row;
    # past about a third of the table one pass over it is faster.
    if best is None or best not in est:
        return None
    return best if est[best] * 3 < max(stats().total, 1) else None


def page(session: Session, q: InventoryQuery, after: Cursor | None = None, limit: int = PAGE_SIZE, *,
         now: dt.datetime | None = None, should_stop: Callable[[], bool] | None = None) -> Page:
    """One page of the inventory in the query's order, after `after` (None: the first page)."""
    now = now or utcnow()
    stats = _Stats(session)
    f = _Filters(q, now, _Search.of(q.search, stats))
    if after is None:
        plan, index, est = _plan(session, f, stats, limit)
        key = None
    else:
        plan, index, key, est = after.plan, after.index, after.key, {}
    rows = None
    if plan == "walk":
        if q.sort in (SortColumn.MODEL, SortColumn.LOCATION, SortColumn.ORIGIN, SortColumn.GRADE):
            stats(grades=q.sort == SortColumn.GRADE)  # outside the walk's budget
        # The first page may give up a walk that meets too few matches; a later page
        # continues the way the first one read, whatever it costs (off the GUI thread).
        sqlite = session.get_bind().dialect.name == "sqlite"
        budget = WALK_BUDGET if sqlite and after is None else None
        with _interruptible(session, should_stop, budget) as state:
            try:
                rows, last = _walk(session, f, stats, key, limit)
            except OperationalError:
                if not state["over"]:
                    raise
                session.rollback()
        if rows is None:
            plan, index = "sort", _worth_its_index(index, est, stats)
    if plan == "sort":
        with _interruptible(session, should_stop):
            rows, last = _sort_plan(session, f, index, key, limit)
    more = len(rows) == limit and last is not None
    return Page([_row(r, q, now) for r in rows], Cursor(plan, last, index) if more else None)


def count(session: Session, q: InventoryQuery, *, now: dt.datetime | None = None,
          should_stop: Callable[[], bool] | None = None) -> int:
    """How many assets match the query (exact; off the GUI thread, it may take a moment)."""
    now = now or utcnow()
    stats = _Stats(session)
    f = _Filters(q, now, _Search.of(q.search, stats))
    given = f.indexable()
    residual = bool(q.grades or q.age_min_months is not None or q.age_max_months is not None
                    or q.data_status)
    if not given and not residual:
        return stats().total
    few = few_matches(stats().total, PAGE_SIZE) if given else 0
    est = _estimates(session, f, stats, few)
    if len(given) == 1 and not residual and given[0] in ("status", "category", "location", "origin"):
        return est[given[0]]  # exact from the counts
    best = min(est, key=est.get) if est else None
    index = best if best is not None and est[best] <= few else _worth_its_index(best, est, stats)
    with _interruptible(session, should_stop):
        return session.scalar(select(func.count()).select_from(A).where(*f.terms(index))) or 0


def rows_by_id(session: Session, q: InventoryQuery, ids: list[int], *,
               now: dt.datetime | None = None) -> dict[int, InventoryRow]:
    """The list rows of these devices as they are now (to refresh a row after an action)."""
    now = now or utcnow()
    stmt = select(*_ROW_COLUMNS).select_from(_FROM).where(A.c.id.in_(ids))
    return {r.id: _row(r, q, now) for r in session.execute(stmt)}


# --- scanning: a tag or a serial opens the device ---------------------------------------------

@dataclass(frozen=True)
class ScanMatch:
    """What a scanned code points at: the devices with that tag or serial, or a location."""

    kind: ScanKind
    value: str
    asset_ids: tuple[int, ...] = ()
    location_id: int | None = None


def find_code(session: Session, code: str) -> ScanMatch:
    """The devices a scanned or typed tag or serial belongs to (a serial may be on several makes)."""
    scan = classify(code)
    if scan.kind == ScanKind.INVALID_TAG:
        raise InvalidTag(tag=scan.value)
    if scan.kind == ScanKind.TAG:
        ids = session.scalars(select(A.c.id).where(A.c.tag == scan.value)).all()
    elif scan.kind == ScanKind.SERIAL:
        ids = session.scalars(select(A.c.id).where(A.c.serial_normalised == scan.value)
                              .order_by(A.c.id)).all()
    elif scan.kind == ScanKind.LOCATION:
        location_id = session.scalar(select(LOC.c.id).where(LOC.c.code == scan.value))
        return ScanMatch(scan.kind, scan.value, (), location_id)
    else:
        ids = []
    return ScanMatch(scan.kind, scan.value, tuple(ids))


# --- one device whole: fields, media, history, documents, actions ---------------------------------

@dataclass(frozen=True)
class MediumLine:
    id: int
    kind: str  # shown as is ("NVMe SSD", "harde schijf (HDD)")
    serial: str | None
    capacity_gb: int | None
    removed: bool
    state: MediumState
    method: str | None  # "Purge · cryptographic erase"
    tool: str | None
    performed_at: dt.datetime | None
    operator: str | None
    verifier: str | None


@dataclass(frozen=True)
class TimelineEntry:
    occurred_at: dt.datetime
    actor: str
    action: str  # translated
    changes: tuple[str, ...]  # "status: received → in refurbishment"


@dataclass(frozen=True)
class DocumentLine:
    number: str
    kind: DocumentKind
    title: str
    issued_at: dt.datetime


@dataclass(frozen=True)
class AssetView:
    id: int
    tag: str
    version: int
    status: AssetStatus
    title: str  # manufacturer and model
    status_text: str  # "ready since 12/11/2026 (17 days)"
    stale: bool
    days_in_status: int
    fields: tuple[tuple[str, str], ...]  # (label, value), in display order, already translated
    media: tuple[MediumLine, ...]
    timeline: tuple[TimelineEntry, ...]  # oldest first
    documents: tuple[DocumentLine, ...]
    actions: tuple[str, ...]  # lifecycle transitions the status allows and the actor may do


DOCUMENT_KIND_NAMES = {
    DocumentKind.INTAKE_RECEIPT: N_("intake receipt"),
    DocumentKind.HANDOVER_CERTIFICATE: N_("handover certificate"),
    DocumentKind.SANITISATION_CERTIFICATE: N_("data sanitisation certificate"),
    DocumentKind.EOL_CERTIFICATE: N_("end-of-life certificate"),
    DocumentKind.SALE_RECEIPT: N_("sales receipt"),
    DocumentKind.REPORT: N_("report"),
}
MEDIUM_STATE_NAMES = {
    MediumState.VERIFIED: N_("✔ verified"),
    MediumState.UNVERIFIED: N_("waiting for verification"),
    MediumState.FAILED: N_("✖ failed"),
    MediumState.MISSING: N_("missing"),
}
# What the audit trail's action names mean, for the history; lifecycle actions use their label.
# Every action the services record has one (tests/unit/test_action_labels.py scans for them).
ACTION_NAMES = {
    "edit": N_("edited"), "move": N_("moved"), "add_medium": N_("storage medium added"),
    "check_item": N_("checklist answered"), "record_sanitisation": N_("sanitisation recorded"),
    "verify_sanitisation": N_("sanitisation verified"),
    "issue_sanitisation_certificate": N_("sanitisation certificate issued"),
    "open_lot": N_("intake lot opened"), "close_lot": N_("intake lot closed"),
    "undo_intake": N_("intake undone"),
    "harvest_part": N_("spare part taken"), "issue_part": N_("spare part issued"),
    # second life
    "create_request": N_("handover request created"),
    "scan_for_handover": N_("scanned for the handover"),
    # staff sales
    "open_sale_round": N_("sale round opened"), "close_sale_round": N_("sale round closed"),
    "add_to_sale_round": N_("added to the sale round"),
    "register_sale_interest": N_("interest registered"),
    "withdraw_sale_interest": N_("interest withdrawn"),
    "override_sale_price": N_("price overridden"), "register_sale_payment": N_("payment registered"),
    "hand_over_sale": N_("sold device handed over"), "expire_sales": N_("unpaid sales expired"),
    "add_staff_member": N_("staff member registered"),
    # end of life
    "open_disposal_batch": N_("disposal batch opened"),
    "add_to_disposal_batch": N_("added to the disposal batch"),
    "remove_from_disposal_batch": N_("removed from the disposal batch"),
    "change_disposal_item": N_("disposal details changed"),
    "record_disposal_weighing": N_("weighing recorded"),
    "close_disposal_batch": N_("disposal batch closed"),
    "attach_processor_certificate": N_("processor's certificate attached"),
    "add_certification": N_("certification added"),
    # parties
    "create_party": N_("party created"), "update_party": N_("party changed"),
    "activate_party": N_("party reactivated"), "deactivate_party": N_("party deactivated"),
    "create_recycler": N_("processor registered"), "create_carrier": N_("carrier registered"),
    # locations and counts
    "create_location": N_("location created"), "deactivate_location": N_("location deactivated"),
    "start_count": N_("stock count started"), "count_scan": N_("scanned in the count"),
    "close_count": N_("stock count closed"), "count_moved_here": N_("moved here after the count"),
    "count_marked_missing": N_("marked missing after the count"),
    "count_found_elsewhere": N_("found elsewhere in the count"),
    "count_ignored": N_("count difference accepted"),
    # users and privacy
    "add_user": N_("user created"), "delete_user": N_("user deleted"),
    "rename_user": N_("user renamed"), "set_role": N_("role changed"),
    "reset_password": N_("password reset"), "change_password": N_("password changed"),
    "unlock_user": N_("user unlocked"), "enable_user": N_("user enabled"),
    "disable_user": N_("user disabled"), "sign_in": N_("signed in"),
    "sign_in_failed": N_("sign-in failed"), "directory_sign_in": N_("signed in via the directory"),
    "privacy_purge": N_("personal data pseudonymised"),
    "set_organisation": N_("organisation details changed"),
}
FIELD_NAMES = {
    "tag": N_("tag"), "status": N_("status"), "category": N_("category"),
    "manufacturer": N_("manufacturer"), "model": N_("model"), "serial": N_("serial number"),
    "cpu": N_("processor"), "ram_gb": N_("memory (GB)"), "storage_gb": N_("storage (GB)"),
    "screen_inch": N_("screen (inch)"), "purchase_date": N_("purchase date"),
    "purchase_cost": N_("purchase cost"), "warranty_end": N_("warranty until"),
    "origin_service_id": N_("origin service"), "intake_lot_id": N_("intake lot"),
    "location_id": N_("location"), "recipient_id": N_("recipient"), "grade": N_("grade"),
    "weight_kg": N_("weight (kg)"), "data_bearing": N_("holds data"), "notes": N_("notes"),
    "missing_since": N_("missing since"), "missing_reason": N_("reason missing"),
    "removed": N_("removed"), "verifier_id": N_("verified by"),
}
CHECK_OUTCOME_NAMES = {"pass": N_("Pass"), "fail": N_("Fail"), "not_applicable": N_("N/A")}
# Shown for a new device in the history; its other fields are in the detail itself.
INSERT_FIELDS = ("status", "location_id", "origin_service_id")
QUIET_FIELDS = {"status_changed_at"}  # the event's own time says it
SAME_WORK = dt.timedelta(seconds=2)


def allowed_actions(actor, status: AssetStatus | None) -> list[str]:
    """The lifecycle transitions the status allows and the actor's role may do, in lifecycle order."""
    return [t.name for t in lifecycle.allowed_transitions(status)
            if permissions.allowed(actor, f"lifecycle.{t.name}")]


def _number(value) -> str:
    if value is None:
        return ""
    text = format(Decimal(str(value)).normalize(), "f") if not isinstance(value, int) else str(value)
    return text.replace(".", ",") if current_language() == "nl" else text


def _money(value) -> str:
    if value is None:
        return ""
    text = format(Decimal(value).quantize(Decimal("0.01")), "f")
    return text.replace(".", ",") if current_language() == "nl" else text


def _date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


class _Names:
    """Names for the ids in the history and the fields: users, parties, locations, lots."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._cache: dict[tuple[str, int], str] = {}

    def _get(self, table, column, key: int | None) -> str:
        if key is None:
            return ""
        cache_key = (table.name, key)
        if cache_key not in self._cache:
            name = self.session.scalar(select(column).where(table.c.id == key))
            self._cache[cache_key] = name if name is not None else f"#{key}"
        return self._cache[cache_key]

    def user(self, key):
        return self._get(User.__table__, User.__table__.c.display_name, key)

    def party(self, key):
        return self._get(PARTY, PARTY.c.name, key)

    def location(self, key):
        return self._get(LOC, LOC.c.code, key)

    def lot(self, key):
        return self._get(IntakeLot.__table__, IntakeLot.__table__.c.number, key)

    def value(self, column: str, raw) -> str:
        """A value from the audit trail (JSON) as a person reads it."""
        if raw is None:
            return "—"
        if column == "status":
            return lifecycle.status_label(AssetStatus(raw))
        if column == "category":
            return category_name(raw)
        if column in ("origin_service_id", "recipient_id"):
            return self.party(raw)
        if column == "location_id":
            return self.location(raw)
        if column == "intake_lot_id":
            return self.lot(raw)
        if column in ("verifier_id", "operator_id"):
            return self.user(raw)
        if column in ("data_bearing", "removed"):
            return _yes_no(raw)
        if column in ("purchase_date", "warranty_end"):
            return _date(raw)
        if column == "missing_since":
            return format_local(dt.datetime.fromisoformat(raw))
        if column in ("purchase_cost", "weight_kg", "screen_inch"):
            return _number(raw)
        return str(raw)


def _change_line(names: _Names, column: str, old, new) -> str:
    label = _(FIELD_NAMES.get(column, column.replace("_", " ")))
    if old is None:
        return f"{label}: {names.value(column, new)}"
    return f"{label}: {names.value(column, old)} → {names.value(column, new)}"


# The column an insert always fills: its [None, value] tells an insert from an update.
INSERT_MARKERS = {"asset": "tag", "medium": "kind", "sanitisation": "method", "check": "item_key",
                  "document": "number", "part": "kind"}


@dataclass
class _Related:
    """Names of the things around one asset that its history mentions."""

    media: dict[int, str]  # medium id → "NVMe SSD S3Z…"
    checks: dict[int, str]  # checklist result id → the item's text


def _describe(names: _Names, related: _Related, entity_type: str, entity_id: int | None,
              changes: dict) -> list[str]:
    """What one audited change did, in a few lines."""
    def new(column):
        return changes.get(column, [None, None])[1]

    marker = changes.get(INSERT_MARKERS.get(entity_type, ""))
    inserted = marker is not None and marker[0] is None
    if entity_type == "asset":
        if inserted:
            return [_change_line(names, c, None, new(c)) for c in INSERT_FIELDS if new(c) is not None]
        return [_change_line(names, c, old, nw) for c, (old, nw) in changes.items()
                if c not in QUIET_FIELDS]
    if entity_type == "medium":
        medium = related.media.get(entity_id, "")
        if inserted:
            return [_("storage medium {medium}", medium=medium)]
        return [f"{medium}: " + _change_line(names, c, old, nw) for c, (old, nw) in changes.items()]
    if entity_type == "sanitisation":
        if not inserted:
            if new("verifier_id") is not None:
                return [_("verified by {name}", name=names.user(new("verifier_id")))]
            return [_change_line(names, c, old, nw) for c, (old, nw) in changes.items()]
        method, technique = new("method"), new("technique") or ""
        text = " · ".join(p for p in (
            _(METHOD_NAMES[method]) if method in METHOD_NAMES else method,
            _(TECHNIQUE_NAMES[technique]) if technique in TECHNIQUE_NAMES else technique,
            new("tool")) if p)
        result = new("verification_result")
        if result:
            text += f" ({_(RESULT_NAMES.get(result, result))})"
        medium = related.media.get(new("medium_id"), "")
        return [f"{medium}: {text}" if medium else text]
    if entity_type == "check":
        outcome = new("outcome")
        if outcome is None:
            return []
        shown = _(CHECK_OUTCOME_NAMES[outcome]) if outcome in CHECK_OUTCOME_NAMES else outcome
        return [f"{related.checks.get(entity_id, '')}: {shown}"]
    if entity_type == "document":
        return [_("document {number}", number=new("number"))] if inserted else []
    if entity_type == "part":
        return [new("description")] if inserted and new("description") else []
    return []


def action_name(action: str) -> str:
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is not None:
        return _(transition.label)
    return _(ACTION_NAMES[action]) if action in ACTION_NAMES else action.replace("_", " ")


def _timeline(session: Session, asset: Asset, names: _Names, related: _Related,
              document_ids: list[int]) -> list[TimelineEntry]:
    ids = {
        "asset": [asset.id],
        "medium": list(related.media),
        "sanitisation": session.scalars(select(SanitisationRecord.id)
                                        .where(SanitisationRecord.asset_id == asset.id)).all(),
        "check": list(related.checks),
        "part": session.scalars(select(SparePart.id).where(SparePart.source_asset_id == asset.id)).all(),
        "document": document_ids,
    }
    ev = AuditEvent.__table__.c
    where = or_(*(and_(ev.entity_type == kind, ev.entity_id.in_(keys))
                  for kind, keys in ids.items() if keys))
    events = session.execute(select(ev.occurred_at, ev.actor_name, ev.action, ev.entity_type,
                                    ev.entity_id, ev.changes).where(where).order_by(ev.seq)).all()
    entries: list[TimelineEntry] = []
    for e in events:  # one entry per unit of work: same moment, same person, same action
        lines = tuple(_describe(names, related, e.entity_type, e.entity_id, json.loads(e.changes)))
        action = action_name(e.action)
        last = entries[-1] if entries else None
        # A unit of work may flush more than once (a guard's query flushes the grade before
        # the status): its events are one entry when they follow each other within moments.
        if last and (last.actor, last.action) == (e.actor_name, action) \
                and abs(e.occurred_at - last.occurred_at) <= SAME_WORK:
            entries[-1] = TimelineEntry(last.occurred_at, last.actor, action, last.changes + lines)
        else:
            entries.append(TimelineEntry(e.occurred_at, e.actor_name, action, lines))
    return entries


def _check_texts(session: Session, asset: Asset) -> dict[int, str]:
    items = {i.key: i.text() for i in refurbishment.checklist_for(asset.category).items}
    rows = session.execute(select(ChecklistResult.id, ChecklistResult.item_key)
                           .where(ChecklistResult.asset_id == asset.id)).all()
    return {rid: items.get(key, key) for rid, key in rows}


def _medium_text(kind, serial: str | None) -> str:
    name = MEDIUM_KIND_NAMES.get(getattr(kind, "value", kind), str(kind))
    return " ".join(p for p in (_(name), serial or "") if p)


def asset_view(session: Session, actor, asset_id: int, *, stale_after_days: int = DEFAULT_STALE_DAYS,
               now: dt.datetime | None = None) -> AssetView:
    """Everything the detail screen shows about one device."""
    permissions.require(actor, "inventory.read")
    asset = session.get(Asset, asset_id)
    if asset is None:
        raise NotFound(what=str(asset_id))
    now = now or utcnow()
    names = _Names(session)
    days = days_since(asset.status_changed_at, now)
    status_text = _("{status} since {date} ({days} days)", status=lifecycle.status_label(asset.status),
                    date=_date(asset.status_changed_at.astimezone(BRUSSELS).date()), days=days)
    age = age_months(asset, local(now).date())
    purchase = _date(asset.purchase_date)
    if age is not None:
        purchase += " · " + _age_text(age)
    location = ""
    if asset.location is not None:
        location = f"{asset.location.code} — {locations.place_text(asset.location)}"
    missing = ""
    if asset.missing_since is not None:
        missing = format_local(asset.missing_since) + (f" — {asset.missing_reason}"
                                                       if asset.missing_reason else "")
    created = format_local(asset.created_at)
    if asset.created_by_id:
        created += " — " + names.user(asset.created_by_id)
    rows = [
        (N_("Tag"), asset.tag, True),
        (N_("Category"), category_name(asset.category), True),
        (N_("Manufacturer"), asset.manufacturer, True),
        (N_("Model"), asset.model, True),
        (N_("Serial number"), asset.serial or "—", True),
        (N_("Grade"), asset.grade.value if asset.grade else "—", True),
        (N_("Location"), location or "—", True),
        (N_("Origin service"), names.party(asset.origin_service_id) or "—", True),
        (N_("Intake lot"), names.lot(asset.intake_lot_id), False),
        (N_("Recipient"), names.party(asset.recipient_id), False),
        (N_("Holds data"), _yes_no(asset.data_bearing), True),
        (N_("Processor"), asset.cpu or "", False),
        (N_("Memory (GB)"), _number(asset.ram_gb), False),
        (N_("Storage (GB)"), _number(asset.storage_gb), False),
        (N_("Screen (inch)"), _number(asset.screen_inch), False),
        (N_("Purchase date"), purchase, False),
        (N_("Purchase cost (EUR)"), _money(asset.purchase_cost), False),
        (N_("Warranty until"), _date(asset.warranty_end), False),
        (N_("Weight (kg)"), _number(asset.weight_kg), False),
        (N_("Missing since"), missing, False),
        (N_("Notes"), asset.notes or "", False),
        (N_("Registered"), created, True),
    ]
    fields = tuple((_(label), value) for label, value, always in rows if always or value)
    media = []
    related = _Related({}, _check_texts(session, asset))
    for status in sanitisation.media_statuses(session, asset):
        m, rec = status.medium, status.record
        related.media[m.id] = _medium_text(m.kind, m.serial)
        method = None
        if rec is not None:
            method = " · ".join(p for p in (
                _(METHOD_NAMES.get(rec.method.value, rec.method.value)),
                _(TECHNIQUE_NAMES[rec.technique]) if rec.technique in TECHNIQUE_NAMES else rec.technique) if p)
        media.append(MediumLine(
            m.id, _(MEDIUM_KIND_NAMES.get(m.kind.value, m.kind.value)), m.serial, m.capacity_gb,
            m.removed, status.state, method, rec.tool if rec else None,
            rec.performed_at if rec else None, names.user(rec.operator_id) if rec else None,
            names.user(rec.verifier_id) if rec and rec.verifier_id else None))
    docs = documents_for_asset(session, asset.id)
    documents = tuple(DocumentLine(d.number, d.kind, d.title, d.issued_at) for d in docs)
    timeline = _timeline(session, asset, names, related, [d.id for d in docs])
    return AssetView(
        asset.id, asset.tag, asset.version, asset.status, f"{asset.manufacturer} {asset.model}",
        status_text, is_stale(asset.status, asset.status_changed_at, stale_after_days, now), days, fields,
        tuple(media), tuple(timeline), documents, tuple(allowed_actions(actor, asset.status)))


def _age_text(months: int) -> str:
    if months < 12:
        return _("{months} mo", months=months)
    return _("{years} y {months} mo", years=months // 12, months=months % 12)


def age_text(months: int | None) -> str:
    """An age in months as the list shows it: "8 mo", "4 y 2 mo"."""
    return "" if months is None else _age_text(months)


def document_pdf(session: Session, number: str) -> bytes:
    """The stored PDF of an issued document, exactly as it was issued."""
    return get_document(session, number).pdf


def document_kind_name(kind: DocumentKind) -> str:
    return _(DOCUMENT_KIND_NAMES.get(kind, kind.value))


def medium_state_name(state: MediumState) -> str:
    return _(MEDIUM_STATE_NAMES[state])
