"""Asset records: register a device, edit its fields, move it, add its storage media.

The intake desk, imports and the demo all register devices through
`register_asset`; status changes go through `app.services.lifecycle`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..i18n import N_
from ..models import Asset, Category, Grade, Location, MediumKind, StorageMedium
from . import lifecycle, sequences
from .codes import normalise_serial, parse_tag
from .errors import DuplicateSerial, NotFound, ValidationError
from .identifiers import fold, normalise_identifier
from .uow import unit_of_work

EDITABLE = frozenset({
    "category", "manufacturer", "model", "serial", "cpu", "ram_gb", "storage_gb", "screen_inch",
    "purchase_date", "purchase_cost", "warranty_end", "origin_service_id", "grade", "weight_kg",
    "data_bearing", "notes",
})



@dataclass
class MediumSpec:
    kind: MediumKind
    serial: str | None = None
    capacity_gb: int | None = None


def _medium_serial(spec: MediumSpec) -> str | None:
    """A disk's serial as typed, but without look-alike characters: a wipe report must find it."""
    return normalise_identifier(spec.serial) or None if spec.serial else None


def _holds_data(category: Category) -> bool:
    from .catalogue import category_defaults  # which categories hold data is data (resources/)

    return category_defaults()[category].data_bearing


def canonical_manufacturer(session: Session, name: str) -> str:
    """Reuse the spelling already in the database ('dell' → 'Dell'), else trim the input."""
    clean = " ".join(fold(name).split())
    if not clean:
        raise ValidationError(N_("The manufacturer is missing."))
    from .catalogue import manufacturers  # the catalogue spelling wins; no table scan needed

    known = next((m for m in manufacturers() if m.casefold() == clean.casefold()), None)
    if known:
        return known
    exact = select(Asset.id).where(Asset.manufacturer == clean).limit(1)  # uses the unique index
    if session.scalar(exact) is not None:
        return clean
    existing = session.scalars(
        select(Asset.manufacturer).where(Asset.manufacturer.ilike(clean)).limit(1)
    ).first()
    return existing or clean


def find_by_serial(session: Session, manufacturer: str, serial: str) -> Asset | None:
    return session.scalars(
        select(Asset).where(
            Asset.manufacturer == canonical_manufacturer(session, manufacturer),
            Asset.serial_normalised == normalise_serial(serial),
        )
    ).first()


class AmbiguousSerial(ValidationError):
    message = N_("Several devices have serial number {serial}: scan the asset tag instead.")


def get_by_serial(session: Session, serial: str) -> Asset:
    """The device with this serial, whatever its manufacturer (a scan has no manufacturer)."""
    key = normalise_serial(serial)
    found = session.scalars(select(Asset).where(Asset.serial_normalised == key)
                            .order_by(Asset.id).limit(2)).all()
    if not found:
        raise NotFound(what=key)
    if len(found) > 1:
        raise AmbiguousSerial(serial=key)
    return found[0]


def get_by_tag(session: Session, tag: str) -> Asset:
    canonical = parse_tag(tag)
    asset = session.scalars(select(Asset).where(Asset.tag == canonical)).first()
    if asset is None:
        raise NotFound(what=canonical)
    return asset


