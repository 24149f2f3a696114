"""One device whole: its fields, its storage media and their wiping, its history, its papers.

`AssetDetail` is a window of its own, so a technician can keep a device open
next to the list. The history comes from the audit trail (who did what when,
old → new, in Brussels time); the documents are the stored PDFs as issued.
The buttons are the lifecycle actions the device's status allows and the
user's role may do, nothing else: the simple ones run here through the
lifecycle service (which may still refuse, and says why); the ones that need
their workflow's screen point to it. `open_asset_by_scan` lets the main
window open a device from a scan on a page that does not take scans itself.
"""

from __future__ import annotations

import logging
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..db import Database
from ..i18n import N_, _
from ..models import User
from ..services import inventory, lifecycle
from ..services.codes import ScanKind
from ..services.errors import DatabaseUnavailable, DomainError
from ..services.inventory import AssetView
from ..services.sanitisation import MediumState
from ..timefmt import format_local
from .widgets import ErrorLabel, fit_columns, name_widget

log = logging.getLogger(__name__)

# Actions done right here; the text asks for a confirmation first (None: none needed).
DIRECT_ACTIONS: dict[str, str | None] = {
    "start_checks": None,
    "retire": N_("Retire {tag}? It goes to the devices awaiting disposal."),
    "release": N_("Release the reservation of {tag}? It becomes ready again."),
}
# Actions that need their workflow's screen (a checklist, a recipient, a certificate…).
ACTION_PAGES = {
    "announce": "intake", "receive": "intake", "return_after_second_life": "intake",
    "return_for_checks": "intake", "release": "handovers",
    "pass_checks": "refurbishment", "fail_checks": "refurbishment",
    "reserve": "handovers", "transfer": "handovers", "sell": "sales", "dispose": "disposal",
}
STATE_COLOURS = {MediumState.VERIFIED: "#1a7f37", MediumState.FAILED: "#a4161a",
                 MediumState.MISSING: "#a4161a", MediumState.UNVERIFIED: "#9a6700"}
NO_PARENT = QModelIndex()
MAX_OPENED_PER_SCAN = 5  # a serial on more devices than this is not a scan to open blindly


class RowsModel(QAbstractTableModel):
    """A small read-only table (a device's media, history or documents): it keeps its rows."""

    def __init__(self, headers: list[str], parent=None) -> None:
        super().__init__(parent)
        self.headers = headers
        self._rows: list[tuple] = []
        self._colours: list[dict[int, str]] = []
        self._tooltips: list[dict[int, str]] = []

    def set_rows(self, rows: list[tuple], colours: list[dict[int, str]] | None = None,
                 tooltips: list[dict[int, str]] | None = None) -> None:
        self.beginResetModel()
        self._rows = rows
        self._colours = colours or [{} for _ in rows]
        self._tooltips = tooltips or [{} for _ in rows]
        self.endResetModel()

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltips[index.row()].get(index.column(), value) or None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in self._colours[index.row()]:
            return QColor(self._colours[index.row()][index.column()])
        return None

    def row(self, index: int) -> tuple:
        return self._rows[index]


def _table(object_name: str, accessible: str, model: RowsModel) -> QTableView:
    view = QTableView()
    name_widget(view, object_name, accessible)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.horizontalHeader().setHighlightSections(False)
    return view


def _fit_rows(view: QTableView, rows: int, most: int) -> None:
    """A short table as tall as its rows (up to `most`), so the history gets the rest."""
    shown = max(1, min(rows, most))
    height = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
    view.setFixedHeight(height + shown * view.verticalHeader().defaultSectionSize() + 2)


HISTORY_LINES = 4  # a checklist of fifteen answers shows its first lines; the cell's tooltip all


def _lines(changes: tuple[str, ...]) -> str:
    if len(changes) <= HISTORY_LINES:
        return "\n".join(changes)
    more = len(changes) - HISTORY_LINES + 1
    return "\n".join([*changes[:HISTORY_LINES - 1], _("… and {n} more", n=more)])


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "subheader")
    label.setStyleSheet("font-weight: 600; font-size: 12pt; padding-top: 6px;")
    return label


def _page_title(key: str) -> str:
    from .pages import PAGES  # the registry names the pages; imported late (it builds pages)

    spec = next((p for p in PAGES if p.key == key), None)
    return _(spec.title) if spec else key


