"""Warehouse locations (site, zone, rack, shelf, bin) and their scannable codes."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import N_
from ..models import Location
from .codes import LOCATION_RE
from .errors import NotFound, ValidationError
from .uow import unit_of_work


def location_code(zone: str, rack: str | None = None, shelf: str | None = None,
                  bin: str | None = None) -> str:
    parts = [p for p in (zone, rack, shelf, bin) if p]
    code = "LOC-" + "-".join(re.sub(r"[^0-9A-Z]", "", p.upper()) for p in parts)
    if not LOCATION_RE.match(code):
        raise ValidationError(N_("“{code}” cannot be printed as a location code."), code=code)
    return code


def create_location(session: Session, actor, site: str, zone: str, rack: str | None = None,
                    shelf: str | None = None, bin: str | None = None,
                    description: str | None = None) -> Location:
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
