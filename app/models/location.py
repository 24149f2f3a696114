"""Warehouse locations: a bin on a shelf in a rack in a zone, at a site, with a scannable code."""

from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    site: Mapped[str] = mapped_column(String(80))
    zone: Mapped[str] = mapped_column(String(20))
    rack: Mapped[str | None] = mapped_column(String(20))
    shelf: Mapped[str | None] = mapped_column(String(20))
    bin: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<Location {self.code}>"
