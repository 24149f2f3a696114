"""Users of the app: who signs in, with which role. Never deleted once they acted.

`failed_attempts` and `locked_until` throttle password guessing across every
desk of a shared database; `directory_dn` marks a user who signs in through
Active Directory / LDAP (no local password). `SignInThrottle` does the same
bookkeeping for names that match no user, so a lock-out never tells a
stranger which user names exist.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow
from .enums import Role, enum_column


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    directory_dn: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class SignInThrottle(Base):
    """Failed sign-ins for a name that is not a user (not audited: there is no record to protect)."""

    __tablename__ = "sign_in_throttle"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_failed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
