"""The intake form for a new device: pre-filled, confirmed with Enter (or the DONE barcode).

Manufacturer and model complete from the catalogue; a known model fills its category and usual
specs. Whatever ends the typing (Tab, Enter, the DONE barcode, the button), a make and model that
changed since the form was filled are looked up first: when that changes the form (a monitor
typed over the lot's last laptop) or the model is not in the catalogue, the form shows it and
waits for a second Enter, so nothing is saved that the technician did not see. Enter is handled
once, here: the line edits do not confirm by themselves (they used to, and the form then
confirmed twice). The form edits a `DeviceForm` and never writes to the database itself.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
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
    QWidget,
)

from .. import formats
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

        self._looked_up: tuple[str, str] | None = None  # the make and model the form shows
        # A lookup that changed the form in this same key press (the field's own Enter handling
        # may run it just before `submit`): not seen yet. Cleared once the event loop turns.
        self._unseen_change = False
        self.serial = QLabel()
        name_widget(self.serial, "formSerial", _("Serial number"))
        self.notice = QLabel()
        name_widget(self.notice, "formNotice", _("Check the form"))
        self.notice.setWordWrap(True)
        self.notice.setProperty("role", "notice")
        self.notice.hide()
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

        # Two fields a row where they belong together, so the form, the lot's table and its
        # buttons fit a 768-pixel-high screen.
        layout = QFormLayout()
        layout.addRow(self.notice)
        layout.addRow(_("Serial number"), self._pair(self.serial, _("Category"), self.category))
        layout.addRow(_("Manufacturer"), self._pair(self.manufacturer, _("Model"), self.model))
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
        self.confirm_button = QPushButton(_("Receive (Enter)"))
        name_widget(self.confirm_button, "confirmDevice", _("Receive (Enter)"))
        self.cancel_button = QPushButton(_("Cancel (Esc)"))
        name_widget(self.cancel_button, "cancelDevice", _("Cancel (Esc)"))
        media_row.addWidget(self.cancel_button)
        media_row.addWidget(self.confirm_button)
        layout.addRow(media_row)
        outer = QVBoxLayout(self)
        outer.addLayout(layout)

        self.confirm_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.cancelled)
        for edit in (self.manufacturer, self.model, self.cpu, self.ram, self.storage, self.weight):
            edit.installEventFilter(self)  # Enter in a field: submit, before the field reacts
            # Enter while a completer's list is open reaches the field from the completer
            # (past the filter): it takes the completion and submits, like Enter anywhere else.
            edit.returnPressed.connect(self.submit)
        self.manufacturer.editingFinished.connect(self._update_model_completer)
        self.model.editingFinished.connect(self._apply_catalogue)
        self.category.activated.connect(self._category_changed)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Type.KeyPress:
            return False
        popup = obj.completer().popup() if obj.completer() else None
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not (popup and popup.isVisible()):
            self.submit()
            return True  # the field must not also emit returnPressed/editingFinished
        return False

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            return
        super().keyPressEvent(event)

    def submit(self) -> None:
        """Enter, DONE or the button: save what the form shows, once it shows what was typed."""
        if self._form is None:
            return
        self._apply_catalogue()
        if self._unseen_change:
            self.category.setFocus()  # the first thing to check; Enter there saves
            return
        self.notice.hide()
        self.confirmed.emit()

    def _typed(self) -> tuple[str, str]:
        return (" ".join(self.manufacturer.text().split()).casefold(),
                " ".join(self.model.text().split()).casefold())

    def _update_model_completer(self) -> None:
        names = [m.model for m in catalogue.models_for(self.manufacturer.text())]
        completer = QCompleter(names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.model.setCompleter(completer)

    def _apply_catalogue(self) -> None:
        """Look up a make and model typed since the form was filled, and fill the form from it.

        The notice asks the technician to look before it is saved when the model is not in the
        catalogue, or is of another category than the form showed (a monitor typed over the
        lot's last laptop: other media, weight and checklist). A model of the same category
        only refines the specs, and Enter saves at once.
        """
        typed = self._typed()
        if self._form is None or typed == self._looked_up or not all(typed):
            return
        self._looked_up = typed
        known = catalogue.lookup(self.manufacturer.text(), self.model.text())
        if known is None:
            self._tell(_("{model} is not in the catalogue: check the category, the specs and the "
                         "media, then press Enter to receive it.",
                         model=f"{self.manufacturer.text().strip()} {self.model.text().strip()}"))
            return
        shown = self.category.currentData()
        self.load(intake.form_for_category(self._form.serial, known.category,
                                           known.manufacturer, known.model))
        if known.category != shown:
            self._tell(_("{model} is a {category} (catalogue): the form was filled in for it. "
                         "Check it and press Enter to receive it.",
                         model=f"{known.manufacturer} {known.model}",
                         category=category_name(known.category)))

    def _tell(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self._unseen_change = True
        QTimer.singleShot(0, self._seen)

    def _seen(self) -> None:
        self._unseen_change = False

    def _category_changed(self) -> None:
        if self._form is None:
            return
        fresh = intake.form_for_category(self._form.serial, self.category.currentData(),
                                         self.manufacturer.text(), self.model.text())
        self.load(fresh)

    def load(self, form: intake.DeviceForm) -> None:
        self._form = form
        self._looked_up = (" ".join(form.manufacturer.split()).casefold(),
                           " ".join(form.model.split()).casefold())
        self.notice.hide()
        self.serial.setText(f"<b>{form.serial}</b>")
        self.category.setCurrentIndex(self.category.findData(form.category))
        self.manufacturer.setText(form.manufacturer)
        self._update_model_completer()
        self.model.setText(form.model)
        self.cpu.setText(form.cpu or "")
        self.ram.setText("" if form.ram_gb is None else str(form.ram_gb))
        self.storage.setText("" if form.storage_gb is None else str(form.storage_gb))
        # as the reader's language writes it (1,6 in Dutch), like every other weight on screen
        self.weight.setText("" if form.weight_kg is None else formats.decimal(form.weight_kg, 2))
        self.data_bearing.setChecked(form.data_bearing)
        self.media.setValue(len(form.media))

    @staticmethod
    def _pair(first: QWidget, label: str, second: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(first, 1)
        row.addWidget(QLabel(label))
        row.addWidget(second, 1)
        return row

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
