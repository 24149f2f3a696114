"""The Sales page: a round with prices and rules, the draw, scanning paid and unpaid devices."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sales_helpers import PHONE, ready_device, staff_members
from sqlalchemy import select

from app import clock
from app.config import Settings
from app.models import AssetStatus, ItemStatus, Role, SaleItem, User
from app.services import auth, pricing, sales
from app.ui.main_window import MainWindow
from app.ui.sales_dialogs import OverrideDialog

pytestmark = pytest.mark.calendar  # reads the calendar: `make test` runs it a year ahead too

# The pictures in docs/screenshots are renewed with DEPOT_SCREENSHOTS=docs/screenshots; a plain
# test run writes them to a temporary folder, so running the tests never changes the repository.
SHOTS = Path(os.environ.get("DEPOT_SCREENSHOTS") or Path(tempfile.gettempdir()) / "depot-screenshots")


@pytest.fixture
def warehouse(ui_database, admin, pinned_clock):
    """A round open today; the app's clock stands still, so prices keep the age they had."""
    today = clock.today()
    with ui_database.session() as s:
        boss = auth.add_user(s, admin, "mia", "Mia Manager", Role.MANAGER, "mgr-pass-1")
        tech = auth.add_user(s, admin, "tine", "Tine Technieker", Role.TECHNICIAN, "tech-pass-1")
        devices = [ready_device(s, tech, boss, f"L-{i}") for i in range(4)]
        devices += [ready_device(s, tech, boss, f"F-{i}", kind=PHONE, cost="580") for i in range(3)]
        people = staff_members(s, boss, 5)
        round_ = sales.open_round(s, boss, "Personeelsverkoop najaar", today - dt.timedelta(days=7),
                                  today, [d.id for d in devices], limits={"laptop": 1, "smartphone": 1},
                                  eligibility="Alle personeelsleden", today=today)
        for n, item in enumerate(round_.items):
            for person in people[: (n % 4) + (0 if n == 6 else 1)]:
                sales.register_interest(s, tech, item.id, person.id, today=today)
        return {"round": round_.id, "tags": [d.tag for d in devices], "today": today}


def open_page(qtbot, ui_database, tmp_path, username: str):
    with ui_database.session() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
    settings = Settings(site_name="Testmagazijn", extra={
        "printing": {"label_target": "folder", "folder": str(tmp_path / "out")}})
    window = MainWindow(ui_database, user, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("sales")
    page = window.stack.currentWidget()
    page.confirm = lambda _text: True  # "labels removed? hand it over?" answered yes
    return window, page


@pytest.fixture
def manager_desk(qtbot, ui_database, tmp_path, english, warehouse):
    return open_page(qtbot, ui_database, tmp_path, "mia")


def test_round_shows_each_device_with_its_price_and_rule(manager_desk, warehouse):
    window, page = manager_desk
    assert page.model.rowCount() == 7
    first = [page.model.text(page.model.rows[0], c) for c in range(page.model.columnCount())]
    # Residual-value rule for a B-grade laptop bought on 1 March 2022 at € 1 150 (pricing.json):
    # 1150 × start 0.70 × 0.65^(months/12) × grade 0.85, months counted to the round's day.
    months = pricing.age_in_months(dt.date(2022, 3, 1), warehouse["today"])
    expected = round(1150 * 0.70 * 0.65 ** (months / 12) * 0.85)
    assert first[0] == warehouse["tags"][0] and first[3] == f"€{expected}.00"  # English figures on an English desk
    assert "grade B counts 85%" in first[4] and first[5] == "1" and first[6] == "offered"
    assert "at most per person: 1 × laptop, 1 × smartphone" in page.info.text()
    assert window.width() == 1280 and page.table.width() < 1280
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "sales-open-round.png"))


def test_close_and_draw_allocates_and_shows_the_seed(manager_desk, ui_database, warehouse):
    window, page = manager_desk
    page.close_button.click()
    statuses = [r.status for r in page.model.rows]
    assert ItemStatus.OFFERED not in statuses and ItemStatus.ALLOCATED in statuses
    with ui_database.session() as s:
        seed = sales.get_round(s, warehouse["round"]).seed
    assert f"lottery seed {seed}" in page.info.text()
    assert all(r.ogm.startswith("+++") for r in page.model.rows if r.status == ItemStatus.ALLOCATED)
    page.table.selectRow(0)
    window.grab().save(str(SHOTS / "sales-drawn.png"))


