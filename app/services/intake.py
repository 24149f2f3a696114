"""The intake desk: lots, scans and receiving devices into an open lot.

A service delivers a trolley of devices; the technician opens a lot (origin
service, who delivered), scans each device and confirms a pre-filled form,
and closes the lot, which issues the intake receipt — the first link of the
chain of custody. `interpret_scan` only decides what a scan means (it writes
nothing); the actions that follow (`receive`, `take_back`, `undo_last`,
`close_lot`) each commit all or nothing.
"""

from __future__ import annotations

import enum
from collections import Counter as Tally
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock
from ..i18n import N_
from ..models import (
    Asset,
    AssetStatus,
    Category,
    Document,
    DocumentKind,
    IntakeLot,
    Party,
    PartyType,
    User,
    utcnow,
)
from . import assets, catalogue, lifecycle, organisation, sequences
from .assets import MediumSpec
from .codes import MAX_SERIAL_LENGTH, Command, ScanKind, classify, normalise_serial, strip_control
from .documents.issued import allocate_number, store_document
from .errors import DomainError, NotFound, ValidationError
from .identifiers import normalise_identifier
from .uow import unit_of_work


class LotClosed(DomainError):
    message = N_("Lot {number} is closed: open a new lot to receive more devices.")


class EmptyLot(DomainError):
    message = N_("Lot {number} has no devices yet: scan at least one before closing it.")


class NothingToUndo(DomainError):
    message = N_("There is nothing to undo in this lot.")


class UndoTooLate(DomainError):
    message = N_("{tag} was already worked on after intake; it cannot be undone here.")


class Outcome(enum.StrEnum):
    NEW_DEVICE = "new_device"              # unknown serial: show the pre-filled form
    KNOWN_DEVICE = "known_device"          # already in the warehouse: open it
    RETURNED_DEVICE = "returned_device"    # back after its second life: offer take-back
    DUPLICATE_IN_LOT = "duplicate_in_lot"  # scanned twice in this lot: warn, create nothing
    COMMAND = "command"
    LOCATION = "location"
    REFUSED = "refused"


@dataclass
class DeviceForm:
    """What the intake form shows for a new device; pre-filled, confirmed by the technician."""

    serial: str
    category: Category = Category.LAPTOP
    manufacturer: str = ""
    model: str = ""
    cpu: str | None = None
    ram_gb: int | None = None
    storage_gb: int | None = None
    screen_inch: Decimal | None = None
    weight_kg: Decimal | None = None
    data_bearing: bool = True
    media: list[MediumSpec] = field(default_factory=list)
    notes: str | None = None


@dataclass
class ScanResult:
    outcome: Outcome
    code: str
    message: str  # English source text (N_), translated for display with params
    params: dict = field(default_factory=dict)
    asset: Asset | None = None
    form: DeviceForm | None = None
    command: Command | None = None

    @property
    def good(self) -> bool:
        return self.outcome not in (Outcome.REFUSED, Outcome.DUPLICATE_IN_LOT)


def _lot_number(session: Session) -> str:
    return f"IL-{clock.today().year}-{sequences.next_value(session, sequences.INTAKE_LOT):05d}"


def open_lot(session: Session, actor, origin_service_id: int, delivered_by: str | None = None,
             notes: str | None = None) -> IntakeLot:
    with unit_of_work(session, actor, "open_lot", permission="lot.manage"):
        origin = session.get(Party, origin_service_id)
        if origin is None or origin.type != PartyType.SERVICE or not origin.active:
            raise ValidationError(N_("Choose the provincial service that delivers the devices."))
        lot = IntakeLot(number=_lot_number(session), origin_service_id=origin.id,
                        delivered_by=(delivered_by or "").strip() or None,
                        received_by_id=actor.id, notes=(notes or "").strip() or None)
        session.add(lot)
    return lot


@dataclass(frozen=True)
class OpenLot:
    """A lot nobody closed yet (the desk was closed, another person took over): to resume it."""

    id: int
    number: str
    origin_service_id: int
    origin: str
    delivered_by: str | None
    received_by_id: int
    received_by: str
    received_at: object  # aware datetime
    devices: int


def open_lots(session: Session) -> list[OpenLot]:
    """Every lot still open, the newest first, with how many devices it holds."""
    counts = dict(session.execute(
        select(Asset.intake_lot_id, func.count()).join(IntakeLot, Asset.intake_lot_id == IntakeLot.id)
        .where(IntakeLot.closed_at.is_(None)).group_by(Asset.intake_lot_id)).all())
    lots = session.scalars(select(IntakeLot).where(IntakeLot.closed_at.is_(None))
                           .order_by(IntakeLot.received_at.desc(), IntakeLot.id.desc()))
    return [OpenLot(lot.id, lot.number, lot.origin_service_id, lot.origin_service.name,
                    lot.delivered_by, lot.received_by_id, lot.received_by.display_name,
                    lot.received_at, counts.get(lot.id, 0)) for lot in lots]


