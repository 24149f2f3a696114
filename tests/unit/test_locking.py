"""Optimistic locking: a write based on a stale read is refused with who changed it and when."""

from __future__ import annotations

import pytest

from app.models import Asset, Category
from app.services import assets, lifecycle
from app.services.errors import DuplicateSerial, StaleRecord
from app.services.uow import ConcurrentChange


@pytest.fixture
def laptop(session, technician):
    return assets.register_asset(session, technician, category=Category.LAPTOP, manufacturer="HP",
                                 model="EliteBook 840 G8", serial="5CG1234ABC")


def test_second_editor_working_from_a_stale_copy_is_refused(database, technician, manager, laptop):
    with database.session() as desk_a, database.session() as desk_b:
        seen_by_a = desk_a.get(Asset, laptop.id).version
        seen_by_b = desk_b.get(Asset, laptop.id).version
        assets.edit_asset(desk_a, technician, laptop.id, seen_by_a, notes="battery swollen")
        with pytest.raises(StaleRecord) as err:
            assets.edit_asset(desk_b, manager, laptop.id, seen_by_b, notes="looks fine")
        message = str(err.value)
        assert laptop.tag in message and "Tom Technieker" in message and "reload" in message
    with database.session() as check:
        assert check.get(Asset, laptop.id).notes == "battery swollen"


def test_a_transition_on_a_stale_copy_is_refused(database, technician, laptop):
    with database.session() as desk_a, database.session() as desk_b:
        version = desk_b.get(Asset, laptop.id).version
        assets.edit_asset(desk_a, technician, laptop.id, version, grade="C")
        with pytest.raises(StaleRecord):
            lifecycle.apply(desk_b, technician, laptop.id, "start_checks", expected_version=version)
    with database.session() as check:
        assert check.get(Asset, laptop.id).status.value == "received"


@pytest.mark.pg
def test_racing_writers_on_postgresql_give_one_winner(pg_url, technician, manager, laptop):
    """Two open transactions that both read version 1: the slower write fails, nothing merges."""
    from app.db import open_database

    database = open_database(pg_url)
    try:
        # the fixtures above live in another database: make this one's own device
        from app.services import auth
        from app.services.permissions import SYSTEM

        with database.session() as s:
            tech = auth.add_user(s, SYSTEM, "rita", "Rita Racer", "technician", "race-pass-1")
            device = assets.register_asset(s, tech, category=Category.LAPTOP, manufacturer="Dell",
                                           model="Latitude 7490", serial="RACE1")
        with database.session() as a, database.session() as b:
            obj_a, obj_b = a.get(Asset, device.id), b.get(Asset, device.id)
            from app.services.uow import unit_of_work

            with unit_of_work(a, tech, "edit", permission="asset.edit"):
                obj_a.notes = "desk A"
            with pytest.raises(ConcurrentChange):
                with unit_of_work(b, tech, "edit", permission="asset.edit"):
                    obj_b.notes = "desk B"
        with database.session() as check:
            assert check.get(Asset, device.id).notes == "desk A"
    finally:
        database.dispose()


def test_duplicate_serial_is_refused_with_the_existing_tag(session, technician, laptop):
    with pytest.raises(DuplicateSerial) as err:
        assets.register_asset(session, technician, category=Category.LAPTOP, manufacturer="hp ",
                              model="EliteBook", serial=" 5cg1234abc")
    assert laptop.tag in str(err.value)
    assert session.query(Asset).count() == 1


def test_same_serial_from_another_manufacturer_is_a_different_device(session, technician, laptop):
    other = assets.register_asset(session, technician, category=Category.MONITOR, manufacturer="Dell",
                                  model="P2419H", serial="5CG1234ABC")
    assert other.tag != laptop.tag
