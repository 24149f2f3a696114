"""The recipients tab of the handovers page: search, add, edit, deactivate.

Schools, charities, provincial services and other public bodies. The form
checks nothing itself: `services.parties` refuses a missing address or a
wrong enterprise number (KBO/BCE mod-97) and the message appears under the
form. Deactivating keeps the recipient's history; a deactivated recipient is
shown greyed when "show deactivated" is ticked and can be reactivated.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..i18n import N_, _
from ..models import Party, PartyType
from ..services import parties
from ..services.errors import DomainError
from ..services.permissions import allowed
from .handover_table import MUTED, RowsModel, selected_row, table_view
from .widgets import ErrorLabel, name_widget

COLUMNS = (N_("Name"), N_("Type"), N_("Enterprise no."), N_("City"))
FIELDS = (("name", N_("Name")), ("enterprise_number", N_("Enterprise number")),
          ("street", N_("Street and number")), ("postcode", N_("Postcode")), ("city", N_("City")),
          ("contact_name", N_("Contact person")), ("email", N_("E-mail")), ("phone", N_("Phone")),
          ("notes", N_("Notes")))


class RecipientsTab(QWidget):
    changed = Signal()

    def __init__(self, database, user, parent=None) -> None:
        super().__init__(parent)
        self.database, self.user = database, user
        self.current: Party | None = None
        self.may_edit = allowed(user, "party.manage")

        self.search = QLineEdit()
        name_widget(self.search, "recipientSearch", _("Search recipients"))
        self.search.setPlaceholderText(_("Search name, city, contact or enterprise number"))
        self.search.textChanged.connect(self.refresh)
        self.show_inactive = QCheckBox(_("Show deactivated"))
        name_widget(self.show_inactive, "showInactive", _("Show deactivated"))
        self.show_inactive.toggled.connect(self.refresh)
        self.model = RowsModel(COLUMNS)
        self.table = table_view(self.model, stretch=0, widths={1: 165, 2: 125, 3: 105})
        name_widget(self.table, "recipientTable", _("Recipients"))
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.type = QComboBox()
        name_widget(self.type, "recipientType", _("Type"))
        for ptype in parties.RECIPIENT_TYPES:
            self.type.addItem(parties.type_label(ptype), ptype.value)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.addRow(_("Type"), self.type)
        for key, label in FIELDS:
            edit = QLineEdit()
            name_widget(edit, f"recipient_{key}", _(label))
            self.edits[key] = edit
            form.addRow(_(label), edit)
        self.error = ErrorLabel("recipientError")
        self.new_button = QPushButton(_("New"))
        name_widget(self.new_button, "newRecipient", _("New recipient"))
        self.new_button.clicked.connect(self.clear_form)
        self.save_button = QPushButton(_("Save"))
        name_widget(self.save_button, "saveRecipient", _("Save recipient"))
        self.save_button.clicked.connect(self.save)
        self.active_button = QPushButton(_("Deactivate"))
        name_widget(self.active_button, "toggleRecipient", _("Deactivate"))
        self.active_button.clicked.connect(self.toggle_active)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.save_button, self.active_button):
            b.setEnabled(self.may_edit)
            buttons.addWidget(b)

        left = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_inactive)
        left.addLayout(top)
        left.addWidget(self.table, 1)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.error)
        right.addLayout(buttons)
        right.addStretch(1)
        form_panel = QWidget()
        form_panel.setLayout(right)
        form_panel.setMaximumWidth(380)  # the list needs the width for names
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(form_panel)
        self.refresh()
        self.clear_form()

    def _session(self):
        return self.database.session()

    def refresh(self) -> None:
        with self._session() as s:
            found = parties.search_recipients(s, self.search.text(),
                                              include_inactive=self.show_inactive.isChecked())
            s.expunge_all()
        self.recipients = found
        self.model.set_rows(
            [(p.name, parties.type_label(p.type), p.enterprise_number, p.city)
             for p in found], keys=[p.id for p in found],
            colours=[None if p.active else MUTED for p in found])

    def _selected(self) -> None:
        row = selected_row(self.table)
        if row is None:
            return
        party = self.recipients[row]
        self.current = party
        self.type.setCurrentIndex(self.type.findData(party.type.value))
        self.type.setEnabled(False)  # a school does not become a charity; make a new one
        for key, edit in self.edits.items():
            edit.setText(getattr(party, key) or "")
        self.active_button.setText(_("Deactivate") if party.active else _("Reactivate"))
        self.active_button.setEnabled(self.may_edit)
        self.error.clear_message()

    def clear_form(self) -> None:
        self.current = None
        self.table.clearSelection()
        self.type.setEnabled(True)
        for edit in self.edits.values():
            edit.clear()
        self.active_button.setText(_("Deactivate"))
        self.active_button.setEnabled(False)
        self.error.clear_message()
        self.edits["name"].setFocus()

    def values(self) -> dict:
        return {key: edit.text() for key, edit in self.edits.items()}

    def save(self) -> None:
        values = self.values()
        try:
            with self._session() as s:
                if self.current is None:
                    party = parties.create_party(s, self.user, PartyType(self.type.currentData()),
                                                 **values)
                else:
                    party = parties.update_party(s, self.user, self.current.id, self.current.version,
                                                 **values)
                party_id = party.id
        except DomainError as err:
            self.error.show_message(str(err))
            return
        self.error.clear_message()
        self.refresh()
        self.select(party_id)
        self.changed.emit()

    def toggle_active(self) -> None:
        if self.current is None:
            return
        try:
            with self._session() as s:
                parties.set_active(s, self.user, self.current.id, self.current.version,
                                   not self.current.active)
        except DomainError as err:
            self.error.show_message(str(err))
            return
        party_id = self.current.id
        self.show_inactive.setChecked(True)  # a deactivated recipient stays in sight
        self.refresh()
        self.select(party_id)
        self.changed.emit()

    def select(self, party_id: int) -> None:
        if party_id in self.model.keys:
            self.table.selectRow(self.model.keys.index(party_id))