class AssetDetail(QDialog):
    """The detail window of one device. `changed(asset_id)` after an action changed it."""

    changed = Signal(int)

    def __init__(self, database: Database, user: User, asset_id: int, parent: QWidget | None = None,
                 *, stale_days: int = inventory.DEFAULT_STALE_DAYS) -> None:
        super().__init__(parent)
        self.database = database
        self.user = user
        self.asset_id = asset_id
        self.stale_days = stale_days
        self.view: AssetView | None = None
        self.action_buttons: dict[str, QPushButton] = {}
        self.setObjectName("assetDetail")
        self.resize(1120, 760)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.title = QLabel()
        name_widget(self.title, "dialogHeader", _("Device"))
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_line = QLabel()
        name_widget(self.status_line, "assetStatus", _("Status"))
        self.stale_badge = QLabel()
        name_widget(self.stale_badge, "staleBadge", _("Stale stock"))
        self.stale_badge.setStyleSheet(
            "background: #fff1cc; color: #6b4400; border: 1px solid #e3b341; border-radius: 4px;"
            " padding: 2px 8px;")
        self.actions_row = QHBoxLayout()
        self.actions_row.setSpacing(8)
        self.error = ErrorLabel("detailError")

        self.fields = QWidget()
        self.fields_layout = QGridLayout(self.fields)
        self.fields_layout.setContentsMargins(0, 0, 0, 0)
        self.fields_layout.setHorizontalSpacing(16)
        self.fields_layout.setVerticalSpacing(4)

        self.media_model = RowsModel([_("Storage medium"), _("Sanitisation"), _("Method"),
                                      _("Wiped / verified by")], self)
        self.media_table = _table("mediaTable", _("Storage media"), self.media_model)
        self.media_table.setWordWrap(True)  # two lines: who wiped, who verified
        self.media_table.verticalHeader().setDefaultSectionSize(
            2 * self.media_table.fontMetrics().lineSpacing() + 8)
        self.history_model = RowsModel([_("When"), _("Who"), _("What"), _("Details")], self)
        self.history_table = _table("historyTable", _("History"), self.history_model)
        self.history_table.setWordWrap(True)
        self.history_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.history_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.documents_model = RowsModel([_("Number"), _("Document"), _("Issued")], self)
        self.documents_table = _table("documentsTable", _("Documents"), self.documents_model)
        self.open_document_button = QPushButton(_("Open"))
        name_widget(self.open_document_button, "openDocument", _("Open the document"))
        self.save_document_button = QPushButton(_("Save as…"))
        name_widget(self.save_document_button, "saveDocument", _("Save the document as…"))
        self.open_document_button.clicked.connect(self.open_document)
        self.save_document_button.clicked.connect(lambda: self.save_document())
        self.documents_table.activated.connect(lambda _i: self.open_document())
        self.documents_table.selectionModel().selectionChanged.connect(self._document_buttons)
        close = QPushButton(_("Close"))
        name_widget(close, "closeDetail", _("Close"))
        close.clicked.connect(self.close)
        close.setDefault(True)
        for button in (self.open_document_button, self.save_document_button):
            button.setAutoDefault(False)
        self.close_button = close

        head = QHBoxLayout()
        head_text = QVBoxLayout()
        head_text.setSpacing(2)
        head_text.addWidget(self.title)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_line)
        status_row.addWidget(self.stale_badge)
        status_row.addStretch(1)
        head_text.addLayout(status_row)
        head.addLayout(head_text, 1)
        head.addLayout(self.actions_row)

        left = QVBoxLayout()
        left.addWidget(_section(_("Device")))
        left.addWidget(self.fields)
        left.addStretch(1)
        documents_head = QHBoxLayout()
        documents_head.addWidget(_section(_("Documents")))
        documents_head.addStretch(1)
        documents_head.addWidget(self.open_document_button)
        documents_head.addWidget(self.save_document_button)
        right = QVBoxLayout()
        right.addWidget(_section(_("Storage media")))
        right.addWidget(self.media_table)
        right.addLayout(documents_head)
        right.addWidget(self.documents_table)
        right.addWidget(_section(_("History")))
        right.addWidget(self.history_table, 1)
        body = QHBoxLayout()
        body.setSpacing(28)
        body.addLayout(left, 3)
        body.addLayout(right, 7)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addLayout(head)
        layout.addWidget(self.error)
        layout.addLayout(body, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.reload()
        close.setFocus()

    # --- loading --------------------------------------------------------------------------------------

    def _call(self, action: Callable):
        try:
            with self.database.session() as session:
                return True, action(session)
        except DomainError as err:
            self.error.show_message(str(err))
        except SQLAlchemyError as err:
            log.exception("database error in the device detail")
            detail = str(getattr(err, "orig", None) or err).splitlines()[0][:200]
            self.error.show_message(str(DatabaseUnavailable(detail=detail)))
        return False, None

    def reload(self) -> None:
        ok, view = self._call(lambda s: inventory.asset_view(s, self.user, self.asset_id,
                                                               stale_after_days=self.stale_days))
        if ok:
            self.show_view(view)

    def show_view(self, view: AssetView) -> None:
        self.view = view
        self.setWindowTitle(f"{view.tag} — {view.title}")
        self.title.setText(f"{view.tag} · {view.title}")
        self.title.setAccessibleName(self.title.text())
        self.status_line.setText(view.status_text)
        self.stale_badge.setVisible(view.stale)
        self.stale_badge.setText(_("Stale stock: {days} days in this status (more than {limit})",
                                   days=view.days_in_status, limit=self.stale_days))
        self._show_fields(view)
        self._show_media(view)
        timeline = list(reversed(view.timeline))  # newest first: what happened last is asked most
        self.history_model.set_rows(
            [(format_local(e.occurred_at), e.actor, e.action, _lines(e.changes)) for e in timeline],
            tooltips=[{3: "\n".join(e.changes)} for e in timeline])
        self.history_table.resizeColumnToContents(0)
        self.history_table.setColumnWidth(1, 140)
        self.history_table.setColumnWidth(2, 210)
        self.history_table.horizontalHeader().setStretchLastSection(True)
        documents = [(d.number, inventory.document_kind_name(d.kind), format_local(d.issued_at))
                     for d in view.documents]
        self.documents_model.set_rows(documents or [(_("No document mentions this device yet."), "", "")])
        self.documents_table.setEnabled(bool(documents))
        fit_columns(self.documents_table, stretch=1)
        _fit_rows(self.documents_table, self.documents_model.rowCount(), 3)
        self._document_buttons()
        self._show_actions(view)

    def _show_fields(self, view: AssetView) -> None:
        while self.fields_layout.count():
            widget = self.fields_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for row, (label, value) in enumerate(view.fields):
            name = QLabel(label)
            name.setStyleSheet("color: #57606a;")
            text = QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            name_widget(text, f"field{row}", label)
            self.fields_layout.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            self.fields_layout.addWidget(text, row, 1)
        self.fields_layout.setColumnStretch(1, 1)

    def _show_media(self, view: AssetView) -> None:
        rows, colours, tooltips = [], [], []
        for m in view.media:
            medium = " · ".join(p for p in (" ".join(p for p in (m.kind, m.serial or "") if p),
                                            f"{m.capacity_gb} GB" if m.capacity_gb else "") if p)
            if m.removed:
                medium += " " + _("(removed)")
            rows.append((medium, inventory.medium_state_name(m.state),
                         " · ".join(p for p in (m.method, m.tool) if p),
                         "\n".join(p for p in (m.operator, m.verifier) if p)))
            colours.append({1: STATE_COLOURS[m.state]})
            tooltips.append({0: rows[-1][0], 2: rows[-1][2], 3: "\n".join(
                [_("Wiped by: {who}", who=", ".join(p for p in (m.operator, format_local(m.performed_at)) if p))]
                + ([_("Verified by: {who}", who=m.verifier)] if m.verifier else []))})
        if not rows:
            rows = [(_("No storage medium is recorded."), "", "", "")]
            colours, tooltips = [{}], [{}]
        self.media_model.set_rows(rows, colours, tooltips)
        # names (who wiped over who verified) and states in full; the medium at a fixed width, the
        # method takes the rest (both whole in their tooltips)
        fit_columns(self.media_table, stretch=2, widths={0: 150})
        _fit_rows(self.media_table, len(rows), 4)

    def _show_actions(self, view: AssetView) -> None:
        for button in self.action_buttons.values():
            self.actions_row.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        for name in view.actions:
            label = _(lifecycle.TRANSITIONS[name].label)
            button = QPushButton(label[:1].upper() + label[1:])
            button.setAutoDefault(False)
            name_widget(button, f"action_{name}", button.text())
            if name in DIRECT_ACTIONS:
                button.clicked.connect(lambda _checked=False, n=name: self.run_action(n))
            else:
                button.setEnabled(False)
                button.setToolTip(_("Done on the “{page}” page.",
                                    page=_page_title(ACTION_PAGES.get(name, ""))))
            self.actions_row.addWidget(button)
            self.action_buttons[name] = button

    # --- actions ---------------------------------------------------------------------------------

    def confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.windowTitle(), question)
        return answer == QMessageBox.StandardButton.Yes

    def run_action(self, name: str) -> bool:
        """Apply a simple lifecycle action; the service decides, a refusal is shown here."""
        if self.view is None or name not in self.view.actions or name not in DIRECT_ACTIONS:
            return False
        question = DIRECT_ACTIONS[name]
        if question and not self.confirm(_(question, tag=self.view.tag)):
            return False
        version = self.view.version
        ok, _asset = self._call(lambda s: lifecycle.apply(s, self.user, self.asset_id, name,
                                                          expected_version=version))
        if ok:
            self.error.clear_message()
            self.reload()
            self.changed.emit(self.asset_id)
        return ok

    # --- documents ------------------------------------------------------------------------------

    def selected_document(self) -> str | None:
        if self.view is None or not self.view.documents:
            return None
        rows = self.documents_table.selectionModel().selectedRows()
        if rows:
            return self.documents_model.row(rows[0].row())[0]
        if self.documents_model.rowCount() == 1:
            return self.documents_model.row(0)[0]
        return None

    def _document_buttons(self, *_args) -> None:
        has = self.selected_document() is not None
        self.open_document_button.setEnabled(has)
        self.save_document_button.setEnabled(has)

    def document_bytes(self, number: str) -> bytes | None:
        ok, pdf = self._call(lambda s: inventory.document_pdf(s, number))
        return pdf if ok else None

    def open_document(self) -> Path | None:
        number = self.selected_document()
        pdf = self.document_bytes(number) if number else None
        if pdf is None:
            return None
        folder = Path(tempfile.gettempdir()) / "circuit-depot-documents"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{number}.pdf"
        path.write_bytes(pdf)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def save_document(self, path: str | None = None) -> Path | None:
        number = self.selected_document()
        if number is None:
            return None
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Save the document as…"),
                                                        f"{number}.pdf", "PDF (*.pdf)")
            if not path:
                return None
        pdf = self.document_bytes(number)
        if pdf is None:
            return None
        try:
            Path(path).write_bytes(pdf)
        except OSError as err:
            self.error.show_message(_("The document could not be saved: {detail}", detail=err.strerror))
            return None
        return Path(path)


