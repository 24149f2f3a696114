"""The administrator's users section of the settings page: list, create, disable, reset, role, unlock.

Every button calls one service in `services/auth.py`; the services refuse what
the rules forbid (deleting someone in the audit trail, leaving no active
administrator) and the refusal is shown under the table in the page's own words.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..db import Database
from ..i18n import N_, _
from ..models import Role, User
from ..services import auth
from ..services.errors import DomainError
from ..timefmt import format_local, local
from .labels import role_label
from .service_call import call_service
from .table_model import RowsTableModel
from .users_form import AccountDialog
from .widgets import ErrorLabel, name_widget

COLUMNS = (N_("User name"), N_("Full name"), N_("Role"), N_("Status"), N_("Password"), N_("Last sign-in"))


def status_text(row: auth.UserRow) -> str:
    if not row.active:
        return _("Disabled")
    if row.locked:
        return _("Locked until {time}", time=local(row.locked_until).strftime("%H:%M"))
    return _("Active")


class UsersModel(RowsTableModel):
    """The users, as the service lists them (a province has tens, not thousands)."""

    columns = COLUMNS

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.username, row.display_name, role_label(row.role), status_text(row),
                    _("Directory") if row.directory else _("Local"),
                    format_local(row.last_sign_in_at) or "—")[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3 and (row.locked or not row.active):
            from PySide6.QtGui import QColor

            return QColor("#a4161a") if row.locked else QColor("#57606a")
        return None


def role_combo(object_name: str) -> QComboBox:
    combo = QComboBox()
    name_widget(combo, object_name, _("Role"))
    for role in (Role.TECHNICIAN, Role.MANAGER, Role.AUDITOR, Role.ADMIN):
        combo.addItem(role_label(role), role.value)
    return combo


class NewUserDialog(AccountDialog):
    def __init__(self, database: Database, admin: User, parent: QWidget | None = None) -> None:
        super().__init__(parent, object_name="newUserDialog", title=_("New user"), header=_("New user"),
                         intro=_("The user signs in with this name and password; tell them the "
                                 "password in person and ask them to change it."),
                         error_name="newUserError", accept_text=_("Add user"), accept_name="addUserButton")
        self._database, self._admin = database, admin
        self.created: User | None = None
        self.username_edit = self.add_field("usernameEdit", _("User name"))
        self.display_name_edit = self.add_field("displayNameEdit", _("Full name"))
        self.role_combo = role_combo("newUserRole")
        self.form.addRow(_("Role"), self.role_combo)
        self.password_edit, self.repeat_edit = self.add_new_password_fields()
        self.username_edit.setFocus()

    def submit(self) -> None:
        if not self.passwords_match(self.password_edit, self.repeat_edit):
            return
        values = (self.username_edit.text(), self.display_name_edit.text(),
                  self.role_combo.currentData(), self.password_edit.text())
        try:
            self.created = call_service(self._database.session, lambda s: auth.add_user(
                s, self._admin, *values))
        except DomainError as err:
            self.refuse(str(err))
            return
        self.accept()


class ResetPasswordDialog(AccountDialog):
    def __init__(self, database: Database, admin: User, row: auth.UserRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, object_name="resetPasswordDialog", title=_("Reset password"),
                         header=_("Reset password"),
                         intro=_("A new password for {name}. A lock-out after failed attempts is "
                                 "lifted too.", name=row.display_name),
                         error_name="resetPasswordError", accept_text=_("Set password"),
                         accept_name="setPasswordButton")
        self._database, self._admin, self._row = database, admin, row
        self.password_edit, self.repeat_edit = self.add_new_password_fields(_("New password"))
        self.password_edit.setFocus()

    def submit(self) -> None:
        if not self.passwords_match(self.password_edit, self.repeat_edit):
            return
        password = self.password_edit.text()
        try:
            call_service(self._database.session, lambda s: auth.reset_password(
                s, self._admin, self._row.id, password))
        except DomainError as err:
            self.refuse(str(err), self.password_edit, self.repeat_edit)
            return
        self.accept()


class UsersSection(QGroupBox):
    def __init__(self, database: Database, admin: User, parent: QWidget | None = None) -> None:
        super().__init__(_("Users"), parent)
        name_widget(self, "usersSection", _("Users"))
        self.database, self.admin = database, admin
        self.model = UsersModel(self)
        self.table = QTableView()
        name_widget(self.table, "usersTable", _("Users"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        def button(name: str, text: str, slot) -> QPushButton:
            b = QPushButton(text)
            name_widget(b, name, text)
            b.clicked.connect(slot)
            return b

        self.new_button = button("newUserButton", _("New user…"), self.new_user)
        self.reset_button = button("resetPasswordButton", _("Reset password…"), self.reset_password)
        self.unlock_button = button("unlockButton", _("Unlock"), self.unlock)
        self.active_button = button("toggleActiveButton", _("Disable"), self.toggle_active)
        self.delete_button = button("deleteUserButton", _("Delete"), self.delete)
        self.role_combo = role_combo("roleCombo")
        self.role_button = button("setRoleButton", _("Set role"), self.set_role)
        self.error_label = ErrorLabel("usersError")
        self.done_label = QLabel()
        self.done_label.setObjectName("usersDone")
        self.done_label.setWordWrap(True)

        row = QHBoxLayout()
        for widget in (self.new_button, self.reset_button, self.unlock_button, self.active_button,
                       self.delete_button):
            row.addWidget(widget)
        role_row = QHBoxLayout()
        role_row.addWidget(self.role_combo)
        role_row.addWidget(self.role_button)
        role_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addLayout(role_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        self.refresh()

    # -- state ---------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else getattr(self.selected(), "id", None)
        self.model.set_rows(call_service(self.database.session,
                                         lambda s: auth.list_users(s, self.admin)))
        for number, row in enumerate(self.model.rows):
            if row.id == keep:
                self.table.selectRow(number)
        self._selection_changed()

    def selected(self) -> auth.UserRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.rows[rows[0].row()] if rows else None

    def select(self, username: str) -> None:
        for number, row in enumerate(self.model.rows):
            if row.username == username:
                self.table.selectRow(number)

    def _selection_changed(self, *_args) -> None:
        row = self.selected()
        for b in (self.reset_button, self.unlock_button, self.active_button, self.delete_button,
                  self.role_button, self.role_combo):
            b.setEnabled(row is not None)
        if row is None:
            return
        self.active_button.setText(_("Disable") if row.active else _("Enable"))
        self.unlock_button.setEnabled(row.locked or row.failed_attempts > 0)
        self.delete_button.setEnabled(not row.in_audit_trail)
        self.delete_button.setToolTip("" if not row.in_audit_trail else
                                      _("In the audit trail: disable instead of deleting."))
        self.reset_button.setEnabled(not row.directory)
        self.role_combo.setCurrentIndex(self.role_combo.findData(row.role.value))

    def _run(self, action, done: str) -> bool:
        row = self.selected()
        self.error_label.clear_message()
        try:
            call_service(self.database.session, action)
        except DomainError as err:
            self.error_label.show_message(str(err))
            self.done_label.clear()
            return False
        self.done_label.setText(done)
        self.refresh(row.id if row else None)
        return True

    # -- actions -------------------------------------------------------------------------

    def new_user(self) -> NewUserDialog:
        dialog = NewUserDialog(self.database, self.admin, self)
        dialog.accepted.connect(lambda: self._created(dialog))
        dialog.open()
        self.dialog = dialog
        return dialog

    def _created(self, dialog: NewUserDialog) -> None:
        self.refresh(dialog.created.id)
        self.done_label.setText(_("{name} was added.", name=dialog.created.username))

    def reset_password(self) -> ResetPasswordDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = ResetPasswordDialog(self.database, self.admin, row, self)
        dialog.accepted.connect(lambda: (self.refresh(row.id), self.done_label.setText(
            _("The password of {name} was reset.", name=row.username))))
        dialog.open()
        self.dialog = dialog
        return dialog

    def unlock(self) -> None:
        row = self.selected()
        self._run(lambda s: auth.unlock(s, self.admin, row.id), _("{name} can sign in again.", name=row.username))

    def toggle_active(self) -> None:
        row = self.selected()
        done = (_("{name} is disabled.", name=row.username) if row.active
                else _("{name} is enabled.", name=row.username))
        self._run(lambda s: auth.set_active(s, self.admin, row.id, not row.active), done)

    def set_role(self) -> None:
        row = self.selected()
        role = Role(self.role_combo.currentData())
        self._run(lambda s: auth.set_role(s, self.admin, row.id, role),
                  _("{name} is now {role}.", name=row.username, role=role_label(role)))

    def delete(self, confirm: bool = True) -> None:
        row = self.selected()
        if row is None:
            return
        if confirm and QMessageBox.question(
                self, _("Delete"), _("Delete {name}? This cannot be undone.", name=row.username)
        ) != QMessageBox.StandardButton.Yes:
            return
        self._run(lambda s: auth.delete_user(s, self.admin, row.id), _("{name} was deleted.", name=row.username))
