"""Users and sign-in: local accounts with Argon2id password hashes, throttled against guessing.

On an empty database the first start asks for the first administrator
(`needs_first_admin` / `create_first_admin`); after that, administrators add
users, disable them, reset passwords, set roles and lift lock-outs. A user who
appears in the audit trail as an actor is never deleted (only disabled); one
who never did anything may be.

Throttling: after `MAX_FAILED_ATTEMPTS` wrong passwords for one user name,
further attempts are refused for a period that doubles with every further
failure (up to `MAX_LOCK`), whatever the password. The count lives in the
database, so it holds across desks. Names that match no user are throttled
the same way (in `sign_in_throttle`), so a lock-out never tells a stranger
which user names exist.

When a directory (Active Directory / LDAP) is configured (`use_directory`),
`authenticate` signs people in there; a local administrator's own password
always works, so a broken directory never locks the administrator out.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session

from ..i18n import N_
from ..models import AuditEvent, Role, SignInThrottle, User, utcnow
from ..timefmt import local
from .errors import AccountDisabled, DomainError, NotFound, SignInFailed, ValidationError
from .identifiers import normalise_identifier, normalise_password
from .permissions import SYSTEM, require
from .uow import unit_of_work

MIN_PASSWORD_LENGTH = 8
MAX_FAILED_ATTEMPTS = 5
FIRST_LOCK = dt.timedelta(minutes=1)
MAX_LOCK = dt.timedelta(minutes=60)
FORGET_UNKNOWN_NAMES_AFTER = dt.timedelta(days=1)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this keeps the time of "unknown user" equal to "wrong password".
# Made on the first sign-in, not at import: one argon2 hash costs ~280 ms of every start.
_DUMMY_HASH: str | None = None
_directory = None  # a ldap_auth.DirectoryConfig when the desk signs in through a directory


def use_cheap_hashing_for_tests() -> None:
    """Argon2id with minimal cost: the test suite creates hundreds of users."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    _DUMMY_HASH = None  # made again with these parameters, so it costs what a real one does


def use_directory(config) -> None:
    """Sign in through this directory from now on (None: local accounts only)."""
    global _directory
    _directory = config if config is not None and getattr(config, "enabled", False) else None


def directory():
    return _directory


class FirstAdminExists(DomainError):
    message = N_("An administrator already exists; sign in instead.")


class DuplicateUser(DomainError):
    message = N_("The user name “{username}” is already taken.")


class AccountLocked(DomainError):
    message = N_("Too many failed attempts; try again at {time} or ask an administrator.")


class LastAdministrator(DomainError):
    message = N_("At least one active administrator must remain: make someone else administrator first.")


class UserInAuditTrail(DomainError):
    message = N_("{username} appears in the audit trail and cannot be deleted; disable the account instead.")


class DirectoryManaged(DomainError):
    message = N_("{username} signs in through the directory: the password and role are managed there.")


class WrongPassword(DomainError):
    message = N_("The current password is not right.")


def hash_password(password: str) -> str:
    return _hasher.hash(normalise_password(password))


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(N_("A password needs at least {n} characters."), n=MIN_PASSWORD_LENGTH)
    if not password.strip():
        raise ValidationError(N_("A password cannot be only spaces."))


def clean_username(username: str) -> str:
    name = normalise_identifier(username or "").lower()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise ValidationError(N_("A user name is one word of at most 64 characters."))
    return name


_clean_username = clean_username  # the older name


def needs_first_admin(session: Session) -> bool:
    count = session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active.is_(True))
    )
    return not count


def add_user(session: Session, actor, username: str, display_name: str, role: Role | str,
             password: str, permission: str = "user.manage") -> User:
    name = clean_username(username)
    check_password_rules(password)
    role = Role(role)
    with unit_of_work(session, actor, "add_user", permission=permission):
        if session.scalar(select(User).where(User.username == name)) is not None:
            raise DuplicateUser(username=name)
        user = User(username=name, display_name=(display_name or name).strip() or name, role=role,
                    password_hash=hash_password(password), active=True, failed_attempts=0)
        session.add(user)
    return user


