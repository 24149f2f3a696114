"""Sign-in through Active Directory / LDAP (ldap3): the directory checks the password, its groups give the role.

Optional: configured in the settings (`Settings.ldap`), otherwise the desk uses
local accounts only. Rules that keep it safe:
- only LDAPS (ldaps://) or ldap:// with StartTLS; certificates are checked;
- an empty password is refused before any bind (an LDAP "unauthenticated
  bind" with an empty password succeeds on many servers);
- the user name is escaped wherever it goes into a filter or a DN;
- the role comes from the user's groups through the configured mapping; a
  user in none of the mapped groups is refused, whatever the password;
- failed binds count towards the same throttling as local passwords.
On success a local user row (no password; `directory_dn` set) is created or
updated, so the audit trail names the person and an administrator can still
disable them in the depot.
"""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import N_
from ..models import Role, User, utcnow
from .errors import AccountDisabled, DomainError, SignInFailed, ValidationError
from .permissions import SYSTEM

# When a user is in several mapped groups, the first role in this order wins.
ROLE_PRECEDENCE = (Role.ADMIN, Role.MANAGER, Role.TECHNICIAN, Role.AUDITOR)
DEFAULT_USER_FILTER = "(&(objectClass=person)(|(sAMAccountName={username})(uid={username})))"


class DirectoryInsecure(DomainError):
    message = N_("The directory address must start with ldaps://, or use ldap:// with StartTLS: "
                 "passwords are never sent unencrypted.")


class DirectoryMisconfigured(DomainError):
    message = N_("The directory settings are incomplete: {detail}")


class DirectoryUnavailable(DomainError):
    message = N_("The directory server cannot be reached ({detail}). A local administrator can still sign in.")


class NoDirectoryRole(DomainError):
    message = N_("Your account is in none of the groups that give access to the depot. Ask an administrator.")


@dataclass(frozen=True)
class DirectoryConfig:
    url: str = ""  # ldaps://dc1.provincie.be or ldap://dc1.provincie.be with start_tls
    start_tls: bool = False
    base_dn: str = ""  # where users are searched: dc=provincie,dc=be
    bind_pattern: str = ""  # the user binds as themself: {username}@provincie.be or uid={username},ou=…
    service_dn: str = ""  # or a read-only service account finds the user first
    service_password: str = ""
    user_filter: str = DEFAULT_USER_FILTER
    group_roles: dict[str, str] = field(default_factory=dict)  # group DN or CN → role code

    @property
    def enabled(self) -> bool:
        return bool(self.url.strip())

    @classmethod
    def from_dict(cls, data: dict | None) -> DirectoryConfig:
        data = dict(data or {})
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        known["group_roles"] = dict(known.get("group_roles") or {})
        known["start_tls"] = bool(known.get("start_tls"))
        return cls(**known)

    @classmethod
    def from_settings(cls, settings) -> DirectoryConfig:
        return cls.from_dict(getattr(settings, "ldap", None))

    def to_dict(self) -> dict:
        return asdict(self)


def validate(config: DirectoryConfig) -> None:
    """Refuse a configuration that would send a password in clear or cannot work."""
    url = config.url.strip().lower()
    encrypted = url.startswith("ldaps://") or (url.startswith("ldap://") and config.start_tls)
    if not encrypted:
        raise DirectoryInsecure()
    if not config.base_dn.strip():
        raise DirectoryMisconfigured(detail=N_("the base DN is missing"))
    if not config.service_dn.strip() and "{username}" not in config.bind_pattern:
        raise DirectoryMisconfigured(
            detail=N_("give a bind pattern with {username} in it, or a service account"))
    if "{username}" not in config.user_filter:
        raise DirectoryMisconfigured(detail=N_("the user filter must contain {username}"))
    if not config.group_roles:
        raise DirectoryMisconfigured(detail=N_("no group is mapped to a role"))
    for role in config.group_roles.values():
        try:
            Role(role)
        except ValueError:
            raise DirectoryMisconfigured(detail=N_("unknown role in the group mapping")) from None


def open_connection(config: DirectoryConfig, user: str, password: str):
    """An open, encrypted, not yet bound connection (replaced by a mock in the tests)."""
    from ldap3 import NONE, Connection, Server, Tls

    tls = Tls(validate=ssl.CERT_REQUIRED)
    url = config.url.strip()
    server = Server(url, use_ssl=url.lower().startswith("ldaps://"), tls=tls, get_info=NONE,
                    connect_timeout=5)
    conn = Connection(server, user=user, password=password, read_only=True, receive_timeout=10,
                      raise_exceptions=False)
    conn.open()
    # never bind over a connection that is not encrypted
    if not url.lower().startswith("ldaps://") and not conn.start_tls():
        conn.unbind()
        raise DirectoryUnavailable(detail="StartTLS")
    return conn


