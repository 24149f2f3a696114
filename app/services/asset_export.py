"""Export rows — the inventory's current (filtered) view, or the whole register — to CSV or XLSX.

The caller hands over column headers and an iterable of tuples, so a view can
stream its current filter without loading it all (`export_rows`). A text cell
that a spreadsheet would run as a formula — starting with = + - @, a tab or a
carriage return — gets a leading quote (OWASP's advice against CSV injection),
in CSV and in XLSX alike: a device note typed as `=HYPERLINK(…)` must not become
a live link on the manager's screen. Numbers and dates stay numbers and dates.

CSV is written for a Belgian Excel: UTF-8 with a byte-order mark (so Excel reads
the accents), semicolons, decimal commas and ISO dates (2024-12-31), CRLF lines.
`depot_rows` gives the register in the "depot" layout that `asset_import` reads
back (docs/asset-import.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from ..i18n import N_, _
from ..models import Asset, Party
from ..timefmt import local
from .asset_import import DEPOT_COLUMNS
from .errors import DomainError

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"  # the list separator of Excel with Belgian (nl-BE, fr-BE) regional settings
DEPOT_EXPORT_HEADERS = ("tag", "status", *DEPOT_COLUMNS)
XLSX_DATE_FORMAT = "dd/mm/yyyy"
XLSX_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
XLSX_MONEY_FORMAT = "#,##0.00"
_BATCH = 1000

Progress = Callable[[int], None]


class UnknownExportFormat(DomainError):
    message = N_("Unknown export format “{format}”: choose CSV or XLSX.")


class ExportFailed(DomainError):
    message = N_("{path} could not be written: {detail}")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would evaluate, made inert with a leading quote."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def format_for(path: str | os.PathLike, fmt: str | None = None) -> str:
    chosen = (fmt or Path(path).suffix.lstrip(".")).casefold()
    if chosen not in FORMATS:
        raise UnknownExportFormat(format=fmt or Path(path).suffix or "?")
    return chosen


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return local(value).replace(tzinfo=None)  # shown in Brussels time, as on screen
    return value


def _csv_cell(value: object) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal | float):
        return format(value, "f").replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def _write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]], path: Path,
               progress: Progress | None) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=CSV_DELIMITER, lineterminator="\r\n")
        writer.writerow([neutralise(str(h)) for h in headers])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
            count += 1
            if progress and count % _BATCH == 0:
                progress(count)
    return count


def _write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[object]], path: Path,
                progress: Progress | None) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook(write_only=True)  # streams rows to disk: a large register fits in memory
    sheet = book.create_sheet()
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: object) -> object:
        value = _plain(value)
        if isinstance(value, str):
            # A str is always written as text (openpyxl would turn "=…" into a formula otherwise).
            return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
        if value is None or isinstance(value, int | float):
            return value  # a plain value is much faster than a styled cell in a write-only sheet
        if not isinstance(value, Decimal | dt.date | dt.time):
            return neutralise(str(value))
        styled = WriteOnlyCell(sheet, value=value)
        styled.number_format = (XLSX_DATETIME_FORMAT if isinstance(value, dt.datetime)
                                else XLSX_DATE_FORMAT if isinstance(value, dt.date)
                                else XLSX_MONEY_FORMAT if isinstance(value, Decimal) else "hh:mm")
        return styled

    header_cells = []
    for h in headers:
        c = WriteOnlyCell(sheet, value=neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(h))))
        c.font = bold
        header_cells.append(c)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([cell(v) for v in row])
        count += 1
        if progress and count % _BATCH == 0:
            progress(count)
    book.save(path)
    return count


def export_rows(rows: Iterable[Sequence[object]], path: str | os.PathLike, fmt: str | None = None, *,
                headers: Sequence[str], progress: Progress | None = None) -> int:
    """Write `headers` and then each row to `path` as CSV or XLSX; returns the number of rows.

    `rows` may be a generator (a paged query): it is consumed once. `fmt` defaults to the
    file's suffix. A failed write leaves no half-written file behind.
    """
    from . import files

    try:
        files.check_writable(path)  # a folder is said as a folder, not as an unknown format
    except files.OutputFailed as err:
        raise ExportFailed(**err.params) from err
    kind = format_for(path, fmt)
    writer = _write_csv if kind == "csv" else _write_xlsx
    try:
        with files.atomic_path(path) as partial:  # a full disk or a folder: no file, one message
            count = writer(headers, rows, partial, progress)
    except files.OutputFailed as err:
        raise ExportFailed(**err.params) from err
    if progress:
        progress(count)
    return count


def depot_rows(session: Session, stmt: Select | None = None) -> Iterator[tuple]:
    """The devices of `stmt` (a select of Asset; default all, by tag) in the depot layout."""
    origin = aliased(Party)
    query = stmt if stmt is not None else select(Asset).order_by(Asset.tag)
    query = (query.outerjoin(origin, Asset.origin_service_id == origin.id)
             .add_columns(origin.name).execution_options(yield_per=_BATCH))
    for asset, service in session.execute(query):
        yield (asset.tag, asset.status, asset.serial, asset.manufacturer, asset.model, asset.category,
               asset.cpu, asset.ram_gb, asset.storage_gb, asset.purchase_date, asset.purchase_cost,
               asset.warranty_end, service, asset.notes)


def cli_export_assets(session: Session, path: str, fmt: str | None) -> int:
    """`python -m app export assets FILE`: the whole register in the depot layout."""
    try:
        count = export_rows(depot_rows(session), path, fmt, headers=DEPOT_EXPORT_HEADERS)
    except DomainError as err:
        print(err.translated(), file=sys.stderr)
        return 1
    print(_("Devices written to {path}: {count}.", path=path, count=count))
    return 0


INVENTORY_HEADERS = (N_("Tag"), N_("Status"), N_("Category"), N_("Manufacturer"), N_("Model"),
                     N_("Serial number"), N_("Grade"), N_("Location"), N_("Origin service"),
                     N_("Age (months)"), N_("Days in the current status"))


def export_inventory(session: Session, query, path: str | os.PathLike, fmt: str | None = None) -> int:
    """The inventory view as it is filtered and sorted on screen, page by page, to CSV or XLSX."""
    from . import inventory, lifecycle

    def rows():
        cursor = None
        while True:
            page = inventory.page(session, query, cursor, 1000)
            for r in page.rows:
                yield (r.tag, lifecycle.status_label(r.status), category_label(r.category),
                       r.manufacturer, r.model, r.serial or "", r.grade.value if r.grade else "",
                       r.location or "", r.origin or "", r.age_months, r.days_in_status)
            if page.next is None:
                return
            cursor = page.next

    return export_rows(rows(), path, fmt, headers=[_(h) for h in INVENTORY_HEADERS])


def category_label(category) -> str:
    from .documents.intake_receipt import category_name

    return category_name(category)