def _open_lot(session: Session, lot_id: int) -> IntakeLot:
    lot = session.get(IntakeLot, lot_id)
    if lot is None:
        raise NotFound(what=str(lot_id))
    if lot.closed_at is not None:
        raise LotClosed(number=lot.number)
    return lot


def lot_assets(session: Session, lot_id: int) -> list[Asset]:
    return list(session.scalars(select(Asset).where(Asset.intake_lot_id == lot_id).order_by(Asset.id)))


def lot_counts(session: Session, lot_id: int) -> dict[Category, int]:
    rows = session.execute(select(Asset.category, func.count()).where(Asset.intake_lot_id == lot_id)
                           .group_by(Asset.category))
    return {Category(cat): n for cat, n in rows}


def prefill(session: Session, lot_id: int, serial: str) -> DeviceForm:
    """A form for a new serial: the last device of this lot is the best guess for the next one."""
    last = session.scalars(select(Asset).where(Asset.intake_lot_id == lot_id)
                           .order_by(Asset.id.desc()).limit(1)).first()
    if last is None:
        return form_for_category(serial, Category.LAPTOP)
    form = DeviceForm(serial=serial, category=last.category, manufacturer=last.manufacturer,
                      model=last.model, cpu=last.cpu, ram_gb=last.ram_gb, storage_gb=last.storage_gb,
                      screen_inch=last.screen_inch, weight_kg=last.weight_kg,
                      data_bearing=last.data_bearing,
                      media=[MediumSpec(m.kind, None, m.capacity_gb) for m in last.media])
    return form


def form_for_category(serial: str, category: Category, manufacturer: str = "",
                      model: str = "") -> DeviceForm:
    """Defaults of a category, refined by the catalogue entry for the model when there is one."""
    d = catalogue.category_defaults()[Category(category)]
    form = DeviceForm(serial=serial, category=Category(category), manufacturer=manufacturer,
                      model=model, weight_kg=d.weight_kg, data_bearing=d.data_bearing,
                      media=[MediumSpec(d.medium_kind, None, None)
                             for _ in range(d.media)] if d.medium_kind else [])
    known = catalogue.lookup(manufacturer, model) if manufacturer and model else None
    if known:
        form.category = known.category
        form.cpu, form.ram_gb, form.storage_gb = known.cpu, known.ram_gb, known.storage_gb
        form.screen_inch, form.weight_kg = known.screen_inch, known.weight_kg or d.weight_kg
        kd = catalogue.category_defaults()[known.category]
        form.data_bearing = kd.data_bearing
        kind = known.medium_kind or kd.medium_kind
        form.media = [MediumSpec(kind, None, known.storage_gb) for _ in range(max(kd.media, 1))] \
            if kind and (kd.media or known.storage_gb) else []
    return form


def interpret_scan(session: Session, lot_id: int, raw: str) -> ScanResult:
    """What a scan at the intake desk means for this lot. Writes nothing."""
    cleaned = strip_control(raw).strip()
    if len(cleaned) > MAX_SERIAL_LENGTH:
        return ScanResult(Outcome.REFUSED, cleaned[:20] + "…",
                          N_("Too long for a serial number ({n} characters, at most {max}): scan again."),
                          {"n": len(cleaned), "max": MAX_SERIAL_LENGTH})
    scan = classify(raw)
    if scan.kind == ScanKind.COMMAND:
        return ScanResult(Outcome.COMMAND, scan.value, N_("Command"), command=Command(scan.value))
    if scan.kind == ScanKind.LOCATION:
        return ScanResult(Outcome.LOCATION, scan.value, N_("Location {code}"), {"code": scan.value})
    if scan.kind in (ScanKind.UNREADABLE, ScanKind.UNKNOWN_COMMAND, ScanKind.CERTIFICATE):
        return ScanResult(Outcome.REFUSED, scan.value or raw,
                          N_("Not a serial number or asset tag: “{code}”."), {"code": scan.value or raw})
    if scan.kind == ScanKind.INVALID_TAG:
        return ScanResult(Outcome.REFUSED, scan.value,
                          N_("“{code}” looks like an asset tag but its check digit is wrong: scan it again."),
                          {"code": scan.value})
    if scan.kind == ScanKind.TAG:
        asset = session.scalars(select(Asset).where(Asset.tag == scan.value)).first()
        if asset is None:
            return ScanResult(Outcome.REFUSED, scan.value,
                              N_("The tag {code} is not in this database."), {"code": scan.value})
    else:
        asset = session.scalars(select(Asset).where(Asset.serial_normalised == scan.value)
                                .order_by(Asset.id)).first()
        if asset is None:
            return ScanResult(Outcome.NEW_DEVICE, scan.value, N_("New device {code}"),
                              {"code": scan.value}, form=prefill(session, lot_id, scan.value))
    if asset.intake_lot_id == lot_id:
        return ScanResult(Outcome.DUPLICATE_IN_LOT, scan.value,
                          N_("{tag} was already scanned in this lot; nothing was added."),
                          {"tag": asset.tag}, asset=asset)
    if asset.status in (AssetStatus.TRANSFERRED, AssetStatus.SOLD):
        return ScanResult(Outcome.RETURNED_DEVICE, scan.value,
                          N_("{tag} comes back after its second life: confirm to take it back."),
                          {"tag": asset.tag}, asset=asset)
    return ScanResult(Outcome.KNOWN_DEVICE, scan.value,
                      N_("{tag} is already in the warehouse ({status})."),
                      {"tag": asset.tag, "status": lifecycle.status_label(asset.status)}, asset=asset)


