"""Stock counts: scan a location, reconcile with the records, resolve the differences, keep a report.

The report is read the way a person holding the paper would: its text with
pdftotext and its QR code rendered with pdftoppm and decoded with zbarimg.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import (
    Asset,
    AssetStatus,
    AuditEvent,
    Category,
    CountFinding,
    CountResolution,
    Document,
    DocumentKind,
    StockCountLine,
)
from app.services import assets, audit, lifecycle, locations, moves, stock_count
from app.services.errors import PermissionDenied

F, R = CountFinding, CountResolution
TOOLS = {"pdftoppm": "poppler-utils", "pdftotext": "poppler-utils", "zbarimg": "zbar-tools"}


@pytest.fixture(scope="session")
def pdf_tools():
    missing = sorted({pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None})
    if missing:
        message = f"{' and '.join(missing)} missing: install them to read the report back"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def device(session, technician, serial: str, model: str = "Latitude 5420") -> Asset:
    return assets.register_asset(session, technician, category=Category.MONITOR,
                                 manufacturer="Dell", model=model, serial=serial)


@pytest.fixture
def shelf(session, manager):
    return locations.create_location(session, manager, "Centraal magazijn", "A", "01", "2")


@pytest.fixture
def other_shelf(session, manager):
    return locations.create_location(session, manager, "Centraal magazijn", "B", "02", "1")


@pytest.fixture
def stock(session, technician, shelf, other_shelf):
    """Three devices recorded on the shelf, one on the other shelf, one with no location."""
    on_shelf = [device(session, technician, f"SHELF-{i}") for i in range(3)]
    for asset in on_shelf:
        moves.move_by_scan(session, technician, shelf.code, asset.tag)
    elsewhere = device(session, technician, "ELSEWHERE-1")
    moves.move_by_scan(session, technician, other_shelf.code, elsewhere.tag)
    nowhere = device(session, technician, "NOWHERE-1")
    return {"shelf": on_shelf, "elsewhere": elsewhere, "nowhere": nowhere}


@pytest.fixture
def count(session, technician, shelf):
    return stock_count.start_count(session, technician, shelf.id)


def findings(session, count_id: int) -> dict[str, CountFinding]:
    view = stock_count.count_view(session, count_id)
    return {line.tag or line.serial: line.finding for line in view.lines}


def line_of(session, count_id: int, key: str):
    view = stock_count.count_view(session, count_id)
    return next(line for line in view.lines if key in (line.tag, line.serial))


@pytest.fixture
def closed(session, technician, count, stock):
    """Counted: two shelf devices (one by serial), the one from the other shelf, an unknown code."""
    first = stock["shelf"][0]
    stock_count.scan(session, technician, count.id, first.tag)
    stock_count.scan(session, technician, count.id, "shelf-1")
    stock_count.scan(session, technician, count.id, stock["elsewhere"].tag)
    stock_count.scan(session, technician, count.id, "NOTADEVICE42")
    document = stock_count.close_count(session, technician, count.id, language="en")
    return count, document


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(raw.split())


def asset(session, a: Asset) -> Asset:
    session.expire_all()
    return session.get(Asset, a.id)


# --- scanning -------------------------------------------------------------------------------

def test_a_device_recorded_here_is_found(session, technician, count, stock):
    outcome = stock_count.scan(session, technician, count.id, stock["shelf"][0].tag)
    assert outcome.line.finding == F.FOUND
    assert outcome.text == f"{stock['shelf'][0].tag} found: Dell Latitude 5420"


def test_a_device_recorded_elsewhere_is_unexpected(session, technician, count, stock, other_shelf):
    outcome = stock_count.scan(session, technician, count.id, stock["elsewhere"].tag)
    assert outcome.line.finding == F.UNEXPECTED
    assert other_shelf.code in outcome.text


def test_a_device_recorded_nowhere_is_unexpected(session, technician, count, stock):
    outcome = stock_count.scan(session, technician, count.id, "nowhere-1")
    assert outcome.line.finding == F.UNEXPECTED
    assert "no recorded location" in outcome.text


def test_a_code_that_names_no_device_is_recorded_as_unknown(session, technician, count, stock):
    outcome = stock_count.scan(session, technician, count.id, "NOTADEVICE42")
    assert outcome.line.finding == F.UNKNOWN
    assert outcome.line.serial == "NOTADEVICE42"


def test_a_second_scan_of_the_same_code_is_refused_not_double_counted(session, technician, count,
                                                                     stock):
    tag = stock["shelf"][0].tag
    stock_count.scan(session, technician, count.id, tag)
    with pytest.raises(stock_count.DuplicateScan, match="counted once"):
        stock_count.scan(session, technician, count.id, tag.lower())
    assert len(stock_count.count_view(session, count.id).lines) == 1


def test_the_same_device_by_tag_and_by_serial_is_counted_once(session, technician, count, stock):
    first = stock["shelf"][0]
    stock_count.scan(session, technician, count.id, first.tag)
    with pytest.raises(stock_count.DeviceAlreadyCounted, match=f"as {first.tag}"):
        stock_count.scan(session, technician, count.id, "SHELF-0")
    assert len(stock_count.count_view(session, count.id).lines) == 1


def test_a_second_scan_of_an_unknown_code_is_refused_too(session, technician, count, stock):
    stock_count.scan(session, technician, count.id, "NOTADEVICE42")
    with pytest.raises(stock_count.DuplicateScan):
        stock_count.scan(session, technician, count.id, "notadevice42")


def test_a_location_label_scanned_during_a_count_is_refused(session, technician, count,
                                                            other_shelf):
    with pytest.raises(stock_count.WrongLocationScanned, match="this count is of LOC-A-01-2"):
        stock_count.scan(session, technician, count.id, other_shelf.code)


def test_a_misread_tag_is_refused_not_counted(session, technician, count, stock):
    from app.services.errors import InvalidTag

    tag = stock["shelf"][0].tag
    with pytest.raises(InvalidTag):
        stock_count.scan(session, technician, count.id, tag[:-1] + str((int(tag[-1]) + 1) % 10))
    assert stock_count.count_view(session, count.id).lines == ()


def test_a_scan_is_audited(session, technician, count, stock):
    stock_count.scan(session, technician, count.id, stock["shelf"][0].tag)
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert (event.action, event.entity_type) == ("count_scan", "count_line")
    assert json.loads(event.changes)["finding"] == [None, "found"]


def test_a_device_marked_missing_is_found_again_by_a_count(session, technician, manager, shelf,
                                                           stock, closed):
    count, _doc = closed
    missing = line_of(session, count.id, stock["shelf"][2].tag)
    stock_count.resolve_line(session, manager, missing.line_id, R.MARKED_MISSING, "not on the shelf")
    assert asset(session, stock["shelf"][2]).missing_since is not None
    again = stock_count.start_count(session, technician, shelf.id)
    outcome = stock_count.scan(session, technician, again.id, stock["shelf"][2].tag)
    assert outcome.found_again and outcome.line.finding == F.FOUND
    found = asset(session, stock["shelf"][2])
    assert found.missing_since is None and found.missing_reason is None


# --- starting and closing ---------------------------------------------------------------------

def test_only_one_count_of_a_location_is_open_at_a_time(session, technician, manager, shelf, count):
    with pytest.raises(stock_count.CountAlreadyOpen, match="Tom Technieker"):
        stock_count.start_count(session, manager, shelf.id)
    assert stock_count.open_count(session, shelf.id).id == count.id


def test_a_location_out_of_use_cannot_be_counted(session, technician, manager, other_shelf):
    locations.deactivate_location(session, manager, other_shelf.id)
    with pytest.raises(moves.LocationOutOfUse):
        stock_count.start_count(session, technician, other_shelf.id)


def test_a_location_being_counted_cannot_be_taken_out_of_use(session, manager, shelf, count):
    with pytest.raises(locations.LocationBeingCounted):
        locations.deactivate_location(session, manager, shelf.id)


def test_an_auditor_cannot_count(session, auditor, shelf):
    with pytest.raises(PermissionDenied):
        stock_count.start_count(session, auditor, shelf.id)


def test_closing_reconciles_found_missing_unexpected_and_unknown(session, stock, closed):
    count, _document = closed
    first, second, third = stock["shelf"]
    assert findings(session, count.id) == {
        first.tag: F.FOUND, second.tag: F.FOUND, third.tag: F.MISSING,
        stock["elsewhere"].tag: F.UNEXPECTED, "NOTADEVICE42": F.UNKNOWN,
    }
    view = stock_count.count_view(session, count.id)
    assert view.closed and view.open_lines == 3
    assert view.tally() == {F.FOUND: 2, F.MISSING: 1, F.UNEXPECTED: 1, F.UNKNOWN: 1}


def test_devices_that_left_the_warehouse_are_not_missing(session, technician, manager, shelf,
                                                         stock):
    gone = stock["shelf"][2]
    lifecycle.apply(session, technician, gone.id, "retire")
    lifecycle.apply(session, manager, gone.id, "dispose")  # still "recorded" on the shelf
    count = stock_count.start_count(session, technician, shelf.id)
    stock_count.scan(session, technician, count.id, stock["shelf"][0].tag)
    stock_count.close_count(session, technician, count.id)
    found = findings(session, count.id)
    assert gone.tag not in found
    assert found[stock["shelf"][1].tag] == F.MISSING


def test_a_closed_count_takes_no_more_scans(session, technician, stock, closed):
    count, _doc = closed
    with pytest.raises(stock_count.CountClosed, match="start a new count"):
        stock_count.scan(session, technician, count.id, stock["nowhere"].tag)
    with pytest.raises(stock_count.CountClosed):
        stock_count.close_count(session, technician, count.id)


def test_closing_issues_the_report_as_a_stored_document(session, stock, closed):
    count, document = closed
    assert document.kind == DocumentKind.REPORT and document.number.startswith("RP-")
    assert stock_count.report_pdf(session, count.id).number == document.number
    assert stock_count.reprint_report(session, document.number) == document.pdf
    tags = {a.tag for a in document.assets}
    assert stock["elsewhere"].tag in tags and stock["shelf"][2].tag in tags


def test_the_report_lists_location_people_counts_and_every_line(session, stock, closed, pdf_tools,
                                                                tmp_path):
    _count, document = closed
    text = pdf_text(document.pdf, tmp_path)
    assert "Stock count report" in text and document.number in text
    assert "LOC-A-01-2" in text and "Centraal magazijn" in text
    assert "Counted by Tom Technieker" in text
    for a in [*stock["shelf"], stock["elsewhere"]]:
        assert a.tag in text
    assert "NOTADEVICE42" in text
    assert "missing" in text and "unexpected" in text and "unknown code" in text
    assert "recorded at LOC-B-02-1" in text
    assert "Missing Unexpected Unknown code Found 1 1 1 2" in text
    assert "3 lines are still to be resolved" in text


def test_the_reports_qr_code_scans_back_as_its_number(session, closed, pdf_tools, tmp_path):
    _count, document = closed
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(document.pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page-*.png")
    scanned = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
                             capture_output=True, text=True, check=True).stdout
    assert scanned.splitlines() == [f"CERT:{document.number}"]


def test_user_text_in_the_report_is_printed_as_typed(session, technician, manager, shelf, pdf_tools,
                                                     tmp_path):
    odd = device(session, technician, "ODD-1", model="Latitude <5420> & Co")
    moves.move_by_scan(session, technician, shelf.code, odd.tag)
    count = stock_count.start_count(session, technician, shelf.id)
    stock_count.close_count(session, technician, count.id)
    line = line_of(session, count.id, odd.tag)
    result = stock_count.resolve_line(session, manager, line.line_id, R.MARKED_MISSING,
                                      "lent to <b>IT</b> & not back")
    text = pdf_text(result.final_report.pdf, tmp_path)
    assert "Dell Latitude <5420> & Co" in text
    assert "lent to <b>IT</b> & not back" in text


# --- resolving --------------------------------------------------------------------------------

def test_an_unexpected_device_is_moved_here(session, manager, shelf, stock, closed):
    count, _doc = closed
    line = line_of(session, count.id, stock["elsewhere"].tag)
    result = stock_count.resolve_line(session, manager, line.line_id, R.MOVED_HERE)
    assert result.line.resolution == R.MOVED_HERE and result.line.resolved_by == "Mia Manager"
    assert asset(session, stock["elsewhere"]).location_id == shelf.id
    actions = [e.action for e in audit.history(session, "asset", stock["elsewhere"].id)]
    assert actions[-1] == "count_moved_here"


def test_an_unexpected_device_that_left_the_warehouse_cannot_be_moved_here(session, technician,
                                                                           manager, shelf, stock):
    gone = stock["elsewhere"]
    lifecycle.apply(session, technician, gone.id, "retire")
    lifecycle.apply(session, manager, gone.id, "dispose")
    count = stock_count.start_count(session, technician, shelf.id)
    outcome = stock_count.scan(session, technician, count.id, gone.tag)
    assert outcome.line.finding == F.UNEXPECTED and "disposed" in outcome.text
    stock_count.close_count(session, technician, count.id)
    with pytest.raises(moves.Disposed):
        stock_count.resolve_line(session, manager, outcome.line.line_id, R.MOVED_HERE)
    assert line_of(session, count.id, gone.tag).resolution == R.NONE


def test_a_missing_device_is_marked_missing_with_its_reason(session, manager, stock, closed):
    count, _doc = closed
    line = line_of(session, count.id, stock["shelf"][2].tag)
    stock_count.resolve_line(session, manager, line.line_id, R.MARKED_MISSING, "  not on the shelf ")
    marked = asset(session, stock["shelf"][2])
    assert marked.missing_since == stock_count.count_view(session, count.id).closed_at
    assert marked.missing_reason == "not on the shelf"
    assert marked.status == AssetStatus.RECEIVED  # the status is the lifecycle's, not the count's
    assert line_of(session, count.id, marked.tag).reason == "not on the shelf"


def test_marking_missing_needs_a_reason(session, manager, stock, closed):
    count, _doc = closed
    line = line_of(session, count.id, stock["shelf"][2].tag)
    with pytest.raises(stock_count.ReasonRequired):
        stock_count.resolve_line(session, manager, line.line_id, R.MARKED_MISSING, "   ")
    assert asset(session, stock["shelf"][2]).missing_since is None


def test_ignoring_needs_a_reason(session, manager, closed):
    count, _doc = closed
    line = line_of(session, count.id, "NOTADEVICE42")
    with pytest.raises(stock_count.ReasonRequired):
        stock_count.resolve_line(session, manager, line.line_id, R.IGNORED)
    stock_count.resolve_line(session, manager, line.line_id, R.IGNORED, "an old inventory sticker")
    assert line_of(session, count.id, "NOTADEVICE42").resolution == R.IGNORED


def test_a_missing_device_found_elsewhere_needs_a_scan_to_its_place_first(session, technician,
                                                                          manager, other_shelf,
                                                                          stock, closed):
    count, _doc = closed
    lost = stock["shelf"][2]
    line = line_of(session, count.id, lost.tag)
    with pytest.raises(stock_count.StillRecordedHere, match="Scan to move"):
        stock_count.resolve_line(session, manager, line.line_id, R.FOUND_ELSEWHERE)
    moves.move_by_scan(session, technician, other_shelf.code, lost.tag)
    stock_count.resolve_line(session, manager, line.line_id, R.FOUND_ELSEWHERE)
    with pytest.raises(stock_count.AlreadyResolved, match="found elsewhere"):
        stock_count.resolve_line(session, manager, line.line_id, R.IGNORED, "changed my mind")


@pytest.mark.parametrize("key,resolution", [
    ("NOTADEVICE42", R.MOVED_HERE), ("missing", R.MOVED_HERE), ("elsewhere", R.MARKED_MISSING),
    ("found", R.IGNORED),
])
def test_a_resolution_that_does_not_fit_the_finding_is_refused(session, manager, stock, closed,
                                                               key, resolution):
    count, _doc = closed
    tag = {"missing": stock["shelf"][2].tag, "elsewhere": stock["elsewhere"].tag,
           "found": stock["shelf"][0].tag}.get(key, key)
    line = line_of(session, count.id, tag)
    with pytest.raises(stock_count.ResolutionNotPossible):
        stock_count.resolve_line(session, manager, line.line_id, resolution, "a reason")


def test_a_technician_cannot_resolve(session, technician, stock, closed):
    count, _doc = closed
    line = line_of(session, count.id, stock["elsewhere"].tag)
    with pytest.raises(PermissionDenied):
        stock_count.resolve_line(session, technician, line.line_id, R.MOVED_HERE)


def test_lines_are_resolved_only_after_the_count_is_closed(session, technician, manager, count,
                                                           stock):
    outcome = stock_count.scan(session, technician, count.id, stock["elsewhere"].tag)
    with pytest.raises(stock_count.CountNotClosed):
        stock_count.resolve_line(session, manager, outcome.line.line_id, R.MOVED_HERE)


def test_the_last_resolution_issues_the_final_report(session, manager, stock, closed, pdf_tools,
                                                     tmp_path):
    count, first_report = closed
    results = [
        stock_count.resolve_line(session, manager, line_of(session, count.id, key).line_id, how, why)
        for key, how, why in ((stock["elsewhere"].tag, R.MOVED_HERE, None),
                              (stock["shelf"][2].tag, R.MARKED_MISSING, "not on the shelf"),
                              ("NOTADEVICE42", R.IGNORED, "an old inventory sticker"))]
    assert [r.final_report is None for r in results] == [True, True, False]
    final = results[-1].final_report
    assert stock_count.report_pdf(session, count.id).number == final.number != first_report.number
    text = pdf_text(final.pdf, tmp_path)
    assert "All lines are resolved." in text
    assert f"Replaces report {first_report.number}" in text
    assert "moved here" in text and "marked missing" in text and "ignored" in text
    assert "not on the shelf" in text and "an old inventory sticker" in text
    assert "Mia Manager" in text
    # the report issued at closing stays as it was printed
    session.expire_all()
    assert session.get(Document, first_report.id).sha256 == first_report.sha256


def test_a_count_where_everything_was_found_needs_no_resolution(session, technician, shelf, stock,
                                                                pdf_tools, tmp_path):
    count = stock_count.start_count(session, technician, shelf.id)
    for a in stock["shelf"]:
        stock_count.scan(session, technician, count.id, a.tag)
    document = stock_count.close_count(session, technician, count.id)
    assert stock_count.count_view(session, count.id).open_lines == 0
    assert "All lines are resolved." in pdf_text(document.pdf, tmp_path)


def test_every_step_of_a_count_is_in_the_audit_trail(session, manager, stock, closed):
    count, _doc = closed
    line = line_of(session, count.id, "NOTADEVICE42")
    stock_count.resolve_line(session, manager, line.line_id, R.IGNORED, "old sticker")
    actions = {e.action for e in audit.history(session, "count", count.id)}
    assert {"start_count", "close_count"} <= actions
    events = audit.history(session, "count_line", line.line_id)
    assert [e.action for e in events] == ["count_scan", "count_ignored"]
    assert json.loads(events[-1].changes)["reason"] == [None, "old sticker"]
    assert audit.verify_chain(session).ok


def test_a_refused_close_leaves_no_lines_and_no_document(session, auditor, count, stock):
    with pytest.raises(PermissionDenied):
        stock_count.close_count(session, auditor, count.id)
    assert session.scalar(select(func.count()).select_from(StockCountLine)) == 0
    assert session.scalar(select(func.count()).select_from(Document)) == 0
