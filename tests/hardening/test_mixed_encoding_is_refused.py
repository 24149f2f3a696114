"""Finding 2: a file that is part UTF-8, part Windows-1252 is refused with the lines of each part."""

from __future__ import annotations

import pytest
from hardening_helpers import DEPOT_HEADER, wipe_csv, wipe_row

from app.services import asset_import, wipe_reports
from app.services.asset_import import MixedEncoding


def mixed_register() -> bytes:
    return b"\n".join((DEPOT_HEADER.encode(),
                       b"SN-1,Dell,Latitude,laptop,,,,,,,,Geleverd door Dienst Welzijn",
                       "SN-2,Dell,Latitude,laptop,,,,,,,,café".encode(),
                       "SN-3,Dell,Latitude,laptop,,,,,,,,één scherm".encode("cp1252")))


def test_a_register_mixing_utf8_and_windows_1252_is_refused_with_the_line_numbers(session):
    with pytest.raises(MixedEncoding) as refused:
        asset_import.validate(session, mixed_register(), "register.csv")
    assert "lines 3 are UTF-8, lines 4 are not" in refused.value.translated()


def test_a_register_all_in_windows_1252_is_still_read(session):
    data = (DEPOT_HEADER + "\nSN-1,Dell,Latitude,laptop,,,,,,,,één scherm").encode("cp1252")
    plan = asset_import.validate(session, data, "register.csv")
    assert plan.rows[0].values["notes"] == "één scherm"


def test_a_mixed_wipe_csv_is_refused_with_the_line_numbers(session, technician, laptop):
    data = wipe_csv(wipe_row("S3Z9NB0K123456", note="lecture complète"),
                    wipe_row("OTHER", note="vérifié")).replace("vérifié".encode(),
                                                              "vérifié".encode("cp1252"))
    outcome = wipe_reports.import_report(session, technician, "wipes.csv", data)
    assert not outcome.ok and "lines 2 are UTF-8, lines 3 are not" in outcome.message
