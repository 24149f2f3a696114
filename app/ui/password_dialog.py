"""Change password (File menu, and the settings page): the signed-in user sets a new password.

The current password is asked first, so nobody passing an unlocked desk can
take the account over; wrong current passwords count towards the same lock-out
as sign-in. The new password follows the rule of the first run (at least
`MIN_PASSWORD_LENGTH` characters, typed twice). A directory user is told to
change it in Windows instead.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..db import Database
from ..i18n import _
from ..models import User
from ..services import auth
from ..services.errors import DomainError
from .service_call import call_service
from .users_form import AccountDialog


class PasswordDialog(AccountDialog):
    def __init__(self, database: Database, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent, object_name="passwordDialog", title=_("Change password"),
                         header=_("Change password"),
                         intro=_("{name}: type your current password, then the new one twice.",
                                 name=user.display_name),
                         error_name="passwordError", accept_text=_("Change password"),
                         accept_name="changePasswordButton")
        self._database = database
        self._user = user
        self.changed = False
        self.current_edit = self.add_field("currentPasswordEdit", _("Current password"), password=True)
        self.new_edit, self.repeat_edit = self.add_new_password_fields(_("New password"))
        if user.directory_dn and not user.password_hash:
            self.refuse(str(auth.DirectoryManaged(username=user.username)))
            self.accept_button.setEnabled(False)
        self.current_edit.setFocus()

    def submit(self) -> None:
        if not self.passwords_match(self.new_edit, self.repeat_edit):
            return
        old, new = self.current_edit.text(), self.new_edit.text()
        try:
            call_service(self._database.session,
                         lambda session: auth.change_password(session, self._user, old, new))
        except (auth.WrongPassword, auth.AccountLocked) as err:
            self.refuse(str(err), self.current_edit)
            return
        except DomainError as err:
            self.refuse(str(err), self.new_edit, self.repeat_edit)
            return
        self.changed = True
        self.error_label.clear_message()
        self.accept()
