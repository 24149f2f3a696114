"""The inventory service: every filter, the search, every sort both ways, keyset paging, stale stock,
the per-value counts kept up to date from the audit trail, scans, and one device's whole story.

Listings are checked against a plain-Python reading of the same rules over all assets, on SQLite and
on PostgreSQL, and read both ways the service knows (walking an index in display order, or
sorting the few matches of a selective filter): both must give exactly the same pages.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest
from sqlalchemy import select

from app.db import open_database
from app.models import (
    Asset,
    AssetStatus,
    Category,
    Grade,
    Location,
    MediumKind,
    Party,
    PartyType,
    Role,
    utcnow,
)
from app.services import assets, demo, inventory, lifecycle, locations, parties, sanitisation
from app.services.assets import MediumSpec
from app.services.documents.intake_receipt import category_name
from app.services.errors import InvalidTag, PermissionDenied
from app.services.inventory import (
    DataStatus,
    InventoryQuery,
    QueryCancelled,
    SortColumn,
)
from app.services.permissions import SYSTEM
from app.services.sanitisation import MediumState
from app.timefmt import local

pytestmark = pytest.mark.calendar  # reads the calendar: `make test` runs it a year ahead too

_names = itertools.count()
NOW = utcnow()


# --- a warehouse shared by the read-only tests (one per database) -----------------------------------

def _fill(database) -> None:
    with database.session() as s:
        demo.fill(s, SYSTEM, 70, seed=3)
        svc = s.scalars(select(Party).where(Party.type == PartyType.SERVICE)).first()
        # the rarer shapes: no serial, no purchase date, no location, a model in two cases
        assets.register_asset(s, SYSTEM, category=Category.OTHER, manufacturer="Logitech",
                              model="MX Keys", serial=None, origin_service_id=svc.id)
        assets.register_asset(s, SYSTEM, category=Category.MONITOR, manufacturer="iiyama",
                              model="ProLite X2483", serial="11SN-0042")
        assets.register_asset(s, SYSTEM, category=Category.LAPTOP, manufacturer="Lenovo",
                              model="ThinkPad T14 Gen 2", serial="pf-lower 7",
                              purchase_date=dt.date(2019, 2, 28),
                              media=[MediumSpec(MediumKind.SSD, "S3Z", 256)])


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def stock(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('stock') / 'stock.sqlite'}"
        drop = None
    else:
        server = request.getfixturevalue("pg_server")
        name = f"stock_{os.getpid()}_{next(_names)}"
        url = server.create_database(name, template="depot_template")
        drop = (server, name)
    database = open_database(url)
    _fill(database)
    yield database
    database.dispose()
    if drop:
        drop[0].drop_database(drop[1])


# --- the rules, read plainly ---------------------------------------------------------------------

def everything(database, now=NOW):
    """Every asset with what the list shows, computed without the service."""
    with database.session() as s:
        out = []
        for a in s.scalars(select(Asset)):
            media = sanitisation.media_statuses(s, a)
            out.append({
                "id": a.id, "tag": a.tag, "status": a.status, "category": a.category,
                "manufacturer": a.manufacturer, "model": a.model, "serial": a.serial_normalised, "grade": a.grade,
                "location": a.location.code if a.location else None, "location_id": a.location_id,
                "origin": a.origin_service.name if a.origin_service else None,
                "origin_id": a.origin_service_id, "purchase_date": a.purchase_date,
                "changed": a.status_changed_at, "data_bearing": a.data_bearing,
                "unsanitised": a.data_bearing and (not media or any(
                    m.state != MediumState.VERIFIED for m in media)),
                "stale": a.status in (AssetStatus.RECEIVED, AssetStatus.READY)
                and a.status_changed_at < now - dt.timedelta(days=60),
                "age": assets.age_months(a, now.date())})
        return out


STATUS_RANK = {s: i for i, s in enumerate(inventory.STATUS_ORDER)}
GRADE_RANK = {Grade.A: 0, Grade.B: 1, Grade.C: 2, Grade.D: 3, None: 4}


def reference_order(rows, sort: SortColumn, descending: bool) -> list[int]:
    keys = {
        SortColumn.TAG: lambda r: (r["tag"],),
        SortColumn.STATUS: lambda r: (STATUS_RANK[r["status"]], r["changed"], r["id"]),
        SortColumn.CATEGORY: lambda r: (category_name(r["category"]).casefold(), r["id"]),
        SortColumn.MODEL: lambda r: (r["manufacturer"].lower(), r["model"].lower(), r["model"], r["id"]),
        SortColumn.SERIAL: lambda r: (r["serial"] is None, r["serial"] or "", r["id"]),
        SortColumn.GRADE: lambda r: (GRADE_RANK[r["grade"]], r["id"]),
        SortColumn.LOCATION: lambda r: (r["location"] is None, (r["location"] or "").lower(), r["id"]),
        SortColumn.ORIGIN: lambda r: (r["origin"] is None, (r["origin"] or "").lower(),
                                      r["origin_id"] or 0, r["id"]),
        # youngest and fewest days first when ascending: the reverse of the date's order
        SortColumn.AGE: lambda r: (r["purchase_date"] is None, r["purchase_date"] or dt.date.min, r["id"]),
        SortColumn.DAYS_IN_STATUS: lambda r: (r["changed"], r["id"]),
    }[sort]
    flipped = sort in (SortColumn.AGE, SortColumn.DAYS_IN_STATUS)
    return [r["id"] for r in sorted(rows, key=keys, reverse=descending != flipped)]


def listed(database, q: InventoryQuery, limit: int = 7, now=NOW) -> list[int]:
    """Every id of the listing, read page by page through the cursors."""
    ids, cursor = [], None
    with database.session() as s:
        for _ in range(1000):
            page = inventory.page(s, q, cursor, limit, now=now)
            assert len(page.rows) <= limit
            ids.extend(r.id for r in page.rows)
            cursor = page.next
            if cursor is None:
                return ids
    raise AssertionError("the listing never ended")


@pytest.fixture(params=["walk", "sort"])
def reading(request, monkeypatch):
    """Read listings by walking an index in display order, or by sorting the filtered rows."""
    if request.param == "walk":
        monkeypatch.setattr(inventory, "few_matches", lambda total, limit: -1)
    else:
        monkeypatch.setattr(inventory, "few_matches", lambda total, limit: 10**9)
    return request.param


ALL_STATUSES = frozenset(AssetStatus)


# --- sorting and paging --------------------------------------------------------------------------

@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", list(SortColumn))
def test_every_column_sorts_both_ways_across_pages(stock, reading, sort, descending):
    # a filter that keeps every row lets the "sort" reading take place
    q = InventoryQuery(sort=sort, descending=descending, statuses=ALL_STATUSES)
    assert listed(stock, q) == reference_order(everything(stock), sort, descending)


@pytest.mark.parametrize("sort", list(SortColumn))
def test_a_walk_that_finds_too_little_is_redone_by_sorting(stock, monkeypatch, sort):
    monkeypatch.setattr(inventory, "few_matches", lambda total, limit: -1)
    monkeypatch.setattr(inventory, "WALK_BUDGET", 0)  # every walk on SQLite gives up at once
    q = InventoryQuery(sort=sort, statuses=frozenset({AssetStatus.READY, AssetStatus.SOLD}))
    rows = [r for r in everything(stock) if r["status"] in q.statuses]
    assert listed(stock, q) == reference_order(rows, sort, False)


def test_the_first_page_opens_in_tag_order(stock):
    with stock.session() as s:
        page = inventory.page(s, InventoryQuery(), limit=5)
    tags = sorted(r["tag"] for r in everything(stock))
    assert [r.tag for r in page.rows] == tags[:5] and page.next is not None


def test_the_last_page_has_no_cursor(stock):
    total = len(everything(stock))
    with stock.session() as s:
        page = inventory.page(s, InventoryQuery(), limit=total + 1)
    assert (len(page.rows), page.next) == (total, None)


def test_pages_continue_the_way_the_first_page_read(stock, monkeypatch):
    q = InventoryQuery(sort=SortColumn.LOCATION, statuses=ALL_STATUSES)
    monkeypatch.setattr(inventory, "few_matches", lambda total, limit: 10**9)
    with stock.session() as s:
        first = inventory.page(s, q, limit=10)
        monkeypatch.setattr(inventory, "few_matches", lambda total, limit: -1)  # the counts "change" between pages
        second = inventory.page(s, q, first.next, limit=10)
    expected = reference_order(everything(stock), SortColumn.LOCATION, False)
    assert [r.id for r in first.rows + second.rows] == expected[:20]


# --- filters -------------------------------------------------------------------------------------

FILTERS = {
    "status": (InventoryQuery(statuses=frozenset({AssetStatus.READY, AssetStatus.RECEIVED})),
               lambda r: r["status"] in (AssetStatus.READY, AssetStatus.RECEIVED)),
    "category": (InventoryQuery(categories=frozenset({Category.LAPTOP, Category.MONITOR})),
                 lambda r: r["category"] in (Category.LAPTOP, Category.MONITOR)),
    "grade": (InventoryQuery(grades=frozenset({Grade.B})), lambda r: r["grade"] == Grade.B),
    "ungraded": (InventoryQuery(grades=frozenset({None, Grade.A})),
                 lambda r: r["grade"] in (None, Grade.A)),
    "holds data": (InventoryQuery(data_status=DataStatus.HOLDS_DATA), lambda r: r["data_bearing"]),
    "no data": (InventoryQuery(data_status=DataStatus.NO_DATA), lambda r: not r["data_bearing"]),
    "unsanitised": (InventoryQuery(data_status=DataStatus.UNSANITISED), lambda r: r["unsanitised"]),
    "age": (InventoryQuery(age_min_months=24, age_max_months=60),
            lambda r: r["age"] is not None and 24 <= r["age"] <= 60),
    "age from": (InventoryQuery(age_min_months=72), lambda r: r["age"] is not None and r["age"] >= 72),
    "status and category": (
        InventoryQuery(statuses=frozenset({AssetStatus.TRANSFERRED, AssetStatus.READY}),
                       categories=frozenset({Category.LAPTOP, Category.DESKTOP})),
        lambda r: r["status"] in (AssetStatus.TRANSFERRED, AssetStatus.READY)
        and r["category"] in (Category.LAPTOP, Category.DESKTOP)),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_each_filter_lists_exactly_its_devices(stock, reading, name):
    q, keep = FILTERS[name]
    rows = [r for r in everything(stock) if keep(r)]
    assert rows, "the demo warehouse should have some"
    assert listed(stock, q) == reference_order(rows, SortColumn.TAG, False)


@pytest.mark.parametrize("name", list(FILTERS))
def test_count_agrees_with_the_listing(stock, name):
    q, _keep = FILTERS[name]
    with stock.session() as s:
        assert inventory.count(s, q) == len(listed(stock, q, limit=50))


def test_location_and_origin_filters(stock, reading):
    rows = everything(stock)
    location_id = next(r["location_id"] for r in rows if r["location_id"])
    origin_id = next(r["origin_id"] for r in rows if r["origin_id"])
    q = InventoryQuery(location_ids=frozenset({location_id}), origin_ids=frozenset({origin_id}))
    expected = [r for r in rows if r["location_id"] == location_id and r["origin_id"] == origin_id]
    assert listed(stock, q) == reference_order(expected, SortColumn.TAG, False)


def test_the_unfiltered_count_is_every_device(stock):
    with stock.session() as s:
        assert inventory.count(s, InventoryQuery()) == len(everything(stock))


# --- search ----------------------------------------------------------------------------------------

def search(stock, text, sort=SortColumn.TAG):
    return listed(stock, InventoryQuery(search=text, sort=sort))


def test_search_finds_a_tag_by_its_beginning(stock, reading):
    tag = sorted(r["tag"] for r in everything(stock))[12]
    hits = [r["tag"] for r in everything(stock) if r["tag"].startswith(tag[:-1])]
    assert tag in hits
    found = {r["tag"] for r in everything(stock) if r["id"] in search(stock, tag[:-1].lower())}
    assert found == set(hits)


def test_search_finds_a_serial_by_its_beginning_in_any_case(stock, reading):
    rows = everything(stock)
    serial = next(r["serial"] for r in rows if r["serial"] and r["serial"].startswith("5CG"))
    expected = {r["id"] for r in rows if r["serial"] and r["serial"].startswith(serial[:6])}
    assert set(search(stock, serial[:6].lower())) >= expected
    assert search(stock, "pf-LOWER 7") == [r["id"] for r in rows if r["serial"] == "PF-LOWER7"]


@pytest.mark.parametrize("text", ["lati", "THINKPAD", "book", "x2483", "fairphone 4"])
def test_search_finds_a_model_by_any_part_of_it(stock, reading, text):
    rows = everything(stock)
    expected = [r for r in rows if text.casefold() in r["model"].casefold()
                or text.casefold() in r["manufacturer"].casefold()
                or (r["serial"] or "").startswith(text.upper().replace(" ", ""))
                or r["tag"].startswith(text.upper())]
    assert expected
    assert search(stock, text) == reference_order(expected, SortColumn.TAG, False)


def test_search_finds_the_manufacturer(stock):
    ids = search(stock, "iiyama")
    assert [r["model"] for r in everything(stock) if r["id"] in ids] == ["ProLite X2483"]


def test_search_with_no_match_lists_nothing(stock):
    assert search(stock, "qqzzxx") == []
    with stock.session() as s:
        assert inventory.count(s, InventoryQuery(search="qqzzxx")) == 0


def test_search_and_a_filter_together(stock, reading):
    q = InventoryQuery(search="lat", statuses=frozenset({AssetStatus.READY, AssetStatus.TRANSFERRED}),
                       sort=SortColumn.MODEL, descending=True)
    rows = [r for r in everything(stock) if r["status"] in q.statuses and "lat" in r["model"].lower()]
    assert listed(stock, q) == reference_order(rows, SortColumn.MODEL, True)


# --- stale stock -------------------------------------------------------------------------------------

LATER = NOW + dt.timedelta(days=61)


def test_ready_and_received_devices_past_the_threshold_are_stale(stock):
    with stock.session() as s:
        rows = inventory.page(s, InventoryQuery(), limit=500, now=LATER).rows
    stale = {r.id for r in rows if r.stale}
    expected = {r["id"] for r in everything(stock, LATER) if r["stale"]}
    assert stale == expected and stale


def test_nothing_is_stale_before_the_threshold(stock):
    moment = NOW + dt.timedelta(days=59)
    with stock.session() as s:
        rows = inventory.page(s, InventoryQuery(), limit=500, now=moment).rows
    # the demo's history has old stock too: look at what changed within the threshold
    young = {r["id"] for r in everything(stock) if r["changed"] > moment - dt.timedelta(days=60)}
    assert young and not any(r.stale for r in rows if r.id in young)


def test_the_threshold_is_a_setting(stock):
    def stale(days: int) -> set[int]:
        q = InventoryQuery(stale_only=True, stale_days=days)
        with stock.session() as s:
            return {r.id for r in inventory.page(s, q, limit=500, now=LATER).rows}

    waiting = (AssetStatus.READY, AssetStatus.RECEIVED)
    expected = {r["id"] for r in everything(stock) if r["status"] in waiting
                and r["changed"] < LATER - dt.timedelta(days=90)}
    assert stale(90) == expected and expected < stale(60)


@pytest.mark.parametrize("sort", [SortColumn.TAG, SortColumn.STATUS, SortColumn.DAYS_IN_STATUS])
def test_stale_only_lists_the_stale_devices(stock, reading, sort):
    q = InventoryQuery(stale_only=True, sort=sort)
    rows = [r for r in everything(stock, LATER) if r["stale"]]
    assert listed(stock, q, now=LATER) == reference_order(rows, sort, False)


@pytest.mark.parametrize(("extra", "days"), [({}, 60), ({"stale_days": 30}, 30), ({"stale_days": "x"}, 60),
                                             ({"stale_days": 0}, 60), (None, 60)])
def test_stale_days_setting_defaults_to_60(extra, days):
    assert inventory.stale_days(extra) == days


def test_rows_carry_age_and_days_in_status(stock):
    with stock.session() as s:
        row = inventory.page(s, InventoryQuery(search="pf-lower"), now=LATER).rows[0]
    today = local(LATER).date()
    assert row.age_months == (today.year - 2019) * 12 + today.month - 2
    # calendar days in Brussels, not periods of 24 hours
    assert row.days_in_status == (today - local(row.status_changed_at).date()).days


# --- the counts behind the search follow every change -----------------------------------------------

@pytest.fixture
def small(database, technician):
    with database.session() as s:
        demo.fill(s, SYSTEM, 12, seed=5)
    return database


def test_a_new_model_is_found_at_once(small, technician, session):
    assert search(small, "zenbook") == []
    asset = assets.register_asset(session, technician, category=Category.LAPTOP, manufacturer="ASUS",
                                  model="ZenBook 14", serial="ZB-1")
    assert search(small, "zenbook") == [asset.id]


def test_a_renamed_model_is_found_at_once(small, technician, session):
    asset = session.scalars(select(Asset).order_by(Asset.id)).first()
    assert search(small, "special edition") == []
    assets.edit_asset(session, technician, asset.id, asset.version, model=asset.model + " Special Edition")
    assert search(small, "special edition") == [asset.id]


def test_a_device_moved_to_a_new_shelf_is_listed_by_location(small, technician, manager, session,
                                                             monkeypatch):
    monkeypatch.setattr(inventory, "few_matches", lambda total, limit: -1)  # walk the location groups
    shelf = locations.create_location(session, manager, "Centraal magazijn", "Z", "99", "9")
    asset = session.scalars(select(Asset).where(Asset.location_id.is_not(None))).first()
    q = InventoryQuery(sort=SortColumn.LOCATION, location_ids=frozenset({shelf.id}))
    assert listed(small, q) == []  # the counts are made now, before the move
    assets.move_asset(session, technician, asset.id, shelf.id)
    assert listed(small, q) == [asset.id]


def test_a_status_change_moves_the_device_between_groups(small, technician, session):
    asset = session.scalars(select(Asset).where(Asset.status == AssetStatus.RECEIVED)).first()
    q = InventoryQuery(sort=SortColumn.STATUS, statuses=frozenset({AssetStatus.IN_REFURBISHMENT}))
    before = listed(small, q)
    lifecycle.apply(session, technician, asset.id, "start_checks")
    assert asset.id not in before and asset.id in listed(small, q)


def test_a_cancelled_query_stops_on_sqlite(sqlite_url, monkeypatch):
    """SQLite queries are interrupted mid-way; PostgreSQL finishes its own, so this is SQLite's test."""
    from app.db import open_database

    database = open_database(sqlite_url)
    with database.session() as s:
        demo.fill(s, SYSTEM, 12, seed=5)
    monkeypatch.setattr(inventory, "_TICK", 1)
    with database.session() as s, pytest.raises(QueryCancelled):
        inventory.count(s, InventoryQuery(data_status=DataStatus.UNSANITISED), should_stop=lambda: True)
    database.dispose()


