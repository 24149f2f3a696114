"""Parties: every organisation or person devices come from or go to.

One table for all of them (a provincial service, a school, a charity, a
recycler, a carrier, a staff member); the type says which fields matter, and
`app.services.parties` checks that the fields a type needs are filled.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow
from .enums import PartyType, enum_column


class Party(Base):
    __tablename__ = "parties"
    __table_args__ = (Index("ix_parties_type_name", "type", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[PartyType] = mapped_column(enum_column(PartyType, "party_type"))
    name: Mapped[str] = mapped_column(String(200))
    enterprise_number: Mapped[str | None] = mapped_column(String(20))  # KBO/BCE
    registration_number: Mapped[str | None] = mapped_column(String(60))  # OVAM/permit
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(12))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2), default="BE")
    contact_name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    staff_number: Mapped[str | None] = mapped_column(String(40))
    service_name: Mapped[str | None] = mapped_column(String(200))  # a staff member's service
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Party {self.type} {self.name!r}>"
