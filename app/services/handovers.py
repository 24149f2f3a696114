"""The handover desk: scan the reserved devices of a batch, then hand them over with a certificate.

A technician opens the batch at the desk and scans each device: a device of
the batch is ticked off, any other device is refused with the reason (not
reserved, reserved for another recipient, dropped), and the devices not
scanned yet are shown as missing. Completing the handover is one unit of work:
every device goes `reserved → transferred` (the lifecycle's guards check the
sanitisation, the recipient and the labels confirmation for each), the
certificate gets its number, is rendered and stored with its content — either
all of that happens, or nothing does and no number is used up.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter as Tally
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from .. import clock
from ..i18n import N_, _, current_language, translate
from ..models import (
    Asset,
    AssetStatus,
    BatchStatus,
    Document,
    DocumentKind,
    HandoverBatch,
    HandoverItem,
    PartyType,
    RequestStatus,
    document_assets,
    utcnow,
)
from ..timefmt import local
from . import lifecycle, organisation
from .codes import ScanKind, classify
from .documents import issued
from .errors import DomainError, NotFound, ValidationError
from .uow import unit_of_work

DEFAULT_SITE = "Centraal ICT-magazijn"  # Settings.site_name's default


class BatchClosed(DomainError):
    message = N_("Handover {number} is already closed.")


class NotInBatch(DomainError):
    message = N_("{tag} is not in handover {batch}: {reason}.")


class DevicesMissing(DomainError):
    message = N_("Not every device of handover {batch} was scanned at the desk: missing {tags}. "
                 "Scan them, or drop them from the handover first.")


class EmptyBatch(DomainError):
    message = N_("Handover {batch} has no devices.")


@dataclass(frozen=True)
class DeskItem:
    asset_id: int
    tag: str
    category: str
    manufacturer: str
    model: str
    serial: str | None
    grade: str | None
    scanned: bool


@dataclass
class DeskState:
    batch_id: int
    number: str
    status: BatchStatus
    request_number: str
    recipient: str
    recipient_type: PartyType
    items: list[DeskItem] = field(default_factory=list)
    certificate_number: str | None = None

    @property
    def scanned(self) -> int:
        return sum(1 for i in self.items if i.scanned)

    @property
    def missing(self) -> list[DeskItem]:
        return [i for i in self.items if not i.scanned]


@dataclass(frozen=True)
class DeskScan:
    tag: str
    already: bool  # scanned before: nothing changed
    scanned: int
    total: int


def _batch(session: Session, batch_id: int) -> HandoverBatch:
    batch = session.get(HandoverBatch, batch_id)
    if batch is None:
        raise NotFound(what=str(batch_id))
    return batch


def _active(batch: HandoverBatch) -> list[HandoverItem]:
    """The batch's devices not dropped, with their assets loaded in one query (500 at a desk)."""
    session = object_session(batch)
    return list(session.scalars(
        select(HandoverItem).where(HandoverItem.batch_id == batch.id, HandoverItem.released.is_(False))
        .options(selectinload(HandoverItem.asset)).order_by(HandoverItem.id)))


def open_batches(session: Session) -> list[HandoverBatch]:
    return list(session.scalars(select(HandoverBatch).where(HandoverBatch.status == BatchStatus.OPEN)
                                .order_by(HandoverBatch.id)))


def recent_batches(session: Session, limit: int = 50) -> list[HandoverBatch]:
    return list(session.scalars(select(HandoverBatch).order_by(HandoverBatch.id.desc()).limit(limit)))


def desk_state(session: Session, batch_id: int) -> DeskState:
    batch = _batch(session, batch_id)
    certificate = session.get(Document, batch.certificate_id) if batch.certificate_id else None
    state = DeskState(batch.id, batch.number, batch.status, batch.request.number,
                      batch.recipient.name, batch.recipient.type,
                      certificate_number=certificate.number if certificate else None)
    for item in _active(batch):
        a = item.asset
        state.items.append(DeskItem(a.id, a.tag, a.category.value, a.manufacturer, a.model, a.serial,
                                    a.grade.value if a.grade else None, item.scanned_at is not None))
    return state


def _find(session: Session, code: str) -> tuple[Asset | None, str]:
    scan = classify(code)
    if scan.kind == ScanKind.TAG:
        return session.scalar(select(Asset).where(Asset.tag == scan.value)), scan.value
    if scan.kind == ScanKind.SERIAL:
        return session.scalars(select(Asset).where(Asset.serial_normalised == scan.value)
                               .order_by(Asset.id)).first(), scan.value
    if scan.kind == ScanKind.INVALID_TAG:
        raise ValidationError(N_("“{code}” looks like an asset tag but its check digit is wrong: "
                                 "scan it again."), code=scan.value)
    raise ValidationError(N_("Not a serial number or asset tag: “{code}”."), code=scan.value or code)


