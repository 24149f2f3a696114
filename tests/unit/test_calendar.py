"""The rules that read the calendar, at the moments calendars go wrong.

Every test runs at a month end, the last half hour of the year, the first half hour of the next
(Brussels has its new year while UTC still has the old one), the night of 23 hours (clocks go
forward, last Sunday of March), the night of 25 hours (the repeated hour, last Sunday of
October), a leap day and a year from today. The app's clock is pinned at each (app/clock.py);
the expected figures follow from the rule's inputs and the Brussels calendar.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sales_helpers import ready_device, staff_members

from app import clock
from app.config import Settings
from app.models import Asset, AssetStatus, Category, Grade, ItemStatus, PartyType
from app.services import (
    assets,
    auth,
    backup,
    intake,
    inventory,
    parties,
    pricing,
    privacy,
    processors,
    reports,
    sales,
)
from app.services.processors import CertificationExpired
from app.timefmt import BRUSSELS, local

pytestmark = pytest.mark.calendar


def _a_year_from_today() -> dt.datetime:
    day = clock.SystemClock().now().astimezone(BRUSSELS).date() + dt.timedelta(days=365)
    return dt.datetime.combine(day, dt.time(12), tzinfo=BRUSSELS)


MOMENTS = {
    "month-end": dt.datetime(2027, 4, 30, 23, 30, tzinfo=BRUSSELS),
    "year-end": dt.datetime(2026, 12, 31, 23, 30, tzinfo=BRUSSELS),
    "new-year": dt.datetime(2027, 1, 1, 0, 30, tzinfo=BRUSSELS),  # UTC: 31/12 23:30
    "23-hour-night": dt.datetime(2027, 3, 28, 3, 30, tzinfo=BRUSSELS),
    "25-hour-night": dt.datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=BRUSSELS),  # the second 02:30
    "leap-day": dt.datetime(2028, 2, 29, 12, 0, tzinfo=BRUSSELS),
    "a-year-on": _a_year_from_today(),
}


@pytest.fixture(params=list(MOMENTS), ids=list(MOMENTS))
def moment(request, pinned_clock) -> dt.datetime:
    """The moment under test, in UTC; the app's clock stands there."""
    at = MOMENTS[request.param].astimezone(dt.UTC)
    pinned_clock.set(at)
    return at


def brussels_day(at: dt.datetime) -> dt.date:
    return at.astimezone(BRUSSELS).date()


def next_brussels_midnight(at: dt.datetime) -> dt.datetime:
    day = brussels_day(at) + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(), tzinfo=BRUSSELS).astimezone(dt.UTC)


def laptop(session, actor, serial: str) -> Asset:
    return assets.register_asset(session, actor, category=Category.LAPTOP, manufacturer="Dell",
                                 model="Latitude 5420", serial=serial)


@pytest.fixture
def service(session, manager):
    return parties.create_party(session, manager, PartyType.SERVICE, name="Dienst Mobiliteit")


def test_the_moments_are_what_they_say():
    """The two clock-change nights really are 23 and 25 hours long in Brussels."""
    def night(day: dt.date) -> float:
        start = dt.datetime.combine(day, dt.time(), tzinfo=BRUSSELS).astimezone(dt.UTC)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=BRUSSELS)
        return (end.astimezone(dt.UTC) - start).total_seconds() / 3600

    assert night(dt.date(2027, 3, 28)) == 23 and night(dt.date(2027, 10, 31)) == 25
    assert MOMENTS["new-year"].astimezone(dt.UTC).date() == dt.date(2026, 12, 31)


def test_clock_today_is_the_brussels_day(moment):
    assert clock.today() == brussels_day(moment)


def test_document_numbers_carry_the_brussels_year(session, technician, service, moment):
    lot = intake.open_lot(session, technician, service.id, "Jan Peeters")
    assert lot.number.startswith(f"IL-{brussels_day(moment).year}-")


def test_stale_stock_is_what_waited_longer_than_the_threshold(session, technician, pinned_clock,
                                                                moment):
    pinned_clock.set(moment - dt.timedelta(days=61))
    old = laptop(session, technician, "OLD-1")
    pinned_clock.set(moment - dt.timedelta(days=59))
    recent = laptop(session, technician, "NEW-1")
    pinned_clock.set(moment)
    stale = inventory.page(session, inventory.InventoryQuery(stale_only=True, stale_days=60))
    assert [r.tag for r in stale.rows] == [old.tag]
    rows = {r.tag: r for r in inventory.page(session, inventory.InventoryQuery()).rows}
    assert (rows[old.tag].days_in_status, rows[recent.tag].days_in_status) == (61, 59)
    assert rows[old.tag].stale and not rows[recent.tag].stale


def test_days_in_stock_count_calendar_days(session, technician, pinned_clock, moment):
    """Received the evening before is one day ago, however long the night was."""
    evening = dt.datetime.combine(brussels_day(moment) - dt.timedelta(days=1), dt.time(20),
                                  tzinfo=BRUSSELS)
    pinned_clock.set(evening.astimezone(dt.UTC))
    device = laptop(session, technician, "EVE-1")
    pinned_clock.set(moment)
    row = inventory.page(session, inventory.InventoryQuery()).rows[0]
    assert row.tag == device.tag and row.days_in_status == 1


