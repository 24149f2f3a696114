"""Settings → Organisation: the identity every document carries, shared by every desk.

Full name, short name (for labels and footers), address, enterprise number and
logo, saved in the database through `services.organisation` (administrators
only, audited). A chosen logo is checked at once (PNG or JPEG, not too large)
and shown as it will print; it is saved with the rest.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..db import Database
from ..i18n import _
from ..models import User
from ..services import organisation
from ..services.errors import DomainError
from .service_call import call_service
from .settings_form import FIELD_WIDTH, SettingsForm
from .widgets import line_edit, name_widget

LOGO_PREVIEW = (180, 60)  # pixels: about the room the logo takes in the letterhead


class OrganisationSection(SettingsForm):
    def __init__(self, database: Database, user: User, parent: QWidget | None = None) -> None:
        super().__init__("organisationSection", parent)
        self.database, self.user = database, user
        self.name_edit = line_edit("orgNameEdit", _("Full name"))
        self.name_edit.setPlaceholderText("Provincie Vlaams-Brabant")
        self.short_edit = line_edit("orgShortEdit", _("Short name"))
        self.short_edit.setPlaceholderText(_("on labels and in footers, such as Prov. VB"))
        self.street_edit = line_edit("orgStreetEdit", _("Street and number"))
        self.postcode_edit = line_edit("orgPostcodeEdit", _("Postcode"))
        self.postcode_edit.setMaximumWidth(80)
        self.city_edit = line_edit("orgCityEdit", _("City"))
        self.number_edit = line_edit("orgNumberEdit", _("Enterprise number"))
        self.number_edit.setPlaceholderText("0123.456.789")
        for edit in (self.name_edit, self.short_edit, self.street_edit, self.number_edit):
            edit.setFixedWidth(FIELD_WIDTH + 120)
        self.city_edit.setFixedWidth(FIELD_WIDTH + 120 - 80 - 6)
        town = QHBoxLayout()
        town.setSpacing(6)
        town.addWidget(self.postcode_edit)
        town.addWidget(self.city_edit)
        town.addStretch(1)

        self.logo_preview = QLabel()
        name_widget(self.logo_preview, "orgLogoPreview", _("Logo"))
        self.logo_preview.setFixedSize(*LOGO_PREVIEW)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.logo_button = QPushButton(_("Choose logo…"))
        name_widget(self.logo_button, "orgLogoButton", _("Choose logo…"))
        self.logo_button.setAutoDefault(False)
        self.logo_button.clicked.connect(lambda: self.choose_logo())
        self.remove_logo_button = QPushButton(_("Remove logo"))
        name_widget(self.remove_logo_button, "orgRemoveLogoButton", _("Remove logo"))
        self.remove_logo_button.setAutoDefault(False)
        self.remove_logo_button.clicked.connect(self.remove_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.remove_logo_button)
        logo_row.addStretch(1)
        self.save_on_enter(self.name_edit, self.short_edit, self.street_edit, self.postcode_edit,
                           self.city_edit, self.number_edit)

        form = QFormLayout()
        form.addRow(_("Full name"), self.name_edit)
        form.addRow(_("Short name"), self.short_edit)
        form.addRow(_("Street and number"), self.street_edit)
        form.addRow(_("Postcode and city"), town)
        form.addRow(_("Enterprise number"), self.number_edit)
        form.addRow(_("Logo"), logo_row)
        note = QLabel(_("Every desk prints this at the top of every document from now on: intake "
                        "receipts, certificates, sales receipts, reports. Documents already issued "
                        "stay as they were printed. The logo: PNG or JPEG, at most {kb} KB.",
                        kb=organisation.LOGO_MAX_BYTES // 1024))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addLayout(self.footer())
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addStretch(1)
        self.logo: bytes | None | object = organisation.KEEP  # what Save does with the logo
        self.load()

    def load(self) -> None:
        try:
            identity = call_service(self.database.session, organisation.get)
        except DomainError as err:
            self.refuse(str(err))
            return
        self.name_edit.setText(identity.name)
        self.short_edit.setText(identity.short_name)
        self.street_edit.setText(identity.street)
        self.postcode_edit.setText(identity.postcode)
        self.city_edit.setText(identity.city)
        self.number_edit.setText(identity.enterprise_number)
        self.logo = organisation.KEEP
        self._show_logo(identity.logo)

    def _show_logo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.logo_preview.setPixmap(pixmap.scaled(*LOGO_PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
                                                      Qt.TransformationMode.SmoothTransformation))
            self.remove_logo_button.setEnabled(True)
        else:
            self.logo_preview.clear()
            self.logo_preview.setText(_("no logo"))
            self.remove_logo_button.setEnabled(False)

    def choose_logo(self, path: str | None = None) -> bool:
        """Take the logo from `path` (or ask for the file); refused at once when it would not print."""
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Choose logo…"), "",
                                                        _("Pictures (*.png *.jpg *.jpeg)"))
            if not path:
                return False
        try:
            data = Path(path).read_bytes()
            organisation.check_logo(data)
        except OSError as err:
            return self.refuse(_("The file {path} could not be read ({detail}).", path=path,
                                 detail=err.strerror or type(err).__name__))
        except DomainError as err:
            return self.refuse(str(err))
        self.logo = data
        self._show_logo(data)
        self.error_label.clear_message()
        self.done_label.setText(_("Logo chosen: Save to use it."))
        return True

    def remove_logo(self) -> None:
        self.logo = None
        self._show_logo(None)
        self.done_label.setText(_("Logo removed: Save to print without it."))

    def save(self) -> bool:
        values = {"name": self.name_edit.text(), "short_name": self.short_edit.text(),
                  "street": self.street_edit.text(), "postcode": self.postcode_edit.text(),
                  "city": self.city_edit.text(), "enterprise_number": self.number_edit.text()}
        logo = self.logo
        try:
            identity = call_service(self.database.session, lambda s: organisation.save(
                s, self.user, **values, logo=logo))
        except DomainError as err:
            return self.refuse(str(err))
        self.number_edit.setText(identity.enterprise_number)  # as it prints: 0123.456.789
        self.logo = organisation.KEEP
        return self.saved(_("Saved. Every document issued from now on carries this identity."))
