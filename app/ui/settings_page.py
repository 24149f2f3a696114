"""The settings page: language and password for everybody; the rest for administrators, in tabs.

Everybody sets their language and changes their own password here, and sees
nothing else. Administrators get one tab per subject: users (`users_admin.py`);
this desk (idle lock, directory sign-in); printing and labels
(`settings_printing.py`); scanner and sound (`settings_scanner.py`); backup
(`settings_backup.py`); the organisation on every document
(`organisation_section.py`). Desk settings are kept in this desk's settings
file; users and the organisation are in the database, shared by every desk.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..config import Settings
from ..db import Database
from ..i18n import LANGUAGES, _
from ..models import Role, User
from ..services import auth
from ..services.errors import DomainError
from ..services.ldap_auth import DEFAULT_USER_FILTER, DirectoryConfig, check_settings
from ..services.permissions import allowed
from .idle_lock import DEFAULT_IDLE_MINUTES
from .labels import role_label
from .page_frame import PageFrame
from .widgets import ErrorLabel, line_edit, name_widget

SECTION_WIDTH = 380
GROUP_SEPARATOR = ";"


class DeskSection(QGroupBox):
    """Language (everybody) and idle-lock minutes (administrators) of this desk."""

    def __init__(self, user: User, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(_("This desk"), parent)
        name_widget(self, "deskSection", _("This desk"))
        self.settings = settings
        self.language_combo = QComboBox()
        name_widget(self.language_combo, "languageCombo", _("Language"))
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(settings.language)))
        self.idle_spin = QSpinBox()
        name_widget(self.idle_spin, "idleMinutesSpin", _("Lock after minutes without activity"))
        self.idle_spin.setRange(0, 240)
        self.idle_spin.setSpecialValueText(_("never"))
        self.idle_spin.setSuffix(" " + _("min"))
        self.idle_spin.setValue(int(float(settings.extra.get("idle_lock_minutes", DEFAULT_IDLE_MINUTES))))
        self.save_button = QPushButton(_("Save"))
        name_widget(self.save_button, "saveDeskButton", _("Save"))
        self.save_button.clicked.connect(self.save)
        self.done_label = QLabel()
        self.done_label.setObjectName("deskDone")
        self.done_label.setWordWrap(True)

        form = QFormLayout(self)
        form.addRow(_("Language"), self.language_combo)
        if allowed(user, "user.manage"):
            form.addRow(_("Lock after"), self.idle_spin)
        else:
            self.idle_spin.hide()
        form.addRow("", self.save_button)
        form.addRow(self.done_label)

    def save(self) -> None:
        self.settings.language = self.language_combo.currentData()
        if self.idle_spin.isVisibleTo(self):
            self.settings.extra["idle_lock_minutes"] = self.idle_spin.value()
        self.settings.save()
        self.done_label.setText(_("Saved. The language and the lock time apply from the next start."))


class DirectoryDialog(QDialog):
    """Optional sign-in through Active Directory / LDAP (administrators)."""

    saved = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = _("Sign-in through the directory (Active Directory / LDAP)")
        name_widget(self, "directoryDialog", title)
        self.setWindowTitle(title)
        self.setMinimumWidth(620)
        self.settings = settings
        config = DirectoryConfig.from_settings(settings)
        self.url_edit = line_edit("ldapUrlEdit", _("Server"))
        self.url_edit.setPlaceholderText("ldaps://dc1.provincie.be")
        self.start_tls = QCheckBox(_("StartTLS (for ldap://)"))
        name_widget(self.start_tls, "ldapStartTls", self.start_tls.text())
        self.base_edit = line_edit("ldapBaseEdit", _("Base DN"))
        self.base_edit.setPlaceholderText("dc=provincie,dc=be")
        self.pattern_edit = line_edit("ldapPatternEdit", _("Bind pattern"))
        self.pattern_edit.setPlaceholderText("{username}@provincie.be")
        self.service_edit = line_edit("ldapServiceEdit", _("Service account"))
        self.service_edit.setPlaceholderText(_("or: the DN of a read-only account"))
        self.service_password = line_edit("ldapServicePassword", _("Its password"), password=True)
        self.group_edits: dict[Role, object] = {}
        form = QFormLayout()
        form.addRow(_("Server"), self.url_edit)
        form.addRow("", self.start_tls)
        form.addRow(_("Base DN"), self.base_edit)
        form.addRow(_("Bind pattern"), self.pattern_edit)
        form.addRow(_("Service account"), self.service_edit)
        form.addRow(_("Its password"), self.service_password)
        groups_header = QLabel(_("Directory groups that give each role (names or DNs, separated by ;); "
                                 "a user in none of them cannot sign in:"))
        groups_header.setWordWrap(True)
        form.addRow(groups_header)
        for role in (Role.TECHNICIAN, Role.MANAGER, Role.AUDITOR, Role.ADMIN):
            edit = line_edit(f"ldapGroups_{role.value}", _("Groups for {role}", role=role_label(role)))
            edit.setPlaceholderText("GG-Depot-…")
            edit.setText(GROUP_SEPARATOR.join(g for g, r in config.group_roles.items() if r == role.value))
            self.group_edits[role] = edit
            form.addRow(role_label(role), edit)
        self.url_edit.setText(config.url)
        self.start_tls.setChecked(config.start_tls)
        self.base_edit.setText(config.base_dn)
        self.pattern_edit.setText(config.bind_pattern)
        self.service_edit.setText(config.service_dn)
        self.service_password.setText(config.service_password)
        self._user_filter = config.user_filter or DEFAULT_USER_FILTER

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.ApplyRole)
        name_widget(self.save_button, "saveDirectoryButton", _("Save"))
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.error_label = ErrorLabel("directoryError")
        self.done_label = QLabel()
        self.done_label.setObjectName("directoryDone")
        self.done_label.setWordWrap(True)
        note = QLabel(_("Leave the server empty to sign in with local accounts only. A local "
                        "administrator can always sign in with their own password."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addWidget(buttons)

    def config(self) -> DirectoryConfig:
        groups = {}
        for role, edit in self.group_edits.items():
            for group in edit.text().split(GROUP_SEPARATOR):
                if group.strip():
                    groups[group.strip()] = role.value
        return DirectoryConfig(url=self.url_edit.text().strip(), start_tls=self.start_tls.isChecked(),
                               base_dn=self.base_edit.text().strip(),
                               bind_pattern=self.pattern_edit.text().strip(),
                               service_dn=self.service_edit.text().strip(),
                               service_password=self.service_password.text(),
                               user_filter=self._user_filter, group_roles=groups)

    def save(self) -> bool:
        config = self.config()
        self.done_label.clear()
        try:
            check_settings(config)
        except DomainError as err:
            self.error_label.show_message(str(err))
            return False
        self.error_label.clear_message()
        self.settings.ldap = config.to_dict() if config.enabled else {}
        self.settings.save()
        auth.use_directory(config)
        self.done_label.setText(_("Saved. Sign-in uses the directory from now on.") if config.enabled
                                else _("Saved. Sign-in uses local accounts only."))
        self.saved.emit()
        return True


class SettingsPage(QWidget):
    def __init__(self, database: Database, user: User, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database, self.user, self.settings = database, user, settings
        self.desk = DeskSection(user, settings)
        self.desk.setFixedWidth(SECTION_WIDTH)
        self.password_button = QPushButton(_("Change password…"))
        name_widget(self.password_button, "settingsPasswordButton", _("Change password…"))
        self.password_button.clicked.connect(self.open_password_dialog)
        self.users = self.tabs = self.printing = self.scanner = self.backup = None
        self.organisation = self.directory_dialog = None

        self.frame = PageFrame(self, _("Settings"), settings=settings)
        if not allowed(user, "user.manage"):
            row = QHBoxLayout()
            row.setSpacing(16)
            row.addWidget(self.desk)
            own = QVBoxLayout()
            own.addWidget(self.password_button)
            own.addStretch(1)
            row.addLayout(own)
            row.addStretch(1)
            self.frame.add(row)
            self.frame.body.addStretch(1)
            return

        from .organisation_section import OrganisationSection
        from .settings_backup import BackupSection
        from .settings_printing import PrintingSection
        from .settings_scanner import ScannerSection
        from .users_admin import UsersSection

        self.tabs = QTabWidget()
        name_widget(self.tabs, "settingsTabs", _("Settings"))
        self.tabs.setUsesScrollButtons(True)
        self.users = UsersSection(database, user)
        self.printing = PrintingSection(database, settings)
        self.scanner = ScannerSection(settings)
        self.backup = BackupSection(database, settings)
        self.tabs.addTab(self.users, _("Users"))
        self.tabs.addTab(self._desk_tab(), _("This desk"))
        self.tabs.addTab(self.printing, _("Printing and labels"))
        self.tabs.addTab(self.scanner, _("Scanner and sound"))
        self.tabs.addTab(self.backup, _("Backup"))
        if allowed(user, "organisation.manage"):
            self.organisation = OrganisationSection(database, user)
            self.tabs.addTab(self.organisation, _("Organisation"))
        self.frame.add(self.tabs, 1)

    def _desk_tab(self) -> QWidget:
        box = QGroupBox(_("Directory sign-in"))
        name_widget(box, "directorySection", _("Directory sign-in"))
        box.setFixedWidth(SECTION_WIDTH)
        self.directory_label = QLabel()
        self.directory_label.setObjectName("directoryState")
        self.directory_label.setWordWrap(True)
        self.directory_button = QPushButton(_("Directory settings…"))
        name_widget(self.directory_button, "directoryButton", _("Directory settings…"))
        self.directory_button.clicked.connect(self.open_directory_dialog)
        inner = QVBoxLayout(box)
        inner.addWidget(self.directory_label)
        inner.addStretch(1)
        inner.addWidget(self.directory_button)
        self._show_directory_state()
        tab = QWidget()
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(self.desk)
        row.addWidget(box)
        own = QVBoxLayout()
        own.addWidget(self.password_button)
        own.addStretch(1)
        row.addLayout(own)
        row.addStretch(1)
        column = QVBoxLayout(tab)
        column.addLayout(row)
        column.addStretch(1)
        return tab

    def show_tab(self, section: QWidget) -> None:
        """Bring a tab to the front (the one a message about a missing printer points to)."""
        if self.tabs is not None:
            self.tabs.setCurrentWidget(section)

    def _show_directory_state(self) -> None:
        config = DirectoryConfig.from_settings(self.settings)
        self.directory_label.setText(
            _("On: {url}. A local administrator can always sign in with their own password.",
              url=config.url) if config.enabled else _("Off: everybody signs in with a local account."))

    def open_directory_dialog(self) -> DirectoryDialog:
        dialog = DirectoryDialog(self.settings, self)
        dialog.saved.connect(self._show_directory_state)
        dialog.open()
        self.directory_dialog = dialog
        return dialog

    def open_password_dialog(self):
        from .password_dialog import PasswordDialog

        dialog = PasswordDialog(self.database, self.user, self)
        dialog.open()
        self.password_dialog = dialog
        return dialog
