"""Administering users: disable, role, reset, delete only the unused, never lose the last admin;
and everybody's own password change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Role, User
from app.services import auth
from app.services.errors import AccountDisabled, PermissionDenied, SignInFailed, ValidationError


def test_disabled_user_cannot_sign_in_and_enabled_again_can(session, admin, technician):
    auth.set_active(session, admin, technician.id, False)
    with pytest.raises(AccountDisabled):
        auth.authenticate(session, "tom", "tech-pass-1")
    auth.set_active(session, admin, technician.id, True)
    assert auth.authenticate(session, "tom", "tech-pass-1").id == technician.id


def test_the_only_admin_cannot_disable_or_demote_themself(session, admin):
    with pytest.raises(auth.LastAdministrator):
        auth.set_active(session, admin, admin.id, False)
    with pytest.raises(auth.LastAdministrator):
        auth.set_role(session, admin, admin.id, Role.MANAGER)
    fresh = session.scalar(select(User).where(User.id == admin.id))
    assert fresh.active and fresh.role == Role.ADMIN


def test_an_admin_may_step_down_when_another_admin_remains(session, admin, manager):
    auth.set_role(session, admin, manager.id, Role.ADMIN)
    auth.set_role(session, admin, admin.id, Role.MANAGER)
    assert session.get(User, admin.id).role == Role.MANAGER


def test_set_role_changes_what_the_user_may_do(session, admin, technician):
    auth.set_role(session, admin, technician.id, Role.AUDITOR)
    assert auth.authenticate(session, "tom", "tech-pass-1").role == Role.AUDITOR


def test_user_who_acted_is_never_deleted(session, admin, technician):
    auth.authenticate(session, "tom", "tech-pass-1")  # signing in is an action in the trail
    with pytest.raises(auth.UserInAuditTrail):
        auth.delete_user(session, admin, technician.id)
    assert session.get(User, technician.id) is not None


def test_user_never_used_may_be_deleted(session, admin):
    typo = auth.add_user(session, admin, "tomm", "Tom (typo)", Role.TECHNICIAN, "tech-pass-1")
    assert auth.delete_user(session, admin, typo.id) == "tomm"
    assert session.scalar(select(User).where(User.username == "tomm")) is None


def test_users_list_says_who_is_in_the_trail_and_who_is_locked(session, admin, technician, manager):
    for _ in range(5):
        with pytest.raises((SignInFailed, auth.AccountLocked)):
            auth.authenticate(session, "mia", "guess-guess")
    rows = {r.username: r for r in auth.list_users(session, admin)}
    assert rows["admin"].in_audit_trail and not rows["tom"].in_audit_trail
    assert rows["mia"].locked and not rows["tom"].locked


@pytest.mark.parametrize("fixture", ["technician", "manager", "auditor"])
def test_only_an_admin_manages_users(request, session, fixture, admin):
    actor = request.getfixturevalue(fixture)
    for call in (lambda: auth.list_users(session, actor),
                 lambda: auth.set_active(session, actor, admin.id, False),
                 lambda: auth.set_role(session, actor, actor.id, Role.ADMIN),
                 lambda: auth.reset_password(session, actor, admin.id, "taken-over-1")):
        with pytest.raises(PermissionDenied):
            call()
    assert session.get(User, actor.id).role != Role.ADMIN


def test_own_password_change_needs_the_current_password(session, technician):
    with pytest.raises(auth.WrongPassword):
        auth.change_password(session, technician, "not-it", "new-password-1")
    auth.change_password(session, technician, "tech-pass-1", "new-password-1")
    assert auth.authenticate(session, "tom", "new-password-1").id == technician.id
    with pytest.raises(SignInFailed):
        auth.authenticate(session, "tom", "tech-pass-1")


def test_new_password_follows_the_first_run_rule(session, technician):
    with pytest.raises(ValidationError, match="at least 8"):
        auth.change_password(session, technician, "tech-pass-1", "short")
    assert auth.authenticate(session, "tom", "tech-pass-1").id == technician.id


def test_wrong_current_passwords_count_towards_the_lock(session, technician):
    for _ in range(4):
        with pytest.raises(auth.WrongPassword):
            auth.change_password(session, technician, "guess-" + "x", "new-password-1")
    with pytest.raises(auth.AccountLocked):
        auth.change_password(session, technician, "guess-x", "new-password-1")


def test_demo_users_add_every_role_once(session, admin):
    import random

    assert auth.demo_users(session, admin, random.Random(1)) == {"users": 5}
    assert auth.demo_users(session, admin, random.Random(1)) == {"users": 0}
    rows = {r.username: r for r in auth.list_users(session, admin)}
    assert {r.role for r in rows.values()} == set(Role)
    assert not rows["oud-technieker"].active
    assert 0 < rows["stagiair"].failed_attempts < auth.MAX_FAILED_ATTEMPTS
