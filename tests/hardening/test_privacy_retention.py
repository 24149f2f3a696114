"""Finding 8: the retention period of `privacy purge` is checked, and the dry run says what --apply does.

-1 used to pseudonymise everyone at once, 0 silently meant 730, and a huge value crashed.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.config import Settings
from app.models import Party, PartyType
from app.services import audit, parties, privacy
from app.services.errors import ValidationError


@pytest.fixture
def contact(session, manager):
    """A school whose contact person was recorded today (well within any retention period)."""
    return parties.create_party(session, manager, PartyType.SCHOOL, name="Basisschool De Regenboog",
                                street="Kerkstraat 12", postcode="9000", city="Gent",
                                contact_name="Els Janssens", email="els@regenboog.example")


def _purge(run, db_url, *extra):
    return run("--database", db_url, "privacy", "purge", *extra)


@pytest.mark.parametrize("days", ["-1", "0", "36501", "99999999999999999999", "twee jaar"])
def test_an_invalid_retention_is_refused_and_nothing_changes(run, db_url, session, contact, days):
    before = audit.event_count(session)
    result = _purge(run, db_url, "--retention-days", days, "--apply")
    assert result.code == 2  # a wrong command line, refused before anything runs
    assert "retention period must be a whole number of days from 1 to 36500" in result.err
    assert "Traceback" not in result.err
    session.expire_all()
    assert session.scalar(select(Party.contact_name).where(Party.id == contact.id)) == "Els Janssens"
    assert audit.event_count(session) == before


def test_zero_is_not_silently_the_default(run, db_url, contact):
    result = _purge(run, db_url, "--retention-days", "0")
    assert result.code == 2
    assert "730 days" not in result.out


def test_the_dry_run_says_what_apply_will_do_with_the_same_period(run, db_url, contact):
    result = _purge(run, db_url, "--retention-days", "400")
    assert result.code == 0
    assert "Retention: 400 days" in result.out
    assert "Nothing was changed" in result.out
    assert "privacy purge --retention-days 400 --apply" in result.out


def test_the_largest_period_is_accepted(run, db_url, contact):
    result = _purge(run, db_url, "--retention-days", str(privacy.MAX_RETENTION_DAYS))
    assert result.code == 0, result.err


def test_the_service_refuses_a_negative_period_too(session, manager, contact):
    with pytest.raises(ValidationError):
        privacy.plan(session, manager, retention=-1)
    with pytest.raises(ValidationError):
        privacy.purge(session, manager, retention=0)


def test_a_broken_setting_is_refused_not_replaced(run, db_url, contact):
    Settings(extra={privacy.SETTING: -5}).save()
    result = _purge(run, db_url)
    assert result.code == 1
    assert "retention period" in result.err