def create_first_admin(session: Session, username: str, display_name: str, password: str) -> User:
    """The first-run dialog: only possible while the database has no administrator."""
    if not needs_first_admin(session):
        raise FirstAdminExists()
    return add_user(session, SYSTEM, username, display_name, Role.ADMIN, password)


# --- throttling ---------------------------------------------------------------------

def lock_period(failed_attempts: int) -> dt.timedelta | None:
    """How long a name is refused after this many failures in a row (None: not yet)."""
    if failed_attempts < MAX_FAILED_ATTEMPTS:
        return None
    doublings = min(failed_attempts - MAX_FAILED_ATTEMPTS, 12)
    return min(FIRST_LOCK * 2 ** doublings, MAX_LOCK)


def _locked(until: dt.datetime | None, now: dt.datetime) -> AccountLocked | None:
    if until is None or until <= now:
        return None
    # Rounded up to the minute: trying again at the time shown always works.
    shown = local(until)
    if shown.second or shown.microsecond:
        shown = shown.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return AccountLocked(time=shown.strftime("%H:%M"))


def is_locked(user: User, now: dt.datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def _user_failed(session: Session, user_id: int, now: dt.datetime) -> AccountLocked | None:
    """Count one failure against a user (recorded in the audit trail); the lock it causes, if any."""
    with unit_of_work(session, SYSTEM, "sign_in_failed"):
        user = session.scalar(select(User).where(User.id == user_id).with_for_update()
                              .execution_options(populate_existing=True))
        user.failed_attempts = (user.failed_attempts or 0) + 1
        period = lock_period(user.failed_attempts)
        if period is not None:
            user.locked_until = now + period
    return _locked(user.locked_until, now)


def _unknown_name_failed(session: Session, name: str, now: dt.datetime) -> AccountLocked | None:
    """The same bookkeeping for a name that is not a user, so both look alike from outside."""
    with unit_of_work(session, SYSTEM, "sign_in_failed"):
        session.execute(delete(SignInThrottle).where(
            SignInThrottle.last_failed_at < now - FORGET_UNKNOWN_NAMES_AFTER,
            or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until < now)))
        row = session.scalar(select(SignInThrottle).where(SignInThrottle.username == name[:64])
                             .with_for_update().execution_options(populate_existing=True))
        if row is None:
            row = SignInThrottle(username=name[:64], failed_attempts=0)
            session.add(row)
        row.failed_attempts = (row.failed_attempts or 0) + 1
        row.last_failed_at = now
        period = lock_period(row.failed_attempts)
        if period is not None:
            row.locked_until = now + period
    return _locked(row.locked_until, now)


def _unknown_name_lock(session: Session, name: str, now: dt.datetime) -> AccountLocked | None:
    until = session.scalar(select(SignInThrottle.locked_until).where(SignInThrottle.username == name[:64]))
    return _locked(until, now)


def record_failure(session: Session, name: str, now: dt.datetime | None = None) -> DomainError:
    """Count a failed sign-in for `name` (a user or not); the error to show for it."""
    now = now or utcnow()
    user = session.scalar(select(User).where(User.username == name))
    lock = (_user_failed(session, user.id, now) if user is not None
            else _unknown_name_failed(session, name, now))
    return lock or SignInFailed()


