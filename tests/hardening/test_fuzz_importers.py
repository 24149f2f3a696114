"""Property-based tests (Hypothesis) of the importers: for any input, a clear refusal or a commit
whose rows all appear in the report — never an exception, never a row missing from both.

Each property runs against one SQLite database for all its examples (a fixed budget, examples
derandomised): rows committed by an earlier example make later ones updates, which is fine —
what matters is that every row is accounted for.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from hardening_helpers import DEPOT_HEADER, SSD_SERIAL, workbook
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models import Asset, Category, MediumKind, SanitisationRecord
from app.services import asset_import, wipe_reports
from app.services.asset_import import ImportMode, ImportRefused, RowAction
from app.services.assets import MediumSpec, register_asset
from app.services.textfiles import physical_lines, split_records

# CI: a fixed, derandomised budget. A deeper, random run: HARDENING_FUZZ_SCALE=50 pytest tests/hardening
SCALE = int(os.environ.get("HARDENING_FUZZ_SCALE", "1"))
BUDGET = settings(max_examples=120 * SCALE, deadline=None, derandomize=SCALE == 1,
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow])

TRICKY = ['"', '""', ",", ";", "\n", "\r\n", "\u200b", "ＩＮＶ", "\x00", "é", "=1+1", " ", "'=",
          "2024-12-31", "31/12/2024", "1.234,56", "16 GB", "laptop", "Dell", "\u00ad", "\t"]
CELL = st.one_of(st.sampled_from(["", "SN-1", "SN-2", "Dell", "HP", "Latitude", "laptop", "monitor",
                                  "16", "2020-01-31", "1234,56", "notes"]),
                 st.lists(st.sampled_from(TRICKY), max_size=4).map("".join),
                 st.text(max_size=12))
GOOD_ROW = ["SN-1", "Dell", "Latitude 5420", "laptop", "i5", "16", "256", "31/12/2020", "1234,56",
            "2023-12-31", "", "notes"]


@st.composite
def near_good_row(draw) -> list[str]:
    """A valid row with a few cells replaced: most rows of a real register are nearly right."""
    row = list(GOOD_ROW)
    row[0] = draw(st.sampled_from(["SN-1", "SN-2", "SN-3", "sn 3", "ＳＮ-４", "SN\u200b-5", "SN-6"]))
    for _ in range(draw(st.integers(0, 2))):
        row[draw(st.integers(0, len(row) - 1))] = draw(CELL)
    return row


ROW = st.one_of(near_good_row(), near_good_row(), st.lists(CELL, min_size=0, max_size=14))


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def csv_text(rows: list[list[str]], delimiter: str) -> str:
    def quoted(cell: str) -> str:  # mostly quoted as a spreadsheet would, sometimes naively
        if len(cell) % 3 == 0:
            return f'"{cell}"'  # inner quotes not doubled
        if any(ch in cell for ch in (delimiter, '"', "\n", "\r")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "\n".join([DEPOT_HEADER.replace(",", delimiter),
                      *(delimiter.join(map(quoted, row)) for row in rows)])


def check_plan_accounts_for_every_line(data: bytes, name: str, plan) -> None:
    table = asset_import.read_table(data, name)
    text = data.decode(table.encoding if table.encoding != "utf-8" else "utf-8-sig")
    records = split_records(text, table.delimiter)
    assert sum(r.span for r in records) == len(physical_lines(text))  # every line read once
    header = next(i for i, r in enumerate(records) if r.problem is None and any(
        c.strip() for c in r.cells))
    rows = {r.line: r for r in plan.rows}
    for record in records[header + 1:]:
        if record.problem is None and not any(c.strip() for c in record.cells):
            continue  # a blank line: an empty row, or one of the empty lines at the end
        row = rows.get(record.line)
        assert row is not None, f"line {record.line} is in no row of the report"
        if record.multiline and row.action is not RowAction.REJECTED:
            # Only the notes may run over lines: an accepted row never swallows the next one.
            notes = table.header.index(plan.columns["notes"])
            assert all("\n" not in cell for i, cell in enumerate(record.cells) if i != notes)


def import_and_check(session, technician, data: bytes, name: str) -> None:
    before = count(session, Asset)
    try:
        plan = asset_import.validate(session, data, name)
    except ImportRefused as refused:
        assert refused.translated()
        event(f"file refused: {type(refused).__name__}")
        return
    if name.endswith(".csv"):
        check_plan_accounts_for_every_line(data, name, plan)
    result = asset_import.commit(session, technician, plan, ImportMode.VALID_ONLY)
    if not result.committed:
        assert result.reason and count(session, Asset) == before
        return
    event("committed: " + ("new devices" if result.created else "no new device")
          + (", rows rejected" if result.rejected else ""))
    reported = result.created + result.updated + result.unchanged + result.rejected
    assert reported == len(plan.rows)
    assert count(session, Asset) == before + result.created
    assert {line for line, _tag in result.tags} | {r.line for r in result.rejects} | {
        r.line for r in plan.rows if r.action in (RowAction.UPDATE, RowAction.UNCHANGED)
    } == {r.line for r in plan.rows}


@BUDGET
@given(rows=st.lists(ROW, max_size=8), delimiter=st.sampled_from([",", ";"]),
       encoding=st.sampled_from(["utf-8", "cp1252"]))
def test_any_register_csv_is_refused_or_every_row_is_reported(session, technician, rows,
                                                              delimiter, encoding):
    text = csv_text(rows, delimiter)
    import_and_check(session, technician, text.encode(encoding, "replace"), "register.csv")


@BUDGET
@given(st.binary(max_size=400))
def test_any_bytes_as_a_register_are_refused_or_every_row_is_reported(session, technician, data):
    import_and_check(session, technician, DEPOT_HEADER.encode() + b"\n" + data, "register.csv")


def xml_safe(text: str) -> str:  # a workbook cannot hold these characters at all
    return "".join(c for c in text if not (ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF
                                           or c in "\ufffe\uffff"))


XLSX_CELL = st.one_of(st.none(), CELL.map(xml_safe),
                      st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
                      st.booleans(), st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)))


@settings(BUDGET, max_examples=40 * SCALE)
@given(st.lists(st.one_of(near_good_row().map(lambda r: [xml_safe(c) for c in r]),
                          st.lists(XLSX_CELL, max_size=14)), max_size=6))
def test_any_register_workbook_is_refused_or_every_row_is_reported(session, technician, rows):
    import_and_check(session, technician, workbook(*rows), "register.xlsx")


# --- wipe reports ---------------------------------------------------------------------------------

GOOD = {"device": {"serial_no": SSD_SERIAL, "model": "Samsung SSD"},
        "wipe_result": {"status": "success", "method": "PRNG Stream", "pass_errors": 0,
                        "verify_errors": 0, "start_time": "2026-11-20T09:12:03+01:00",
                        "end_time": "2026-11-20T10:14:41+01:00"}}
JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
              st.sampled_from([SSD_SERIAL, "success", "failed", "2026-11-20T09:12:03", 1763625600])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["device", "wipe_result", "serial_no",
                                                             "status", "start_time", "end_time",
                                                             "method", "pass_errors", "model"]),
                                            inner, max_size=4)),
    max_leaves=12)


def wipe_and_check(session, technician, name: str, data: bytes) -> None:
    before = count(session, SanitisationRecord)
    outcome = wipe_reports.import_report(session, technician, name, data)
    assert outcome.message
    event("recorded" if outcome.ok else "refused: " + outcome.message.split(":")[0][:40])
    if outcome.ok:
        assert outcome.recorded >= 1 and count(session, SanitisationRecord) == before + outcome.recorded
    else:
        assert outcome.recorded == 0 and count(session, SanitisationRecord) == before


@BUDGET
@given(section=st.sampled_from(["device", "wipe_result"]), key=st.text(max_size=12),
       value=JSON_VALUE)
def test_any_change_to_an_nwipe_report_is_refused_or_recorded_whole(session, technician, laptop,
                                                                    section, key, value):
    doc = json.loads(json.dumps(GOOD))
    doc[section][key or "status"] = value
    wipe_and_check(session, technician, "r.json", json.dumps(doc).encode())


@BUDGET
@given(st.one_of(JSON_VALUE.map(lambda v: json.dumps(v).encode()), st.binary(max_size=300)))
def test_any_json_document_is_refused_or_recorded_whole(session, technician, laptop, data):
    wipe_and_check(session, technician, "r.json", data)


WIPE_HEADER = ("serial,manufacturer,model,tool,tool_version,method,technique,status,pass_errors,"
               "verify_errors,start_time,end_time,verification_method")
WIPE_CELL = st.one_of(st.sampled_from([SSD_SERIAL, "HDD-2", "clear", "purge", "overwrite", "success",
                                       "failed", "0", "1", "2026-11-20T09:00:00+01:00",
                                       "2026-11-20T10:00:00+01:00", "nwipe"]),
                      st.lists(st.sampled_from(TRICKY), max_size=3).map("".join))
DISKS = ["DISK-1", "DISK-2", "DISK-3", "DISK-4"]


@st.composite
def near_good_wipe_row(draw) -> list[str]:
    row = [draw(st.sampled_from([*DISKS, "disk 1", "ＤＩＳＫ-２", "DISK-\u200b3", "UNKNOWN"])),
           "Samsung", "SSD 860", "nwipe", "0.37", "clear", "overwrite", "success", "0", "0",
           draw(st.sampled_from(["2026-11-20T09:00:00+01:00", "2026-11-20 09:00:00"])),
           "2026-11-20T10:00:00+01:00", draw(st.text(max_size=6).map(lambda t: t + "read-back"))]
    for _ in range(draw(st.integers(0, 1))):
        row[draw(st.integers(1, len(row) - 1))] = draw(WIPE_CELL)
    return row


@pytest.fixture
def disks(session, technician):
    register_asset(session, technician, category=Category.DESKTOP, manufacturer="HP",
                   model="EliteDesk", serial="DESK-1",
                   media=[MediumSpec(MediumKind.SSD, serial, 256) for serial in DISKS])


@BUDGET
@given(st.lists(st.one_of(near_good_wipe_row(), near_good_wipe_row(),
                          st.lists(WIPE_CELL, min_size=11, max_size=14)), max_size=4))
def test_any_wipe_csv_is_refused_or_every_disk_is_recorded(session, technician, disks, rows):
    text = "\n".join([WIPE_HEADER, *(",".join(r) for r in rows)])
    before = count(session, SanitisationRecord)
    outcome = wipe_reports.import_report(session, technician, "wipes.csv", text.encode())
    event("recorded" if outcome.ok else "refused: " + outcome.message.split(":")[-1][:50])
    if outcome.ok:  # every non-blank line was one disk, and each of them was recorded
        disks = [line for line in physical_lines(text)[1:] if line.strip(", \t")]
        assert outcome.recorded == len(disks)
        assert count(session, SanitisationRecord) == before + outcome.recorded
    else:
        assert isinstance(outcome.message, str) and count(session, SanitisationRecord) == before
