"""Import erasure reports of wiping tools as sanitisation records (NIST SP 800-88).

A technician wipes disks with nwipe (or another tool), then imports the
reports here instead of typing each wipe in: nwipe's JSON erasure report
(one disk per file) or the CSV layout of docs/wipe-report-csv.md (one disk
per row). Each disk is matched by its serial to a registered storage medium
and recorded through `sanitisation.record`, with the importer as operator
and no verifier yet: the four-eyes check stays a manager's job. A file is
all or nothing — a failed wipe, an unknown disk or one bad CSV line refuses
the whole file with a reason, and the same report is never recorded twice
(the SHA-256 of its content is kept with the record, unique per medium).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock
from ..i18n import N_, _
from ..models import (
    Asset,
    AssetStatus,
    SanitisationMethod,
    SanitisationOutcome,
    SanitisationRecord,
    StorageMedium,
    VerificationResult,
)
from ..timefmt import BRUSSELS, format_local
from . import sanitisation
from .codes import MAX_SERIAL_LENGTH, normalise_serial, strip_control
from .errors import DomainError
from .identifiers import normalise_identifier
from .permissions import require
from .textfiles import line_list, mixed_encoding_lines, read_capped, split_records
from .uow import ConflictingWrite

log = logging.getLogger(__name__)

# A wipe report is a few kilobytes; anything this big is the wrong file, not a report.
MAX_REPORT_BYTES = 5 * 1024 * 1024
# Clocks of wiping stations (often a live USB stick) drift; a day of slack, no more.
FUTURE_SLACK = dt.timedelta(days=1)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # an unset clock (epoch 0) is not a wipe time

CSV_COLUMNS = ("serial", "manufacturer", "model", "tool", "tool_version", "method", "technique",
               "status", "pass_errors", "verify_errors", "start_time", "end_time",
               "verification_method")

# nwipe's method labels (its src/method.c). Its overwrites are NIST "clear"; the drive firmware
# commands it can issue are "purge" techniques. A verify-only run reads the disk, it wipes nothing.
NWIPE_FIRMWARE_METHODS = (
    ("sanitize crypto erase", "crypto_erase"),
    ("sanitize block erase", "block_erase"),
    ("sanitize overwrite", "sanitize_command"),
    ("secure erase", "secure_erase"),
)
NWIPE_DEFAULT_VERIFICATION = None  # nwipe writes verify_errors even with verification off


class ReportRefused(DomainError):
    message = N_("The report was refused.")


class NotUtf8(ReportRefused):
    message = N_("The file is not UTF-8 text: save or export it again as UTF-8 (in Excel: “CSV UTF-8”).")


class EmptyReport(ReportRefused):
    message = N_("The file is empty.")


class TooLarge(ReportRefused):
    message = N_("The file is too large to be a wipe report ({size} MB): choose the report file itself.")


class MixedEncoding(ReportRefused):
    message = N_("The file mixes two encodings: lines {utf8} are UTF-8, lines {other} are not "
                 "(Windows-1252?): save the whole file again as UTF-8.")


class TooDeep(ReportRefused):
    message = N_("The JSON is nested too deep to be a wipe report: it is not an nwipe report.")


class NumberTooLong(ReportRefused):
    message = N_("The report holds a number of {digits} digits, which no wipe report field "
                 "has: it is not an nwipe report.")


class DuplicateKey(ReportRefused):
    message = N_("The report names “{key}” twice in one place: it is malformed (which value "
                 "would count?). Export the report again.")


class LineBreakInCell(ReportRefused):
    message = N_("a cell holds a line break (is a quote not closed?); a wipe report's cells fit on "
                 "one line.")


class DeviceLeft(ReportRefused):
    message = N_("Disk {serial} is in {tag}, which has left the warehouse ({status}): a wipe can "
                 "no longer be recorded for it.")


class NotJson(ReportRefused):
    message = N_("The file is not valid JSON (line {line}, column {column}), so it is not a readable "
                 "nwipe report.")


class NotNwipeReport(ReportRefused):
    message = N_("This JSON file is not an nwipe erasure report.")


class MissingField(ReportRefused):
    message = N_("The report lacks {field}, which every wipe report must have.")


class InvalidField(ReportRefused):
    message = N_("{field} is not valid in this report: “{value}”.")


class InvalidTime(ReportRefused):
    message = N_("{field} is not a date and time: “{value}” (expected for example "
                 "2026-11-20T09:12:03+01:00).")


class TooLong(ReportRefused):
    message = N_("{field} is longer than {limit} characters: “{value}”.")


class EndsBeforeStart(ReportRefused):
    message = N_("The wipe ends ({end}) before it starts ({start}): check the report.")


class DatedInFuture(ReportRefused):
    message = N_("The wipe is dated in the future ({end}): check the clock of the computer that "
                 "wiped the disk.")


class VerifyOnlyRun(ReportRefused):
    message = N_("This report is of a verification-only run (“{method}”), not of a wipe: import the "
                 "report of the wipe itself.")


class CsvHeaderMissing(ReportRefused):
    message = N_("The first line must name the columns; missing: {columns}. See the CSV layout for "
                 "wipe reports.")


class CsvWithoutDisks(ReportRefused):
    message = N_("The file names the columns but lists no disks.")


class BadChoice(ReportRefused):
    message = N_("{field} must be one of: {choices} — not “{value}”.")


class FieldCount(ReportRefused):
    message = N_("this line has {found} fields but the header has {expected}.")


class DiskListedTwice(ReportRefused):
    message = N_("disk {serial} is already listed on line {other}.")


class AtLine(ReportRefused):
    message = N_("Line {line}: {reason}")


class UnknownSerial(ReportRefused):
    message = N_("No storage medium with serial {serial} is registered — add the medium to its "
                 "device first.")


class AmbiguousSerial(ReportRefused):
    message = N_("{count} storage media have serial {serial} ({tags}): the report cannot tell which "
                 "one was wiped — correct the serials first.")


class WipeFailed(ReportRefused):
    message = N_("The wipe of {serial} failed: {reason} — wipe again or destroy the disk.")


class MediumDestroyed(ReportRefused):
    message = N_("Disk {serial} of {tag} is recorded as destroyed; a wipe report cannot apply to it.")


class AlreadyImported(ReportRefused):
    message = N_("This report was already imported for disk {serial} of {tag}; nothing was added.")


class FileUnreadable(ReportRefused):
    message = N_("The file cannot be read: {detail}.")


class UnexpectedProblem(ReportRefused):
    message = N_("The file could not be imported because of an unexpected problem ({detail}); "
                 "nothing was recorded from it. Tell the administrator.")


class OperatorUnknown(ReportRefused):
    message = N_("A wipe record names the person who imported it: sign in as yourself, or name a user "
                 "on the command line.")


@dataclass
class ImportOutcome:
    file: str
    recorded: int
    ok: bool
    message: str

    @property
    def verdict(self) -> str:
        """The one word a multi-file run starts each file's line with."""
        return _("committed") if self.ok else _("refused")