# --- opening a device from anywhere ----------------------------------------------------------------

_OPEN: weakref.WeakValueDictionary[tuple[int, int], AssetDetail] = weakref.WeakValueDictionary()


def open_asset_detail(parent: QWidget | None, database: Database, user: User, asset_id: int, *,
                      stale_days: int | None = None) -> AssetDetail:
    """Show the device's window (brought to the front if it is open already)."""
    key = (id(database), asset_id)
    detail = _OPEN.get(key)
    if detail is not None:
        try:
            detail.reload()
            detail.show()
            detail.raise_()
            detail.activateWindow()
            return detail
        except RuntimeError:  # its window was closed and deleted
            _OPEN.pop(key, None)
    if stale_days is None:
        from ..config import Settings

        stale_days = inventory.stale_days(Settings.load().extra)
    detail = AssetDetail(database, user, asset_id, parent, stale_days=stale_days)
    detail.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    detail.setWindowModality(Qt.WindowModality.NonModal)
    _OPEN[key] = detail
    detail.show()
    return detail


def open_asset_by_scan(parent: QWidget | None, database: Database, user: User, code: str) -> bool:
    """Open the device a scanned tag or serial belongs to; False when the code is not one.

    For the main window, on pages that do not take scans themselves. A tag or
    serial that matches no device (or a mistyped tag) is said in the window's
    status bar when `parent` has one, and counts as taken (True).
    """
    try:
        with database.session() as session:
            match = inventory.find_code(session, code)
    except DomainError as err:  # a tag with a wrong check digit
        _tell(parent, str(err), code.strip())
        return True
    except SQLAlchemyError:
        log.exception("scan lookup failed")
        _tell(parent, _("The database cannot be reached; the scan was not looked up."))
        return True
    if match.kind not in (ScanKind.TAG, ScanKind.SERIAL):
        return False
    if not match.asset_ids:
        _tell(parent, _("No device with {code} is known.", code=match.value), match.value)
        return True
    for asset_id in match.asset_ids[:MAX_OPENED_PER_SCAN]:
        open_asset_detail(parent, database, user, asset_id)
    answer = getattr(parent, "answer_scan", None)
    if callable(answer):
        answer(match.value, _("The device is opened in its own window."), good=True)
    return True


def _tell(parent: QWidget | None, text: str, code: str = "") -> None:
    """A refused scan: in the window's scan bar (red, with its sound) when it has one."""
    answer = getattr(parent, "answer_scan", None)
    if callable(answer):
        answer(code, text, good=False)
        return
    status_bar = getattr(parent, "statusBar", None)
    if callable(status_bar):
        status_bar().showMessage(text, 8000)


__all__ = ["AssetDetail", "open_asset_by_scan", "open_asset_detail"]
