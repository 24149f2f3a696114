"""Import the central asset register from CSV or XLSX, in two phases: check every row, then commit.

`validate` reads the file (CSV in UTF-8 with or without BOM or Windows-1252, comma
or semicolon; XLSX), maps its columns by header — our own "depot" layout and a
Snipe-IT asset export need no manual mapping — and checks every row without
writing anything. The `ImportPlan` it returns lists each row with its line number,
what will happen to it (new device, update, unchanged) or why it is rejected.
`commit` then writes in one transaction either the whole file (refused if any row
was rejected) or only the valid rows; its result always says how many rows were
rejected, so a partial import is never reported as a success. A device whose
manufacturer and serial number are already registered is updated (audited as
"edit" with old and new values), never registered twice; a new device gets a tag
and enters the lifecycle as received. The file layouts are in docs/asset-import.md.
"""

from __future__ import annotations

import datetime as dt
import enum
import gc
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .. import clock
from ..i18n import N_, _
from ..models import Asset, Category, Party, PartyType
from . import audit, catalogue, lifecycle, sequences
from .assets import canonical_manufacturer
from .codes import MAX_SERIAL_LENGTH, normalise_serial
from .errors import DomainError, ValidationError
from .identifiers import normalise_identifier
from .permissions import require
from .textfiles import line_list, mixed_encoding_lines, read_capped, split_records
from .uow import unit_of_work

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# A register of a few hundred thousand devices is well under this; a bigger file is the wrong file.
MAX_FILE_BYTES = 200 * 1024 * 1024
# A workbook's XML unpacked; and its sheet: a register is a few hundred thousand rows and a few
# dozen columns (Snipe-IT's export has about forty). Beyond that it is the wrong sheet, or a bomb.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_ROWS = 500_000
MAX_COLUMNS = 200
# Notes are free text, but a cell this long is a broken file (a whole sheet pasted into one cell).
MAX_NOTES = 10_000
EARLIEST_DATE = dt.date(1980, 1, 1)  # before the PC: a mistyped year, not a purchase
# A bare whole number in a date column is an Excel serial day (1954 … 2119 in this range).
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_DAYS = range(20_000, 80_000)
MAX_AMOUNT = Decimal("99999999.99")  # Numeric(10, 2)
MAX_INT = 2**31 - 1
CHUNK = 500  # keys per IN (…) query: well under SQLite's and PostgreSQL's parameter limits
# Our exports put a quote before a cell that a spreadsheet would run (see asset_export): undone here.
NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


