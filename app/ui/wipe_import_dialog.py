"""Import wipe reports at the bench: drop files (or pick files or a folder), see what was recorded.

Each file is recorded whole or not at all by `services.wipe_reports`; the
table says, per file, how many wipes were recorded or why nothing was.
Reports are small, so the import runs while the dialog waits (with a busy cursor).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..db import Database
from ..i18n import _, n_
from ..models import User
from ..services import wipe_reports
from .widgets import fit_columns, name_widget

log = logging.getLogger(__name__)

REPORT_SUFFIXES = (".json", ".csv")


def report_files(paths: list[str]) -> list[str]:
    """Files as given, and the reports inside any folder given (sorted, not recursive)."""
    found: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(str(p) for p in path.iterdir() if p.suffix.lower() in REPORT_SUFFIXES)
        else:
            found.append(str(path))
    return found


class WipeImportDialog(QDialog):
    def __init__(self, database: Database, user: User, parent=None) -> None:
        super().__init__(parent)
        self.database, self.user = database, user
        self.outcomes: list[wipe_reports.ImportOutcome] = []
        name_widget(self, "wipeImportDialog", _("Import wipe reports"))
        self.setWindowTitle(_("Import wipe reports"))
        self.setAcceptDrops(True)
        self.resize(820, 420)
        hint = QLabel(_("Drop nwipe JSON or CSV wipe reports here, or choose files or a folder. "
                        "A report is matched to its disk by serial number; a manager verifies the "
                        "recorded wipes afterwards."))
        hint.setWordWrap(True)
        files_button = QPushButton(_("Choose files…"))
        name_widget(files_button, "chooseReportFiles", _("Choose files…"))
        files_button.clicked.connect(self.choose_files)
        folder_button = QPushButton(_("Choose a folder…"))
        name_widget(folder_button, "chooseReportFolder", _("Choose a folder…"))
        folder_button.clicked.connect(self.choose_folder)
        self.table = QTableWidget(0, 3)
        name_widget(self.table, "wipeImportResults", _("Results"))
        self.table.setHorizontalHeaderLabels([_("File"), _("Recorded"), _("Result")])
        # The file name (elided in the middle: the serial is at its end) and the count in full, the
        # result wraps onto more lines rather than being cut.
        fit_columns(self.table, stretch=2, widths={0: 260})
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.summary = QLabel()
        name_widget(self.summary, "wipeImportSummary", _("Summary"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(files_button)
        buttons.addWidget(folder_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(close)

    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, _("Choose wipe reports"), "", _("Wipe reports (*.json *.csv)"))
        if paths:
            self.import_paths(paths)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder with wipe reports"))
        if folder:
            self.import_paths([folder])

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt API)
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_paths(paths)
            event.acceptProposedAction()

    def import_paths(self, paths: list[str]) -> list[wipe_reports.ImportOutcome]:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            files = report_files(paths)
            with self.database.session() as session:
                outcomes = wipe_reports.import_files(session, self.user, files)
        except Exception as err:  # a dropped folder must never take the window down
            log.exception("wipe report import")
            outcomes = [wipe_reports.ImportOutcome(
                ", ".join(paths), 0, False,
                wipe_reports.UnexpectedProblem(detail=type(err).__name__).translated())]
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.outcomes += outcomes
        for outcome in outcomes:
            self._add_row(outcome)
        refused = sum(1 for o in self.outcomes if not o.ok)
        recorded = sum(o.recorded for o in self.outcomes)
        self.summary.setText(" · ".join((
            n_(len(self.outcomes), "{n} file read", "{n} files read"),
            n_(recorded, "{n} wipe recorded", "{n} wipes recorded"),
            n_(refused, "{n} file refused", "{n} files refused"))))
        return outcomes

    def _add_row(self, outcome: wipe_reports.ImportOutcome) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        colour = QBrush(QColor("#1a7f37" if outcome.ok else "#a4161a"))
        result = f"{outcome.verdict} — {outcome.message}"  # as the command line prints it
        for column, text in enumerate((Path(outcome.file).name, str(outcome.recorded), result)):
            item = QTableWidgetItem(text)
            item.setToolTip(outcome.file if column == 0 else text)
            if column == 2:
                item.setForeground(colour)
            self.table.setItem(row, column, item)
        self.table.resizeRowToContents(row)
