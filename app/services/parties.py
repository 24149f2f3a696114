"""Parties: provincial services, schools, charities, recyclers, carriers, staff members.

Each type needs its own fields (a school its enterprise number and address,
a staff member a staff number); this module holds that rule as data.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import N_
from ..models import Party, PartyType
from .errors import ValidationError
from .uow import unit_of_work

REQUIRED_FIELDS: dict[PartyType, tuple[str, ...]] = {
    PartyType.SERVICE: ("name",),
    PartyType.SCHOOL: ("name", "street", "postcode", "city"),
    PartyType.CHARITY: ("name", "street", "postcode", "city"),
    PartyType.PUBLIC_BODY: ("name", "street", "postcode", "city"),
    PartyType.RECYCLER: ("name", "enterprise_number", "street", "postcode", "city"),
    PartyType.CARRIER: ("name", "enterprise_number"),
    PartyType.STAFF: ("name", "staff_number", "email"),
}

FIELD_LABELS = {
    "name": N_("name"), "street": N_("street"), "postcode": N_("postcode"), "city": N_("city"),
    "enterprise_number": N_("enterprise number"), "staff_number": N_("staff number"),
    "email": N_("e-mail"),
}


def create_party(session: Session, actor, type: PartyType | str, **fields) -> Party:
    ptype = PartyType(type)
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    missing = [f for f in REQUIRED_FIELDS[ptype] if not fields.get(f)]
    if missing:
        from ..i18n import _

        raise ValidationError(N_("Missing: {fields}."), fields=", ".join(_(FIELD_LABELS[f]) for f in missing))
    with unit_of_work(session, actor, "create_party", permission="party.manage"):
        party = Party(type=ptype, **fields)
        session.add(party)
    return party


def services(session: Session) -> list[Party]:
    return list(session.scalars(
        select(Party).where(Party.type == PartyType.SERVICE, Party.active.is_(True)).order_by(Party.name)
    ))
