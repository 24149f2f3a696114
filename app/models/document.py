"""Issued documents (intake receipts, certificates, receipts, reports): the PDF as issued.

A document is stored once, with its SHA-256, and never re-rendered: a reprint
is the same bytes. The link table says which devices a document mentions, so
an asset's page can list its paperwork.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .enums import enum_column


class DocumentKind(enum.StrEnum):
    INTAKE_RECEIPT = "intake_receipt"
    HANDOVER_CERTIFICATE = "handover_certificate"
    SANITISATION_CERTIFICATE = "sanitisation_certificate"
    EOL_CERTIFICATE = "eol_certificate"
    SALE_RECEIPT = "sale_receipt"
    REPORT = "report"


document_assets = Table(
    "document_assets",
    Base.metadata,
    Column("document_id", ForeignKey("documents.id"), primary_key=True),
    Column("asset_id", ForeignKey("assets.id"), primary_key=True, index=True),
)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, "document_kind"))
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    # What the document covers, as canonical JSON, and the short digest of it that its QR code
    # carries: scanning the paper tells whether the record it points to is still the same.
    content: Mapped[str | None] = mapped_column(Text)
    digest: Mapped[str | None] = mapped_column(String(16))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("intake_lots.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    assets = relationship("Asset", secondary=document_assets, lazy="selectin")

    __mapper_args__ = {"version_id_col": version}
