"""The parts of the refurbishment bench page: checklist form, media table, wipe and verify dialogs.

The checklist is a short form built from the category's checklist (at most a
dozen items, from `resources/checklists/`), not a paged list of stock, so it
is a grid of widgets rather than a table model: every row keeps its own
Pass / Fail / N.A. buttons, number and note, and is worked through with the
keyboard (Tab to the next row, arrow keys within a row). The storage media
are a small table model. Both dialogs call their service themselves and
show a refusal inside the dialog, so a typo costs one retype, not the form.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ..i18n import N_, _, current_language
from ..models import CheckOutcome, SanitisationMethod, VerificationResult
from ..services import sanitisation
from ..services.auth import authenticate
from ..services.documents.sanitisation_certificate import (
    MEDIUM_KIND_NAMES,
    METHOD_NAMES,
    TECHNIQUE_NAMES,
)
from ..services.errors import DomainError, PermissionDenied
from ..services.refurbishment import Answer, ChecklistItem, ItemKind
from ..services.sanitisation import MediumState
from .service_call import call_service
from .widgets import DialogButtons, ErrorLabel, line_edit, name_widget

OUTCOMES: tuple[tuple[CheckOutcome, str], ...] = (
    (CheckOutcome.PASS, N_("Pass")),
    (CheckOutcome.FAIL, N_("Fail")),
    (CheckOutcome.NOT_APPLICABLE, N_("N/A")),
)
STATE_NAMES = {
    MediumState.VERIFIED: N_("✔ verified"),
    MediumState.UNVERIFIED: N_("waiting for verification"),
    MediumState.FAILED: N_("✖ failed"),
    MediumState.MISSING: N_("missing"),
}
MUTED = "#57606a"
NO_PARENT = QModelIndex()


def format_number(value: Decimal | None) -> str:
    """A stored measurement as a technician writes it: 90, not 90.00; a comma in Dutch."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if current_language() == "nl" else text


def parse_number(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace(",", ".")) if text.strip() else None
    except InvalidOperation:
        return None


def medium_kind_name(kind) -> str:
    return _(MEDIUM_KIND_NAMES.get(getattr(kind, "value", kind), str(kind)))


def technique_name(code: str) -> str:
    return _(TECHNIQUE_NAMES[code]) if code in TECHNIQUE_NAMES else code


# --- the checklist ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredAnswer:
    outcome: CheckOutcome
    value: Decimal | None
    note: str | None


class ChecklistRow:
    """The widgets of one checklist item, and the answer they hold."""

    def __init__(self, item: ChecklistItem, parent: QWidget) -> None:
        self.item = item
        text = html.escape(item.text())
        if not item.required:
            text += f' <span style="color:{MUTED}">({html.escape(_("optional"))})</span>'
        self.label = QLabel(text, parent)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        name_widget(self.label, f"item_{item.key}", item.text())
        self.group = QButtonGroup(parent)  # one exclusive choice per row, not per form
        self.buttons: dict[CheckOutcome, QRadioButton] = {}
        for outcome, word in OUTCOMES:
            button = QRadioButton(_(word), parent)
            name_widget(button, f"{outcome.value}_{item.key}", f"{_(word)}: {item.text()}")
            button.setProperty("outcome", outcome.value)
            self.group.addButton(button)
            self.buttons[outcome] = button
        self.number: QLineEdit | None = None
        self.number_box = QWidget(parent)  # stays empty for a pass/fail item
        if item.kind == ItemKind.NUMBER:
            box = QHBoxLayout(self.number_box)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(4)
            self.number = QLineEdit()
            name_widget(
                self.number, f"value_{item.key}", _("Measured value: {item}", item=item.text())
            )
            self.number.setValidator(
                QRegularExpressionValidator(
                    QRegularExpression(r"^\d{0,7}([.,]\d{0,2})?$"), self.number
                )
            )
            self.number.setFixedWidth(64)
            self.number.setAlignment(Qt.AlignmentFlag.AlignRight)
            box.addWidget(self.number)
            unit = item.unit or ""
            if item.minimum is not None:
                unit = _("{unit} (min. {minimum})", unit=unit, minimum=format_number(item.minimum))
            hint = QLabel(unit.strip())
            hint.setObjectName(f"unit_{item.key}")
            box.addWidget(hint)
            box.addStretch(1)
            self.number.textEdited.connect(self._number_edited)
        self.note = QLineEdit(parent)
        name_widget(self.note, f"note_{item.key}", _("Note: {item}", item=item.text()))
        self.note.setPlaceholderText(_("Note"))
        self.stored: StoredAnswer | None = None

    def _number_edited(self, text: str) -> None:
        # The service fails a measurement below the minimum whatever was ticked; show that at once.
        value = parse_number(text)
        if value is None:
            return
        if self.item.minimum is not None and value < self.item.minimum:
            self.buttons[CheckOutcome.FAIL].setChecked(True)
        elif self.outcome() in (None, CheckOutcome.FAIL):
            self.buttons[CheckOutcome.PASS].setChecked(True)

    def widgets(self) -> list[QWidget]:
        return [self.label, *self.buttons.values(), self.number_box, self.note]

    def focus_chain(self) -> list[QWidget]:
        return [*self.buttons.values(), *([self.number] if self.number else []), self.note]

    def outcome(self) -> CheckOutcome | None:
        checked = self.group.checkedButton()
        return CheckOutcome(checked.property("outcome")) if checked else None

    def set_outcome(self, outcome: CheckOutcome | None) -> None:
        if outcome is None:
            self.group.setExclusive(False)  # the only way to clear an exclusive group
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[outcome].setChecked(True)

    def load(self, stored: StoredAnswer | None) -> None:
        self.stored = stored
        self.set_outcome(stored.outcome if stored else None)
        if self.number is not None:
            self.number.setText(format_number(stored.value) if stored else "")
        self.note.setText((stored.note or "") if stored else "")

    def answer(self) -> Answer | None:
        outcome = self.outcome()
        if outcome is None:
            return None
        value = self.number.text().strip() if self.number is not None else None
        return Answer(self.item.key, outcome, value or None, self.note.text().strip() or None)

    def is_changed(self) -> bool:
        answer = self.answer()
        if answer is None:
            return False  # nothing chosen: nothing to store (a stored answer is never erased here)
        if self.stored is None:
            return True
        value = parse_number(answer.value or "") if answer.value else None
        return (CheckOutcome(answer.outcome), value, answer.note) != (
            self.stored.outcome,
            self.stored.value,
            self.stored.note,
        )


