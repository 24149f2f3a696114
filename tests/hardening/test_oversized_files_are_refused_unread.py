"""Finding 15: a file's size and a workbook's dimensions are checked before it is read whole."""

from __future__ import annotations

import io
import os
import re
import zipfile

import pytest
from hardening_helpers import workbook
from openpyxl import Workbook

from app.services import asset_import, wipe_reports
from app.services.asset_import import (
    SheetTooLarge,
    TooManyColumns,
    TooManyRows,
    WorkbookTooLarge,
)


def with_sheet_xml(data: bytes, rows_xml: str) -> bytes:
    """The workbook with its first sheet's rows replaced, without a <dimension>: as a hostile or
    careless writer makes it."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r"<dimension[^>]*/>", "", content.decode())
                text = re.sub(r"<sheetData>.*</sheetData>|<sheetData/>",
                              f"<sheetData>{rows_xml}</sheetData>", text, flags=re.DOTALL)
                content = text.encode()
            target.writestr(info, content)
    return out.getvalue()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_as_not_an_ordinary_file(session, technician, capsys):
    assert asset_import.cli_import_assets(session, technician, "/dev/zero", None, True) == 1
    assert "not an ordinary file" in capsys.readouterr().out


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_among_wipe_reports_is_refused_and_the_others_still_read(session, technician,
                                                                           tmp_path):
    outcomes = wipe_reports.import_files(session, technician, ["/dev/zero", tmp_path / "gone.json"])
    assert [(o.ok, "ordinary file" in o.message) for o in outcomes] == [(False, True), (False, False)]


def test_a_three_gigabyte_register_is_refused_by_its_size_before_it_is_read(session, technician,
                                                                            tmp_path, capsys):
    big = tmp_path / "register.csv"
    with open(big, "wb") as fh:
        fh.truncate(3 * 1024**3)  # sparse: takes no room, reads as 3 GB of zeros
    assert asset_import.cli_import_assets(session, technician, str(big), None, True) == 1
    assert "too large (3072 MB, at most 200 MB)" in capsys.readouterr().out


def test_a_three_gigabyte_wipe_report_is_refused_by_its_size(session, technician, tmp_path):
    big = tmp_path / "report.json"
    with open(big, "wb") as fh:
        fh.truncate(3 * 1024**3)
    [outcome] = wipe_reports.import_files(session, technician, [big])
    assert not outcome.ok and "too large" in outcome.message


def test_a_sheet_declaring_column_xfd_is_refused_before_its_rows_are_read():
    book = Workbook()
    book.active["A1"], book.active["XFD200000"] = "serial", "x"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SheetTooLarge, match="200000 rows, 16384 columns"):
        asset_import.read_table(out.getvalue(), "register.xlsx")


def test_rows_reaching_column_xfd_without_a_declared_dimension_are_refused_at_the_first(session):
    rows = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(1, 200_001))
    data = with_sheet_xml(workbook(), rows)
    assert len(data) < 3 * 1024 * 1024  # the 2 MB file of the finding
    with pytest.raises(TooManyColumns, match="column 16384"):
        asset_import.read_table(data, "register.xlsx")


def test_a_sheet_with_more_rows_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(asset_import, "MAX_ROWS", 3)
    data = with_sheet_xml(workbook(), "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>SN{n}</t></is></c></row>'
        for n in range(1, 10)))
    with pytest.raises(TooManyRows, match="more than 3 rows"):
        asset_import.read_table(data, "register.xlsx")


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(asset_import, "MAX_UNPACKED_BYTES", 1024)
    with pytest.raises(WorkbookTooLarge):
        asset_import.read_table(workbook(["SN-1", "Dell", "Latitude", "laptop"]), "register.xlsx")


def test_an_ordinary_workbook_is_still_read(session):
    plan = asset_import.validate(session, workbook(["SN-1", "Dell", "Latitude", "laptop"]),
                                 "register.xlsx")
    assert [r.action.value for r in plan.rows] == ["new"]


def test_an_empty_formatted_cell_far_to_the_right_does_not_refuse_the_sheet(session):
    header = ('<row r="1"><c r="A1" t="inlineStr"><is><t>serial</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>manufacturer</t></is></c>'
              '<c r="C1" t="inlineStr"><is><t>model</t></is></c>'
              '<c r="D1" t="inlineStr"><is><t>category</t></is></c><c r="XFD1" s="0"/></row>')
    row = ('<row r="2"><c r="A2" t="inlineStr"><is><t>SN-1</t></is></c>'
           '<c r="B2" t="inlineStr"><is><t>Dell</t></is></c>'
           '<c r="C2" t="inlineStr"><is><t>Latitude</t></is></c>'
           '<c r="D2" t="inlineStr"><is><t>laptop</t></is></c></row>')
    data = with_sheet_xml(workbook(), header + row)
    plan = asset_import.validate(session, data, "register.xlsx")
    assert [r.action.value for r in plan.rows] == ["new"]