class ImportMode(enum.StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    VALID_ONLY = "valid_only"


class RowAction(enum.StrEnum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


ACTION_LABELS = {RowAction.NEW: N_("new"), RowAction.UPDATE: N_("update"),
                 RowAction.UNCHANGED: N_("unchanged"), RowAction.REJECTED: N_("rejected")}


@dataclass(frozen=True)
class ImportField:
    name: str       # the depot column and the key in a row's values
    label: str      # marked text, translated when shown
    required: bool = False


FIELDS: dict[str, ImportField] = {f.name: f for f in (
    ImportField("serial", N_("Serial number"), True),
    ImportField("manufacturer", N_("Manufacturer"), True),
    ImportField("model", N_("Model"), True),
    ImportField("category", N_("Category"), True),
    ImportField("cpu", N_("Processor")),
    ImportField("ram_gb", N_("Memory (GB)")),
    ImportField("storage_gb", N_("Storage (GB)")),
    ImportField("purchase_date", N_("Purchase date")),
    ImportField("purchase_cost", N_("Purchase cost (€)")),
    ImportField("warranty_end", N_("End of warranty")),
    ImportField("origin_service", N_("Origin service")),
    ImportField("notes", N_("Notes")),
)}
DEPOT_COLUMNS = tuple(FIELDS)
REQUIRED = tuple(f.name for f in FIELDS.values() if f.required)

# Headers are compared casefolded with "_" read as a space. None: known, deliberately not imported.
DEPOT_HEADERS: dict[str, str | None] = {name.replace("_", " "): name for name in DEPOT_COLUMNS} | {
    "tag": None,  # tags are allocated by this application, never taken from a file
    "status": None,  # the status changes only through the lifecycle
}
SNIPEIT_HEADERS: dict[str, str | None] = {
    "serial": "serial", "serial number": "serial", "manufacturer": "manufacturer",
    "model": "model", "model name": "model", "category": "category",
    "purchase date": "purchase_date", "purchase cost": "purchase_cost",
    "warranty expires": "warranty_end", "asset notes": "notes", "notes": "notes",
    **dict.fromkeys((
        "company", "name", "asset name", "asset tag", "supplier", "location", "default location",
        "order number", "model notes", "model number", "model no.", "status", "checked out to",
        "assigned to", "warranty", "warranty months", "eol", "eol date", "depreciation",
        "current value", "byod", "requestable", "last audit", "next audit date", "checkout date",
        "expected checkin", "last checkout", "created at", "updated at", "id", "image",
    )),
}
# Category names as they occur in registers, in Dutch, English and Snipe-IT's demo set.
CATEGORY_NAMES: dict[str, Category] = {
    **{c.value: c for c in Category},
    **dict.fromkeys(("laptops", "notebook", "notebooks", "draagbare computer",
                     "draagbare computers"), Category.LAPTOP),
    **dict.fromkeys(("desktops", "pc", "pc's", "pcs", "vaste pc", "workstation", "workstations",
                     "all-in-one", "tower"), Category.DESKTOP),
    **dict.fromkeys(("monitors", "display", "displays", "screen", "screens", "beeldscherm",
                     "beeldschermen", "scherm", "schermen"), Category.MONITOR),
    **dict.fromkeys(("smartphones", "mobile phone", "mobile phones", "gsm", "gsm's",
                     "mobiele telefoon", "mobiele telefoons"), Category.SMARTPHONE),
    **dict.fromkeys(("tablets",), Category.TABLET),
    **dict.fromkeys(("printers", "multifunction printer", "multifunction printers", "mfp",
                     "multifunctionele printer", "multifunctionele printers"), Category.PRINTER),
    **dict.fromkeys(("servers",), Category.SERVER),
    **dict.fromkeys(("network device", "network devices", "networking", "network equipment",
                     "switch", "switches", "router", "routers", "access point", "access points",
                     "firewall", "firewalls", "netwerk", "netwerktoestel", "netwerktoestellen",
                     "netwerkapparatuur"), Category.NETWORK),
    **dict.fromkeys(("others", "andere", "overige", "overig"), Category.OTHER),
}


# --- refusals of a whole file --------------------------------------------------------------------

class ImportRefused(DomainError):
    message = N_("The file was refused.")


class FileTooLarge(ImportRefused):
    message = N_("The file is too large ({size} MB, at most {limit} MB).")


class EmptyFile(ImportRefused):
    message = N_("The file is empty.")


class UnknownEncoding(ImportRefused):
    message = N_("The file is neither UTF-8 nor Windows-1252 text: save it again as “CSV UTF-8” "
                 "or as an Excel workbook (.xlsx).")


class WorkbookTooLarge(ImportRefused):
    message = N_("The workbook unpacks to {size} MB (at most {limit} MB): it is not a register.")


class SheetTooLarge(ImportRefused):
    message = N_("The first sheet is too large ({rows} rows, {columns} columns; at most {max_rows} "
                 "rows and {max_columns} columns): delete the empty rows and columns at its end, "
                 "or import the register sheet on its own.")


class TooManyRows(ImportRefused):
    message = N_("The first sheet has more than {limit} rows: delete the empty rows at its end, "
                 "or split the register.")


class TooManyColumns(ImportRefused):
    message = N_("The first sheet has a cell in column {column} (at most {limit} columns): delete "
                 "the columns after the register's last column.")


class OldExcelFile(ImportRefused):
    message = N_("This is an old Excel file (.xls): save it as an Excel workbook (.xlsx) or as "
                 "“CSV UTF-8” and import that.")


class UnreadableWorkbook(ImportRefused):
    message = N_("The file is not a readable Excel workbook: {detail}.")


class CsvBroken(ImportRefused):
    message = N_("Line {line}: {reason}")


class MixedEncoding(ImportRefused):
    message = N_("The file mixes two encodings: lines {utf8} are UTF-8, lines {other} are not "
                 "(Windows-1252?). Importing it would garble letters such as é: save the whole "
                 "file again as “CSV UTF-8”.")


class NoRows(ImportRefused):
    message = N_("The file names the columns but has no rows to import.")


class UnknownFormat(ImportRefused):
    message = N_("Unknown format “{format}”: use depot or snipeit.")


class ColumnsNotMapped(ImportRefused):
    message = N_("No column is mapped to: {fields}. Map them, or check that the first row names "
                 "the columns.")


class UnknownColumn(ImportRefused):
    message = N_("The file has no column “{column}”.")


class MappedTwice(ImportRefused):
    message = N_("Several columns are mapped to {field}: map each field to one column.")


class ImportCancelled(ImportRefused):
    message = N_("Cancelled: nothing was imported.")


# --- problems of one row (reported with its line number; the row is rejected) -------------------

class RowProblem(DomainError):
    message = N_("The row is not valid.")


class EmptyRow(RowProblem):
    message = N_("the row is empty.")


class ExtraCells(RowProblem):
    message = N_("this line has {found} fields but the header has {expected}.")


class LineBreak(RowProblem):
    message = N_("{field} holds a line break; only the notes may span lines (is a quote not "
                 "closed?).")


class BadIdentifier(RowProblem):
    message = N_("{field}: {reason}")


class Missing(RowProblem):
    message = N_("{field} is missing.")


class TooLong(RowProblem):
    message = N_("{field} is longer than {limit} characters.")


class FormulaCell(RowProblem):
    message = N_("{field}: the cell holds a formula (“{value}”), not a value: save the values, "
                 "not the formulas.")


class BadDate(RowProblem):
    message = N_("{field}: “{value}” is not a date (write 31/12/2024 or 2024-12-31).")


class ImplausibleDate(RowProblem):
    message = N_("{field}: {value} is not plausible (before 1980 or in the future).")


class WarrantyBeforePurchase(RowProblem):
    message = N_("the warranty ends ({end}) before the purchase date ({start}).")


class BadAmount(RowProblem):
    message = N_("{field}: “{value}” is not an amount in euros (write 1234,56 or 1234.56).")


class AmbiguousAmount(RowProblem):
    message = N_("{field}: “{value}” could be thousands or decimals: write the amount without a "
                 "thousands separator, for example 1234,00.")


class BadNumber(RowProblem):
    message = N_("{field}: “{value}” is not a whole number of zero or more.")


class UnknownCategory(RowProblem):
    message = N_("Category “{value}” is unknown; use one of: {choices}.")


class UnknownService(RowProblem):
    message = N_("Origin service “{value}” is unknown: add the service first, or leave the cell empty.")


class SerialTwiceInFile(RowProblem):
    message = N_("serial number {serial} of {manufacturer} is already on line {other}.")


class RegisteredMeanwhile(RowProblem):
    message = N_("a device with this serial number was registered after the check ({tag}): "
                 "check the file again.")


class ChangedMeanwhile(RowProblem):
    message = N_("{tag} was changed after the check: check the file again.")


# --- reading the file -----------------------------------------------------------------------------

@dataclass
class SourceTable:
    """The cells of a CSV file or the first worksheet of a workbook, with their line numbers."""

    name: str
    kind: str                                   # "csv" or "xlsx"
    header: list[str]
    rows: list[tuple[int, list[object]]]        # (line or sheet row number, cells)
    encoding: str | None = None
    delimiter: str | None = None
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (line, column) holding a formula
    problems: dict[int, DomainError] = field(default_factory=dict)  # line → why it cannot be read


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf8, other = mixed_encoding_lines(data)
    if utf8 and other:  # either decoding would turn one part into mojibake without an error
        raise MixedEncoding(utf8=line_list(utf8), other=line_list(other))
    try:  # Excel's plain "CSV" on a Belgian Windows
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as err:
        raise UnknownEncoding() from err


def _read_csv(data: bytes, name: str) -> SourceTable:
    text, encoding = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise EmptyFile()
    delimiter = max((";", ",", "\t"), key=first.count)
    header: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    problems: dict[int, DomainError] = {}
    # Strict reading (textfiles.split_records): a broken quote is a problem of its own line,
    # never a reason to read the following rows into one cell.
    for record in split_records(text, delimiter):
        if header is None:
            if record.problem is not None:
                raise CsvBroken(line=record.line, reason=record.problem.translated())
            if any(c.strip() for c in record.cells):
                header = [c.strip() for c in record.cells]
            continue
        if record.problem is not None:
            problems[record.line] = record.problem
        rows.append((record.line, list(record.cells)))
    return SourceTable(name, "csv", header or [], rows, encoding=encoding, delimiter=delimiter,
                       problems=problems)


def _check_workbook_size(data: bytes) -> None:
    """A workbook is a zip: 2 MB on disk can be gigabytes of XML. Its directory says how much."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise UnreadableWorkbook(detail=str(err)[:200] or type(err).__name__) from err
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookTooLarge(size=unpacked // (1024 * 1024), limit=MAX_UNPACKED_BYTES // (1024 * 1024))


def _declared_size(sheet) -> tuple[int, int] | None:
    """(rows, columns) as the sheet's <dimension> states them, if it does."""
    from openpyxl.utils.cell import range_boundaries

    try:
        _min_col, _min_row, max_col, max_row = range_boundaries(sheet.calculate_dimension())
    except (ValueError, TypeError, AttributeError):  # none or unreadable: rows are counted instead
        return None
    if max_col is None or max_row is None:
        return None
    return max_row, max_col


def _refuse_far_cells(sheet) -> None:
    """Refuse a cell beyond MAX_COLUMNS as its row is parsed, before the row is padded to it.

    openpyxl's read-only sheet hands each parsed row (its cells only) to `_get_row`, which pads
    it to its last column: one cell in column XFD makes 16 384 values per row. This hooks in
    there (openpyxl 3.1); if a later openpyxl reads rows another way, `max_col` below still
    bounds every row, and only the message for a far cell is lost."""
    original = getattr(sheet, "_get_row", None)
    if original is None:
        return

    def get_row(row, min_col=1, max_col=None, values_only=False):
        # Only a value counts: an empty cell that is merely formatted far out is harmless here.
        far = [cell["column"] for cell in row
               if cell["column"] > MAX_COLUMNS and cell.get("value") not in (None, "")]
        if far:
            raise TooManyColumns(column=max(far), limit=MAX_COLUMNS)
        return original(row, min_col, max_col, values_only)

    sheet._get_row = get_row


def _read_xlsx(data: bytes, name: str) -> SourceTable:
    from openpyxl import load_workbook  # only when a workbook is imported

    _check_workbook_size(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as err:  # openpyxl raises many kinds (zip, XML, KeyError) for a broken file
        raise UnreadableWorkbook(detail=str(err)[:200] or type(err).__name__) from err
    try:
        sheet = book.worksheets[0]
        declared = _declared_size(sheet)
        if declared and (declared[0] > MAX_ROWS or declared[1] > MAX_COLUMNS):
            raise SheetTooLarge(rows=declared[0], columns=declared[1], max_rows=MAX_ROWS,
                                max_columns=MAX_COLUMNS)
        sheet.reset_dimensions()  # some writers store wrong dimensions; read what is there
        _refuse_far_cells(sheet)
        header: list[str] | None = None
        rows: list[tuple[int, list[object]]] = []
        formulas: set[tuple[int, int]] = set()
        # Streamed row by row (read-only), never wider than MAX_COLUMNS + 1: a cell in column XFD
        # would otherwise pad every row to 16 384 cells. The extra column tells a too-wide sheet.
        # Without data_only a formula cell reads as its "=…" text, which the row check reports.
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True),
                                       start=1):
            if number > MAX_ROWS + 1:
                raise TooManyRows(limit=MAX_ROWS)
            values = list(cells)
            while values and values[-1] is None:
                values.pop()
            if len(values) > MAX_COLUMNS:
                raise TooManyColumns(column=len(values), limit=MAX_COLUMNS)
            for col, value in enumerate(values):
                if value is not None and not isinstance(
                        value, str | int | float | bool | dt.date | dt.time | dt.timedelta | Decimal):
                    formulas.add((number, col))  # array and data-table formulas
                    values[col] = str(getattr(value, "text", value))
            if header is None:
                if any(_cell_text(v) for v in values):
                    header = [_cell_text(v) for v in values]
                continue
            rows.append((number, values))
    finally:
        book.close()
    return SourceTable(name, "xlsx", header or [], rows, formulas=formulas)


def read_table(data: bytes, name: str) -> SourceTable:
    """The header and cells of a CSV or XLSX file; refuses what it cannot read."""
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(size=len(data) // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024))
    if not data.strip():
        raise EmptyFile()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise OldExcelFile()
    suffix = Path(name).suffix.casefold()
    table = (_read_xlsx(data, name) if data.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm")
             else _read_csv(data, name))
    if not table.header:
        raise EmptyFile()
    if not any(_row_has_content(cells) for _line, cells in table.rows):
        raise NoRows()
    return table


def read_file(path: str) -> SourceTable:
    """`read_table` of a file on disk, its size checked before a byte is read."""
    return read_table(read_capped(path, MAX_FILE_BYTES), path)


# --- mapping columns to fields --------------------------------------------------------------------

def _header_key(text: str) -> str:
    return " ".join(text.replace("_", " ").casefold().split()).rstrip(":")


def detect_format(header: Sequence[str]) -> str | None:
    """"snipeit" for a Snipe-IT asset export, "depot" for our layout, None for anything else."""
    keys = {_header_key(h) for h in header}
    if "asset tag" in keys and {"manufacturer", "model"} <= keys:
        return "snipeit"
    if {"serial", "manufacturer", "model", "category"} <= keys:
        return "depot"
    return None


def suggest_mapping(header: Sequence[str], fmt: str | None = None) -> dict[int, str | None]:
    """Column index → field, from the header names; None where a column is not imported."""
    if fmt not in (None, "depot", "snipeit"):
        raise UnknownFormat(format=fmt)
    fmt = fmt or detect_format(header)
    known = {"depot": DEPOT_HEADERS, "snipeit": SNIPEIT_HEADERS}.get(fmt or "",
                                                                      SNIPEIT_HEADERS | DEPOT_HEADERS)
    mapping: dict[int, str | None] = {}
    taken: set[str] = set()
    for index, text in enumerate(header):
        target = known.get(_header_key(text))
        if target in taken:
            target = None  # a second "Notes" column: the first one wins, the user can remap
        mapping[index] = target
        if target:
            taken.add(target)
    return mapping


def _resolve_mapping(header: Sequence[str], fmt: str | None,
                     mapping: Mapping[int | str, str | None] | None) -> dict[str, int]:
    columns = suggest_mapping(header, fmt)
    for key, target in (mapping or {}).items():
        index = key if isinstance(key, int) else next(
            (i for i, h in enumerate(header) if h == key or _header_key(h) == _header_key(key)), None)
        if index is None or not 0 <= index < len(header):
            raise UnknownColumn(column=str(key))
        if target is not None and target not in FIELDS:
            raise ValueError(f"unknown import field {target!r}")
        columns[index] = target
    by_field: dict[str, int] = {}
    for index, target in sorted(columns.items()):
        if target is None:
            continue
        if target in by_field:
            raise MappedTwice(field=FIELDS[target].label)
        by_field[target] = index
    missing = [FIELDS[f].label for f in REQUIRED if f not in by_field]
    if missing:
        raise ColumnsNotMapped(fields=", ".join(_(label) for label in missing))
    return by_field


# --- reading values -------------------------------------------------------------------------------

def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _row_has_content(cells: Sequence[object]) -> bool:
    return any(_cell_text(c) for c in cells)


def _shown(value: object) -> str:
    text = " ".join(_cell_text(value).split())
    return text if len(text) <= 60 else text[:59] + "…"


def _unquote(text: str) -> str:
    return text[1:] if text.startswith(NEUTRALISED) else text


def _line_text(value: object, name: str, limit: int | None) -> str | None:
    try:  # NFKC, no zero-width or soft-hyphen characters, control characters refused
        text = " ".join(normalise_identifier(" ".join(_unquote(_cell_text(value)).split())).split())
    except ValidationError as err:
        raise BadIdentifier(field=FIELDS[name].label, reason=err.translated()) from None
    if not text:
        return None
    if limit is not None and len(text) > limit:
        raise TooLong(field=FIELDS[name].label, limit=limit)
    return text


def _notes(value: object) -> str | None:
    text = _unquote(_cell_text(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text).strip()
    if len(text) > MAX_NOTES:
        raise TooLong(field=FIELDS["notes"].label, limit=MAX_NOTES)
    return text or None


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def parse_date(value: object, name: str = "purchase_date") -> dt.date | None:
    """31/12/2024, 31-12-2024, 31.12.2024, 2024-12-31 (a time after it is ignored), Excel dates."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    label = FIELDS[name].label
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value)
    day: dt.date | None = None
    try:
        if m := _DMY.match(text):
            day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        elif m := _YMD.match(text):
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif text.isdigit() and int(text) in EXCEL_DAYS:
            day = EXCEL_EPOCH + dt.timedelta(days=int(text))
    except ValueError:
        day = None
    if day is None:
        raise BadDate(field=label, value=_shown(value))
    return day


def parse_amount(value: object, name: str = "purchase_cost") -> Decimal | None:
    """Euros as Decimal: 1234.56, 1234,56, 1.234,56, 1,234.56, € 1 234,56; never a float."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    label = FIELDS[name].label
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise BadAmount(field=label, value=_shown(value))
    if isinstance(value, str):
        text = re.sub(r"[\s\u00a0\u202f€]|eur\b", "", value.strip(), flags=re.IGNORECASE)
        text = _belgian_or_english(text, label, value)
    else:
        text = str(value)  # a float's shortest repr: 1234.56 stays 1234.56
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise BadAmount(field=label, value=_shown(value)) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(
            Decimal("0.01")):
        raise BadAmount(field=label, value=_shown(value))
    return amount.quantize(Decimal("0.01"))


def _belgian_or_english(text: str, label: str, raw: str) -> str:
    if not re.fullmatch(r"\d[\d.,]*", text):
        raise BadAmount(field=label, value=_shown(raw))
    dots, commas = text.count("."), text.count(",")
    if dots and commas:  # the last separator is the decimal one, the other groups thousands
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal_sep == "." else "."
        whole, _sep, cents = text.rpartition(decimal_sep)
        if not re.fullmatch(rf"\d{{1,3}}(\{thousands}\d{{3}})*", whole) or decimal_sep in whole:
            raise BadAmount(field=label, value=_shown(raw))
        return whole.replace(thousands, "") + "." + cents
    sep = "." if dots else "," if commas else None
    if sep is None:
        return text
    if text.count(sep) > 1:  # 1.234.567: thousands only
        if not re.fullmatch(rf"\d{{1,3}}(\{sep}\d{{3}})+", text):
            raise BadAmount(field=label, value=_shown(raw))
        return text.replace(sep, "")
    whole, _sep, tail = text.partition(sep)
    if len(tail) == 3 and re.fullmatch(r"[1-9]\d{0,2}", whole):  # 1.234: 1234 or 1,234 euros?
        raise AmbiguousAmount(field=label, value=_shown(raw))
    return f"{whole}.{tail}"


def parse_count(value: object, name: str) -> int | None:
    """A whole number of GB: 16, "16", "16 GB", 16.0 from a workbook."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    label = FIELDS[name].label
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and (m := re.fullmatch(r"(\d+)\s*(?:gb)?", value.strip(), re.IGNORECASE)):
        number = int(m.group(1))
    if number is None or not 0 <= number <= MAX_INT:
        raise BadNumber(field=label, value=_shown(value))
    return number


def category_of(value: object) -> Category:
    key = " ".join(_cell_text(value).casefold().split())
    found = CATEGORY_NAMES.get(key)
    if found is None:
        from .documents.intake_receipt import category_name  # the names a technician knows

        raise UnknownCategory(value=_shown(value), choices=", ".join(category_name(c) for c in Category))
    return found


# --- the plan -------------------------------------------------------------------------------------

@dataclass(slots=True)
class PlannedRow:
    line: int
    action: RowAction
    shown: tuple[str, str, str, str]                 # serial, manufacturer, model, category as written
    values: dict[str, object] = field(default_factory=dict)  # checked, typed: Asset attribute → value
    errors: list[DomainError] = field(default_factory=list)
    asset_id: int | None = None                      # the registered device an update applies to
    asset_version: int | None = None
    tag: str | None = None
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return self.values["manufacturer"], normalise_serial(self.values["serial"])

    def error_text(self) -> str:
        return "; ".join(err.translated() for err in self.errors)

    def report_line(self) -> str:
        return _("Line {line}: {reason}", line=self.line, reason=self.error_text())


@dataclass
class ImportPlan:
    """What `commit` would do with each row of a checked file, nothing written yet."""

    source: str
    fmt: str | None
    columns: dict[str, str]          # field → header of the column it is read from
    ignored_columns: list[str]       # headers of columns that are not imported
    rows: list[PlannedRow]
    trailing_empty: int = 0          # empty rows after the last row (Excel leaves them): not rows

    def count(self, action: RowAction) -> int:
        return sum(1 for r in self.rows if r.action is action)

    @property
    def new(self) -> int:
        return self.count(RowAction.NEW)

    @property
    def updates(self) -> int:
        return self.count(RowAction.UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(RowAction.UNCHANGED)

    @property
    def rejected(self) -> int:
        return self.count(RowAction.REJECTED)

    @property
    def rejected_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action is RowAction.REJECTED]

    def summary(self) -> str:
        text = _("Checked {total} rows — new: {new}, to update: {updated}, unchanged: {unchanged}, "
                 "rejected: {rejected}.", total=len(self.rows), new=self.new, updated=self.updates,
                 unchanged=self.unchanged, rejected=self.rejected)
        if self.trailing_empty:
            text += " " + _("Empty rows at the end of the file, ignored: {count}.",
                            count=self.trailing_empty)
        return text


class _Checker:
    """Per-file look-ups done once: manufacturers' spellings, services, today's date."""

    def __init__(self, session: Session, columns: dict[str, int], width: int,
                 formulas: set[tuple[int, int]], exact_width: bool = False) -> None:
        self.session = session
        self.columns = columns
        self.width = width
        self.exact_width = exact_width  # CSV: every record has the header's number of fields
        self.formulas = formulas
        self.makes: dict[str, str] = {}
        self.services = {" ".join(name.casefold().split()): pid for pid, name in session.execute(
            select(Party.id, Party.name).where(Party.type == PartyType.SERVICE).order_by(Party.id))}
        self.today = clock.today()
        self.limits = {name: Asset.__table__.c[name].type.length
                       for name in ("serial", "manufacturer", "model", "cpu")}

    def manufacturer(self, text: str) -> str:
        key = text.casefold()
        if key not in self.makes:  # the database's and the catalogue's spelling, else the first one
            self.makes[key] = canonical_manufacturer(self.session, text)
        return self.makes[key]

    def check(self, line: int, cells: list[object]) -> PlannedRow:
        def cell(name: str) -> object:
            index = self.columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        row = PlannedRow(line, RowAction.REJECTED, tuple(
            _shown(cell(n)) for n in ("serial", "manufacturer", "model", "category")))
        if (len(cells) != self.width if self.exact_width
                else len(cells) > self.width and _row_has_content(cells[self.width:])):
            row.errors.append(ExtraCells(found=len(cells), expected=self.width))
        values: dict[str, object] = {}
        for name, index in self.columns.items():
            raw = cell(name)
            if name != "notes" and isinstance(raw, str) and ("\n" in raw or "\r" in raw):
                row.errors.append(LineBreak(field=FIELDS[name].label))
                continue
            if (line, index) in self.formulas or (isinstance(raw, str) and raw.startswith("=")):
                row.errors.append(FormulaCell(field=FIELDS[name].label, value=_shown(raw)))
                continue
            try:
                value = self._value(name, raw)
            except RowProblem as err:
                row.errors.append(err)
                continue
            if value is None:
                if FIELDS[name].required:
                    row.errors.append(Missing(field=FIELDS[name].label))
                continue
            values["origin_service_id" if name == "origin_service" else name] = value
        start, end = values.get("purchase_date"), values.get("warranty_end")
        if start and end and end < start:
            row.errors.append(WarrantyBeforePurchase(end=end.strftime("%d/%m/%Y"),
                                                     start=start.strftime("%d/%m/%Y")))
        row.values = values
        if not row.errors:
            row.action = RowAction.NEW
        return row

    def _value(self, name: str, raw: object) -> object:
        if name == "serial":
            return _line_text(raw, name, min(MAX_SERIAL_LENGTH, self.limits[name]))
        if name in ("manufacturer", "model", "cpu"):
            text = _line_text(raw, name, self.limits[name])
            return self.manufacturer(text) if name == "manufacturer" and text else text
        if name == "category":
            return category_of(raw) if _cell_text(raw) else None
        if name in ("ram_gb", "storage_gb"):
            return parse_count(raw, name)
        if name in ("purchase_date", "warranty_end"):
            day = parse_date(raw, name)
            if day and (day < EARLIEST_DATE or (name == "purchase_date" and day > self.today)):
                raise ImplausibleDate(field=FIELDS[name].label, value=day.strftime("%d/%m/%Y"))
            return day
        if name == "purchase_cost":
            return parse_amount(raw, name)
        if name == "origin_service":
            text = _line_text(raw, name, None)
            if text is None:
                return None
            service = self.services.get(text.casefold())
            if service is None:
                raise UnknownService(value=_shown(text))
            return service
        return _notes(raw)


_COMPARED = ("category", "model", "cpu", "ram_gb", "storage_gb", "purchase_date", "purchase_cost",
             "warranty_end", "origin_service_id", "notes")


def _registered(session: Session, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple]:
    """(manufacturer, serial key) → (id, version, tag, compared columns…) of registered devices."""
    wanted = set(keys)
    serials = sorted({serial for _make, serial in wanted})
    cols = [Asset.id, Asset.version, Asset.tag, Asset.manufacturer, Asset.serial_normalised,
            *(getattr(Asset, c) for c in _COMPARED)]
    found: dict[tuple[str, str], tuple] = {}
    for start in range(0, len(serials), CHUNK):
        # Values inline (safely quoted): psycopg prepares a statement it sees five times, and a
        # plan cached while the table was nearly empty would scan the whole table per chunk
        # after a large import (minutes instead of seconds on PostgreSQL).
        chunk = bindparam("serials", serials[start:start + CHUNK], expanding=True, literal_execute=True)
        for rec in session.execute(select(*cols).where(Asset.serial_normalised.in_(chunk))):
            key = (rec.manufacturer, rec.serial_normalised)
            if key in wanted:
                found[key] = tuple(rec)
    return found


def _plan_against_register(session: Session, rows: list[PlannedRow]) -> None:
    valid = [r for r in rows if r.action is not RowAction.REJECTED]
    registered = _registered(session, (r.key for r in valid))
    for row in valid:
        rec = registered.get(row.key)
        if rec is None:
            continue
        row.asset_id, row.asset_version, row.tag = rec[0], rec[1], rec[2]
        current = dict(zip(_COMPARED, rec[5:], strict=True))
        row.changes = {name: (current[name], value) for name, value in row.values.items()
                       if name in current and value is not None and current[name] != value}
        row.action = RowAction.UPDATE if row.changes else RowAction.UNCHANGED


def validate_table(session: Session, table: SourceTable, fmt: str | None = None,
                   mapping: Mapping[int | str, str | None] | None = None,
                   progress: Progress | None = None, cancelled: Cancelled | None = None) -> ImportPlan:
    """Check every row of a read file against the rules and the register; writes nothing."""
    by_field = _resolve_mapping(table.header, fmt, mapping)
    checker = _Checker(session, by_field, len(table.header), table.formulas,
                       exact_width=table.kind == "csv")
    last = max((i for i, (line, cells) in enumerate(table.rows)
                if _row_has_content(cells) or line in table.problems), default=-1)
    rows: list[PlannedRow] = []
    first_line: dict[tuple[str, str], int] = {}
    total = last + 1
    for i, (line, cells) in enumerate(table.rows[:total]):
        if i % 1000 == 0:
            if cancelled and cancelled():
                raise ImportCancelled()
            if progress:
                progress(i, total)
        if line in table.problems:  # unreadable as a record: its line, and why
            rows.append(PlannedRow(line, RowAction.REJECTED, ("", "", "", ""),
                                   errors=[table.problems[line]]))
            continue
        if not _row_has_content(cells):
            rows.append(PlannedRow(line, RowAction.REJECTED, ("", "", "", ""), errors=[EmptyRow()]))
            continue
        row = checker.check(line, cells)
        if "serial" in row.values and "manufacturer" in row.values:
            # The same device twice in one file is ambiguous even when one of the rows is wrong.
            other = first_line.setdefault(row.key, line)
            if other != line:
                row.action = RowAction.REJECTED
                row.errors.append(SerialTwiceInFile(serial=row.key[1], manufacturer=row.key[0],
                                                    other=other))
        rows.append(row)
    _plan_against_register(session, rows)
    if progress:
        progress(total, total)
    used = set(by_field.values())
    return ImportPlan(
        source=table.name, fmt=fmt or detect_format(table.header),
        columns={name: table.header[index] for name, index in by_field.items()},
        ignored_columns=[h for i, h in enumerate(table.header) if i not in used and h],
        rows=rows, trailing_empty=len(table.rows) - total,
    )


def validate(session: Session, data: bytes, name: str, fmt: str | None = None,
             mapping: Mapping[int | str, str | None] | None = None,
             progress: Progress | None = None, cancelled: Cancelled | None = None) -> ImportPlan:
    """Phase one: read and check a whole file. Refuses an unreadable file; a bad row is reported."""
    return validate_table(session, read_table(data, name), fmt, mapping, progress, cancelled)


# --- committing -----------------------------------------------------------------------------------

@dataclass
class ImportResult:
    """What `commit` did. `ok` only when the transaction committed and no row was left out."""

    committed: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list[PlannedRow] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)  # (line, tag) of each new device
    reason: str | None = None      # why nothing was written

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    @property
    def ok(self) -> bool:
        return self.committed and not self.rejects

    def message(self) -> str:
        if not self.committed:
            return self.reason or _("Nothing was imported.")
        counts = {"new": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.rejects:
            return _("Import INCOMPLETE — new devices: {new}, updated: {updated}, unchanged: "
                     "{unchanged}; rejected and NOT imported: {rejected} (see the report).",
                     rejected=self.rejected, **counts)
        return _("Import complete — new devices: {new}, updated: {updated}, unchanged: {unchanged}.",
                 **counts)


class _Abort(Exception):
    def __init__(self, rows: list[PlannedRow]) -> None:
        super().__init__("rows changed after the check")
        self.rows = rows


def _late_conflicts(session: Session, rows: list[PlannedRow]) -> list[PlannedRow]:
    """Rows whose device was registered or changed by another desk since the plan was made."""
    now = _registered(session, (r.key for r in rows))
    late = []
    for row in rows:
        rec = now.get(row.key)
        if row.action is RowAction.NEW and rec is not None:
            problem: DomainError = RegisteredMeanwhile(tag=rec[2])
        elif row.action is RowAction.UPDATE and (rec is None or rec[:2] != (row.asset_id,
                                                                            row.asset_version)):
            problem = ChangedMeanwhile(tag=row.tag)
        else:
            continue
        late.append(PlannedRow(row.line, RowAction.REJECTED, row.shown, row.values, [problem]))
    return late


def _receive_many(session: Session, actor, rows: list[PlannedRow]) -> list[Asset]:
    """Register devices inside the caller's transaction, as `assets.register_asset` does.

    One statement reserves the tags (in line order) and one flush writes the devices and
    their audit events: per-row round trips made a 100 000-row register take many minutes.
    """
    defaults = catalogue.category_defaults()
    new = []
    ids = sequences.next_ids(session, Asset, len(rows))
    for row, tag, id_ in zip(rows, sequences.next_tags(session, len(rows)), ids, strict=True):
        values = row.values
        serial = values["serial"]
        new.append(Asset(
            id=id_, tag=tag, manufacturer=values["manufacturer"],
            serial=serial, serial_normalised=normalise_serial(serial),
            data_bearing=defaults[values["category"]].data_bearing,
            created_by_id=actor.id, updated_by_id=actor.id,
            **{k: v for k, v in values.items() if k not in ("manufacturer", "serial")},
        ))
    session.add_all(new)
    lifecycle.enter_many(session, new, "receive", actor)
    return new


@contextmanager
def _few_collections() -> Iterator[None]:
    """Python's cyclic collector, left at its default, keeps rescanning the plan and the
    thousands of new records while a big file is written: about a third of the time."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 100_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def commit(session: Session, actor, plan: ImportPlan,
           mode: ImportMode | str = ImportMode.ALL_OR_NOTHING,
           progress: Progress | None = None, cancelled: Cancelled | None = None) -> ImportResult:
    """Phase two: write the plan in one transaction. Never raises for bad rows; read the result."""
    mode = ImportMode(mode)
    rejects = plan.rejected_rows
    if mode is ImportMode.ALL_OR_NOTHING and rejects:
        return ImportResult(False, rejects=rejects, reason=_(
            "Nothing was imported: rows with errors: {rejected}. Correct the file and check it "
            "again, or choose to import only the valid rows.", rejected=len(rejects)))
    updates = [r for r in plan.rows if r.action is RowAction.UPDATE]
    news = [r for r in plan.rows if r.action is RowAction.NEW]
    if updates:
        require(actor, "asset.edit")
    if news or not updates:
        require(actor, "asset.register")
    total, done = len(updates) + len(news), 0
    tags: list[tuple[int, str]] = []

    def tick() -> None:
        nonlocal done
        done += 1
        if done % 200 == 0:
            if cancelled and cancelled():
                raise ImportCancelled()
            if progress:
                progress(done, total)

    try:
        with _few_collections(), unit_of_work(
                session, actor, "edit", permission="asset.edit" if updates else "asset.register"):
            late = _late_conflicts(session, updates + news)
            if late and mode is ImportMode.ALL_OR_NOTHING:
                raise _Abort(late)
            skip = {r.line for r in late}
            updates = [r for r in updates if r.line not in skip]
            news = [r for r in news if r.line not in skip]
            for start in range(0, len(updates), CHUNK):  # audited as "edit", old and new values
                chunk = updates[start:start + CHUNK]
                loaded = {a.id: a for a in session.scalars(
                    select(Asset).where(Asset.id.in_([r.asset_id for r in chunk])))}
                for row in chunk:
                    asset = loaded[row.asset_id]
                    for name, (_old, new) in row.changes.items():
                        setattr(asset, name, new)
                    asset.updated_by_id = actor.id
                    tick()
                session.flush()
            audit.set_context(session, actor, "receive")  # new devices: as at the intake desk
            for start in range(0, len(news), CHUNK):
                chunk = news[start:start + CHUNK]
                for row, asset in zip(chunk, _receive_many(session, actor, chunk), strict=True):
                    tags.append((row.line, asset.tag))
                    tick()
    except _Abort as abort:
        return ImportResult(False, rejects=abort.rows, reason=_(
            "Nothing was imported: rows changed in the database after the check: {count}. Check "
            "the file again.", count=len(abort.rows)))
    except ImportCancelled as err:
        return ImportResult(False, rejects=rejects, reason=err.translated())
    except DomainError as err:
        return ImportResult(False, rejects=rejects, reason=_(
            "Nothing was imported: {reason}", reason=err.translated()))
    if progress:
        progress(total, total)
    return ImportResult(True, created=len(news), updated=len(updates), unchanged=plan.unchanged,
                        rejects=sorted(rejects + late, key=lambda r: r.line), tags=tags)


# --- the command line -----------------------------------------------------------------------------

def cli_import_assets(session: Session, actor, path: str, fmt: str | None, dry_run: bool,
                      mode: ImportMode | str = ImportMode.ALL_OR_NOTHING) -> int:
    """`python -m app import assets FILE`: a line per rejected row; exit 1 unless every row made it."""
    try:
        data = read_capped(path, MAX_FILE_BYTES)  # size checked before the file is read
        plan = validate(session, data, path, fmt)
    except OSError as err:
        print(_("The file cannot be read: {detail}.", detail=err.strerror or str(err)))
        return 1
    except DomainError as err:
        print(f"{path}: {err.translated()}")
        return 1
    for row in plan.rejected_rows:
        print(row.report_line())
    if plan.ignored_columns:
        print(_("Columns not imported: {columns}.", columns=", ".join(plan.ignored_columns)))
    print(plan.summary())
    if dry_run:
        print(_("Dry run: nothing was written."))
        return 1 if plan.rejected else 0
    result = commit(session, actor, plan, mode)
    reported = {row.line for row in plan.rejected_rows}
    for row in result.rejects:
        if row.line not in reported:  # changed in the database after the check
            print(row.report_line())
    print(result.message())
    return 0 if result.ok else 1
