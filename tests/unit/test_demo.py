"""The demo: eighteen months of history made through the real workflows, ending now.

One demo database of 100 devices is shared by the tests that only read it (the history takes
some seconds); each test reads what a user of the demo would look at: the received dates, the
Reports page's figures, the documents behind every hand-off, the audit trail and the clock.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app import clock
from app.db import open_database
from app.models import (
    Asset,
    AssetStatus,
    AuditEvent,
    BatchStatus,
    DisposalBatch,
    DisposalStatus,
    Document,
    DocumentKind,
    HandoverBatch,
    IntakeLot,
    ItemStatus,
    SaleItem,
    User,
)
from app.models.base import Base, UTCDateTime
from app.services import audit, auth, demo, disposal, reports
from app.services.demo_desk import Desk
from app.services.permissions import SYSTEM

pytestmark = pytest.mark.calendar  # the history ends today: `make test` runs it a year ahead too

DEVICES = 100
HISTORY = dt.timedelta(days=548)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A demo database of 100 devices (seed 7), with the clock the app had before it."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = open_database(f"sqlite:///{path}")
    before = clock.current()
    with database.session() as s:
        demo.fill(s, SYSTEM, DEVICES, seed=7)
        demo.workflows(s, SYSTEM, seed=7)
    after = clock.current()
    yield database, before, after
    database.dispose()


@pytest.fixture
def s(history):
    database, _before, _after = history
    with database.session() as session:
        yield session


@pytest.fixture
def manager(s):
    return s.scalar(select(User).where(User.username == "manager"))


def receipts(s) -> list[dt.datetime]:
    """When each device was received: its receive event, as the Reports page reads it."""
    return list(s.scalars(select(AuditEvent.occurred_at).where(
        AuditEvent.entity_type == "asset", AuditEvent.action == "receive")))


def documents_of(s, kind: DocumentKind, asset_id: int) -> list[Document]:
    return [d for d in s.scalars(select(Document).where(Document.kind == kind))
            if asset_id in {a.id for a in d.assets}]


# --- time ----------------------------------------------------------------------------------------


def test_devices_were_received_over_eighteen_months(s):
    dates = receipts(s)
    now = clock.now()
    assert now - min(dates) > HISTORY - dt.timedelta(days=30)
    assert now - max(dates) < dt.timedelta(days=7)


def test_the_monthly_chart_shows_deliveries_across_the_whole_period(s, manager):
    months = reports.received_per_month(s, manager, reports.Period.of("all"))
    filled = [m for m in months if m.count]
    assert len(months) >= 18
    assert len(filled) >= 12
    assert any(m.count for m in months[:3]) and any(m.count for m in months[-3:])


def test_the_last_twelve_months_show_exits_days_in_stock_and_recycling(s, manager):
    figures = reports.figures(s, manager, reports.Period.of("last_12_months"))
    assert figures.received_total > 0
    assert figures.second_life.reused > 0 and figures.second_life.disposed > 0
    assert figures.days_to_exit.average_days > 7  # weeks, not the seconds of a demo made today
    assert figures.recycling.kg > 0
    assert figures.co2e.lines
    went = {d.key for d in figures.destinations if d.count}
    assert {"staff", "recycling"} <= went and went & {"schools", "charities", "internal"}


def test_some_stock_is_stale_but_not_all(s, manager):
    figures = reports.figures(s, manager, reports.Period.of("last_12_months"))
    assert 0 < figures.stale.devices < figures.stock_total


def test_devices_end_in_every_lifecycle_state(s):
    assert set(AssetStatus) - set(s.scalars(select(Asset.status).distinct())) == set()


def test_nothing_is_dated_in_the_future(s):
    now = clock.now()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, UTCDateTime) and column.name != "locked_until":
                latest = s.execute(select(func.max(column))).scalar()
                assert latest is None or latest <= now, f"{table.name}.{column.name}"


def test_the_apps_own_clock_runs_again_after_the_demo(history):
    _database, before, after = history
    assert after is before


def test_the_apps_own_clock_runs_again_when_the_demo_fails(sqlite_url, monkeypatch):
    def breaks(self):
        raise RuntimeError("the desk fell over")

    monkeypatch.setattr(Desk, "run", breaks)
    database = open_database(sqlite_url)
    before = clock.current()
    try:
        with database.session() as s, pytest.raises(RuntimeError):
            demo.fill(s, SYSTEM, 12, seed=1)
    finally:
        database.dispose()
    assert clock.current() is before


# --- the paper behind every hand-off ---------------------------------------------------------------


def test_every_closed_intake_lot_has_its_receipt_and_only_todays_work_is_open(s):
    lots = list(s.scalars(select(IntakeLot)))
    closed = [lot for lot in lots if lot.closed_at is not None]
    receipts_by_lot = {d.lot_id for d in s.scalars(
        select(Document).where(Document.kind == DocumentKind.INTAKE_RECEIPT))}
    assert closed and {lot.id for lot in closed} <= receipts_by_lot
    assert len(lots) - len(closed) <= 1  # the lot still being scanned at the intake desk


def test_every_device_that_was_received_is_on_an_intake_receipt(s):
    received = set(s.scalars(select(AuditEvent.entity_id).where(
        AuditEvent.entity_type == "asset", AuditEvent.action == "receive")))
    on_paper = set()
    for d in s.scalars(select(Document).where(Document.kind == DocumentKind.INTAKE_RECEIPT)):
        on_paper |= {a.id for a in d.assets}
    open_lot = set(s.scalars(select(Asset.id).join(IntakeLot).where(IntakeLot.closed_at.is_(None))))
    assert received - on_paper == open_lot


def test_every_completed_handover_has_its_certificate(s):
    done = list(s.scalars(select(HandoverBatch).where(HandoverBatch.status == BatchStatus.COMPLETED)))
    assert done
    for batch in done:
        certificate = s.get(Document, batch.certificate_id)
        assert certificate.kind == DocumentKind.HANDOVER_CERTIFICATE
        assert {i.asset_id for i in batch.items if not i.released} == {a.id for a in certificate.assets}


def test_every_sold_device_has_its_sale_receipt(s):
    sold = list(s.scalars(select(SaleItem).where(SaleItem.status == ItemStatus.SOLD)))
    assert sold
    for item in sold:
        receipt = s.get(Document, item.receipt_document_id)
        assert receipt.kind == DocumentKind.SALE_RECEIPT and [a.id for a in receipt.assets] == [
            item.asset_id]


def test_every_closed_disposal_batch_has_its_eol_certificate(s):
    closed = disposal.batches(s, DisposalStatus.CLOSED)
    assert closed
    for batch in closed:
        certificate = s.get(Document, batch.certificate_id)
        assert certificate.kind == DocumentKind.EOL_CERTIFICATE
        assert {i.asset_id for i in batch.items} == {a.id for a in certificate.assets}


def test_the_processors_certificate_came_for_every_pickup_but_perhaps_the_latest(s):
    waiting = disposal.waiting_for_processor_certificate(s)
    latest = s.scalar(select(DisposalBatch).where(DisposalBatch.status == DisposalStatus.CLOSED)
                      .order_by(DisposalBatch.closed_at.desc()).limit(1))
    assert {b.id for b in waiting} <= {latest.id}


def test_every_device_that_left_did_so_on_paper(s):
    kinds = {AssetStatus.TRANSFERRED: DocumentKind.HANDOVER_CERTIFICATE,
             AssetStatus.SOLD: DocumentKind.SALE_RECEIPT,
             AssetStatus.DISPOSED: DocumentKind.EOL_CERTIFICATE}
    for status, kind in kinds.items():
        asset_id = s.scalar(select(Asset.id).where(Asset.status == status).limit(1))
        assert documents_of(s, kind, asset_id), status


def test_the_audit_trail_verifies(s):
    report = audit.verify_chain(s)
    assert report.ok, report.message()


# --- people ------------------------------------------------------------------------------------------


def test_the_former_technician_worked_the_first_months_and_can_no_longer_sign_in(s):
    former = s.scalar(select(User).where(User.username == "oud-technieker"))
    worked = list(s.scalars(select(AuditEvent.occurred_at).where(AuditEvent.actor_id == former.id)))
    assert worked and not former.active
    assert max(worked) < clock.now() - dt.timedelta(days=180)


def test_every_demo_account_is_listed(s):
    listed = {u.username for u in demo.accounts(s)}
    made = {u for u, _n, _r in demo.HISTORY_USERS} | {u for u, *_rest in auth.DEMO_USERS}
    assert listed == made
