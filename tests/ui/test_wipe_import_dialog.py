"""The wipe-report import at the bench: every file on its own row, its name readable, the result
whole, and a summary that counts in the reader's language."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.models import Role
from app.services import auth
from app.ui.wipe_import_dialog import WipeImportDialog

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "wipe"
LONG_NAME = "nwipe_report_2026-12-03-10-22-33_Model_Samsung_SSD_870_EVO_Serial_S4EVNX0R123456.json"


def test_a_refused_report_keeps_its_name_readable_and_is_counted(qtbot, ui_database, admin, tmp_path):
    with ui_database.session() as s:
        tech = auth.add_user(s, admin, "tine", "Tine Technieker", Role.TECHNICIAN, "tech-pass-1")
    report = tmp_path / LONG_NAME
    shutil.copy(SAMPLES / "nwipe-unknown-serial.json", report)
    dialog = WipeImportDialog(ui_database, tech)
    qtbot.addWidget(dialog)
    dialog.show()
    outcomes = dialog.import_paths([str(report)])
    assert [o.ok for o in outcomes] == [False]
    assert dialog.summary.text() == "1 file read · 0 wipes recorded · 1 file refused"
    name = dialog.table.item(0, 0)
    assert name.text() == LONG_NAME and name.toolTip() == str(report)
    assert dialog.table.columnWidth(0) >= 240  # not "nwipe-…"
    result = dialog.table.item(0, 2)
    assert result.text() == f"refused — {outcomes[0].message}"  # as the command line says it
    # the reason wraps rather than being cut: the row is as tall as the text needs
    assert dialog.table.rowHeight(0) >= dialog.table.sizeHintForRow(0)