def refuse_if_locked(session: Session, name: str, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    user = session.scalar(select(User).where(User.username == name))
    lock = _locked(user.locked_until, now) if user is not None else _unknown_name_lock(session, name, now)
    if lock is not None:
        raise lock


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash("not a real password")
    return _DUMMY_HASH


def _verify(password_hash: str | None, password: str) -> bool:
    # Made before the branch, for known and unknown names alike: the one-off cost of making
    # it must not tell the first caller whether the name exists.
    dummy = _dummy_hash()
    if not password_hash:
        try:
            _hasher.verify(dummy, password or "-")
        except VerificationError:
            pass
        return False
    return _matches(password_hash, normalise_password(password)) or (
        # A hash made before passwords were normalised still takes the password as typed.
        normalise_password(password) != password and _matches(password_hash, password))


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def signed_in(session: Session, user: User, password: str | None = None) -> User:
    """Record a successful sign-in: the failure count starts again from zero."""
    with unit_of_work(session, user, "sign_in", permission="inventory.read"
                      if user.role != Role.ADMIN else "user.manage"):
        if password and user.password_hash and (
                _hasher.check_needs_rehash(user.password_hash)
                or (normalise_password(password) != password  # only then can the hash be old
                    and not _matches(user.password_hash, normalise_password(password)))):
            user.password_hash = hash_password(password)  # from the normalised form from now on
        user.last_sign_in_at = utcnow()
        if user.failed_attempts:
            user.failed_attempts = 0
        if user.locked_until is not None:
            user.locked_until = None
    return user


def authenticate(session: Session, username: str, password: str, *,
                 now: dt.datetime | None = None) -> User:
    """The user with this name and password, or a refusal that does not say which part was wrong."""
    now = now or utcnow()
    try:
        name = normalise_identifier(username or "").lower()
    except ValidationError:
        name = ""
    if not name:
        raise SignInFailed()
    refuse_if_locked(session, name, now)
    user = session.scalar(select(User).where(User.username == name))
    config = _directory
    if config is not None and not (user is not None and user.role == Role.ADMIN and user.password_hash):
        from .ldap_auth import directory_sign_in

        return directory_sign_in(session, config, name, password, now=now)
    if not password:
        _verify(None, "-")
        raise SignInFailed()  # not a guess: nothing is counted
    if user is None:
        _verify(None, password)  # the same time as a wrong password
        raise record_failure(session, name, now)
    if not _verify(user.password_hash, password):
        raise record_failure(session, name, now)
    if not user.active:
        raise AccountDisabled()
    return signed_in(session, user, password)


# --- the signed-in user's own password ----------------------------------------------

def change_password(session: Session, actor: User, old_password: str, new_password: str) -> User:
    """The signed-in user changes their own password; the current one is asked first."""
    require(actor, "account.password")
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound(what=actor.username)
    if user.directory_dn and not user.password_hash:
        raise DirectoryManaged(username=user.username)
    refuse_if_locked(session, user.username)
    if not old_password or not _verify(user.password_hash, old_password):
        error = record_failure(session, user.username)
        raise error if isinstance(error, AccountLocked) else WrongPassword()
    check_password_rules(new_password)
    if new_password == old_password:
        raise ValidationError(N_("The new password is the same as the current one."))
    with unit_of_work(session, actor, "change_password", permission="account.password"):
        user.password_hash = hash_password(new_password)
        user.failed_attempts = 0
        user.locked_until = None
    return user


# --- administration -----------------------------------------------------------------

@dataclass(frozen=True)
class UserRow:
    """One line of the users list an administrator sees."""

    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    directory: bool
    locked_until: dt.datetime | None
    failed_attempts: int
    last_sign_in_at: dt.datetime | None
    in_audit_trail: bool

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > utcnow()


def list_users(session: Session, actor) -> list[UserRow]:
    require(actor, "user.manage")
    acted = exists().where(AuditEvent.actor_id == User.id)
    rows = session.execute(select(User, acted.label("acted")).order_by(User.username)).all()
    return [UserRow(u.id, u.username, u.display_name, u.role, u.active, bool(u.directory_dn),
                    u.locked_until, u.failed_attempts or 0, u.last_sign_in_at, bool(flag))
            for u, flag in rows]


def _target(session: Session, user_id: int) -> User:
    user = session.scalar(select(User).where(User.id == user_id).with_for_update()
                          .execution_options(populate_existing=True))
    if user is None:
        raise NotFound(what=str(user_id))
    return user


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse a change that leaves no active administrator (checked after the change, before commit)."""
    session.flush()
    if needs_first_admin(session):
        raise LastAdministrator()


def set_active(session: Session, actor, user_id: int, active: bool) -> User:
    with unit_of_work(session, actor, "enable_user" if active else "disable_user",
                      permission="user.manage"):
        user = _target(session, user_id)
        user.active = bool(active)
        if not active:
            _keep_an_admin(session, user)
    return user


def set_role(session: Session, actor, user_id: int, role: Role | str) -> User:
    role = Role(role)
    with unit_of_work(session, actor, "set_role", permission="user.manage"):
        user = _target(session, user_id)
        if user.directory_dn and not user.password_hash:
            raise DirectoryManaged(username=user.username)
        user.role = role
        _keep_an_admin(session, user)
    return user


def set_display_name(session: Session, actor, user_id: int, display_name: str) -> User:
    text = " ".join((display_name or "").split())
    if not text:
        raise ValidationError(N_("The full name is missing."))
    with unit_of_work(session, actor, "rename_user", permission="user.manage"):
        user = _target(session, user_id)
        user.display_name = text[:120]
    return user


def reset_password(session: Session, actor, user_id: int, new_password: str) -> User:
    """An administrator sets a new password (and lifts any lock-out) for someone who forgot theirs."""
    check_password_rules(new_password)
    with unit_of_work(session, actor, "reset_password", permission="user.manage"):
        user = _target(session, user_id)
        if user.directory_dn and not user.password_hash:
            raise DirectoryManaged(username=user.username)
        user.password_hash = hash_password(new_password)
        user.failed_attempts = 0
        user.locked_until = None
    return user


def unlock(session: Session, actor, user_id: int) -> User:
    """Lift a lock-out after failed sign-ins (the person asked an administrator)."""
    with unit_of_work(session, actor, "unlock_user", permission="user.manage"):
        user = _target(session, user_id)
        user.failed_attempts = 0
        user.locked_until = None
    return user


def delete_user(session: Session, actor, user_id: int) -> str:
    """Delete a user who never did anything (a typo, a duplicate); anyone else is disabled instead."""
    with unit_of_work(session, actor, "delete_user", permission="user.manage"):
        user = _target(session, user_id)
        acted = session.scalar(select(func.count()).select_from(AuditEvent)
                               .where(AuditEvent.actor_id == user.id))
        if acted:
            raise UserInAuditTrail(username=user.username)
        name = user.username
        session.delete(user)
        _keep_an_admin(session, user)
    return name


def get_user(session: Session, username: str) -> User:
    try:
        name = normalise_identifier(username or "").lower()
    except ValidationError:
        raise NotFound(what=username) from None
    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        raise NotFound(what=username)
    return user


def lock_minutes_left(user: User, now: dt.datetime | None = None) -> int:
    now = now or utcnow()
    if not is_locked(user, now):
        return 0
    return math.ceil((user.locked_until - now).total_seconds() / 60)


# --- demo data ----------------------------------------------------------------------

DEMO_USERS = (  # user name, full name, role, active
    ("beheerder", "Bart Beheerder", Role.ADMIN, True),
    ("auditeur", "Ine Auditeur", Role.AUDITOR, True),
    ("manager2", "Sofie Tweede", Role.MANAGER, True),  # the second person for four-eyes actions
    ("stagiair", "Lars Stagiair", Role.TECHNICIAN, True),
    ("oud-technieker", "Piet Vroeger", Role.TECHNICIAN, False),  # left the province: disabled
)


def demo_users(session: Session, actor, rng=None) -> dict[str, int]:
    """Users of every role on top of the demo (password demo.DEMO_PASSWORD): an administrator, an
    auditor, a second manager, an intern with a few mistyped passwords, a disabled former technician."""
    from .demo import DEMO_PASSWORD

    require(actor, "user.manage")
    made: list[str] = []
    for username, name, role, active in DEMO_USERS:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = add_user(session, actor, username, name, role, DEMO_PASSWORD)
            made.append(username)
            if not active:
                set_active(session, actor, user.id, False)
    if "stagiair" in made:  # a few mistyped passwords, shown in the users list (not locked)
        for _ in range(rng.randint(1, 3) if rng is not None else 2):
            try:
                authenticate(session, "stagiair", "demo-wachtwoord?")
            except DomainError:
                pass
    return {"users": len(made)}
