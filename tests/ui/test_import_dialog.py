"""The import dialog: a small file is read, mapped, checked and imported off the GUI thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox
from sqlalchemy import func, select

from app.models import Asset, Role
from app.services import auth
from app.ui.import_dialog import ImportDialog

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


@pytest.fixture
def technician(ui_database, admin):
    with ui_database.session() as session:
        return auth.add_user(session, admin, "tom", "Tom Technieker", Role.TECHNICIAN, "tech-pass-1")


@pytest.fixture
def dialog(qtbot, ui_database, technician, english):
    dialog = ImportDialog(ui_database, technician)
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    dialog.pool.waitForDone()


def asset_count(database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Asset))


def checked(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.plan is not None and not dialog.busy, timeout=10_000)


def test_a_snipeit_export_is_mapped_and_checked_without_help(qtbot, dialog):
    dialog.load_file(str(DATA / "snipeit-export.csv"))
    checked(qtbot, dialog)
    assert "Snipe-IT" in dialog.format_label.text()
    serial_combo = dialog.findChild(QComboBox, f"mapping_{dialog.table.header.index('Serial')}")
    assert serial_combo.currentData() == "serial"
    assert dialog.findChild(QComboBox, "mapping_0").currentData() is None  # Company
    assert dialog.preview_model.rowCount() == 9
    assert "new: 9" in dialog.summary.text() and "rejected: 0" in dialog.summary.text()


def test_rejected_rows_are_listed_with_their_line_and_nothing_is_imported(qtbot, dialog, ui_database):
    dialog.load_file(str(DATA / "malformed.csv"))
    checked(qtbot, dialog)
    dialog.only_rejected.setChecked(True)
    lines = [dialog.proxy.index(r, 0).data() for r in range(dialog.proxy.rowCount())]
    assert lines == [3, 4, 5, 6, 7, 8, 11, 12]
    assert "not a date" in dialog.proxy.index(0, 7).data()
    assert dialog.all_or_nothing.isChecked()
    qtbot.mouseClick(dialog.import_button, qtbot_left())
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert dialog.result_label.text().startswith("Nothing was imported")
    assert asset_count(ui_database) == 0


def test_only_the_valid_rows_are_imported_and_the_result_says_what_was_left_out(qtbot, dialog,
                                                                                ui_database):
    dialog.load_file(str(DATA / "malformed.csv"))
    checked(qtbot, dialog)
    dialog.valid_only.setChecked(True)
    with qtbot.waitSignal(dialog.changed, timeout=10_000) as changed:
        qtbot.mouseClick(dialog.import_button, qtbot_left())
    assert changed.args == ["asset"]
    qtbot.waitUntil(lambda: not dialog.busy)
    assert "INCOMPLETE" in dialog.result_label.text() and "8" in dialog.result_label.text()
    assert asset_count(ui_database) == 2
    assert not dialog.import_button.isEnabled()  # a second import needs a new check
    assert dialog.preview_model.index(0, 2).data().startswith("CD")  # line 2 got its tag


def test_columns_of_an_unknown_layout_are_mapped_by_hand(qtbot, dialog, ui_database, tmp_path):
    path = tmp_path / "eigen.csv"
    path.write_text("S/N;Merk;Type;Soort\nABC-1;Dell;Latitude 7490;Laptop\n", encoding="utf-8")
    dialog.load_file(str(path))
    qtbot.waitUntil(lambda: dialog.table is not None and not dialog.busy, timeout=10_000)
    assert dialog.plan is None and "not recognised" in dialog.format_label.text()
    for index, field in enumerate(("serial", "manufacturer", "model", "category")):
        combo = dialog.findChild(QComboBox, f"mapping_{index}")
        combo.setCurrentIndex(combo.findData(field))
    qtbot.mouseClick(dialog.check_button, qtbot_left())
    checked(qtbot, dialog)
    assert dialog.plan.new == 1
    qtbot.mouseClick(dialog.import_button, qtbot_left())
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert dialog.result.ok and asset_count(ui_database) == 1


def test_an_unreadable_file_is_explained(qtbot, dialog, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    dialog.load_file(str(path))
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert ".xlsx" in dialog.error.text()
    assert not dialog.check_button.isEnabled()


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
