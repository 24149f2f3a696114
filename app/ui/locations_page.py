"""Locations: the warehouse's shelves and bins, scan-to-move and the stock count.

Left, the list of locations with their device counts: a manager adds one
(site, zone, rack, shelf, bin), anyone prints the shelf labels of the
selected ones. Right, two tabs that both work from the scanner:

- Scan to move: scan a location label, then devices; each device scanned is
  recorded at that location at once (audited), until another location label
  is scanned. CANCEL forgets the location.
- Stock count: choose a location (or scan its label) and start; scan every
  device physically there; close (button or DONE) to reconcile with the
  records. The count report is printed or saved, and a manager resolves each
  line that does not match, with a reason where the report needs one.

`handle_scan(code)` sends every scan to the tab on screen. Every scan gets
visible and audible feedback at once; a refusal says why and changes nothing.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import clock
from ..config import Settings
from ..db import Database
from ..i18n import N_, _
from ..models import CountFinding, CountResolution, Location, User
from ..services import locations, moves, organisation, stock_count
from ..services.codes import Command, ScanKind, classify
from ..services.documents.count_report import FINDING_NAMES, RESOLUTION_NAMES, ReportLine
from ..services.errors import DomainError
from ..services.locations import LocationRow
from ..services.permissions import allowed
from ..timefmt import format_local
from .feedback import COLOURS, ScanBar, ScanFeedback
from .page_frame import PageFrame
from .printing import LabelPrinter
from .service_call import ScanPageMixin
from .style import ERROR
from .table_model import RowsTableModel
from .widgets import DialogButtons, ErrorLabel, line_edit, name_widget

log = logging.getLogger(__name__)
LIST_WIDTH = 270  # px: a code and a device count; the site is a filter above the list

F, R = CountFinding, CountResolution
FINDING_COLOURS = {F.FOUND: COLOURS["good"], F.MISSING: ERROR, F.UNEXPECTED: "#9a6700",
                   F.UNKNOWN: "#57606a"}
OPEN_FILL = "#fff8e6"  # a line that waits for the manager

_STYLE = """
QLabel#moveTarget, QLabel#countTitle { font-size: 14pt; font-weight: 600; color: #1b1f23; }
QLabel#moveTargetPlace, QLabel#countSubtitle { color: #57606a; }
QLabel#countTally { font-size: 12pt; }
QTableView#countLines QPushButton { padding: 2px 8px; }
"""


def _now_text() -> str:
    return format_local(clock.now(), seconds=True)[-8:]


# --------------------------------------------------------------------------------------- models


class LocationsModel(RowsTableModel):
    columns = (N_("Code"), N_("Devices"))

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row: LocationRow = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.code, str(row.devices))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return " · ".join(p for p in (row.site, row.place, row.description) if p)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


@dataclasses.dataclass(frozen=True)
class MoveRow:
    time: str
    code: str
    model: str
    from_code: str
    to_code: str
    note: str
    ok: bool


class MovesModel(RowsTableModel):
    """The scans of this session at the move tab, newest first, refusals included."""

    columns = (N_("Time"), N_("Tag"), N_("Manufacturer and model"), N_("From"), N_("To"),
               N_("Result"))

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row: MoveRow = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.time, row.code, row.model, row.from_code, row.to_code,
                    row.note)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 5:
            return QBrush(QColor(COLOURS["good"] if row.ok else ERROR))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return row.note
        return None

    def add(self, row: MoveRow) -> None:
        # A reset, not an insert: the columns that fit their contents are measured again.
        self.set_rows([row, *self.rows])


class CountLinesModel(RowsTableModel):
    """The lines of a count: what needs the manager first, then what was found.

    While counting, the serial number shows what was scanned; once closed, the
    resolution (with its reason) takes its place, and a manager's buttons follow.
    """

    columns = (N_("Tag"), N_("Manufacturer and model"), N_("Serial number"), N_("Finding"),
               N_("Resolution"), "")
    SERIAL, RESOLUTION, ACTIONS = 2, 4, 5

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.closed = False  # the serial column is hidden: a code that names no device moves left

    def set_lines(self, lines: list[ReportLine], closed: bool) -> None:
        self.closed = closed
        self.set_rows(lines)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line: ReportLine = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QBrush(QColor(FINDING_COLOURS[line.finding]))
        if role == Qt.ItemDataRole.BackgroundRole and line.open:
            return QBrush(QColor(OPEN_FILL))
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 4):
            return self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and line.recorded_at:
            where = (N_("recorded at {code}") if line.finding == F.UNEXPECTED else N_("now at {code}"))
            return f"{_(FINDING_NAMES[line.finding])} — {_(where, code=line.recorded_at)}"
        return None

    def _text(self, line: ReportLine, column: int) -> str:
        if column == 3:  # where the records place it, in full in the tooltip
            text = _(FINDING_NAMES[line.finding])
            return f"{text} ({line.recorded_at})" if line.recorded_at else text
        if column == 4:
            if line.finding == F.FOUND and line.resolution == R.NONE:
                return ""
            text = _(RESOLUTION_NAMES[line.resolution])
            return f"{text} — {line.reason}" if line.reason else text
        if column == 0:
            return line.tag or (line.scanned_code if self.closed else None) or "—"
        return ("", line.model or "", line.serial or line.scanned_code or "", "", "", "")[column]


# -------------------------------------------------------------------------------------- dialogs


class NewLocationDialog(QDialog):
    """A new location: site, zone, rack, shelf, bin; the code it gets is shown as it is typed."""

    def __init__(self, sites: list[str], default_site: str, submit: Callable[[dict], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.result_value = None
        name_widget(self, "newLocationDialog", _("New location"))
        self.setWindowTitle(_("New location"))
        self.setMinimumWidth(440)
        self.site = QComboBox()
        name_widget(self.site, "locationSite", _("Site"))
        self.site.setEditable(True)
        self.site.addItems(sorted(set(sites) | {default_site}))
        self.site.setCurrentText(default_site)
        self.zone = line_edit("locationZone", _("Zone"))
        self.rack = line_edit("locationRack", _("Rack"))
        self.shelf = line_edit("locationShelf", _("Shelf"))
        self.bin = line_edit("locationBin", _("Bin"))
        self.description = line_edit("locationDescription", _("Description"))
        self.code = QLabel()
        name_widget(self.code, "locationCodePreview", _("Code"))
        form = QFormLayout()
        form.addRow(_("Site"), self.site)
        form.addRow(_("Zone"), self.zone)
        form.addRow(_("Rack"), self.rack)
        form.addRow(_("Shelf"), self.shelf)
        form.addRow(_("Bin"), self.bin)
        form.addRow(_("Description"), self.description)
        form.addRow(_("Code"), self.code)
        self.error_label = ErrorLabel("newLocationError")
        buttons = DialogButtons(_("Create"), "newLocationSave")
        self.save_button = buttons.accept_button
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        for edit in (self.zone, self.rack, self.shelf, self.bin):
            edit.textChanged.connect(self._preview)
        self._preview()
        self.zone.setFocus()

    def value(self) -> dict:
        return {"site": self.site.currentText(), "zone": self.zone.text(), "rack": self.rack.text(),
                "shelf": self.shelf.text(), "bin": self.bin.text(),
                "description": self.description.text()}

    def _preview(self) -> None:
        v = self.value()
        try:
            code = locations.location_code(v["zone"], v["rack"], v["shelf"], v["bin"])
        except DomainError:
            code = "—"
        self.code.setText(code if v["zone"].strip() else "—")

    def submit(self) -> None:
        try:
            self.result_value = self._submit(self.value())
        except DomainError as err:
            self.error_label.show_message(str(err))
            return
        self.accept()


class ReasonDialog(QDialog):
    """Why a line of a count is resolved this way: the reason goes on the report and in the trail."""

    def __init__(self, title: str, summary: str, submit: Callable[[str], object],
                 required: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        name_widget(self, "reasonDialog", title)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        intro = QLabel(summary)
        intro.setObjectName("reasonSummary")
        intro.setWordWrap(True)
        self.reason = QPlainTextEdit()
        name_widget(self.reason, "reasonText", _("Reason"))
        self.reason.setPlaceholderText(_("Reason (on the count report)") if required
                                       else _("Reason (optional)"))
        self.reason.setFixedHeight(80)
        self.error_label = ErrorLabel("reasonError")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton(_("Resolve"), QDialogButtonBox.ButtonRole.AcceptRole)
        name_widget(self.save_button, "reasonSave", _("Resolve"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(intro)
        layout.addWidget(self.reason)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def submit(self) -> None:
        try:
            self._submit(self.reason.toPlainText())
        except DomainError as err:
            self.error_label.show_message(str(err))
            return
        self.accept()


# ----------------------------------------------------------------------------------------- page


ACTION_LABELS = {
    R.MOVED_HERE: N_("Move here"),
    R.MARKED_MISSING: N_("Missing…"),
    R.FOUND_ELSEWHERE: N_("Found elsewhere"),
    R.IGNORED: N_("Ignore…"),
}
ACTION_TIPS = {
    R.MOVED_HERE: N_("Record the device at {code}, where it was found."),
    R.MARKED_MISSING: N_("Mark the device missing, with a reason."),
    R.FOUND_ELSEWHERE: N_("The device turned up elsewhere and was scanned there."),
    R.IGNORED: N_("Leave the records as they are, with a reason."),
}


class LocationsPage(ScanPageMixin, QWidget):
    """Page key "locations". `handle_scan(code)` is the entry point for every scan."""

    changed = Signal(str)  # entity type that changed ("asset", "location", "count")

    def __init__(self, database: Database, user: User, settings: Settings | None = None,
                 printer: LabelPrinter | None = None) -> None:
        super().__init__()
        self.database = database
        self.user = user
        self.settings = settings or Settings.load()
        self.printer = printer or LabelPrinter.for_desk(self.settings)
        self.last_message = ""
        self.target: LocationRow | None = None  # where scan-to-move puts devices
        self.count_location: LocationRow | None = None  # what the count tab will count
        self.count: stock_count.CountView | None = None
        self.dialog: QDialog | None = None
        self.confirm: Callable[[str, str], bool] = self._ask
        self.setStyleSheet(_STYLE)

        self.feedback = ScanFeedback(self, muted=bool(self.settings.extra.get("sound_muted")))
        self.scan_bar = ScanBar(self.feedback)

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self._build_list())
        self.tabs = QTabWidget()
        name_widget(self.tabs, "locationTabs", _("Scan to move or count"))
        self.tabs.addTab(self._build_move_tab(), _("Scan to move"))
        self.tabs.addTab(self._build_count_tab(), _("Stock count"))
        self.tabs.currentChanged.connect(self._tab_changed)
        body.addWidget(self.tabs, 1)

        self.frame = PageFrame(self, _("Locations"), scan_bar=self.scan_bar)
        self.frame.add(body, 1)
        self.reload_locations()
        self._show_target()
        self._show_count()

    # --- building --------------------------------------------------------------------------

    def _build_list(self) -> QWidget:
        panel = QFrame()
        name_widget(panel, "locationList", _("Locations"))
        panel.setFixedWidth(LIST_WIDTH)
        self.site_filter = QComboBox()
        name_widget(self.site_filter, "locationSiteFilter", _("Site"))
        self.site_filter.currentIndexChanged.connect(lambda _i: self.reload_locations())
        self.search = QLineEdit()
        name_widget(self.search, "locationSearch", _("Search locations"))
        self.search.setPlaceholderText(_("Search code or site"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.reload_locations())
        self.location_model = LocationsModel(self)
        self.location_table = QTableView()
        name_widget(self.location_table, "locationTable", _("Locations"))
        self.location_table.setModel(self.location_model)
        self.location_table.verticalHeader().hide()
        self.location_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.location_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.location_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.location_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.location_table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.location_table.doubleClicked.connect(lambda _index: self.use_selected_location())

        self.new_button = QPushButton(_("New location…"))
        name_widget(self.new_button, "newLocation", _("New location…"))
        self.new_button.clicked.connect(self.open_new_location_dialog)
        self.labels_button = QPushButton(_("Print labels"))
        name_widget(self.labels_button, "printLocationLabels", _("Print labels"))
        self.labels_button.clicked.connect(self.print_labels)
        self.deactivate_button = QPushButton(_("Take out of use"))
        name_widget(self.deactivate_button, "deactivateLocation", _("Take out of use"))
        self.deactivate_button.clicked.connect(self.deactivate_selected)
        managing = allowed(self.user, "location.manage")
        self.new_button.setVisible(managing)
        self.deactivate_button.setVisible(managing)
        for button in (self.new_button, self.labels_button, self.deactivate_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Enter stays with the scan field

        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.site_filter)
        layout.addWidget(self.search)
        layout.addWidget(self.location_table, 1)
        layout.addWidget(self.labels_button)
        layout.addWidget(self.new_button)
        layout.addWidget(self.deactivate_button)
        return panel

    def _scan_entry(self, object_name: str) -> QLineEdit:
        entry = QLineEdit()
        name_widget(entry, object_name, _("Scan or type a code"))
        entry.setPlaceholderText(_("Scan or type a tag, serial number or location label, then Enter"))
        entry.returnPressed.connect(lambda: self._typed_scan(entry))
        return entry

    def _build_move_tab(self) -> QWidget:
        tab = QWidget()
        name_widget(tab, "moveTab", _("Scan to move"))
        self.target_label = QLabel()
        name_widget(self.target_label, "moveTarget", _("Target location"))
        self.target_place = QLabel()
        name_widget(self.target_place, "moveTargetPlace", _("Target location"))
        self.target_place.setWordWrap(True)
        self.use_selected_button = QPushButton(_("Move to the selected location"))
        name_widget(self.use_selected_button, "useSelectedLocation",
                    _("Move to the selected location"))
        self.use_selected_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.use_selected_button.clicked.connect(self.use_selected_location)
        self.move_entry = self._scan_entry("moveScanEntry")
        self.moves_model = MovesModel(self)
        self.moves_table = QTableView()
        name_widget(self.moves_table, "movesTable", _("Devices moved"))
        self.moves_table.setModel(self.moves_model)
        self._table_defaults(self.moves_table)
        header = self.moves_table.horizontalHeader()
        for column in (0, 1, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.target_label)
        titles.addWidget(self.target_place)
        top.addLayout(titles, 1)
        top.addWidget(self.use_selected_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(top)
        layout.addWidget(self.move_entry)
        layout.addWidget(self.moves_table, 1)
        return tab

    def _build_count_tab(self) -> QWidget:
        tab = QWidget()
        name_widget(tab, "countTab", _("Stock count"))
        self.count_title = QLabel()
        name_widget(self.count_title, "countTitle", _("Stock count"))
        self.count_subtitle = QLabel()
        name_widget(self.count_subtitle, "countSubtitle", _("Stock count"))
        self.count_subtitle.setWordWrap(True)
        self.count_tally = QLabel()
        name_widget(self.count_tally, "countTally", _("Tally"))
        self.count_tally.setTextFormat(Qt.TextFormat.RichText)
        self.start_button = QPushButton(_("Start count"))
        name_widget(self.start_button, "startCount", _("Start count"))
        self.start_button.clicked.connect(self.start_count)
        self.close_button = QPushButton(_("Close count"))
        name_widget(self.close_button, "closeCount", _("Close count"))
        self.close_button.clicked.connect(self.close_count)
        self.report_button = QPushButton(_("Print report"))
        name_widget(self.report_button, "printCountReport", _("Print report"))
        self.report_button.clicked.connect(self.print_report)
        for button in (self.start_button, self.close_button, self.report_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.count_entry = self._scan_entry("countScanEntry")
        self.lines_model = CountLinesModel(self)
        self.lines_table = QTableView()
        name_widget(self.lines_table, "countLines", _("Count lines"))
        self.lines_table.setModel(self.lines_model)
        self._table_defaults(self.lines_table)
        self.lines_table.verticalHeader().setDefaultSectionSize(34)
        header = self.lines_table.horizontalHeader()
        for column in (0, 2, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.report_button)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.count_title)
        layout.addWidget(self.count_subtitle)
        layout.addLayout(buttons)
        layout.addWidget(self.count_tally)
        layout.addWidget(self.count_entry)
        layout.addWidget(self.lines_table, 1)
        return tab

    @staticmethod
    def _table_defaults(table: QTableView) -> None:
        # Left-aligned headers: a narrow column shows the start of its name, not the middle.
        table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft
                                                     | Qt.AlignmentFlag.AlignVCenter)
        table.verticalHeader().hide()
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keyboard
        table.setWordWrap(False)

    # --- plumbing --------------------------------------------------------------------------

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _open_dialog(self, dialog: QDialog) -> QDialog:
        # open(), not exec(): tests and the scanner keep working while it is up.
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()
        return dialog

    def _tab_changed(self, _index: int) -> None:
        self._entry().setFocus()

    def _entry(self) -> QLineEdit:
        return self.move_entry if self.tabs.currentIndex() == 0 else self.count_entry

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex({"move": 0, "count": 1}[key])

    # --- the list of locations ---------------------------------------------------------------

    def reload_locations(self, select_code: str | None = None) -> None:
        selected = select_code or (self.selected_rows()[0].code if self.selected_rows() else None)
        site = self.site_filter.currentData()
        ok, found = self._call(lambda s: (locations.sites(s),
                                          locations.list_locations(s, self.search.text(), site=site)))
        if not ok:
            return
        sites, rows = found
        self._offer_sites(sites, site)
        self.location_model.set_rows(rows)
        if selected:
            self.select_location(selected)

    def _offer_sites(self, sites: list[str], current: str | None) -> None:
        """The site filter: all sites, or one; only shown when there is more than one site."""
        offered = [self.site_filter.itemData(i) for i in range(1, self.site_filter.count())]
        if offered != sites:
            self.site_filter.blockSignals(True)
            self.site_filter.clear()
            self.site_filter.addItem(_("All sites"), None)
            for name in sites:
                self.site_filter.addItem(name, name)
            self.site_filter.setCurrentIndex(max(self.site_filter.findData(current), 0))
            self.site_filter.blockSignals(False)
        self.site_filter.setVisible(len(sites) > 1)

    def select_location(self, code: str) -> None:
        for i, row in enumerate(self.location_model.rows):
            if row.code == code:
                self.location_table.selectRow(i)
                return

    def selected_rows(self) -> list[LocationRow]:
        if not hasattr(self, "location_table"):
            return []
        rows = sorted({i.row() for i in self.location_table.selectionModel().selectedRows()})
        return [self.location_model.rows[r] for r in rows if r < len(self.location_model.rows)]

    def _selection_changed(self, *_args) -> None:
        rows = self.selected_rows()
        # What the count tab will count, as long as no count is running there.
        if len(rows) == 1 and (self.count is None or self.count.closed):
            self._choose_count_location(rows[0])

    def open_new_location_dialog(self) -> QDialog:
        def create(values: dict):
            with self.database.session() as session:
                loc = locations.create_location(session, self.user, **values)
                return loc.code

        _ok, sites = self._call(locations.sites)
        dialog = NewLocationDialog(sites or [], self.settings.site_name, create, self)
        dialog.accepted.connect(lambda: self._location_created(dialog.result_value))
        return self._open_dialog(dialog)

    def _location_created(self, code: str) -> None:
        self.search.clear()
        self.site_filter.setCurrentIndex(0)
        self.reload_locations(select_code=code)
        self.changed.emit("location")
        self._good(code, _("Location {code} created: print its label and stick it on the shelf.",
                           code=code))

    def print_labels(self) -> None:
        from ..services.documents import labels as label_docs

        rows = self.selected_rows()
        if not rows:
            self._bad(_("Choose one or more locations in the list first."))
            return
        layout_key = self.printer.settings.extra.get("location_label_layout",
                                                     locations.DEFAULT_LABEL_LAYOUT)
        ids = [r.id for r in rows]

        def labels(session):
            found = [session.get(Location, i) for i in ids]
            return locations.location_labels(found, layout_key, organisation.label_name(session))

        ok, data = self._call(labels)
        if not ok:
            return
        try:
            layout = label_docs.get_layout(layout_key)
            name = f"location-labels-{data[0].tag}" + (f"-{data[-1].tag}" if len(data) > 1 else "")
            if layout.is_sheet:  # an A4 sheet goes to the office printer, not the label roll
                where = self.printer.print_document(self._labels_pdf(data, layout), name)
            else:
                settings = dataclasses.replace(self.printer.settings, label_layout=layout.key)
                where = LabelPrinter(settings).print_labels(data)
        except DomainError as err:
            self._bad(str(err))
            return
        self._good(data[0].tag, _("{n} location labels: {where}", n=len(data), where=where))

    @staticmethod
    def _labels_pdf(data, layout) -> bytes:
        import io

        from ..services.documents.labels import render_pdf

        buf = io.BytesIO()
        render_pdf(data, layout, buf)
        return buf.getvalue()

    def deactivate_selected(self) -> None:
        rows = self.selected_rows()
        if len(rows) != 1:
            self._bad(_("Choose one location in the list first."))
            return
        row = rows[0]
        if not self.confirm(_("Take out of use"),
                            _("Take {code} out of use? Nothing can be moved there or counted there "
                              "any more.", code=row.code)):
            return
        ok, _loc = self._call(lambda s: locations.deactivate_location(s, self.user, row.id))
        if ok:
            if self.target and self.target.id == row.id:
                self.target = None
                self._show_target()
            self.reload_locations()
            self.changed.emit("location")
            self._good(row.code, _("{code} is no longer in use.", code=row.code))

    # --- scanning ----------------------------------------------------------------------------

    def _typed_scan(self, entry: QLineEdit) -> None:
        text = entry.text()
        entry.clear()
        if text.strip():
            self.handle_scan(text)

    def handle_scan(self, code: str) -> None:
        """A scan from the scanner (anywhere in the window) or typed in a scan field."""
        if self.dialog is not None and self.dialog.isVisible():
            self._bad(_("Finish the dialog on screen first."), code=code)
            return
        if self.tabs.currentIndex() == 0:
            self._move_scan(code)
        else:
            self._count_scan(code)

    # --- scan to move ------------------------------------------------------------------------

    def _show_target(self) -> None:
        if self.target is None:
            self.target_label.setText(_("Scan a location label"))
            self.target_place.setText(_("Then scan the devices you put there: each one is recorded "
                                        "at that location at once."))
        else:
            self.target_label.setText(_("Moving to {code}", code=self.target.code))
            self.target_place.setText(f"{self.target.site} · {self.target.place}")

    def set_target(self, code: str) -> bool:
        ok, location = self._call(lambda s: self._location_row(s, code))
        if not ok:
            return False
        self.target = location
        self.select_location(location.code)
        self._show_target()
        self._good(location.code, _("Now scan the devices for {code}.", code=location.code))
        return True

    @staticmethod
    def _location_row(session, code: str) -> LocationRow:
        loc = moves.check_location(session, code)
        return LocationRow(loc.id, loc.code, loc.site, locations.place_text(loc), loc.description,
                           loc.active, locations.devices_here(session, loc.id))

    def use_selected_location(self) -> None:
        rows = self.selected_rows()
        if len(rows) != 1:
            self._bad(_("Choose one location in the list first."))
            return
        if self.tabs.currentIndex() == 0:
            self.set_target(rows[0].code)
        else:
            self._choose_count_location(rows[0])
        self._entry().setFocus()

    def _move_scan(self, code: str) -> None:
        scan = classify(code)
        if scan.kind == ScanKind.LOCATION:
            self.set_target(scan.value)
            return
        if scan.kind == ScanKind.COMMAND and scan.value == Command.CANCEL:
            self.target = None
            self._show_target()
            self._good("", _("No target location: scan a location label."))
            return
        if scan.kind in (ScanKind.COMMAND, ScanKind.UNKNOWN_COMMAND):
            self._bad(_("This command is not used when moving devices."), code=scan.value)
            return
        if self.target is None:
            self._bad(_("Scan a location label first: where do the devices go?"), code=scan.value)
            return
        target = self.target
        ok, result = self._call(lambda s: moves.move_by_scan(s, self.user, target.code, code),
                                code=scan.value)
        if not ok:  # the refusal stays in the list too: which device still has to go somewhere
            self.moves_model.add(MoveRow(_now_text(), scan.value, "", "", target.code,
                                         self.last_message, False))
            return
        if result.moved:
            note = _("moved")
            text = _("{tag} moved to {code}.", tag=result.tag, code=result.to_code)
        else:
            note = _("already here")
            text = _("{tag} is already recorded at {code}.", tag=result.tag, code=result.to_code)
        if result.found_again:
            note += " · " + _("found again")
            text += " " + _("It was marked missing: the mark is cleared.")
        self.moves_model.add(MoveRow(_now_text(), result.tag, result.model, result.from_code or "—",
                                     result.to_code, note, True))
        self._good(result.tag, text)
        if result.moved or result.found_again:
            self.changed.emit("asset")
            self.reload_locations()

    # --- stock count ---------------------------------------------------------------------------

    def _choose_count_location(self, row: LocationRow) -> None:
        """The location the count tab shows: its running count, or its latest closed one."""
        self.count_location = row

        def latest(session):
            count = stock_count.latest_count(session, row.id)
            return stock_count.count_view(session, count.id) if count else None

        ok, view = self._call(latest)
        if ok:
            self.count = view
            self._show_count()

    def _reload_count(self) -> None:
        if self.count is None:
            return
        count_id = self.count.count_id
        ok, view = self._call(lambda s: stock_count.count_view(s, count_id))
        if ok:
            self.count = view
            self._show_count()

    def _show_count(self) -> None:
        view, row = self.count, self.count_location
        counting = view is not None and not view.closed
        if view is None and row is None:
            self.count_title.setText(_("No count running"))
            self.count_subtitle.setText(_("Choose a location in the list or scan its label, then "
                                          "start the count."))
        elif view is None:
            self.count_title.setText(_("Count {code}", code=row.code))
            self.count_subtitle.setText(_("{place} — {n} devices recorded here. Start the count, "
                                          "then scan every device that is physically there.",
                                          place=f"{row.site} · {row.place}", n=row.devices))
        elif counting:
            self.count_title.setText(_("Counting {code}", code=view.location_code))
            self.count_subtitle.setText(_("{place} — started by {user} on {time}. Scan every "
                                          "device that is here, then close the count (or scan "
                                          "DONE).",
                                          place=f"{view.site} · {view.place}", user=view.started_by,
                                          time=format_local(view.started_at)))
        else:
            report = view.report_number or "—"
            self.count_title.setText(_("Count {code} — closed", code=view.location_code))
            if view.open_lines:
                state = _("{n} lines wait for the warehouse manager.", n=view.open_lines)
            else:
                state = _("All lines are resolved.")
            self.count_subtitle.setText(_("Closed by {user} on {time}; report {number}.",
                                          user=view.closed_by or "—",
                                          time=format_local(view.closed_at), number=report)
                                        + " " + state)
        self.start_button.setVisible(not counting)
        self.start_button.setEnabled(row is not None)
        self.close_button.setVisible(counting)
        self.report_button.setVisible(view is not None and view.report_number is not None)
        self.count_tally.setVisible(view is not None)
        if view is not None:
            self.count_tally.setText(self._tally_text(view))
        closed = view is not None and view.closed
        self.lines_model.set_lines(list(view.lines) if view else [], closed)
        self.lines_table.setColumnHidden(CountLinesModel.SERIAL, closed)
        self.lines_table.setColumnHidden(CountLinesModel.RESOLUTION, not closed)
        self._resolve_buttons()

    @staticmethod
    def _tally_text(view: stock_count.CountView) -> str:
        tally = view.tally()

        def part(finding: CountFinding, text: str) -> str:
            return f"<span style='color:{FINDING_COLOURS[finding]}'>{text}</span>"

        if not view.closed:  # missing is only known at the close: show how far the count got
            parts = [part(F.FOUND, _("Found: <b>{n}</b> of {expected}", n=tally[F.FOUND],
                                     expected=view.expected))]
            shown = (F.UNEXPECTED, F.UNKNOWN)
        else:
            parts, shown = [], (F.FOUND, F.MISSING, F.UNEXPECTED, F.UNKNOWN)
        parts += [part(f, f"{_(FINDING_NAMES[f]).capitalize()}: <b>{tally[f]}</b>") for f in shown]
        return " &nbsp;·&nbsp; ".join(parts)

    def _resolve_buttons(self) -> None:
        """Per line, the resolutions that fit it, for a manager and once the count is closed."""
        view = self.count
        managing = allowed(self.user, "count.resolve")
        self.lines_table.setColumnHidden(CountLinesModel.ACTIONS,
                                         not (managing and view is not None and view.closed))
        if not (managing and view is not None and view.closed):
            return
        for row, line in enumerate(self.lines_model.rows):
            if not line.open:
                continue
            cell = QWidget()
            box = QHBoxLayout(cell)
            box.setContentsMargins(4, 1, 4, 1)
            box.setSpacing(4)
            for resolution in self._offered(line):
                button = QPushButton(_(ACTION_LABELS[resolution]))
                button.setToolTip(_(ACTION_TIPS[resolution], code=view.location_code))
                name_widget(button, f"resolve_{resolution.value}_{line.line_id}",
                            _(ACTION_LABELS[resolution]))
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
                button.clicked.connect(lambda _c=False, ln=line, how=resolution: self.resolve(ln, how))
                box.addWidget(button)
            box.addStretch(1)
            self.lines_table.setIndexWidget(self.lines_model.index(row, CountLinesModel.ACTIONS), cell)

    @staticmethod
    def _offered(line: ReportLine) -> list[CountResolution]:
        """The resolutions that can work for this line now (the service checks them again)."""
        offered = list(stock_count.RESOLUTIONS[line.finding])
        if line.finding == F.MISSING:  # scanned somewhere since: found elsewhere, not missing
            offered.remove(R.MARKED_MISSING if line.recorded_at else R.FOUND_ELSEWHERE)
        return offered

    def start_count(self) -> None:
        row = self.count_location
        if row is None:
            self._bad(_("Choose a location in the list or scan its label first."))
            return
        if self.count is not None and not self.count.closed:
            self._bad(_("A count is running: close it first."))
            return

        def start(session):
            count = stock_count.start_count(session, self.user, row.id)
            return stock_count.count_view(session, count.id)

        ok, view = self._call(start)
        if not ok:
            return
        self.count = view
        self._show_count()
        self.changed.emit("count")
        self._good(row.code, _("Count of {code} started: scan every device that is there.",
                               code=row.code))
        self.count_entry.setFocus()

    def _count_scan(self, code: str) -> None:
        scan = classify(code)
        counting = self.count is not None and not self.count.closed
        if scan.kind == ScanKind.COMMAND and scan.value == Command.DONE:
            if counting:
                self.close_count()
            else:
                self.start_count()
            return
        if scan.kind in (ScanKind.COMMAND, ScanKind.UNKNOWN_COMMAND):
            self._bad(_("This command is not used in a stock count."), code=scan.value)
            return
        if scan.kind == ScanKind.LOCATION and not counting:
            ok, row = self._call(lambda s: self._location_row(s, scan.value))
            if ok:
                self.select_location(row.code)
                self._choose_count_location(row)
                if self.count is not None and not self.count.closed:
                    self._good(row.code, _("The count of {code} is running: scan the devices.",
                                           code=row.code))
                else:
                    self._good(row.code, _("Location {code}: press Start count or scan DONE.",
                                           code=row.code))
            return
        if not counting:
            self._bad(_("Start a count first: choose or scan a location."), code=scan.value)
            return
        count_id = self.count.count_id
        ok, outcome = self._call(lambda s: stock_count.scan(s, self.user, count_id, code),
                                 code=scan.value)
        if not ok:
            return
        self._reload_count()
        if outcome.found_again:
            self.changed.emit("asset")
        text = outcome.text
        if outcome.found_again:
            text += " " + _("It was marked missing: the mark is cleared.")
        self._good(outcome.line.tag or scan.value, text)

    def close_count(self) -> None:
        view = self.count
        if view is None or view.closed:
            self._bad(_("No count is running."))
            return
        if not self.confirm(_("Close count"),
                            _("Close the count of {code}? Devices recorded there that were not "
                              "scanned are listed as missing, and the report is issued.",
                              code=view.location_code)):
            return
        ok, document = self._call(lambda s: stock_count.close_count(s, self.user, view.count_id))
        if not ok:
            return
        self._reload_count()
        self.changed.emit("count")
        where = self._print(document.pdf, document.number)
        missing = self.count.tally()[F.MISSING] if self.count else 0
        self._good(document.number, _("Count closed: {n} missing; report {number}: {where}",
                                      n=missing, number=document.number, where=where))

    def _print(self, pdf: bytes, name: str) -> str:
        try:
            return self.printer.print_document(pdf, name)
        except DomainError as err:
            return str(err)

    def print_report(self) -> None:
        view = self.count
        if view is None or view.report_number is None:
            self._bad(_("This count has no report yet: close it first."))
            return
        ok, pdf = self._call(lambda s: stock_count.reprint_report(s, view.report_number))
        if ok:
            self._good(view.report_number, _("Report {number}: {where}", number=view.report_number,
                                             where=self._print(pdf, view.report_number)))

    def resolve(self, line: ReportLine, resolution: CountResolution) -> QDialog | None:
        """Resolve one line; a reason dialog first where the report needs a reason."""
        what = line.tag or line.serial or line.scanned_code or "?"

        def submit(reason: str | None):
            with self.database.session() as session:
                return stock_count.resolve_line(session, self.user, line.line_id, resolution,
                                                reason)

        if resolution in stock_count.REASON_REQUIRED:
            code = self.count.location_code if self.count else ""
            if resolution == R.MARKED_MISSING:
                summary = _("{what} was not found at {code}: it is marked missing. Give the "
                            "reason.", what=what, code=code)
            else:
                summary = _("{what} ({finding}) stays as the records have it. Give the reason.",
                            what=what, finding=_(FINDING_NAMES[line.finding]))
            dialog = ReasonDialog(_(ACTION_LABELS[resolution]).rstrip("…"), summary,
                                  lambda reason: self._resolved(what, resolution, submit(reason)),
                                  parent=self)
            return self._open_dialog(dialog)
        try:
            result = submit(None)
        except DomainError as err:
            self._bad(str(err), code=what)
            return None
        self._resolved(what, resolution, result)
        return None

    def _resolved(self, what: str, resolution: CountResolution, result) -> None:
        self._reload_count()
        self.changed.emit("count")
        if resolution == R.MOVED_HERE:
            self.changed.emit("asset")
            self.reload_locations()
        text = _("{what}: {resolution}.", what=what, resolution=_(RESOLUTION_NAMES[resolution]))
        if result.final_report is not None:
            number = result.final_report.number
            where = self._print(result.final_report.pdf, number)
            text += " " + _("All lines are resolved: final report {number}: {where}",
                            number=number, where=where)
        self._good(what, text)