def scan_at_desk(session: Session, actor, batch_id: int, code: str) -> DeskScan:
    """Tick off a device of the batch; refuse any other device with the reason."""
    with unit_of_work(session, actor, "scan_for_handover", permission="handover.scan"):
        batch = _batch(session, batch_id)
        if batch.status != BatchStatus.OPEN:
            raise BatchClosed(number=batch.number)
        asset, value = _find(session, code)
        if asset is None:
            raise NotFound(what=value)
        items = _active(batch)
        item = next((i for i in items if i.asset_id == asset.id), None)
        if item is None:
            raise NotInBatch(tag=asset.tag, batch=batch.number, reason=_why_not(session, batch, asset))
        already = item.scanned_at is not None
        if not already:
            item.scanned_at, item.scanned_by_id = utcnow(), actor.id
        session.flush()
        return DeskScan(asset.tag, already, sum(1 for i in items if i.scanned_at), len(items))


def _why_not(session: Session, batch: HandoverBatch, asset: Asset) -> str:
    other = session.scalar(select(HandoverItem).join(HandoverBatch).where(
        HandoverItem.asset_id == asset.id, HandoverItem.released.is_(False),
        HandoverBatch.status == BatchStatus.OPEN, HandoverBatch.id != batch.id))
    if other is not None:
        return translate(N_("it is reserved for {recipient} (handover {batch})"), None,
                         recipient=other.batch.recipient.name, batch=other.batch.number)
    if any(i.asset_id == asset.id and i.released for i in batch.items):
        return _("it was dropped from this handover")
    return translate(N_("it is “{status}”, not reserved"), None,
                     status=lifecycle.status_label(asset.status))


# --- completion and the certificate -----------------------------------------------------------

def _sanitisation_numbers(session: Session, asset_ids: list[int]) -> dict[int, str]:
    """The newest sanitisation certificate of each device, in one query."""
    rows = session.execute(
        select(document_assets.c.asset_id, Document.number)
        .join(Document, Document.id == document_assets.c.document_id)
        .where(Document.kind == DocumentKind.SANITISATION_CERTIFICATE,
               document_assets.c.asset_id.in_(asset_ids))
        .order_by(Document.issued_at, Document.id))
    return {asset_id: number for asset_id, number in rows}


def certificate_content(number: str, issued_at: dt.datetime, batch: HandoverBatch,
                        assets: list[Asset], sanitisation: dict[int, str], issued_by: str,
                        giver: organisation.Identity, site: str | None = None) -> dict:
    """What the certificate covers; its digest goes into the QR code."""
    recipient = batch.recipient
    city_line = " ".join(x for x in (recipient.postcode, recipient.city) if x)
    devices = [{"tag": a.tag, "category": a.category.value, "manufacturer": a.manufacturer,
                "model": a.model, "serial": a.serial, "grade": a.grade.value if a.grade else None,
                "sanitisation": sanitisation.get(a.id)} for a in assets]
    return {
        "kind": DocumentKind.HANDOVER_CERTIFICATE.value,
        "number": number,
        "issued_at": issued_at.isoformat(),
        "issued_by": issued_by,
        "wording": "internal" if recipient.type == PartyType.SERVICE else "donation",
        "request": batch.request.number,
        "batch": batch.number,
        "giver": _giver(giver, site),
        "recipient": {"name": recipient.name, "type": recipient.type.value,
                      "enterprise_number": recipient.enterprise_number, "street": recipient.street,
                      "city_line": city_line or None, "contact": recipient.contact_name},
        "devices": devices,
        "totals": {"devices": len(devices),
                   "by_category": dict(Tally(d["category"] for d in devices))},
    }


def _giver(identity: organisation.Identity, site: str | None) -> dict:
    """The organisation as the certificate names it (only what is set)."""
    giver = {"name": identity.name, "site": site or DEFAULT_SITE,
             "enterprise_number": identity.enterprise_number, "street": identity.street,
             "city_line": " ".join(x for x in (identity.postcode, identity.city) if x)}
    return {key: value for key, value in giver.items() if value}


