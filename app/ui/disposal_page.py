"""Disposal: batches of devices at the end of their life for a certified processor.

Left, the batches (open ones first) with "New batch…" for a manager, the closed batches that
still wait for the processor's own certificate, and the two reports (yearly WEEE report, waste
register) as XLSX or CSV. Right, the chosen batch: scan devices into it (only devices awaiting
disposal; a refusal says why), its devices with their WEEE category, weight and data status,
the weight check per WEEE category (device weights against the weight on the scale at pick-up),
what still stops the close, and the actions: close (four eyes: a second manager signs in),
print the EOL certificate, attach the processor's PDF. `handle_scan(code)` takes every scan.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..config import Settings
from ..db import Database
from ..i18n import _, n_
from ..models import DisposalStatus, User
from ..services import disposal, weee_reports
from ..services import disposal_views as views
from ..services.codes import ScanKind, classify
from ..services.permissions import allowed
from ..timefmt import format_local
from .disposal_dialogs import (
    CloseBatchDialog,
    ItemDialog,
    NewBatchDialog,
    PeriodDialog,
    WeighingDialog,
    weight_text,
)
from .disposal_models import BatchesModel, ItemsModel, RowsModel, WaitingModel, WeightsModel
from .feedback import ScanBar, ScanFeedback
from .page_frame import PageFrame
from .printing import LabelPrinter
from .service_call import ScanPageMixin
from .widgets import ErrorLabel, give_key, name_widget

log = logging.getLogger(__name__)
LIST_WIDTH = 330  # px: number, devices, status; the batch itself gets the rest
_STYLE = """
QLabel#batchTitle { font-size: 14pt; font-weight: 600; color: #1b1f23; }
QLabel#batchParties, QLabel#sectionLabel { color: #57606a; }
QLabel#closeProblems { color: #9a6700; }
"""


def _table(model: RowsModel, name: str, accessible: str) -> QTableView:
    view = QTableView()
    name_widget(view, name, accessible)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab goes on to the buttons; the arrows move in the table
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.horizontalHeader().setHighlightSections(False)
    return view


def _button(text: str, name: str, slot) -> QPushButton:
    button = QPushButton(text)
    name_widget(button, name, text)
    button.clicked.connect(slot)
    return button


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionLabel")
    return label


class DisposalPage(ScanPageMixin, QWidget):
    """Page key "disposal"."""

    def __init__(self, database: Database, user: User, settings: Settings | None = None,
                 printer: LabelPrinter | None = None) -> None:
        super().__init__()
        self.database, self.user = database, user
        self.settings = settings or Settings.load()
        self.printer = printer or LabelPrinter.for_desk(self.settings)
        self.batch_id: int | None = None
        self.summary: views.BatchSummary | None = None
        self.dialog = None
        self.setStyleSheet(_STYLE)
        self.feedback = ScanFeedback(self, muted=bool(self.settings.extra.get("sound_muted")))
        self.scan_bar = ScanBar(self.feedback)

        # --- left: batches, waiting for the processor's certificate, reports ------------------
        self.batches_model, self.waiting_model = BatchesModel(self), WaitingModel(self)
        self.batches_view = _table(self.batches_model, "batchList", _("Disposal batches"))
        self.batches_view.selectionModel().currentRowChanged.connect(self._batch_chosen)
        self.waiting_view = _table(self.waiting_model, "waitingList",
                                   _("Waiting for the processor's certificate"))
        self.waiting_view.selectionModel().currentRowChanged.connect(self._waiting_chosen)
        for view in (self.batches_view, self.waiting_view):
            header = view.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
        self.new_button = _button(_("New batch…"), "newBatchButton", self.new_batch)
        self.new_button.setVisible(allowed(user, "disposal.open"))
        self.processors_button = _button(_("Processors…"), "processorsButton", self.edit_processors)
        self.processors_button.setVisible(allowed(user, "party.manage"))
        self.awaiting_label = QLabel()
        self.awaiting_label.setObjectName("awaitingCount")
        self.awaiting_label.setWordWrap(True)
        self.weee_button = _button(_("WEEE report…"), "weeeReportButton", self.ask_weee_report)
        self.register_button = _button(_("Waste register…"), "wasteRegisterButton",
                                       self.ask_waste_register)
        for b in (self.weee_button, self.register_button):
            b.setVisible(allowed(user, "report.weee"))

        left = QVBoxLayout()
        left.setSpacing(8)
        top = QHBoxLayout()
        top.addWidget(_section(_("Batches")), 1)
        top.addWidget(self.processors_button)
        top.addWidget(self.new_button)
        left.addLayout(top)
        left.addWidget(self.batches_view, 3)
        left.addWidget(self.awaiting_label)
        left.addWidget(_section(_("Waiting for the processor's certificate")))
        left.addWidget(self.waiting_view, 2)
        left_panel = QWidget()
        left_panel.setLayout(left)
        left_panel.setFixedWidth(LIST_WIDTH)

        # --- right: the chosen batch ---------------------------------------------------------
        self.title = QLabel()
        self.title.setObjectName("batchTitle")
        self.parties = QLabel()
        self.parties.setObjectName("batchParties")
        self.parties.setWordWrap(True)
        self.items_model, self.weights_model = ItemsModel(self), WeightsModel(self)
        self.items_view = _table(self.items_model, "batchItems", _("Devices in the batch"))
        header = self.items_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.items_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.items_view.doubleClicked.connect(lambda _i: self.change_item())
        self.weights_view = _table(self.weights_model, "weightCheck", _("Weight check"))
        header = self.weights_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.weights_view.setFixedHeight(128)
        self.weights_view.doubleClicked.connect(lambda _i: self.record_weight())
        self.change_button = _button(_("Category or weight…"), "changeItemButton",
                                     self.change_item)
        self.remove_button = _button(_("Take out"), "removeItemButton", self.remove_item)
        self.weigh_button = _button(_("Weighed at pick-up…"), "recordWeightButton",
                                    self.record_weight)
        self.problems = ErrorLabel("closeProblems")
        self.problems.setProperty("role", "")
        self.close_button = _button(_("Close (pick-up)…"), "closeBatchButton", self.close_batch)
        self.print_button = _button(_("Print EOL certificate"), "printCertificateButton",
                                    self.print_certificate)
        self.attach_button = _button(_("Processor's PDF…"), "attachButton", self.ask_attach)
        self.close_button.setVisible(allowed(user, "disposal.close"))
        self.attach_button.setVisible(allowed(user, "disposal.attach"))
        # The keys of the other desks: F8 takes out the selected (last scanned) device, F6 the scale,
        # F9 closes, F4 prints.
        give_key(self.remove_button, _("Take out"), "F8")
        give_key(self.weigh_button, _("Weighed at pick-up…"), "F6")
        give_key(self.close_button, _("Close (pick-up)…"), "F9")
        give_key(self.print_button, _("Print EOL certificate"), "F4")

        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(self.title)
        right.addWidget(self.parties)
        right.addWidget(self.items_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.change_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.weigh_button)
        right.addLayout(row)
        right.addWidget(_section(_("Weight check per WEEE category")))
        right.addWidget(self.weights_view)
        right.addWidget(self.problems)

        self.frame = PageFrame(self, _("Disposal"), scan_bar=self.scan_bar,
                               tools=[self.weee_button, self.register_button])
        body = QHBoxLayout()
        body.setSpacing(20)
        body.addWidget(left_panel)
        body.addLayout(right, 1)
        self.frame.add(body, 1)
        self.frame.actions.add(self.close_button)
        self.frame.actions.add(self.print_button, self.attach_button, right=True)
        self.refresh()

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        ok, lists = self._call(lambda s: (views.batch_summaries(s), views.waiting_summaries(s),
                                          disposal.awaiting_disposal_count(s)))
        if not ok:
            return
        summaries, waiting, awaiting = lists
        self.batches_model.set_rows(summaries)
        self.waiting_model.set_rows(waiting)
        self.awaiting_label.setText(n_(awaiting, "{n} device awaits disposal and is in no batch yet.",
                                       "{n} devices await disposal and are in no batch yet."))
        if self.batch_id is None and summaries and summaries[0].status == DisposalStatus.OPEN:
            self.batch_id = summaries[0].id
        self._select_in_list()
        self._show_batch()

    def _select_in_list(self) -> None:
        for i, b in enumerate(self.batches_model.rows):
            if b.id == self.batch_id:
                self.batches_view.selectRow(i)
                return

    def _batch_chosen(self, current: QModelIndex, _previous=None) -> None:
        if current.isValid():
            chosen = self.batches_model.rows[current.row()].id
            if chosen != self.batch_id:
                self.batch_id = chosen
                self._show_batch()

    def _waiting_chosen(self, current: QModelIndex, _previous=None) -> None:
        if current.isValid():
            self.batch_id = self.waiting_model.rows[current.row()].id
            self._select_in_list()
            self._show_batch()

    def _show_batch(self) -> None:
        if self.batch_id is None:
            self.summary = None
            self.title.setText(_("No batch chosen"))
            self.parties.setText(_("Open a new batch for a certified processor, or choose one on "
                                   "the left."))
            self.items_model.set_rows([])
            self.weights_model.set_rows([])
            self.problems.clear_message()
            self._enable()
            return
        ok, detail = self._call(lambda s: views.batch_detail(s, self.batch_id))
        if not ok:
            return
        self.summary, items, weights, problems = detail
        b = self.summary
        self.title.setText(_("Batch {number} · {devices} · {kg} kg", number=b.number,
                             devices=n_(b.devices, "{n} device", "{n} devices"),
                             kg=weight_text(b.kg)))
        parts = [_("Processor: {name}", name=b.processor),
                 _("Carrier: {name}", name=b.carrier or "—"), _("Treatment: {code}", code=b.treatment)]
        if b.status == DisposalStatus.CLOSED:
            parts.append(_("picked up {date}, EOL certificate {number}",
                           date=format_local(b.closed_at), number=b.certificate))
            parts.append(_("processor's certificate: {name}", name=b.processor_certificate)
                         if b.processor_certificate else _("processor's certificate not received yet"))
        self.parties.setText(" · ".join(parts))
        self.items_model.set_rows(items)
        self.weights_model.set_rows(weights)
        if problems:
            self.problems.show_message("\n".join(f"• {p}" for p in problems))
        elif b.status == DisposalStatus.OPEN:
            self.problems.show_message(_("Ready to close: everything is weighed and every data-bearing "
                                         "device has a wipe or destruction record."))
        else:
            self.problems.clear_message()
        self._enable(problems)

    def _enable(self, problems: list[str] | None = None) -> None:
        b = self.summary
        is_open = b is not None and b.status == DisposalStatus.OPEN
        for button in (self.change_button, self.remove_button, self.weigh_button):
            button.setEnabled(is_open)
        self.close_button.setEnabled(is_open and not problems)
        self.print_button.setEnabled(b is not None and b.certificate is not None)
        self.attach_button.setEnabled(b is not None and b.status == DisposalStatus.CLOSED
                                      and b.processor_certificate is None)

    def selected_item(self) -> views.ItemRow | None:
        index = self.items_view.currentIndex()
        return self.items_model.rows[index.row()] if index.isValid() else None

    # --- scanning -----------------------------------------------------------------------------

    def handle_scan(self, code: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self._bad(_("Finish the dialog on screen first."), code=code)
            return
        scan = classify(code)
        if scan.kind == ScanKind.COMMAND:
            self._bad(_("This page takes device labels; commands are not used here."), code=code)
            return
        if self.summary is None or self.summary.status != DisposalStatus.OPEN:
            self._bad(_("Choose an open batch (or open a new one) before scanning devices."), code=code)
            return
        ok, item = self._call(lambda s: _added(disposal.add_device(s, self.user, self.batch_id, code)),
                              code=code)
        if not ok:
            return
        tag, weee_category, kg = item
        self._good(tag, _("added: WEEE category {category}, {kg} kg.", category=weee_category,
                          kg=weight_text(kg)))
        self.refresh()
        self.items_view.selectRow(self.items_model.rowCount() - 1)

    # --- actions ------------------------------------------------------------------------------

    def new_batch(self) -> None:
        self.dialog = NewBatchDialog(self.database.session, self.user, self)
        self.dialog.accepted.connect(lambda: self._opened(self.dialog.batch_id))
        self.dialog.open()

    def _opened(self, batch_id: int | None) -> None:
        self.batch_id = batch_id
        self.refresh()
        if self.summary:
            self._good(self.summary.number, _("Batch {number} is open: scan the devices.",
                                              number=self.summary.number))

    def edit_processors(self) -> None:
        from .disposal_processors import ProcessorsDialog

        self.dialog = ProcessorsDialog(self.database.session, self.user, self)
        self.dialog.finished.connect(lambda _result: self.refresh())
        self.dialog.open()

    def change_item(self) -> None:
        row = self.selected_item()
        if row is None or not self.change_button.isEnabled():
            return
        self.dialog = ItemDialog(self.database.session, self.user, row, self)
        self.dialog.accepted.connect(self.refresh)
        self.dialog.open()

    def remove_item(self) -> None:
        row = self.selected_item()
        if row is None:
            return
        ok, _none = self._call(lambda s: disposal.remove_device(s, self.user, self.batch_id,
                                                                row.asset_id), code=row.tag)
        if ok:
            self._good(row.tag, _("{tag} was taken out of the batch; it still awaits disposal.",
                                  tag=row.tag))
            self.refresh()

    def record_weight(self) -> None:
        if not self.weigh_button.isEnabled():
            return
        index = self.weights_view.currentIndex()
        rows = self.weights_model.rows
        # The chosen line, else the first one still to weigh, else (weighing again) the first one:
        # never the dialog's first category, which this batch may not even hold.
        category = (rows[index.row()].weee_category if index.isValid() else
                    next((w.weee_category for w in rows if w.weighed_kg is None),
                         rows[0].weee_category if rows else None))
        self.dialog = WeighingDialog(self.database.session, self.user, self.batch_id, category, self)
        self.dialog.accepted.connect(self.refresh)
        self.dialog.open()

    def close_batch(self) -> None:
        b = self.summary
        if b is None or not self.close_button.isEnabled():
            return
        summary = _("{number}: {devices}, {kg} kg, to {processor}.", number=b.number,
                    devices=n_(b.devices, "{n} device", "{n} devices"), kg=weight_text(b.kg),
                    processor=b.processor)
        self.dialog = CloseBatchDialog(self.database.session, self.user, b.id, summary, self)
        self.dialog.accepted.connect(lambda: self._closed(self.dialog.certificate_number))
        self.dialog.open()

    def _closed(self, number: str | None) -> None:
        self.refresh()
        self._good(number or "", _("Batch closed: every device is disposed of and EOL certificate "
                                   "{number} was issued.", number=number))

    def print_certificate(self) -> None:
        ok, found = self._call(lambda s: views.certificate_pdf(s, self.batch_id))
        if not ok:
            return
        number, pdf = found
        try:
            self._good(number, self.printer.print_document(pdf, number))
        except Exception as err:  # a printer that fails says why; the certificate stays issued
            log.exception("printing the EOL certificate failed")
            self._bad(str(err), code=number)

    def ask_attach(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("The processor's certificate"), "",
                                                    _("PDF files (*.pdf)"))
        if path:
            self.attach_file(path)

    def attach_file(self, path: str | Path, reference: str | None = None) -> bool:
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            self._bad(_("The file cannot be read: {detail}", detail=err.strerror or str(err)))
            return False
        ok, _att = self._call(lambda s: disposal.attach_processor_certificate(
            s, self.user, self.batch_id, data, str(path), reference))
        if ok:
            self._good(Path(path).name, _("The processor's certificate was attached to {number}.",
                                          number=self.summary.number))
            self.refresh()
        return ok

    # --- reports ------------------------------------------------------------------------------

    def ask_weee_report(self) -> None:
        from ..services.processors import today

        year, ok = QInputDialog.getInt(self, _("WEEE report"), _("Year"), today().year - 1, 2000, 2100)
        if not ok:
            return
        path = self._save_path(_("WEEE report {year}", year=year).replace(" ", "-") + ".xlsx")
        if path:
            self.export_weee_report(year, path)

    def ask_waste_register(self) -> None:
        dialog = PeriodDialog(self)
        if dialog.exec() != PeriodDialog.DialogCode.Accepted:
            return
        first, last = dialog.period()
        path = self._save_path(f"{_('waste-register')}-{first}-{last}.xlsx")
        if path:
            self.export_waste_register(first, last, path)

    def _save_path(self, name: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the report"), str(Path.home() / name),
            _("Excel workbook (*.xlsx);;CSV, semicolons (*.csv)"))
        return path

    def export_weee_report(self, year: int, path: str | Path) -> bool:
        ok, report = self._call(lambda s: weee_reports.export_weee_report(s, self.user, year, path))
        if ok:
            t = report.total
            self._good(Path(path).name, _("WEEE report {year}: {items} items, {kg} kg, saved as {path}.",
                                          year=year, items=t.total_items, kg=weight_text(t.total_kg),
                                          path=str(path)))
        return ok

    def export_waste_register(self, first, last, path: str | Path) -> bool:
        ok, lines = self._call(lambda s: weee_reports.export_waste_register(s, self.user, first, last,
                                                                            path))
        if ok:
            self._good(Path(path).name, _("Waste register: {rows} lines saved as {path}.",
                                          rows=len(lines), path=str(path)))
        return ok


def _added(item) -> tuple[str, int, object]:
    """What the scan bar says about an added device, read before the session closes."""
    return item.asset.tag, item.weee_category, item.weight_kg

