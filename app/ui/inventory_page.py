"""The inventory page: find any device by tag, serial, model, status or place, and open it.

Search as you type (tag and serial by their beginning, model and manufacturer
by any part), filters for status, category, grade, location, origin, age and
data, and a table sorted on any column by the database — the table model reads
a page at a time off the GUI thread. Stale stock (ready or received for longer
than the `stale_days` setting) is marked in the status column. A scanned tag or
serial opens the device; a scanned shelf label shows what is recorded there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QTableView,
    QToolButton,
    QWidget,
    QWidgetAction,
)
from sqlalchemy import select

from ..config import Settings
from ..db import Database
from ..i18n import _, n_
from ..models import AssetStatus, Category, Grade, Location, Party, PartyType, User
from ..services import inventory, lifecycle
from ..services.codes import ScanKind
from ..services.documents.intake_receipt import category_name
from ..services.inventory import DataStatus, InventoryQuery, SortColumn
from .asset_detail import open_asset_detail
from .feedback import ScanBar, ScanFeedback
from .inventory_model import COLUMNS, InventoryModel, column_of
from .page_frame import PageFrame
from .service_call import ScanPageMixin
from .widgets import name_widget

log = logging.getLogger(__name__)

# Typing asks at once (0 ms: keys that arrive together, a paste, are still one query). Measured in
# benchmarks/bench_inventory.py: a 40 ms pause only added its 40 ms to every keystroke, as a query
# answers well within a keystroke and an outdated one is stopped when the next key comes.
TYPING_PAUSE_MS = 0
NO_GRADE = "none"  # the menu's value for "not graded"


class _StayOpenMenu(QMenu):
    """A menu of check boxes that stays open while several are ticked."""

    def mouseReleaseEvent(self, event) -> None:
        action = self.activeAction()
        if action is not None and action.isEnabled() and action.isCheckable():
            action.trigger()
            return
        super().mouseReleaseEvent(event)


class ChoiceButton(QToolButton):
    """A drop-down of check boxes ("Status: ready, received"); nothing ticked means all."""

    changed = Signal()
    MAX_NAMES_LENGTH = 16  # longer: "Status: 3 chosen", the names in the tooltip

    def __init__(self, object_name: str, title: str, choices: Iterable[tuple[object, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, object_name, title)
        self.title = title
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = _StayOpenMenu(self)
        menu.setObjectName(f"{object_name}Menu")
        self.setMenu(menu)
        for value, text in choices:
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setData(value)
            action.toggled.connect(self._toggled)
        self._show_text()

    def values(self) -> list:
        return [a.data() for a in self.menu().actions() if a.isChecked()]

    def set_values(self, values: Iterable) -> None:
        wanted = set(values)
        for action in self.menu().actions():
            action.blockSignals(True)
            action.setChecked(action.data() in wanted)
            action.blockSignals(False)
        self._show_text()
        self.changed.emit()

    def _toggled(self, _checked: bool) -> None:
        self._show_text()
        self.changed.emit()

    def _show_text(self) -> None:
        chosen = [a.text() for a in self.menu().actions() if a.isChecked()]
        if not chosen:
            text = _("{title}: all", title=self.title)
        elif len(", ".join(chosen)) <= self.MAX_NAMES_LENGTH:
            text = f"{self.title}: {', '.join(chosen)}"
        else:
            text = _("{title}: {n} chosen", title=self.title, n=len(chosen))
        self.setText(text)
        self.setToolTip(", ".join(chosen) if chosen else text)


class AgeButton(QToolButton):
    """The age filter in a drop-down: from … to … years ("Age: 2–5 y"); 0 means no limit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "ageFilter", _("Age"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.age_from = QSpinBox()
        name_widget(self.age_from, "ageFrom", _("Age from (years)"))
        self.age_to = QSpinBox()
        name_widget(self.age_to, "ageTo", _("Age up to (years)"))
        panel = QWidget()
        row = QHBoxLayout(panel)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(QLabel(_("from")))
        row.addWidget(self.age_from)
        row.addWidget(QLabel(_("up to")))
        row.addWidget(self.age_to)
        for box in (self.age_from, self.age_to):
            box.setRange(0, 30)
            box.setSpecialValueText("–")  # 0: no limit
            box.setSuffix(" " + _("y"))
            box.valueChanged.connect(self._changed)
        menu = QMenu(self)
        menu.setObjectName("ageFilterMenu")
        action = QWidgetAction(menu)
        action.setDefaultWidget(panel)
        menu.addAction(action)
        self.setMenu(menu)
        self._show_text()

    def months(self) -> tuple[int | None, int | None]:
        """(from, up to) in months; "up to 5 years" takes in 5 years and 11 months."""
        low, high = self.age_from.value(), self.age_to.value()
        return (low * 12 if low else None, (high + 1) * 12 - 1 if high else None)

    def clear(self) -> None:
        for box in (self.age_from, self.age_to):
            box.blockSignals(True)
            box.setValue(0)
            box.blockSignals(False)
        self._show_text()

    def _changed(self, _value: int) -> None:
        self._show_text()
        self.changed.emit()

    def _show_text(self) -> None:
        low, high = self.age_from.value(), self.age_to.value()
        if low and high:
            span = f"{low}–{high} " + _("y")
        elif low:
            span = f"≥ {low} " + _("y")
        elif high:
            span = f"≤ {high} " + _("y")
        else:
            span = _("all")
        self.setText(f"{_('Age')}: {span}")


class InventoryPage(ScanPageMixin, QWidget):
    """Page key "inventory". `handle_scan(code)` opens the device with that tag or serial."""

    changed = Signal(str)  # entity type that changed ("asset"), for other pages

    def __init__(self, database: Database, user: User, settings: Settings | None = None, *,
                 model: InventoryModel | None = None) -> None:
        super().__init__()
        self.database = database
        self.user = user
        self.settings = settings or Settings.load()
        self.stale_days = inventory.stale_days(self.settings.extra)
        self.last_message = ""
        self.details: list = []  # open detail windows (kept alive while shown)

        self.feedback = ScanFeedback(self, muted=bool(self.settings.extra.get("sound_muted")))
        self.scan_bar = ScanBar(self.feedback)

        self.search = QLineEdit()
        name_widget(self.search, "inventorySearch", _("Search tag, serial number or model"))
        self.search.setPlaceholderText(_("Tag, serial number, model or make…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.count_label = QLabel()
        name_widget(self.count_label, "inventoryCount", _("Number of devices"))
        self.count_label.setMinimumWidth(
            self.fontMetrics().horizontalAdvance(n_(1000000, "{n} device", "{n} devices")) + 8)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.status_filter = ChoiceButton("statusFilter", _("Status"),
                                          [(s.value, lifecycle.status_label(s))
                                           for s in inventory.STATUS_ORDER])
        self.category_filter = ChoiceButton(
            "categoryFilter", _("Category"),
            sorted(((c.value, category_name(c)) for c in Category), key=lambda x: x[1].casefold()))
        self.grade_filter = ChoiceButton("gradeFilter", _("Grade"),
                                         [*((g.value, g.value) for g in Grade),
                                          (NO_GRADE, _("no grade"))])
        self.location_filter = QComboBox()
        name_widget(self.location_filter, "locationFilter", _("Location"))
        self.origin_filter = QComboBox()
        name_widget(self.origin_filter, "originFilter", _("Origin service"))
        for combo, chars in ((self.location_filter, 10), (self.origin_filter, 17)):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(chars)
        self.age_filter = AgeButton()
        self.age_from, self.age_to = self.age_filter.age_from, self.age_filter.age_to
        self.data_filter = QComboBox()
        name_widget(self.data_filter, "dataFilter", _("Data"))
        for value, text in ((None, _("Data: any")), (DataStatus.HOLDS_DATA, _("Holds data")),
                            (DataStatus.NO_DATA, _("Holds no data")),
                            (DataStatus.UNSANITISED, _("Not yet sanitised"))):
            self.data_filter.addItem(text, value)
        self.data_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.data_filter.setMinimumContentsLength(11)
        self.stale_filter = QCheckBox(_("Stale only (> {days} d)", days=self.stale_days))
        name_widget(self.stale_filter, "staleFilter", _("Only stale stock"))
        self.stale_filter.setToolTip(_("Ready or received for more than {days} days.",
                                       days=self.stale_days))
        self.clear_button = QPushButton(_("Clear filters"))
        name_widget(self.clear_button, "clearFilters", _("Clear filters"))
        self._load_choices()

        self.model = model or InventoryModel(database, self, stale_days=self.stale_days)
        self.table = QTableView()
        name_widget(self.table, "inventoryTable", _("Devices"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Ten columns in a 1280-pixel window: the list reads one point smaller than the forms.
        font = self.table.font()
        font.setPointSizeF(max(8.0, font.pointSizeF() - 1))
        self.table.setFont(font)
        self.table.horizontalHeader().setFont(font)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(column_of(SortColumn.MODEL), QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        # The sort arrow above the title, not over it: the columns are narrow.
        header.setStyleSheet("QHeaderView::section { padding: 3px 6px 1px 6px; }"
                             "QHeaderView::up-arrow, QHeaderView::down-arrow {"
                             " subcontrol-origin: padding; subcontrol-position: top center;"
                             " width: 9px; height: 5px; }")
        self._size_columns()
        header.setSortIndicator(column_of(SortColumn.TAG), Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # the header asks the model, which asks the database

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _text: self._typing.start())
        self.search.returnPressed.connect(self._search_entered)
        for button in (self.status_filter, self.category_filter, self.grade_filter):
            button.changed.connect(self.apply_filters)
        for combo in (self.location_filter, self.origin_filter, self.data_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.age_filter.changed.connect(self.apply_filters)
        self.stale_filter.toggled.connect(self.apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.activated.connect(self._row_activated)  # double-click or Enter
        self.model.count_changed.connect(self._show_count)
        self.model.loading_changed.connect(lambda _busy: self._show_count(self.model.count))
        self.model.failed.connect(lambda message: self._bad(message))

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.search, 1)
        top.addWidget(self.data_filter)
        top.addWidget(self.stale_filter)
        top.addWidget(self.count_label)
        top.addWidget(self.clear_button)
        self.export_button = QPushButton(_("Export…"))
        name_widget(self.export_button, "exportView", _("Export the devices in this view"))
        self.export_button.setToolTip(_("Export the devices in this view, as filtered and sorted, to CSV or XLSX"))
        self.export_button.clicked.connect(self.choose_export_file)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        for widget in (self.status_filter, self.category_filter, self.grade_filter,
                       self.location_filter, self.origin_filter, self.age_filter):
            filters.addWidget(widget)
        filters.addStretch(1)

        # the export sits by the title: the filter rows are full at 1280 px
        self.frame = PageFrame(self, _("Inventory"), scan_bar=self.scan_bar, tools=[self.export_button])
        self.frame.add(top)
        self.frame.add(filters)
        self.frame.add(self.table, 1)
        self.model.set_query(self.current_query())

    # --- plumbing -----------------------------------------------------------------------------------

    def _load_choices(self) -> None:
        def load(session):
            places = session.execute(select(Location.id, Location.code).order_by(Location.code)).all()
            services = session.execute(select(Party.id, Party.name).where(Party.type == PartyType.SERVICE)
                                       .order_by(Party.name)).all()
            return places, services

        ok, result = self._call(load)
        places, services = result if ok else ([], [])
        for combo, everything, items in ((self.location_filter, _("All locations"), places),
                                         (self.origin_filter, _("All origins"), services)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for key, text in items:
                combo.addItem(text, key)
            combo.blockSignals(False)

    def _size_columns(self) -> None:
        """Widths from the font and a usual value (longer ones are elided, the whole text is in
        the tooltip), so the model column keeps the rest of a 1280-pixel window."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader().fontMetrics()
        def widest(texts) -> str:
            return max(texts, key=metrics.horizontalAdvance)

        # What technicians identify devices by is never cut: every status and category in full,
        # a 15-digit IMEI; the origin service may be elided (it is in the tooltip).
        samples = {SortColumn.TAG: "CD00000000",
                   SortColumn.STATUS: widest(lifecycle.status_label(s) for s in AssetStatus),
                   SortColumn.CATEGORY: widest(category_name(c) for c in Category),
                   SortColumn.SERIAL: "350611837431234", SortColumn.GRADE: "A",
                   SortColumn.LOCATION: "LOC-A-01-1", SortColumn.ORIGIN: "Dienst Welzijn",
                   SortColumn.AGE: inventory.age_text(131), SortColumn.DAYS_IN_STATUS: "999"}
        for sort, sample in samples.items():
            column = column_of(sort)
            title = _(COLUMNS[column].title)
            width = max(metrics.horizontalAdvance(sample), header.horizontalAdvance(title)) + 10
            if sort == SortColumn.STATUS:
                width += 20  # the stale mark
            self.table.setColumnWidth(column, width)

    # --- filters --------------------------------------------------------------------------------------

    def choose_export_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the devices in this view"), "inventaris.xlsx",
            _("Excel workbook (*.xlsx);;CSV, semicolon-separated (*.csv)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> int | None:
        """Write the view as it is filtered and sorted now; say how many devices went out."""
        from ..services.asset_export import export_inventory

        query = self.current_query()
        ok, count = self._call(lambda s: export_inventory(s, query, path))
        if ok:
            self._good("", _("Devices written to {path}: {count}.", path=path, count=count))
        return count if ok else None

    def current_query(self) -> InventoryQuery:
        grades = frozenset(None if g == NO_GRADE else Grade(g) for g in self.grade_filter.values())
        location = self.location_filter.currentData()
        origin = self.origin_filter.currentData()
        age_min, age_max = self.age_filter.months()
        return replace(
            self.model.query, search=self.search.text(),
            statuses=frozenset(AssetStatus(s) for s in self.status_filter.values()),
            categories=frozenset(Category(c) for c in self.category_filter.values()),
            grades=grades,
            location_ids=frozenset({location}) if location is not None else frozenset(),
            origin_ids=frozenset({origin}) if origin is not None else frozenset(),
            age_min_months=age_min, age_max_months=age_max,
            data_status=self.data_filter.currentData(),
            stale_only=self.stale_filter.isChecked(),
            stale_days=self.stale_days)

    def apply_filters(self) -> None:
        self._typing.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)

    def clear_filters(self, *, apply: bool = True) -> None:
        widgets = (self.status_filter, self.category_filter, self.grade_filter, self.location_filter,
                   self.origin_filter, self.age_filter, self.data_filter, self.stale_filter, self.search)
        for widget in widgets:
            widget.blockSignals(True)
        self.status_filter.set_values([])
        self.category_filter.set_values([])
        self.grade_filter.set_values([])
        self.location_filter.setCurrentIndex(0)
        self.origin_filter.setCurrentIndex(0)
        self.age_filter.clear()
        self.data_filter.setCurrentIndex(0)
        self.stale_filter.setChecked(False)
        self.search.clear()
        for widget in widgets:
            widget.blockSignals(False)
        if apply:
            self.apply_filters()

    def show_stale_stock(self) -> None:
        """Only the stale stock, every other filter off (the dashboard's "stale stock" tile)."""
        self.clear_filters(apply=False)
        self.stale_filter.blockSignals(True)
        self.stale_filter.setChecked(True)
        self.stale_filter.blockSignals(False)
        self.apply_filters()

    def show_location(self, location_id: int) -> bool:
        index = self.location_filter.findData(location_id)
        if index < 0:
            self._load_choices()
            index = self.location_filter.findData(location_id)
        if index < 0:
            return False
        self.location_filter.setCurrentIndex(index)
        return True

    def _show_count(self, count: int | None) -> None:
        if count is None:
            text = _("Counting…")
        else:
            text = n_(count, "{n} device", "{n} devices")
        self.count_label.setText(text)
        self.count_label.setAccessibleName(text)

    # --- opening a device -------------------------------------------------------------------------------

    def _row_activated(self, index) -> None:
        if index.isValid():
            self.open_detail(self.model.row(index.row()).id)

    def _search_entered(self) -> None:
        """Enter in the search field: a tag or serial opens its device, else the list takes the focus."""
        text = self.search.text().strip()
        if not text:
            return
        ok, match = self._call(lambda s: inventory.find_code(s, text))
        if ok and len(match.asset_ids) == 1:
            self.open_detail(match.asset_ids[0])
            return
        self.apply_filters()
        self.table.setFocus()
        if self.model.rowCount():
            self.table.selectRow(0)

    def open_detail(self, asset_id: int):
        detail = open_asset_detail(self, self.database, self.user, asset_id, stale_days=self.stale_days)
        if detail is not None and detail not in self.details:
            self.details.append(detail)
            detail.changed.connect(self._asset_changed)
            detail.finished.connect(lambda _r, d=detail: self.details.remove(d) if d in self.details else None)
        return detail

    def _asset_changed(self, asset_id: int) -> None:
        self.model.refresh_assets([asset_id])
        self.changed.emit("asset")

    def handle_scan(self, code: str) -> None:
        """A scan anywhere in the window while this page is shown."""
        ok, match = self._call(lambda s: inventory.find_code(s, code), code=code.strip())
        if not ok:
            return
        if match.kind == ScanKind.LOCATION:
            if match.location_id is not None and self.show_location(match.location_id):
                self._good(match.value, _("Showing the devices recorded at {code}.", code=match.value))
            else:
                self._bad(_("No location {code} is known.", code=match.value), code=match.value)
            return
        if match.kind not in (ScanKind.TAG, ScanKind.SERIAL):
            self._bad(_("Scan an asset tag, a serial number or a shelf label here."), code=match.value)
            return
        if not match.asset_ids:
            self._bad(_("No device with {code} is known.", code=match.value), code=match.value)
            return
        for asset_id in match.asset_ids:
            self.open_detail(asset_id)
        self._good(match.value, _("{code}: opened.", code=match.value) if len(match.asset_ids) == 1
                   else _("{code} is on {n} devices: each is opened.", code=match.value,
                          n=len(match.asset_ids)))

    def closeEvent(self, event) -> None:
        self.model.shutdown()
        super().closeEvent(event)


__all__ = ["COLUMNS", "ChoiceButton", "InventoryPage"]
