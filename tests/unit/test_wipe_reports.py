"""Importing wipe reports (nwipe JSON, the documented CSV) as sanitisation records awaiting verification."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import (
    Category,
    MediumKind,
    SanitisationMethod,
    SanitisationOutcome,
    SanitisationRecord,
    StorageMedium,
    VerificationResult,
)
from app.services import sanitisation, wipe_reports
from app.services.assets import MediumSpec, register_asset
from app.services.permissions import SYSTEM

DATA = Path(__file__).resolve().parents[1] / "data" / "wipe"
SSD_SERIAL = "S3Z9NB0K123456"
HDD_SERIAL = "WD-WCC4N7XYZ123"


@pytest.fixture
def laptop(session, technician):
    return register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                          model="Latitude 5420", serial="LAP-0001",
                          media=[MediumSpec(MediumKind.SSD, SSD_SERIAL, 256)])


@pytest.fixture
def desktop(session, technician):
    # Typed in by hand at intake, with a space and in lower case: matching still finds it.
    return register_asset(session, technician, category=Category.DESKTOP, manufacturer="HP",
                          model="EliteDesk 800 G3", serial="DESK-0001",
                          media=[MediumSpec(MediumKind.HDD, "wd-wcc4n7xyz123 ", 500)])


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def import_sample(session, actor, name: str) -> wipe_reports.ImportOutcome:
    return wipe_reports.import_report(session, actor, name, sample(name))


def records(session) -> list[SanitisationRecord]:
    session.expire_all()
    return session.scalars(select(SanitisationRecord).order_by(SanitisationRecord.id)).all()


def record_count(session) -> int:
    return session.scalar(select(func.count()).select_from(SanitisationRecord))


def nwipe_report(**wipe_result) -> bytes:
    result = {"status": "success", "pass_errors": 0, "verify_errors": 0,
              "start_time": "2026-11-20T09:12:03+01:00", "end_time": "2026-11-20T10:14:41+01:00",
              **wipe_result}
    return json.dumps({"report_metadata": {"nwipe_version": "0.37"},
                       "device": {"model": "Samsung SSD 860 EVO", "serial_no": SSD_SERIAL},
                       "wipe_result": {k: v for k, v in result.items() if v is not None}}).encode()


# --- nwipe JSON ---------------------------------------------------------------------------------

def test_a_good_nwipe_report_records_a_nist_clear_overwrite(session, technician, laptop):
    outcome = import_sample(session, technician, "nwipe-good.json")
    assert outcome == wipe_reports.ImportOutcome(
        "nwipe-good.json", 1, True, "1 wipe recorded; a manager must verify it.")
    [rec] = records(session)
    assert rec.medium_id == laptop.media[0].id and rec.asset_id == laptop.id
    assert (rec.method, rec.technique, rec.outcome) == (
        SanitisationMethod.CLEAR, "overwrite", SanitisationOutcome.WIPED)
    assert (rec.tool, rec.tool_version) == ("nwipe", "0.37")
    assert rec.verification_method == "Verify Last Pass"
    assert rec.verification_result == VerificationResult.PASSED
    assert rec.media_model == "Samsung SSD 860 EVO 250GB" and rec.media_serial == SSD_SERIAL
    assert rec.performed_at == dt.datetime(2026, 11, 20, 9, 14, 41, tzinfo=dt.UTC)
    assert rec.source == "nwipe"
    assert rec.report_sha256 == wipe_reports.read_report("nwipe-good.json",
                                                         sample("nwipe-good.json"))[2]
    assert "PRNG Stream" in rec.notes


def test_an_imported_wipe_is_by_the_importer_and_waits_for_a_manager(session, technician, manager,
                                                                     laptop):
    import_sample(session, technician, "nwipe-good.json")
    [rec] = records(session)
    assert rec.operator_id == technician.id and rec.verifier_id is None
    assert "second person" in sanitisation.release_problem(session, laptop)
    sanitisation.verify(session, manager, rec.id)
    assert sanitisation.release_problem(session, laptop) is None


def test_the_importer_cannot_verify_their_own_import(session, manager, laptop):
    import_sample(session, manager, "nwipe-good.json")
    [rec] = records(session)
    with pytest.raises(sanitisation.FourEyesViolation):
        sanitisation.verify(session, manager, rec.id)


def test_the_report_nwipe_writes_with_unix_times_is_understood(session, technician, desktop):
    outcome = import_sample(session, technician, "nwipe-unix-times.json")
    assert outcome.ok, outcome.message
    [rec] = records(session)
    assert rec.medium_id == desktop.media[0].id
    assert rec.tool_version == "0.40"
    assert rec.verification_method is None  # nwipe's own JSON does not say whether it verified
    assert rec.performed_at == dt.datetime(2026, 11, 20, 9, 38, 33, tzinfo=dt.UTC)


def test_times_without_offset_are_brussels_time(session, technician, laptop):
    data = nwipe_report(start_time="2026-07-01 09:00:00", end_time="2026-07-01 10:30:00")
    assert wipe_reports.import_report(session, technician, "summer.json", data).ok
    [rec] = records(session)
    assert rec.performed_at == dt.datetime(2026, 7, 1, 8, 30, tzinfo=dt.UTC)  # CEST is UTC+2


@pytest.mark.parametrize("name,reason", [
    ("nwipe-failed.json", "The wipe of S3Z9NB0K123456 failed: the tool reported “failure”"),
    ("nwipe-verify-errors.json", "The wipe of S3Z9NB0K123456 failed: 3 verification errors"),
])
def test_a_failed_wipe_is_refused_with_its_reason_and_records_nothing(session, technician, laptop,
                                                                     name, reason):
    outcome = import_sample(session, technician, name)
    assert not outcome.ok and outcome.recorded == 0
    assert outcome.message == f"{reason} — wipe again or destroy the disk."
    assert record_count(session) == 0


def test_pass_errors_fail_a_wipe_the_tool_called_a_success(session, technician, laptop):
    outcome = wipe_reports.import_report(session, technician, "r.json", nwipe_report(pass_errors=1))
    assert not outcome.ok and "1 pass error" in outcome.message
    assert record_count(session) == 0


def test_a_file_that_is_not_json_is_refused_with_where_it_breaks(session, technician, laptop):
    outcome = import_sample(session, technician, "nwipe-malformed.json")
    assert not outcome.ok
    assert outcome.message.startswith("The file is not valid JSON (line 4, column")
    assert record_count(session) == 0


def test_a_report_without_the_disk_serial_is_refused(session, technician, laptop):
    outcome = import_sample(session, technician, "nwipe-no-serial.json")
    assert not outcome.ok
    assert outcome.message == "The report lacks device.serial_no, which every wipe report must have."
    assert record_count(session) == 0


def test_an_unregistered_disk_is_refused_with_what_to_do(session, technician, laptop):
    outcome = import_sample(session, technician, "nwipe-unknown-serial.json")
    assert outcome.message == ("No storage medium with serial Z5K8T9XQ is registered — add the medium "
                               "to its device first.")
    assert not outcome.ok and record_count(session) == 0


def test_two_media_with_the_same_serial_are_refused_as_ambiguous(session, technician, laptop):
    twin = register_asset(session, technician, category=Category.LAPTOP, manufacturer="Lenovo",
                          model="ThinkPad T14", serial="LAP-0002",
                          media=[MediumSpec(MediumKind.SSD, SSD_SERIAL.lower(), 256)])
    outcome = import_sample(session, technician, "nwipe-good.json")
    assert not outcome.ok and record_count(session) == 0
    assert outcome.message.startswith(f"2 storage media have serial {SSD_SERIAL}")
    assert laptop.tag in outcome.message and twin.tag in outcome.message


def test_the_same_report_imported_twice_is_refused(session, technician, laptop):
    assert import_sample(session, technician, "nwipe-good.json").ok
    again = import_sample(session, technician, "nwipe-good.json")
    assert not again.ok and again.recorded == 0
    assert again.message == (f"This report was already imported for disk {SSD_SERIAL} of {laptop.tag}; "
                             "nothing was added.")
    assert record_count(session) == 1


def test_a_verify_only_run_is_not_a_wipe(session, technician, laptop):
    outcome = wipe_reports.import_report(session, technician, "r.json",
                                         nwipe_report(method="Verify Zeros (0x00)"))
    assert not outcome.ok and "verification-only run" in outcome.message
    assert record_count(session) == 0


def test_a_firmware_sanitize_by_nwipe_is_a_purge(session, technician, laptop):
    data = nwipe_report(method="Sanitize Crypto Erase (ATA/SCSI/NVMe)")
    assert wipe_reports.import_report(session, technician, "r.json", data).ok
    [rec] = records(session)
    assert (rec.method, rec.technique) == (SanitisationMethod.PURGE, "crypto_erase")


@pytest.mark.parametrize("changes,fragment", [
    ({"end_time": "20/11/2026 10:14"}, "wipe_result.end_time is not a date and time"),
    ({"start_time": None}, "The report lacks wipe_result.start_time"),
    ({"start_time": 0}, "wipe_result.start_time is not a date and time"),
    ({"end_time": "2026-11-20T08:00:00+01:00"}, "The wipe ends (20/11/2026 08:00:00) before it starts"),
    ({"start_time": "2030-01-01T08:00:00Z", "end_time": "2030-01-01T09:00:00Z"}, "in the future"),
    ({"verify_errors": -1}, "wipe_result.verify_errors is not valid"),
    ({"status": None}, "The report lacks wipe_result.status"),
])
def test_bad_values_are_refused_with_the_field_named(session, technician, laptop, changes, fragment):
    outcome = wipe_reports.import_report(session, technician, "r.json", nwipe_report(**changes))
    assert not outcome.ok and fragment in outcome.message, outcome.message
    assert record_count(session) == 0


# --- CSV ----------------------------------------------------------------------------------------

def test_a_csv_records_every_disk_with_its_own_nist_fields(session, technician, laptop, desktop):
    outcome = import_sample(session, technician, "disks-good.csv")
    assert outcome == wipe_reports.ImportOutcome(
        "disks-good.csv", 2, True, "2 wipes recorded; a manager must verify them.")
    ssd, hdd = records(session)
    assert ssd.medium_id == laptop.media[0].id and hdd.medium_id == desktop.media[0].id
    assert (ssd.method, ssd.technique, ssd.tool, ssd.tool_version) == (
        SanitisationMethod.PURGE, "crypto_erase", "Parted Magic Secure Erase", "2024.05")
    assert (hdd.method, hdd.technique, hdd.tool) == (
        SanitisationMethod.CLEAR, "overwrite", "ShredOS nwipe, PRNG Stream")
    assert (hdd.media_manufacturer, hdd.media_model) == ("Western Digital", "WD5000AAKX")
    assert hdd.verification_method == "full read-back"
    assert hdd.performed_at == dt.datetime(2026, 11, 21, 9, 2, 30, tzinfo=dt.UTC)
    assert {r.source for r in (ssd, hdd)} == {"csv"}
    assert ssd.report_sha256 == hdd.report_sha256 == wipe_reports.read_report(
        "disks-good.csv", sample("disks-good.csv"))[2]
    assert {r.operator_id for r in (ssd, hdd)} == {technician.id}
    assert {r.verifier_id for r in (ssd, hdd)} == {None}


def test_one_bad_csv_line_records_nothing_from_the_file(session, technician, laptop, desktop):
    outcome = import_sample(session, technician, "disks-bad-date.csv")
    assert not outcome.ok and outcome.recorded == 0
    assert outcome.message.startswith("Line 3: start_time is not a date and time: “21/11/2026 08:35”")
    assert record_count(session) == 0


def test_a_semicolon_csv_with_a_bom_from_excel_is_read(session, technician, laptop, desktop):
    outcome = import_sample(session, technician, "disks-semicolon-bom.csv")
    assert outcome.ok and outcome.recorded == 2, outcome.message
    ssd, hdd = records(session)
    assert (ssd.method, ssd.technique, ssd.tool) == (
        SanitisationMethod.PURGE, "block_erase", "Blancco Drive Eraser")
    assert ssd.verification_method == "Blancco verificatie, 10 % steekproef"
    assert hdd.medium_id == desktop.media[0].id and hdd.verification_method is None


def test_a_csv_without_the_header_row_is_refused(session, technician, laptop):
    data = b"S3Z9NB0K123456,Samsung,SSD,nwipe,0.37,clear,overwrite,success,0,0," \
           b"2026-11-21T08:30:00+01:00,2026-11-21T09:30:00+01:00,\n"
    outcome = wipe_reports.import_report(session, technician, "disks.csv", data)
    assert not outcome.ok and outcome.message.startswith("The first line must name the columns; "
                                                         "missing: serial, manufacturer")
    assert record_count(session) == 0


def test_a_csv_line_with_a_failed_wipe_refuses_the_file(session, technician, laptop, desktop):
    data = sample("disks-good.csv").replace(b"clear,overwrite,success", b"clear,overwrite,failed")
    outcome = wipe_reports.import_report(session, technician, "disks.csv", data)
    assert outcome.message == ("Line 3: The wipe of WD-WCC4N7XYZ123 failed: the tool reported “failed” "
                               "— wipe again or destroy the disk.")
    assert record_count(session) == 0


def test_a_disk_listed_twice_in_one_csv_is_refused(session, technician, laptop):
    good = sample("disks-good.csv").splitlines()
    outcome = wipe_reports.import_report(session, technician, "d.csv", b"\n".join([good[0], good[1], good[1]]))
    assert outcome.message == f"Line 3: disk {SSD_SERIAL} is already listed on line 2."
    assert record_count(session) == 0


def test_a_file_that_is_not_utf8_is_refused(session, technician, laptop):
    data = sample("disks-good.csv").replace(b"read-back", "contrôle".encode("cp1252"))
    outcome = wipe_reports.import_report(session, technician, "disks.csv", data)
    assert not outcome.ok and "not UTF-8" in outcome.message


# --- who may import, files and the command line --------------------------------------------------

def test_an_auditor_cannot_import(session, auditor, laptop):
    outcome = import_sample(session, auditor, "nwipe-good.json")
    # the refusal says who may import and as whom the auditor is signed in
    assert not outcome.ok and outcome.message == (
        "This is for: Technician, Manager. You are signed in as: Auditor.")
    assert record_count(session) == 0


def test_the_system_actor_cannot_import_because_a_record_names_a_person(session, laptop):
    outcome = import_sample(session, SYSTEM, "nwipe-good.json")
    assert not outcome.ok and "names the person" in outcome.message
    assert record_count(session) == 0


def test_cli_import_prints_one_line_per_file_and_fails_if_any_file_failed(session, technician, laptop,
                                                                         capsys, tmp_path):
    missing = tmp_path / "gone.json"
    paths = [str(DATA / "nwipe-good.json"), str(DATA / "nwipe-failed.json"), str(missing)]
    assert wipe_reports.cli_import(session, technician, paths) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{paths[0]}: committed — 1 wipe recorded; a manager must verify it.",
        (f"{paths[1]}: refused — The wipe of {SSD_SERIAL} failed: the tool reported “failure” — "
         "wipe again or destroy the disk."),
        f"{paths[2]}: refused — The file cannot be read: No such file or directory.",
        "Files: 3, committed: 1, refused: 2; wipes recorded: 1.",
    ]
    assert record_count(session) == 1


def test_cli_import_succeeds_when_every_file_was_recorded(session, technician, laptop, desktop, capsys):
    paths = [str(DATA / "nwipe-good.json"), str(DATA / "nwipe-unix-times.json")]
    assert wipe_reports.cli_import(session, technician, paths) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3  # a line per file and the totals
    assert session.scalar(select(func.count()).select_from(StorageMedium)) == record_count(session) == 2
