"""Exporting rows (the inventory's current view, the register) to CSV and XLSX, formulas made inert."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import Asset, Category
from app.services import asset_export, asset_import
from app.services.asset_export import (
    DEPOT_EXPORT_HEADERS,
    ExportFailed,
    UnknownExportFormat,
    cli_export_assets,
    depot_rows,
    export_rows,
)
from app.services.assets import register_asset

HEADERS = ("tag", "note", "cost", "bought", "ram")
DANGEROUS = ["=HYPERLINK(\"http://evil.example\")", "+32 2 123 45 67", "-2+3+cmd|' /C calc'!A0",
             "@SUM(A1)", "\tindented", "\rreturn"]


def rows_with_formulas():
    for i, text in enumerate(DANGEROUS):
        yield (f"CD{i}", text, Decimal("1234.50"), dt.date(2021, 3, 4), 16)


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_is_utf8_with_bom_semicolons_and_decimal_commas(tmp_path):
    path = tmp_path / "view.csv"
    count = export_rows(iter([("CD1", "café — “ok”; fine", Decimal("1234.50"), dt.date(2021, 3, 4),
                               None)]), path, headers=HEADERS)
    assert count == 1
    assert read_csv(path) == [list(HEADERS), ["CD1", "café — “ok”; fine", "1234,50", "2021-03-04", ""]]
    assert path.read_bytes().count(b"\r\n") == 2


def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote(tmp_path):
    path = tmp_path / "view.csv"
    export_rows(rows_with_formulas(), path, "csv", headers=HEADERS)
    notes = [row[1] for row in read_csv(path)[1:]]
    assert notes == ["'" + text for text in DANGEROUS]
    assert all(row[2] == "1234,50" for row in read_csv(path)[1:])  # numbers stay numbers


def test_xlsx_has_no_formula_cells_and_keeps_numbers_and_dates_typed(tmp_path):
    path = tmp_path / "view.xlsx"
    assert export_rows(rows_with_formulas(), path, headers=HEADERS) == len(DANGEROUS)
    sheet = load_workbook(path).active
    cells = list(sheet.iter_rows(min_row=2))
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == list(HEADERS)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    # XML reads a bare CR back as LF; what matters is the quote in front.
    assert [row[1].value for row in cells] == ["'" + text.replace("\r", "\n") for text in DANGEROUS]
    first = cells[0]
    assert first[2].value == pytest.approx(1234.5) and first[2].data_type == "n"
    assert first[3].value == dt.datetime(2021, 3, 4) and first[3].is_date
    assert first[4].value == 16


def test_the_rows_are_streamed_once_from_a_generator(tmp_path):
    consumed = []

    def rows():
        for i in range(2500):
            consumed.append(i)
            yield (f"CD{i}", None, None, None, i)

    seen = []
    assert export_rows(rows(), tmp_path / "big.xlsx", headers=HEADERS, progress=seen.append) == 2500
    assert len(consumed) == 2500 and seen[-1] == 2500


def test_an_unknown_format_is_refused(tmp_path):
    with pytest.raises(UnknownExportFormat):
        export_rows([], tmp_path / "view.ods", headers=HEADERS)


def test_a_failed_write_leaves_no_file(tmp_path):
    with pytest.raises(ExportFailed):
        export_rows([("x",)], tmp_path / "missing-folder" / "view.csv", headers=HEADERS)
    assert not list(tmp_path.rglob("*.part"))


@pytest.fixture
def devices(session, technician):
    register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                   model="Latitude 5420", serial="SN-1", ram_gb=16, purchase_cost=Decimal("999.99"),
                   purchase_date=dt.date(2021, 3, 4), notes="=1+1 typed by someone")
    register_asset(session, technician, category=Category.MONITOR, manufacturer="HP", model="E24 G4",
                   serial="SN-2")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_register_exported_in_the_depot_layout_reads_back_unchanged(session, devices, tmp_path,
                                                                        fmt):
    path = tmp_path / f"register.{fmt}"
    assert export_rows(depot_rows(session), path, headers=DEPOT_EXPORT_HEADERS) == 2
    plan = asset_import.validate(session, path.read_bytes(), path.name)
    assert plan.fmt == "depot" and (plan.unchanged, plan.rejected) == (2, 0)


def test_depot_rows_follow_a_filtered_select(session, devices):
    rows = list(depot_rows(session, select(Asset).where(Asset.category == Category.MONITOR)))
    assert [(r[2], r[5]) for r in rows] == [("SN-2", Category.MONITOR)]


def test_cli_export_writes_the_register(session, devices, tmp_path, capsys):
    path = tmp_path / "register.xlsx"
    assert cli_export_assets(session, str(path), None) == 0
    assert "2" in capsys.readouterr().out
    sheet = load_workbook(path).active
    assert sheet.max_row == 3 and sheet["N2"].value == "'=1+1 typed by someone"
    assert cli_export_assets(session, str(tmp_path / "register.txt"), None) == 1


def test_neutralise_leaves_ordinary_text_alone():
    assert asset_export.neutralise("Latitude 5420") == "Latitude 5420"
    assert asset_export.neutralise("=1") == "'=1"


def test_the_inventory_view_exports_its_filter_and_sort(session, technician, tmp_path):
    """On both databases: only the filtered devices, in the view's order, through every page."""
    import csv as csv_module

    from app.models import AssetStatus, Category
    from app.services import assets, lifecycle
    from app.services.asset_export import export_inventory
    from app.services.inventory import InventoryQuery, SortColumn

    made = [assets.register_asset(session, technician, category=Category.MONITOR, manufacturer="Dell",
                                  model="P2419H", serial=f"MON{n:04d}") for n in range(1205)]
    lifecycle.apply(session, technician, made[0].id, "start_checks")
    query = InventoryQuery(statuses=frozenset({AssetStatus.RECEIVED}), sort=SortColumn.TAG)
    assert export_inventory(session, query, tmp_path / "view.csv") == 1204
    with open(tmp_path / "view.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv_module.reader(fh, delimiter=";"))
    tags = [r[0] for r in rows[1:]]
    assert tags == sorted(a.tag for a in made[1:])