@dataclass
class WipeEntry:
    """One disk's wipe as a report states it, before it is matched to a medium."""

    serial: str
    method: SanitisationMethod
    technique: str
    tool: str
    tool_version: str | None
    verification_method: str | None
    status: str
    succeeded: bool
    pass_errors: int
    verify_errors: int
    started: dt.datetime
    ended: dt.datetime
    media_manufacturer: str | None = None
    media_model: str | None = None
    detail: str | None = None  # tool specifics kept in the record's notes
    line: int | None = None    # CSV line


# --- reading values -----------------------------------------------------------------------------

def _limit(column: str) -> int:
    return SanitisationRecord.__table__.c[column].type.length


def _text(value: object, field: str, limit: int | None = None, required: bool = False) -> str | None:
    if value is None:
        text = ""
    elif isinstance(value, str):
        if any("\ud800" <= c <= "\udfff" for c in value):  # JSON "\ud800": no character at all
            raise InvalidField(field=field, value=value.encode("utf-8", "replace").decode()[:80])
        text = " ".join(strip_control(value).split())  # ATA serials and models come space-padded
    else:
        raise InvalidField(field=field, value=str(value)[:80])
    if not text:
        if required:
            raise MissingField(field=field)
        return None
    if limit is not None and len(text) > limit:
        raise TooLong(field=field, limit=limit, value=text[:limit] + "…")
    return text


