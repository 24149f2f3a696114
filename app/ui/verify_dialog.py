"""The answer to a scanned certificate QR code: genuine or not, and what the certificate covers.

Scanning the QR code of any certificate the warehouse issued, on any page,
opens this dialog (non-modal: the desk keeps scanning). A reprint of the
stored PDF can be saved from it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..db import Database
from ..i18n import _, n_
from ..services.documents import issued
from ..services.documents.intake_receipt import category_name
from .widgets import name_widget

log = logging.getLogger(__name__)

COLUMNS = (("tag", "Tag"), ("category", "Category"), ("model", "Model"), ("serial", "Serial number"),
           ("grade", "Grade"))


class VerifyDialog(QDialog):
    def __init__(self, result: issued.Verification, pdf: bytes | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.result, self._pdf = result, pdf
        self.setWindowTitle(_("Certificate check"))
        verdict = QLabel(result.message())
        verdict.setWordWrap(True)
        verdict.setProperty("verdict", "good" if result.ok else "bad")
        verdict.setStyleSheet("font-size: 15pt; font-weight: 600; color: %s;"
                              % ("#1b5e20" if result.ok else "#b71c1c"))
        name_widget(verdict, "verifyVerdict", verdict.text())
        layout = QVBoxLayout(self)
        layout.addWidget(verdict)

        keys = [k for k, _label in COLUMNS if any(k in d for d in result.covered)]
        if result.covered:
            # when the paper is not to be trusted, say whose word the list is: the record's
            count = QLabel(n_(len(result.covered), "{n} device.", "{n} devices.") if result.ok else
                           n_(len(result.covered),
                              "According to the warehouse's record, {number} covers {n} device:",
                              "According to the warehouse's record, {number} covers {n} devices:",
                              number=result.number))
            name_widget(count, "verifyCount", count.text())
            layout.addWidget(count)
            table = QTableWidget(len(result.covered), len(keys))
            name_widget(table, "verifyDevices", _("Devices on the certificate"))
            table.setHorizontalHeaderLabels([_(label) for k, label in COLUMNS if k in keys])
            for row, device in enumerate(result.covered):
                for col, key in enumerate(keys):
                    table.setItem(row, col, QTableWidgetItem(_shown(key, device.get(key))))
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setStretchLastSection(True)
            table.resizeColumnsToContents()
            layout.addWidget(table)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        if pdf is not None:
            save = buttons.addButton(_("Save the issued PDF…"), QDialogButtonBox.ButtonRole.ActionRole)
            save.clicked.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 420 if result.covered else 160)

    def _save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the issued PDF"),
                                                    f"{self.result.number}.pdf", "PDF (*.pdf)")
        if path:
            with open(path, "wb") as fh:
                fh.write(self._pdf)


def _shown(key: str, value) -> str:
    if value in (None, ""):
        return "—"
    if key == "category":
        try:
            return category_name(value)
        except KeyError:  # a category this version does not know: as recorded
            return str(value)
    return str(value)


def verify_scanned_code(parent: QWidget | None, database: Database, code: str) -> VerifyDialog | None:
    """Check a scanned certificate code and show the answer; None when the database is unreachable."""
    try:
        with database.session() as session:
            result = issued.verify_code(session, code)
            pdf = result.document.pdf if result.document is not None and result.ok else None
    except SQLAlchemyError:
        log.exception("certificate check failed")
        status_bar = getattr(parent, "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage(_("The database cannot be reached; the certificate was not checked."), 8000)
        return None
    dialog = VerifyDialog(result, pdf, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
