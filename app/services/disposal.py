"""Disposal batches: devices at the end of their life, handed to a certified processor.

A manager opens a batch for a processor (and carrier); technicians scan devices that await
disposal into it, each with its WEEE category and weight (defaults from `resources/`, both
overridable); at pick-up the load is weighed per WEEE category and compared with the sum of the
device weights. Closing is the pick-up: every device is disposed of through the lifecycle and the
EOL certificate is issued, in one unit of work, so a failure half-way leaves nothing changed.
Closing is a four-eyes action: a second manager, who signed in for it, countersigns. The
processor's own certificate of recycling or destruction arrives weeks later and is attached to
the batch as a PDF with its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import N_, current_language, translate
from ..models import (
    Asset,
    AssetStatus,
    DisposalBatch,
    DisposalItem,
    DisposalStatus,
    DisposalWeighing,
    Document,
    DocumentKind,
    Party,
    ProcessorCertificate,
    Role,
    SanitisationOutcome,
    User,
    utcnow,
)
from ..timefmt import local
from . import lifecycle, organisation, processors, sanitisation, sequences, weee
from .assets import get_by_serial, get_by_tag
from .codes import ScanKind, classify
from .documents import issued
from .errors import DomainError, NotFound, ValidationError
from .uow import unit_of_work

MAX_WEIGHT_KG = Decimal("99999.99")
PDF_MAGIC = b"%PDF-"


class BatchNotOpen(DomainError):
    message = N_("Batch {number} is already closed: open a new batch.")


class NotAwaitingDisposal(DomainError):
    message = N_("{tag} is “{status}”: only a device awaiting disposal goes into a batch.")


class AlreadyInBatch(DomainError):
    message = N_("{tag} is already in disposal batch {number}.")


class NotADeviceCode(ValidationError):
    message = N_("“{code}” is not an asset tag or serial number: scan the device's label.")


class EmptyBatch(DomainError):
    message = N_("Batch {number} holds no devices: scan the devices first.")


class DataNotRecorded(DomainError):
    message = N_("Batch {number} cannot be closed: these devices can hold data but have no wipe "
                 "or destruction record: {tags}.")


class WeighingMissing(DomainError):
    message = N_("Batch {number} cannot be closed: weigh WEEE category {categories} at pick-up and "
                 "record the weight.")


class NothingToWeigh(DomainError):
    message = N_("Batch {number} holds no device of WEEE category {category}: record the weight "
                 "under the category of the load on the scale.")


class CountersignRequired(DomainError):
    message = N_("Closing a disposal batch needs a second manager, other than you, to sign in and "
                 "countersign.")


class NotAPdf(ValidationError):
    message = N_("{name} is not a PDF file.")


class CertificateAlreadyAttached(DomainError):
    message = N_("Batch {number} already has the processor's certificate {name}.")


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightLine:
    """Per WEEE category: the devices, the sum of their weights and the weight on the scale."""

    weee_category: int
    items: int
    device_kg: Decimal
    weighed_kg: Decimal | None

    @property
    def difference_kg(self) -> Decimal | None:
        return None if self.weighed_kg is None else self.weighed_kg - self.device_kg

    @property
    def difference_pct(self) -> Decimal | None:
        if self.weighed_kg is None or not self.device_kg:
            return None
        return (self.difference_kg * 100 / self.device_kg).quantize(Decimal("0.1"))


def weight_check(batch: DisposalBatch) -> list[WeightLine]:
    weighed = {w.weee_category: Decimal(w.weighed_kg) for w in batch.weighings}
    counts: dict[int, list[Decimal]] = {}
    for item in batch.items:
        counts.setdefault(item.weee_category, []).append(Decimal(item.weight_kg))
    cats = sorted(set(counts) | set(weighed))
    return [WeightLine(c, len(counts.get(c, [])), sum(counts.get(c, []), Decimal(0)),
                       weighed.get(c)) for c in cats]


def get_batch(session: Session, batch_id: int) -> DisposalBatch:
    batch = session.get(DisposalBatch, batch_id)
    if batch is None:
        raise NotFound(what=str(batch_id))
    return batch


def batch_by_number(session: Session, number: str) -> DisposalBatch:
    batch = session.scalar(select(DisposalBatch).where(DisposalBatch.number == number.strip().upper()))
    if batch is None:
        raise NotFound(what=number)
    return batch


def batches(session: Session, status: DisposalStatus | None = None, limit: int = 200
            ) -> list[DisposalBatch]:
    stmt = select(DisposalBatch).order_by(DisposalBatch.id.desc()).limit(limit)
    if status is not None:
        stmt = stmt.where(DisposalBatch.status == status)
    return list(session.scalars(stmt))


def waiting_for_processor_certificate(session: Session) -> list[DisposalBatch]:
    """Closed batches whose processor has not sent its certificate of recycling yet, oldest first."""
    attached = select(ProcessorCertificate.batch_id)
    return list(session.scalars(select(DisposalBatch)
                                .where(DisposalBatch.status == DisposalStatus.CLOSED,
                                       DisposalBatch.id.not_in(attached))
                                .order_by(DisposalBatch.closed_at)))


def processor_certificate(session: Session, batch_id: int) -> ProcessorCertificate | None:
    return session.scalar(select(ProcessorCertificate).where(ProcessorCertificate.batch_id == batch_id))


def awaiting_disposal_count(session: Session) -> int:
    from sqlalchemy import func

    in_batch = select(DisposalItem.asset_id)
    return session.scalar(select(func.count()).select_from(Asset).where(
        Asset.status == AssetStatus.AWAITING_DISPOSAL, Asset.id.not_in(in_batch))) or 0


def data_problems(session: Session, batch: DisposalBatch) -> list[str]:
    """Tags of data-bearing devices in the batch with no wipe or destruction record."""
    statuses = sanitisation.statuses_of(session, [item.asset for item in batch.items])
    return [item.asset.tag for item in batch.items
            if sanitisation.release_problem(session, item.asset, require_verified=False,
                                            statuses=statuses[item.asset.id])]


def close_problems(session: Session, batch: DisposalBatch, on: dt.date | None = None,
                   unrecorded: list[str] | None = None) -> list[DomainError]:
    """Everything that stops the batch from being closed now (empty when it can be).

    `unrecorded`: the tags `data_problems` would give, when the caller has them already."""
    problems: list[DomainError] = []
    if batch.status != DisposalStatus.OPEN:
        return [BatchNotOpen(number=batch.number)]
    if not batch.items:
        problems.append(EmptyBatch(number=batch.number))
    try:
        processors.check_processor(session, batch.processor, on)
    except DomainError as err:
        problems.append(err)
    if batch.carrier is not None:
        try:
            processors.check_carrier(batch.carrier)
        except DomainError as err:
            problems.append(err)
    missing = [str(line.weee_category) for line in weight_check(batch) if line.weighed_kg is None]
    if missing:
        problems.append(WeighingMissing(number=batch.number, categories=", ".join(missing)))
    tags = data_problems(session, batch) if unrecorded is None else unrecorded
    if tags:
        problems.append(DataNotRecorded(number=batch.number, tags=", ".join(tags)))
    return problems


# --- writing -----------------------------------------------------------------------------------


def _weight(value, *, label: str = "weight") -> Decimal:
    try:
        kg = Decimal(str(value).replace(",", ".").strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(N_("“{value}” is not a weight in kilograms."), value=str(value)) from None
    if kg <= 0 or kg > MAX_WEIGHT_KG:
        raise ValidationError(N_("A weight must be more than 0 and at most {max} kg."), max=MAX_WEIGHT_KG)
    return kg


def _category(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number not in weee.CATEGORIES:
        raise ValidationError(N_("The WEEE category is a number from 1 to 6 (Directive 2012/19/EU, "
                                 "Annex III)."))
    return number


def _open(session: Session, batch_id: int) -> DisposalBatch:
    batch = get_batch(session, batch_id)
    if batch.status != DisposalStatus.OPEN:
        raise BatchNotOpen(number=batch.number)
    return batch


def open_batch(session: Session, actor, processor_id: int, carrier_id: int | None = None,
               treatment: str | None = None, notes: str | None = None) -> DisposalBatch:
    """A manager opens a batch for a certified processor (an expired certification refuses it)."""
    treatment = (treatment or weee.default_treatment()).strip().upper()
    if treatment not in weee.treatments():
        raise ValidationError(N_("Unknown treatment “{code}”: choose one of {codes}."), code=treatment,
                              codes=", ".join(weee.treatments()))
    with unit_of_work(session, actor, "open_disposal_batch", permission="disposal.open"):
        processor = session.get(Party, processor_id)
        if processor is None:
            raise NotFound(what=str(processor_id))
        processors.check_processor(session, processor)
        carrier = session.get(Party, carrier_id) if carrier_id is not None else None
        if carrier_id is not None and carrier is None:
            raise NotFound(what=str(carrier_id))
        if carrier is not None:
            processors.check_carrier(carrier)
        now = utcnow()
        # five digits, as every other number of the warehouse (IL-, RQ-, HB-)
        number = f"DB-{local(now).year}-{sequences.next_value(session, 'disposal_batch'):05d}"
        batch = DisposalBatch(number=number, status=DisposalStatus.OPEN, processor_id=processor.id,
                              carrier_id=carrier.id if carrier else None, treatment=treatment,
                              notes=(notes or "").strip() or None, opened_at=now,
                              opened_by_id=actor.id)
        session.add(batch)
    return batch


def find_device(session: Session, code: str) -> Asset:
    scan = classify(code)
    if scan.kind in (ScanKind.TAG, ScanKind.INVALID_TAG):
        return get_by_tag(session, scan.value)
    if scan.kind == ScanKind.SERIAL:
        return get_by_serial(session, scan.value)
    raise NotADeviceCode(code=code.strip()[:40])


def add_device(session: Session, actor, batch_id: int, code: str, *, weee_category: int | None = None,
               weight_kg=None) -> DisposalItem:
    """A scanned device joins the batch (only while it awaits disposal)."""
    category = _category(weee_category) if weee_category is not None else None
    weight = _weight(weight_kg) if weight_kg is not None else None
    with unit_of_work(session, actor, "add_to_disposal_batch", permission="disposal.scan"):
        batch = _open(session, batch_id)
        asset = find_device(session, code)
        existing = session.scalar(select(DisposalItem).where(DisposalItem.asset_id == asset.id))
        if existing is not None:
            raise AlreadyInBatch(tag=asset.tag, number=existing.batch.number)
        if asset.status != AssetStatus.AWAITING_DISPOSAL:
            raise NotAwaitingDisposal(tag=asset.tag, status=lifecycle.STATUS_LABELS[asset.status])
        cls = weee.classify(asset.category, category)
        item = DisposalItem(batch=batch, asset=asset, weee_category=cls.weee_category,
                            stream=cls.stream, hazardous=cls.hazardous, eural_code=cls.eural_code,
                            weight_kg=weight or weee.default_weight(asset), added_at=utcnow(),
                            added_by_id=actor.id)
        session.add(item)
        session.flush()
    return item


def change_item(session: Session, actor, item_id: int, *, weee_category: int | None = None,
                weight_kg=None) -> DisposalItem:
    """Override a device's WEEE category or weight while its batch is open."""
    category = _category(weee_category) if weee_category is not None else None
    weight = _weight(weight_kg) if weight_kg is not None else None
    with unit_of_work(session, actor, "change_disposal_item", permission="disposal.scan"):
        item = session.get(DisposalItem, item_id)
        if item is None:
            raise NotFound(what=str(item_id))
        _open(session, item.batch_id)
        if category is not None:
            item.weee_category = category
        if weight is not None:
            item.weight_kg = weight
    return item