def _count(value: object, field: str) -> int:
    """An error count: absent or empty means none were reported."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise InvalidField(field=field, value=str(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value < 0:
        raise InvalidField(field=field, value=str(value)[:80])
    return value


_ISO_WITH_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _time(value: object, field: str) -> dt.datetime:
    """ISO 8601 with or without offset (naive means Brussels time), or Unix seconds as nwipe writes."""
    if value is None or value == "":
        raise MissingField(field=field)
    moment: dt.datetime | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            moment = dt.datetime.fromtimestamp(value, dt.UTC)
        except (OverflowError, OSError, ValueError):
            moment = None
    elif isinstance(value, str) and _ISO_WITH_TIME.match(value.strip()):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=BRUSSELS)
    if moment is None or moment.astimezone(dt.UTC) < EARLIEST:
        raise InvalidTime(field=field, value=str(value)[:80])
    return moment.astimezone(dt.UTC)


def _check_times(started: dt.datetime, ended: dt.datetime) -> None:
    if ended < started:
        raise EndsBeforeStart(start=format_local(started, seconds=True),
                              end=format_local(ended, seconds=True))
    if ended > clock.now() + FUTURE_SLACK:
        raise DatedInFuture(end=format_local(ended, seconds=True))


def _serial(value: object, field: str) -> str:
    if isinstance(value, str):
        value = normalise_identifier(value)  # NFKC, no format characters; control characters refused
    serial = _text(value, field, required=True)
    if len(normalise_serial(serial)) > MAX_SERIAL_LENGTH:
        raise TooLong(field=field, limit=MAX_SERIAL_LENGTH, value=serial[:MAX_SERIAL_LENGTH] + "…")
    return serial


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        utf8, other = mixed_encoding_lines(data)
        if utf8 and other:
            raise MixedEncoding(utf8=line_list(utf8), other=line_list(other)) from err
        raise NotUtf8() from err


def _digest(content: object) -> str:
    """SHA-256 of what a report says, not of its bytes: the same report saved again with other
    whitespace, line endings or key order is the same report."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=True,
                                     separators=(",", ":")).encode()).hexdigest()


# A wipe report's numbers are error counts and Unix times: a few digits. Python refuses to
# convert more than 4300 digits with a ValueError; far fewer already mean a wrong file.
MAX_NUMBER_DIGITS = 40


def _pairs(pairs: list[tuple[str, object]]) -> dict:
    doc: dict = {}
    for key, value in pairs:
        if key in doc:
            raise DuplicateKey(key=key.encode("utf-8", "replace").decode()[:80])
        doc[key] = value
    return doc


def _number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise NumberTooLong(digits=len(text.lstrip("-")))
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS * 2:
        raise NumberTooLong(digits=len(text))
    return float(text)


def _load_json(data: bytes) -> object:
    try:
        return json.loads(_decode(data), object_pairs_hook=_pairs, parse_int=_number,
                          parse_float=_float)
    except json.JSONDecodeError as err:
        raise NotJson(line=err.lineno, column=err.colno) from err
    except RecursionError as err:  # "[[[[…" a hundred thousand deep
        raise TooDeep() from err


# --- nwipe JSON ---------------------------------------------------------------------------------

def _section(doc: dict, name: str, required: bool) -> dict:
    section = doc.get(name)
    if section is None and not required:
        return {}
    if not isinstance(section, dict):
        raise MissingField(field=name)
    return section


def _nwipe_method(label: str | None) -> tuple[SanitisationMethod, str]:
    key = (label or "").casefold()
    if key.startswith("verify"):
        raise VerifyOnlyRun(method=label)
    for prefix, technique in NWIPE_FIRMWARE_METHODS:
        if key.startswith(prefix):
            return SanitisationMethod.PURGE, technique
    return SanitisationMethod.CLEAR, "overwrite"


def parse_nwipe(data: bytes) -> WipeEntry:
    """nwipe's JSON erasure report: one disk, Unix or ISO 8601 times, optional method fields."""
    return _parse_nwipe(_load_json(data))


