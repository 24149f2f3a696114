"""The database server goes away and comes back: the action is rolled back, the desk is told,
a scan made meanwhile is refused with a message, and the next action after the restart just works.

Runs on a PostgreSQL server of its own, so stopping it disturbs no other test.
"""

from __future__ import annotations

import os

import pytest
from pgserver import PgUnavailable, start_postgres
from sqlalchemy import select

from app.db import open_database
from app.models import Asset, Category, PartyType, Role
from app.services import assets, auth, intake, locations, moves, parties
from app.services.errors import DatabaseUnavailable
from app.services.intake import DeviceForm
from app.services.permissions import SYSTEM
from app.services.retry import run_with_retry


@pytest.fixture
def own_server():
    try:
        server = start_postgres()
    except PgUnavailable as err:
        if os.environ.get("CI", "").lower() == "true":  # CI must prove this, never skip it
            pytest.fail(f"PostgreSQL could not be started in CI: {err}", pytrace=False)
        pytest.skip(f"PostgreSQL not available here: {err}")
    yield server
    server.stop()


def _stop(server) -> None:
    result = server._run("pg_ctl", "-D", server.datadir, "-m", "fast", "-w", "stop")
    assert result.returncode == 0, result.stderr


@pytest.mark.pg
def test_server_restart_refuses_actions_meanwhile_and_reconnects_by_itself(own_server):
    url = own_server.create_database("desk")
    database = open_database(url)
    try:
        with database.session() as s:
            tom = auth.add_user(s, SYSTEM, "tom", "Tom Technieker", Role.MANAGER, "tech-pass-1")
            service = parties.create_party(s, SYSTEM, PartyType.SERVICE, name="Dienst Wegen")
            locations.create_location(s, SYSTEM, "Leuven", "A", "01")
            lot = intake.open_lot(s, tom, service.id)
            first = assets.register_asset(s, tom, category=Category.MONITOR, manufacturer="Dell",
                                          model="P2422H", serial="BEFORE")
        _stop(own_server)
        # an intake while the server is down: refused with a message, nothing half-written
        with pytest.raises(DatabaseUnavailable, match="cannot be reached"):
            run_with_retry(database, lambda s: intake.receive(
                s, tom, lot.id, DeviceForm(serial="DURING", category=Category.MONITOR,
                                              manufacturer="Dell", model="P2422H")))
        # a scan-to-move while down: refused with feedback, not silently dropped
        with pytest.raises(DatabaseUnavailable) as refused, database.session() as s:
            moves.move_by_scan(s, tom, "LOC-A-01", first.tag)
        assert "Nothing was changed" in str(refused.value)
        own_server._start()
        # the same open database, no restart of the app: the next action simply works
        with database.session() as s:
            moved = moves.move_by_scan(s, tom, "LOC-A-01", first.tag)
            assert moved.moved
            received = intake.receive(s, tom, lot.id, DeviceForm(
                serial="AFTER", category=Category.MONITOR, manufacturer="Dell", model="P2422H"))
            assert received.tag
            serials = set(s.scalars(select(Asset.serial)))
        assert serials == {"BEFORE", "AFTER"}  # the intake made while down left nothing behind
    finally:
        database.dispose()
