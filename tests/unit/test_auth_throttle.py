"""Sign-in throttling: guessing is slowed down for every desk, strangers learn nothing, admins unlock."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app import clock
from app.models import User
from app.services import auth
from app.services.errors import PermissionDenied, SignInFailed

pytestmark = pytest.mark.calendar  # reads the calendar: `make test` runs it a year ahead too

NOW = dt.datetime(2026, 11, 29, 9, 30, 15, tzinfo=dt.UTC)  # 10:30:15 in Brussels


def fail(session, name, times, now=NOW):
    errors = []
    for _ in range(times):
        with pytest.raises((SignInFailed, auth.AccountLocked)) as err:
            auth.authenticate(session, name, "wrong-guess", now=now)
        errors.append(err.value)
    return errors


def test_fifth_wrong_password_locks_the_name_and_says_until_when(session, technician):
    errors = fail(session, "tom", 5)
    assert all(isinstance(e, SignInFailed) for e in errors[:4])
    assert isinstance(errors[4], auth.AccountLocked)
    assert str(errors[4]) == "Too many failed attempts; try again at 10:32 or ask an administrator."


def test_right_password_is_refused_while_locked(session, technician):
    fail(session, "tom", 5)
    with pytest.raises(auth.AccountLocked):
        auth.authenticate(session, "tom", "tech-pass-1", now=NOW + dt.timedelta(seconds=30))


def test_lock_ends_at_the_time_shown(session, technician):
    fail(session, "tom", 5)
    user = auth.authenticate(session, "tom", "tech-pass-1", now=NOW + dt.timedelta(minutes=2))
    assert user.id == technician.id


def test_each_failure_after_a_lock_doubles_the_wait(session, technician):
    fail(session, "tom", 5)
    later = NOW + dt.timedelta(minutes=2)  # first lock (1 min) is over
    [error] = fail(session, "tom", 1, now=later)
    assert isinstance(error, auth.AccountLocked)
    assert "10:35" in str(error)  # tried at 10:32:15, locked 2 minutes: 10:34:15, rounded up
    assert auth.lock_period(30) == auth.MAX_LOCK


def test_the_lock_is_kept_in_the_database_for_every_desk(database, session, technician):
    fail(session, "tom", 5)
    with database.session() as other_desk, pytest.raises(auth.AccountLocked):
        auth.authenticate(other_desk, "tom", "tech-pass-1", now=NOW)


def test_successful_sign_in_resets_the_count(session, technician):
    fail(session, "tom", 4)
    auth.authenticate(session, "tom", "tech-pass-1", now=NOW)
    errors = fail(session, "tom", 4)
    assert all(isinstance(e, SignInFailed) for e in errors)
    assert session.scalar(select(User.failed_attempts).where(User.id == technician.id)) == 4


def test_unknown_name_is_throttled_exactly_like_a_real_one(session, technician):
    real = [type(e) for e in fail(session, "tom", 6)]
    unknown = [type(e) for e in fail(session, "nobody", 6)]
    assert real == unknown
    assert str(fail(session, "nobody", 1)[0]) == str(fail(session, "tom", 1)[0])


def test_admin_unlocks_and_the_user_signs_in_at_once(session, admin, technician):
    fail(session, "tom", 5)
    auth.unlock(session, admin, technician.id)
    assert auth.authenticate(session, "tom", "tech-pass-1", now=NOW).id == technician.id


def test_only_an_admin_unlocks(session, technician, manager):
    fail(session, "tom", 5)
    with pytest.raises(PermissionDenied):
        auth.unlock(session, manager, technician.id)
    assert auth.is_locked(session.get(User, technician.id), NOW)


def test_reset_password_lifts_the_lock(session, admin, technician):
    fail(session, "tom", 5)
    auth.reset_password(session, admin, technician.id, "a-new-password")
    assert auth.authenticate(session, "tom", "a-new-password", now=NOW).id == technician.id


def test_failed_attempts_are_in_the_audit_trail_without_the_password(session, technician):
    from app.models import AuditEvent

    fail(session, "tom", 2)
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in_failed")).all()
    assert len(events) == 2 and events[-1].entity_ref == "tom"
    assert "wrong-guess" not in "".join(e.changes for e in events)


def test_empty_password_is_refused_and_not_counted(session, technician):
    for _ in range(6):
        with pytest.raises(SignInFailed):
            auth.authenticate(session, "tom", "", now=NOW)
    assert auth.authenticate(session, "tom", "tech-pass-1", now=NOW).id == technician.id


def test_lock_time_is_real_time_by_default(session, technician):
    fail(session, "tom", 5, now=clock.now())
    with pytest.raises(auth.AccountLocked):
        auth.authenticate(session, "tom", "tech-pass-1")
