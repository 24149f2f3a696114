"""Warehouse locations (site, zone, rack, shelf, bin): their scannable codes, lists and labels.

A location's code (`LOC-A-01-2`) is what its shelf label carries as Code 128
and QR code; scanning it tells scan-to-move and the stock count where the
technician stands. A location is never deleted — devices and counts refer to
it — but it can be taken out of use once nothing is recorded there.

Location labels print with the asset-label module. Its roll layouts are sized
for the short all-digit asset tag; an alphanumeric location code makes a
longer barcode, which does not fit every stock with its quiet zones. The
label stock for location labels is therefore a setting of its own
(`printing.location_label_layout`, default the A4 sheet), and a code that does
not fit the chosen stock is refused before anything is printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..i18n import N_, _
from ..models import Asset, AssetStatus, Location, StockCount
from .codes import LOCATION_RE
from .errors import DomainError, NotFound, ValidationError
from .uow import unit_of_work

if TYPE_CHECKING:  # the label module (ReportLab, layouts) loads only when a label is made
    from .documents.labels import LabelData, Layout

# Devices in these states are not on a shelf of the warehouse: not arrived yet, or gone
# (handed over, sold, disposed of). Their last location is history, not where they are.
NOT_IN_WAREHOUSE = frozenset({AssetStatus.ANNOUNCED, AssetStatus.TRANSFERRED, AssetStatus.SOLD,
                              AssetStatus.DISPOSED})
DEFAULT_LABEL_LAYOUT = "a4-3x8"  # overridden by the setting printing.location_label_layout
LIST_LIMIT = 500


class LocationInUse(DomainError):
    message = N_("{code} still holds {n} devices: move them elsewhere before taking it out of use.")


class LocationBeingCounted(DomainError):
    message = N_("{code} is being counted: close the count before taking it out of use.")


class LocationLabelTooSmall(DomainError):
    message = N_("The barcode of {codes} does not fit on “{layout}” labels: choose a larger label "
                 "stock for location labels in the settings, or use a shorter code.")


@dataclass(frozen=True)
class LocationRow:
    """One location as the lists show it, with the number of devices recorded there."""

    id: int
    code: str
    site: str
    place: str
    description: str | None
    active: bool
    devices: int


def location_code(zone: str, rack: str | None = None, shelf: str | None = None,
                  bin: str | None = None) -> str:
    parts = [p for p in (zone, rack, shelf, bin) if p]
    code = "LOC-" + "-".join(re.sub(r"[^0-9A-Z]", "", p.upper()) for p in parts)
    if not LOCATION_RE.match(code):
        raise ValidationError(N_("“{code}” cannot be printed as a location code."), code=code)
    return code


def _clean(text: str | None) -> str | None:
    clean = " ".join((text or "").split())
    return clean or None


def create_location(session: Session, actor, site: str, zone: str, rack: str | None = None,
                    shelf: str | None = None, bin: str | None = None,
                    description: str | None = None) -> Location:
    site, zone = _clean(site), _clean(zone)
    rack, shelf, bin, description = _clean(rack), _clean(shelf), _clean(bin), _clean(description)
    if not site:
        raise ValidationError(N_("The site is missing."))
    if not zone:
        raise ValidationError(N_("The zone is missing."))
    code = location_code(zone, rack, shelf, bin)
    with unit_of_work(session, actor, "create_location", permission="location.manage"):
        if session.scalar(select(Location).where(Location.code == code)) is not None:
            raise ValidationError(N_("The location {code} already exists."), code=code)
        location = Location(code=code, site=site, zone=zone, rack=rack, shelf=shelf, bin=bin,
                            description=description)
        session.add(location)
    return location


def get_by_code(session: Session, code: str) -> Location:
    location = session.scalar(select(Location).where(Location.code == code.strip().upper()))
    if location is None:
        raise NotFound(what=code)
    return location


def get_location(session: Session, location_id: int) -> Location:
    location = session.get(Location, location_id)
    if location is None:
        raise NotFound(what=str(location_id))
    return location


def place_text(location: Location) -> str:
    """Where the location is, in words: "zone A · rack 01 · shelf 2 · bin 3"."""
    parts = [_("zone {zone}", zone=location.zone)]
    if location.rack:
        parts.append(_("rack {rack}", rack=location.rack))
    if location.shelf:
        parts.append(_("shelf {shelf}", shelf=location.shelf))
    if location.bin:
        parts.append(_("bin {bin}", bin=location.bin))
    return " · ".join(parts)


def devices_here(session: Session, location_id: int) -> int:
    """How many devices the records place here now (devices that left the warehouse not counted)."""
    return session.scalar(select(func.count()).select_from(Asset).where(
        Asset.location_id == location_id, Asset.status.not_in(NOT_IN_WAREHOUSE))) or 0


def list_locations(session: Session, text: str = "", *, site: str | None = None,
                   include_inactive: bool = False, limit: int = LIST_LIMIT) -> list[LocationRow]:
    """Locations in code order, filtered on site and on text in the code, site or description;
    with their device counts."""
    devices = (select(Asset.location_id, func.count().label("n"))
               .where(Asset.location_id.is_not(None), Asset.status.not_in(NOT_IN_WAREHOUSE))
               .group_by(Asset.location_id).subquery())
    stmt = (select(Location, func.coalesce(devices.c.n, 0))
            .outerjoin(devices, devices.c.location_id == Location.id)
            .order_by(Location.site, Location.code).limit(limit))
    if not include_inactive:
        stmt = stmt.where(Location.active.is_(True))
    if site:
        stmt = stmt.where(Location.site == site)
    words = (text or "").split()
    for word in words:
        pattern = f"%{word}%"
        stmt = stmt.where(or_(Location.code.ilike(pattern), Location.site.ilike(pattern),
                              Location.description.ilike(pattern)))
    return [LocationRow(loc.id, loc.code, loc.site, place_text(loc), loc.description, loc.active, n)
            for loc, n in session.execute(stmt)]


def sites(session: Session) -> list[str]:
    return list(session.scalars(select(Location.site).where(Location.active.is_(True))
                                .distinct().order_by(Location.site)))


def deactivate_location(session: Session, actor, location_id: int) -> Location:
    """Take a location out of use: nothing can be moved to it or counted there any more."""
    with unit_of_work(session, actor, "deactivate_location", permission="location.manage"):
        location = session.get(Location, location_id, with_for_update=True, populate_existing=True)
        if location is None:
            raise NotFound(what=str(location_id))
        n = devices_here(session, location.id)
        if n:
            raise LocationInUse(code=location.code, n=n)
        counting = session.scalar(select(StockCount.id).where(
            StockCount.location_id == location.id, StockCount.closed_at.is_(None)).limit(1))
        if counting is not None:
            raise LocationBeingCounted(code=location.code)
        location.active = False
    return location


# ----------------------------------------------------------------------------------- labels


def location_label(location: Location, org: str | None = None) -> LabelData:
    """The shelf label of a location: its code as barcode and QR code, the site and the place."""
    from .documents.labels import DEFAULT_ORG, LabelData

    return LabelData(tag=location.code, manufacturer="",
                     model=f"{location.site} · {place_text(location)}", serial=None,
                     intake_date=None, org=org or DEFAULT_ORG)


def label_fits(label: LabelData, layout: str | Layout) -> bool:
    """Whether the label's barcode, QR code and texts fit on this stock with their quiet zones."""
    from .documents.labels import get_layout, place, placement_problems

    return not placement_problems(place(label, get_layout(layout)))


def location_labels(locations: Sequence[Location], layout: str | Layout,
                    org: str | None = None) -> list[LabelData]:
    """The labels to print, or LocationLabelTooSmall naming every code that does not fit."""
    from .documents.labels import get_layout

    labels = [location_label(loc, org) for loc in locations]
    too_long = [label.tag for label in labels if not label_fits(label, layout)]
    if too_long:
        raise LocationLabelTooSmall(codes=", ".join(too_long), layout=get_layout(layout).name)
    return labels