def test_price_counts_whole_months_of_age_on_the_brussels_day(moment):
    today = brussels_day(moment)
    two_years = dt.date(today.year - 2, today.month, 1)
    tomorrow = today + dt.timedelta(days=1)
    not_quite = dt.date(tomorrow.year - 2, tomorrow.month, tomorrow.day)
    device = Asset(category=Category.LAPTOP, grade=Grade.B, purchase_cost=Decimal(1000))
    device.purchase_date = two_years
    assert pricing.propose(device).inputs["months"] == 24
    device.purchase_date = not_quite
    assert pricing.propose(device).inputs["months"] == 23


def test_this_months_figures_are_the_brussels_month(session, manager, technician, moment):
    laptop(session, technician, "NOW-1")
    period = reports.Period.of("this_month")
    today = brussels_day(moment)
    assert (period.start, period.end) == (today.replace(day=1), today)
    counted = reports.received_per_month(session, manager, period)
    assert [(m.month, m.count) for m in counted] == [(f"{today:%Y-%m}", 1)]


def test_unpaid_sale_expires_the_day_after_its_deadline(session, technician, manager, pinned_clock,
                                                        moment):
    device = ready_device(session, technician, manager, "SALE-1")
    buyer = staff_members(session, manager, 1)[0]
    today = brussels_day(moment)
    round_ = sales.open_round(session, manager, "Ronde", today, today, [device.id], payment_days=14)
    sales.register_interest(session, manager, round_.items[0].id, buyer.id)
    sales.close_round(session, manager, round_.id, language="en")
    item = round_.items[0]
    assert item.status == ItemStatus.ALLOCATED and item.due_on == today + dt.timedelta(days=14)

    last_minute = next_brussels_midnight(
        dt.datetime.combine(item.due_on, dt.time(12), tzinfo=BRUSSELS)) - dt.timedelta(minutes=1)
    pinned_clock.set(last_minute)
    assert sales.expired_count(session) == 0 and sales.expire_unpaid(session, manager) == []
    pinned_clock.advance(minutes=2)
    assert sales.expired_count(session) == 1
    assert [i.id for i in sales.expire_unpaid(session, manager)] == [item.id]
    assert device.status == AssetStatus.READY


def test_contact_persons_are_purged_after_exactly_the_retention(session, manager, pinned_clock,
                                                               moment):
    retention = dt.timedelta(days=privacy.DEFAULT_RETENTION_DAYS)

    def school(name: str, when: dt.datetime):
        pinned_clock.set(when)
        return parties.create_party(session, manager, PartyType.SCHOOL, name=name, street="Kerkstraat 1",
                                    postcode="9000", city="Gent", contact_name="Els Janssens")

    old = school("Oude school", moment - retention - dt.timedelta(hours=1))
    school("Jonge school", moment - retention + dt.timedelta(hours=1))
    pinned_clock.set(moment)
    assert [c.id for c in privacy.plan(session, manager).contacts] == [old.id]


def test_lock_out_ends_at_the_time_it_shows(session, technician, pinned_clock, moment):
    for _ in range(4):
        with pytest.raises(auth.SignInFailed):
            auth.authenticate(session, "tom", "wrong-guess")
    with pytest.raises(auth.AccountLocked) as locked:
        auth.authenticate(session, "tom", "wrong-guess")
    until = moment + auth.lock_period(5)
    assert locked.value.params["time"] == local(until).strftime("%H:%M")
    pinned_clock.set(until - dt.timedelta(seconds=1))
    with pytest.raises(auth.AccountLocked):
        auth.authenticate(session, "tom", "tech-pass-1")
    pinned_clock.set(until)
    assert auth.authenticate(session, "tom", "tech-pass-1").username == "tom"


def test_certification_holds_through_its_last_day(session, manager, pinned_clock, moment):
    party = processors.create_processor(
        session, manager, name="Galloo Recycling", enterprise_number="BE 0403.170.701",
        registration_number="OVAM 2019/123", street="Wervikstraat 1", postcode="8930", city="Menen")
    processors.add_certification(session, manager, party.id, "weeelabex", brussels_day(moment))
    assert processors.check_processor(session, party).valid_until == brussels_day(moment)
    pinned_clock.set(next_brussels_midnight(moment) + dt.timedelta(minutes=1))
    with pytest.raises(CertificationExpired):
        processors.check_processor(session, party)


def test_daily_backup_is_made_once_per_brussels_day(tmp_path, migrated_sqlite_url, pinned_clock,
                                                    moment):
    from app.db import open_database

    database = open_database(migrated_sqlite_url)
    settings = Settings(extra={backup.FOLDER_KEY: str(tmp_path / "backups")})
    try:
        first = backup.run_scheduled(database.engine, settings)
        assert first is not None and first.name == f"depot-{brussels_day(moment):%Y-%m-%d}.sqlite"
        pinned_clock.advance(minutes=20)
        assert backup.run_scheduled(database.engine, settings) is None
        pinned_clock.set(next_brussels_midnight(moment) + dt.timedelta(minutes=1))
        second = backup.run_scheduled(database.engine, settings)
        assert second is not None and second.name == f"depot-{clock.today():%Y-%m-%d}.sqlite"
    finally:
        database.dispose()
