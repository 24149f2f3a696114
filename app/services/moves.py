"""Scan-to-move: scan a location label, then devices; each device is recorded there at once.

A technician carries devices from the intake trolley to a shelf, from a shelf
to the bench, from one site to another: the location scanned last is where
the next devices go. Each device scan is one unit of work (one audit event),
so a move already made is never lost when the next scan is refused.

A scan is trusted as proof that the device is physically here, which is why a
device marked missing at an earlier count is found again by it: its mark is
cleared in the same transaction. A device that left the warehouse (handed
over, sold, disposed of) or has only been announced is refused: it comes
(back) in through the intake desk, never through a shelf.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import N_
from ..models import Asset, AssetStatus, Location
from . import lifecycle
from .codes import Scan, ScanKind, classify
from .errors import DomainError, InvalidTag, ValidationError
from .locations import NOT_IN_WAREHOUSE
from .uow import unit_of_work


class NotADevice(DomainError):
    message = N_("Not a serial number or asset tag: “{code}”.")


class LocationNotDevice(DomainError):
    message = N_("{code} is a location label, not a device.")


class CommandNotDevice(DomainError):
    message = N_("{code} is a command barcode, not a device.")


class UnknownTag(DomainError):
    message = N_("The tag {code} is not in this database.")


class UnknownSerial(DomainError):
    message = N_("No device has serial number {code}: receive it at the intake desk first.")


class AmbiguousSerial(DomainError):
    message = N_("Several devices have serial number {serial}: scan the asset tag instead.")


class UnknownLocation(DomainError):
    message = N_("There is no location {code} in this database.")


class LocationOutOfUse(DomainError):
    message = N_("The location {code} is no longer in use.")


class NotInWarehouse(DomainError):
    message = N_("{tag} left the warehouse ({status}): take it back at the intake desk before "
                 "moving it.")


class Disposed(DomainError):
    message = N_("{tag} was disposed of: it cannot be moved into the warehouse.")


class NotReceivedYet(DomainError):
    message = N_("{tag} is announced but was not received yet: receive it at the intake desk first.")


@dataclass(frozen=True)
class MoveResult:
    """What one scan did, in plain values for the screen."""

    tag: str
    model: str
    from_code: str | None
    to_code: str
    moved: bool  # False: the records already placed it here
    found_again: bool  # it was marked missing at a count; the mark is cleared


def find_device(session: Session, raw: str) -> tuple[Scan, Asset | None]:
    """The device a scanned code names, or None when the tag or serial is not known.

    Codes that cannot name a device (a location, a command, a certificate, a misread
    tag) and a serial shared by devices of two manufacturers are refused.
    """
    scan = classify(raw)
    if scan.kind == ScanKind.LOCATION:
        raise LocationNotDevice(code=scan.value)
    if scan.kind in (ScanKind.COMMAND, ScanKind.UNKNOWN_COMMAND):
        raise CommandNotDevice(code=scan.value)
    if scan.kind == ScanKind.INVALID_TAG:
        raise InvalidTag(tag=scan.value)
    if scan.kind not in (ScanKind.TAG, ScanKind.SERIAL):
        raise NotADevice(code=scan.value or raw.strip())
    if scan.kind == ScanKind.TAG:
        stmt = select(Asset).where(Asset.tag == scan.value)
    else:
        stmt = select(Asset).where(Asset.serial_normalised == scan.value).order_by(Asset.id).limit(2)
    found = session.scalars(stmt.execution_options(populate_existing=True)).all()
    if len(found) > 1:
        raise AmbiguousSerial(serial=scan.value)
    return scan, (found[0] if found else None)


def device_for(session: Session, raw: str) -> Asset:
    """The device a scanned code names; a code that names none is refused."""
    scan, asset = find_device(session, raw)
    if asset is None:
        raise UnknownTag(code=scan.value) if scan.kind == ScanKind.TAG else UnknownSerial(code=scan.value)
    return asset


def target_location(session: Session, code: str) -> Location:
    """The location a scanned or chosen code names, if it is in use."""
    clean = code.strip().upper()
    location = session.scalar(select(Location).where(Location.code == clean)
                              .execution_options(populate_existing=True))
    if location is None:
        raise UnknownLocation(code=clean)
    if not location.active:
        raise LocationOutOfUse(code=location.code)
    return location


def check_movable(asset: Asset) -> None:
    """Refuse a device that is not in the warehouse (with what to do instead)."""
    if asset.status == AssetStatus.DISPOSED:
        raise Disposed(tag=asset.tag)
    if asset.status == AssetStatus.ANNOUNCED:
        raise NotReceivedYet(tag=asset.tag)
    if asset.status in NOT_IN_WAREHOUSE:
        raise NotInWarehouse(tag=asset.tag, status=lifecycle.status_label(asset.status))


def clear_missing(asset: Asset, actor) -> bool:
    """The device was seen: a missing mark from an earlier count no longer holds."""
    if asset.missing_since is None and asset.missing_reason is None:
        return False
    asset.missing_since = None
    asset.missing_reason = None
    asset.updated_by_id = actor.id
    return True


def move_here(session: Session, actor, asset: Asset, location: Location) -> MoveResult:
    """Record `asset` at `location` inside the caller's unit of work (it was seen there)."""
    check_movable(asset)
    from_code = asset.location.code if asset.location is not None else None
    moved = asset.location_id != location.id
    if moved:
        asset.location_id = location.id
        asset.location = location
        asset.updated_by_id = actor.id
    found_again = clear_missing(asset, actor)
    return MoveResult(asset.tag, f"{asset.manufacturer} {asset.model}", from_code, location.code,
                      moved, found_again)


def move_by_scan(session: Session, actor, location_code: str, code: str) -> MoveResult:
    """Service: the device scanned (tag or serial) is now at the location scanned before it."""
    with unit_of_work(session, actor, "move", permission="asset.move"):
        location = target_location(session, location_code)
        asset = device_for(session, code)
        return move_here(session, actor, asset, location)


def check_location(session: Session, code: str) -> Location:
    """A scanned location label, checked before it becomes the target of the next scans."""
    scan = classify(code)
    if scan.kind != ScanKind.LOCATION:
        raise ValidationError(N_("“{code}” is not a location label."), code=scan.value or code)
    return target_location(session, scan.value)