# --- scans ---------------------------------------------------------------------------------------------

def test_a_scanned_tag_finds_its_device(stock):
    row = everything(stock)[3]
    with stock.session() as s:
        assert inventory.find_code(s, row["tag"].lower()).asset_ids == (row["id"],)


def test_a_scanned_serial_finds_every_make_with_it(small, technician, session):
    a = assets.register_asset(session, technician, category=Category.MONITOR, manufacturer="Dell",
                              model="P2419H", serial="SAME-1")
    b = assets.register_asset(session, technician, category=Category.MONITOR, manufacturer="HP",
                              model="E24 G4", serial="same-1")
    assert inventory.find_code(session, " same-1 ").asset_ids == (a.id, b.id)


def test_a_mistyped_tag_is_refused(stock):
    tag = everything(stock)[0]["tag"]
    wrong = tag[:-1] + str((int(tag[-1]) + 1) % 10)
    with stock.session() as s, pytest.raises(InvalidTag):
        inventory.find_code(s, wrong)


def test_an_unknown_serial_finds_nothing(stock):
    with stock.session() as s:
        assert inventory.find_code(s, "NO-SUCH-SERIAL").asset_ids == ()


def test_a_location_code_is_recognised(stock):
    with stock.session() as s:
        location = s.scalars(select(Location)).first()
        match = inventory.find_code(s, location.code)
    assert (match.kind, match.location_id) == ("location", location.id)


