"""End of life: processors' certifications, disposal batches, their devices, weighings and the
processor's own certificate.

A batch is opened for one certified processor (and a carrier), filled by scanning devices that
await disposal, weighed per WEEE category at pick-up and closed: closing disposes of every device
and issues the EOL certificate. The WEEE category, stream, EURAL code and weight of each device are
stored on its line when it joins the batch, so later changes to `resources/weee.json` never
rewrite a past pick-up. A device is in at most one batch (unique asset_id): once disposed it never
comes back. The processor's PDF lives in its own table so the batch row stays small.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .asset import Asset
from .base import Base, UTCDateTime, utcnow
from .enums import enum_column
from .party import Party


class CertificationScheme(enum.StrEnum):
    R2 = "r2"
    E_STEWARDS = "e_stewards"
    WEEELABEX = "weeelabex"
    OTHER = "other"


class DisposalStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class WasteStream(enum.StrEnum):
    HOUSEHOLD = "household"  # 'dual use' EEE a household could use too
    PROFESSIONAL = "professional"


class ProcessorCertification(Base):
    """A certification a processor holds (R2, e-Stewards, WEEELABEX…) and until when."""

    __tablename__ = "processor_certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    scheme: Mapped[CertificationScheme] = mapped_column(
        enum_column(CertificationScheme, "certification_scheme"))
    scheme_name: Mapped[str | None] = mapped_column(String(80))  # the name when scheme is "other"
    certificate_number: Mapped[str | None] = mapped_column(String(80))
    valid_until: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    party: Mapped[Party] = relationship()

    __mapper_args__ = {"version_id_col": version}


class DisposalBatch(Base):
    __tablename__ = "disposal_batches"
    __table_args__ = (
        CheckConstraint("countersigned_by_id IS NULL OR countersigned_by_id <> closed_by_id",
                        name="four_eyes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    status: Mapped[DisposalStatus] = mapped_column(enum_column(DisposalStatus, "disposal_status"),
                                                default=DisposalStatus.OPEN, index=True)
    processor_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    treatment: Mapped[str] = mapped_column(String(8))  # recovery operation, e.g. R12
    notes: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)  # the pick-up
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    countersigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    processor: Mapped[Party] = relationship(foreign_keys=[processor_id])
    carrier: Mapped[Party | None] = relationship(foreign_keys=[carrier_id])
    items: Mapped[list[DisposalItem]] = relationship(
        back_populates="batch", order_by="DisposalItem.id", cascade="all, delete-orphan")
    weighings: Mapped[list[DisposalWeighing]] = relationship(
        back_populates="batch", order_by="DisposalWeighing.weee_category",
        cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<DisposalBatch {self.number} {self.status}>"


class DisposalItem(Base):
    """One device in a batch, with what the waste register needs to know about it."""

    __tablename__ = "disposal_items"
    __table_args__ = (
        CheckConstraint("weee_category BETWEEN 1 AND 6", name="weee_category"),
        CheckConstraint("weight_kg > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("disposal_batches.id"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), unique=True)
    weee_category: Mapped[int] = mapped_column(Integer)
    stream: Mapped[WasteStream] = mapped_column(enum_column(WasteStream, "waste_stream"))
    hazardous: Mapped[bool] = mapped_column(Boolean, default=False)
    eural_code: Mapped[str] = mapped_column(String(12))
    weight_kg: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    batch: Mapped[DisposalBatch] = relationship(back_populates="items")
    asset: Mapped[Asset] = relationship()

    __mapper_args__ = {"version_id_col": version}


class DisposalWeighing(Base):
    """The weight of one WEEE category of a batch on the weighbridge or scale at pick-up."""

    __tablename__ = "disposal_weighings"
    __table_args__ = (
        UniqueConstraint("batch_id", "weee_category"),
        CheckConstraint("weee_category BETWEEN 1 AND 6", name="weee_category"),
        CheckConstraint("weighed_kg > 0", name="weighed_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("disposal_batches.id"), index=True)
    weee_category: Mapped[int] = mapped_column(Integer)
    weighed_kg: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    batch: Mapped[DisposalBatch] = relationship(back_populates="weighings")

    __mapper_args__ = {"version_id_col": version}


class ProcessorCertificate(Base):
    """The processor's own certificate of recycling or destruction for a batch, as received."""

    __tablename__ = "processor_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("disposal_batches.id"), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(80))  # the processor's own number
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    attached_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    attached_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    batch: Mapped[DisposalBatch] = relationship()

    __mapper_args__ = {"version_id_col": version}