def _parse_nwipe(doc: object) -> WipeEntry:
    if not isinstance(doc, dict):
        raise NotNwipeReport()
    meta = _section(doc, "report_metadata", required=False)
    device = _section(doc, "device", required=True)
    result = _section(doc, "wipe_result", required=True)
    status = _text(result.get("status"), "wipe_result.status", required=True)
    label = _text(result.get("method"), "wipe_result.method")
    method, technique = _nwipe_method(label)
    verify_errors_given = result.get("verify_errors") is not None
    verification = _text(result.get("verification"), "wipe_result.verification",
                         _limit("verification_method"))
    started = _time(result.get("start_time"), "wipe_result.start_time")
    ended = _time(result.get("end_time"), "wipe_result.end_time")
    _check_times(started, ended)
    rounds = result.get("rounds_requested")
    detail = None
    if label:
        detail = _("nwipe method: {method}, rounds: {rounds}.", method=label,
                   rounds=rounds if isinstance(rounds, int) else "?")
    return WipeEntry(
        serial=_serial(device.get("serial_no"), "device.serial_no"),
        method=method, technique=technique, tool="nwipe",
        tool_version=_text(meta.get("nwipe_version", meta.get("version")),
                           "report_metadata.nwipe_version", _limit("tool_version")),
        verification_method=verification or (NWIPE_DEFAULT_VERIFICATION if verify_errors_given else None),
        status=status, succeeded=status.casefold() == "success",
        pass_errors=_count(result.get("pass_errors"), "wipe_result.pass_errors"),
        verify_errors=_count(result.get("verify_errors"), "wipe_result.verify_errors"),
        started=started, ended=ended,
        media_model=_text(device.get("model"), "device.model", _limit("media_model")),
        detail=detail,
    )


# --- CSV ----------------------------------------------------------------------------------------

_STATUSES = {"success": True, "failed": False}


def _csv_entry(row: dict[str, str]) -> WipeEntry:
    method_text = (row["method"] or "").strip().casefold()
    try:
        method = SanitisationMethod(method_text)
    except ValueError:
        raise BadChoice(field="method", choices="clear, purge, destroy", value=row["method"]) from None
    status = (row["status"] or "").strip().casefold()
    if status not in _STATUSES:
        raise BadChoice(field="status", choices="success, failed", value=row["status"])
    started = _time(row["start_time"].strip(), "start_time")
    ended = _time(row["end_time"].strip(), "end_time")
    _check_times(started, ended)
    return WipeEntry(
        serial=_serial(row["serial"], "serial"),
        method=method,
        technique=_text(row["technique"], "technique", _limit("technique"), required=True),
        tool=_text(row["tool"], "tool", _limit("tool"), required=True),
        tool_version=_text(row["tool_version"], "tool_version", _limit("tool_version")),
        verification_method=_text(row["verification_method"], "verification_method",
                                  _limit("verification_method")),
        status=status, succeeded=_STATUSES[status],
        pass_errors=_count(row["pass_errors"], "pass_errors"),
        verify_errors=_count(row["verify_errors"], "verify_errors"),
        started=started, ended=ended,
        media_manufacturer=_text(row["manufacturer"], "manufacturer", _limit("media_manufacturer")),
        media_model=_text(row["model"], "model", _limit("media_model")),
    )


def parse_csv(data: bytes) -> list[WipeEntry]:
    """The documented CSV layout: a header row, comma or semicolon, one disk per row."""
    return _parse_csv(data)[0]


def _parse_csv(data: bytes) -> tuple[list[WipeEntry], list[list[str]]]:
    """The entries and the cells they were read from (for the report's digest)."""
    text = _decode(data)
    if not text.strip():
        raise EmptyReport()
    first = next(line for line in text.splitlines() if line.strip())
    delimiter = ";" if first.count(";") > first.count(",") else ","
    entries: list[WipeEntry] = []
    content: list[list[str]] = []
    seen: dict[str, int] = {}
    header: list[str] | None = None
    # Strict reading (textfiles.split_records): an unclosed quote must not hide the rows after it.
    for record in split_records(text, delimiter):
        line = record.line
        if record.problem is not None:
            raise AtLine(line=line, reason=record.problem.translated())
        if record.multiline:
            raise AtLine(line=line, reason=LineBreakInCell().translated())
        cells = record.cells
        if not any(c.strip() for c in cells):
            continue  # blank lines
        if header is None:
            header = [c.strip().casefold() for c in cells]
            missing = [c for c in CSV_COLUMNS if c not in header]
            if missing:
                raise CsvHeaderMissing(columns=", ".join(missing))
            content.append(header)
            continue
        try:
            if len(cells) != len(header):
                raise FieldCount(found=len(cells), expected=len(header))
            row = {name: cells[header.index(name)] for name in CSV_COLUMNS}
            entry = _csv_entry(row)
            key = normalise_serial(entry.serial)
            if key in seen:
                raise DiskListedTwice(serial=entry.serial, other=seen[key])
        except DomainError as err:
            raise AtLine(line=line, reason=err.translated()) from err
        seen[key] = line
        entry.line = line
        entries.append(entry)
        content.append([c.strip() for c in cells])
    if header is None:
        raise EmptyReport()
    if not entries:
        raise CsvWithoutDisks()
    return entries, content


