"""Counters for tags and numbers: unique, consecutive, given back when the transaction rolls back."""

from __future__ import annotations

import pytest

from app.models import Asset, Category
from app.services import sequences
from app.services.assets import register_asset
from app.services.codes import format_tag


def test_next_tags_reserves_a_consecutive_block_after_the_last_tag(session, technician):
    first = register_asset(session, technician, category=Category.MONITOR, manufacturer="Dell",
                           model="P2419H", serial="CN-1")
    with session.begin():
        block = sequences.next_tags(session, 3)
        after = sequences.next_tag(session)
    assert first.tag == format_tag(1)
    assert block == [format_tag(2), format_tag(3), format_tag(4)]
    assert after == format_tag(5)


def test_a_rolled_back_block_gives_its_numbers_back(session):
    session.begin()
    sequences.next_tags(session, 500)
    session.rollback()
    with session.begin():
        assert sequences.next_tags(session, 1) == [format_tag(1)]


def test_next_tags_refuses_an_empty_block(session):
    with pytest.raises(ValueError), session.begin():
        sequences.next_tags(session, 0)


def test_next_ids_are_free_keys_after_the_existing_rows(session, technician):
    first = register_asset(session, technician, category=Category.MONITOR, manufacturer="Dell",
                           model="P2419H", serial="CN-1")
    with session.begin():
        ids = sequences.next_ids(session, Asset, 4)
    assert ids == sorted(ids) and len(set(ids)) == 4 and min(ids) > first.id
