"""The disposal page's dialogs: a new batch, a device's WEEE category and weight, a weighing at
pick-up, the four-eyes close, and the date range of the waste-register extract.

Each dialog checks its input through the service call it makes (or hands plain values back to
the page); a refusal is shown inline in red and the dialog stays open, nothing changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from .. import clock, formats
from ..i18n import _
from ..services import disposal, processors, weee
from ..services.disposal_views import ItemRow
from ..services.errors import DomainError
from .service_call import call_service
from .widgets import DialogButtons, ErrorLabel, line_edit, name_widget


def _buttons(dialog: QDialog, ok_text: str, object_name: str) -> QDialogButtonBox:
    buttons = DialogButtons(ok_text, object_name)
    buttons.rejected.connect(dialog.reject)
    return buttons


def weee_combo(object_name: str, selected: int | None = None) -> QComboBox:
    combo = QComboBox()
    name_widget(combo, object_name, _("WEEE category"))
    for number in weee.CATEGORIES:
        combo.addItem(f"{number}. {weee.category_name(number)}", number)
    if selected:
        combo.setCurrentIndex(combo.findData(selected))
    return combo


class _Dialog(QDialog):
    def __init__(self, title: str, object_name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        name_widget(self, object_name, title)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.form = QFormLayout()
        self.error_label = ErrorLabel(f"{object_name}Error")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 20, 24, 20)
        self.layout_.setSpacing(12)

    def finish(self, buttons: QDialogButtonBox, intro: str = "") -> None:
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            self.layout_.addWidget(label)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(buttons)


class NewBatchDialog(_Dialog):
    """A manager chooses the processor, the carrier and the treatment; the service checks the
    processor's certification."""

    def __init__(self, session_factory: Callable[[], Session], user, parent: QWidget | None = None):
        super().__init__(_("New disposal batch"), "newBatchDialog", parent)
        self._session_factory, self._user = session_factory, user
        self.batch_id: int | None = None
        with session_factory() as session:
            procs = [(p.id, p.name) for p in processors.processors(session)]
            carriers = [(c.id, c.name) for c in processors.carriers(session)]
        self.processor_combo = QComboBox()
        name_widget(self.processor_combo, "batchProcessor", _("Waste processor"))
        for pid, name in procs:
            self.processor_combo.addItem(name, pid)
        self.carrier_combo = QComboBox()
        name_widget(self.carrier_combo, "batchCarrier", _("Carrier"))
        self.carrier_combo.addItem(_("(the processor collects)"), None)
        for cid, name in carriers:
            self.carrier_combo.addItem(name, cid)
        self.treatment_combo = QComboBox()
        name_widget(self.treatment_combo, "batchTreatment", _("Treatment"))
        for code in weee.treatments():
            self.treatment_combo.addItem(weee.treatment_name(code), code)
        self.treatment_combo.setCurrentIndex(self.treatment_combo.findData(weee.default_treatment()))
        self.form.addRow(_("Waste processor"), self.processor_combo)
        self.form.addRow(_("Carrier"), self.carrier_combo)
        self.form.addRow(_("Treatment"), self.treatment_combo)
        buttons = _buttons(self, _("Open the batch"), "openBatchButton")
        buttons.accepted.connect(self.submit)
        self.finish(buttons, _("Only a processor whose certification (R2, e-Stewards, WEEELABEX or "
                               "other) is still valid can take devices."))

    def submit(self) -> None:
        pid, cid = self.processor_combo.currentData(), self.carrier_combo.currentData()
        treatment = self.treatment_combo.currentData()
        if pid is None:
            self.error_label.show_message(_("No processor is recorded yet."))
            return
        try:
            self.batch_id = call_service(self._session_factory, lambda s: disposal.open_batch(
                s, self._user, pid, cid, treatment).id)
        except DomainError as err:
            self.error_label.show_message(str(err))
            return
        self.accept()


