"""Spare parts harvested from devices that will not get a second life.

RAM, a disk, a battery, a charger, a screen: recorded against the device it
came from, counted in stock per kind, and issued again with a note. A
harvested disk is a storage medium: it may only be issued once its own
sanitisation record is verified, like any medium that leaves a device.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..i18n import N_
from ..models import Asset, AssetStatus, PartKind, SparePart, StorageMedium, utcnow
from . import sanitisation
from .errors import DomainError, NotFound, ValidationError
from .uow import unit_of_work

DISK_KINDS = (PartKind.SSD, PartKind.HDD)


class NotForHarvest(DomainError):
    message = N_("{tag} is “{status}”: parts are only taken from devices awaiting disposal.")


class PartAlreadyIssued(DomainError):
    message = N_("This part was already issued.")


class DiskNotSanitised(DomainError):
    message = N_("This disk has no verified sanitisation record: wipe it and have it verified first.")


def harvest(session: Session, actor, asset_id: int, kind: PartKind | str, description: str,
            medium_id: int | None = None) -> SparePart:
    kind = PartKind(kind)
    description = " ".join((description or "").split())
    if not description:
        raise ValidationError(N_("Describe the part (for example 8 GB DDR4 SO-DIMM)."))
    with unit_of_work(session, actor, "harvest_part", permission="parts.manage"):
        asset = session.get(Asset, asset_id)
        if asset is None:
            raise NotFound(what=str(asset_id))
        if asset.status != AssetStatus.AWAITING_DISPOSAL:
            from .lifecycle import status_label

            raise NotForHarvest(tag=asset.tag, status=status_label(asset.status))
        medium = None
        if kind in DISK_KINDS:
            if medium_id is None:
                raise ValidationError(N_("Choose which storage medium of the device is harvested."))
            medium = session.get(StorageMedium, medium_id)
            if medium is None or medium.asset_id != asset.id:
                raise ValidationError(N_("That storage medium is not in this device."))
            medium.removed = True
        part = SparePart(kind=kind, description=description, source_asset_id=asset.id,
                         medium_id=medium.id if medium else None, harvested_by_id=actor.id)
        session.add(part)
    return part


def issue(session: Session, actor, part_id: int, note: str) -> SparePart:
    note = (note or "").strip()
    if not note:
        raise ValidationError(N_("Say where the part goes (for example the device it goes into)."))
    with unit_of_work(session, actor, "issue_part", permission="parts.manage"):
        part = session.get(SparePart, part_id)
        if part is None:
            raise NotFound(what=str(part_id))
        if part.issued_at is not None:
            raise PartAlreadyIssued()
        if part.medium_id is not None:
            status = sanitisation.medium_status(session, session.get(StorageMedium, part.medium_id))
            if status.state != sanitisation.MediumState.VERIFIED:
                raise DiskNotSanitised()
        part.issued_at, part.issued_by_id, part.issued_note = utcnow(), actor.id, note
    return part


def stock(session: Session) -> dict[PartKind, int]:
    rows = session.execute(select(SparePart.kind, func.count()).where(SparePart.issued_at.is_(None))
                           .group_by(SparePart.kind))
    return {PartKind(kind): n for kind, n in rows}


def parts_from(session: Session, asset_id: int) -> list[SparePart]:
    return list(session.scalars(select(SparePart).where(SparePart.source_asset_id == asset_id)
                                .order_by(SparePart.id)))
