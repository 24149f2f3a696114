"""Parties: provincial services, schools, charities, recyclers, carriers, staff members.

Each type needs its own fields (a school its address, a recycler its
enterprise number, a staff member a staff number); this module holds that rule
as data. An enterprise number (KBO/BCE) is checked with its mod-97 check digits
(python-stdnum) and stored in its printed form, 0123.456.789, so a typo is
refused at the desk instead of appearing on a donation certificate.

Recipients of a second life are the parties of type school, charity, internal
(provincial) service and other public body. A recipient is never deleted:
deactivating it keeps its requests, handovers and certificates readable, and
the lifecycle refuses to hand anything to it any more.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from stdnum.be import vat as be_vat

from ..i18n import N_, _
from ..models import Party, PartyType
from .errors import DomainError, NotFound, ValidationError
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

# Who can receive devices for a second life (a staff member buys them: that is a sale).
RECIPIENT_TYPES = (PartyType.SCHOOL, PartyType.CHARITY, PartyType.SERVICE, PartyType.PUBLIC_BODY)
PARTY_TYPE_LABELS = {
    PartyType.SERVICE: N_("internal service"), PartyType.SCHOOL: N_("school"),
    PartyType.CHARITY: N_("charity"), PartyType.PUBLIC_BODY: N_("other public body"),
    PartyType.RECYCLER: N_("recycler"), PartyType.CARRIER: N_("carrier"),
    PartyType.STAFF: N_("staff member"),
}
EDITABLE = ("name", "enterprise_number", "street", "postcode", "city", "contact_name", "email",
            "phone", "notes")


class InvalidEnterpriseNumber(ValidationError):
    message = N_("“{number}” is not a valid enterprise number (KBO/BCE): it has ten digits, "
                 "starts with 0 or 1 and ends in two check digits. Check it on the paper and "
                 "type it again.")


class PartyChanged(DomainError):
    message = N_("{name} was changed at another desk in the meantime: reload it and try again. "
                 "Nothing was saved.")


def type_label(ptype: PartyType | str) -> str:
    return _(PARTY_TYPE_LABELS[PartyType(ptype)])


def normalise_enterprise_number(text: str | None) -> str | None:
    """'BE 0203.201.340', '203201340' → '0203.201.340'; None when empty; refused when wrong."""
    if text is None or not text.strip():
        return None
    raw = text.strip()
    try:
        digits = be_vat.validate(raw)  # compacts (BE, dots, spaces), checks length and mod 97
    except Exception as err:  # stdnum raises its own ValidationError subclasses
        raise InvalidEnterpriseNumber(number=raw) from err
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _clean(fields: dict) -> dict:
    out = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in fields.items()}
    if "enterprise_number" in out:
        out["enterprise_number"] = normalise_enterprise_number(out["enterprise_number"])
    if out.get("email") and "@" not in out["email"]:
        raise ValidationError(N_("“{email}” is not an e-mail address."), email=out["email"])
    return out


def _require(ptype: PartyType, fields: dict) -> None:
    missing = [f for f in REQUIRED_FIELDS[ptype] if not fields.get(f)]
    if missing:
        raise ValidationError(N_("Missing: {fields}."),
                              fields=", ".join(_(FIELD_LABELS[f]) for f in missing))


def create_party(session: Session, actor, type: PartyType | str, **fields) -> Party:
    ptype = PartyType(type)
    fields = _clean(fields)
    _require(ptype, fields)
    with unit_of_work(session, actor, "create_party", permission="party.manage"):
        party = Party(type=ptype, **fields)
        session.add(party)
    return party


def update_party(session: Session, actor, party_id: int, expected_version: int, **fields) -> Party:
    """Change a party's details; a change based on a stale read is refused."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(N_("Unknown field: {name}."), name=", ".join(sorted(unknown)))
    fields = _clean(fields)
    with unit_of_work(session, actor, "update_party", permission="party.manage"):
        party = _load(session, party_id, expected_version)
        merged = {f: getattr(party, f) for f in REQUIRED_FIELDS[party.type]} | fields
        _require(party.type, merged)
        for key, value in fields.items():
            setattr(party, key, value)
    return party


def set_active(session: Session, actor, party_id: int, expected_version: int, active: bool) -> Party:
    """Deactivate (or reactivate) a party: its history stays, nothing new goes to it."""
    action = "activate_party" if active else "deactivate_party"
    with unit_of_work(session, actor, action, permission="party.manage"):
        party = _load(session, party_id, expected_version)
        party.active = active
    return party


def _load(session: Session, party_id: int, expected_version: int | None) -> Party:
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(what=str(party_id))
    if expected_version is not None and party.version != expected_version:
        raise PartyChanged(name=party.name)
    return party


def services(session: Session) -> list[Party]:
    return list(session.scalars(
        select(Party).where(Party.type == PartyType.SERVICE, Party.active.is_(True)).order_by(Party.name)
    ))


def search_recipients(session: Session, text: str = "", *, include_inactive: bool = False,
                      types: tuple[PartyType, ...] = RECIPIENT_TYPES, limit: int = 200) -> list[Party]:
    """Recipients whose name, city, contact, e-mail or enterprise number contains `text`."""
    stmt = select(Party).where(Party.type.in_(types))
    if not include_inactive:
        stmt = stmt.where(Party.active.is_(True))
    words = text.strip().lower().split()
    for word in words:
        like = f"%{word.replace('.', '')}%"
        stmt = stmt.where(or_(*(func.lower(func.replace(col, ".", "")).like(like) for col in (
            Party.name, Party.city, Party.contact_name, Party.email, Party.enterprise_number))))
    return list(session.scalars(stmt.order_by(Party.active.desc(), Party.name).limit(limit)))
