"""Fixtures for the hardening tests (issue #17): hostile and broken input to the importers.

Most of these tests are about reading input, which does not depend on the database, so they run
on SQLite only (the folder must stay well under a minute); the race of two desks importing the
same wipe report runs on both databases (`both_db_url`).
"""

from __future__ import annotations

import pytest
from hardening_helpers import SSD_SERIAL

from app.models import Category, MediumKind
from app.services.assets import MediumSpec, register_asset


@pytest.fixture
def db_url(migrated_sqlite_url):
    return migrated_sqlite_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def both_db_url(request):
    if request.param == "sqlite":
        return request.getfixturevalue("migrated_sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def laptop(session, technician):
    return register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                          model="Latitude 5420", serial="LAP-0001",
                          media=[MediumSpec(MediumKind.SSD, SSD_SERIAL, 256)])
