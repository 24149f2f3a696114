"""Finding 16: hostile wipe reports are clear per-file refusals; every file of a run gets its outcome."""

from __future__ import annotations

import json

import pytest
from hardening_helpers import SSD_SERIAL
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from app.services import wipe_reports
from app.ui.wipe_import_dialog import WipeImportDialog

GOOD = {"device": {"serial_no": SSD_SERIAL},
        "wipe_result": {"status": "success", "start_time": "2026-11-20T09:12:03+01:00",
                        "end_time": "2026-11-20T10:14:41+01:00"}}
HOSTILE = {
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nested too deep"),
    "digits.json": (json.dumps(GOOD).replace('"status"', '"pass_errors": ' + "9" * 5000
                                             + ', "status"').encode(), "5000 digits"),
    "surrogate.json": (json.dumps(GOOD).replace(SSD_SERIAL, "\\ud800").encode(), "U+D800"),
    "model.json": (json.dumps({**GOOD, "device": {**GOOD["device"], "model": "\\udfff"}}).encode()
                   .replace(b"\\\\udfff", b"\\udfff"), "device.model"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_report_is_a_clear_refusal_of_that_file(session, technician, laptop, name):
    data, reason = HOSTILE[name]
    outcome = wipe_reports.import_report(session, technician, name, data)
    assert (outcome.ok, outcome.recorded) == (False, 0)
    assert reason in outcome.message


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, (data, _reason) in HOSTILE.items():
        (folder / name).write_bytes(data)
    (folder / "good.json").write_text(json.dumps(GOOD))
    return folder


def test_a_run_over_many_files_names_each_outcome_and_fails(session, technician, laptop, folder,
                                                            capsys):
    paths = sorted(str(p) for p in folder.iterdir())
    assert wipe_reports.cli_import(session, technician, paths) == 1
    lines = capsys.readouterr().out.splitlines()
    verdicts = {line.split(": ", 1)[0]: line.split(": ", 1)[1].split(" — ")[0] for line in lines[:-1]}
    assert verdicts == {p: "committed" if p.endswith("good.json") else "refused" for p in paths}
    assert lines[-1] == "Files: 5, committed: 1, refused: 4; wipes recorded: 1."


def test_an_unexpected_error_in_one_file_does_not_stop_the_others(session, technician, laptop,
                                                                  folder, monkeypatch):
    original = wipe_reports.import_report

    def broken_for_deep(session, actor, name, data):
        if name.endswith("deep.json"):
            raise RuntimeError("a bug")
        return original(session, actor, name, data)

    monkeypatch.setattr(wipe_reports, "import_report", broken_for_deep)
    outcomes = wipe_reports.import_files(session, technician, sorted(folder.iterdir()))
    assert [o.ok for o in outcomes] == [False, False, True, False, False]
    assert "unexpected problem (RuntimeError)" in outcomes[0].message


def drop(widget, *paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    # Qt delivers a drop only inside a real drag-and-drop session, which offscreen tests cannot
    # start; the event goes to the dialog's drop handler as Qt would hand it over.
    widget.dropEvent(event)


def test_a_dropped_folder_shows_every_file_with_its_outcome(qtbot, database, technician, laptop,
                                                            folder):
    dialog = WipeImportDialog(database, technician)
    qtbot.addWidget(dialog)
    dialog.show()
    drop(dialog, folder)
    rows = [(dialog.table.item(r, 0).text(), dialog.table.item(r, 2).text().split(" — ")[0])
            for r in range(dialog.table.rowCount())]
    assert rows == [("deep.json", "refused"), ("digits.json", "refused"), ("good.json", "committed"),
                    ("model.json", "refused"), ("surrogate.json", "refused")]
    assert dialog.summary.text() == "5 files read · 1 wipe recorded · 4 files refused"


def test_a_dropped_folder_that_cannot_be_listed_is_a_row_not_a_crash(qtbot, database, technician,
                                                                     tmp_path, monkeypatch):
    def unreadable(paths):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("app.ui.wipe_import_dialog.report_files", unreadable)
    dialog = WipeImportDialog(database, technician)
    qtbot.addWidget(dialog)
    dialog.show()
    drop(dialog, tmp_path)
    assert dialog.table.item(0, 2).text().startswith("refused — ")
