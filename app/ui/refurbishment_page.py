"""The refurbishment bench: put a received device on it, check, wipe, grade, pass or fail.

A scan of an asset tag (or serial number) loads the device; a `received`
device goes on the bench (`in_refurbishment`) at once, a device in any other
status is refused with a message and nothing changes. The page shows the
category's checklist with the stored answers, the cosmetic grade, every
storage medium with its sanitisation state, and what still blocks passing —
the same reasons the lifecycle guard gives, so the screen never promises a
pass the service will refuse. Wipes are recorded by the technician and
verified by a second person who signs in on the spot (four eyes). Command
barcodes: DONE passes the checks, CANCEL takes the device off the screen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ..config import Settings
from ..db import Database
from ..i18n import _
from ..models import AssetStatus, Grade, User
from ..services import assets as asset_service
from ..services import lifecycle, refurbishment, sanitisation
from ..services.codes import Command, ScanKind, classify, normalise_serial
from ..services.documents.intake_receipt import category_name
from ..services.permissions import allowed, refusal
from ..services.refurbishment import ChecklistItem
from ..timefmt import format_local
from .bench_widgets import (
    METHOD_NAMES,
    ChecklistWidget,
    MediaTableModel,
    MediumRow,
    StoredAnswer,
    VerifyDialog,
    WipeDialog,
    medium_kind_name,
    technique_name,
)
from .feedback import COLOURS, ScanBar, ScanFeedback
from .page_frame import PageFrame
from .service_call import ScanPageMixin, call_service
from .style import ERROR
from .widgets import enable_for_role, give_key, name_widget

log = logging.getLogger(__name__)
PROBLEMS_WIDTH = 270  # px: the verdict buttons and a reason in two or three lines

_STYLE = f"""
QLabel#benchDevice {{ font-size: 14pt; font-weight: 600; color: #1b1f23; }}
QLabel#benchEmpty {{ font-size: 14pt; color: #57606a; padding: 24px 4px; }}
QLabel#checklistHeader {{ color: #57606a; font-weight: 600; }}
QFrame#gradeStrip, QFrame#checklistBox {{ border: 1px solid #d0d7de; border-radius: 4px; }}
QFrame#checklistBox QScrollArea, QFrame#checklistBox #checklist {{
    border: none; background: transparent;
}}
QLabel#gradeTitle {{ font-weight: 600; }}
QLabel#benchProblems[state="blocked"] {{ color: {ERROR}; }}
QLabel#benchProblems[state="clear"] {{ color: {COLOURS["good"]}; }}
QRadioButton[outcome="fail"]:checked {{ color: {ERROR}; }}
QGroupBox {{ font-weight: 600; }}
QGroupBox QLabel, QGroupBox QRadioButton, QGroupBox QTableView {{ font-weight: normal; }}
"""


@dataclass
class BenchView:
    """Everything the bench shows about one device, read in one session as plain values."""

    asset_id: int
    tag: str
    model: str
    category: str
    serial: str | None
    status: AssetStatus
    grade: Grade | None
    items: tuple[ChecklistItem, ...]
    answers: dict[str, StoredAnswer]
    media: list[MediumRow]
    problems: list[str]  # English source texts, translated when shown


def read_bench(session: Session, asset_id: int) -> BenchView:
    state = refurbishment.bench_state(session, asset_id)
    asset = state.asset

    def name(user_id: int | None) -> str | None:
        user = session.get(User, user_id) if user_id else None
        return user.display_name if user else None

    media = []
    for status in state.media:
        m, rec = status.medium, status.record
        media.append(
            MediumRow(
                medium_id=m.id,
                kind=m.kind.value,
                serial=m.serial,
                capacity_gb=m.capacity_gb,
                removed=m.removed,
                state=status.state,
                record_id=rec.id if rec else None,
                method=rec.method.value if rec else None,
                technique=rec.technique if rec else None,
                tool=" ".join(p for p in (rec.tool, rec.tool_version) if p) if rec else None,
                operator=name(rec.operator_id) if rec else None,
                performed_at=format_local(rec.performed_at) if rec else None,
                verifier=name(rec.verifier_id) if rec else None,
                verified_at=format_local(rec.verified_at) if rec and rec.verified_at else None,
            )
        )
    answers = {key: StoredAnswer(r.outcome, r.value, r.note) for key, r in state.answers.items()}
    return BenchView(
        asset.id,
        asset.tag,
        f"{asset.manufacturer} {asset.model}",
        asset.category.value,
        asset.serial,
        asset.status,
        asset.grade,
        state.checklist.items,
        answers,
        media,
        state.problems,
    )


# The bench's command barcodes (the second page of the command sheet).
GRADE_COMMANDS = {Command.GRADE_A: Grade.A, Command.GRADE_B: Grade.B, Command.GRADE_C: Grade.C,
                  Command.GRADE_D: Grade.D}


class RefurbishmentPage(ScanPageMixin, QWidget):
    """Page key "refurbishment". `handle_scan(code)` is the entry point for every scan."""

    changed = Signal(str)  # entity type that changed ("asset"), for other pages

    def __init__(self, database: Database, user: User, settings: Settings | None = None) -> None:
        super().__init__()
        self.database = database
        self.user = user
        self.settings = settings or Settings.load()
        self.view: BenchView | None = None
        self.dialog: QDialog | None = None
        self.last_message = ""
        # The tool of the last wipe: the next disk is usually wiped the same way.
        self._wipe_defaults: dict = {}
        self.setStyleSheet(_STYLE)

        self.feedback = ScanFeedback(self, muted=bool(self.settings.extra.get("sound_muted")))
        self.scan_bar = ScanBar(self.feedback)
        self.scan_entry = QLineEdit()
        name_widget(self.scan_entry, "benchScanEntry", _("Scan or type a serial number or tag"))
        self.scan_entry.setPlaceholderText(_("Scan or type a serial number or tag, then Enter"))
        self.scan_entry.setMinimumWidth(380)
        self.scan_entry.returnPressed.connect(self._typed_scan)

        self.empty_notice = QLabel(
            _("Scan the asset tag or serial number of a received device to put it on the bench.")
        )
        name_widget(self.empty_notice, "benchEmpty", self.empty_notice.text())
        self.empty_notice.setWordWrap(True)
        self.empty_notice.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.device_label = QLabel()
        name_widget(self.device_label, "benchDevice", _("Device on the bench"))

        # --- checklist ---------------------------------------------------------------------
        self.checklist = ChecklistWidget()
        scroll = QScrollArea()
        scroll.setObjectName("checklistScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.checklist)
        self.save_button = QPushButton()
        give_key(self.save_button, _("Save checklist"), "F2")
        name_widget(self.save_button, "saveChecklist", _("Save checklist"))
        self.save_button.clicked.connect(self.save_checklist)
        checklist_box = QFrame()  # its column header says "Checklist": no group title, more rows
        checklist_box.setObjectName("checklistBox")
        checklist_layout = QVBoxLayout(checklist_box)
        checklist_layout.setContentsMargins(8, 6, 8, 8)
        checklist_layout.addWidget(scroll, 1)

        # --- grade -------------------------------------------------------------------------
        self.grade_group = QButtonGroup(self)
        self.grade_buttons: dict[Grade, QRadioButton] = {}
        grade_row = QHBoxLayout()
        for grade in Grade:
            button = QRadioButton(grade.value)
            name_widget(button, f"grade{grade.value}", _("Grade {grade}", grade=grade.value))
            button.setToolTip(refurbishment.grade_definition(grade))
            self.grade_group.addButton(button)
            self.grade_buttons[grade] = button
            grade_row.addWidget(button)
        self.grade_group.buttonClicked.connect(self._grade_clicked)
        self.grade_definition = QLabel()
        name_widget(self.grade_definition, "gradeDefinition", _("Grade definition"))
        self.grade_definition.setWordWrap(True)
        grade_title = QLabel(_("Cosmetic grade"))
        grade_title.setObjectName("gradeTitle")
        grade_strip = QFrame()
        grade_strip.setObjectName("gradeStrip")
        grade_layout = QHBoxLayout(grade_strip)
        grade_layout.setContentsMargins(10, 4, 10, 4)
        grade_layout.setSpacing(16)
        grade_layout.addWidget(grade_title)
        grade_layout.addLayout(grade_row)
        grade_layout.addWidget(self.grade_definition, 1)

        # --- storage media -----------------------------------------------------------------
        self.media_model = MediaTableModel(self)
        self.media_table = QTableView()
        name_widget(self.media_table, "mediaTable", _("Storage media"))
        self.media_table.setModel(self.media_model)
        self.media_table.verticalHeader().hide()
        self.media_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.media_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.media_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.media_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.media_table.setWordWrap(False)
        self.media_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.media_table.horizontalHeader()
        # Every column fits its contents but the serial: it takes the rest, elided in the middle
        # so that both ends stay readable (the full serial is in its tooltip).
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.wipe_button = QPushButton()
        name_widget(self.wipe_button, "recordWipe", _("Record wipe…"))
        give_key(self.wipe_button, _("Record wipe…"), "F4")
        self.wipe_button.clicked.connect(self.open_wipe_dialog)
        self.verify_button = QPushButton()
        name_widget(self.verify_button, "verifyWipe", _("Verify…"))
        give_key(self.verify_button, _("Verify…"), "F6")
        self.verify_button.clicked.connect(self.open_verify_dialog)
        self.media_table.selectionModel().selectionChanged.connect(self._update_media_buttons)
        self.import_button = QPushButton(_("Import wipe reports…"))
        name_widget(self.import_button, "importWipeReports", _("Import wipe reports…"))
        self.import_button.clicked.connect(self.open_import_dialog)
        self.add_medium_button = QPushButton(_("Add medium…"))
        name_widget(self.add_medium_button, "addMedium", _("Add medium…"))
        self.add_medium_button.clicked.connect(self.open_add_medium_dialog)
        self.certificate_button = QPushButton(_("Certificate"))
        name_widget(self.certificate_button, "sanitisationCertificate", _("Certificate"))
        self.certificate_button.setToolTip(_("Issue and print the data sanitisation certificate of this device"))
        self.certificate_button.clicked.connect(self.issue_certificate)
        self.parts_button = QPushButton(_("Spare parts…"))
        name_widget(self.parts_button, "spareParts", _("Spare parts…"))
        self.parts_button.clicked.connect(self.open_parts_dialog)
        # What acts on the selected medium stays by the media; the rest is in the action bar.
        media_buttons = QHBoxLayout()
        media_buttons.addWidget(self.wipe_button)
        media_buttons.addWidget(self.verify_button)
        media_buttons.addWidget(self.add_medium_button)
        media_buttons.addStretch(1)
        media_box = QGroupBox(_("Storage media"))
        media_box.setObjectName("mediaBox")
        media_layout = QVBoxLayout(media_box)
        media_layout.addWidget(self.media_table, 1)
        media_layout.addLayout(media_buttons)

        # --- problems and the verdict ------------------------------------------------------
        self.problems_label = QLabel()
        name_widget(self.problems_label, "benchProblems", _("Problems"))
        self.problems_label.setWordWrap(True)
        self.problems_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.pass_button = QPushButton()
        name_widget(self.pass_button, "passChecks", _("Pass checks"))
        give_key(self.pass_button, _("Pass checks"), "F9")
        self.pass_button.clicked.connect(self.pass_checks)
        self.fail_button = QPushButton()
        name_widget(self.fail_button, "failChecks", _("Fail checks"))
        give_key(self.fail_button, _("Fail checks"), "F8")
        self.fail_button.clicked.connect(lambda: self.fail_checks())
        problems_box = QGroupBox(_("Problems"))
        problems_box.setObjectName("problemsBox")
        problems_layout = QVBoxLayout(problems_box)
        problems_layout.addWidget(self.problems_label, 1)

        # Grade and media on the left, what blocks passing and the verdict beside them.
        bottom = QGridLayout()
        bottom.setHorizontalSpacing(12)
        bottom.setVerticalSpacing(6)
        bottom.addWidget(grade_strip, 0, 0)
        bottom.addWidget(media_box, 1, 0)
        bottom.addWidget(problems_box, 0, 1, 2, 1)
        bottom.setColumnStretch(0, 1)
        problems_box.setFixedWidth(PROBLEMS_WIDTH)

        self.bench_panel = QWidget()
        name_widget(self.bench_panel, "benchPanel", _("Device on the bench"))
        bench_layout = QVBoxLayout(self.bench_panel)
        bench_layout.setContentsMargins(0, 0, 0, 0)
        bench_layout.setSpacing(6)
        bench_layout.addWidget(self.device_label)
        bench_layout.addWidget(checklist_box, 1)
        bench_layout.addLayout(bottom)

        self.frame = PageFrame(self, _("Refurbishment"), scan_bar=self.scan_bar,
                               tools=[self.scan_entry])
        self.frame.add(self.empty_notice, 1)
        self.frame.add(self.bench_panel, 1)
        self.frame.actions.add(self.save_button, self.pass_button, self.fail_button)
        self.frame.actions.add(self.import_button, self.parts_button, self.certificate_button,
                               right=True)
        if not allowed(user, "bench.record"):  # say who works at the bench, not a bare refusal
            self.empty_notice.setText(str(refusal(user, "bench.record")))
        enable_for_role(self.import_button, user, "sanitisation.record")
        self._show(None)

    # --- plumbing ----------------------------------------------------------------------

    def _show(self, view: BenchView | None) -> None:
        """Show a device on the bench (or none); keeps the selected medium where it can."""
        selected = self.selected_medium()
        self.view = view
        self.empty_notice.setVisible(view is None)
        self.bench_panel.setVisible(view is not None)
        for button in (self.save_button, self.pass_button, self.fail_button, self.parts_button,
                       self.certificate_button):  # they act on the device on the bench
            button.setVisible(view is not None)
        if view is None:
            self.media_model.set_media([])
            self.scan_entry.setFocus()
            return
        parts = [view.tag, view.model, category_name(view.category)]
        if view.serial:
            parts.append(_("S/N {serial}", serial=view.serial))
        parts.append(lifecycle.status_label(view.status))
        self.device_label.setText("  ·  ".join(parts))
        self.checklist.set_items(view.items, view.answers)
        self._show_grade(view.grade)
        self.media_model.set_media(view.media)
        self._fit_media_table()
        ids = [m.medium_id for m in view.media]
        row = ids.index(selected.medium_id) if selected and selected.medium_id in ids else 0
        if view.media:
            self.media_table.selectRow(row)
        self._update_media_buttons()
        if view.problems:
            self.problems_label.setText(
                _("Cannot pass yet:") + "\n" + "\n".join(f"•  {_(p)}" for p in view.problems)
            )
            self.problems_label.setProperty("state", "blocked")
        else:
            self.problems_label.setText(_("Nothing blocks passing: the device can pass."))
            self.problems_label.setProperty("state", "clear")
        self.problems_label.style().unpolish(self.problems_label)
        self.problems_label.style().polish(self.problems_label)

    def _show_grade(self, grade: Grade | None) -> None:
        if grade is None:
            self.grade_group.setExclusive(False)
            for button in self.grade_buttons.values():
                button.setChecked(False)
            self.grade_group.setExclusive(True)
            self.grade_definition.setText(
                _("Choose the grade that matches the casing and the screen.")
            )
        else:
            self.grade_buttons[grade].setChecked(True)
            self.grade_definition.setText(refurbishment.grade_definition(grade))

    def _reload(self) -> None:
        if self.view is None:
            return
        ok, view = self._call(lambda s: read_bench(s, self.view.asset_id))
        if ok:
            self._show(view)

    def _fit_media_table(self) -> None:
        # As tall as its rows (up to four, then it scrolls): the checklist above needs the room.
        table = self.media_table
        rows = min(max(len(self.media_model.media), 1), 4)
        height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        height += sum(
            table.verticalHeader().sectionSize(r)
            if r < self.media_model.rowCount()
            else table.verticalHeader().defaultSectionSize()
            for r in range(rows)
        )
        table.setFixedHeight(height)

    def selected_medium(self) -> MediumRow | None:
        rows = self.media_table.selectionModel().selectedRows() if self.media_table.model() else []
        if not rows or not self.media_model.media:
            return None
        return self.media_model.media[rows[0].row()]

    def select_medium(self, medium_id: int) -> None:
        ids = [m.medium_id for m in self.media_model.media]
        self.media_table.selectRow(ids.index(medium_id))

    def _update_media_buttons(self, *_args) -> None:
        medium = self.selected_medium()
        enable_for_role(self.wipe_button, self.user, "sanitisation.record", medium is not None)
        self.verify_button.setEnabled(  # a technician asks a manager to verify (four eyes)
            medium is not None and medium.state == sanitisation.MediumState.UNVERIFIED
        )
        for button, permission in ((self.save_button, "bench.record"),
                                   (self.pass_button, "lifecycle.pass_checks"),
                                   (self.fail_button, "lifecycle.fail_checks"),
                                   (self.certificate_button, "sanitisation.certificate"),
                                   (self.add_medium_button, "bench.record")):
            enable_for_role(button, self.user, permission)

    # --- scans -------------------------------------------------------------------------

    def _typed_scan(self) -> None:
        text = self.scan_entry.text()
        self.scan_entry.clear()
        if text.strip():
            self.handle_scan(text)

    def handle_scan(self, code: str) -> None:
        """A scan from the scanner (anywhere in the window) or typed in the scan field."""
        scan = classify(code)
        if self.dialog is not None and self.dialog.isVisible():
            self._bad(_("Finish or close the open dialog first."), code=scan.value or code)
            return
        if scan.kind == ScanKind.COMMAND:
            self.run_command(Command(scan.value))
        elif scan.kind in (ScanKind.TAG, ScanKind.SERIAL):
            self.load_device(scan.value, scan.kind)
        elif scan.kind == ScanKind.INVALID_TAG:
            self._bad(
                _(
                    "“{code}” looks like an asset tag but its check digit is wrong: scan it again.",
                    code=scan.value,
                ),
                code=scan.value,
            )
        else:
            self._bad(
                _("Not a serial number or asset tag: “{code}”.", code=scan.value or code),
                code=scan.value or code,
            )

    def run_command(self, command: Command) -> None:
        if command in (Command.DONE, Command.PASS):
            self.pass_checks()
        elif command == Command.FAIL:
            self.fail_checks()
        elif command in GRADE_COMMANDS:
            self.set_grade(GRADE_COMMANDS[command])
        elif command == Command.CANCEL:
            self.clear()
        else:
            self._bad(_("This command is not used at the bench."), code=command.value)

    def load_device(self, code: str, kind: ScanKind = ScanKind.TAG) -> None:
        """Open the scanned device at the bench; a received device goes on the bench at once."""
        if self.view is not None and code in (
            self.view.tag,
            normalise_serial(self.view.serial or ""),
        ):
            self._good(code, _("{tag} is already on the bench.", tag=self.view.tag))
            return
        if self.view is not None and self.checklist.is_changed():
            self._bad(
                _(
                    "The checklist of {tag} has unsaved answers: save it first, or scan CANCEL.",
                    tag=self.view.tag,
                ),
                code=code,
            )
            return

        def open_at_bench(session: Session):
            asset = (
                asset_service.get_by_tag(session, code)
                if kind == ScanKind.TAG
                else asset_service.get_by_serial(session, code)
            )
            if asset.status not in (AssetStatus.RECEIVED, AssetStatus.IN_REFURBISHMENT):
                return None, asset
            started = asset.status == AssetStatus.RECEIVED
            refurbishment.start(session, self.user, asset.id)
            return read_bench(session, asset.id), started

        ok, result = self._call(open_at_bench, code=code)
        if not ok:
            return
        view, detail = result
        if view is None:  # not for the bench: say so, keep whatever is on the bench now
            asset = detail
            self._bad(
                _(
                    "{tag} ({model}) is “{status}”: only received devices go on the bench. "
                    "Nothing was changed.",
                    tag=asset.tag,
                    model=f"{asset.manufacturer} {asset.model}",
                    status=lifecycle.status_label(asset.status),
                ),
                code=asset.tag,
            )
            return
        self._show(view)
        if detail:
            self.changed.emit("asset")
            self._good(
                view.tag, _("{tag} is on the bench now: {model}.", tag=view.tag, model=view.model)
            )
        else:
            self._good(
                view.tag,
                _("{tag} was already on the bench: {model}.", tag=view.tag, model=view.model),
            )
        focus = self.checklist.first_focus()
        if focus is not None:
            focus.setFocus()

    def clear(self) -> None:
        """CANCEL: take the device off the screen; it stays in refurbishment."""
        if self.view is None:
            self._good("", _("The bench is empty."))
            return
        tag, unsaved = self.view.tag, self.checklist.is_changed()
        self._show(None)
        text = _("{tag} was put aside; it stays in refurbishment.", tag=tag)
        if unsaved:
            text += " " + _("Unsaved answers were not stored.")
        self._good(tag, text)

    # --- the checklist and the grade ---------------------------------------------------

    def save_checklist(self) -> None:
        if self.view is None:
            self._bad(_("Scan a device first."))
            return
        answers = self.checklist.changed_answers()
        if not answers:
            self._good(self.view.tag, _("The checklist has no unsaved answers."))
            return
        asset_id = self.view.asset_id
        ok, _rows = self._call(
            lambda s: refurbishment.record_items(s, self.user, asset_id, answers)
        )
        if not ok:
            return
        self._reload()
        self.changed.emit("asset")
        self._good(self.view.tag, _("Checklist saved; answers stored: {n}.", n=len(answers)))

    def _grade_clicked(self, button: QRadioButton) -> None:
        grade = next(g for g, b in self.grade_buttons.items() if b is button)
        self.set_grade(grade)

    def set_grade(self, grade: Grade | str) -> None:
        grade = Grade(grade)
        if self.view is None:
            self._bad(_("Scan a device first."))
            return
        if self.view.grade == grade:
            return
        asset_id = self.view.asset_id
        ok, _asset = self._call(lambda s: refurbishment.set_grade(s, self.user, asset_id, grade))
        if not ok:
            self._show_grade(self.view.grade)
            return
        self._reload()
        self.changed.emit("asset")
        self._good(
            self.view.tag,
            _(
                "Grade {grade}: {definition}",
                grade=grade.value,
                definition=refurbishment.grade_definition(grade),
            ),
        )

    # --- sanitisation ------------------------------------------------------------------

    def open_wipe_dialog(self) -> WipeDialog | None:
        medium = self.selected_medium()
        if self.view is None or medium is None:
            self._bad(_("Choose a storage medium first."))
            return None

        def record(values: dict) -> None:
            call_service(
                self.database.session,
                lambda s: sanitisation.record(s, self.user, medium.medium_id, **values),
            )

        dialog = WipeDialog(medium, record, self._wipe_defaults, self)
        dialog.accepted.connect(lambda: self._wipe_recorded(medium, dialog.values))
        return self._open_dialog(dialog)

    def _wipe_recorded(self, medium: MediumRow, values: dict) -> None:
        self._wipe_defaults = {
            k: values[k] for k in ("method", "tool", "tool_version", "verification_method")
        }
        self._reload()
        self.changed.emit("asset")
        if values["verification_result"] == "passed":
            self._good(
                self.view.tag,
                _(
                    "Wipe of {medium} recorded: a manager verifies it next.",
                    medium=medium.describe(),
                ),
            )
        else:
            self._bad(
                _(
                    "Wipe of {medium} recorded as failed: wipe it again or destroy it.",
                    medium=medium.describe(),
                )
            )

    def open_verify_dialog(self) -> VerifyDialog | None:
        medium = self.selected_medium()
        if self.view is None or medium is None or medium.record_id is None:
            self._bad(_("This medium has no wipe record to verify yet."))
            return None
        if medium.state != sanitisation.MediumState.UNVERIFIED:
            self._bad(_("This medium has no wipe record waiting for verification."))
            return None
        method = f"{_(METHOD_NAMES[medium.method])}, {technique_name(medium.technique or '')}"
        summary = _(
            "{medium}: {method} by {operator} on {time}.",
            medium=medium.describe(),
            method=method,
            operator=medium.operator or _("someone"),
            time=medium.performed_at or "",
        )
        dialog = VerifyDialog(self.database.session, medium.record_id, summary, self)
        dialog.accepted.connect(lambda: self._wipe_verified(medium, dialog.verifier_name))
        return self._open_dialog(dialog)

    def _open_dialog(self, dialog):
        # open(), not exec(): the window stays alive; scans are refused until the dialog is done.
        if self.dialog is not None:
            self.dialog.deleteLater()  # the previous one has been answered by now
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_import_dialog(self):
        from .wipe_import_dialog import WipeImportDialog

        dialog = WipeImportDialog(self.database, self.user, self)
        dialog.finished.connect(lambda _result: self._reload() if self.view else None)
        return self._open_dialog(dialog)

    def open_parts_dialog(self):
        from .spare_parts_dialog import SparePartsDialog

        return self._open_dialog(SparePartsDialog(self.database, self.user, self))

    def open_add_medium_dialog(self):
        if self.view is None:
            self._bad(_("Scan a device first."))
            return None
        from .bench_widgets import AddMediumDialog

        view = self.view
        dialog = AddMediumDialog(self)

        def add() -> None:
            spec = dialog.value()
            ok, _medium = self._call(lambda s: asset_service.add_medium(s, self.user, view.asset_id, spec),
                                     code=view.tag)
            if ok:
                self._reload()
                self.changed.emit("asset")
                self._good(view.tag, _("Storage medium added: wipe it and have it verified."))

        dialog.accepted.connect(add)
        return self._open_dialog(dialog)

    def issue_certificate(self) -> None:
        if self.view is None:
            self._bad(_("Scan a device first."))
            return
        from ..services import certificates
        from .printing import LabelPrinter

        view = self.view
        ok, document = self._call(
            lambda s: certificates.issue_sanitisation_certificate(s, self.user, [view.asset_id]),
            code=view.tag)
        if not ok:
            return
        where = LabelPrinter.for_desk(self.settings).print_document(
            document.pdf, document.number)
        self._good(view.tag, _("Certificate {number}: {where}", number=document.number, where=where))

    def _wipe_verified(self, medium: MediumRow, verifier: str | None) -> None:
        self._reload()
        self.changed.emit("asset")
        self._good(
            self.view.tag,
            _(
                "The wipe of {medium} was verified by {name}.",
                medium=f"{medium_kind_name(medium.kind)} {medium.serial or ''}".strip(),
                name=verifier or "",
            ),
        )

    # --- the verdict -------------------------------------------------------------------

    def pass_checks(self) -> None:
        if self.view is None:
            self._bad(_("Scan a device first."))
            return
        if self.checklist.is_changed():
            self._bad(_("The checklist has unsaved answers: save it first."), code=self.view.tag)
            return
        view = self.view
        ok, _asset = self._call(
            lambda s: refurbishment.pass_checks(s, self.user, view.asset_id), code=view.tag
        )
        if not ok:
            self._reload()  # the problems list says the same, in full
            return
        self._show(None)
        self.changed.emit("asset")
        self._good(view.tag, _("{tag} passed the checks: ready for its second life.", tag=view.tag))

    def confirm_fail(self, tag: str) -> bool:
        answer = QMessageBox.question(
            self,
            _("Fail checks"),
            _(
                "{tag} will not get a second life: it goes to the devices awaiting disposal. Continue?",
                tag=tag,
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def fail_checks(self, confirmed: bool = False) -> None:
        if self.view is None:
            self._bad(_("Scan a device first."))
            return
        view = self.view
        if not confirmed and not self.confirm_fail(view.tag):
            return
        ok, _asset = self._call(lambda s: refurbishment.fail_checks(s, self.user, view.asset_id))
        if not ok:
            return
        self._show(None)
        self.changed.emit("asset")
        self._good(view.tag, _("{tag} failed the checks: it awaits disposal.", tag=view.tag))
