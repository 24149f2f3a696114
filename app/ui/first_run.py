"""The first-run dialog: on an empty database, create the first administrator.

Without an administrator nobody can add users, so the app asks for one before
anything else. The password is typed twice because nobody can reset it yet;
refusals (too short, not matching, a bad user name) are shown in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ..i18n import _
from ..models import User
from ..paths import APP_NAME
from ..services.auth import MIN_PASSWORD_LENGTH, FirstAdminExists, create_first_admin
from ..services.errors import DomainError
from .service_call import call_service
from .widgets import ErrorLabel, line_edit, name_widget


class FirstRunDialog(QDialog):
    def __init__(self, session_factory: Callable[[], Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self.user: User | None = None
        name_widget(self, "firstRunDialog", _("Create the first administrator"))
        self.setWindowTitle(_("Create the first administrator — {app}", app=APP_NAME))
        self.setMinimumWidth(520)

        header = QLabel(_("Welcome to {app}", app=APP_NAME))
        header.setObjectName("dialogHeader")
        intro = QLabel(
            _("No administrator exists yet: create the first one.") + " "
            + _("The administrator adds the other users and manages settings and backups."))
        intro.setObjectName("firstRunIntro")
        intro.setWordWrap(True)

        self.username_edit = line_edit("usernameEdit", _("User name"))
        self.display_name_edit = line_edit("displayNameEdit", _("Full name"))
        self.password_edit = line_edit("passwordEdit", _("Password"), password=True)
        self.password_edit.setPlaceholderText(_("At least {n} characters", n=MIN_PASSWORD_LENGTH))
        self.repeat_edit = line_edit("repeatPasswordEdit", _("Repeat the password"), password=True)
        form = QFormLayout()
        form.addRow(_("User name"), self.username_edit)
        form.addRow(_("Full name"), self.display_name_edit)
        form.addRow(_("Password"), self.password_edit)
        form.addRow(_("Repeat the password"), self.repeat_edit)

        self.error_label = ErrorLabel("firstRunError")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = buttons.addButton(_("Create administrator"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        name_widget(self.create_button, "createAdminButton", _("Create administrator"))
        self.create_button.setDefault(True)
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(header)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.username_edit.setFocus()

    def _refuse(self, message: str, *, clear_passwords: bool = False) -> None:
        self.error_label.show_message(message)
        if clear_passwords:  # which of the two was mistyped is unknown: both again
            self.password_edit.clear()
            self.repeat_edit.clear()
            self.password_edit.setFocus()

    def _create(self) -> None:
        password = self.password_edit.text()
        if password != self.repeat_edit.text():
            self._refuse(_("The passwords do not match."), clear_passwords=True)
            return
        username, display_name = self.username_edit.text(), self.display_name_edit.text()
        try:
            user = call_service(self._session_factory, lambda session: create_first_admin(
                session, username, display_name, password))
        except FirstAdminExists as err:
            # Another desk finished its first run meanwhile: there is nothing left to
            # create here, so close and let the caller move on to signing in.
            QMessageBox.information(self, APP_NAME, str(err))
            self.reject()
            return
        except DomainError as err:
            self._refuse(str(err))
            return
        self.user = user
        self.accept()