# --- one device whole --------------------------------------------------------------------------

def _asset_in(database, status, with_media=False):
    from app.models import StorageMedium

    stmt = select(Asset).where(Asset.status == status).order_by(Asset.id)
    if with_media:
        stmt = stmt.where(Asset.media.any(StorageMedium.id.is_not(None)))
    with database.session() as s:
        return s.scalars(stmt).first()


def test_the_history_shows_who_did_what_with_old_and_new(stock):
    asset = _asset_in(stock, AssetStatus.TRANSFERRED)
    with stock.session() as s:
        view = inventory.asset_view(s, SYSTEM, asset.id)
    actions = [e.action for e in view.timeline]
    assert actions[0] == "receive" and "start checks" in actions and actions[-1] == "hand over"
    start = next(e for e in view.timeline if e.action == "start checks")
    assert start.actor == "Tine Technieker"
    assert "status: received → in refurbishment" in start.changes
    handover = view.timeline[-1]
    assert "status: reserved → transferred" in handover.changes
    assert any(line.startswith("recipient: ") for line in handover.changes)
    assert [e.occurred_at for e in view.timeline] == sorted(e.occurred_at for e in view.timeline)


def test_the_history_includes_the_bench_work(stock):
    asset = _asset_in(stock, AssetStatus.READY, with_media=True)
    with stock.session() as s:
        view = inventory.asset_view(s, SYSTEM, asset.id)
    actions = {e.action for e in view.timeline}
    assert {"checklist answered", "sanitisation recorded", "sanitisation verified"} <= actions
    verified = next(e for e in view.timeline if e.action == "sanitisation verified")
    assert verified.changes == ("verified by Marc Manager",)


