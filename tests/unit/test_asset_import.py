"""Importing the asset register (CSV, XLSX; depot layout and Snipe-IT exports): check, then commit.

Runs on SQLite and PostgreSQL (the `session` fixture). The sample files in
tests/data/import are described in docs/asset-import.md.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.models import Asset, AssetStatus, AuditEvent, Category, PartyType
from app.services import asset_import, audit, parties
from app.services.asset_import import (
    AmbiguousAmount,
    BadAmount,
    BadDate,
    BadNumber,
    ChangedMeanwhile,
    ColumnsNotMapped,
    EmptyRow,
    FormulaCell,
    ImportMode,
    Missing,
    RegisteredMeanwhile,
    RowAction,
    SerialTwiceInFile,
    TooLong,
    UnknownCategory,
    UnknownService,
    cli_import_assets,
    commit,
    validate,
)
from app.services.assets import edit_asset, register_asset
from app.services.errors import PermissionDenied
from app.services.permissions import SYSTEM

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
DEPOT_HEADER = ("serial,manufacturer,model,category,cpu,ram_gb,storage_gb,purchase_date,"
                "purchase_cost,warranty_end,origin_service,notes")


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def depot_csv(*rows: str) -> bytes:
    return "\n".join((DEPOT_HEADER, *rows)).encode("utf-8")


def asset_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Asset))


def all_assets(session) -> list[Asset]:
    session.expire_all()
    return session.scalars(select(Asset).order_by(Asset.id)).all()


def problems(plan) -> dict[int, list[type]]:
    return {row.line: [type(e) for e in row.errors] for row in plan.rejected_rows}


@pytest.fixture
def gebouwen(session, manager):
    return parties.create_party(session, manager, PartyType.SERVICE, name="Dienst Gebouwen")


@pytest.fixture
def registered_laptop(session, technician):
    return register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                          model="Latitude 5420", serial="LAP-0001", ram_gb=8, storage_gb=256,
                          purchase_cost=Decimal("1234.56"), cpu="i5-1145G7")


# --- Snipe-IT --------------------------------------------------------------------------------------

def test_a_snipeit_export_is_recognised_and_mapped_without_help(session):
    plan = validate(session, sample("snipeit-export.csv"), "snipeit-export.csv")
    assert plan.fmt == "snipeit"
    assert plan.columns == {"serial": "Serial", "manufacturer": "Manufacturer", "model": "Model",
                            "category": "Category", "purchase_date": "Purchase Date",
                            "purchase_cost": "Purchase Cost", "warranty_end": "Warranty Expires",
                            "notes": "Asset Notes"}
    assert "Asset Tag" in plan.ignored_columns and "Company" in plan.ignored_columns
    assert (plan.new, plan.rejected) == (9, 0)


def test_a_snipeit_export_imports_every_device_as_received(session, technician):
    plan = validate(session, sample("snipeit-export.csv"), "snipeit-export.csv", fmt="snipeit")
    result = commit(session, technician, plan)
    assert result.ok and (result.created, result.updated, result.rejected) == (9, 0, 0)
    assets = all_assets(session)
    assert {a.category for a in assets} == set(Category) - {Category.OTHER}
    server = next(a for a in assets if a.serial == "7XK9N42")
    assert (server.manufacturer, server.model, server.category) == ("Dell", "PowerEdge R630",
                                                                    Category.SERVER)
    assert server.purchase_cost == Decimal("6780.00")
    assert server.purchase_date == dt.date(2016, 11, 30)
    assert server.warranty_end == dt.date(2021, 11, 30)
    assert all(a.status == AssetStatus.RECEIVED and a.tag.startswith("CD") for a in assets)
    assert all(a.created_by_id == technician.id for a in assets)
    monitor = next(a for a in assets if a.serial == "CN49230KQ2")
    assert monitor.notes == 'Small scratch on the stand; "Grade B" at the last check'
    assert sorted(tag for _line, tag in result.tags) == sorted(a.tag for a in assets)


def test_new_devices_are_audited_as_received(session, technician):
    plan = validate(session, sample("snipeit-export.csv"), "snipeit-export.csv")
    commit(session, technician, plan)
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "asset")).all()
    assert len(events) == 9 and {e.action for e in events} == {"receive"}
    assert audit.verify_chain(session).ok


# --- a malformed file: per-row report, all or nothing, or only the valid rows ---------------------

def test_a_malformed_file_gets_a_report_per_row_with_line_numbers(session):
    plan = validate(session, sample("malformed.csv"), "malformed.csv")
    assert plan.fmt == "depot"
    assert problems(plan) == {
        3: [BadDate],
        4: [EmptyRow],
        5: [SerialTwiceInFile],
        6: [FormulaCell],
        7: [UnknownCategory],
        8: [BadNumber, AmbiguousAmount],
        11: [Missing],
        12: [TooLong],
    }
    assert [r.line for r in plan.rows if r.action is RowAction.NEW] == [2, 9]  # 9: a two-line cell
    assert plan.trailing_empty == 1
    dup = next(r for r in plan.rows if r.line == 5)
    assert dup.report_line() == "Line 5: serial number LAP-0001 of Dell is already on line 2."
    assert "31/02/2021" in next(r for r in plan.rows if r.line == 3).error_text()


def test_all_or_nothing_writes_nothing_when_a_row_is_rejected(session, technician):
    events_before = audit.event_count(session)
    plan = validate(session, sample("malformed.csv"), "malformed.csv")
    result = commit(session, technician, plan, ImportMode.ALL_OR_NOTHING)
    assert not result.committed and not result.ok
    assert result.rejected == 8 and result.created == 0
    assert result.message().startswith("Nothing was imported")
    assert asset_count(session) == 0
    assert audit.event_count(session) == events_before


def test_valid_only_commits_the_valid_rows_and_says_how_many_were_rejected(session, technician):
    plan = validate(session, sample("malformed.csv"), "malformed.csv")
    result = commit(session, technician, plan, ImportMode.VALID_ONLY)
    assert result.committed and not result.ok  # never a success while rows were left out
    assert (result.created, result.rejected) == (2, 8)
    assert [r.line for r in result.rejects] == [3, 4, 5, 6, 7, 8, 11, 12]
    assert "INCOMPLETE" in result.message() and "8" in result.message()
    assert {a.serial for a in all_assets(session)} == {"LAP-0001", "LAP-0006"}
    assert next(a for a in all_assets(session) if a.serial == "LAP-0006").notes == "note on\ntwo lines"


def test_the_formula_is_reported_not_imported(session, technician):
    plan = validate(session, sample("malformed.csv"), "malformed.csv")
    commit(session, technician, plan, ImportMode.VALID_ONLY)
    assert not any(a.notes and "HYPERLINK" in a.notes for a in all_assets(session))
    assert "formula" in next(r for r in plan.rows if r.line == 6).error_text()


# --- encodings, separators, workbooks ---------------------------------------------------------------

def test_windows_1252_with_semicolons_and_belgian_numbers(session, technician, gebouwen):
    plan = validate(session, sample("windows-1252-semicolon.csv"), "windows-1252-semicolon.csv")
    assert plan.rejected == 0, [r.report_line() for r in plan.rejected_rows]
    commit(session, technician, plan)
    by_serial = {a.serial: a for a in all_assets(session)}
    monitor, laptop, phone = by_serial["CN-0KX3R1"], by_serial["5CG0123ABC"], by_serial["R58N12XYZ"]
    assert (monitor.category, monitor.purchase_cost) == (Category.MONITOR, Decimal("189.00"))
    assert monitor.notes == "Scherm met kras — reservevoet bijgeleverd"
    assert monitor.origin_service_id == gebouwen.id and laptop.origin_service_id == gebouwen.id
    assert (laptop.category, laptop.purchase_cost) == (Category.LAPTOP, Decimal("1049.95"))
    assert laptop.purchase_date == dt.date(2020, 5, 12) and "café" in laptop.notes
    assert phone.category == Category.SMARTPHONE and phone.origin_service_id is None


def test_utf8_with_a_byte_order_mark(session, technician):
    plan = validate(session, sample("utf8-bom.csv"), "utf8-bom.csv")
    assert plan.fmt == "depot" and plan.columns["serial"] == "serial"
    result = commit(session, technician, plan)
    assert result.ok and result.created == 2
    assert "“ë” en “ç”" in all_assets(session)[0].notes


def workbook(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_workbook_with_date_cells_and_excel_serial_dates(session, technician):
    data = workbook(
        DEPOT_HEADER.split(","),
        ["SN-X1", "HP", "EliteBook 840 G8", "Laptops", None, 16, 512, dt.datetime(2021, 6, 1),
         1099.5, 45000, None, None],
        ["SN-X2", "HP", "EliteBook 840 G8", "laptop", None, 16.0, "512 GB", "01/06/2021", "1099,50"],
    )
    plan = validate(session, data, "register.xlsx")
    assert plan.rejected == 0, [r.report_line() for r in plan.rejected_rows]
    commit(session, technician, plan)
    first, second = all_assets(session)
    assert first.purchase_date == second.purchase_date == dt.date(2021, 6, 1)
    assert first.purchase_cost == second.purchase_cost == Decimal("1099.50")
    assert first.warranty_end == dt.date(2023, 3, 15)  # Excel day 45000
    assert (second.ram_gb, second.storage_gb) == (16, 512)


def test_a_formula_in_a_workbook_cell_is_reported_with_its_row(session):
    data = workbook(DEPOT_HEADER.split(","),
                    ["SN-X1", "HP", "EliteBook", "laptop", None, None, None, None, "=100*1.21"])
    plan = validate(session, data, "register.xlsx")
    assert problems(plan) == {2: [FormulaCell]}


# --- existing serials: updated, never duplicated ------------------------------------------------

def test_an_existing_serial_is_updated_and_audited_as_an_edit(session, technician, registered_laptop):
    plan = validate(session, depot_csv("lap-0001 ,dell,Latitude 5420,laptop,,16,512,,,,,"), "x.csv")
    [row] = plan.rows
    assert (row.action, row.tag) == (RowAction.UPDATE, registered_laptop.tag)
    assert row.changes == {"ram_gb": (8, 16), "storage_gb": (256, 512)}
    result = commit(session, technician, plan)
    assert result.ok and (result.created, result.updated) == (0, 1)
    [asset] = all_assets(session)
    assert (asset.id, asset.ram_gb, asset.storage_gb, asset.serial) == (
        registered_laptop.id, 16, 512, "LAP-0001")
    assert asset.cpu == "i5-1145G7"  # an empty cell leaves the value as it is
    [event] = audit.history(session, "asset", asset.id)[-1:]
    assert event.action == "edit"
    assert json.loads(event.changes) == {"ram_gb": [8, 16], "storage_gb": [256, 512]}


def test_a_serial_with_a_quote_is_matched_safely(session, technician):
    twin = register_asset(session, technician, category=Category.OTHER, manufacturer="Acme",
                          model="Gizmo", serial="O'BRIEN-1")
    plan = validate(session, depot_csv("o'brien-1,acme,Gizmo,other,,,,,,,,", "X' OR '1'='1,Acme,Gizmo,other,,,,,,,,"),
                    "x.csv")
    assert [(r.action, r.tag) for r in plan.rows] == [(RowAction.UNCHANGED, twin.tag),
                                                      (RowAction.NEW, None)]


def test_a_row_equal_to_the_register_writes_nothing(session, technician, registered_laptop):
    events_before = audit.event_count(session)
    plan = validate(session, depot_csv("LAP-0001,Dell,Latitude 5420,laptop,,8,256,,\"1234,56\",,,"),
                    "x.csv")
    assert plan.rows[0].action is RowAction.UNCHANGED
    result = commit(session, technician, plan)
    assert result.ok and (result.updated, result.unchanged) == (0, 1)
    assert audit.event_count(session) == events_before


def test_a_device_registered_after_the_check_refuses_the_whole_file(session, technician):
    plan = validate(session, depot_csv("NEW-1,Dell,Latitude 5420,laptop,,,,,,,,",
                                       "NEW-2,Dell,Latitude 5420,laptop,,,,,,,,"), "x.csv")
    twin = register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                          model="Latitude 5420", serial="NEW-2")
    result = commit(session, technician, plan)
    assert not result.committed
    assert [(r.line, type(r.errors[0])) for r in result.rejects] == [(3, RegisteredMeanwhile)]
    assert twin.tag in result.rejects[0].error_text()
    assert asset_count(session) == 1


def test_valid_only_skips_a_device_changed_after_the_check(session, technician, registered_laptop):
    plan = validate(session, depot_csv("LAP-0001,Dell,Latitude 5420,laptop,,16,,,,,,",
                                       "NEW-1,Dell,Latitude 5420,laptop,,,,,,,,"), "x.csv")
    edit_asset(session, technician, registered_laptop.id, registered_laptop.version, notes="moved")
    result = commit(session, technician, plan, ImportMode.VALID_ONLY)
    assert result.committed and not result.ok
    assert (result.created, result.updated, result.rejected) == (1, 0, 1)
    assert type(result.rejects[0].errors[0]) is ChangedMeanwhile
    assert session.get(Asset, registered_laptop.id).ram_gb == 8


# --- values, columns, rights ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "amount"), [
    ("1234.56", "1234.56"), ("1234,56", "1234.56"), ("1.234,56", "1234.56"), ("1,234.56", "1234.56"),
    ("€ 1 234,50", "1234.50"), ("1.234.567", "1234567.00"), ("650", "650.00"), ("0,5", "0.50"),
    ("EUR 12", "12.00"),
])
def test_amounts_in_belgian_and_english_notation(text, amount):
    assert asset_import.parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(("text", "error"), [
    ("1.234", AmbiguousAmount), ("1,234", AmbiguousAmount), ("12.3456", BadAmount), ("-5", BadAmount),
    ("$12", BadAmount), ("1,23,4", BadAmount), ("abc", BadAmount), ("0.001", BadAmount),
])
def test_amounts_that_are_refused(text, error):
    with pytest.raises(error):
        asset_import.parse_amount(text)


@pytest.mark.parametrize(("text", "day"), [
    ("31/12/2024", dt.date(2024, 12, 31)), ("1/2/2024", dt.date(2024, 2, 1)),
    ("31-12-2024", dt.date(2024, 12, 31)), ("31.12.2024", dt.date(2024, 12, 31)),
    ("2024-12-31", dt.date(2024, 12, 31)), ("2024-12-31 00:00:00", dt.date(2024, 12, 31)),
    ("45292", dt.date(2024, 1, 1)),
])
def test_dates_in_belgian_iso_and_excel_notation(text, day):
    assert asset_import.parse_date(text) == day


@pytest.mark.parametrize("text", ["12/31/2024", "31/12/24", "2024-02-30", "next week", "12"])
def test_dates_that_are_refused(text):
    with pytest.raises(BadDate):
        asset_import.parse_date(text)


def test_an_unknown_origin_service_is_reported(session):
    plan = validate(session, depot_csv("SN-1,Dell,Latitude,laptop,,,,,,,Dienst Onbekend,"), "x.csv")
    assert problems(plan) == {2: [UnknownService]}


def test_a_file_without_a_serial_column_is_refused(session):
    data = b"manufacturer,model,category\nDell,Latitude,laptop\n"
    with pytest.raises(ColumnsNotMapped) as refused:
        validate(session, data, "x.csv")
    assert "Serial number" in str(refused.value)


def test_other_headers_are_mapped_by_hand(session, technician):
    data = b"S/N;Merk;Type;Soort\nABC-1;Dell;Latitude 7490;Laptop\n"
    mapping = {"S/N": "serial", "Merk": "manufacturer", "Type": "model", 3: "category"}
    plan = validate(session, data, "eigen.csv", mapping=mapping)
    assert plan.fmt is None and plan.new == 1
    assert commit(session, technician, plan).ok


def test_an_auditor_cannot_import(session, auditor):
    plan = validate(session, sample("utf8-bom.csv"), "utf8-bom.csv")
    with pytest.raises(PermissionDenied):
        commit(session, auditor, plan)
    assert asset_count(session) == 0


# --- the command line -------------------------------------------------------------------------------

def test_cli_imports_a_clean_file_and_exits_0(session, capsys):
    assert cli_import_assets(session, SYSTEM, str(DATA / "snipeit-export.csv"), None, False) == 0
    assert "Import complete" in capsys.readouterr().out
    assert asset_count(session) == 9


def test_cli_reports_each_rejected_row_and_exits_1_having_written_nothing(session, capsys):
    assert cli_import_assets(session, SYSTEM, str(DATA / "malformed.csv"), "depot", False) == 1
    out = capsys.readouterr().out
    assert "Line 3:" in out and "Line 12:" in out and "Nothing was imported" in out
    assert asset_count(session) == 0


def test_cli_dry_run_checks_but_writes_nothing(session, capsys):
    assert cli_import_assets(session, SYSTEM, str(DATA / "snipeit-export.csv"), "snipeit", True) == 0
    assert cli_import_assets(session, SYSTEM, str(DATA / "malformed.csv"), None, True) == 1
    assert "Dry run" in capsys.readouterr().out
    assert asset_count(session) == 0


def test_cli_refuses_a_missing_file_and_an_unknown_format(session, tmp_path, capsys):
    assert cli_import_assets(session, SYSTEM, str(tmp_path / "nope.csv"), None, False) == 1
    assert cli_import_assets(session, SYSTEM, str(DATA / "utf8-bom.csv"), "glpi", False) == 1
    assert "glpi" in capsys.readouterr().out


def test_a_large_file_gets_tags_in_line_order_and_one_event_per_device(session, technician):
    rows = [f"BULK{n:05d},HP,E24 G4,monitor,,,,,,,," for n in range(1234)]  # over several batches
    plan = validate(session, depot_csv(*rows), "bulk.csv")
    result = commit(session, technician, plan)
    assert result.ok and result.created == 1234
    tags = [tag for _line, tag in sorted(result.tags)]
    assert tags == sorted(tags) and len(set(tags)) == 1234
    by_serial = {a.serial: a.tag for a in all_assets(session)}
    assert by_serial["BULK00000"] == tags[0] and by_serial["BULK01233"] == tags[-1]
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "asset")).all()
    assert len(events) == 1234 and {e.action for e in events} == {"receive"}
    assert all(json.loads(e.changes)["status"] == [None, "received"] for e in events)
    assert audit.verify_chain(session).ok
