"""The refurbishment bench: checklist results, sanitisation records, spare parts.

A sanitisation record follows NIST SP 800-88 Rev.1 §4.8 (what medium, which
method and technique, which tool, how it was verified, by whom) and carries
a second person, the verifier, who must differ from the operator: the schema
itself refuses a record verified by its own operator.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .asset import Asset, StorageMedium
from .base import Base, UTCDateTime, utcnow
from .enums import MediumKind, enum_column


class CheckOutcome(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "na"


class ChecklistResult(Base):
    """One checklist item for one device: the latest answer (earlier ones live in the audit trail)."""

    __tablename__ = "checklist_results"
    __table_args__ = (UniqueConstraint("asset_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    checklist: Mapped[str] = mapped_column(String(40))
    item_key: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[CheckOutcome] = mapped_column(enum_column(CheckOutcome, "check_outcome"))
    value: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    asset: Mapped[Asset] = relationship()


class SanitisationMethod(enum.StrEnum):
    """NIST SP 800-88 method categories."""

    CLEAR = "clear"
    PURGE = "purge"
    DESTROY = "destroy"


class SanitisationOutcome(enum.StrEnum):
    WIPED = "wiped"          # cleared or purged, data verified gone
    DESTROYED = "destroyed"  # shredded, disintegrated, …
    REMOVED = "removed"      # taken out and kept in the secure bin for destruction


class VerificationResult(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"


class SanitisationRecord(Base):
    __tablename__ = "sanitisation_records"
    __table_args__ = (
        CheckConstraint("verifier_id IS NULL OR verifier_id <> operator_id", name="four_eyes"),
        # One record per report and medium, enforced where two desks cannot both pass a check.
        Index("uq_sanitisation_records_medium_report", "medium_id", "report_sha256", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    medium_id: Mapped[int] = mapped_column(ForeignKey("storage_media.id"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    media_manufacturer: Mapped[str | None] = mapped_column(String(80))
    media_model: Mapped[str | None] = mapped_column(String(120))
    media_serial: Mapped[str | None] = mapped_column(String(80))
    media_kind: Mapped[MediumKind] = mapped_column(enum_column(MediumKind, "san_medium_kind"))
    method: Mapped[SanitisationMethod] = mapped_column(enum_column(SanitisationMethod, "san_method"))
    technique: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[SanitisationOutcome] = mapped_column(enum_column(SanitisationOutcome, "san_outcome"))
    tool: Mapped[str | None] = mapped_column(String(80))
    tool_version: Mapped[str | None] = mapped_column(String(40))
    verification_method: Mapped[str | None] = mapped_column(String(120))
    verification_result: Mapped[VerificationResult] = mapped_column(
        enum_column(VerificationResult, "san_verification"))
    performed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(20), default="manual")  # manual | nwipe | csv
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    medium: Mapped[StorageMedium] = relationship()
    asset: Mapped[Asset] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def verified(self) -> bool:
        return self.verifier_id is not None and self.verification_result == VerificationResult.PASSED


class PartKind(enum.StrEnum):
    RAM = "ram"
    SSD = "ssd"
    HDD = "hdd"
    BATTERY = "battery"
    CHARGER = "charger"
    SCREEN = "screen"
    OTHER = "other"


class SparePart(Base):
    """A part harvested from a device that will not get a second life, in stock or issued."""

    __tablename__ = "spare_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PartKind] = mapped_column(enum_column(PartKind, "part_kind"))
    description: Mapped[str] = mapped_column(String(200))
    source_asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    medium_id: Mapped[int | None] = mapped_column(ForeignKey("storage_media.id"))
    harvested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    harvested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    source_asset: Mapped[Asset] = relationship()
    medium: Mapped[StorageMedium | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
