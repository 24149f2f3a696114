"""The refurbishment bench with the scanner and the function keys: grade and verdict by barcode.

The checklist and the wipe are done beforehand (as the bench and a wipe-report import would);
at the desk the technician scans the device, scans GRADE B and PASS from the command sheet.
"""

from __future__ import annotations

import pytest
from bench_helpers import answer_checklist, wipe_and_verify
from screen import scan_bar
from sqlalchemy import select

from app.models import Asset, AssetStatus, Category, Grade, MediumKind, Role, User
from app.services import assets, refurbishment
from app.services.assets import MediumSpec


@pytest.fixture
def laptop(warehouse):
    with warehouse.session() as s:
        tine = s.scalars(select(User).where(User.username == "tine")).one()
        mia = s.scalars(select(User).where(User.role == Role.MANAGER)).one()
        device = assets.register_asset(s, tine, category=Category.LAPTOP, manufacturer="Dell",
                                       model="Latitude 5420", serial="BENCH-1",
                                       media=[MediumSpec(MediumKind.NVME, "BENCH-1-D", 256)])
        refurbishment.start(s, tine, device.id)
        answer_checklist(s, tine, device.id)
        wipe_and_verify(s, tine, mia, device.id)
        return device.tag


def device(warehouse, tag: str) -> Asset:
    with warehouse.session() as s:
        return s.scalars(select(Asset).where(Asset.tag == tag)).one()


def test_grade_and_pass_by_command_barcodes(start, desk, warehouse, laptop):
    window = start("tine")
    desk.shortcut("Ctrl+4")
    assert window.current_page_key() == "refurbishment"
    desk.scan(laptop)
    desk.scan("CMD-GRADE_B")
    assert device(warehouse, laptop).grade == Grade.B
    assert scan_bar(window)[0] == "good"
    desk.scan("CMD-PASS")
    assert device(warehouse, laptop).status == AssetStatus.READY
    verdict, message = scan_bar(window)
    assert verdict == "good" and laptop in message


def test_pass_without_a_grade_is_refused_and_f9_passes_once_graded(start, desk, warehouse, laptop):
    window = start("tine")
    desk.shortcut("Ctrl+4")
    desk.scan(laptop)
    desk.shortcut("F9")  # pass: no grade yet
    assert device(warehouse, laptop).status == AssetStatus.IN_REFURBISHMENT
    assert scan_bar(window)[0] == "bad"
    desk.scan("CMD-GRADE_A")
    desk.shortcut("F9")
    assert device(warehouse, laptop).status == AssetStatus.READY


def test_a_bench_command_at_intake_is_refused(start, desk):
    window = start("tine")
    desk.type("Jan Peeters")
    desk.enter()
    desk.scan("CMD-GRADE_A")
    verdict, message = scan_bar(window)
    assert verdict == "bad" and "herstelling" in message
