"""The asset-register import: pick a file, map its columns, check every row, then import.

The work runs off the GUI thread (a QThreadPool worker with its own database
session) with a progress bar and a cancel button: reading, checking and
committing a register of 100 000 rows takes minutes. The preview lists every
row with its line number and what will happen to it, or why it is rejected;
the technician chooses "all or nothing" or "only the valid rows", and the
result says plainly how many rows were left out. The rules are in
`app.services.asset_import`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QRunnable,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..db import Database
from ..i18n import N_, _
from ..models import User
from ..services import asset_import
from ..services.asset_import import ImportMode, ImportPlan, ImportResult, RowAction, SourceTable
from ..services.documents.intake_receipt import category_name
from ..services.errors import DatabaseUnavailable, DomainError
from .style import ERROR
from .widgets import ErrorLabel, fit_columns, name_widget

log = logging.getLogger(__name__)

PREVIEW_COLUMNS = (N_("Line"), N_("Result"), N_("Tag"), N_("Serial number"), N_("Manufacturer"),
                   N_("Model"), N_("Category"), N_("Problems or changes"))
NOT_IMPORTED = None  # the combo's data for "this column is not imported"
_ROOT = QModelIndex()


class _JobSignals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    """One service call in a worker thread; results come back to the GUI thread as signals."""

    def __init__(self, work: Callable[..., object], signals: _JobSignals, cancel: threading.Event):
        super().__init__()
        self.work, self.signals, self.cancel = work, signals, cancel

    def run(self) -> None:
        try:
            result = self.work(progress=self.signals.progress.emit, cancelled=self.cancel.is_set)
        except DomainError as err:
            self.signals.failed.emit(err.translated())
        except SQLAlchemyError as err:
            log.exception("database error during an import")
            detail = str(getattr(err, "orig", None) or err).splitlines()[0][:200]
            self.signals.failed.emit(DatabaseUnavailable(detail=detail).translated())
        except Exception:  # a bug: logged for support, a message for the technician
            log.exception("import job failed")
            self.signals.failed.emit(_("The import stopped on an unexpected error; nothing was "
                                       "imported. The details are in the log."))
        else:
            self.signals.done.emit(result)


class PreviewModel(QAbstractTableModel):
    """The checked rows of a plan: line, what will happen, and the problems of a rejected row."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[asset_import.PlannedRow] = []

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self.rows = plan.rows if plan else []
        self.endResetModel()

    def show_tags(self, tags: dict[int, str]) -> None:
        """The tags the import gave the new devices, by line: to label them next."""
        for row in self.rows:
            row.tag = tags.get(row.line, row.tag)
        if self.rows:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self.rows) - 1, 2))

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(PREVIEW_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(PREVIEW_COLUMNS[section])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and row.action is RowAction.REJECTED:
            return QBrush(QColor(ERROR))
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == 0:
            return row.line
        if column == 1:
            return _(asset_import.ACTION_LABELS[row.action])
        if column == 2:
            return row.tag or ""
        if column == 6 and "category" in row.values:
            return category_name(row.values["category"])
        if column in (3, 4, 5, 6):
            return row.shown[column - 3]
        if row.errors:
            return row.error_text()
        return "; ".join(f"{_(asset_import.FIELDS[_field_of(k)].label)}: {_text(old)} → {_text(new)}"
                         for k, (old, new) in row.changes.items())


def _field_of(attribute: str) -> str:
    return "origin_service" if attribute == "origin_service_id" else attribute


def _text(value: object) -> str:
    if value is None:
        return "—"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return category_name(value) if hasattr(value, "value") else str(value)


class _RejectedOnly(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.only_rejected = False

    def set_only_rejected(self, value: bool) -> None:
        self.beginFilterChange()
        self.only_rejected = value
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self.only_rejected:
            return True
        return self.sourceModel().rows[source_row].action is RowAction.REJECTED


class ImportDialog(QDialog):
    """Import the asset register. `load_file(path)` is what "Choose file…" does after the picker."""

    changed = Signal(str)  # "asset" after an import that wrote something

    def __init__(self, database: Database, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.user = user
        self.table: SourceTable | None = None
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self.combos: list[QComboBox] = []
        self.pool = QThreadPool(self)
        self._cancel = threading.Event()
        self._signals: _JobSignals | None = None
        self.setWindowTitle(_("Import the asset register"))
        name_widget(self, "importDialog", _("Import the asset register"))
        self.resize(1100, 760)

        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        name_widget(self.path_edit, "importFile", _("File to import"))
        self.choose_button = QPushButton(_("Choose file…"))
        name_widget(self.choose_button, "chooseFile", _("Choose file…"))
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)

        self.format_label = QLabel(_("CSV (UTF-8 or Windows-1252, comma or semicolon) or Excel "
                                     "workbook (.xlsx). A Snipe-IT asset export needs no mapping."))
        name_widget(self.format_label, "formatLabel", _("Layout of the file"))
        self.format_label.setWordWrap(True)
        self.mapping_area = QScrollArea()
        name_widget(self.mapping_area, "columnMapping", _("Columns of the file"))
        self.mapping_area.setWidgetResizable(True)
        self.mapping_area.setMinimumHeight(120)
        self.mapping_area.setMaximumHeight(240)
        self.check_button = QPushButton(_("Check the file"))
        name_widget(self.check_button, "checkFile", _("Check the file"))
        self.check_button.clicked.connect(self.check)

        self.progress = QProgressBar()
        name_widget(self.progress, "importProgress", _("Progress"))
        self.cancel_button = QPushButton(_("Cancel"))
        name_widget(self.cancel_button, "cancelJob", _("Cancel"))
        self.cancel_button.clicked.connect(self._cancel.set)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)

        self.summary = QLabel()
        name_widget(self.summary, "importSummary", _("Result of the check"))
        self.summary.setWordWrap(True)
        self.only_rejected = QCheckBox(_("Show only rejected rows"))
        name_widget(self.only_rejected, "onlyRejected", _("Show only rejected rows"))
        self.preview_model = PreviewModel(self)
        self.proxy = _RejectedOnly(self)
        self.proxy.setSourceModel(self.preview_model)
        self.only_rejected.toggled.connect(self.proxy.set_only_rejected)
        self.preview = QTableView()
        name_widget(self.preview, "importPreview", _("Rows of the file"))
        self.preview.setModel(self.proxy)
        self.preview.verticalHeader().hide()
        # Line, result, tag, serial, make and category as wide as their text; the model at a fixed
        # width; the problems take the rest (a long reason whole in its tooltip).
        fit_columns(self.preview, stretch=7, widths={5: 170})
        self.preview.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.preview.setWordWrap(False)  # one line per row; the tooltip shows a long reason whole

        self.all_or_nothing = QRadioButton(_("Import all rows, or nothing if any row is rejected"))
        name_widget(self.all_or_nothing, "modeAllOrNothing", self.all_or_nothing.text())
        self.valid_only = QRadioButton(_("Import only the valid rows; the rejected rows are left out"))
        name_widget(self.valid_only, "modeValidOnly", self.valid_only.text())
        self.all_or_nothing.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.all_or_nothing)
        modes.addButton(self.valid_only)
        self.import_button = QPushButton(_("Import"))
        name_widget(self.import_button, "importButton", _("Import"))
        self.import_button.clicked.connect(self.run_import)
        self.close_button = QPushButton(_("Close"))
        name_widget(self.close_button, "closeButton", _("Close"))
        self.close_button.clicked.connect(self.reject)
        self.result_label = QLabel()
        name_widget(self.result_label, "importResult", _("Result of the import"))
        self.result_label.setWordWrap(True)
        self.error = ErrorLabel("importError")

        bottom = QHBoxLayout()
        mode_box = QVBoxLayout()
        mode_box.addWidget(self.all_or_nothing)
        mode_box.addWidget(self.valid_only)
        bottom.addLayout(mode_box, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.format_label)
        layout.addWidget(self.mapping_area)
        layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(progress_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.only_rejected)
        layout.addWidget(self.preview, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.result_label)
        layout.addWidget(self.error)
        self._set_busy(False)

    # --- steps ------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the file to import"), "",
            _("Registers (*.csv *.xlsx);;All files (*)"))
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> None:
        """Read the file in the background, then show its columns (and check it if recognised)."""
        self.path_edit.setText(path)
        self.table = None
        self._show_plan(None)
        self._start(lambda progress, cancelled: asset_import.read_file(path), self._file_read)

    def _file_read(self, table: SourceTable) -> None:
        self.table = table
        fmt = asset_import.detect_format(table.header)
        self.format_label.setText({
            "snipeit": _("Recognised: a Snipe-IT asset export. The columns are mapped for you."),
            "depot": _("Recognised: the CircuIT Depot layout. The columns are mapped for you."),
        }.get(fmt or "", _("Layout not recognised: say below which column holds which field.")))
        self._build_mapping(table, asset_import.suggest_mapping(table.header, fmt))
        self._set_busy(False)
        if fmt is not None:
            self.check()

    def _build_mapping(self, table: SourceTable, suggested: dict[int, str | None]) -> None:
        # A new form for each file: the scroll area sizes a widget it is given, not one that grows.
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.combos = []
        for index, header in enumerate(table.header):
            combo = QComboBox()
            title = header or _("column {number}", number=index + 1)
            name_widget(combo, f"mapping_{index}", title)
            combo.addItem(_("— not imported —"), NOT_IMPORTED)
            for name, spec in asset_import.FIELDS.items():
                combo.addItem(_(spec.label) + (" *" if spec.required else ""), name)
            combo.setCurrentIndex(max(0, combo.findData(suggested.get(index))))
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.combos.append(combo)
            form.addRow(title, combo)
        self.mapping_area.setWidget(form_widget)  # the previous form is deleted

    def mapping(self) -> dict[int, str | None]:
        return {index: combo.currentData() for index, combo in enumerate(self.combos)}

    def _mapping_changed(self) -> None:
        if self.plan is not None:
            self._show_plan(None)
            self.summary.setText(_("The mapping changed: check the file again."))

    def check(self) -> None:
        if self.table is None:
            return
        table, mapping, fmt = self.table, self.mapping(), asset_import.detect_format(self.table.header)

        def work(progress, cancelled):
            with self.database.session() as session:
                return asset_import.validate_table(session, table, fmt, mapping, progress, cancelled)

        self._show_plan(None)
        self._start(work, self._show_plan)

    def _show_plan(self, plan: ImportPlan | None) -> None:
        self.plan = plan
        self.result = None
        self.preview_model.set_plan(plan)
        self.summary.setText(plan.summary() if plan else "")
        self.result_label.clear()
        self._set_busy(False)

    def selected_mode(self) -> ImportMode:
        return ImportMode.VALID_ONLY if self.valid_only.isChecked() else ImportMode.ALL_OR_NOTHING

    def run_import(self) -> None:
        if self.plan is None:
            return
        plan, mode, user = self.plan, self.selected_mode(), self.user

        def work(progress, cancelled):
            with self.database.session() as session:
                return asset_import.commit(session, user, plan, mode, progress, cancelled)

        self._start(work, self._imported)

    def _imported(self, result: ImportResult) -> None:
        self.result = result
        lines = [result.message()]
        checked = {r.line for r in self.plan.rejected_rows} if self.plan else set()
        late = [r for r in result.rejects if r.line not in checked]  # changed since the check
        lines += [r.report_line() for r in late[:20]]
        self.result_label.setText("\n".join(lines))
        self.result_label.setAccessibleName(lines[0])
        self.result_label.setProperty("role", None if result.ok else "error")
        self.result_label.setStyleSheet("" if result.ok else f"color: {ERROR};")
        if result.committed:
            self.preview_model.show_tags(dict(result.tags))
            self.plan = None  # the register changed: a second import needs a new check
            if result.created or result.updated:
                self.changed.emit("asset")
        self._set_busy(False)

    # --- the worker --------------------------------------------------------------------------

    def _start(self, work: Callable[..., object], on_done: Callable[[object], None]) -> None:
        self.error.clear_message()
        self._cancel.clear()
        signals = _JobSignals(self)
        signals.progress.connect(self._progress)
        signals.done.connect(on_done)
        signals.failed.connect(self._failed)
        self._signals = signals  # keep it alive until the job reports back
        self._set_busy(True)
        self.pool.start(_Job(work, signals, self._cancel))

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _failed(self, message: str) -> None:
        self.error.show_message(message)
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)  # until the first report: "working"
        for widget in (self.choose_button, self.check_button, self.mapping_area, self.close_button,
                       self.all_or_nothing, self.valid_only):
            widget.setEnabled(not busy)
        self.check_button.setEnabled(not busy and self.table is not None)
        self.import_button.setEnabled(not busy and self.plan is not None)

    def reject(self) -> None:
        if self.busy:
            self._cancel.set()  # a commit that is cancelled rolls back: nothing half-imported
            self.pool.waitForDone()
        super().reject()