class ChecklistWidget(QWidget):
    """The category's checklist as a grid: item, Pass / Fail / N.A., measured value, note."""

    HEADERS = (N_("Checklist"), N_("Result"), "", "", N_("Measured"), N_("Note"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "checklist", _("Checklist"))
        self.rows: list[ChecklistRow] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(4, 0, 4, 4)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(2)
        for column, text in enumerate(self.HEADERS):
            if text:
                header = QLabel(_(text))
                header.setObjectName("checklistHeader")
                self.grid.addWidget(header, 0, column, 1, 3 if column == 1 else 1)
        self.grid.setColumnStretch(0, 5)
        self.grid.setColumnStretch(5, 3)
        # A short checklist sits at the top of its box, under its headers, not spread over it
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)

    def set_items(self, items: tuple[ChecklistItem, ...], answers: dict[str, StoredAnswer]) -> None:
        if [r.item for r in self.rows] != list(items):
            for row in self.rows:
                for widget in row.widgets():
                    self.grid.removeWidget(widget)
                    widget.deleteLater()
                row.group.deleteLater()
            self.rows = []
            previous: QWidget | None = None
            for number, item in enumerate(items, start=1):
                row = ChecklistRow(item, self)
                for column, widget in enumerate(row.widgets()):
                    self.grid.addWidget(widget, number, column)
                for widget in row.focus_chain():
                    if previous is not None:
                        QWidget.setTabOrder(previous, widget)
                    previous = widget
                self.rows.append(row)
        for row in self.rows:
            row.load(answers.get(row.item.key))

    def row(self, key: str) -> ChecklistRow:
        return next(r for r in self.rows if r.item.key == key)

    def changed_answers(self) -> list[Answer]:
        return [r.answer() for r in self.rows if r.is_changed()]

    def is_changed(self) -> bool:
        return any(r.is_changed() for r in self.rows)

    def first_focus(self) -> QWidget | None:
        return self.rows[0].buttons[CheckOutcome.PASS] if self.rows else None


# --- the storage media --------------------------------------------------------------------------


@dataclass(frozen=True)
class MediumRow:
    """One storage medium and its latest sanitisation record, as plain values for the screen."""

    medium_id: int
    kind: str
    serial: str | None
    capacity_gb: int | None
    removed: bool
    state: MediumState
    record_id: int | None = None
    method: str | None = None
    technique: str | None = None
    tool: str | None = None
    operator: str | None = None
    performed_at: str | None = None
    verifier: str | None = None
    verified_at: str | None = None

    def describe(self) -> str:
        size = _("{n} GB", n=self.capacity_gb) if self.capacity_gb else ""
        return " · ".join(p for p in (medium_kind_name(self.kind), size, self.serial or "") if p)


