"""The intake form for a new device: pre-filled, confirmed with Enter (or the DONE barcode).

Manufacturer and model complete from the catalogue; choosing a known model
fills its category and usual specs. The form edits a `DeviceForm` and never
writes to the database itself.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from ..i18n import _
from ..models import Category, MediumKind
from ..services import catalogue, intake
from ..services.assets import MediumSpec
from ..services.documents.intake_receipt import category_name
from .widgets import name_widget


def _int_or_none(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def _decimal_or_none(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace(",", ".")) if text.strip() else None
    except InvalidOperation:
        return None


class DeviceFormWidget(QGroupBox):
    confirmed = Signal()
    cancelled = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(_("New device"), parent)
        name_widget(self, "deviceForm", _("New device"))
        self._form: intake.DeviceForm | None = None

        self.serial = QLabel()
        name_widget(self.serial, "formSerial", _("Serial number"))
        self.category = QComboBox()
        name_widget(self.category, "formCategory", _("Category"))
        for cat in Category:
            self.category.addItem(category_name(cat), cat)
        self.manufacturer = QLineEdit()
        name_widget(self.manufacturer, "formManufacturer", _("Manufacturer"))
        self.manufacturer.setCompleter(QCompleter(catalogue.manufacturers(), self))
        self.manufacturer.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.model = QLineEdit()
        name_widget(self.model, "formModel", _("Model"))
        self.cpu = QLineEdit()
        name_widget(self.cpu, "formCpu", _("Processor"))
        self.ram = QLineEdit()
        name_widget(self.ram, "formRam", _("Memory (GB)"))
        self.storage = QLineEdit()
        name_widget(self.storage, "formStorage", _("Storage (GB)"))
        self.weight = QLineEdit()
        name_widget(self.weight, "formWeight", _("Weight (kg)"))
        self.data_bearing = QCheckBox(_("Holds data"))
        name_widget(self.data_bearing, "formDataBearing", _("Holds data"))
        self.media = QSpinBox()
        self.media.setRange(0, 24)
        name_widget(self.media, "formMedia", _("Storage media"))

        layout = QFormLayout()
        layout.addRow(_("Serial number"), self.serial)
        layout.addRow(_("Category"), self.category)
        layout.addRow(_("Manufacturer"), self.manufacturer)
        layout.addRow(_("Model"), self.model)
        layout.addRow(_("Processor"), self.cpu)
        specs = QHBoxLayout()
        for label, edit in ((_("Memory (GB)"), self.ram), (_("Storage (GB)"), self.storage),
                            (_("Weight (kg)"), self.weight)):
            specs.addWidget(QLabel(label))
            specs.addWidget(edit)
        layout.addRow(specs)
        media_row = QHBoxLayout()
        media_row.addWidget(self.data_bearing)
        media_row.addWidget(QLabel(_("Storage media")))
        media_row.addWidget(self.media)
        media_row.addStretch(1)
        layout.addRow(media_row)

        self.confirm_button = QPushButton(_("Receive (Enter)"))
        name_widget(self.confirm_button, "confirmDevice", _("Receive (Enter)"))
        self.cancel_button = QPushButton(_("Cancel (Esc)"))
        name_widget(self.cancel_button, "cancelDevice", _("Cancel (Esc)"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        outer = QVBoxLayout(self)
        outer.addLayout(layout)
        outer.addLayout(buttons)

        self.confirm_button.clicked.connect(self.confirmed)
        self.cancel_button.clicked.connect(self.cancelled)
        for edit in (self.manufacturer, self.model, self.cpu, self.ram, self.storage, self.weight):
            edit.returnPressed.connect(self.confirmed)
        self.manufacturer.editingFinished.connect(self._update_model_completer)
        self.model.editingFinished.connect(self._apply_catalogue)
        self.category.activated.connect(self._category_changed)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirmed.emit()
            return
        super().keyPressEvent(event)

    def _update_model_completer(self) -> None:
        names = [m.model for m in catalogue.models_for(self.manufacturer.text())]
        completer = QCompleter(names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.model.setCompleter(completer)

    def _apply_catalogue(self) -> None:
        if self._form is None:
            return
        known = catalogue.lookup(self.manufacturer.text(), self.model.text())
        if known:
            self.load(intake.form_for_category(self._form.serial, known.category,
                                               known.manufacturer, known.model))

    def _category_changed(self) -> None:
        if self._form is None:
            return
        fresh = intake.form_for_category(self._form.serial, self.category.currentData(),
                                         self.manufacturer.text(), self.model.text())
        self.load(fresh)

    def load(self, form: intake.DeviceForm) -> None:
        self._form = form
        self.serial.setText(f"<b>{form.serial}</b>")
        self.category.setCurrentIndex(self.category.findData(form.category))
        self.manufacturer.setText(form.manufacturer)
        self._update_model_completer()
        self.model.setText(form.model)
        self.cpu.setText(form.cpu or "")
        self.ram.setText("" if form.ram_gb is None else str(form.ram_gb))
        self.storage.setText("" if form.storage_gb is None else str(form.storage_gb))
        self.weight.setText("" if form.weight_kg is None else str(form.weight_kg))
        self.data_bearing.setChecked(form.data_bearing)
        self.media.setValue(len(form.media))

    def value(self) -> intake.DeviceForm:
        assert self._form is not None
        category = self.category.currentData()
        defaults = catalogue.category_defaults()[category]
        kind = (self._form.media[0].kind if self._form.media else defaults.medium_kind) or MediumKind.SSD
        storage = _int_or_none(self.storage.text())
        return intake.DeviceForm(
            serial=self._form.serial, category=category, manufacturer=self.manufacturer.text(),
            model=self.model.text(), cpu=self.cpu.text().strip() or None,
            ram_gb=_int_or_none(self.ram.text()), storage_gb=storage,
            screen_inch=self._form.screen_inch, weight_kg=_decimal_or_none(self.weight.text()),
            data_bearing=self.data_bearing.isChecked() or self.media.value() > 0,
            media=[MediumSpec(kind, None, storage) for _i in range(self.media.value())],
        )