def test_the_detail_shows_media_with_their_sanitisation_state(stock):
    ready = _asset_in(stock, AssetStatus.READY, with_media=True)
    received = _asset_in(stock, AssetStatus.RECEIVED, with_media=True)
    with stock.session() as s:
        done = inventory.asset_view(s, SYSTEM, ready.id)
        todo = inventory.asset_view(s, SYSTEM, received.id)
    assert {m.state for m in done.media} == {MediumState.VERIFIED}
    assert done.media[0].verifier == "Marc Manager" and done.media[0].method
    assert {m.state for m in todo.media} == {MediumState.MISSING}


def test_the_detail_lists_the_documents_that_mention_the_device(small, technician, session):
    from app.services import intake

    svc = parties.services(session)[0]
    lot = intake.open_lot(session, technician, svc.id)
    result = intake.interpret_scan(session, lot.id, "DOC-SERIAL-1")
    result.form.manufacturer, result.form.model = "Dell", "Latitude 5420"
    asset = intake.receive(session, technician, lot.id, result.form)
    receipt = intake.close_lot(session, technician, lot.id)
    view = inventory.asset_view(session, technician, asset.id)
    assert [(d.number, d.kind) for d in view.documents] == [(receipt.number, receipt.kind)]
    assert inventory.document_pdf(session, receipt.number) == receipt.pdf
    assert any(e.action == "intake lot closed" for e in view.timeline)