def remove_device(session: Session, actor, batch_id: int, asset_id: int) -> None:
    with unit_of_work(session, actor, "remove_from_disposal_batch", permission="disposal.scan"):
        batch = _open(session, batch_id)
        item = next((i for i in batch.items if i.asset_id == asset_id), None)
        if item is None:
            raise NotFound(what=str(asset_id))
        batch.items.remove(item)


def record_weighing(session: Session, actor, batch_id: int, weee_category: int, weighed_kg
                    ) -> DisposalWeighing:
    """The weight on the weighbridge or scale of one WEEE category at pick-up (replaces an earlier one)."""
    category, kg = _category(weee_category), _weight(weighed_kg)
    with unit_of_work(session, actor, "record_disposal_weighing", permission="disposal.scan"):
        batch = _open(session, batch_id)
        # A weight under a category the batch does not hold would go into the WEEE report as
        # that category's tonnage, and the batch's own category would look weighed: refuse it.
        if all(item.weee_category != category for item in batch.items):
            raise NothingToWeigh(number=batch.number, category=category)
        weighing = next((w for w in batch.weighings if w.weee_category == category), None)
        if weighing is None:
            weighing = DisposalWeighing(batch=batch, weee_category=category, weighed_kg=kg)
            session.add(weighing)
        weighing.weighed_kg = kg
        weighing.recorded_at = utcnow()
        weighing.recorded_by_id = actor.id
        session.flush()
    return weighing


