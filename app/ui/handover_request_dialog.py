"""The "new request" dialog: a recipient, a needed-by date, and what it asks for, line by line.

Each line is a category, a quantity, a minimum grade and minimum RAM and
storage (0 = no minimum). The dialog only collects values; the request
service checks them and the dialog shows its refusal without closing.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from .. import clock
from ..i18n import _
from ..models import Category, Grade
from ..services import handover_requests, parties
from ..services.documents.intake_receipt import category_name
from ..services.errors import DomainError
from .widgets import ErrorLabel, name_widget

MAX_LINES = 5


class RequestDialog(QDialog):
    def __init__(self, database, user, parent=None) -> None:
        super().__init__(parent)
        self.database, self.user = database, user
        self.request_id: int | None = None
        self.setWindowTitle(_("New request"))
        name_widget(self, "requestDialog", _("New request"))

        self.recipient = QComboBox()
        name_widget(self.recipient, "requestRecipient", _("Recipient"))
        with database.session() as s:
            for p in parties.search_recipients(s, limit=1000):
                self.recipient.addItem(f"{p.name} ({parties.type_label(p.type)})", p.id)
        self.needed_by = QDateEdit(QDate(*clock.today().timetuple()[:3]).addDays(14))
        self.needed_by.setCalendarPopup(True)
        name_widget(self.needed_by, "requestNeededBy", _("Needed by"))
        self.notes = QLineEdit()
        name_widget(self.notes, "requestNotes", _("Notes"))
        form = QFormLayout()
        form.addRow(_("Recipient"), self.recipient)
        form.addRow(_("Needed by"), self.needed_by)
        form.addRow(_("Notes"), self.notes)

        self.grid = QGridLayout()
        for column, title in enumerate((_("Category"), _("Quantity"), _("Minimum grade"),
                                        _("Minimum RAM (GB)"), _("Minimum storage (GB)"))):
            self.grid.addWidget(QLabel(title), 0, column)
        self.lines: list[tuple[QComboBox, QSpinBox, QComboBox, QSpinBox, QSpinBox]] = []
        self.add_button = QPushButton(_("Add a line"))
        name_widget(self.add_button, "addRequestLine", _("Add a line"))
        self.add_button.clicked.connect(self.add_line)
        self.add_line()

        self.error = ErrorLabel("requestError")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(self.grid)
        layout.addWidget(self.add_button)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def add_line(self) -> None:
        row = len(self.lines) + 1
        category = QComboBox()
        for c in Category:
            category.addItem(category_name(c), c.value)
        quantity = QSpinBox()
        quantity.setRange(1, 999)
        grade = QComboBox()
        grade.addItem(_("any"), None)
        for g in Grade:
            grade.addItem(_("{grade} or better", grade=g.value), g.value)
        ram, storage = QSpinBox(), QSpinBox()
        ram.setRange(0, 1024)
        storage.setRange(0, 100_000)
        storage.setSingleStep(128)
        for column, (widget, name) in enumerate(((category, "Category"), (quantity, "Quantity"),
                                                 (grade, "Grade"), (ram, "Ram"),
                                                 (storage, "Storage"))):
            name_widget(widget, f"line{row}{name}", _("Line {n}", n=row))
            self.grid.addWidget(widget, row, column)
        self.lines.append((category, quantity, grade, ram, storage))
        self.add_button.setEnabled(len(self.lines) < MAX_LINES)

    def specs(self) -> list[handover_requests.LineSpec]:
        return [handover_requests.LineSpec(c.currentData(), q.value(), g.currentData(),
                                           r.value() or None, s.value() or None)
                for c, q, g, r, s in self.lines]

    def save(self) -> None:
        import datetime as dt

        d = self.needed_by.date()
        if self.recipient.currentData() is None:
            self.error.show_message(_("Add the recipient on the Recipients tab first."))
            return
        try:
            with self.database.session() as s:
                request = handover_requests.create_request(
                    s, self.user, self.recipient.currentData(), self.specs(),
                    needed_by=dt.date(d.year(), d.month(), d.day()), notes=self.notes.text())
                self.request_id = request.id
        except DomainError as err:
            self.error.show_message(str(err))
            return
        self.accept()