def _view(database, asset_id):
    with database.session() as s:
        return inventory.asset_view(s, SYSTEM, asset_id)


def test_the_detail_shows_every_field(stock):
    asset = _asset_in(stock, AssetStatus.READY)
    with stock.session() as s:
        fields = dict(inventory.asset_view(s, SYSTEM, asset.id).fields)
    view = _view(stock, asset.id)
    assert fields["Tag"] == asset.tag
    assert view.status_text.startswith("ready since ") and view.status_text.endswith(" days)")
    assert fields["Grade"] == asset.grade.value
    assert fields["Location"].startswith("LOC-")
    assert fields["Manufacturer"] == asset.manufacturer and fields["Model"] == asset.model


@pytest.mark.parametrize(("role", "status", "expected"), [
    (Role.TECHNICIAN, AssetStatus.RECEIVED, ["start_checks", "retire"]),
    (Role.TECHNICIAN, AssetStatus.READY, ["retire"]),
    (Role.MANAGER, AssetStatus.READY, ["retire", "reserve"]),
    (Role.MANAGER, AssetStatus.RESERVED, ["retire", "release", "transfer", "sell"]),
    (Role.AUDITOR, AssetStatus.READY, []),
    (Role.MANAGER, AssetStatus.DISPOSED, []),
])
def test_only_actions_the_status_and_role_allow(role, status, expected):
    actor = auth_user(role)
    assert inventory.allowed_actions(actor, status) == expected


def auth_user(role):
    from app.models import User

    return User(username=role.value, display_name=role.value, role=role, active=True)


def test_an_unknown_role_may_not_read_the_detail(stock):
    asset = _asset_in(stock, AssetStatus.READY)
    stranger = auth_user(Role.AUDITOR)
    stranger.active = False
    with stock.session() as s, pytest.raises(PermissionDenied):
        inventory.asset_view(s, stranger, asset.id)


def test_an_auditor_reads_the_detail_without_actions(small, auditor, session):
    asset = session.scalars(select(Asset)).first()
    view = inventory.asset_view(session, auditor, asset.id)
    assert view.actions == () and view.tag == asset.tag


def test_age_text_reads_in_years_and_months():
    assert (inventory.age_text(None), inventory.age_text(8), inventory.age_text(50)) == (
        "", "8 mo", "4 y 2 mo")