class ItemDialog(_Dialog):
    """Override one device's WEEE category or weight (the defaults come from resources/)."""

    def __init__(self, session_factory, user, row: ItemRow, parent: QWidget | None = None):
        super().__init__(_("Change {tag}", tag=row.tag), "itemDialog", parent)
        self._session_factory, self._user, self._row = session_factory, user, row
        self.category_combo = weee_combo("itemWeeeCategory", row.weee_category)
        self.weight_edit = line_edit("itemWeight", _("Weight (kg)"))
        self.weight_edit.setText("" if row.weight_kg is None else formats.decimal(row.weight_kg, 2))
        self.form.addRow(_("WEEE category"), self.category_combo)
        self.form.addRow(_("Weight (kg)"), self.weight_edit)
        buttons = _buttons(self, _("Save"), "saveItemButton")
        buttons.accepted.connect(self.submit)
        self.finish(buttons, f"{row.tag} · {row.model} · {row.serial}")

    def submit(self) -> None:
        category, weight = self.category_combo.currentData(), self.weight_edit.text()
        try:
            call_service(self._session_factory, lambda s: disposal.change_item(
                s, self._user, self._row.item_id, weee_category=category, weight_kg=weight))
        except DomainError as err:
            self.error_label.show_message(str(err))
            return
        self.accept()


class WeighingDialog(_Dialog):
    """The weight of one WEEE category on the weighbridge or scale at pick-up."""

    def __init__(self, session_factory, user, batch_id: int, category: int | None,
                 parent: QWidget | None = None):
        super().__init__(_("Weighed at pick-up"), "weighingDialog", parent)
        self._session_factory, self._user, self._batch_id = session_factory, user, batch_id
        self.category_combo = weee_combo("weighingCategory", category)
        self.kg_edit = line_edit("weighingKg", _("Weighed (kg)"))
        self.form.addRow(_("WEEE category"), self.category_combo)
        self.form.addRow(_("Weighed (kg)"), self.kg_edit)
        buttons = _buttons(self, _("Record the weight"), "saveWeighingButton")
        buttons.accepted.connect(self.submit)
        self.finish(buttons, _("Read the weight of this category's load from the weighbridge or "
                               "scale at pick-up."))
        self.kg_edit.setFocus()

    def submit(self) -> None:
        category, kg = self.category_combo.currentData(), self.kg_edit.text()
        try:
            call_service(self._session_factory, lambda s: disposal.record_weighing(
                s, self._user, self._batch_id, category, kg))
        except DomainError as err:
            self.error_label.show_message(str(err))
            return
        self.accept()


class CloseBatchDialog(_Dialog):
    """Four eyes: a second manager signs in to countersign the pick-up; then the batch closes."""

    def __init__(self, session_factory, user, batch_id: int, summary: str,
                 parent: QWidget | None = None):
        super().__init__(_("Close the batch (pick-up)"), "closeBatchDialog", parent)
        self._session_factory, self._user, self._batch_id = session_factory, user, batch_id
        self.certificate_number: str | None = None
        self.username_edit = line_edit("countersignUsername", _("User name"))
        self.password_edit = line_edit("countersignPassword", _("Password"), password=True)
        self.form.addRow(_("User name"), self.username_edit)
        self.form.addRow(_("Password"), self.password_edit)
        self.summary = QLabel(summary)
        self.summary.setObjectName("closeSummary")
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        buttons = _buttons(self, _("Sign in and close"), "countersignButton")
        buttons.accepted.connect(self.submit)
        self.finish(buttons, _("Four eyes: a second manager, not you, checks the batch and signs in "
                               "with their own user name and password. Every device is then "
                               "disposed of and the EOL certificate issued."))
        self.username_edit.setFocus()

    def submit(self) -> None:
        username, password = self.username_edit.text(), self.password_edit.text()
        try:
            self.certificate_number = call_service(
                self._session_factory, lambda s: disposal.close_batch_signed(
                    s, self._user, self._batch_id, username, password).number)
        except DomainError as err:
            self.error_label.show_message(str(err))
            self.password_edit.clear()
            return
        self.accept()


class PeriodDialog(_Dialog):
    """From and to dates for the waste-register extract (default: last calendar year)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(_("Waste register"), "periodDialog", parent)
        year = clock.today().year - 1
        self.from_edit, self.to_edit = QDateEdit(QDate(year, 1, 1)), QDateEdit(QDate(year, 12, 31))
        for edit, name, text in ((self.from_edit, "periodFrom", _("From")),
                                 (self.to_edit, "periodTo", _("To"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            name_widget(edit, name, text)
            self.form.addRow(text, edit)
        buttons = _buttons(self, _("Choose the file…"), "periodOkButton")
        buttons.accepted.connect(self.accept)
        self.finish(buttons)

    def period(self) -> tuple[dt.date, dt.date]:
        return self.from_edit.date().toPython(), self.to_edit.date().toPython()


def weight_text(kg: Decimal | None) -> str:
    """Kilograms as the screen's language writes them (1,6 · 1.6), "—" when unknown."""
    return "—" if kg is None else formats.decimal(kg, 2)

