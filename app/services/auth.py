"""Users and sign-in: local accounts with Argon2id password hashes.

On an empty database the first start asks for the first administrator
(`needs_first_admin` / `create_first_admin`); after that, administrators add
users. Users are never deleted (they appear in the audit trail), only disabled.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..i18n import N_
from ..models import Role, User, utcnow
from .errors import AccountDisabled, DomainError, SignInFailed, ValidationError
from .permissions import SYSTEM
from .uow import unit_of_work

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this keeps the time of "unknown user" equal to "wrong password".
_DUMMY_HASH = _hasher.hash("not a real password")


def use_cheap_hashing_for_tests() -> None:
    """Argon2id with minimal cost: the test suite creates hundreds of users."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    _DUMMY_HASH = _hasher.hash("not a real password")


class FirstAdminExists(DomainError):
    message = N_("An administrator already exists; sign in instead.")


class DuplicateUser(DomainError):
    message = N_("The user name “{username}” is already taken.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(N_("A password needs at least {n} characters."), n=MIN_PASSWORD_LENGTH)
    if not password.strip():
        raise ValidationError(N_("A password cannot be only spaces."))


def _clean_username(username: str) -> str:
    name = username.strip().lower()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise ValidationError(N_("A user name is one word of at most 64 characters."))
    return name


def needs_first_admin(session: Session) -> bool:
    count = session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active.is_(True))
    )
    return not count


def add_user(session: Session, actor, username: str, display_name: str, role: Role | str,
             password: str, permission: str = "user.manage") -> User:
    name = _clean_username(username)
    check_password_rules(password)
    role = Role(role)
    with unit_of_work(session, actor, "add_user", permission=permission):
        if session.scalar(select(User).where(User.username == name)) is not None:
            raise DuplicateUser(username=name)
        user = User(username=name, display_name=(display_name or name).strip(), role=role,
                    password_hash=hash_password(password), active=True)
        session.add(user)
    return user


def create_first_admin(session: Session, username: str, display_name: str, password: str) -> User:
    """The first-run dialog: only possible while the database has no administrator."""
    if not needs_first_admin(session):
        raise FirstAdminExists()
    return add_user(session, SYSTEM, username, display_name, Role.ADMIN, password)


def authenticate(session: Session, username: str, password: str) -> User:
    name = username.strip().lower()
    user = session.scalar(select(User).where(User.username == name))
    if user is None or not user.password_hash:
        try:
            _hasher.verify(_DUMMY_HASH, password or "-")
        except VerificationError:
            pass
        raise SignInFailed()
    if not password:
        raise SignInFailed()
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise SignInFailed() from None
    if not user.active:
        raise AccountDisabled()
    with unit_of_work(session, user, "sign_in", permission="inventory.read"
                      if user.role != Role.ADMIN else "user.manage"):
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_sign_in_at = utcnow()
    return user
