"""Stock counts: scan everything physically in one location and reconcile it with the records.

A count is started for a location, every device found there is scanned, and
closing it compares the two: each device scanned is *found* (recorded here) or
*unexpected* (recorded elsewhere, or nowhere), a code that names no device is
*unknown*, and each device the records place here that was not scanned is
*missing* — devices that left the warehouse (handed over, sold, disposed of)
or were only announced are not expected on a shelf and are left out. Closing
issues the count report (PDF, stored with its number and SHA-256).

The manager then resolves each line that is not simply found: an unexpected
device is moved here, a missing one is marked missing with a reason (or
found elsewhere, once it has been scanned to where it turned up), anything
else can be ignored with a reason. When the last line is resolved, a final
report with every resolution is issued; the report at closing stays as it was
printed. A scan counts a device once: a second scan of it is refused, by its
tag or its serial alike. Each step is one unit of work and lands in the audit
trail; the count's row is locked while a desk writes to it, so two desks
cannot close a count while a third still scans into it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..i18n import N_, current_language, translate
from ..models import (
    Asset,
    CountFinding,
    CountResolution,
    Document,
    DocumentKind,
    Location,
    Role,
    StockCount,
    StockCountLine,
    User,
    utcnow,
)
from ..timefmt import format_local, local
from . import lifecycle, moves, organisation
from .codes import ScanKind, classify
from .documents.count_report import (
    FINDING_NAMES,
    RESOLUTION_NAMES,
    TITLE,
    CountReport,
    ReportLine,
    needs_resolution,
    render_count_report,
    sorted_lines,
)
from .documents.issued import allocate_number, get_document, store_document
from .errors import DomainError, NotFound, ValidationError
from .locations import NOT_IN_WAREHOUSE, devices_here, place_text
from .uow import unit_of_work

F, R = CountFinding, CountResolution

# Which resolutions fit which finding.
RESOLUTIONS: dict[CountFinding, tuple[CountResolution, ...]] = {
    F.FOUND: (),
    F.MISSING: (R.MARKED_MISSING, R.FOUND_ELSEWHERE, R.IGNORED),
    F.UNEXPECTED: (R.MOVED_HERE, R.IGNORED),
    F.UNKNOWN: (R.IGNORED,),
}
REASON_REQUIRED = frozenset({R.MARKED_MISSING, R.IGNORED})


class CountAlreadyOpen(DomainError):
    message = N_("{code} is already being counted (started by {user} on {time}): continue that "
                 "count or close it first.")


class CountClosed(DomainError):
    message = N_("This count of {code} was closed on {time}: start a new count to scan again.")


class CountNotClosed(DomainError):
    message = N_("Close the count first: the lines are resolved after the reconciliation.")


class DuplicateScan(DomainError):
    message = N_("{code} was already scanned in this count; it is counted once.")


class DeviceAlreadyCounted(DomainError):
    message = N_("{tag} was already scanned in this count (as {code}); it is counted once.")


class WrongLocationScanned(DomainError):
    message = N_("{code} is a location label: this count is of {counted}. Close it before counting "
                 "another location.")


class ResolutionNotPossible(DomainError):
    message = N_("A line that is “{finding}” cannot be resolved as “{resolution}”.")


class AlreadyResolved(DomainError):
    message = N_("This line was already resolved ({resolution}) by {user}.")


class ReasonRequired(ValidationError):
    message = N_("Give a reason: it goes into the count report and the audit trail.")


class StillRecordedHere(DomainError):
    message = N_("{tag} is still recorded at {code}: scan it to the place where it was found "
                 "(Scan to move), then resolve this line.")


class NoLongerHere(DomainError):
    message = N_("{tag} was recorded at {code} after the count: it is not missing.")


@dataclass(frozen=True)
class ScanOutcome:
    """What one scan of a count recorded, for the screen (message is English source text)."""

    line: ReportLine
    message: str
    params: dict
    found_again: bool

    @property
    def text(self) -> str:
        return translate(self.message, None, **self.params)


@dataclass(frozen=True)
class CountView:
    """A count as the screen shows it, read in one session as plain values."""

    count_id: int
    location_id: int
    location_code: str
    site: str
    place: str
    started_by: str
    started_at: object
    closed_at: object | None
    closed_by: str | None
    report_number: str | None
    lines: tuple[ReportLine, ...]
    expected: int  # devices the records place at the location now

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def open_lines(self) -> int:
        return sum(1 for line in self.lines if line.open)

    def tally(self) -> dict[CountFinding, int]:
        out = {finding: 0 for finding in CountFinding}
        for line in self.lines:
            out[line.finding] += 1
        return out


@dataclass(frozen=True)
class Resolved:
    line: ReportLine
    final_report: Document | None  # issued when this was the last open line


# ----------------------------------------------------------------------------------- reading


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.display_name if user else "—"


def _report_line(session: Session, line: StockCountLine) -> ReportLine:
    asset = line.asset
    recorded = None
    # Where the records place the device now, when that is news: an unexpected device not
    # (yet) moved here, or a missing one that has since been scanned somewhere else.
    if asset is not None and asset.location is not None and (
            (line.finding == F.UNEXPECTED and line.resolution != R.MOVED_HERE)
            or (line.finding == F.MISSING and asset.location_id != line.count.location_id)):
        recorded = asset.location.code
    if asset is not None:
        tag, model, serial = asset.tag, f"{asset.manufacturer} {asset.model}", asset.serial
    elif line.scanned_code and classify(line.scanned_code).kind == ScanKind.TAG:
        tag, model, serial = line.scanned_code, None, None  # a tag of another database, say
    else:
        tag, model, serial = None, None, line.scanned_code
    return ReportLine(
        line_id=line.id, finding=line.finding, resolution=line.resolution,
        tag=tag, model=model, serial=serial, scanned_code=line.scanned_code,
        recorded_at=recorded, reason=line.reason,
        resolved_by=_name(session, line.resolved_by_id) if line.resolved_by_id else None,
        resolved_at=line.resolved_at)


def _lines(session: Session, count_id: int) -> list[StockCountLine]:
    return list(session.scalars(
        select(StockCountLine).where(StockCountLine.count_id == count_id)
        .options(selectinload(StockCountLine.asset).selectinload(Asset.location))
        .order_by(StockCountLine.id).execution_options(populate_existing=True)))


def count_view(session: Session, count_id: int) -> CountView:
    count = session.get(StockCount, count_id, populate_existing=True)
    if count is None:
        raise NotFound(what=str(count_id))
    location = count.location
    report = session.get(Document, count.report_document_id) if count.report_document_id else None
    lines = [_report_line(session, line) for line in _lines(session, count.id)]
    return CountView(count.id, location.id, location.code, location.site, place_text(location),
                     _name(session, count.started_by_id), count.started_at, count.closed_at,
                     _name(session, count.closed_by_id) if count.closed_by_id else None,
                     report.number if report else None, tuple(sorted_lines(lines)),
                     devices_here(session, location.id))


def open_count(session: Session, location_id: int) -> StockCount | None:
    """The count of this location that is still being scanned, if any."""
    return session.scalar(select(StockCount).where(
        StockCount.location_id == location_id, StockCount.closed_at.is_(None))
        .order_by(StockCount.id.desc()).limit(1))


def latest_count(session: Session, location_id: int) -> StockCount | None:
    return session.scalar(select(StockCount).where(StockCount.location_id == location_id)
                          .order_by(StockCount.id.desc()).limit(1))


def report_pdf(session: Session, count_id: int) -> Document:
    """The newest report of a closed count, exactly as issued."""
    count = session.get(StockCount, count_id, populate_existing=True)
    if count is None or count.report_document_id is None:
        raise NotFound(what=str(count_id))
    return session.get(Document, count.report_document_id)


# ----------------------------------------------------------------------------------- writing


def _locked_count(session: Session, count_id: int) -> StockCount:
    # FOR UPDATE on PostgreSQL (SQLite's write lock is taken by the unit of work): a close
    # waits for a scan in flight and a scan after the close sees that it is closed.
    count = session.get(StockCount, count_id, with_for_update=True, populate_existing=True)
    if count is None:
        raise NotFound(what=str(count_id))
    return count


def _refuse_closed(count: StockCount) -> None:
    if count.closed_at is not None:
        raise CountClosed(code=count.location.code, time=format_local(count.closed_at))


def start_count(session: Session, actor, location_id: int) -> StockCount:
    """Service: start counting a location (one open count per location at a time)."""
    with unit_of_work(session, actor, "start_count", permission="count.manage"):
        location = session.get(Location, location_id, with_for_update=True, populate_existing=True)
        if location is None:
            raise NotFound(what=str(location_id))
        if not location.active:
            raise moves.LocationOutOfUse(code=location.code)
        running = open_count(session, location.id)
        if running is not None:
            raise CountAlreadyOpen(code=location.code, user=_name(session, running.started_by_id),
                                   time=format_local(running.started_at))
        count = StockCount(location_id=location.id, started_by_id=actor.id, started_at=utcnow())
        count.location = location
        session.add(count)
    return count


def scan(session: Session, actor, count_id: int, code: str) -> ScanOutcome:
    """Service: record one scanned code in an open count as found, unexpected or unknown."""
    with unit_of_work(session, actor, "count_scan", permission="count.manage"):
        count = _locked_count(session, count_id)
        _refuse_closed(count)
        try:
            scanned, asset = moves.find_device(session, code)
        except moves.LocationNotDevice:
            raise WrongLocationScanned(code=code.strip().upper(), counted=count.location.code) from None
        value = scanned.value
        if session.scalar(select(StockCountLine.id).where(
                StockCountLine.count_id == count.id, StockCountLine.scanned_code == value)) is not None:
            raise DuplicateScan(code=value)
        if asset is not None:
            earlier = session.scalar(select(StockCountLine.scanned_code).where(
                StockCountLine.count_id == count.id, StockCountLine.asset_id == asset.id))
            if earlier is not None:
                raise DeviceAlreadyCounted(tag=asset.tag, code=earlier)
        found_again = False
        if asset is None:
            finding = F.UNKNOWN
            message, params = N_("{code} matches no device: counted as unknown."), {"code": value}
            if scanned.kind == ScanKind.TAG:
                message = N_("The tag {code} is not in this database: counted as unknown.")
        elif asset.location_id == count.location_id and asset.status not in NOT_IN_WAREHOUSE:
            finding = F.FOUND
            message, params = N_("{tag} found: {model}"), {
                "tag": asset.tag, "model": f"{asset.manufacturer} {asset.model}"}
        else:
            finding = F.UNEXPECTED
            where = asset.location.code if asset.location is not None else None
            if asset.status in NOT_IN_WAREHOUSE:
                message, params = (N_("{tag} is “{status}” in the records, yet it is here: counted "
                                      "as unexpected."),
                                   {"tag": asset.tag, "status": lifecycle.status_label(asset.status)})
            elif where:
                message, params = (N_("{tag} is recorded at {where}, not here: counted as "
                                      "unexpected."), {"tag": asset.tag, "where": where})
            else:
                message, params = (N_("{tag} has no recorded location: counted as unexpected."),
                                   {"tag": asset.tag})
        if asset is not None and asset.status not in NOT_IN_WAREHOUSE:
            found_again = moves.clear_missing(asset, actor)  # seen on the shelf: not missing
        line = StockCountLine(count_id=count.id, asset_id=asset.id if asset else None,
                              scanned_code=value, finding=finding)
        line.asset = asset
        session.add(line)
        session.flush()
        outcome = ScanOutcome(_report_line(session, line), message, params, found_again)
    return outcome


def _report(session: Session, count: StockCount, manager: str | None) -> CountReport:
    location = count.location
    lines = [_report_line(session, line) for line in _lines(session, count.id)]
    earlier = session.get(Document, count.report_document_id) if count.report_document_id else None
    return CountReport(location.code, location.site, place_text(location), location.description,
                       _name(session, count.started_by_id), _name(session, count.closed_by_id),
                       count.started_at, count.closed_at, tuple(lines), manager=manager,
                       replaces=earlier.number if earlier else None)


def _issue_report(session: Session, actor, count: StockCount, language: str | None) -> Document:
    lang = language or current_language()
    manager = actor.display_name if getattr(actor, "role", None) == Role.MANAGER else None
    report = _report(session, count, manager)
    now = utcnow()
    number = allocate_number(session, DocumentKind.REPORT, today=local(now).date())
    pdf = render_count_report(number, report, language=lang, issued_at=now,
                              organisation=organisation.get(session))
    devices = {line.asset.id: line.asset for line in count.lines if line.asset is not None}
    title = f"{translate(TITLE, lang)}: {count.location.code}"
    document = store_document(session, actor, DocumentKind.REPORT, number, title, pdf,
                              list(devices.values()), language=lang)
    count.report_document_id = document.id
    return document


def close_count(session: Session, actor, count_id: int, language: str | None = None) -> Document:
    """Service: reconcile the count with the records (missing lines) and issue its report."""
    with unit_of_work(session, actor, "close_count", permission="count.manage"):
        count = _locked_count(session, count_id)
        _refuse_closed(count)
        scanned = select(StockCountLine.asset_id).where(
            StockCountLine.count_id == count.id, StockCountLine.asset_id.is_not(None))
        missing = session.scalars(select(Asset).where(
            Asset.location_id == count.location_id, Asset.status.not_in(NOT_IN_WAREHOUSE),
            Asset.id.not_in(scanned)).order_by(Asset.tag)).all()
        for asset in missing:
            line = StockCountLine(count_id=count.id, asset_id=asset.id, finding=F.MISSING)
            line.asset = asset
            session.add(line)
        count.closed_at = utcnow()
        count.closed_by_id = actor.id
        session.flush()
        session.expire(count, ["lines"])
        document = _issue_report(session, actor, count, language)
    return document


def resolve_line(session: Session, actor, line_id: int, resolution: CountResolution | str,
                 reason: str | None = None, language: str | None = None) -> Resolved:
    """Service (managers): resolve one line of a closed count; the last one issues the final report."""
    resolution = CountResolution(resolution)
    reason = " ".join((reason or "").split()) or None
    with unit_of_work(session, actor, f"count_{resolution.value}", permission="count.resolve"):
        line = session.get(StockCountLine, line_id, with_for_update=True, populate_existing=True)
        if line is None:
            raise NotFound(what=str(line_id))
        count = _locked_count(session, line.count_id)
        if count.closed_at is None:
            raise CountNotClosed()
        # Marked texts as parameters: the error translates them when it is shown.
        if line.resolution != R.NONE:
            raise AlreadyResolved(resolution=RESOLUTION_NAMES[line.resolution],
                                  user=_name(session, line.resolved_by_id))
        if resolution not in RESOLUTIONS[line.finding]:
            raise ResolutionNotPossible(finding=FINDING_NAMES[line.finding],
                                        resolution=RESOLUTION_NAMES[resolution])
        if resolution in REASON_REQUIRED and not reason:
            raise ReasonRequired()
        asset = line.asset
        if asset is not None:
            session.refresh(asset)
        if resolution == R.MOVED_HERE:
            if not count.location.active:
                raise moves.LocationOutOfUse(code=count.location.code)
            moves.move_here(session, actor, asset, count.location)
        elif resolution == R.MARKED_MISSING:
            if asset.location_id != count.location_id:
                raise NoLongerHere(tag=asset.tag, code=asset.location.code if asset.location else "—")
            # Missing since the count that did not find it, unless it was missing already.
            asset.missing_since = asset.missing_since or count.closed_at
            asset.missing_reason = reason
            asset.updated_by_id = actor.id
        elif resolution == R.FOUND_ELSEWHERE and asset.location_id == count.location_id:
            raise StillRecordedHere(tag=asset.tag, code=count.location.code)
        line.resolution = resolution
        line.reason = reason
        line.resolved_by_id = actor.id
        line.resolved_at = utcnow()
        session.flush()
        final = None
        remaining = [other for other in _lines(session, count.id)
                     if needs_resolution(other.finding, other.resolution)]
        if not remaining:
            session.expire(count, ["lines"])
            final = _issue_report(session, actor, count, language)
        resolved = Resolved(_report_line(session, line), final)
    return resolved


def reprint_report(session: Session, number: str) -> bytes:
    """A count report exactly as issued (the same bytes, so its SHA-256 still matches)."""
    document = get_document(session, number)
    if document.kind != DocumentKind.REPORT:
        raise NotFound(what=number)
    return document.pdf
