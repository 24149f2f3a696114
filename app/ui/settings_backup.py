"""Settings → Backup: the daily backup of this desk's database, its folder, how many to keep.

A single desk on SQLite backs its database up at the first start of each day
(services/backup.run_scheduled) into a folder, keeping the newest N. Here the
administrator switches that on or off, chooses the folder (refused when this
desk cannot write there) and N, and can make a backup at once ("Back up now",
off the GUI thread: a large database takes a while). A shared PostgreSQL
database is backed up on its server; "Back up now" still makes a copy here.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..config import Settings
from ..db import Database
from ..i18n import N_, _
from ..services import backup
from ..services.desk_settings import writable_folder
from ..services.errors import DomainError
from .settings_form import PathEdit, SettingsForm, choose_folder
from .widgets import name_widget

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(str)
    failed = Signal(str)


class _BackupJob(QRunnable):
    def __init__(self, database: Database, settings: Settings) -> None:
        super().__init__()
        self.database, self.settings = database, settings
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = backup.backup_now(self.database.engine, self.settings)
        except DomainError as err:
            self.signals.failed.emit(str(err))
        except (OSError, SQLAlchemyError) as err:
            log.exception("backup now failed")
            self.signals.failed.emit(str(backup.BackupFailed(detail=str(err).splitlines()[0][:200])))
        else:
            self.signals.done.emit(result.message())


class BackupSection(SettingsForm):
    """Daily backup on/off, folder, how many to keep; back up now (administrators)."""

    def __init__(self, database: Database, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("backupSection", parent)
        self.database, self.settings = database, settings
        self.daily_box = QCheckBox(_("Back up the database every day, at the first start of the day"))
        name_widget(self.daily_box, "dailyBackup", self.daily_box.text())
        self.daily_box.setChecked(settings.extra.get(backup.SCHEDULE_KEY, "daily") != "off")
        self.folder_edit = PathEdit("backupFolderEdit", _("Backup folder"))
        self.folder_edit.setText(str(backup.scheduled_folder(settings)))
        self.folder_button = QPushButton(_("Choose…"))
        name_widget(self.folder_button, "backupFolderButton", _("Choose the backup folder"))
        self.folder_button.setAutoDefault(False)
        self.folder_button.clicked.connect(
            lambda: choose_folder(self, self.folder_edit, _("Backup folder")))
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit)
        folder_row.addWidget(self.folder_button)
        folder_row.addStretch(1)
        self.keep_spin = QSpinBox()
        name_widget(self.keep_spin, "backupKeepSpin", _("Daily backups to keep"))
        self.keep_spin.setRange(1, 365)
        self.keep_spin.setValue(max(1, int(settings.extra.get(backup.KEEP_KEY, backup.DEFAULT_KEEP))))
        self.now_button = QPushButton(_("Back up now"))
        name_widget(self.now_button, "backupNowButton", _("Back up now"))
        self.now_button.setAutoDefault(False)
        self.now_button.clicked.connect(self.back_up_now)
        self._job: _BackupJob | None = None
        self.save_on_enter(self.folder_edit)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("", self.daily_box)
        form.addRow(_("Folder"), folder_row)
        form.addRow(_("Daily backups to keep"), self.keep_spin)
        layout = QVBoxLayout(self)
        if database.kind != "sqlite":
            self.daily_box.setChecked(False)
            self.daily_box.setEnabled(False)
            shared = QLabel(_("This desk works in a shared PostgreSQL database: its server backs it "
                              "up, not each desk. Back up now still makes a copy in the folder."))
            shared.setObjectName("backupShared")
            shared.setWordWrap(True)
            layout.addWidget(shared)
        layout.addLayout(form)
        layout.addLayout(self.footer(self.now_button))
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addStretch(1)

    def _folder(self) -> str:
        return str(writable_folder(self.folder_edit.text(), N_("backups")))

    def save(self) -> bool:
        try:
            folder = self._folder()
        except DomainError as err:
            return self.refuse(str(err))
        self.settings.extra[backup.SCHEDULE_KEY] = "daily" if self.daily_box.isChecked() else "off"
        self.settings.extra[backup.FOLDER_KEY] = folder
        self.settings.extra[backup.KEEP_KEY] = self.keep_spin.value()
        self.settings.save()
        if self.daily_box.isChecked():
            return self.saved(_("Saved. Every day the first start backs up into {folder}, keeping "
                                "the newest {keep}.", folder=folder, keep=self.keep_spin.value()))
        return self.saved(_("Saved. The daily backup is off."))

    def back_up_now(self) -> None:
        """Back up into the folder the form names, in a worker; the message says where it went."""
        try:
            folder = self._folder()
        except DomainError as err:
            self.refuse(str(err))
            return
        target = Settings(extra={backup.FOLDER_KEY: folder})
        self.now_button.setEnabled(False)
        self.error_label.clear_message()
        self.done_label.setText(_("Backing up…"))
        job = _BackupJob(self.database, target)
        job.signals.done.connect(self._finished)
        job.signals.failed.connect(self._failed)
        self._job = job  # its signals live as long as the job is known here
        QThreadPool.globalInstance().start(job)

    def is_busy(self) -> bool:
        return not self.now_button.isEnabled()

    def _finished(self, message: str) -> None:
        self.now_button.setEnabled(True)
        self._job = None
        self.saved(message)

    def _failed(self, message: str) -> None:
        self.now_button.setEnabled(True)
        self._job = None
        self.refuse(message)