def parse(name: str, data: bytes) -> tuple[str, list[WipeEntry]]:
    """The source ("nwipe" or "csv") and the wipes a report states; refuses what it cannot read."""
    return read_report(name, data)[:2]


def read_report(name: str, data: bytes) -> tuple[str, list[WipeEntry], str]:
    """`parse`, and the digest of the report's content (see `_digest`)."""
    if not data.strip():
        raise EmptyReport()
    suffix = Path(name).suffix.casefold()
    looks_json = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")
    if suffix == ".json" or (suffix != ".csv" and looks_json):
        doc = _load_json(data)
        return "nwipe", [_parse_nwipe(doc)], _digest(["nwipe", doc])
    entries, content = _parse_csv(data)
    return "csv", entries, _digest(["csv", content])


# --- matching and recording ---------------------------------------------------------------------

def _failure_reason(entry: WipeEntry) -> str | None:
    reasons = []
    if not entry.succeeded:
        reasons.append(_("the tool reported “{status}”", status=entry.status))
    if entry.pass_errors:
        reasons.append(_("1 pass error") if entry.pass_errors == 1
                       else _("{count} pass errors", count=entry.pass_errors))
    if entry.verify_errors:
        reasons.append(_("1 verification error") if entry.verify_errors == 1
                       else _("{count} verification errors", count=entry.verify_errors))
    return ", ".join(reasons) or None


def find_medium(session: Session, serial: str) -> StorageMedium:
    """The one registered medium with this serial (compared normalised), or a refusal."""
    key = normalise_serial(serial)
    squeezed = StorageMedium.serial
    for blank in (" ", "\t", "\r", "\n"):  # media serials are stored as typed: narrow down in SQL,
        squeezed = func.replace(squeezed, blank, "")  # then compare exactly in Python
    candidates = session.scalars(select(StorageMedium).where(func.upper(squeezed) == key)
                                 .order_by(StorageMedium.id)).all()
    matches = [m for m in candidates if m.serial and normalise_serial(m.serial) == key]
    if not matches:
        raise UnknownSerial(serial=key)
    if len(matches) > 1:
        tags = session.scalars(select(Asset.tag).where(Asset.id.in_([m.asset_id for m in matches]))
                               .order_by(Asset.tag)).all()
        raise AmbiguousSerial(count=len(matches), serial=key, tags=", ".join(tags))
    return matches[0]


# A device that has left is someone else's now: a wipe recorded afterwards would be a fiction.
LEFT = (AssetStatus.TRANSFERRED, AssetStatus.SOLD, AssetStatus.DISPOSED)


def _check_entry(session: Session, entry: WipeEntry, digests: tuple[str, ...]) -> StorageMedium:
    reason = _failure_reason(entry)
    if reason:
        raise WipeFailed(serial=normalise_serial(entry.serial), reason=reason)
    medium = find_medium(session, entry.serial)
    asset = session.get(Asset, medium.asset_id)
    tag = asset.tag
    if asset.status in LEFT:
        from .lifecycle import status_label

        raise DeviceLeft(serial=medium.serial, tag=tag, status=status_label(asset.status))
    last = sanitisation.latest_record(session, medium.id)
    if last is not None and last.outcome == SanitisationOutcome.DESTROYED:
        raise MediumDestroyed(serial=medium.serial, tag=tag)
    # The digest of the content, and of the bytes as records made before 0013 kept it.
    twin = session.scalar(select(SanitisationRecord.id).where(
        SanitisationRecord.medium_id == medium.id,
        SanitisationRecord.report_sha256.in_(digests)).limit(1))
    if twin is not None:
        raise AlreadyImported(serial=medium.serial, tag=tag)
    return medium