def close_batch(session: Session, actor, batch_id: int, countersigner: User | None,
                language: str | None = None, picked_up_at: dt.datetime | None = None) -> Document:
    """Pick-up: dispose of every device and issue the EOL certificate, all in one transaction.

    `countersigner` is the second manager who signed in for this action (four eyes); the caller
    authenticates them (`auth.authenticate`) before calling. `picked_up_at` is when the truck
    left, when the close is recorded afterwards (never in the future); it dates the batch in the
    waste register and the WEEE report.
    """
    from .documents.eol_certificate import TITLE, render_eol_certificate

    lang = language or current_language()
    with unit_of_work(session, actor, "close_disposal_batch", permission="disposal.close"):
        if (countersigner is None or countersigner.id == actor.id or not countersigner.active
                or countersigner.role != Role.MANAGER):
            raise CountersignRequired()
        batch = get_batch(session, batch_id)
        now = utcnow()
        pickup = picked_up_at or now
        if pickup.tzinfo is None or pickup > now:
            raise ValidationError(N_("The pick-up time cannot lie in the future."))
        problems = close_problems(session, batch, local(pickup).date())
        if problems:
            raise problems[0]
        certification = processors.check_processor(session, batch.processor, local(pickup).date())
        devices = []
        data = data_statuses(session, [item.asset for item in batch.items])
        for item in batch.items:
            devices.append(_device_line(item, data[item.asset.id]))
            lifecycle.enter(session, item.asset, "dispose", actor, {"batch": batch})
        batch.status = DisposalStatus.CLOSED
        batch.closed_at = pickup
        batch.closed_by_id = actor.id
        batch.countersigned_by_id = countersigner.id
        kind = DocumentKind.EOL_CERTIFICATE
        number = issued.allocate_number(session, kind, today=local(now).date())
        content = certificate_content(batch, certification, devices, pickup)
        digest = issued.content_digest(content)
        pdf = render_eol_certificate(number, content, actor, countersigner, language=lang,
                                     issued_at=now, digest=digest,
                                     organisation=organisation.get(session))
        title = f"{translate(TITLE, lang)} {batch.number}"
        document = issued.store_document(session, actor, kind, number, title, pdf,
                                         [i.asset for i in batch.items], language=lang,
                                         content=content)
        batch.certificate_id = document.id
    return document