class MediaTableModel(QAbstractTableModel):
    HEADERS = (
        N_("Medium"),
        N_("Serial number"),
        N_("Sanitisation"),
        N_("Wiped by"),
        N_("Verified by"),
    )

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.media: list[MediumRow] = []

    def set_media(self, media: list[MediumRow]) -> None:
        self.beginResetModel()
        self.media = list(media)
        self.endResetModel()

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.media)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.media[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                size = _("{n} GB", n=row.capacity_gb) if row.capacity_gb else ""
                text = " ".join(p for p in (medium_kind_name(row.kind), size) if p)
                return text + (" " + _("(removed)") if row.removed else "")
            if column == 1:
                return row.serial or "—"
            if column == 2:
                return _(STATE_NAMES[row.state])
            if column == 3:
                return row.operator or ""
            if column == 4:
                return row.verifier or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                return row.serial
            if column == 2 and row.method:
                method = f"{_(METHOD_NAMES[row.method])}: {technique_name(row.technique or '')}"
                return f"{method} ({row.tool})" if row.tool else method
            if column == 3 and row.performed_at:
                return _("{name} on {time}", name=row.operator, time=row.performed_at)
            if column == 4 and row.verified_at:
                return _("{name} on {time}", name=row.verifier, time=row.verified_at)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            from PySide6.QtGui import QColor

            from .feedback import COLOURS

            colour = {MediumState.VERIFIED: COLOURS["good"], MediumState.FAILED: COLOURS["bad"]}
            return QColor(colour.get(row.state, "#9a6700"))
        return None


# --- recording a wipe ---------------------------------------------------------------------------


class WipeDialog(QDialog):
    """How one medium was sanitised (NIST SP 800-88): method, technique, tool, verification."""

    def __init__(
        self,
        medium: MediumRow,
        submit: Callable[[dict], object],
        defaults: dict | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self.values: dict | None = None
        defaults = defaults or {}
        name_widget(self, "wipeDialog", _("Record wipe"))
        self.setWindowTitle(_("Record wipe — {medium}", medium=medium.describe()))
        self.setMinimumWidth(520)

        intro = QLabel(_("How was the data on {medium} destroyed?", medium=medium.describe()))
        intro.setWordWrap(True)
        self.method = QComboBox()
        name_widget(self.method, "wipeMethod", _("Method"))
        for method in SanitisationMethod:
            self.method.addItem(_(METHOD_NAMES[method.value]), method.value)
        self.technique = QComboBox()
        name_widget(self.technique, "wipeTechnique", _("Technique"))
        self.technique.setEditable(True)  # the offered techniques, or what was really used
        self.tool = line_edit("wipeTool", _("Tool"))
        self.tool.setPlaceholderText(_("for example Blancco, nwipe, the manufacturer's tool"))
        self.tool_version = line_edit("wipeToolVersion", _("Tool version"))
        self.verification_method = line_edit("wipeVerificationMethod", _("Verification method"))
        self.verification_method.setPlaceholderText(_("for example full read-back, 10 % sample"))
        self.result_group = QButtonGroup(self)
        self.passed = QRadioButton(_("passed"))
        name_widget(self.passed, "wipePassed", _("Verification passed"))
        self.failed = QRadioButton(_("failed"))
        name_widget(self.failed, "wipeFailed", _("Verification failed"))
        self.result_group.addButton(self.passed)
        self.result_group.addButton(self.failed)
        # No result is chosen beforehand: it is evidence, and one Enter must not record a pass.
        result_row = QHBoxLayout()
        result_row.addWidget(self.passed)
        result_row.addWidget(self.failed)
        result_row.addStretch(1)
        self.notes = line_edit("wipeNotes", _("Notes"))

        form = QFormLayout()
        form.addRow(_("Method"), self.method)
        form.addRow(_("Technique"), self.technique)
        form.addRow(_("Tool"), self.tool)
        form.addRow(_("Tool version"), self.tool_version)
        form.addRow(_("Verification method"), self.verification_method)
        form.addRow(_("Result of the verification"), result_row)
        form.addRow(_("Notes"), self.notes)
        self.error_label = ErrorLabel("wipeError")

        buttons = DialogButtons(_("Record"), "wipeSave")
        self.save_button = buttons.accept_button
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self.method.currentIndexChanged.connect(self._offer_techniques)
        self.method.setCurrentIndex(max(self.method.findData(defaults.get("method", "purge")), 0))
        self._offer_techniques()
        self.tool.setText(defaults.get("tool") or "")
        self.tool_version.setText(defaults.get("tool_version") or "")
        self.verification_method.setText(defaults.get("verification_method") or "")
        self.method.setFocus()

    def _offer_techniques(self) -> None:
        method = SanitisationMethod(self.method.currentData())
        self.technique.clear()
        for code in sanitisation.TECHNIQUES[method]:
            self.technique.addItem(technique_name(code), code)

    def set_technique(self, code_or_text: str) -> None:
        index = self.technique.findData(code_or_text)
        if index >= 0:
            self.technique.setCurrentIndex(index)
        else:
            self.technique.setEditText(code_or_text)

    def technique_value(self) -> str:
        """The code of an offered technique, or the free text as typed."""
        text = self.technique.currentText().strip()
        index = self.technique.findText(text, Qt.MatchFlag.MatchFixedString)
        return self.technique.itemData(index) if index >= 0 else text

    def value(self) -> dict:
        return {
            "method": self.method.currentData(),
            "technique": self.technique_value(),
            "tool": self.tool.text().strip() or None,
            "tool_version": self.tool_version.text().strip() or None,
            "verification_method": self.verification_method.text().strip() or None,
            "verification_result": (
                VerificationResult.PASSED.value if self.passed.isChecked()
                else VerificationResult.FAILED.value if self.failed.isChecked() else None
            ),
            "notes": self.notes.text().strip() or None,
        }

    def submit(self) -> None:
        values = self.value()
        if values["verification_result"] is None:
            self.error_label.show_message(_("Choose the result of the verification: passed or "
                                            "failed."))
            self.passed.setFocus()
            return
        try:
            self._submit(values)
        except DomainError as err:
            self.error_label.show_message(str(err))
            return
        self.values = values
        self.error_label.clear_message()
        self.accept()


# --- four-eyes verification ---------------------------------------------------------------------


class VerifyDialog(QDialog):
    """A second person — a manager who did not do the wipe — signs in here to verify it."""

    def __init__(
        self,
        session_factory: Callable[[], Session],
        record_id: int,
        summary: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self.record_id = record_id
        self.verifier_name: str | None = None
        name_widget(self, "verifyDialog", _("Verify the wipe"))
        self.setWindowTitle(_("Verify the wipe"))
        self.setMinimumWidth(480)

        intro = QLabel(
            _(
                "Four eyes: a manager who did not do this wipe checks the record and signs "
                "in with their own user name and password."
            )
        )
        intro.setWordWrap(True)
        record = QLabel(summary)
        record.setObjectName("verifySummary")
        record.setWordWrap(True)
        self.username_edit = line_edit("verifierUsername", _("User name"))
        self.password_edit = line_edit("verifierPassword", _("Password"), password=True)
        form = QFormLayout()
        form.addRow(_("User name"), self.username_edit)
        form.addRow(_("Password"), self.password_edit)
        self.error_label = ErrorLabel("verifyError")

        buttons = DialogButtons(_("Sign in and verify"), "verifyButton")
        self.verify_button = buttons.accept_button
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(record)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.username_edit.setFocus()

    def submit(self) -> None:
        username, password = self.username_edit.text(), self.password_edit.text()

        def sign_in_and_verify(session: Session) -> str:
            verifier = authenticate(session, username, password)
            sanitisation.verify(session, verifier, self.record_id)
            return verifier.display_name

        try:
            self.verifier_name = call_service(self._session_factory, sign_in_and_verify)
        except PermissionDenied:
            # The service's "not allowed" says nothing about who is: name the rule instead.
            self.error_label.show_message(
                _("Only a manager can verify a wipe: sign in as a manager who did not do it.")
            )
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        except DomainError as err:
            self.error_label.show_message(str(err))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.error_label.clear_message()
        self.accept()


class AddMediumDialog(QDialog):
    """A storage medium found at the bench (a second disk, an internal flash chip)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QSpinBox

        from ..models import MediumKind

        self.setWindowTitle(_("Add a storage medium"))
        name_widget(self, "addMediumDialog", _("Add a storage medium"))
        self.kind = QComboBox()
        name_widget(self.kind, "mediumKind", _("Medium"))
        for kind in MediumKind:
            self.kind.addItem(medium_kind_name(kind), kind)
        self.serial = line_edit("mediumSerial", _("Serial number"))
        self.capacity = QSpinBox()
        name_widget(self.capacity, "mediumCapacity", _("Capacity (GB)"))
        self.capacity.setRange(0, 100_000)
        form = QFormLayout()
        form.addRow(_("Medium"), self.kind)
        form.addRow(_("Serial number"), self.serial)
        form.addRow(_("Capacity (GB)"), self.capacity)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self):
        from ..services.assets import MediumSpec

        serial = self.serial.text().strip() or None
        return MediumSpec(self.kind.currentData(), serial, self.capacity.value() or None)