def test_scanning_an_unpaid_device_refuses_the_handover(manager_desk, ui_database):
    window, page = manager_desk
    page.close_button.click()
    row = next(r for r in page.model.rows if r.status == ItemStatus.ALLOCATED)
    window.route_scan(row.tag)
    assert "is not paid yet" in page.last_message and row.ogm in page.last_message
    with ui_database.session() as s:
        assert s.scalar(select(SaleItem).where(SaleItem.id == row.id)).asset.status == AssetStatus.RESERVED


def test_scanning_a_paid_device_hands_it_over_with_a_receipt(manager_desk, ui_database, tmp_path):
    window, page = manager_desk
    page.close_button.click()
    row = next(r for r in page.model.rows if r.status == ItemStatus.ALLOCATED)
    with ui_database.session() as s:
        mia = s.scalars(select(User).where(User.username == "mia")).one()
        sales.register_payment(s, mia, row.id, "card")
    page.reload(keep=page.round_id())
    window.route_scan(row.tag)
    QApplication.processEvents()
    assert "sold; sales receipt" in page.last_message
    assert [r.status for r in page.model.rows if r.tag == row.tag] == [ItemStatus.SOLD]
    assert (tmp_path / "out" / "documents" / f"sales-receipt-{row.tag}.pdf").exists()


def test_catalogue_is_saved_as_pdf_and_xlsx(manager_desk, tmp_path):
    _window, page = manager_desk
    assert page.save_catalogue("pdf", str(tmp_path / "c.pdf")).read_bytes().startswith(b"%PDF")
    assert page.save_catalogue("xlsx", str(tmp_path / "c.xlsx")).read_bytes().startswith(b"PK")


def test_technician_may_register_interest_but_not_open_or_draw(qtbot, ui_database, tmp_path,
                                                               english, warehouse):
    _window, page = open_page(qtbot, ui_database, tmp_path, "tine")
    page.table.selectRow(0)
    assert page.interest_button.isEnabled()
    assert not page.close_button.isEnabled() and not page.override_button.isEnabled()
    assert page.new_button.isHidden()


def test_refused_override_is_said_in_the_dialog_and_changes_nothing(qtbot, english):
    dialog = OverrideDialog("CD00000013", "92.00", "rule")
    qtbot.addWidget(dialog)

    def refuse(_d):
        from app.services.sales import SameVerifier

        raise SameVerifier(name="Mia Manager")

    dialog.on_accept = refuse
    dialog.accept()
    assert dialog.error.isVisibleTo(dialog) and "second manager" in dialog.error.text()
    assert dialog.result() == 0


def test_dutch_page_screenshot(qtbot, ui_database, tmp_path, dutch, warehouse):
    window, page = open_page(qtbot, ui_database, tmp_path, "mia")
    page.close_button.click()
    assert page.close_button.text() == "Afsluiten en loten"
    window.grab().save(str(SHOTS / "sales-nl.png"))


def test_new_round_dialog_offers_ready_devices_with_their_proposed_price(qtbot, english):
    from decimal import Decimal

    from app.services.sales import ReadyDevice
    from app.ui.sales_dialogs import NewRoundDialog

    devices = [ReadyDevice(n, f"CD0000{n:03d}{n % 10}", "laptop", "Dell Latitude 5420", "B",
                           Decimal(92)) for n in range(1, 9)]
    dialog = NewRoundDialog(devices, dt.date(2026, 11, 29))
    qtbot.addWidget(dialog)
    dialog.title.setText("Personeelsverkoop najaar")
    dialog.check_all(3)
    values = dialog.values()
    assert values["asset_ids"] == [1, 2, 3] and values["limits"] == {"laptop": 1, "smartphone": 1}
    assert values["closes_on"] == dt.date(2026, 12, 13)
    assert "€92.00" in dialog.devices.item(0).text()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(SHOTS / "sales-new-round.png"))