_connect: Callable = open_connection


def use_connection_factory(factory: Callable | None) -> None:
    """Tests: connect to ldap3's mock server instead of a real one."""
    global _connect
    _connect = factory or open_connection


def _bind(config: DirectoryConfig, dn: str, password: str):
    from ldap3.core.exceptions import LDAPException

    try:
        conn = _connect(config, dn, password)
        return conn if conn.bind() else None
    except LDAPException as err:
        raise DirectoryUnavailable(detail=type(err).__name__) from err


def _find(config: DirectoryConfig, conn, name: str):
    from ldap3 import SUBTREE
    from ldap3.core.exceptions import LDAPException
    from ldap3.utils.conv import escape_filter_chars

    search_filter = config.user_filter.replace("{username}", escape_filter_chars(name))
    try:
        conn.search(config.base_dn, search_filter, search_scope=SUBTREE,
                    attributes=["memberOf", "displayName", "cn"], size_limit=2)
    except LDAPException as err:
        raise DirectoryUnavailable(detail=type(err).__name__) from err
    entries = list(conn.entries)
    return entries[0] if len(entries) == 1 else None


def _values(entry, attribute: str) -> list[str]:
    try:
        return [str(v) for v in entry[attribute].values]
    except (KeyError, IndexError, AttributeError):
        return []


def _cn(dn: str) -> str:
    first = dn.split(",", 1)[0]
    key, _sep, value = first.partition("=")
    return value.strip().lower() if key.strip().lower() == "cn" else dn.strip().lower()


def role_for_groups(config: DirectoryConfig, groups: list[str]) -> Role | None:
    mapping = {key.strip().lower(): Role(role) for key, role in config.group_roles.items()}
    found: set[Role] = set()
    for group in groups:
        for key in (group.strip().lower(), _cn(group)):
            if key in mapping:
                found.add(mapping[key])
    for role in ROLE_PRECEDENCE:
        if role in found:
            return role
    return None


def directory_sign_in(session: Session, config: DirectoryConfig, name: str, password: str, *,
                      now: dt.datetime | None = None) -> User:
    """Check `name`/`password` against the directory; the local user row for them."""
    from ldap3.utils.dn import escape_rdn

    from . import auth
    from .uow import unit_of_work

    now = now or utcnow()
    if not password:
        raise SignInFailed()  # before any bind: an empty password would be an anonymous bind
    name = auth.clean_username(name)
    validate(config)
    if config.service_dn.strip():
        service = _bind(config, config.service_dn, config.service_password)
        if service is None:
            raise DirectoryUnavailable(detail=N_("the service account was refused"))
        entry = _find(config, service, name)
        service.unbind()
        conn = _bind(config, entry.entry_dn, password) if entry is not None else None
        if conn is None:
            raise auth.record_failure(session, name, now)
    else:
        conn = _bind(config, config.bind_pattern.replace("{username}", escape_rdn(name)), password)
        if conn is None:
            raise auth.record_failure(session, name, now)
        entry = _find(config, conn, name)
    conn.unbind()
    if entry is None:  # the password was right, but the search cannot see the account
        raise NoDirectoryRole()
    role = role_for_groups(config, _values(entry, "memberOf"))
    if role is None:
        raise NoDirectoryRole()
    display = (_values(entry, "displayName") or _values(entry, "cn") or [name])[0][:120]
    user = session.scalar(select(User).where(User.username == name))
    if user is not None and not user.active:
        raise AccountDisabled()
    with unit_of_work(session, SYSTEM, "directory_sign_in"):
        if user is None:
            user = User(username=name, display_name=display, role=role, password_hash=None,
                        active=True, failed_attempts=0)
            session.add(user)
        user.role = role
        user.display_name = display
        user.directory_dn = entry.entry_dn[:512]
    return auth.signed_in(session, user)


def check_settings(config: DirectoryConfig) -> None:
    """For the settings page: the same refusals as at sign-in, said when saving."""
    if not config.enabled:
        return
    validate(config)
    if config.service_dn.strip() and not config.service_password:
        raise ValidationError(N_("The service account needs its password."))
