"""Users and sign-in: first administrator, Argon2id hashes, refusals that say what to do."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Role, User
from app.services import auth
from app.services.errors import AccountDisabled, PermissionDenied, SignInFailed, ValidationError


def test_empty_database_needs_a_first_admin(session):
    assert auth.needs_first_admin(session)
    auth.create_first_admin(session, "Admin", "Ada Admin", "admin-pass-1")
    assert not auth.needs_first_admin(session)


def test_a_second_first_admin_is_refused(session, admin):
    with pytest.raises(auth.FirstAdminExists):
        auth.create_first_admin(session, "intruder", "Intruder", "intruder-pass")
    assert session.scalar(select(User).where(User.username == "intruder")) is None


def test_password_is_stored_as_argon2id_hash_not_plain_text(session, technician):
    stored = session.scalar(select(User.password_hash).where(User.id == technician.id))
    assert stored.startswith("$argon2id$")
    assert "tech-pass-1" not in stored


def test_sign_in_with_right_password_is_case_insensitive_on_the_name(session, technician):
    assert auth.authenticate(session, " TOM ", "tech-pass-1").id == technician.id


@pytest.mark.parametrize("name,password", [("tom", "wrong-pass"), ("nobody", "tech-pass-1"), ("tom", "")])
def test_wrong_credentials_get_one_message_that_does_not_reveal_which_part(session, technician, name,
                                                                            password):
    with pytest.raises(SignInFailed) as err:
        auth.authenticate(session, name, password)
    assert str(err.value) == "Unknown user name or wrong password."


def test_disabled_account_cannot_sign_in(session, admin, technician):
    from app.services.uow import unit_of_work

    with unit_of_work(session, admin, "disable_user", permission="user.manage"):
        technician.active = False
    with pytest.raises(AccountDisabled):
        auth.authenticate(session, "tom", "tech-pass-1")


def test_short_password_is_refused_and_no_user_is_made(session, admin):
    with pytest.raises(ValidationError, match="at least 8"):
        auth.add_user(session, admin, "kim", "Kim", Role.TECHNICIAN, "short")
    assert session.scalar(select(User).where(User.username == "kim")) is None


def test_duplicate_user_name_is_refused(session, admin, technician):
    with pytest.raises(auth.DuplicateUser):
        auth.add_user(session, admin, "TOM", "Another Tom", Role.TECHNICIAN, "other-pass-1")


def test_only_an_admin_adds_users(session, technician, manager):
    for actor in (technician, manager):
        with pytest.raises(PermissionDenied):
            auth.add_user(session, actor, "eve", "Eve", Role.ADMIN, "eve-pass-12")
