"""The asset aggregate: one physical device and the storage media inside it.

`status` is written only by `app.services.lifecycle`; the session guard in
`app.services.audit` refuses any other change to it. The version column gives
optimistic locking: a write based on a stale read is refused, never merged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .enums import AssetStatus, Category, Grade, MediumKind, enum_column
from .location import Location
from .lot import IntakeLot
from .party import Party


class Asset(Base):
    __tablename__ = "assets"
    __table_args__ = (
        UniqueConstraint("manufacturer", "serial_normalised", name="uq_assets_manufacturer_serial"),
        Index("ix_assets_status_changed", "status", "status_changed_at"),
        Index("ix_assets_category", "category"),
        Index("ix_assets_model", "model"),
        # The inventory's walks by grade and by age, and the dashboard's stock per status and
        # category (read from the index alone); id last, so PostgreSQL reads them in page order.
        Index("ix_assets_grade", "grade", "id"),
        Index("ix_assets_purchase_date", "purchase_date", "id"),
        Index("ix_assets_status_category", "status", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tag: Mapped[str] = mapped_column(String(16), unique=True)
    category: Mapped[Category] = mapped_column(enum_column(Category, "category"))
    manufacturer: Mapped[str] = mapped_column(String(80))
    model: Mapped[str] = mapped_column(String(120))
    serial: Mapped[str | None] = mapped_column(String(80))
    serial_normalised: Mapped[str | None] = mapped_column(String(80), index=True)
    cpu: Mapped[str | None] = mapped_column(String(120))
    ram_gb: Mapped[int | None] = mapped_column(Integer)
    storage_gb: Mapped[int | None] = mapped_column(Integer)
    screen_inch: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    purchase_date: Mapped[dt.date | None] = mapped_column(Date)
    purchase_cost: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    warranty_end: Mapped[dt.date | None] = mapped_column(Date)
    origin_service_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), index=True)
    intake_lot_id: Mapped[int | None] = mapped_column(ForeignKey("intake_lots.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    status: Mapped[AssetStatus] = mapped_column(enum_column(AssetStatus, "asset_status"))
    status_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the device last came back after its second life: what was wiped before that no
    # longer counts (the school's or buyer's data is on it now).
    returned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    grade: Mapped[Grade | None] = mapped_column(enum_column(Grade, "grade"))
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    data_bearing: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    missing_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # not found at a count
    missing_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    media: Mapped[list[StorageMedium]] = relationship(
        back_populates="asset", cascade="all, delete-orphan", order_by="StorageMedium.id"
    )
    origin_service: Mapped[Party | None] = relationship(foreign_keys=[origin_service_id])
    recipient: Mapped[Party | None] = relationship(foreign_keys=[recipient_id])
    location: Mapped[Location | None] = relationship()
    intake_lot: Mapped[IntakeLot | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Asset {self.tag} {self.status}>"


class StorageMedium(Base):
    __tablename__ = "storage_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    kind: Mapped[MediumKind] = mapped_column(enum_column(MediumKind, "medium_kind"))
    serial: Mapped[str | None] = mapped_column(String(80))
    capacity_gb: Mapped[int | None] = mapped_column(Integer)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    asset: Mapped[Asset] = relationship(back_populates="media")

    def __repr__(self) -> str:
        return f"<StorageMedium {self.kind} {self.serial}>"
