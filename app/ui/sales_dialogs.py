"""The Sales page's dialogs: a new round, a staff member's interest, a price override, a payment.

Each dialog only gathers input; the page calls the service and shows a refusal
in the dialog's error line, so nothing is half-done.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..formats import money as euros
from ..i18n import _
from ..models import PaymentMethod
from ..services.documents.intake_receipt import category_name
from ..services.sales import PAYMENT_LABELS
from .widgets import ErrorLabel, line_edit, name_widget


def _date_edit(name: str, accessible: str, day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    name_widget(edit, name, accessible)
    return edit


def _day(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


class _Dialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error = ErrorLabel("dialogError")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.on_accept = None  # set by the page: callable(dialog) raising DomainError when refused

    def accept(self) -> None:
        if self.on_accept is not None:
            try:
                self.on_accept(self)
            except Exception as err:  # a DomainError or an unreachable database: say it here
                from ..services.errors import DomainError

                if not isinstance(err, DomainError):
                    raise
                self.error.show_message(str(err))
                return
        super().accept()


class NewRoundDialog(_Dialog):
    """Title, dates, per-person limit, eligibility and the ready devices to offer."""

    def __init__(self, devices: list, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(_("New sale round"), parent)
        self.title = line_edit("roundTitle", _("Title"))
        self.opens = _date_edit("roundOpens", _("Opens on"), today)
        self.closes = _date_edit("roundCloses", _("Closes on"), today + dt.timedelta(days=14))
        self.limits = {}
        limits_row = QHBoxLayout()
        for key, label in (("laptop", _("laptops")), ("smartphone", _("smartphones")),
                           ("tablet", _("tablets")), ("total", _("in total"))):
            spin = QSpinBox()
            spin.setRange(0, 20)
            spin.setSpecialValueText(_("no limit"))
            spin.setValue(1 if key in ("laptop", "smartphone") else 0)
            name_widget(spin, f"limit_{key}", label)
            limits_row.addWidget(spin)
            limits_row.addWidget(QLabel(label))
            self.limits[key] = spin
        limits_row.addStretch(1)
        self.eligibility = QPlainTextEdit()
        name_widget(self.eligibility, "roundEligibility", _("Who may take part"))
        self.eligibility.setFixedHeight(54)
        self.devices = QListWidget()
        name_widget(self.devices, "roundDevices", _("Ready devices"))
        for d in devices:
            item = QListWidgetItem(f"{d.tag}  ·  {category_name(d.category)}  ·  {d.model}  ·  "
                                   f"{d.grade or '—'}  ·  {euros(d.price)}")
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.devices.addItem(item)
        form = QFormLayout()
        form.addRow(_("Title"), self.title)
        form.addRow(_("Opens on"), self.opens)
        form.addRow(_("Closes on"), self.closes)
        form.addRow(_("At most per person"), limits_row)
        form.addRow(_("Who may take part"), self.eligibility)
        box = QGroupBox(_("Ready devices to offer"))
        QVBoxLayout(box).addWidget(self.devices)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(720, 620)

    def check_all(self, count: int | None = None) -> None:
        for row in range(self.devices.count() if count is None else min(count, self.devices.count())):
            self.devices.item(row).setCheckState(Qt.CheckState.Checked)

    def values(self) -> dict:
        return {
            "title": self.title.text(), "opens_on": _day(self.opens), "closes_on": _day(self.closes),
            "limits": {k: s.value() for k, s in self.limits.items() if s.value() > 0},
            "eligibility": self.eligibility.toPlainText(),
            "asset_ids": [self.devices.item(r).data(Qt.ItemDataRole.UserRole)
                          for r in range(self.devices.count())
                          if self.devices.item(r).checkState() == Qt.CheckState.Checked],
        }


class InterestDialog(_Dialog):
    """Find the staff member (or register a new one) who wants the selected device."""

    def __init__(self, tag: str, search, parent: QWidget | None = None) -> None:
        super().__init__(_("Interest in {tag}", tag=tag), parent)
        self._search = search  # callable(text) -> list[StaffRow]
        self.find = line_edit("staffSearch", _("Search by name, staff number or e-mail"))
        self.find.setPlaceholderText(_("Search by name, staff number or e-mail"))
        self.find.textChanged.connect(self.refresh)
        self.matches = QListWidget()
        name_widget(self.matches, "staffMatches", _("Staff members"))
        self.new_name = line_edit("staffName", _("Name"))
        self.new_number = line_edit("staffNumber", _("Staff number"))
        self.new_email = line_edit("staffEmail", _("E-mail"))
        self.new_service = line_edit("staffService", _("Service"))
        new = QGroupBox(_("Or a new staff member"))
        form = QFormLayout(new)
        for label, edit in ((_("Name"), self.new_name), (_("Staff number"), self.new_number),
                            (_("E-mail"), self.new_email), (_("Service"), self.new_service)):
            form.addRow(label, edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.find)
        layout.addWidget(self.matches, 1)
        layout.addWidget(new)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(520, 520)
        self.refresh()

    def refresh(self) -> None:
        self.matches.clear()
        for row in self._search(self.find.text()):
            item = QListWidgetItem(f"{row.full_name} ({row.staff_number}) · {row.service_name} · "
                                   f"{row.pseudonym}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.matches.addItem(item)

    def chosen_id(self) -> int | None:
        item = self.matches.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def new_member(self) -> dict | None:
        if not self.new_name.text().strip() and not self.new_number.text().strip():
            return None
        return {"full_name": self.new_name.text(), "staff_number": self.new_number.text(),
                "email": self.new_email.text(), "service_name": self.new_service.text()}


class OverrideDialog(_Dialog):
    """A price other than the rule's: the reason, and a second manager signs in for it."""

    def __init__(self, tag: str, price, rule: str, parent: QWidget | None = None) -> None:
        super().__init__(_("Override the price of {tag}", tag=tag), parent)
        self.price = line_edit("overridePrice", _("New price (€)"))
        self.price.setText(str(price))
        self.reason = line_edit("overrideReason", _("Reason"))
        self.verifier = line_edit("overrideVerifier", _("Second manager: user name"))
        self.password = line_edit("overridePassword", _("Second manager: password"), password=True)
        rule_label = QLabel(_("Rule: {rule}", rule=rule))
        rule_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("New price (€)"), self.price)
        form.addRow(_("Reason"), self.reason)
        form.addRow(_("Second manager: user name"), self.verifier)
        form.addRow(_("Second manager: password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(rule_label)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(520, 260)


class PaymentDialog(_Dialog):
    """Register a payment: found by the structured communication, by transfer or card."""

    def __init__(self, ogm_text: str, parent: QWidget | None = None) -> None:
        super().__init__(_("Register a payment"), parent)
        self.ogm = line_edit("paymentOgm", _("Structured communication"))
        self.ogm.setText(ogm_text)
        self.method = QComboBox()
        name_widget(self.method, "paymentMethod", _("Paid by"))
        for method in PaymentMethod:
            self.method.addItem(_(PAYMENT_LABELS[method]), method.value)
        form = QFormLayout()
        form.addRow(_("Structured communication"), self.ogm)
        form.addRow(_("Paid by"), self.method)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(460, 160)