def close_batch_signed(session: Session, actor, batch_id: int, username: str, password: str,
                       language: str | None = None, picked_up_at: dt.datetime | None = None
                       ) -> Document:
    """Close with the second manager's user name and password (the GUI's and CLI's way)."""
    from .auth import authenticate

    countersigner = authenticate(session, username, password)
    return close_batch(session, actor, batch_id, countersigner, language, picked_up_at)


DATA_NONE, DATA_WIPED, DATA_DESTROYED, DATA_MISSING = "none", "wiped", "destroyed", "missing"


def data_status(session: Session, asset: Asset) -> tuple[str, str]:
    """What happened to the data of a device (none, wiped, destroyed or missing) and the proof:
    its sanitisation certificate number, or the technique/tool and date of each record."""
    return data_statuses(session, [asset])[asset.id]


def data_statuses(session: Session, assets: list[Asset]) -> dict[int, tuple[str, str]]:
    """`data_status` of many devices in a few queries (a batch is read again at every scan)."""
    bearing = [a for a in assets if a.data_bearing]
    statuses = sanitisation.statuses_of(session, bearing)
    certificates: dict[int, str] = {}
    if bearing:
        link = Document.assets.property.secondary
        rows = session.execute(
            select(link.c.asset_id, Document.number)
            .join(Document, Document.id == link.c.document_id)
            .where(Document.kind == DocumentKind.SANITISATION_CERTIFICATE,
                   link.c.asset_id.in_([a.id for a in bearing]))
            .order_by(Document.issued_at))
        certificates = {asset_id: number for asset_id, number in rows}  # the newest wins
    out = {a.id: (DATA_NONE, "") for a in assets}
    for asset in bearing:
        mine = statuses[asset.id]
        if sanitisation.release_problem(session, asset, require_verified=False, statuses=mine):
            out[asset.id] = (DATA_MISSING, "")
            continue
        records = [m.record for m in mine if m.record is not None]
        if records and all(r.outcome != SanitisationOutcome.WIPED for r in records):
            out[asset.id] = (DATA_DESTROYED, ", ".join(
                f"{r.technique} {local(r.performed_at):%d/%m/%Y}" for r in records))
        else:
            out[asset.id] = (DATA_WIPED, certificates.get(asset.id) or ", ".join(
                f"{r.tool or r.technique} {local(r.performed_at):%d/%m/%Y}" for r in records))
    return out


