"""Issuing a document: a number from the database, the PDF stored once with its SHA-256.

A reprint hands out the stored bytes, never a new rendering, so the paper in
a folder and the database always agree; the QR code on the paper carries the
number, and `verify` tells whether a PDF someone holds is the one issued.

A certificate also stores what it covers (`content`, canonical JSON: parties,
devices, totals) and puts a short digest of that content in its QR code
(`CERT:HC-2026-00012:3F9A1C0B77D2`). `verify_code` answers for a scanned or
typed code whether the certificate exists, whether the paper and the record
still agree, and what it covers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import clock
from ...i18n import N_, _, current_language
from ...models import Asset, Document, DocumentKind, User
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
    return f"{PREFIX[kind]}-{(today or clock.today()).year}-{n:05d}"


QR_PREFIX = "CERT:"
DIGEST_LENGTH = 12  # hex digits: 48 bits, enough that a made-up code never matches by chance


def canonical(content: dict) -> str:
    """The one byte-exact spelling of `content` that its digest is taken over."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def content_digest(content: dict) -> str:
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()[:DIGEST_LENGTH].upper()


def qr_payload(number: str, digest: str | None = None) -> str:
    """What a document's QR code says: its number, and for a certificate its content digest."""
    return f"{QR_PREFIX}{number}:{digest}" if digest else f"{QR_PREFIX}{number}"


def store_document(session: Session, actor, kind: DocumentKind, number: str, title: str, pdf: bytes,
                   assets: list[Asset], lot_id: int | None = None,
                   language: str | None = None, content: dict | None = None) -> Document:
    """Add the issued document to the caller's unit of work.

    `content` is what the document covers; pass the same dict whose `content_digest` went into
    the QR code on the PDF.
    """
    document = Document(number=number, kind=kind, title=title[:200], language=language or current_language(),
                        pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), issued_by_id=actor.id,
                        lot_id=lot_id,
                        content=canonical(content) if content is not None else None,
                        digest=content_digest(content) if content is not None else None)
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


class Verdict:
    GENUINE = "genuine"  # issued here, record and paper agree
    UNKNOWN = "unknown"  # no such number was issued
    MISMATCH = "mismatch"  # the number exists, but the code's digest is not the issued one
    ALTERED = "altered"  # the stored record no longer matches what was issued
    UNREADABLE = "unreadable"  # not a document code at all


VERDICT_TEXT = {
    Verdict.GENUINE: N_("Certificate {number} is genuine and unchanged: issued on {date} by {issuer}."),
    Verdict.UNKNOWN: N_("No document {number} was issued by this warehouse. Do not accept it."),
    Verdict.MISMATCH: N_("Document {number} exists, but the code on this paper does not match what was "
                         "issued: the paper was altered or belongs to another document. Do not accept it."),
    Verdict.ALTERED: N_("Document {number} exists, but its stored record no longer matches what was "
                        "issued. Report this to the warehouse manager."),
    Verdict.UNREADABLE: N_("“{number}” is not a document number or certificate code."),
}


@dataclass
class Verification:
    number: str
    verdict: str
    document: Document | None = None
    issuer: str = ""
    covered: list[dict] = field(default_factory=list)  # the devices, as printed on it

    @property
    def ok(self) -> bool:
        return self.verdict == Verdict.GENUINE

    def message(self) -> str:
        from ...timefmt import format_local

        date = format_local(self.document.issued_at) if self.document else ""
        return _(VERDICT_TEXT[self.verdict], number=self.number, date=date, issuer=self.issuer)


def parse_code(code: str) -> tuple[str, str | None] | None:
    """(number, digest or None) from `CERT:NUMBER[:DIGEST]` or a bare number; None if neither."""
    text = code.strip()
    if text.upper().startswith(QR_PREFIX):
        text = text[len(QR_PREFIX):]
    number, _sep, digest = text.partition(":")
    number = number.strip().upper()
    prefix, _dash, rest = number.partition("-")
    if prefix not in PREFIX.values() or not rest:
        return None
    return number, (digest.strip().upper() or None)


def is_document_code(code: str) -> bool:
    return code.strip().upper().startswith(QR_PREFIX) and parse_code(code) is not None


def verify_code(session: Session, code: str) -> Verification:
    """Whether the document a QR code or number points to exists, is unchanged, and what it covers."""
    parsed = parse_code(code)
    if parsed is None:
        return Verification(code.strip()[:60], Verdict.UNREADABLE)
    number, digest = parsed
    document = session.scalar(select(Document).where(Document.number == number))
    if document is None:
        return Verification(number, Verdict.UNKNOWN)
    issuer = session.get(User, document.issued_by_id) if document.issued_by_id else None
    result = Verification(number, Verdict.GENUINE, document, issuer.display_name if issuer else "—")
    content = json.loads(document.content) if document.content else None
    record_intact = hashlib.sha256(document.pdf).hexdigest() == document.sha256 and (
        content is None or content_digest(content) == document.digest)
    if not record_intact:
        result.verdict = Verdict.ALTERED
    elif digest is not None and digest != document.digest:
        result.verdict = Verdict.MISMATCH
    if content is not None:
        result.covered = list(content.get("devices", []))
    else:
        result.covered = [{"tag": a.tag, "serial": a.serial} for a in document.assets]
    return result
