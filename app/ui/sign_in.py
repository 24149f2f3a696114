"""The sign-in dialog: who is at the desk, so every action is recorded under their name.

A refused sign-in says why in the dialog itself (no pop-up to click away at a
busy desk), clears the password and leaves the user name, so a typo costs one
retype. On success `.user` holds the signed-in `User`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ..i18n import _
from ..models import User
from ..paths import APP_NAME
from ..services.auth import authenticate
from ..services.errors import DomainError
from .service_call import call_service
from .widgets import ErrorLabel, line_edit, name_widget


class SignInDialog(QDialog):
    def __init__(self, session_factory: Callable[[], Session], username: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self.user: User | None = None
        name_widget(self, "signInDialog", _("Sign in"))
        self.setWindowTitle(_("Sign in — {app}", app=APP_NAME))
        self.setMinimumWidth(440)

        header = QLabel(APP_NAME)
        header.setObjectName("dialogHeader")
        intro = QLabel(_("Sign in with your user name and password."))
        intro.setWordWrap(True)

        self.username_edit = line_edit("usernameEdit", _("User name"))
        self.username_edit.setText(username)
        self.password_edit = line_edit("passwordEdit", _("Password"), password=True)
        form = QFormLayout()
        form.addRow(_("User name"), self.username_edit)
        form.addRow(_("Password"), self.password_edit)

        self.error_label = ErrorLabel("signInError")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = buttons.addButton(_("Sign in"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        name_widget(self.sign_in_button, "signInButton", _("Sign in"))
        self.sign_in_button.setDefault(True)
        buttons.accepted.connect(self._sign_in)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(header)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        (self.password_edit if username else self.username_edit).setFocus()

    def _sign_in(self) -> None:
        username, password = self.username_edit.text(), self.password_edit.text()
        try:
            user = call_service(self._session_factory,
                                lambda session: authenticate(session, username, password))
        except DomainError as err:
            self.error_label.show_message(str(err))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.user = user
        self.error_label.clear_message()
        self.accept()
