"""The sign-in dialog: who is at the desk, so every action is recorded under their name.

A refused sign-in says why in the dialog itself (no pop-up to click away at a
busy desk), clears the password and leaves the user name, so a typo costs one
retype. After too many failed attempts it says until when the name is locked.
When the desk signs in through the directory (Active Directory / LDAP, see the
settings), the dialog says so; a local administrator still signs in with their
own password. On success `.user` holds the signed-in `User`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from ..config import Settings
from ..i18n import _
from ..models import User
from ..paths import APP_NAME
from ..services import auth
from ..services.errors import DomainError
from ..services.ldap_auth import DirectoryConfig
from .service_call import call_service
from .users_form import AccountDialog


def use_directory_of(settings: Settings | None) -> DirectoryConfig:
    """Point sign-in (here and at every four-eyes prompt) at this desk's directory, if any."""
    config = DirectoryConfig.from_settings(settings or Settings.load())
    auth.use_directory(config)
    return config


class SignInDialog(AccountDialog):
    def __init__(self, session_factory: Callable[[], Session], username: str = "",
                 parent: QWidget | None = None, settings: Settings | None = None) -> None:
        directory = use_directory_of(settings)
        intro = (_("Sign in with your Windows account (user name and password).")
                 if directory.enabled else _("Sign in with your user name and password."))
        super().__init__(parent, object_name="signInDialog", title=_("Sign in — {app}", app=APP_NAME),
                         header=APP_NAME, intro=intro, error_name="signInError",
                         accept_text=_("Sign in"), accept_name="signInButton")
        self.setAccessibleName(_("Sign in"))
        self._session_factory = session_factory
        self.user: User | None = None
        self.sign_in_button = self.accept_button
        self.username_edit = self.add_field("usernameEdit", _("User name"))
        self.username_edit.setText(username)
        self.password_edit = self.add_field("passwordEdit", _("Password"), password=True)
        (self.password_edit if username else self.username_edit).setFocus()

    def submit(self) -> None:
        username, password = self.username_edit.text(), self.password_edit.text()
        try:
            user = call_service(self._session_factory,
                                lambda session: auth.authenticate(session, username, password))
        except DomainError as err:
            self.refuse(str(err), self.password_edit)
            return
        self.user = user
        self.error_label.clear_message()
        self.accept()

    _sign_in = submit  # the older name