def complete_handover(session: Session, actor, batch_id: int, labels_removed: bool,
                      language: str | None = None, site: str | None = None) -> Document:
    """Transfer every device of the batch and issue its certificate: all of it, or nothing."""
    from .documents.handover_certificate import TITLES, render_handover_certificate

    lang = language or current_language()
    with unit_of_work(session, actor, "transfer", permission="handover.complete"):
        batch = _batch(session, batch_id)
        if batch.status != BatchStatus.OPEN:
            raise BatchClosed(number=batch.number)
        items = _active(batch)
        if not items:
            raise EmptyBatch(batch=batch.number)
        missing = [i.asset.tag for i in items if i.scanned_at is None]
        if missing:
            raise DevicesMissing(batch=batch.number, tags=", ".join(missing))
        assets = [i.asset for i in items]
        # the guards (sanitised, recipient active, labels removed) are checked for every device
        # before any of them changes
        lifecycle.enter_many(session, assets, "transfer", actor,
                             {"recipient": batch.recipient, "labels_removed": labels_removed})
        now = utcnow()
        kind = DocumentKind.HANDOVER_CERTIFICATE
        number = issued.allocate_number(session, kind, today=local(now).date())
        giver = organisation.get(session)
        content = certificate_content(number, now, batch, assets,
                                      _sanitisation_numbers(session, [a.id for a in assets]),
                                      actor.display_name, giver, site)
        digest = issued.content_digest(content)
        pdf = render_handover_certificate(content, digest, lang, organisation=giver)
        title = f"{translate(TITLES[content['wording']], lang)}: {batch.recipient.name}"
        document = issued.store_document(session, actor, kind, number, title, pdf, assets,
                                         language=lang, content=content)
        batch.status = BatchStatus.COMPLETED
        batch.labels_removed = True
        batch.certificate_id = document.id
        batch.closed_at, batch.closed_by_id = now, actor.id
        batch.request.status = RequestStatus.COMPLETED
    return document


def certificate_pdf(session: Session, batch_id: int) -> bytes:
    """The batch's certificate exactly as issued (a reprint is the same bytes)."""
    batch = _batch(session, batch_id)
    if batch.certificate_id is None:
        raise NotFound(what=batch.number)
    return session.get(Document, batch.certificate_id).pdf


# --- demo data ----------------------------------------------------------------------------------

DEMO_RECIPIENTS = [
    (PartyType.SCHOOL, "Sint-Jozefscollege", "0419.028.518", "Collegestraat 24", "8800",
     "Roeselare", "Els De Smet", "ict@sjc-roeselare.example", "051 20 30 40"),
    (PartyType.SCHOOL, "Basisschool Het Klavertje", None, "Schoolstraat 3", "9160", "Lokeren",
     "Pieter Van Damme", "directie@klavertje.example", "09 348 12 12"),
    (PartyType.CHARITY, "Digitaal Thuis vzw", "0750.711.506", "Havenlaan 86", "1000", "Brussel",
     "Sara Janssens", "info@digitaalthuis.example", "02 211 00 00"),
    (PartyType.CHARITY, "Kringwinkel Midden-Vlaanderen vzw", None, "Industrieweg 5", "9030", "Gent",
     "Koen Verhaeghe", "koen@kringwinkel.example", None),
    (PartyType.PUBLIC_BODY, "OCMW Zottegem", "0212.195.616", "Markt 1", "9620", "Zottegem",
     "An Cools", "ocmw@zottegem.example", None),
]


def demo_handovers(session: Session, actor, rng: random.Random) -> dict[str, int]:
    """Recipients with full details and a school's open request for 10 laptops that ready stock meets.

    Needs at least 10 `ready` laptops of grade C or better with 8 GB RAM (a `demo --assets 300`
    database has them); with fewer, the request still exists and its proposals say how many fit.
    """
    from sqlalchemy import func

    from ..models import Category, Grade, HandoverRequest, Party
    from . import parties
    from .handover_requests import LineSpec, create_request

    have = {p.name for p in session.scalars(select(Party))}
    made = 0
    for ptype, name, kbo, street, postcode, city, contact, email, phone in DEMO_RECIPIENTS:
        if name not in have:
            parties.create_party(session, actor, ptype, name=name, enterprise_number=kbo,
                                 street=street, postcode=postcode, city=city, contact_name=contact,
                                 email=email, phone=phone)
            made += 1
    school = session.scalar(select(Party).where(Party.name == "Sint-Jozefscollege"))
    requests = 0
    if not session.scalar(select(func.count()).select_from(HandoverRequest)
                          .where(HandoverRequest.recipient_id == school.id)):
        needed = clock.today() + dt.timedelta(days=rng.randint(10, 30))
        create_request(session, actor, school.id,
                       [LineSpec(Category.LAPTOP, 10, Grade.C, min_ram_gb=8)], needed_by=needed,
                       notes="Laptops voor de leerlingen van het eerste jaar (STEM).")
        requests += 1
    ready = session.scalar(select(func.count()).select_from(Asset).where(
        Asset.status == AssetStatus.READY, Asset.category == Category.LAPTOP))
    return {"recipients": made, "requests": requests, "ready_laptops": ready or 0}