def register_asset(
    session: Session,
    actor,
    *,
    category: Category,
    manufacturer: str,
    model: str,
    serial: str | None,
    media: list[MediumSpec] | None = None,
    announced: bool = False,
    **fields,
) -> Asset:
    """Create a device record with a new tag, in status received (or announced)."""
    unknown = set(fields) - EDITABLE - {"intake_lot_id", "location_id"}
    if unknown:
        raise ValueError(f"unknown asset fields: {sorted(unknown)}")
    model = " ".join((model or "").split())
    if not model:
        raise ValidationError(N_("The model is missing."))
    action = "announce" if announced else "receive"
    with unit_of_work(session, actor, action, permission="asset.register"):
        make = canonical_manufacturer(session, manufacturer)
        serial = normalise_identifier(serial) if serial else None  # refuses a control character
        serial_key = normalise_serial(serial) if serial else None
        if serial_key:
            twin = session.scalars(
                select(Asset).where(Asset.manufacturer == make, Asset.serial_normalised == serial_key)
            ).first()
            if twin is not None:
                raise DuplicateSerial(manufacturer=make, serial=serial_key, tag=twin.tag)
        category = Category(category)
        asset = Asset(
            tag=sequences.next_tag(session),
            category=category,
            manufacturer=make,
            model=model,
            serial=serial.strip() if serial_key else None,
            serial_normalised=serial_key,
            created_by_id=actor.id,
            updated_by_id=actor.id,
            **{"data_bearing": _holds_data(category) or bool(media), **fields},
        )
        for spec in media or []:
            asset.media.append(StorageMedium(kind=MediumKind(spec.kind), serial=_medium_serial(spec),
                                             capacity_gb=spec.capacity_gb))
        session.add(asset)
        lifecycle.enter(session, asset, action, actor)
    return asset


def _load(session: Session, asset_id: int, expected_version: int | None) -> Asset:
    asset = session.get(Asset, asset_id)
    if asset is None:
        raise NotFound(what=str(asset_id))
    if expected_version is not None and asset.version != expected_version:
        raise lifecycle.stale(session, asset)
    return asset


def edit_asset(session: Session, actor, asset_id: int, expected_version: int, **changes) -> Asset:
    """Change editable fields of an asset; refused if someone else changed it since it was read."""
    forbidden = set(changes) - EDITABLE
    if forbidden:
        raise ValidationError(N_("These fields cannot be edited here: {fields}."),
                              fields=", ".join(sorted(forbidden)))
    with unit_of_work(session, actor, "edit", permission="asset.edit"):
        asset = _load(session, asset_id, expected_version)
        if "grade" in changes and changes["grade"] is not None:
            changes["grade"] = Grade(changes["grade"])
        if "category" in changes:
            changes["category"] = Category(changes["category"])
        for key in ("purchase_cost", "weight_kg", "screen_inch"):
            if changes.get(key) is not None:
                changes[key] = Decimal(str(changes[key]))
        if "manufacturer" in changes:
            changes["manufacturer"] = canonical_manufacturer(session, changes["manufacturer"])
        if "serial" in changes:
            serial = changes["serial"] = normalise_identifier(changes["serial"] or "") or None
            key = normalise_serial(serial) if serial else None
            make = changes.get("manufacturer", asset.manufacturer)
            if key:
                twin = session.scalars(select(Asset).where(
                    Asset.manufacturer == make, Asset.serial_normalised == key, Asset.id != asset.id
                )).first()
                if twin is not None:
                    raise DuplicateSerial(manufacturer=make, serial=key, tag=twin.tag)
            asset.serial_normalised = key
        for key, value in changes.items():
            setattr(asset, key, value)
        asset.updated_by_id = actor.id
    return asset


def move_asset(session: Session, actor, asset_id: int, location_id: int,
               expected_version: int | None = None) -> Asset:
    with unit_of_work(session, actor, "move", permission="asset.move"):
        asset = _load(session, asset_id, expected_version)
        location = session.get(Location, location_id)
        if location is None or not location.active:
            raise NotFound(what=str(location_id))
        asset.location_id = location.id
        asset.updated_by_id = actor.id
    return asset


def add_medium(session: Session, actor, asset_id: int, spec: MediumSpec) -> StorageMedium:
    with unit_of_work(session, actor, "add_medium", permission="asset.add_medium"):
        asset = _load(session, asset_id, None)
        medium = StorageMedium(kind=MediumKind(spec.kind), serial=_medium_serial(spec),
                               capacity_gb=spec.capacity_gb)
        asset.media.append(medium)
        asset.data_bearing = True
        asset.updated_by_id = actor.id
    return medium


def age_months(asset: Asset, today: dt.date | None = None) -> int | None:
    if asset.purchase_date is None:
        return None
    today = today or clock.today()
    return (today.year - asset.purchase_date.year) * 12 + today.month - asset.purchase_date.month
