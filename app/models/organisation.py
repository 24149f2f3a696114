"""The organisation that runs the warehouse: its name, address, enterprise number and logo.

One row, shared by every desk (and the web portal), so that every document
printed anywhere carries the same identity in its header. No row yet means the
defaults of `app.services.organisation` (a new database needs nothing set).
The logo's bytes stay out of the audit trail; its SHA-256 is recorded instead.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow

SINGLE_ROW_ID = 1


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=SINGLE_ROW_ID, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(60))
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(12))
    city: Mapped[str | None] = mapped_column(String(100))
    enterprise_number: Mapped[str | None] = mapped_column(String(20))  # KBO/BCE, 0123.456.789
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(20))  # image/png | image/jpeg
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"
