"""The Reports figures, on SQLite and PostgreSQL, against a small warehouse with a known history.

The history is made through the services (intake, bench, lifecycle) with the
audit trail's and the lifecycle's clock set by the test, so events fall on
chosen days — some just before or after a Brussels month boundary. Expected
values are computed here from the stored rows by plain Python (a second,
independent reading of the same facts), and the headline numbers are also
spelled out by hand from the story below.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from bench_helpers import pass_bench
from openpyxl import load_workbook
from sqlalchemy import literal, select

from app.models import (
    Asset,
    AssetStatus,
    AuditEvent,
    Category,
    MediumKind,
    Party,
    PartyType,
    Role,
    UTCDateTime,
)
from app.paths import RESOURCES
from app.services import assets, audit, intake, lifecycle, parties, reports
from app.services.assets import MediumSpec
from app.services.errors import PermissionDenied, ValidationError
from app.services.reports import Period

pytestmark = pytest.mark.calendar  # reads the calendar: `make test` runs it a year ahead too

UTC = dt.UTC
BRUSSELS = ZoneInfo("Europe/Brussels")
YEAR_2024 = Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))


class Clock:
    """The time the audit trail and the lifecycle write, set by the test."""

    def __init__(self) -> None:
        self.now = dt.datetime(2024, 1, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, text: str) -> None:
        self.now = dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(audit, "utcnow", c)
    monkeypatch.setattr(lifecycle, "utcnow", c)
    return c


MEDIA = {Category.LAPTOP: MediumKind.NVME, Category.DESKTOP: MediumKind.SSD,
         Category.SMARTPHONE: MediumKind.FLASH, Category.TABLET: MediumKind.FLASH,
         Category.SERVER: MediumKind.HDD}


class Warehouse:
    """Builds the story: every step at a chosen UTC time."""

    def __init__(self, session, clock, technician, manager) -> None:
        self.s, self.clock, self.tech, self.mgr = session, clock, technician, manager
        self.n = 0
        self.service = parties.create_party(session, manager, PartyType.SERVICE, name="Dienst Mobiliteit")
        self.school = parties.create_party(session, manager, PartyType.SCHOOL, name="Basisschool De Regenboog",
                                           street="Kerkstraat 12", postcode="9000", city="Gent")
        self.charity = parties.create_party(session, manager, PartyType.CHARITY, name="Digitaal Talent vzw",
                                            street="Dok Noord 7", postcode="9000", city="Gent")
        self.public_body = parties.create_party(session, manager, PartyType.PUBLIC_BODY, name="OCMW Gent",
                                                street="Onderbergen 86", postcode="9000", city="Gent")
        self.staff = parties.create_party(session, manager, PartyType.STAFF, name="An Peeters",
                                          staff_number="P10234", email="an.peeters@provincie.example")

    def register(self, when: str, category: Category, weight: str | None = None,
                 announced: bool = False, **fields) -> Asset:
        self.clock.at(when)
        self.n += 1
        kind = MEDIA.get(category)
        return assets.register_asset(
            self.s, self.tech, category=category, manufacturer="Dell", model=f"Model {self.n}",
            serial=f"SN{self.n:05d}", media=[MediumSpec(kind, f"M{self.n:05d}", 256)] if kind else [],
            weight_kg=Decimal(weight) if weight else None, announced=announced, **fields)

    def step(self, when: str, asset: Asset, name: str, **ctx) -> None:
        self.clock.at(when)
        lifecycle.apply(self.s, self.mgr, asset.id, name, **ctx)

    def ready(self, when: str, asset: Asset) -> None:
        self.clock.at(when)
        pass_bench(self.s, self.tech, self.mgr, asset.id)

    def hand_over(self, when: str, asset: Asset, recipient: Party, sell: bool = False) -> None:
        self.step(when, asset, "reserve", purpose="sale" if sell else "handover")
        self.step(when, asset, "sell" if sell else "transfer", recipient=recipient, labels_removed=True)


@pytest.fixture
def warehouse(session, clock, technician, manager) -> Warehouse:
    w = Warehouse(session, clock, technician, manager)
    L = Category.LAPTOP
    l1 = w.register("2024-01-15T09:00", L)
    w.ready("2024-01-20T10:00", l1)
    w.hand_over("2024-02-10T10:00", l1, w.school)
    l8 = w.register("2024-01-05T09:00", L, announced=True)  # announced in January …
    w.step("2024-02-15T09:00", l8, "receive")  # … received in February
    m1 = w.register("2024-02-01T08:00", Category.MONITOR, weight="5.3")
    w.step("2024-02-02T08:00", m1, "start_checks")
    w.step("2024-02-03T08:00", m1, "fail_checks")
    w.ready("2024-02-20T09:00", l8)
    w.hand_over("2024-03-01T09:00", l8, w.school)
    m3 = w.register("2024-03-01T10:00", Category.MONITOR)  # no weight recorded
    w.step("2024-03-02T10:00", m3, "retire")
    l2 = w.register("2024-03-31T22:30", L)  # 00:30 on 1 April in Brussels
    p1 = w.register("2024-04-01T08:00", Category.SMARTPHONE, weight="0.2")
    w.ready("2024-04-05T09:00", l2)
    w.ready("2024-04-10T09:00", p1)
    w.hand_over("2024-04-20T09:00", p1, w.charity)
    t1 = w.register("2024-05-01T09:00", Category.TABLET)
    w.hand_over("2024-05-05T09:00", l2, w.staff, sell=True)
    w.step("2024-06-01T09:00", m1, "dispose")
    w.step("2024-06-01T09:30", m3, "dispose")
    w.register("2024-06-01T10:00", Category.PRINTER, data_bearing=False)  # stays received
    l3 = w.register("2024-06-10T09:00", L)
    w.step("2024-06-11T09:00", l3, "start_checks")  # stays on the bench
    w.register("2024-06-15T09:00", L, announced=True)  # announced, never arrives
    s1 = w.register("2024-07-01T09:00", Category.SERVER)
    w.ready("2024-07-10T09:00", s1)
    w.hand_over("2024-08-01T09:00", s1, w.staff)  # handed over (not sold) to a staff member
    # An intake undone at the desk: its receive event stays in the trail, the device does not.
    w.clock.at("2024-08-02T12:00")
    lot = intake.open_lot(w.s, w.tech, w.service.id)
    w.register("2024-08-02T12:01", L, intake_lot_id=lot.id)
    w.clock.at("2024-08-02T12:05")
    intake.undo_last(w.s, w.tech, lot.id)
    w.register("2024-08-02T12:10", L, intake_lot_id=lot.id)  # may get the undone row's id
    w.step("2024-09-01T09:00", p1, "return_after_second_life")
    l7 = w.register("2024-09-01T10:00", L)
    w.ready("2024-09-02T10:00", l7)
    w.step("2024-09-03T10:00", l7, "reserve", purpose="internal")  # stays reserved
    m2 = w.register("2024-09-05T09:00", Category.MONITOR, weight="5.0")
    w.step("2024-09-06T09:00", m2, "retire")  # awaits disposal
    w.step("2024-10-31T23:30", p1, "dispose")  # 00:30 on 1 November in Brussels
    d1 = w.register("2024-10-31T22:30", Category.DESKTOP)  # 23:30 on 31 October in Brussels
    w.ready("2024-11-05T09:00", d1)
    w.hand_over("2024-11-15T09:00", d1, w.service)
    w.ready("2024-12-01T09:00", t1)
    w.hand_over("2025-01-10T09:00", t1, w.public_body)
    return w


# --- an independent reading of the stored rows ---------------------------------------------

def in_period(moment: dt.datetime, period: Period) -> bool:
    day = moment.astimezone(BRUSSELS).date()
    return (period.start is None or day >= period.start) and (period.end is None or day <= period.end)


def month_of(moment: dt.datetime) -> str:
    return moment.astimezone(BRUSSELS).strftime("%Y-%m")


def read_rows(session):
    devices = {a.id: a for a in session.scalars(select(Asset))}
    party_type = {p.id: p.type for p in session.scalars(select(Party))}
    events = [e for e in session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "asset")
                                         .order_by(AuditEvent.seq))
              if "status" in json.loads(e.changes)]
    return devices, party_type, events


def expected_received(session, period: Period) -> Counter:
    devices, _types, events = read_rows(session)
    return Counter(month_of(e.occurred_at) for e in events
                   if e.action == "receive" and e.entity_id in devices
                   and devices[e.entity_id].tag == e.entity_ref and in_period(e.occurred_at, period))


def expected_first_exits(session, period: Period) -> list[dict]:
    """Per device: the first transfer, sale or disposal in its history, if it falls in the period."""
    devices, types, events = read_rows(session)
    exits = []
    for asset in devices.values():
        mine = [e for e in events if e.entity_id == asset.id and e.entity_ref == asset.tag]
        received = next((e.occurred_at for e in mine if e.action == "receive"), None)
        first = next((e for e in mine if e.action in ("transfer", "sell", "dispose")), None)
        if first is None or not in_period(first.occurred_at, period):
            continue
        kind = {"transfer": "transferred", "sell": "sold", "dispose": "disposed"}[first.action]
        exits.append({"kind": kind, "category": asset.category,
                          "recipient": types.get(asset.recipient_id) if kind != "disposed" else None,
                          "days": (first.occurred_at - received).total_seconds() / 86400 if received else None})
    return exits


def expected_destinations(exits: list[dict]) -> dict[str, int]:
    out = Counter()
    for x in exits:
        if x["kind"] == "disposed":
            out["recycling"] += 1
        elif x["kind"] == "sold" or x["recipient"] == PartyType.STAFF:
            out["staff"] += 1
        elif x["recipient"] in (PartyType.SERVICE, PartyType.PUBLIC_BODY):
            out["internal"] += 1
        elif x["recipient"] == PartyType.SCHOOL:
            out["schools"] += 1
        elif x["recipient"] == PartyType.CHARITY:
            out["charities"] += 1
        else:
            out["other"] += 1
    return out


PERIODS = [YEAR_2024, Period.of("all"), Period(dt.date(2024, 4, 1), dt.date(2024, 4, 30)),
           Period(dt.date(2024, 10, 1), dt.date(2024, 10, 31)),
           Period(dt.date(2024, 11, 1), dt.date(2024, 11, 30)), Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))]


# --- received per month ----------------------------------------------------------------------

def test_received_per_month_counts_receive_events_in_brussels_months(session, manager, warehouse):
    months = reports.received_per_month(session, manager, YEAR_2024)
    assert [m.month for m in months] == [f"2024-{n:02d}" for n in range(1, 13)]
    assert [m.count for m in months] == [1, 2, 1, 2, 1, 2, 1, 1, 2, 1, 0, 0]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.dates_label())
def test_received_per_month_matches_the_rows(session, manager, warehouse, period):
    got = {m.month: m.count for m in reports.received_per_month(session, manager, period) if m.count}
    assert got == dict(expected_received(session, period))


def test_a_receipt_just_before_midnight_utc_on_the_last_of_march_counts_for_april(session, manager, warehouse):
    april = Period(dt.date(2024, 4, 1), dt.date(2024, 4, 30))
    assert [m.count for m in reports.received_per_month(session, manager, april)] == [2]


def test_an_undone_intake_is_not_counted_as_received(session, manager, warehouse):
    august = Period(dt.date(2024, 8, 1), dt.date(2024, 8, 31))
    assert [m.count for m in reports.received_per_month(session, manager, august)] == [1]


def test_all_time_runs_from_the_first_receipt_to_this_month(session, manager, warehouse):
    months = reports.received_per_month(session, manager, Period.of("all"))
    assert months[0].month == "2024-01"
    assert months[-1].month == reports.today_local().strftime("%Y-%m")
    assert sum(m.count for m in months) == 14


# --- stock ------------------------------------------------------------------------------------

def test_stock_is_what_is_in_the_warehouse_now_by_status_and_category(session, manager, warehouse):
    cells = {(c.status, c.category): c.count
             for c in reports.stock_by_status_and_category(session, manager)}
    S, C = AssetStatus, Category
    assert cells == {(S.RECEIVED, C.LAPTOP): 1, (S.RECEIVED, C.PRINTER): 1,
                     (S.IN_REFURBISHMENT, C.LAPTOP): 1, (S.RESERVED, C.LAPTOP): 1,
                     (S.AWAITING_DISPOSAL, C.MONITOR): 1}
    expected = Counter((a.status, a.category) for a in session.scalars(select(Asset))
                       if a.status in reports.STOCK_STATUSES)
    assert cells == dict(expected)


# --- exits ------------------------------------------------------------------------------------

def test_second_life_rate_over_the_first_exits_of_2024(session, manager, warehouse):
    rate = reports.second_life(session, manager, YEAR_2024)
    # handed over: L1, L8 (school), P1 (charity), D1 (service), S1 (staff); sold: L2.
    # disposed without a second life: M1, M3. P1's disposal came after its second life.
    assert (rate.reused, rate.disposed) == (6, 2)
    assert rate.rate == pytest.approx(0.75)


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.dates_label())
def test_exit_figures_match_the_rows(session, manager, warehouse, period):
    exits = expected_first_exits(session, period)
    data = reports.figures(session, manager, period)
    reused = sum(1 for x in exits if x["kind"] in ("transferred", "sold"))
    assert (data.second_life.reused, data.second_life.disposed) == (reused, len(exits) - reused)
    got = {d.key: d.count for d in data.destinations if d.count}
    assert got == dict(expected_destinations(exits))
    days = [x["days"] for x in exits if x["days"] is not None]
    if days:
        assert data.days_to_exit.average_days == pytest.approx(sum(days) / len(days), abs=1e-4)
    else:
        assert data.days_to_exit.average_days is None
    assert data.days_to_exit.devices == len(days)


def test_destinations_of_2024(session, manager, warehouse):
    got = {d.key: d.count for d in reports.destinations(session, manager, YEAR_2024)}
    assert got == {"internal": 1, "schools": 2, "charities": 1, "staff": 2, "recycling": 2}


def test_a_public_body_is_an_internal_destination(session, manager, warehouse):
    got = {d.key: d.count for d in reports.destinations(session, manager, Period(dt.date(2025, 1, 1)))}
    assert got["internal"] == 1 and sum(got.values()) == 1


def test_days_to_exit_start_at_the_receipt_not_at_the_announcement(session, manager, warehouse):
    march = Period(dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    days = reports.days_to_exit(session, manager, march)  # L8: received 15/2 09:00, handed over 1/3 09:00
    assert (days.average_days, days.devices) == (pytest.approx(15.0, abs=1e-4), 1)


def test_kg_to_recycling_counts_every_disposal_of_the_period(session, manager, warehouse):
    weight = reports.recycling_weight(session, manager, YEAR_2024)
    assert weight.kg == Decimal("5.50")  # M1 5.3 + P1 0.2; M3 has no weight
    assert (weight.devices, weight.without_weight, weight.after_second_life) == (3, 1, 1)
    disposed = [a for a in session.scalars(select(Asset)) if a.status == AssetStatus.DISPOSED
                and in_period(a.status_changed_at, YEAR_2024)]
    assert weight.kg == sum((a.weight_kg for a in disposed if a.weight_kg is not None), Decimal(0))


def test_a_disposal_just_after_midnight_in_brussels_belongs_to_the_next_month(session, manager, warehouse):
    october = reports.recycling_weight(session, manager, Period(dt.date(2024, 10, 1), dt.date(2024, 10, 31)))
    november = reports.recycling_weight(session, manager, Period(dt.date(2024, 11, 1), dt.date(2024, 11, 30)))
    assert (october.devices, november.devices) == (0, 1)


def test_co2e_avoided_is_reused_devices_times_the_published_factor(session, manager, warehouse):
    co2e = reports.co2e_avoided(session, manager, YEAR_2024)
    factors = json.loads((RESOURCES / "co2e_factors.json").read_text(encoding="utf-8"))["factors"]
    reused = Counter(x["category"] for x in expected_first_exits(session, YEAR_2024)
                     if x["kind"] in ("transferred", "sold"))
    expected = sum(Decimal(factors[c.value]["kg_co2e"]) * n for c, n in reused.items())
    assert co2e.kg == expected == Decimal("4564.0")  # 3 laptops, a smartphone, a desktop, a server
    assert {line.category: line.devices for line in co2e.lines} == dict(reused)


def test_reused_devices_without_a_factor_are_counted_as_uncounted(session, manager, warehouse):
    w = warehouse
    printer = w.register("2025-02-01T09:00", Category.PRINTER, data_bearing=False)
    w.ready("2025-02-02T09:00", printer)
    w.hand_over("2025-02-03T09:00", printer, w.school)
    co2e = reports.co2e_avoided(session, manager, Period(dt.date(2025, 1, 1)))
    assert (co2e.devices, co2e.uncounted) == (2, 1)
    assert co2e.kg == Decimal("75.9")  # the tablet only


# --- periods, the SQL month, factors, permissions, export -------------------------------------

@pytest.mark.parametrize("preset, start, end", [
    ("this_month", dt.date(2025, 3, 1), dt.date(2025, 3, 14)),
    ("last_12_months", dt.date(2024, 4, 1), dt.date(2025, 3, 14)),
    ("this_year", dt.date(2025, 1, 1), dt.date(2025, 3, 14)),
    ("last_year", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("all", None, None),
])
def test_period_presets(preset, start, end):
    period = Period.of(preset, today=dt.date(2025, 3, 14))
    assert (period.start, period.end) == (start, end)


def test_last_12_months_has_twelve_months():
    assert len(Period.of("last_12_months", today=dt.date(2025, 1, 31)).months()) == 12


def test_period_bounds_are_brussels_midnights_in_utc():
    lo, hi = Period(dt.date(2024, 7, 1), dt.date(2024, 7, 31)).utc_bounds()
    assert lo == dt.datetime(2024, 6, 30, 22, 0, tzinfo=UTC)
    assert hi == dt.datetime(2024, 7, 31, 22, 0, tzinfo=UTC)


def test_the_sql_month_is_the_brussels_month_around_every_month_boundary(session):
    """The SQL month (time-zone data on PostgreSQL, the EU rule on SQLite) agrees with zoneinfo."""
    dialect = session.get_bind().dialect.name
    moments = []
    for year in (2023, 2024, 2025, 2026):
        for month in range(1, 13):
            midnight = dt.datetime(year, month, 1, tzinfo=BRUSSELS).astimezone(UTC)
            moments += [midnight + dt.timedelta(minutes=m) for m in (-61, -1, 0, 1, 59, 61)]
    exprs = [reports._local_month(dialect, literal(m, UTCDateTime)) for m in moments]
    got = session.execute(select(*exprs)).one()
    assert list(got) == [month_of(m) for m in moments]


def test_every_factor_names_its_published_source():
    data = json.loads((RESOURCES / "co2e_factors.json").read_text(encoding="utf-8"))
    assert set(data["factors"]) == {c.value for c in Category}
    assert "to be confirmed" in data["note"]
    for category, entry in data["factors"].items():
        assert entry["note"], category
        if entry["kg_co2e"] is not None:
            assert Decimal(entry["kg_co2e"]) > 0
            for key in ("title", "publisher", "year", "url"):
                assert entry[key], (category, key)


def test_a_deactivated_account_gets_no_figures(session):
    deactivated = SimpleNamespace(id=99, username="mia", role=Role.MANAGER, active=False)
    with pytest.raises(PermissionDenied):
        reports.figures(session, deactivated, YEAR_2024)


def test_export_csv_holds_every_figure(session, manager, warehouse, tmp_path):
    path = reports.export_figures(session, manager, YEAR_2024, tmp_path / "cijfers.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["Figure", "Item", "Value", "Unit", "Source"]
    figures = {r[0] for r in rows[1:]}
    assert {"Devices received per month", "Stock now by status and category", "Second-life rate",
            "Destinations", "Average days from intake to exit", "Sent to recycling",
            "CO2e avoided by reuse"} <= figures
    by_item = {(r[0], r[1]): r for r in rows}
    assert by_item[("Second-life rate", "Rate")][2] == "75.0"
    assert by_item[("Sent to recycling", "Weight")][2] == "5.50"
    assert by_item[("CO2e avoided by reuse", "Total")][2] == "4564.0"
    assert "base-impacts.ademe.fr" in by_item[("CO2e avoided by reuse", "laptop: factor")][4]


def test_export_xlsx_keeps_numbers_as_numbers(session, manager, warehouse, tmp_path):
    path = reports.export_figures(session, manager, YEAR_2024, tmp_path / "cijfers.xlsx")
    sheet = load_workbook(path).active
    rows = {(r[0], r[1]): r for r in sheet.iter_rows(values_only=True)}
    assert rows[("Devices received per month", "Total")][2] == 14
    assert rows[("CO2e avoided by reuse", "Total")][2] == pytest.approx(4564.0)


def test_export_refuses_other_file_types(session, manager, tmp_path):
    with pytest.raises(ValidationError):
        reports.export_figures(session, manager, YEAR_2024, tmp_path / "cijfers.pdf")


# --- stale stock -------------------------------------------------------------------------------

NEW_YEAR_2025 = dt.datetime(2025, 1, 1, 9, 0, tzinfo=UTC)


def test_stale_stock_is_ready_or_received_for_longer_than_the_threshold(session, manager,
                                                                         warehouse):
    fresh = warehouse.register("2024-12-01T09:00", Category.LAPTOP)
    warehouse.ready("2024-12-05T09:00", fresh)  # ready 27 days on New Year's day
    stale = reports.stale_stock(session, manager, days=60, now=NEW_YEAR_2025)
    # the printer (received in June) and the laptop received again in August
    assert (stale.days, stale.received, stale.ready, stale.devices) == (60, 2, 0, 2)
    stricter = reports.stale_stock(session, manager, days=20, now=NEW_YEAR_2025)
    assert (stricter.received, stricter.ready) == (2, 1)


def test_stale_stock_on_the_dashboard_is_what_the_inventory_flags(session, manager, warehouse):
    from app.services import inventory

    for days in (20, 60, 150, 400):
        flagged = inventory.count(session, inventory.InventoryQuery(stale_only=True, stale_days=days),
                                  now=NEW_YEAR_2025)
        assert reports.stale_stock(session, manager, days, now=NEW_YEAR_2025).devices == flagged


def test_the_figures_carry_stale_stock_with_the_threshold_from_the_settings(session, manager,
                                                                           warehouse):
    data = reports.figures(session, manager, YEAR_2024, stale_days=90)
    assert data.stale.days == 90 and data.stale.devices == 2  # both received in 2024


def test_export_holds_the_stale_stock(session, manager, warehouse, tmp_path):
    path = reports.write_export(reports.figures(session, manager, YEAR_2024, stale_days=45),
                                tmp_path / "cijfers.xlsx")
    rows = {(r[0], r[1]): r for r in load_workbook(path).active.iter_rows(values_only=True)}
    figure = "Stale stock (more than 45 days ready or received)"
    assert rows[(figure, "received")][2] == 2
    assert rows[(figure, "ready")][2] == 0
    assert rows[(figure, "Total")][2] == 2
