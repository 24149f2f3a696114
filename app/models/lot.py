"""Intake lots: one delivery of devices by a provincial service, received at the desk."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .party import Party
from .user import User


class IntakeLot(Base):
    __tablename__ = "intake_lots"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    origin_service_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    delivered_by: Mapped[str | None] = mapped_column(String(120))
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(Text)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    origin_service: Mapped[Party] = relationship()
    received_by: Mapped[User] = relationship(foreign_keys=[received_by_id])

    __mapper_args__ = {"version_id_col": version}
