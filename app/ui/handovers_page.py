"""The handovers page: requests and their proposals, the handover desk, the recipients.

Three tabs. Requests: the manager records what a recipient asked for, sees
matching ready devices proposed oldest-in first, unticks (drops) or swaps a
proposal, and reserves the accepted ones. Desk: the reserved devices are
scanned and handed over with a certificate (`handover_desk.py`). Recipients:
search, add, edit, deactivate (`handover_recipients.py`). A scan anywhere in
the window goes to the desk; a certificate's QR code opens its verification
(the main window does that for every page).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..config import Settings
from ..db import Database
from ..i18n import N_, _, n_
from ..models import RequestStatus, User
from ..services import handover_requests
from ..services.codes import Command, ScanKind, classify
from ..services.documents.intake_receipt import category_name
from ..services.permissions import allowed
from ..timefmt import format_local
from .feedback import ScanBar, ScanFeedback
from .handover_desk import DeskTab
from .handover_recipients import RecipientsTab
from .handover_table import RowsModel, selected_row, table_view
from .page_frame import PageFrame
from .printing import LabelPrinter
from .service_call import ScanPageMixin
from .widgets import name_widget

REQUEST_COLUMNS = (N_("Request"), N_("Recipient"), N_("Needed by"), N_("Status"))
PROPOSAL_COLUMNS = (N_("Tag"), N_("Manufacturer and model"), N_("Grade"), N_("RAM"), N_("Storage"),
                    N_("In stock since"))


def line_text(line) -> str:
    parts = [f"{line.quantity} × {category_name(line.category)}"]
    if line.min_grade:
        parts.append(_("grade {grade} or better", grade=line.min_grade.value))
    if line.min_ram_gb:
        parts.append(_("≥ {n} GB RAM", n=line.min_ram_gb))
    if line.min_storage_gb:
        parts.append(_("≥ {n} GB storage", n=line.min_storage_gb))
    return ", ".join(parts)


def proposal_row(p: handover_requests.Proposal) -> tuple:
    return (p.tag, f"{p.manufacturer} {p.model}", p.grade or "—",
            f"{p.ram_gb} GB" if p.ram_gb else "—", f"{p.storage_gb} GB" if p.storage_gb else "—",
            format_local(p.received_at).split(" ")[0])


class HandoversPage(ScanPageMixin, QWidget):
    """Page key "handovers". `handle_scan(code)` takes the desk's scans."""

    changed = Signal(str)

    def __init__(self, database: Database, user: User, settings: Settings | None = None,
                 printer: LabelPrinter | None = None) -> None:
        super().__init__()
        self.database, self.user = database, user
        self.settings = settings or Settings.load()
        self.printer = printer or LabelPrinter.for_desk(self.settings)
        self.manager = allowed(user, "handover.reserve")
        self.feedback = ScanFeedback(self, muted=bool(self.settings.extra.get("sound_muted")))
        self.scan_bar = ScanBar(self.feedback)

        self.tabs = QTabWidget()
        name_widget(self.tabs, "handoverTabs", _("Handovers"))
        self.tabs.addTab(self._requests_tab(), _("Requests"))
        self.desk = DeskTab(self)
        self.tabs.addTab(self.desk, _("Handover desk"))
        self.recipients = RecipientsTab(database, user)
        self.tabs.addTab(self.recipients, _("Recipients"))
        self.desk.changed.connect(self._stock_changed)
        self.recipients.changed.connect(lambda: self.changed.emit("party"))

        self.frame = PageFrame(self, _("Handovers"), scan_bar=self.scan_bar)
        self.frame.add(self.tabs, 1)
        self.proposals: list[handover_requests.Proposal] = []
        self.load_requests()
        self.desk.load_batches()
        if not self.manager:  # a technician's work here is the desk
            self.tabs.setCurrentWidget(self.desk)

    # --- the requests tab ---------------------------------------------------------------------

    def _requests_tab(self) -> QWidget:
        self.show_closed = QCheckBox(_("Show closed requests"))
        name_widget(self.show_closed, "showClosedRequests", self.show_closed.text())
        self.show_closed.toggled.connect(lambda _on: self.load_requests())
        self.request_model = RowsModel(REQUEST_COLUMNS)
        self.request_table = table_view(self.request_model, stretch=1)
        name_widget(self.request_table, "requestTable", _("Requests"))
        self.request_table.selectionModel().selectionChanged.connect(lambda *_a: self.show_request())
        self.new_button = QPushButton(_("New request…"))
        name_widget(self.new_button, "newRequest", _("New request…"))
        self.new_button.clicked.connect(self.new_request)

        self.request_title = QLabel(_("Choose a request."))
        self.request_title.setProperty("role", "subheader")
        name_widget(self.request_title, "requestTitle", _("Request"))
        self.request_lines = QLabel()
        self.request_lines.setWordWrap(True)
        name_widget(self.request_lines, "requestLines", _("What was asked for"))
        self.proposal_model = RowsModel(PROPOSAL_COLUMNS, checkable=True)
        self.proposal_table = table_view(self.proposal_model, stretch=1)
        name_widget(self.proposal_table, "proposalTable", _("Proposed devices"))
        self.swap_button = QPushButton(_("Swap…"))
        name_widget(self.swap_button, "swapProposal", _("Swap…"))
        self.swap_button.clicked.connect(self.swap)
        self.reserve_button = QPushButton(_("Reserve the ticked devices"))
        name_widget(self.reserve_button, "reserveProposals", self.reserve_button.text())
        self.reserve_button.clicked.connect(self.reserve)
        self.cancel_request_button = QPushButton(_("Cancel request"))
        name_widget(self.cancel_request_button, "cancelRequest", _("Cancel request"))
        self.cancel_request_button.clicked.connect(self.cancel_request)
        self.to_desk_button = QPushButton(_("To the desk"))
        name_widget(self.to_desk_button, "toDesk", _("To the desk"))
        self.to_desk_button.clicked.connect(self.open_desk)
        for b in (self.new_button, self.swap_button, self.reserve_button, self.cancel_request_button):
            b.setVisible(self.manager)

        # The requests on top (few are open at once), the chosen one in full width below:
        # the proposals table needs the width for model names and dates on a 1280-pixel screen.
        self.request_table.setMaximumHeight(150)
        side = QVBoxLayout()
        for widget in (self.new_button, self.show_closed, self.to_desk_button,
                       self.cancel_request_button):
            side.addWidget(widget)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.request_table, 1)
        top.addLayout(side)
        hint = QLabel(_("Proposed from ready stock, oldest in first. Untick a device to drop it; "
                        "Swap… offers another one that fits."))
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.swap_button)
        buttons.addWidget(self.reserve_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(self.request_title)
        layout.addWidget(self.request_lines)
        layout.addWidget(self.proposal_table, 1)
        layout.addLayout(buttons)
        return tab

    def load_requests(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.current_request_id()
        closed = self.show_closed.isChecked()
        _ok, rows = self._call(lambda s: [
            (r.id, r.number, r.recipient.name, r.needed_by.strftime("%d/%m/%Y") if r.needed_by else "—",
             handover_requests.status_label(r.status))
            for r in handover_requests.list_requests(s, include_closed=closed)])
        rows = rows or []
        self.request_model.set_rows([r[1:] for r in rows], keys=[r[0] for r in rows])
        if keep in self.request_model.keys:
            self.request_table.selectRow(self.request_model.keys.index(keep))
        elif rows:
            self.request_table.selectRow(0)
        else:
            self.show_request()

    def current_request_id(self) -> int | None:
        row = selected_row(self.request_table)
        return self.request_model.keys[row] if row is not None else None

    def show_request(self) -> None:
        request_id = self.current_request_id()
        self.proposals = []
        if request_id is None:
            self.request_title.setText(_("Choose a request."))
            self.request_lines.clear()
            self.proposal_model.set_rows([])
            self._enable(False, False)
            return

        def load(s):
            r = handover_requests.get_request(s, request_id)
            have = handover_requests.reserved_per_line(s, r.id)
            batch = handover_requests.open_batch(s, r.id)
            lines = [_("{line} — {have} reserved", line=line_text(line), have=have.get(line.id, 0))
                     for line in r.lines]
            title = _("{number} for {recipient}", number=r.number, recipient=r.recipient.name)
            needed = r.needed_by.strftime("%d/%m/%Y") if r.needed_by else "—"
            info = [_("Needed by {date} · {status}", date=needed,
                      status=handover_requests.status_label(r.status))] + lines
            if r.notes:
                info.append(r.notes)
            open_ = r.status in (RequestStatus.OPEN, RequestStatus.RESERVED)
            return title, "\n".join(info), handover_requests.propose(s, r.id), batch is not None, open_

        ok, result = self._call(load)
        if not ok:
            return
        title, info, self.proposals, has_batch, still_open = result
        self.request_title.setText(title)
        self.request_lines.setText(info)
        self.proposal_model.set_rows([proposal_row(p) for p in self.proposals],
                                     keys=[(p.line_id, p.asset_id) for p in self.proposals])
        self._enable(still_open, has_batch)

    def _enable(self, still_open: bool, has_batch: bool) -> None:
        for b in (self.swap_button, self.reserve_button):
            b.setEnabled(still_open and bool(self.proposals))
        self.cancel_request_button.setEnabled(still_open)
        self.to_desk_button.setEnabled(has_batch)

    def new_request(self) -> None:
        from .handover_request_dialog import RequestDialog

        dialog = RequestDialog(self.database, self.user, self)
        if self.run_dialog(dialog):
            self.load_requests(select_id=dialog.request_id)
            self.tabs.setCurrentIndex(0)
            self._good("", _("Request recorded: check the proposed devices."))

    def run_dialog(self, dialog) -> bool:
        """Show a dialog modally (tests replace this to fill it in)."""
        return dialog.exec() == dialog.DialogCode.Accepted

    def choose_alternative(self, options: list[str]) -> int | None:
        """Ask which device to swap in; the index chosen or None (tests replace this)."""
        text, ok = QInputDialog.getItem(self, _("Swap…"), _("Swap in this device instead:"), options,
                                        0, False)
        return options.index(text) if ok and text in options else None

    def confirm(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        return QMessageBox.question(self, title, text, buttons) == QMessageBox.StandardButton.Yes

    def swap(self) -> None:
        row = selected_row(self.proposal_table)
        if row is None:
            self._bad(_("Select the proposed device to swap first."))
            return
        current = self.proposals[row]
        exclude = [p.asset_id for p in self.proposals]
        ok, others = self._call(lambda s: handover_requests.alternatives(s, current.line_id, exclude))
        if not ok:
            return
        if not others:
            self._bad(_("No other ready device fits this line."))
            return
        choice = self.choose_alternative([" · ".join(str(v) for v in proposal_row(p)) for p in others])
        if choice is None:
            return
        chosen = others[choice]
        self.proposals[row] = chosen
        self.proposal_model.replace_row(row, proposal_row(chosen), (chosen.line_id, chosen.asset_id))
        self._good(chosen.tag, _("{new} proposed instead of {old}.", new=chosen.tag, old=current.tag))

    def reserve(self) -> None:
        request_id = self.current_request_id()
        picks = self.proposal_model.checked_keys()
        ok, batch = self._call(lambda s: handover_requests.reserve(s, self.user, request_id, picks))
        if not ok:
            return
        self._good(batch.number, n_(len(picks), "{n} device reserved in handover {batch}.",
                                    "{n} devices reserved in handover {batch}.", batch=batch.number))
        self.load_requests(select_id=request_id)
        self.desk.load_batches(select_id=batch.id)
        self.changed.emit("asset")

    def cancel_request(self) -> None:
        request_id = self.current_request_id()
        if request_id is None or not self.confirm(_("Cancel request"), _(
                "Cancel this request? Devices reserved for it become ready again.")):
            return
        ok, request = self._call(lambda s: handover_requests.cancel_request(s, self.user, request_id))
        if ok:
            self._good(request.number, _("Request {number} cancelled.", number=request.number))
            self.load_requests()
            self.desk.load_batches()
            self.changed.emit("asset")

    def open_desk(self) -> None:
        request_id = self.current_request_id()
        ok, batch = self._call(lambda s: handover_requests.open_batch(s, request_id))
        if ok and batch is not None:
            self.desk.load_batches(select_id=batch.id)
            self.tabs.setCurrentWidget(self.desk)
            self.desk.scan_entry.setFocus()

    def _stock_changed(self, what: str) -> None:
        self.load_requests()
        self.changed.emit(what)

    # --- scans --------------------------------------------------------------------------------

    def handle_scan(self, code: str) -> None:
        scan = classify(code)
        if scan.kind == ScanKind.COMMAND and scan.value == Command.DONE:
            self.desk.complete()
            return
        self.tabs.setCurrentWidget(self.desk)
        self.desk.scan(code)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.tabs.currentWidget() is self.desk:
            self.desk.scan_entry.setFocus(Qt.FocusReason.OtherFocusReason)
