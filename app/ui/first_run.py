"""The first-run dialog: on an empty database, create the first administrator.

Without an administrator nobody can add users, so the app asks for one before
anything else. The password is typed twice because nobody can reset it yet;
refusals (too short, not matching, a bad user name) are shown in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm import Session

from ..i18n import _
from ..models import User
from ..paths import APP_NAME
from ..services.auth import FirstAdminExists, create_first_admin
from ..services.errors import DomainError
from .service_call import call_service
from .users_form import AccountDialog


class FirstRunDialog(AccountDialog):
    def __init__(self, session_factory: Callable[[], Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(
            parent, object_name="firstRunDialog",
            title=_("Create the first administrator — {app}", app=APP_NAME),
            header=_("Welcome to {app}", app=APP_NAME),
            intro=(_("No administrator exists yet: create the first one.") + " "
                   + _("The administrator adds the other users and manages settings and backups.")),
            error_name="firstRunError", accept_text=_("Create administrator"),
            accept_name="createAdminButton", min_width=520)
        self.setAccessibleName(_("Create the first administrator"))
        self.intro_label.setObjectName("firstRunIntro")
        self._session_factory = session_factory
        self.user: User | None = None
        self.create_button = self.accept_button
        self.username_edit = self.add_field("usernameEdit", _("User name"))
        self.display_name_edit = self.add_field("displayNameEdit", _("Full name"))
        self.password_edit, self.repeat_edit = self.add_new_password_fields()
        self.username_edit.setFocus()

    def submit(self) -> None:
        if not self.passwords_match(self.password_edit, self.repeat_edit):
            return
        username, display_name = self.username_edit.text(), self.display_name_edit.text()
        password = self.password_edit.text()
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
            self.refuse(str(err))
            return
        self.user = user
        self.accept()

    _create = submit  # the older name
