"""Processors and carriers: who may take the warehouse's waste, with the numbers the waste register
needs and each processor's certification (R2, e-Stewards, WEEELABEX or other) and its expiry.

A manager adds a processor or carrier (the enterprise number is checked on its check digits) and
records a processor's certificate when it is renewed. An expired certification shows in red: the
disposal service refuses new batches for that processor until a valid one is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from .. import clock
from ..i18n import N_, _
from ..models import CertificationScheme, PartyType
from ..services import processors
from ..services.errors import DomainError
from .service_call import call_service
from .style import ERROR
from .table_model import RowsTableModel
from .widgets import ErrorLabel, line_edit, name_widget

TYPE_NAMES = {PartyType.RECYCLER: N_("waste processor"), PartyType.CARRIER: N_("carrier")}


class PartiesModel(RowsTableModel):
    columns = (N_("Name"), N_("Role"), N_("Enterprise number"), N_("Permit or registration number"),
               N_("Certification"), N_("Valid until"))

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            valid = r.valid_until.strftime("%d/%m/%Y") if r.valid_until else ""
            if r.type == PartyType.RECYCLER and not r.certification:
                certification = _("none recorded")
            else:
                certification = r.certification or "—"
            return (r.name, _(TYPE_NAMES[r.type]), r.enterprise_number, r.registration_number,
                    certification, valid)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() >= 4 and not r.usable:
            return QBrush(QColor(ERROR))
        return None


class ProcessorsDialog(QDialog):
    def __init__(self, session_factory: Callable[[], Session], user, parent: QWidget | None = None):
        super().__init__(parent)
        self._session_factory, self._user = session_factory, user
        title = _("Processors and carriers")
        name_widget(self, "processorsDialog", title)
        self.setWindowTitle(title)
        self.resize(1040, 640)
        self.model = PartiesModel(self)
        self.table = QTableView()
        name_widget(self.table, "partiesTable", title)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        # --- a new processor or carrier ----------------------------------------------------
        self.type_combo = QComboBox()
        name_widget(self.type_combo, "partyType", _("Role"))
        self.type_combo.addItem(_("waste processor"), PartyType.RECYCLER)
        self.type_combo.addItem(_("carrier"), PartyType.CARRIER)
        self.fields = {key: line_edit(f"party_{key}", _(label)) for key, label in (
            ("name", N_("Name")), ("enterprise_number", N_("Enterprise number")),
            ("registration_number", N_("Permit / registration no.")), ("street", N_("Street")),
            ("postcode", N_("Postcode")), ("city", N_("City")), ("contact_name", N_("Contact")),
            ("phone", N_("Phone")), ("email", N_("E-mail")))}
        self.fields["enterprise_number"].setPlaceholderText("0403.170.701")
        # two columns of fields, so the whole address fits beside the certification box
        add_form = QGridLayout()
        add_form.setColumnStretch(1, 1)
        add_form.setColumnStretch(3, 1)
        cells = [(_("Role"), self.type_combo)] + [(e.accessibleName(), e) for e in self.fields.values()]
        for i, (label, widget) in enumerate(cells):
            row, column = divmod(i, 2)
            add_form.addWidget(QLabel(label), row, column * 2)
            add_form.addWidget(widget, row, column * 2 + 1)
        self.add_button = QPushButton(_("Add"))
        name_widget(self.add_button, "addPartyButton", _("Add"))
        self.add_button.clicked.connect(self.add_party)
        add_form.addWidget(self.add_button, (len(cells) + 1) // 2, 3, Qt.AlignmentFlag.AlignRight)
        add_box = QGroupBox(_("New processor or carrier"))
        add_box.setLayout(add_form)

        # --- a processor's certification ----------------------------------------------------
        self.scheme_combo = QComboBox()
        name_widget(self.scheme_combo, "certScheme", _("Scheme"))
        for scheme in CertificationScheme:
            self.scheme_combo.addItem(_(processors.SCHEME_NAMES[scheme]), scheme)
        self.scheme_name = line_edit("certSchemeName", _("Other scheme"))
        self.cert_number = line_edit("certNumber", _("Certificate number"))
        self.valid_until = QDateEdit(QDate(*clock.today().timetuple()[:3]).addYears(1))
        self.valid_until.setCalendarPopup(True)
        self.valid_until.setDisplayFormat("dd/MM/yyyy")
        name_widget(self.valid_until, "certValidUntil", _("Valid until"))
        cert_form = QFormLayout()
        cert_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        cert_form.addRow(_("Scheme"), self.scheme_combo)
        cert_form.addRow(_("Other scheme"), self.scheme_name)
        cert_form.addRow(_("Certificate number"), self.cert_number)
        cert_form.addRow(_("Valid until"), self.valid_until)
        self.cert_button = QPushButton(_("Record certificate"))
        name_widget(self.cert_button, "addCertificationButton", self.cert_button.text())
        self.cert_button.clicked.connect(self.add_certification)
        cert_form.addRow("", self.cert_button)
        cert_box = QGroupBox(_("Certification"))
        cert_box.setLayout(cert_form)

        self.error_label = ErrorLabel("processorsError")
        boxes = QHBoxLayout()
        boxes.addWidget(add_box, 3)
        boxes.addWidget(cert_box, 2)
        self.table.setToolTip(_("Choose a processor here to record its certification."))
        close = QPushButton(_("Close"))
        name_widget(close, "closeProcessorsButton", _("Close"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(boxes)
        layout.addWidget(self.error_label)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(call_service(self._session_factory, processors.overview))

    def _run(self, action) -> bool:
        try:
            call_service(self._session_factory, action)
        except DomainError as err:
            self.error_label.show_message(str(err))
            return False
        self.error_label.clear_message()
        self.refresh()
        return True

    def add_party(self) -> bool:
        values = {k: e.text() for k, e in self.fields.items()}
        kind = self.type_combo.currentData()
        make = processors.create_processor if kind == PartyType.RECYCLER else processors.create_carrier
        if self._run(lambda s: make(s, self._user, **values)):
            for edit in self.fields.values():
                edit.clear()
            return True
        return False

    def add_certification(self) -> bool:
        index = self.table.currentIndex()
        if not index.isValid():
            self.error_label.show_message(_("Choose the processor in the list first."))
            return False
        party_id = self.model.rows[index.row()].id
        until: dt.date = self.valid_until.date().toPython()
        return self._run(lambda s: processors.add_certification(
            s, self._user, party_id, self.scheme_combo.currentData(), until,
            self.cert_number.text(), self.scheme_name.text()))