def _notes(name: str, entry: WipeEntry) -> str:
    notes = _("Imported from {file}; the wipe started {start}.", file=Path(name).name,
              start=format_local(entry.started, seconds=True))
    return f"{notes} {entry.detail}" if entry.detail else notes


def _at(entry: WipeEntry, err: DomainError) -> DomainError:
    return AtLine(line=entry.line, reason=err.translated()) if entry.line else err


def import_report(session: Session, actor, name: str, data: bytes) -> ImportOutcome:
    """Record every wipe in one report file, or none of them and say why. Never raises for bad input."""
    try:
        require(actor, "sanitisation.record")  # refuse before reading, not after the first record
        if getattr(actor, "id", None) is None:
            raise OperatorUnknown()  # the system actor would leave the record without an operator
        if len(data) > MAX_REPORT_BYTES:
            raise TooLarge(size=len(data) // (1024 * 1024))
        source, entries, digest = read_report(name, data)
        digests = (digest, hashlib.sha256(data).hexdigest())

        def plan() -> list[tuple[int, dict]]:
            # Inside the write transaction: SQLite's write lock is held, so two desks importing
            # the same report cannot both find it "not recorded yet"; on PostgreSQL the unique
            # index on (medium, digest) refuses the second one.
            planned = []
            for entry in entries:
                try:
                    medium = _check_entry(session, entry, digests)
                except DomainError as err:
                    raise _at(entry, err) from err
                planned.append((medium.id, dict(
                    method=entry.method, technique=entry.technique, tool=entry.tool,
                    tool_version=entry.tool_version, verification_method=entry.verification_method,
                    verification_result=VerificationResult.PASSED, performed_at=entry.ended,
                    media_manufacturer=entry.media_manufacturer, media_model=entry.media_model,
                    source=source, report_sha256=digest, notes=_notes(name, entry))))
            return planned

        try:
            done = len(sanitisation.record_many(session, actor, plan))
        except ConflictingWrite:
            plan()  # the other desk's records are committed now: say which report and disk
            raise
    except DomainError as err:
        return ImportOutcome(name, 0, False, err.translated())
    message = (_("1 wipe recorded; a manager must verify it.") if done == 1
               else _("{count} wipes recorded; a manager must verify them.", count=done))
    return ImportOutcome(name, done, True, message)


def import_files(session: Session, actor, paths: Iterable[str | os.PathLike]) -> list[ImportOutcome]:
    """One outcome per file, in order; a file's problem never stops the others."""
    outcomes = []
    for path in paths:
        name = os.fspath(path)
        try:
            data = read_capped(name, MAX_REPORT_BYTES)  # /dev/zero or a 3 GB file: refused unread
        except OSError as err:
            outcomes.append(ImportOutcome(name, 0, False,
                                          FileUnreadable(detail=err.strerror or str(err)).translated()))
            continue
        except DomainError as err:
            outcomes.append(ImportOutcome(name, 0, False, err.translated()))
            continue
        try:
            outcomes.append(import_report(session, actor, name, data))
        except Exception as err:  # a bug must not hide the other files' outcomes
            log.exception("wipe report %s", name)
            session.rollback()
            outcomes.append(ImportOutcome(name, 0, False, UnexpectedProblem(
                detail=type(err).__name__).translated()))
    return outcomes


def cli_import(session: Session, actor, paths: list[str]) -> int:
    """`python -m app import wipe-report FILE …`: one line per file; exit 1 if any was refused."""
    outcomes = import_files(session, actor, paths)
    for outcome in outcomes:
        print(f"{outcome.file}: {outcome.verdict} — {outcome.message}")
    refused = sum(1 for o in outcomes if not o.ok)
    print(_("Files: {files}, committed: {committed}, refused: {refused}; wipes recorded: {wipes}.",
            files=len(outcomes), committed=len(outcomes) - refused, refused=refused,
            wipes=sum(o.recorded for o in outcomes)))
    return 0 if not refused else 1
