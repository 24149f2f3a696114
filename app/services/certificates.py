"""Certificates the warehouse issues about devices; for now the data sanitisation certificate.

A certificate says the data on a device is gone, so it is only issued when
that is true: every storage medium of every data-bearing device listed has a
wipe or destruction record that a second person verified (NIST SP 800-88
Rev. 1 asks for verification; the house rule asks for four eyes). A medium
only taken out into the secure bin is not sanitised yet and blocks it too.
Checking, numbering, rendering and storing are one unit of work: a refused
certificate leaves no document and uses up no number. A reprint is the
stored PDF, never a new rendering.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import N_, current_language, translate
from ..models import (
    Asset,
    Document,
    DocumentKind,
    SanitisationOutcome,
    SanitisationRecord,
    User,
    utcnow,
)
from ..timefmt import local
from . import organisation, sanitisation
from .documents.issued import allocate_number, content_digest, get_document, store_document
from .documents.sanitisation_certificate import (
    TITLE,
    CertifiedMedium,
    render_sanitisation_certificate,
)
from .errors import DomainError, NotFound, ValidationError
from .sanitisation import MediumState, MediumStatus
from .uow import unit_of_work


class MediaNotSanitised(DomainError):
    message = N_("No certificate was issued: not every storage medium of {tags} has a wipe or "
                 "destruction verified by a second person.")


class NoMediaRecorded(DomainError):
    message = N_("No certificate was issued: {tags} can hold data, but no storage medium is "
                 "recorded. Add the media first.")


def _certifiable(status: MediumStatus) -> bool:
    return (status.state == MediumState.VERIFIED
            and status.record.outcome != SanitisationOutcome.REMOVED)


def issue_sanitisation_certificate(session: Session, actor, asset_ids: list[int],
                                   language: str | None = None) -> Document:
    """Check, number, render and store a data sanitisation certificate for these devices."""
    ids = list(dict.fromkeys(asset_ids))  # keep the caller's order, print each device once
    if not ids:
        raise ValidationError(N_("Choose at least one device for the certificate."))
    lang = language or current_language()
    with unit_of_work(session, actor, "issue_sanitisation_certificate",
                      permission="sanitisation.certificate"):
        found = {a.id: a for a in session.scalars(select(Asset).where(Asset.id.in_(ids)))}
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise NotFound(what=", ".join(missing))
        assets = [found[i] for i in ids]

        certified: list[tuple[Asset, list[SanitisationRecord]]] = []
        no_media, not_sanitised = [], []
        for asset in assets:
            statuses = sanitisation.media_statuses(session, asset)
            if asset.data_bearing and not statuses:
                no_media.append(asset.tag)
            elif asset.data_bearing and not all(_certifiable(s) for s in statuses):
                not_sanitised.append(asset.tag)
            certified.append((asset, [s.record for s in statuses if _certifiable(s)]))
        if no_media:
            raise NoMediaRecorded(tags=", ".join(no_media))
        if not_sanitised:
            raise MediaNotSanitised(tags=", ".join(not_sanitised))

        printed = _with_names(session, certified)

        now = utcnow()
        kind = DocumentKind.SANITISATION_CERTIFICATE
        number = allocate_number(session, kind, today=local(now).date())
        content = _content(number, now, printed)
        pdf = render_sanitisation_certificate(number, printed, actor, language=lang, issued_at=now,
                                              digest=content_digest(content),
                                              organisation=organisation.get(session))
        title = f"{translate(TITLE, lang)}: {', '.join(a.tag for a in assets)}"
        document = store_document(session, actor, kind, number, title, pdf, assets, language=lang,
                                  content=content)
    return document


def _content(number: str, issued_at, printed: list[tuple[Asset, list[CertifiedMedium]]]) -> dict:
    """What the certificate says, for its QR digest and for verification."""
    return {"kind": DocumentKind.SANITISATION_CERTIFICATE.value, "number": number,
            "issued_at": issued_at.isoformat(),
            "devices": [{"tag": asset.tag, "category": asset.category.value,
                         "model": " ".join(filter(None, (asset.manufacturer, asset.model))),
                         "serial": asset.serial,
                         "media": [{"serial": m.record.media_serial, "method": m.record.method.value,
                                    "outcome": m.record.outcome.value, "operator": m.operator,
                                    "verifier": m.verifier} for m in media]}
                        for asset, media in printed]}


def _with_names(session: Session, certified: list[tuple[Asset, list[SanitisationRecord]]]
                ) -> list[tuple[Asset, list[CertifiedMedium]]]:
    """The records with the display names of their operators and verifiers, in one query."""
    ids = {i for _, records in certified for r in records for i in (r.operator_id, r.verifier_id)}
    names = {u.id: u.display_name
             for u in session.scalars(select(User).where(User.id.in_(ids - {None})))}
    return [(asset, [CertifiedMedium(r, names.get(r.operator_id, "—"),
                                     names.get(r.verifier_id, "—")) for r in records])
            for asset, records in certified]


def reprint_sanitisation_certificate(session: Session, number: str) -> bytes:
    """The certificate exactly as issued (the same bytes, so its SHA-256 still matches)."""
    document = get_document(session, number)
    if document.kind != DocumentKind.SANITISATION_CERTIFICATE:
        raise NotFound(what=number)
    return document.pdf
