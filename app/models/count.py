"""Stock counts: scan everything physically in a location and reconcile it with the records.

A count line is one finding: a device found where it should be, missing (recorded
there, not scanned) or unexpected (scanned there, recorded elsewhere), and how
the manager resolved it.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .asset import Asset
from .base import Base, UTCDateTime, utcnow
from .enums import enum_column
from .location import Location


class CountFinding(enum.StrEnum):
    FOUND = "found"
    MISSING = "missing"
    UNEXPECTED = "unexpected"
    UNKNOWN = "unknown"  # a scanned code that matches no device


class CountResolution(enum.StrEnum):
    NONE = "none"
    MOVED_HERE = "moved_here"          # an unexpected device is moved to the counted location
    MARKED_MISSING = "marked_missing"  # a missing device is flagged missing, with a reason
    FOUND_ELSEWHERE = "found_elsewhere"
    IGNORED = "ignored"


class StockCount(Base):
    __tablename__ = "stock_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    report_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    location: Mapped[Location] = relationship()
    lines: Mapped[list[StockCountLine]] = relationship(back_populates="count", order_by="StockCountLine.id")

    __mapper_args__ = {"version_id_col": version}


class StockCountLine(Base):
    __tablename__ = "stock_count_lines"
    __table_args__ = (UniqueConstraint("count_id", "scanned_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_counts.id"), index=True)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id"))
    scanned_code: Mapped[str | None] = mapped_column(String(80))
    finding: Mapped[CountFinding] = mapped_column(enum_column(CountFinding, "count_finding"))
    resolution: Mapped[CountResolution] = mapped_column(
        enum_column(CountResolution, "count_resolution"), default=CountResolution.NONE)
    reason: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    count: Mapped[StockCount] = relationship(back_populates="lines")
    asset: Mapped[Asset | None] = relationship()
