"""The intake desk: open a lot, scan devices in, confirm, label, close with a receipt.

Everything works from the scanner and the Enter key. A scan is interpreted
by `services.intake`, which decides what it means for this lot; the page
only shows that and asks the service to act. Command barcodes (DONE, CANCEL,
PRINT AGAIN, NEXT LOT, UNDO LAST) do what the buttons do. Every scan gets
visible and audible feedback at once; a refusal says why and changes nothing.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..config import Settings
from ..db import Database
from ..i18n import _, n_, translate
from ..models import Asset, IntakeLot, User
from ..services import intake, organisation, parties
from ..services.codes import Command
from ..services.documents.intake_receipt import category_name
from ..services.errors import DomainError
from ..timefmt import format_local
from .device_form import DeviceFormWidget
from .feedback import ScanBar, ScanFeedback
from .lot_table import LotTableModel
from .page_frame import PageFrame
from .printing import LabelPrinter
from .service_call import ScanPageMixin
from .widgets import give_key, name_widget

log = logging.getLogger(__name__)


class IntakePage(ScanPageMixin, QWidget):
    """Page key "intake". `handle_scan(code)` is the entry point for every scan."""

    changed = Signal(str)  # entity type that changed ("asset", "lot"), for other pages

    def __init__(self, database: Database, user: User, settings: Settings | None = None,
                 printer: LabelPrinter | None = None) -> None:
        super().__init__()
        self.database = database
        self.user = user
        self.settings = settings or Settings.load()
        self.printer = printer or LabelPrinter.for_desk(self.settings)
        self.lot: IntakeLot | intake.OpenLot | None = None
        self.last_label_tag: str | None = None
        self.last_message = ""

        self.feedback = ScanFeedback(self, muted=bool(self.settings.extra.get("sound_muted")))
        self.scan_bar = ScanBar(self.feedback)

        # --- opening a lot -------------------------------------------------------------
        self.open_panel = QFrame()
        name_widget(self.open_panel, "openLotPanel", _("Open a lot"))
        self.open_panel.setMaximumWidth(760)
        self.origin = QComboBox()
        name_widget(self.origin, "originService", _("Origin service"))
        self.delivered_by = QLineEdit()
        name_widget(self.delivered_by, "deliveredBy", _("Delivered by"))
        self.delivered_by.setPlaceholderText(_("Name of the person who brings the devices"))
        self.lot_note = QLineEdit()
        name_widget(self.lot_note, "lotNote", _("Note"))
        self.open_button = QPushButton(_("Open lot (Enter)"))
        name_widget(self.open_button, "openLot", _("Open lot (Enter)"))
        form = QFormLayout(self.open_panel)
        form.addRow(QLabel(_("A service brings devices: open a lot for this delivery.")))
        form.addRow(_("Origin service"), self.origin)
        form.addRow(_("Delivered by"), self.delivered_by)
        form.addRow(_("Note"), self.lot_note)
        form.addRow(self.open_button)
        # A lot nobody closed (the desk was shut, another person signed in): resume it with F5.
        self.open_lots: list[intake.OpenLot] = []
        self.resume_label = QLabel()
        name_widget(self.resume_label, "openLotsNotice", _("Lots still open"))
        self.resume_label.setWordWrap(True)
        self.resume_button = self._key_button(_("Resume this lot"), "F5", "resumeLot")
        self.resume_button.clicked.connect(self.resume_lot)
        form.addRow(self.resume_label)
        form.addRow(self.resume_button)
        self.open_button.clicked.connect(self.open_lot)
        self.delivered_by.returnPressed.connect(self.open_lot)
        self.lot_note.returnPressed.connect(self.open_lot)

        # --- the open lot --------------------------------------------------------------
        self.lot_panel = QWidget()
        name_widget(self.lot_panel, "lotPanel", _("Open lot"))
        self.lot_title = QLabel()
        name_widget(self.lot_title, "lotTitle", _("Open lot"))
        self.lot_counts = QLabel()
        name_widget(self.lot_counts, "lotCounts", _("Devices in this lot"))
        self.scan_entry = QLineEdit()
        name_widget(self.scan_entry, "scanEntry", _("Scan or type a serial number or tag"))
        self.scan_entry.setPlaceholderText(_("Scan or type a serial number or tag, then Enter"))
        self.scan_entry.returnPressed.connect(self._typed_scan)
        self.device_form = DeviceFormWidget()
        self.device_form.hide()
        self.device_form.confirmed.connect(self.confirm_device)
        self.device_form.cancelled.connect(self.cancel_device)
        self.table_model = LotTableModel(self)
        self.table = QTableView()
        name_widget(self.table, "lotTable", _("Devices in this lot"))
        self.table.setModel(self.table_model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the lot's buttons
        # Every action of the open lot has a function key, shown on its button and in its tooltip
        # (F-keys: Ctrl+Z or Ctrl+P would be taken by the scan field itself). The buttons take
        # Tab but not a click's focus, so the scan field keeps Enter.
        self.buttons: dict[Command, QPushButton] = {}
        for command, text, key in ((Command.UNDO_LAST, _("Undo last"), "F8"),
                                   (Command.PRINT_AGAIN, _("Print label again"), "F4"),
                                   (Command.NEXT_LOT, _("Close lot and print receipt"), "F9")):
            button = self._key_button(text, key, f"command{command.value.title().replace('_', '')}")
            button.clicked.connect(lambda _checked=False, c=command: self.run_command(c))
            self.buttons[command] = button
        self.preview_button = self._key_button(_("Labels of this lot…"), "F6", "previewLotLabels")
        self.preview_button.clicked.connect(self.preview_lot_labels)
        self.sheet_button = self._key_button(_("Command sheet"), "F7", "printCommandSheet")
        self.sheet_button.clicked.connect(self.print_command_sheet)
        returns_text = _("Returned devices: another check, not disposal")
        self.returns_for_checks = QCheckBox()
        name_widget(self.returns_for_checks, "returnsForChecks", returns_text)
        give_key(self.returns_for_checks, returns_text, "F2")
        lot_layout = QVBoxLayout(self.lot_panel)
        lot_layout.setContentsMargins(0, 0, 0, 0)
        lot_layout.addWidget(self.lot_title)
        counts_row = QHBoxLayout()
        counts_row.addWidget(self.lot_counts, 1)
        counts_row.addWidget(self.returns_for_checks)
        lot_layout.addLayout(counts_row)
        lot_layout.addWidget(self.scan_entry)
        lot_layout.addWidget(self.device_form)
        lot_layout.addWidget(self.table, 1)

        # The lot's printouts by the title, its actions in one line at the bottom
        self.frame = PageFrame(self, _("Intake"), scan_bar=self.scan_bar,
                               tools=[self.preview_button, self.sheet_button])
        self.frame.add(self.open_panel)
        self.frame.add(self.lot_panel, 1)
        self.filler = QWidget()  # keeps the open-lot form at the top while no lot is open
        self.frame.add(self.filler, 1)
        self.frame.actions.add(*self.buttons.values())
        self._load_services()
        self._show_lot(None)
        mine = [lot for lot in self.open_lots if lot.received_by_id == self.user.id]
        if mine:  # the desk was closed with this person's lot open: carry on with it
            self.resume_lot(mine[0])

    # --- plumbing ----------------------------------------------------------------------

    @staticmethod
    def _key_button(text: str, key: str, object_name: str) -> QPushButton:
        button = QPushButton()
        name_widget(button, object_name, text)
        return give_key(button, text, key)

    def initial_focus(self) -> QWidget:
        """Where the keyboard belongs when the page is shown (the main window asks)."""
        if self.lot is None:
            return self.delivered_by
        return self.device_form.manufacturer if not self.device_form.isHidden() else self.scan_entry

    def _load_services(self) -> None:
        ok, services = self._call(lambda s: [(p.id, p.name) for p in parties.services(s)])
        self.origin.clear()
        for pid, name in services or []:
            self.origin.addItem(name, pid)
        last = self.settings.extra.get("intake", {}).get("last_origin")
        if last is not None and self.origin.findData(last) >= 0:
            self.origin.setCurrentIndex(self.origin.findData(last))

    def _show_lot(self, lot: IntakeLot | intake.OpenLot | None) -> None:
        self.lot = lot
        self.open_panel.setVisible(lot is None)
        self.filler.setVisible(lot is None)
        self.lot_panel.setVisible(lot is not None)
        for bar in (self.frame.actions, self.preview_button, self.sheet_button):
            bar.setVisible(lot is not None)
        self.device_form.hide()
        if lot is None:
            self.table_model.set_assets([])
            # The next delivery is someone else's: one Enter must not open it under this name.
            self.delivered_by.clear()
            self.lot_note.clear()
            self._offer_open_lots()
            self.delivered_by.setFocus()
            return
        origin = self.origin.itemText(self.origin.findData(lot.origin_service_id))
        # The open lot must be unmistakable: its number, the service and who brought it.
        self.lot_title.setText(
            _("Lot {number} · {origin} · delivered by {person}", number=lot.number, origin=origin,
              person=lot.delivered_by) if lot.delivered_by
            else _("Lot {number} · {origin}", number=lot.number, origin=origin))
        self._refresh_lot()
        self.scan_entry.setFocus()

    def _refresh_lot(self) -> None:
        ok, result = self._call(lambda s: (intake.lot_assets(s, self.lot.id),
                                           intake.lot_counts(s, self.lot.id)))
        if not ok:
            return
        devices, counts = result
        self.table_model.set_assets(devices)
        parts = [f"{n} × {category_name(c)}" for c, n in sorted(counts.items())]
        self.lot_counts.setText(n_(sum(counts.values()), "{n} device", "{n} devices")
                                + (": " + ", ".join(parts) if parts else ""))

    # --- actions -----------------------------------------------------------------------

    def open_lot(self) -> None:
        if self.lot is not None:
            return
        origin_id = self.origin.currentData()
        if origin_id is None:
            self._bad(_("No provincial service is registered yet: add the services first."))
            return
        ok, lot = self._call(lambda s: intake.open_lot(s, self.user, origin_id,
                                                       self.delivered_by.text(), self.lot_note.text()))
        if ok:
            self.settings.extra.setdefault("intake", {})["last_origin"] = origin_id
            self._good(lot.number, _("Lot {number} is open: scan the devices.", number=lot.number))
            self._show_lot(lot)
            self.changed.emit("lot")

    def _offer_open_lots(self) -> None:
        ok, lots = self._call(intake.open_lots)
        self.open_lots = lots if ok else []
        if self.open_lots:
            lot = self.open_lots[0]
            text = _("Lot {number} ({origin}, {devices}) is still open, opened by {person} on "
                     "{when}.", number=lot.number, origin=lot.origin, person=lot.received_by,
                     devices=n_(lot.devices, "{n} device", "{n} devices"),
                     when=format_local(lot.received_at))
            if len(self.open_lots) > 1:
                text += " " + n_(len(self.open_lots) - 1, "{n} more lot is open too.",
                                 "{n} more lots are open too.")
            self.resume_label.setText(text)
        self.resume_label.setVisible(bool(self.open_lots))
        self.resume_button.setVisible(bool(self.open_lots))

    def resume_lot(self, lot: intake.OpenLot | None = None) -> None:
        if self.lot is not None or not (lot or self.open_lots):
            return
        lot = lot or self.open_lots[0]
        self._good(lot.number, _("Lot {number} is open again: scan the devices.", number=lot.number))
        self._show_lot(lot)

    def _typed_scan(self) -> None:
        text = self.scan_entry.text()
        self.scan_entry.clear()
        if text.strip():
            self.handle_scan(text)

    def handle_scan(self, code: str) -> None:
        """A scan from the scanner (anywhere in the window) or typed in the scan field."""
        if self.lot is None:
            from ..services.codes import ScanKind, classify

            scan = classify(code)
            if scan.kind == ScanKind.COMMAND and scan.value == Command.DONE:
                self.open_lot()
            else:
                self._bad(_("Open a lot first: choose the service and press Enter."), code=code)
            return
        ok, result = self._call(lambda s: intake.interpret_scan(s, self.lot.id, code))
        if not ok:
            return
        message = translate(result.message, None, **result.params)
        if result.outcome == intake.Outcome.COMMAND:
            self.run_command(result.command)
        elif not self.device_form.isHidden():
            # A second device scanned before the first was confirmed: never merge the two.
            self._bad(_("First receive the device on screen (Enter, or scan DONE) or cancel it (Esc, or scan CANCEL)."), code=code)
        elif result.outcome == intake.Outcome.NEW_DEVICE:
            self.device_form.load(result.form)
            self.device_form.show()
            # Selected, so typing another make replaces the pre-filled one.
            self.device_form.manufacturer.setFocus(Qt.FocusReason.TabFocusReason)
            self.device_form.manufacturer.selectAll()
            self.scan_bar.show_good(result.code, message)
        elif result.outcome == intake.Outcome.RETURNED_DEVICE:
            self._take_back(result.asset, message)
        elif result.outcome == intake.Outcome.KNOWN_DEVICE:
            self._good(result.code, message)
        else:  # refused, duplicate in this lot, a location at the intake desk
            self._bad(message, code=result.code)

    def confirm_device(self) -> None:
        if self.lot is None or not not self.device_form.isHidden():
            self._bad(_("There is no device to confirm."))
            return
        form = self.device_form.value()
        ok, asset = self._call(lambda s: intake.receive(s, self.user, self.lot.id, form))
        if not ok:
            return
        self.device_form.hide()
        self.table_model.add_asset(asset)
        self._refresh_lot()
        self.changed.emit("asset")
        text = _("{tag} received: {model}", tag=asset.tag, model=f"{asset.manufacturer} {asset.model}")
        if self.printer.settings.auto_print_labels:
            text += " — " + self._print_label(asset)
        self._good(asset.tag, text)
        self.scan_entry.setFocus()

    def cancel_device(self) -> None:
        if not self.device_form.isHidden():
            self.device_form.hide()
            self._good("", _("Cancelled: nothing was added."))
        self.scan_entry.setFocus()

    def _take_back(self, asset: Asset, message: str) -> None:
        # A scan at scanner speed must not wait for a question: the desk says beforehand where
        # returned devices go (the tick box), and the message says where this one went.
        for_checks = self.returns_for_checks.isChecked()
        ok, back = self._call(lambda s: intake.take_back(s, self.user, self.lot.id, asset.id,
                                                         for_checks=for_checks))
        if ok:
            self._refresh_lot()
            self.changed.emit("asset")
            self._good(back.tag, _("{tag} taken back for another check: received.", tag=back.tag)
                       if for_checks else
                       _("{tag} taken back after its second life: awaiting disposal.", tag=back.tag))

    def _print_label(self, asset: Asset) -> str:
        from ..services.documents.labels import LabelData

        self.last_label_tag = asset.tag
        ok, org = self._call(organisation.label_name)
        if not ok:
            return self.last_message
        try:
            return self.printer.print_labels([LabelData.from_asset(asset, org)])
        except DomainError as err:
            self._bad(str(err))
            return str(err)

    def run_command(self, command: Command) -> None:
        if command == Command.DONE:
            if not self.device_form.isHidden():
                self.device_form.submit()
            else:
                self._bad(_("There is no device to confirm."))
        elif command == Command.CANCEL:
            self.cancel_device()
        elif command == Command.UNDO_LAST:
            ok, tag = self._call(lambda s: intake.undo_last(s, self.user, self.lot.id))
            if ok:
                self.table_model.remove_tag(tag)
                self._refresh_lot()
                self.changed.emit("asset")
                self._good(tag, _("{tag} was removed from the lot. Remove its label too.", tag=tag))
        elif command == Command.PRINT_AGAIN:
            self.print_again()
        elif command == Command.NEXT_LOT:
            self.close_lot()
        else:  # a bench command (grade, pass, fail) scanned at the intake desk
            self._bad(_("This command is for the refurbishment bench, not for intake."),
                      code=command.value)

    def print_again(self) -> None:
        if not self.last_label_tag:
            self._bad(_("No label was printed yet at this desk."))
            return
        from ..services import assets as asset_service

        ok, asset = self._call(lambda s: asset_service.get_by_tag(s, self.last_label_tag))
        if ok:
            self._good(asset.tag, self._print_label(asset))

    def lot_labels_pdf(self) -> bytes | None:
        from ..services.documents.labels import LabelData

        if self.lot is None:
            return None
        lot_id = self.lot.id
        ok, found = self._call(lambda s: (organisation.label_name(s), intake.lot_assets(s, lot_id)))
        if not ok or not found[1]:
            return None
        org, devices = found
        return self.printer.labels_pdf([LabelData.from_asset(a, org) for a in devices])

    def preview_lot_labels(self) -> None:
        """Qt's print preview of every label of the lot, for a reprint on a PDF printer."""
        from .printing import preview_pdf

        pdf = self.lot_labels_pdf()
        if pdf is None:
            self._bad(_("This lot has no devices yet."))
            return
        preview_pdf(self, pdf, _("Labels of lot {number}", number=self.lot.number))

    def print_command_sheet(self) -> None:
        import io

        from ..services.documents.command_sheet import render_command_sheet

        buf = io.BytesIO()
        render_command_sheet(buf)
        try:
            self._good("", self.printer.print_document(buf.getvalue(), "scanner-commands"))
        except DomainError as err:
            self._bad(str(err))

    def close_lot(self) -> None:
        if self.lot is None:
            return
        if not self.device_form.isHidden():
            self._bad(_("First receive the device on screen (Enter, or scan DONE) or cancel it (Esc, or scan CANCEL)."))
            return
        lot = self.lot
        ok, document = self._call(lambda s: intake.close_lot(s, self.user, lot.id))
        if not ok:
            return
        try:
            where = self.printer.print_document(document.pdf, document.number, "receipts")
        except DomainError as err:
            where = str(err)
        self.changed.emit("lot")
        self._show_lot(None)
        self._good(document.number, _("Lot {lot} closed; receipt {number}: {where}",
                                      lot=lot.number, number=document.number, where=where))
