"""The handover desk tab: scan the reserved devices of a batch, confirm the labels, hand over.

The technician chooses the batch (or it is chosen for them after a
reservation), scans each device — a device of the batch turns green, any other
is refused on the scan bar with the reason — and, when none is missing and the
province's labels are off, completes the handover: the certificate is issued
and printed in the same moment. Print preview, print again and save as PDF
work on the stored certificate, so every copy is the issued document.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..i18n import N_, _, current_language
from ..services import handover_requests, handovers
from ..services.documents.intake_receipt import category_name
from ..services.permissions import allowed
from .handover_table import GOOD, WARN, RowsModel, selected_row, table_view
from .widgets import give_key, name_widget

COLUMNS = (N_("Tag"), N_("Category"), N_("Manufacturer and model"), N_("Serial number"),
           N_("Grade"), N_("At the desk"))


class DeskTab(QWidget):
    """Needs the page for its service calls and scan bar (`page._call`, `_good`, `_bad`)."""

    changed = Signal(str)

    def __init__(self, page, parent=None) -> None:
        super().__init__(parent)
        self.page = page
        self.state: handovers.DeskState | None = None
        self.certificate: tuple[str, bytes] | None = None  # (number, pdf) of the last handover
        manager = allowed(page.user, "handover.cancel")

        self.batch = QComboBox()
        name_widget(self.batch, "deskBatch", _("Handover batch"))
        self.batch.currentIndexChanged.connect(lambda _i: self.show_batch())
        self.progress = QLabel()
        name_widget(self.progress, "deskProgress", _("Scanned at the desk"))
        self.scan_entry = QLineEdit()
        name_widget(self.scan_entry, "deskScanEntry", _("Scan or type a tag or serial number"))
        self.scan_entry.setPlaceholderText(_("Scan each device of the handover, or type its tag and "
                                             "press Enter"))
        self.scan_entry.returnPressed.connect(self._typed)
        self.model = RowsModel(COLUMNS)
        self.table = table_view(self.model, stretch=2)
        name_widget(self.table, "deskTable", _("Devices of the handover"))

        labels_text = _("The province's labels and inventory stickers are removed from every device")
        self.labels_removed = QCheckBox()
        name_widget(self.labels_removed, "labelsRemoved", labels_text)
        complete_text = _("Hand over and print the certificate")
        self.complete_button = QPushButton()
        name_widget(self.complete_button, "completeHandover", complete_text)
        self.complete_button.clicked.connect(self.complete)
        # The hands are on the scanner and the devices: the tick box and the handover have keys.
        give_key(self.labels_removed, labels_text, "F2")
        give_key(self.complete_button, complete_text, "F9")
        self.drop_button = QPushButton(_("Drop device"))
        name_widget(self.drop_button, "dropDevice", _("Drop device"))
        self.drop_button.clicked.connect(self.drop)
        self.cancel_button = QPushButton(_("Cancel handover"))
        name_widget(self.cancel_button, "cancelHandover", _("Cancel handover"))
        self.cancel_button.clicked.connect(self.cancel)
        for b in (self.drop_button, self.cancel_button):
            b.setVisible(manager)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.certificate_label = QLabel()
        self.certificate_label.setWordWrap(True)  # Dutch is longer: never widen the window
        name_widget(self.certificate_label, "certificateLabel", _("Certificate"))
        self.preview_button = QPushButton(_("Print preview…"))
        name_widget(self.preview_button, "previewCertificate", _("Print preview…"))
        self.preview_button.clicked.connect(self.preview)
        self.print_button = QPushButton()
        name_widget(self.print_button, "printCertificate", _("Print again"))
        self.print_button.clicked.connect(self.print_again)
        give_key(self.print_button, _("Print again"), "F4")
        self.save_button = QPushButton(_("Save as PDF…"))
        name_widget(self.save_button, "saveCertificate", _("Save as PDF…"))
        self.save_button.clicked.connect(self.save_pdf)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Handover")))
        top.addWidget(self.batch, 1)
        top.addWidget(self.progress)
        actions = QHBoxLayout()
        actions.addWidget(self.complete_button)
        actions.addStretch(1)
        actions.addWidget(self.drop_button)
        actions.addWidget(self.cancel_button)
        paper = QHBoxLayout()
        paper.addWidget(self.certificate_label, 1)
        for b in (self.preview_button, self.print_button, self.save_button):
            paper.addWidget(b)
        for b in (self.preview_button, self.save_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scan_entry)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.labels_removed)
        layout.addLayout(actions)
        layout.addLayout(paper)
        self._show_certificate()

    # --- loading ---------------------------------------------------------------------------

    def load_batches(self, select_id: int | None = None) -> None:
        _ok, batches = self.page._call(lambda s: [(b.id, b.number, b.recipient.name)
                                                 for b in handovers.open_batches(s)])
        keep = select_id if select_id is not None else self.batch.currentData()
        self.batch.blockSignals(True)
        self.batch.clear()
        for batch_id, number, recipient in batches or []:
            self.batch.addItem(f"{number} — {recipient}", batch_id)
        index = self.batch.findData(keep)
        self.batch.setCurrentIndex(max(index, 0))
        self.batch.blockSignals(False)
        self.show_batch()

    def show_batch(self) -> None:
        batch_id = self.batch.currentData()
        self.state = None
        if batch_id is not None:
            ok, state = self.page._call(lambda s: handovers.desk_state(s, batch_id))
            self.state = state if ok else None
        items = self.state.items if self.state else []
        self.model.set_rows(
            [(i.tag, category_name(i.category), f"{i.manufacturer} {i.model}", i.serial or "—",
              i.grade or "—", _("scanned") if i.scanned else _("missing")) for i in items],
            keys=[i.asset_id for i in items], colours=[GOOD if i.scanned else WARN for i in items])
        if self.state is None:
            self.progress.setText(_("No handover is waiting at the desk."))
        else:
            self.progress.setText(_("{scanned} of {total} scanned · {missing} missing",
                                    scanned=self.state.scanned, total=len(items),
                                    missing=len(self.state.missing)))
        for widget in (self.scan_entry, self.complete_button, self.labels_removed,
                       self.drop_button, self.cancel_button):
            widget.setEnabled(self.state is not None)

    # --- actions ---------------------------------------------------------------------------

    def _typed(self) -> None:
        text = self.scan_entry.text().strip()
        self.scan_entry.clear()
        if text:
            self.scan(text)

    def scan(self, code: str) -> None:
        if self.state is None:
            self.page._bad(_("Choose a handover at the desk first."), code=code)
            return
        batch_id = self.state.batch_id
        ok, result = self.page._call(lambda s: handovers.scan_at_desk(s, self.page.user, batch_id,
                                                                      code), code=code)
        if not ok:
            return
        self.show_batch()
        if result.already:
            self.page._good(result.tag, _("{tag} was already scanned ({scanned} of {total}).",
                                          tag=result.tag, scanned=result.scanned, total=result.total))
        else:
            self.page._good(result.tag, _("{tag} is part of this handover: {scanned} of {total} "
                                          "scanned.", tag=result.tag, scanned=result.scanned,
                                          total=result.total))
        row = self.model.keys.index(next(i.asset_id for i in self.state.items if i.tag == result.tag))
        self.table.selectRow(row)
        self.scan_entry.setFocus()

    def complete(self) -> None:
        if self.state is None:
            return
        batch_id, labels = self.state.batch_id, self.labels_removed.isChecked()
        settings = self.page.settings
        ok, document = self.page._call(lambda s: handovers.complete_handover(
            s, self.page.user, batch_id, labels, language=current_language(),
            site=settings.site_name))
        if not ok:
            return
        self.certificate = (document.number, document.pdf)
        self.labels_removed.setChecked(False)
        self.load_batches()
        self._show_certificate()
        self.changed.emit("asset")
        self.page._good(document.number, _("Handed over; certificate {number}: {where}",
                                           number=document.number, where=self._print(document.pdf,
                                                                                     document.number)))

    def drop(self) -> None:
        row = selected_row(self.table)
        if self.state is None or row is None:
            self.page._bad(_("Select the device to drop first."))
            return
        batch_id, asset_id = self.state.batch_id, self.model.keys[row]
        ok, asset = self.page._call(lambda s: handover_requests.drop(s, self.page.user, batch_id,
                                                                     asset_id))
        if ok:
            self.show_batch()
            self.changed.emit("asset")
            self.page._good(asset.tag, _("{tag} was dropped from the handover: it is ready again.",
                                         tag=asset.tag))

    def cancel(self) -> None:
        if self.state is None or not self.page.confirm(
                _("Cancel handover"), _("Cancel handover {batch}? Its devices become ready again.",
                                        batch=self.state.number)):
            return
        batch_id = self.state.batch_id
        ok, batch = self.page._call(lambda s: handover_requests.cancel_batch(s, self.page.user,
                                                                             batch_id))
        if ok:
            self.load_batches()
            self.changed.emit("asset")
            self.page._good(batch.number, _("Handover {batch} cancelled: its devices are ready again.",
                                            batch=batch.number))

    # --- the certificate -------------------------------------------------------------------

    def _show_certificate(self) -> None:
        has = self.certificate is not None
        self.certificate_label.setText(_("Last certificate: {number}", number=self.certificate[0])
                                       if has else _("No certificate issued at this desk yet."))
        for b in (self.preview_button, self.print_button, self.save_button):
            b.setEnabled(has)

    def _print(self, pdf: bytes, number: str) -> str:
        from ..services.errors import DomainError

        try:
            return self.page.printer.print_document(pdf, number)
        except DomainError as err:
            return str(err)

    def preview(self) -> None:
        from .printing import preview_pdf

        if self.certificate:
            preview_pdf(self, self.certificate[1], self.certificate[0])

    def print_again(self) -> None:
        if self.certificate:
            self.page._good(self.certificate[0], self._print(self.certificate[1], self.certificate[0]))

    def save_pdf(self) -> None:
        if not self.certificate:
            return
        number, pdf = self.certificate
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF…"), f"{number}.pdf",
                                                    "PDF (*.pdf)")
        if path:
            Path(path).write_bytes(pdf)
            self.page._good(number, _("Saved as {path}", path=path))
