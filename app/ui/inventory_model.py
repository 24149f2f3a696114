"""The inventory table model: a million devices, read a page at a time, never on the GUI thread.

`set_query()` starts a worker (QThreadPool) for the first page, and once it is
shown another for the count; the view asks for more rows as it scrolls (`canFetchMore` /
`fetchMore`), each page read after the last row's key. Every new query bumps
a generation number: answers to an older query are dropped when they arrive,
and a query still running for an older generation is interrupted (SQLite), so
typing fast never queues up work. Rows stay on screen until the new ones are
there, so the list does not flicker while a person types.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..db import Database
from ..i18n import N_, _
from ..services import inventory, lifecycle
from ..services.documents.intake_receipt import category_name
from ..services.errors import DatabaseUnavailable, DomainError
from ..services.inventory import InventoryQuery, InventoryRow, Page, SortColumn

log = logging.getLogger(__name__)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the InventoryRow itself
NO_PARENT = QModelIndex()
STALE_BACKGROUND = QColor("#fff1cc")
STALE_MARK = QColor("#b7791f")
STATISTICS_MAX_AGE_S = 15 * 60  # recount from scratch now and then (the audit keeps them exact)


@dataclass(frozen=True)
class Column:
    sort: SortColumn
    title: str  # English source text, translated when shown
    numeric: bool = False
    tooltip: str | None = None  # for a header shortened to fit


COLUMNS = (
    Column(SortColumn.TAG, N_("Tag")),
    Column(SortColumn.STATUS, N_("Status")),
    Column(SortColumn.CATEGORY, N_("Category")),
    Column(SortColumn.MODEL, N_("Manufacturer and model")),
    Column(SortColumn.SERIAL, N_("Serial number")),
    Column(SortColumn.GRADE, N_("Grade")),
    Column(SortColumn.LOCATION, N_("Location")),
    Column(SortColumn.ORIGIN, N_("Origin"), tooltip=N_("Origin service")),
    Column(SortColumn.AGE, N_("Age"), numeric=True),
    Column(SortColumn.DAYS_IN_STATUS, N_("Days"), numeric=True, tooltip=N_("Days in the current status")),
)


def column_of(sort: SortColumn) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.sort == sort)


_R = Qt.ItemDataRole
_DISPLAY, _DECORATION, _TOOLTIP, _BACKGROUND, _ALIGN, _USER = (
    int(_R.DisplayRole.value), int(_R.DecorationRole.value), int(_R.ToolTipRole.value),
    int(_R.BackgroundRole.value), int(_R.TextAlignmentRole.value), int(_R.UserRole.value))
_ROW = int(ROW_ROLE) if isinstance(ROW_ROLE, int) else int(ROW_ROLE.value)
_ROLES = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _BACKGROUND, _ALIGN, _USER, _ROW})
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_STATUS_COLUMN = column_of(SortColumn.STATUS)


class _Generation:
    """The number of the newest query; workers read it to know whether they are still wanted."""

    def __init__(self) -> None:
        self.value = 0


class _Signals(QObject):
    page = Signal(int, object, bool)  # generation, Page, replaces the rows
    counted = Signal(int, int)  # generation, number of matches
    failed = Signal(int, str)  # generation, message


class _Job(QRunnable):
    """One service call in its own session on a pool thread; the answer comes back as a signal."""

    def __init__(self, database: Database, generation: _Generation, number: int,
                 work: Callable[[Session, Callable[[], bool]], object],
                 done: Callable[[object], None], signals: _Signals) -> None:
        super().__init__()
        self.database, self.generation, self.number = database, generation, number
        self.work, self.done, self.signals = work, done, signals

    def stale(self) -> bool:
        return self.generation.value != self.number

    def run(self) -> None:
        if self.stale():
            return  # a newer query came in while this one waited for a thread
        try:
            with self.database.session() as session:
                result = self.work(session, self.stale)
        except inventory.QueryCancelled:
            return
        except DomainError as err:
            self.signals.failed.emit(self.number, str(err))
        except SQLAlchemyError as err:
            if self.stale():
                return
            log.exception("inventory query failed")
            detail = str(getattr(err, "orig", None) or err).splitlines()[0][:200]
            self.signals.failed.emit(self.number, str(DatabaseUnavailable(detail=detail)))
        except Exception:
            log.exception("inventory worker failed")
            self.signals.failed.emit(self.number, _("The list could not be read; see the log."))
        else:
            self.done(result)


def _stale_icon() -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(STALE_MARK)
    painter.drawEllipse(1, 1, 12, 12)
    painter.setPen(QColor("white"))
    painter.drawLine(7, 4, 7, 8)  # a clock's hands: waiting too long
    painter.drawLine(7, 8, 10, 8)
    painter.end()
    return QIcon(pixmap)


class InventoryModel(QAbstractTableModel):
    """Rows of the inventory for the current query, loaded page by page."""

    loading_changed = Signal(bool)
    count_changed = Signal(object)  # int, or None while counting
    rows_replaced = Signal()  # the first page of a new query is shown
    rows_added = Signal()  # a further page is shown
    failed = Signal(str)

    def __init__(self, database: Database, parent: QObject | None = None, *,
                 page_size: int = inventory.PAGE_SIZE, stale_days: int = inventory.DEFAULT_STALE_DAYS,
                 warm_up: bool = True) -> None:
        super().__init__(parent)
        self.database = database
        self.page_size = page_size
        self._query = InventoryQuery(stale_days=stale_days)
        self._rows: list[InventoryRow] = []
        self._texts: list[tuple[str, ...]] = []  # what each cell shows, made once per row
        self._next: inventory.Cursor | None = None
        self._fetching = False
        self._count: int | None = None
        self._generation = _Generation()
        self._signals = _Signals()
        self._signals.page.connect(self._page_arrived)
        self._signals.counted.connect(self._count_arrived)
        self._signals.failed.connect(self._failure_arrived)
        # Pages and counts in pools of their own: a slow count never holds up a page.
        self._pages = QThreadPool(self)
        self._pages.setMaxThreadCount(2)
        self._counts = QThreadPool(self)
        self._counts.setMaxThreadCount(1)
        self._icon = _stale_icon()
        if warm_up:  # the per-value counts the search needs, before the first keystroke
            self._counts.start(_Job(database, _Generation(), 0, lambda s, _stop: inventory.statistics(
                s, rebuild_after=STATISTICS_MAX_AGE_S), lambda _result: None, self._signals))

    # --- queries ----------------------------------------------------------------------------------

    @property
    def query(self) -> InventoryQuery:
        return self._query

    @property
    def count(self) -> int | None:
        return self._count

    def is_loading(self) -> bool:
        return self._fetching

    def set_query(self, query: InventoryQuery) -> None:
        """Show the devices matching `query` (answers for earlier queries are dropped)."""
        self._query = query
        self._generation.value += 1
        number = self._generation.value
        self._fetching = True
        self._count = None
        self.loading_changed.emit(True)
        self.count_changed.emit(None)
        size = self.page_size
        self._submit(self._pages, number,
                     lambda s, stop: inventory.page(s, query, None, size, should_stop=stop),
                     lambda page: self._signals.page.emit(number, page, True))

    def refresh(self) -> None:
        self.set_query(self._query)

    def refresh_assets(self, ids: list[int]) -> None:
        """Show the current state of these rows (after an action), where they are in the list."""
        positions = {row.id: i for i, row in enumerate(self._rows) if row.id in set(ids)}
        if not positions:
            return
        try:
            with self.database.session() as session:
                fresh = inventory.rows_by_id(session, self._query, list(positions))
        except (DomainError, SQLAlchemyError):
            log.exception("could not refresh inventory rows")
            return
        for asset_id, i in positions.items():
            if asset_id in fresh:
                self._rows[i] = fresh[asset_id]
                self._texts[i] = self.texts(fresh[asset_id])
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    def _submit(self, pool: QThreadPool, number: int, work, done) -> None:
        pool.start(_Job(self.database, self._generation, number, work, done, self._signals))

    def _page_arrived(self, number: int, page: Page, replaces: bool) -> None:
        if number != self._generation.value:
            return
        if replaces:
            self.beginResetModel()
            self._rows = list(page.rows)
            self._texts = [self.texts(r) for r in self._rows]
            self.endResetModel()
        elif page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self._texts.extend(self.texts(r) for r in page.rows)
            self.endInsertRows()
        self._next = page.next
        self._fetching = False
        if replaces:
            self._start_count(number, page)
        self.loading_changed.emit(False)
        (self.rows_replaced if replaces else self.rows_added).emit()

    def _start_count(self, number: int, page: Page) -> None:
        """Count once the rows are shown (a count running beside the page would slow it down);
        a first page that is also the last one is its own count."""
        if page.next is None:
            self._count_arrived(number, len(page.rows))
            return
        query = self._query
        self._submit(self._counts, number,
                     lambda s, stop: inventory.count(s, query, should_stop=stop),
                     lambda n: self._signals.counted.emit(number, n))

    def _count_arrived(self, number: int, count: int) -> None:
        if number == self._generation.value:
            self._count = count
            self.count_changed.emit(count)

    def _failure_arrived(self, number: int, message: str) -> None:
        if number == self._generation.value:
            self._fetching = False
            self.loading_changed.emit(False)
            self.failed.emit(message)

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Stop what is running (a newer generation interrupts it) and wait for the workers."""
        self._generation.value += 1
        self._pages.waitForDone(wait_ms)
        self._counts.waitForDone(wait_ms)

    # --- Qt's model interface ------------------------------------------------------------------------

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent=NO_PARENT) -> bool:
        return not parent.isValid() and self._next is not None and not self._fetching

    def fetchMore(self, parent=NO_PARENT) -> None:
        if not self.canFetchMore(parent):
            return
        number, query, cursor, size = self._generation.value, self._query, self._next, self.page_size
        self._fetching = True
        self.loading_changed.emit(True)
        self._submit(self._pages, number,
                     lambda s, stop: inventory.page(s, query, cursor, size, should_stop=stop),
                     lambda page: self._signals.page.emit(number, page, False))

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        query = replace(self._query, sort=COLUMNS[column].sort,
                        descending=order == Qt.SortOrder.DescendingOrder)
        if query != self._query:
            self.set_query(query)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section].title)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _(COLUMNS[section].tooltip or COLUMNS[section].title)
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def row(self, index: int) -> InventoryRow:
        return self._rows[index]

    def rows(self) -> list[InventoryRow]:
        return list(self._rows)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        # Called for every role of every visible cell at each paint: the texts are made once
        # per row (when its page arrives) and unused roles leave at the first test.
        if role not in _ROLES or not index.isValid():
            return None
        row_number, column = index.row(), index.column()
        if role == _DISPLAY:
            return self._texts[row_number][column]
        if role == _ALIGN:
            return _RIGHT if COLUMNS[column].numeric else None
        row = self._rows[row_number]
        if role == _USER:
            return row.id
        if role == _ROW:
            return row
        stale = row.stale and column == _STATUS_COLUMN
        if role == _DECORATION:
            return self._icon if stale else None
        if role == _BACKGROUND:
            return STALE_BACKGROUND if stale else None
        if role == _TOOLTIP:  # the whole text of a cell elided to fit, or why it is marked
            return self.stale_text(row) if stale else (self._texts[row_number][column] or None)
        return None

    def stale_text(self, row: InventoryRow) -> str:
        return _("Stale stock: {status} for {days} days (more than {limit}).",
                 status=lifecycle.status_label(row.status), days=row.days_in_status,
                 limit=self._query.stale_days)

    @classmethod
    def texts(cls, row: InventoryRow) -> tuple[str, ...]:
        return tuple(cls._text(row, c.sort) for c in COLUMNS)

    @staticmethod
    def _text(row: InventoryRow, column: SortColumn) -> str:
        if column == SortColumn.TAG:
            return row.tag
        if column == SortColumn.STATUS:
            return lifecycle.status_label(row.status)
        if column == SortColumn.CATEGORY:
            return category_name(row.category)
        if column == SortColumn.MODEL:
            return f"{row.manufacturer} {row.model}"
        if column == SortColumn.SERIAL:
            return row.serial or ""
        if column == SortColumn.GRADE:
            return row.grade.value if row.grade else ""
        if column == SortColumn.LOCATION:
            return row.location or ""
        if column == SortColumn.ORIGIN:
            return row.origin or ""
        if column == SortColumn.AGE:
            return inventory.age_text(row.age_months)
        return str(row.days_in_status)