def receive(session: Session, actor, lot_id: int, form: DeviceForm) -> Asset:
    """Register a new device into the open lot, in status received."""
    lot = _open_lot(session, lot_id)
    serial = normalise_identifier(form.serial or "")  # refuses a control character
    if not serial:
        raise ValidationError(N_("The serial number is missing."))
    if len(serial) > MAX_SERIAL_LENGTH:
        raise ValidationError(N_("Too long for a serial number ({n} characters, at most {max}): scan again."),
                              n=len(serial), max=MAX_SERIAL_LENGTH)
    return assets.register_asset(
        session, actor, category=form.category, manufacturer=form.manufacturer, model=form.model,
        serial=normalise_serial(serial), media=[m for m in form.media if m.kind],
        intake_lot_id=lot.id, origin_service_id=lot.origin_service_id, cpu=form.cpu,
        ram_gb=form.ram_gb, storage_gb=form.storage_gb, screen_inch=form.screen_inch,
        weight_kg=form.weight_kg, data_bearing=form.data_bearing, notes=form.notes,
    )


def take_back(session: Session, actor, lot_id: int, asset_id: int, for_checks: bool = False) -> Asset:
    """A device back after its second life joins this lot: it awaits disposal, or (`for_checks`)
    goes back to received for another check at the bench. The transition is the return's record
    in the device's history, after its handover."""
    lot = _open_lot(session, lot_id)
    transition = "return_for_checks" if for_checks else "return_after_second_life"
    with unit_of_work(session, actor, transition, permission=f"lifecycle.{transition}"):
        asset = session.get(Asset, asset_id)
        if asset is None:
            raise NotFound(what=str(asset_id))
        asset.intake_lot_id = lot.id
        lifecycle.enter(session, asset, transition, actor)
    return asset


def undo_last(session: Session, actor, lot_id: int) -> str:
    """Remove the newest device of the open lot if nothing happened to it since intake."""
    lot = _open_lot(session, lot_id)
    with unit_of_work(session, actor, "undo_intake", permission="asset.register"):
        last = session.scalars(select(Asset).where(Asset.intake_lot_id == lot.id)
                               .order_by(Asset.id.desc()).limit(1)).first()
        if last is None:
            raise NothingToUndo()
        if last.status != AssetStatus.RECEIVED or last.version != 1 or last.created_by_id != actor.id:
            raise UndoTooLate(tag=last.tag)
        tag = last.tag
        session.delete(last)  # the audit trail keeps the record of both the intake and its undo
    return tag


def close_lot(session: Session, actor, lot_id: int, language: str | None = None) -> Document:
    """Close the lot and issue its intake receipt (PDF stored with its SHA-256)."""
    from .documents.intake_receipt import render_intake_receipt

    with unit_of_work(session, actor, "close_lot", permission="lot.manage"):
        lot = _open_lot(session, lot_id)
        devices = lot_assets(session, lot.id)
        if not devices:
            raise EmptyLot(number=lot.number)
        lot.closed_at = utcnow()
        lot.closed_by_id = actor.id
        receiver = session.get(User, lot.received_by_id)
        number = allocate_number(session, DocumentKind.INTAKE_RECEIPT)
        pdf = render_intake_receipt(number, lot, devices, receiver, language=language,
                                    organisation=organisation.get(session))
        document = store_document(session, actor, DocumentKind.INTAKE_RECEIPT, number, lot.number,
                                  pdf, devices, lot_id=lot.id, language=language)
    return document


def summary(session: Session, lot_id: int) -> dict:
    lot = session.get(IntakeLot, lot_id)
    counts = lot_counts(session, lot_id)
    return {"lot": lot, "total": sum(counts.values()), "by_category": Tally(counts)}

