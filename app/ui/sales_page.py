"""The Sales page: staff sale rounds from opening to handover.

At the top the round (a list, newest first) and what the manager does with it:
a new round, the catalogue (PDF or XLSX) and the allocation report. Below, the
round's devices with their price and the rule (and its inputs) beside it, the
number of interested staff members, the status, the buyer and the structured
communication. The buttons under the table act on the selected device:
register interest, override the price (a second manager signs in for it),
close and draw, register a payment, hand over. Scanning a device's tag selects
it; scanning a paid device asks whether the labels are off and hands it over,
printing the sales receipt. Unpaid sales past their deadline are offered for
expiry when the round is shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from .. import clock
from ..config import Settings
from ..db import Database
from ..formats import money as euros
from ..i18n import N_, _
from ..models import ItemStatus, RoundStatus, User
from ..services import organisation, sales, staff
from ..services.codes import ScanKind, classify
from ..services.documents.intake_receipt import category_name
from ..services.documents.sale_catalogue import catalogue_xlsx, render_catalogue_pdf
from ..services.errors import DomainError
from ..services.permissions import allowed, refusal
from .feedback import ScanBar, ScanFeedback
from .page_frame import PageFrame
from .printing import LabelPrinter, save_pdf
from .sales_dialogs import InterestDialog, NewRoundDialog, OverrideDialog, PaymentDialog
from .service_call import ScanPageMixin
from .table_model import RowsTableModel
from .widgets import enable_for_role, fit_columns, name_widget

log = logging.getLogger(__name__)
STATUS_COLOURS = {ItemStatus.ALLOCATED: "#9a6700", ItemStatus.PAID: "#1f5f8b",
                  ItemStatus.SOLD: "#1b5e20", ItemStatus.EXPIRED: "#b71c1c",
                  ItemStatus.UNSOLD: "#57606a"}


class ItemsModel(RowsTableModel):
    columns = (N_("Tag"), N_("Device"), N_("Grade"), N_("Price"), N_("Price rule"),
               N_("Interest"), N_("Status"), N_("Buyer"), N_("Communication"))

    def text(self, r: sales.ItemRow, column: int) -> str:
        rule = (_("set by the manager: {reason}", reason=r.override_reason)
                if r.override_reason else r.rule)
        status = sales.item_status_label(r.status)
        if r.status == ItemStatus.ALLOCATED and r.due_on:
            status = _("{status}, pay by {date}", status=status, date=f"{r.due_on:%d/%m/%Y}")
        return (r.tag, r.model, r.grade or "—", euros(r.price), rule, str(r.candidates), status,
                r.buyer or "", r.ogm)[column]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(r, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 1:
                return f"{category_name(r.category)} · {r.model} · {r.specs}"
            if index.column() == 4:
                return _("Proposed by the rule: {price} — {rule}", price=euros(r.proposed), rule=r.rule)
            return self.text(r, index.column()) or None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 6 and r.status in STATUS_COLOURS:
            return QBrush(QColor(STATUS_COLOURS[r.status]))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (3, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SalesPage(QWidget, ScanPageMixin):
    def __init__(self, database: Database, user: User, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database, self.user, self.settings = database, user, settings
        self.printer = LabelPrinter.for_desk(settings)
        self.feedback = ScanFeedback(self, muted=bool(settings.extra.get("sound_muted")))
        self.scan_bar = ScanBar(self.feedback)
        # Asked before a handover; tests replace it (a real desk gets the question box).
        self.confirm = self._ask

        self.rounds = QComboBox()
        name_widget(self.rounds, "salesRounds", _("Sale round"))
        self.rounds.setMinimumWidth(340)
        self.rounds.currentIndexChanged.connect(self.show_round)
        self.new_button = self._button("salesNewRound", _("New round…"), self.new_round)
        self.catalogue_pdf = self._button("salesCataloguePdf", _("Catalogue PDF…"),
                                          lambda: self.save_catalogue("pdf"))
        self.catalogue_xlsx = self._button("salesCatalogueXlsx", _("Catalogue XLSX…"),
                                           lambda: self.save_catalogue("xlsx"))
        self.report_button = self._button("salesReport", _("Allocation report…"), self.save_report)
        # Title and the round's documents on top; which round, and a new one, below: one row of
        # both would not fit the 1280-pixel window in Dutch.
        round_row = QHBoxLayout()
        round_row.addWidget(self.rounds, 3)
        round_row.addWidget(self.new_button)

        self.info = QLabel()
        name_widget(self.info, "salesRoundInfo", _("Round"))
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.model = ItemsModel(self)
        self.table = QTableView()
        name_widget(self.table, "salesItems", _("Devices in the round"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Three lines a row: the rule in words, with its inputs, beside the price.
        self.table.setWordWrap(True)
        self.table.verticalHeader().setDefaultSectionSize(3 * self.table.fontMetrics().lineSpacing() + 8)
        # Tag, grade, price, interest, status and communication in full; device and buyer at a
        # fixed width (elided, whole in the tooltip); the rule takes the rest.
        fit_columns(self.table, stretch=4, widths={1: 170, 7: 130})
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.interest_button = self._button("salesInterest", _("Register interest…"), self.add_interest)
        self.override_button = self._button("salesOverride", _("Override price…"), self.override)
        self.close_button = self._button("salesClose", _("Close and draw"), self.close_round)
        self.payment_button = self._button("salesPayment", _("Register payment…"), self.payment)
        self.handover_button = self._button("salesHandOver", _("Hand over"), self.hand_over_selected)
        self.expire_button = self._button("salesExpire", _("Expire unpaid"), self.expire)
        round_row.addStretch(1)
        round_row.addWidget(self.expire_button)

        self.frame = PageFrame(self, _("Sales"), scan_bar=self.scan_bar, tools=[
            self.catalogue_pdf, self.catalogue_xlsx, self.report_button])
        self.frame.add(round_row)
        self.frame.add(self.info)
        self.frame.add(self.table, 1)
        self.frame.actions.add(self.interest_button, self.override_button, self.close_button,
                               self.payment_button, self.handover_button)
        self.new_button.setVisible(allowed(user, "sales.manage"))
        self.reload()

    # -- plumbing ------------------------------------------------------------------------------

    def _button(self, name: str, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        name_widget(button, name, text)
        button.clicked.connect(slot)
        return button

    def _ask(self, text: str) -> bool:
        answer = QMessageBox.question(self, _("Hand over"), text)
        return answer == QMessageBox.StandardButton.Yes

    def _today(self) -> dt.date:
        return clock.today()

    def round_id(self) -> int | None:
        return self.rounds.currentData()

    def selected(self) -> sales.ItemRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    # -- showing -------------------------------------------------------------------------------

    def reload(self, keep: int | None = None) -> None:
        _ok, found = self._call(lambda s: [(r.id, r.title, r.status) for r in sales.rounds(s)])
        self.rounds.blockSignals(True)
        self.rounds.clear()
        for rid, title, status in found or []:
            mark = _("open") if status == RoundStatus.OPEN else _("closed")
            self.rounds.addItem(f"R{rid} · {title} ({mark})", rid)
        if keep is not None and self.rounds.findData(keep) >= 0:
            self.rounds.setCurrentIndex(self.rounds.findData(keep))
        self.rounds.blockSignals(False)
        self.show_round()

    def show_round(self, *_args) -> None:
        rid = self.round_id()
        if not allowed(self.user, "sales.read"):  # say who may, instead of a bare refusal
            self.model.set_rows([])
            self.info.setText(str(refusal(self.user, "sales.read")))
            self._update_buttons()
            return
        if rid is None:
            self.model.set_rows([])
            self.info.setText(_("No sale round yet. A manager opens one with “New round…”."))
            self._update_buttons()
            return

        def load(s):
            r = sales.get_round(s, rid)
            return (r.title, r.status, r.opens_on, r.closes_on, sales.describe_limits(sales.limits_of(r)),
                    r.seed, r.payment_days, sales.item_rows(s, self.user, rid),
                    sales.expired_count(s, self._today()))

        ok, data = self._call(load)
        if not ok:
            return
        _title, status, opens, closes, limits, seed, days, rows, overdue = data
        self.status = status
        self.model.set_rows(rows)
        # Buyer and communication are empty until the draw: while the round is open the price
        # rule gets their room
        for column in (7, 8):
            self.table.setColumnHidden(column, status == RoundStatus.OPEN)
        parts = [_("Open for interest {opens} – {closes}", opens=f"{opens:%d/%m/%Y}",
                   closes=f"{closes:%d/%m/%Y}"),
                 _("at most per person: {limits}", limits=limits),
                 _("payment within {days} days", days=days)]
        if seed:
            parts.append(_("lottery seed {seed}", seed=seed))
        self.info.setText(" · ".join(parts))
        self.overdue = overdue
        self.expire_button.setText(_("Expire unpaid ({count})", count=overdue))
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        row, rid = self.selected(), self.round_id()
        is_open = rid is not None and getattr(self, "status", None) == RoundStatus.OPEN
        enable_for_role(self.interest_button, self.user, "sales.interest", bool(row) and is_open)
        enable_for_role(self.override_button, self.user, "sales.price_override",
                        bool(row) and is_open)
        enable_for_role(self.close_button, self.user, "sales.manage", is_open)
        enable_for_role(self.payment_button, self.user, "sales.payment",
                        bool(row) and row.status == ItemStatus.ALLOCATED)
        enable_for_role(self.handover_button, self.user, "sales.hand_over",
                        bool(row) and row.status == ItemStatus.PAID)
        enable_for_role(self.expire_button, self.user, "sales.manage",
                        getattr(self, "overdue", 0) > 0)
        for b in (self.catalogue_pdf, self.catalogue_xlsx):
            b.setEnabled(rid is not None)
        self.report_button.setEnabled(rid is not None and not is_open)

    def select_tag(self, tag: str) -> sales.ItemRow | None:
        for n, r in enumerate(self.model.rows):
            if r.tag == tag:
                self.table.selectRow(n)
                return r
        return None

    # -- actions -------------------------------------------------------------------------------

    def new_round(self) -> None:
        ok, devices = self._call(lambda s: sales.ready_devices(s, self.user))
        if not ok:
            return
        dialog = NewRoundDialog(devices, self._today(), self)
        created = {}

        def submit(d):
            with self.database.session() as s:
                created["id"] = sales.open_round(s, self.user, **d.values(), today=self._today()).id

        dialog.on_accept = submit
        self.dialog = dialog
        if dialog.exec():
            self.reload(keep=created.get("id"))
            self._good("", _("Round opened: its devices are reserved for it."))

    def add_interest(self) -> None:
        row = self.selected()
        if row is None:
            return

        def search(text):
            with self.database.session() as s:
                if allowed(self.user, "staff.read"):
                    return staff.find_staff(s, self.user, text, limit=50)
                return staff.look_up(s, self.user, text)

        dialog = InterestDialog(row.tag, search, self)

        def submit(d):
            with self.database.session() as s:
                member_id = d.chosen_id()
                new = d.new_member()
                if new is not None:
                    member_id = staff.add_staff_member(s, self.user, **new).id
                if member_id is None:
                    raise DomainError(N_("Choose a staff member or fill in a new one."))
                sales.register_interest(s, self.user, row.id, member_id)

        dialog.on_accept = submit
        self.dialog = dialog
        if dialog.exec():
            self._after(row.tag, _("Interest registered for {tag}.", tag=row.tag))

    def override(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = OverrideDialog(row.tag, row.price, row.rule, self)

        def submit(d):
            with self.database.session() as s:
                sales.override_price(s, self.user, row.id, d.price.text(), d.reason.text(),
                                     d.verifier.text(), d.password.text())

        dialog.on_accept = submit
        self.dialog = dialog
        if dialog.exec():
            self._after(row.tag, _("Price of {tag} changed.", tag=row.tag))

    def close_round(self) -> None:
        rid = self.round_id()
        ok, round_ = self._call(lambda s: sales.close_round(s, self.user, rid, today=self._today()))
        if ok:
            self.reload(keep=rid)
            self._good("", _("Drawn with seed {seed}; the allocation report is stored.",
                             seed=round_.seed))

    def payment(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = PaymentDialog(row.ogm, self)

        def submit(d):
            with self.database.session() as s:
                item = sales.find_by_ogm(s, d.ogm.text())
                sales.register_payment(s, self.user, item.id, d.method.currentData())

        dialog.on_accept = submit
        self.dialog = dialog
        if dialog.exec():
            self._after(row.tag, _("Payment registered: {tag} can be collected.", tag=row.tag))

    def hand_over_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.hand_over(row)

    def hand_over(self, row: sales.ItemRow) -> None:
        if not self.confirm(_("Hand {tag} over to {buyer}? The province's labels and inventory "
                              "stickers must be removed.", tag=row.tag, buyer=row.buyer)):
            self._bad(_("{tag} was not handed over: it stays reserved for {buyer}.", tag=row.tag,
                        buyer=row.buyer), code=row.tag)
            return
        ok, pdf = self._call(lambda s: s.get(sales.Document, sales.hand_over(
            s, self.user, row.tag, labels_removed=True).receipt_document_id).pdf, code=row.tag)
        if ok:
            where = self.printer.print_document(pdf, f"sales-receipt-{row.tag}", "receipts")
            self._after(row.tag, _("{tag} sold; sales receipt: {where}", tag=row.tag, where=where))

    def expire(self) -> None:
        ok, items = self._call(lambda s: len(sales.expire_unpaid(s, self.user, self._today())))
        if ok:
            self.reload(keep=self.round_id())
            self._good("", _("{count} unpaid sales expired; their devices are ready again.",
                             count=items))

    def _after(self, tag: str, text: str) -> None:
        self.reload(keep=self.round_id())
        self.select_tag(tag)
        self._good(tag, text)

    # -- documents -----------------------------------------------------------------------------

    def save_catalogue(self, kind: str, path: str | None = None) -> Path | None:
        rid = self.round_id()
        if rid is None:
            return None

        def make(s):
            r = sales.get_round(s, rid)
            rows = sales.item_rows(s, self.user, rid)
            return r.title, (catalogue_xlsx(r, rows) if kind == "xlsx"
                             else render_catalogue_pdf(r, rows, organisation=organisation.get(s)))

        ok, made = self._call(make)
        if not ok:
            return None
        title, data = made
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Save the catalogue"), f"{_('Catalogue')} {title}.{kind}",
                "Excel (*.xlsx)" if kind == "xlsx" else "PDF (*.pdf)")
        if not path:
            return None
        Path(path).write_bytes(data)
        self._good("", _("Saved as {path}", path=path))
        return Path(path)

    def save_report(self) -> None:
        rid = self.round_id()
        ok, doc = self._call(lambda s: s.get(sales.Document,
                                             sales.get_round(s, rid).report_document_id))
        if ok and doc is not None:
            where = save_pdf(self.printer.settings.output_folder() / "documents", doc.number, doc.pdf)
            self._good("", _("Saved as {path}", path=str(where)))

    # -- scanning ------------------------------------------------------------------------------

    def handle_scan(self, code: str) -> None:
        scan = classify(code)
        if scan.kind != ScanKind.TAG:
            self._bad(_("Scan the tag of a device in this round."), code=code)
            return
        row = self.select_tag(scan.value)
        if row is None:  # rounds overlap: last round's buyers collect while the next one is shown
            _ok, other = self._call(lambda s: sales.round_waiting_for(s, scan.value))
            if other is not None:
                self.reload(keep=other)
                row = self.select_tag(scan.value)
        if row is None:
            self._bad(_("{tag} is not in this round.", tag=scan.value), code=scan.value)
        elif row.status == ItemStatus.PAID:
            self.hand_over(row)
        elif row.status == ItemStatus.ALLOCATED:
            self._bad(_("{tag} is not paid yet: register the payment (structured communication {ogm}) "
                        "before handing it over.", tag=row.tag, ogm=row.ogm), code=row.tag)
        elif row.status in (ItemStatus.UNSOLD, ItemStatus.EXPIRED):  # nobody is to collect it
            self._bad(_("{tag} cannot be handed over: it is “{status}” in this round.", tag=row.tag,
                        status=sales.item_status_label(row.status)), code=row.tag)
        else:
            self._good(row.tag, f"{row.tag}: {sales.item_status_label(row.status)}")
