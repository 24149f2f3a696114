"""Issuing a document: a number from the database, the PDF stored once with its SHA-256.

A reprint hands out the stored bytes, never a new rendering, so the paper in
a folder and the database always agree; the QR code on the paper carries the
number, and `verify` tells whether a PDF someone holds is the one issued.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...i18n import current_language
from ...models import Asset, Document, DocumentKind
from .. import sequences
from ..errors import NotFound

PREFIX = {
    DocumentKind.INTAKE_RECEIPT: "IR",
    DocumentKind.HANDOVER_CERTIFICATE: "HC",
    DocumentKind.SANITISATION_CERTIFICATE: "SC",
    DocumentKind.EOL_CERTIFICATE: "EOL",
    DocumentKind.SALE_RECEIPT: "SR",
    DocumentKind.REPORT: "RP",
}


def allocate_number(session: Session, kind: DocumentKind, today: dt.date | None = None) -> str:
    """The next number of this kind, e.g. IR-2026-00017 (unique and ordered across desks)."""
    n = sequences.next_value(session, f"document_{kind.value}")
    return f"{PREFIX[kind]}-{(today or dt.date.today()).year}-{n:05d}"


def qr_payload(number: str) -> str:
    return f"CERT:{number}"


def store_document(session: Session, actor, kind: DocumentKind, number: str, title: str, pdf: bytes,
                   assets: list[Asset], lot_id: int | None = None,
                   language: str | None = None) -> Document:
    """Add the issued document to the caller's unit of work."""
    document = Document(number=number, kind=kind, title=title[:200], language=language or current_language(),
                        pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), issued_by_id=actor.id,
                        lot_id=lot_id)
    document.assets = list(assets)
    session.add(document)
    session.flush()
    return document


def get_document(session: Session, number: str) -> Document:
    document = session.scalar(select(Document).where(Document.number == number.strip().upper()))
    if document is None:
        raise NotFound(what=number)
    return document


def documents_for_asset(session: Session, asset_id: int) -> list[Document]:
    return list(session.scalars(select(Document).where(Document.assets.any(Asset.id == asset_id))
                                .order_by(Document.issued_at)))


def verify(session: Session, number: str, pdf: bytes) -> bool:
    return get_document(session, number).sha256 == hashlib.sha256(pdf).hexdigest()
