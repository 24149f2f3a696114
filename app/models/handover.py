"""Second life: what a recipient asked for, the devices reserved for it, and the handover batch.

A `HandoverRequest` records what a school, charity or provincial service asked
for, one `RequestLine` per category (quantity, minimum grade and specs). The
devices the manager accepts are reserved into a `HandoverBatch` for that
request, one `HandoverItem` each: which request and line reserved the device,
and when it was scanned at the desk. Completing the batch transfers the devices
and links the handover certificate; cancelling releases them. Rows are kept
after completion or cancellation, so the history of a device and a recipient
stays readable.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .asset import Asset
from .base import Base, UTCDateTime, utcnow
from .enums import Category, Grade, enum_column
from .party import Party


class RequestStatus(enum.StrEnum):
    OPEN = "open"  # nothing or not everything reserved yet
    RESERVED = "reserved"  # every line has its devices reserved, waiting for the handover
    COMPLETED = "completed"  # handed over, certificate issued
    CANCELLED = "cancelled"


class BatchStatus(enum.StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class HandoverRequest(Base):
    __tablename__ = "handover_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    needed_by: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus, "request_status"),
                                                  default=RequestStatus.OPEN)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    recipient: Mapped[Party] = relationship()
    lines: Mapped[list[RequestLine]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestLine.id")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<HandoverRequest {self.number} {self.status}>"


class RequestLine(Base):
    __tablename__ = "handover_request_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("handover_requests.id"), index=True)
    category: Mapped[Category] = mapped_column(enum_column(Category, "category"))
    quantity: Mapped[int] = mapped_column(Integer)
    min_grade: Mapped[Grade | None] = mapped_column(enum_column(Grade, "grade"))
    min_ram_gb: Mapped[int | None] = mapped_column(Integer)
    min_storage_gb: Mapped[int | None] = mapped_column(Integer)

    request: Mapped[HandoverRequest] = relationship(back_populates="lines")

    def __repr__(self) -> str:
        return f"<RequestLine {self.quantity}× {self.category}>"


class HandoverBatch(Base):
    __tablename__ = "handover_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("handover_requests.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    status: Mapped[BatchStatus] = mapped_column(enum_column(BatchStatus, "batch_status"),
                                                default=BatchStatus.OPEN)
    labels_removed: Mapped[bool] = mapped_column(Boolean, default=False)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    request: Mapped[HandoverRequest] = relationship()
    recipient: Mapped[Party] = relationship()
    items: Mapped[list[HandoverItem]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="HandoverItem.id")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<HandoverBatch {self.number} {self.status}>"


class HandoverItem(Base):
    """One device reserved for a batch: which request line it answers, when it was scanned."""

    __tablename__ = "handover_items"
    __table_args__ = (UniqueConstraint("batch_id", "asset_id", name="uq_handover_items_batch_asset"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("handover_batches.id"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("handover_request_lines.id"))
    scanned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    scanned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released: Mapped[bool] = mapped_column(Boolean, default=False)  # dropped or cancelled

    batch: Mapped[HandoverBatch] = relationship(back_populates="items")
    asset: Mapped[Asset] = relationship()

    def __repr__(self) -> str:
        return f"<HandoverItem batch={self.batch_id} asset={self.asset_id}>"
