"""The bench's whole path on demo data, as the issue's "done when" describes it:
scan a received laptop, answer its checklist, import its nwipe report, have a manager
verify it (signing in for that action), grade it B, pass it — and see that a laptop
whose disk was not wiped cannot pass on this screen or any other."""

from __future__ import annotations

import json

import pytest
from simkeys import Keyboard
from sqlalchemy import select

from app.config import Settings
from app.models import Asset, AssetStatus, Category, StorageMedium, User
from app.services import auth, demo, lifecycle
from app.services.errors import GuardFailed
from app.ui.main_window import MainWindow

from test_refurbishment_page import answer_everything, sign_in_to_verify  # noqa: E402


@pytest.fixture
def ui_database(demo_copy):
    """A demo warehouse of 40 devices with eighteen months of history (made once a session)."""
    return demo_copy(40, 5)


@pytest.fixture
def demo_bench(qtbot, ui_database, english):
    with ui_database.session() as s:
        tech = s.scalar(select(User).where(User.username == "technieker"))
    window = MainWindow(ui_database, tech, Settings(extra={"sound_muted": True}))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("refurbishment")
    return window, window.stack.currentWidget()


def received_laptops(database) -> list[tuple[int, str, str]]:
    with database.session() as s:
        rows = s.execute(select(Asset.id, Asset.tag, StorageMedium.serial)
                         .join(StorageMedium, StorageMedium.asset_id == Asset.id)
                         .where(Asset.status == AssetStatus.RECEIVED, Asset.category == Category.LAPTOP))
        return [tuple(r) for r in rows]


def nwipe_report(tmp_path, disk_serial: str):
    report = {
        "report_metadata": {"nwipe_version": "0.37", "date": "2026-11-20T10:15:00+01:00"},
        "organization": {"name": "Provincie"},
        "device": {"name": "/dev/nvme0n1", "model": "Samsung PM981", "serial_no": disk_serial,
                   "size_bytes": 256060514304, "size_text": "256 GB"},
        "wipe_result": {"status": "success", "rounds_requested": 1, "pass_errors": 0,
                        "verify_errors": 0, "method": "PRNG Stream",
                        "verification": "Verify Last Pass",
                        "start_time": "2026-11-20T09:12:03+01:00",
                        "end_time": "2026-11-20T10:14:41+01:00", "duration_seconds": 3758},
    }
    path = tmp_path / f"{disk_serial}.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    return path


def test_a_demo_laptop_goes_over_the_bench_with_scanner_keyboard_and_a_wipe_report(
        qtbot, demo_bench, ui_database, tmp_path):
    window, page = demo_bench
    laptops = received_laptops(ui_database)
    assert laptops, "the demo has received laptops"
    asset_id, tag, disk = laptops[0]
    Keyboard(window.windowHandle()).scan(tag)
    qtbot.waitUntil(lambda: page.view is not None)
    answer_everything(page)
    page.save_checklist()
    dialog = page.open_import_dialog()
    [outcome] = dialog.import_paths([str(nwipe_report(tmp_path, disk))])
    assert outcome.ok, outcome.message
    dialog.reject()
    page.select_medium(page.view.media[0].medium_id)
    verify = sign_in_to_verify(page, "manager", demo.DEMO_PASSWORD)
    assert not verify.isVisible()
    page.set_grade("B")
    page.pass_checks()
    with ui_database.session() as s:
        assert s.get(Asset, asset_id).status == AssetStatus.READY
        assert s.get(Asset, asset_id).grade.value == "B"


def test_an_unwiped_laptop_cannot_pass_on_any_screen(qtbot, demo_bench, ui_database):
    window, page = demo_bench
    asset_id, tag, _disk = received_laptops(ui_database)[0]
    page.handle_scan(tag)
    answer_everything(page)
    page.save_checklist()
    page.set_grade("B")
    page.pass_checks()
    assert page.scan_bar.state == "bad"
    # …and not through the service either, whoever calls it.
    with ui_database.session() as s:
        boss = s.scalar(select(User).where(User.username == "manager"))
        with pytest.raises(GuardFailed):
            lifecycle.apply(s, boss, asset_id, "pass_checks")
        assert s.get(Asset, asset_id).status == AssetStatus.IN_REFURBISHMENT


def test_spare_parts_are_harvested_and_issued_from_the_bench(qtbot, demo_bench, ui_database):
    window, page = demo_bench
    with ui_database.session() as s:
        tag = s.scalar(select(Asset.tag).where(Asset.status == AssetStatus.AWAITING_DISPOSAL)
                       .order_by(Asset.id).limit(1))
    assert tag, "the demo has devices awaiting disposal"
    dialog = page.open_parts_dialog()
    dialog.tag.setText(tag)
    dialog.kind.setCurrentIndex(dialog.kind.findData("ram"))
    dialog.description.setText("8 GB DDR4 SO-DIMM")
    assert dialog.harvest(), dialog.error.text()
    assert "1 × memory (RAM)" in dialog.stock_label.text()
    dialog.table.selectRow(0)
    assert dialog.issue(dialog.selected_part(), "into CD00000021")
    assert dialog.table.rowCount() == 0


def test_a_harvested_disk_is_not_issued_before_its_wipe_is_verified(qtbot, demo_bench, ui_database):
    window, page = demo_bench
    with ui_database.session() as s:
        asset_id, tag = s.execute(select(Asset.id, Asset.tag).join(StorageMedium)
                                  .where(Asset.status == AssetStatus.AWAITING_DISPOSAL,
                                         StorageMedium.removed.is_(False)).limit(1)).first()
    dialog = page.open_parts_dialog()
    dialog.tag.setText(tag)
    dialog._load_media()
    dialog.kind.setCurrentIndex(dialog.kind.findData("ssd"))
    dialog.medium.setCurrentIndex(1)
    dialog.description.setText("256 GB NVMe")
    assert dialog.harvest(), dialog.error.text()
    dialog.table.selectRow(0)
    assert not dialog.issue(dialog.selected_part(), "into a desktop")
    assert "verified sanitisation" in dialog.error.text()