def _device_line(item: DisposalItem, data: tuple[str, str]) -> dict:
    asset = item.asset
    status, reference = data
    return {"tag": asset.tag, "category": asset.category.value, "model":
            f"{asset.manufacturer} {asset.model}", "serial": asset.serial or "",
            "weee_category": item.weee_category, "eural_code": item.eural_code,
            "weight_kg": str(item.weight_kg), "data_status": status, "data_reference": reference}


def _party(party: Party | None) -> dict | None:
    if party is None:
        return None
    address = ", ".join(x for x in (party.street, " ".join(y for y in (party.postcode, party.city) if y))
                        if x)
    return {"name": party.name, "enterprise_number": party.enterprise_number or "",
            "registration_number": party.registration_number or "", "address": address,
            "contact": ", ".join(x for x in (party.contact_name, party.phone, party.email) if x)}


def certificate_content(batch: DisposalBatch, certification, devices: list[dict],
                        closed_at: dt.datetime) -> dict:
    """What the EOL certificate covers: the canonical record its QR digest is taken over."""
    lines = weight_check(batch)
    return {
        "kind": "eol", "batch": batch.number, "pickup": closed_at.isoformat(),
        "treatment": batch.treatment,
        "processor": _party(batch.processor), "carrier": _party(batch.carrier),
        "certification": {"scheme": processors.scheme_label(certification),
                          "number": certification.certificate_number or "",
                          "valid_until": certification.valid_until.isoformat()},
        "eural_codes": sorted({d["eural_code"] for d in devices}),
        "categories": [{"weee_category": w.weee_category, "count": w.items,
                        "device_kg": str(w.device_kg), "weighed_kg": str(w.weighed_kg)}
                       for w in lines],
        "devices": devices,
    }


def attach_processor_certificate(session: Session, actor, batch_id: int, pdf: bytes, filename: str,
                                 reference: str | None = None) -> ProcessorCertificate:
    """The processor's certificate of recycling or destruction, stored with its SHA-256."""
    name = (filename or "certificate.pdf").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if not pdf or not pdf.lstrip()[:5] == PDF_MAGIC:
        raise NotAPdf(name=name)
    with unit_of_work(session, actor, "attach_processor_certificate", permission="disposal.attach"):
        batch = get_batch(session, batch_id)
        if batch.status != DisposalStatus.CLOSED:
            raise ValidationError(N_("Batch {number} is still open: the processor's certificate "
                                     "comes after the pick-up."), number=batch.number)
        existing = processor_certificate(session, batch.id)
        if existing is not None:
            raise CertificateAlreadyAttached(number=batch.number, name=existing.filename)
        attachment = ProcessorCertificate(batch_id=batch.id, filename=name,
                                          reference=(reference or "").strip()[:80] or None, pdf=pdf,
                                          sha256=hashlib.sha256(pdf).hexdigest(), attached_at=utcnow(),
                                          attached_by_id=actor.id)
        session.add(attachment)
    return attachment
