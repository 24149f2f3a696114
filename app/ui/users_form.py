"""The frame every account dialog shares: a header, a short explanation, a form, an inline error, one button.

Sign-in, first run, password change and the administrator's new-user and
reset-password dialogs all look and behave alike: a refusal is said in red in
the dialog itself (no pop-up to click away at a busy desk), the password
fields that must be typed again are cleared and get the focus, the rest stays.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..i18n import _
from ..services.auth import MIN_PASSWORD_LENGTH
from .widgets import DialogButtons, ErrorLabel, line_edit, name_widget


class AccountDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, object_name: str, title: str, header: str,
                 intro: str, error_name: str, accept_text: str, accept_name: str,
                 min_width: int = 440) -> None:
        super().__init__(parent)
        name_widget(self, object_name, title)
        self.setWindowTitle(title)
        self.setMinimumWidth(min_width)

        self.header_label = QLabel(header)
        self.header_label.setObjectName("dialogHeader")
        self.intro_label = QLabel(intro)
        self.intro_label.setWordWrap(True)
        self.form = QFormLayout()
        self.error_label = ErrorLabel(error_name)

        buttons = DialogButtons(accept_text, accept_name)
        self.buttons = buttons
        self.accept_button, self.cancel_button = buttons.accept_button, buttons.cancel_button
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.header_label)
        layout.addWidget(self.intro_label)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def add_action(self, button: QPushButton) -> None:
        """One more button beside Cancel (never the default: Enter still signs in)."""
        button.setAutoDefault(False)
        button.setDefault(False)
        self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)

    def add_field(self, object_name: str, label: str, *, password: bool = False) -> QLineEdit:
        edit = line_edit(object_name, label, password=password)
        self.form.addRow(label, edit)
        return edit

    def add_new_password_fields(self, label: str | None = None) -> tuple[QLineEdit, QLineEdit]:
        """A new password and its repetition, with the rule said in the field itself."""
        label = label or _("Password")
        first = self.add_field("passwordEdit" if label == _("Password") else "newPasswordEdit",
                               label, password=True)
        first.setPlaceholderText(_("At least {n} characters", n=MIN_PASSWORD_LENGTH))
        repeat = self.add_field("repeatPasswordEdit", _("Repeat the password"), password=True)
        return first, repeat

    def refuse(self, message: str, *clear: QLineEdit) -> None:
        self.error_label.show_message(message)
        self._fit_height()
        for edit in clear:
            edit.clear()
        if clear:
            clear[0].setFocus()

    def _fit_height(self) -> None:
        # A wrapped message needs more height than the dialog had: grow, never clip the reason.
        layout = self.layout()
        layout.activate()
        wanted = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        wanted = max(wanted, self.sizeHint().height())
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def passwords_match(self, first: QLineEdit, repeat: QLineEdit) -> bool:
        if first.text() == repeat.text():
            return True
        # which of the two was mistyped is unknown: both again
        self.refuse(_("The passwords do not match."), first, repeat)
        return False

    def submit(self) -> None:  # pragma: no cover - every dialog defines its own
        raise NotImplementedError
