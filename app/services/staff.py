"""Staff members who buy devices: their personal data, kept apart from everything else.

A staff member is two rows: a `Party` of type staff that the sale, the asset's
recipient and the documents' QR content point to, named only by a pseudonym
(`STAFF-00017`), and a `StaffMember` row with the minimum personal data a sale
needs (name, staff number, service, e-mail). The audit trail records that these
columns changed, never their values (`audit.SECRET`), so pseudonymising the row
after the retention period (`app.services.privacy`) leaves no copy of them.
Only roles with `staff.read` see them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..i18n import N_, _
from ..models import Party, PartyType, StaffMember
from . import sequences
from .errors import DomainError, ValidationError
from .permissions import require
from .uow import unit_of_work

PSEUDONYM_COUNTER = "staff_pseudonym"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class DuplicateStaffNumber(DomainError):
    message = N_("Staff number {number} is already registered.")


def pseudonym(n: int) -> str:
    return f"STAFF-{n:05d}"


@dataclass(frozen=True)
class StaffRow:
    id: int
    party_id: int
    pseudonym: str
    full_name: str
    staff_number: str
    service_name: str
    email: str
    pseudonymised: bool


def add_staff_member(session: Session, actor, full_name: str, staff_number: str, email: str,
                     service_name: str | None = None) -> StaffMember:
    """Register a staff member (the party with a pseudonym, and the personal data apart)."""
    full_name, staff_number = (full_name or "").strip(), (staff_number or "").strip().upper()
    email = (email or "").strip().lower()
    missing = [label for label, value in ((N_("name"), full_name), (N_("staff number"), staff_number),
                                          (N_("e-mail"), email)) if not value]
    if missing:
        raise ValidationError(N_("Missing: {fields}."), fields=", ".join(_(m) for m in missing))
    if not EMAIL.match(email):
        raise ValidationError(N_("“{email}” is not an e-mail address."), email=email)
    with unit_of_work(session, actor, "add_staff_member", permission="staff.manage"):
        if session.scalar(select(StaffMember.id).where(StaffMember.staff_number == staff_number)):
            raise DuplicateStaffNumber(number=staff_number)
        party = Party(type=PartyType.STAFF, name=pseudonym(sequences.next_value(session,
                                                                                PSEUDONYM_COUNTER)))
        session.add(party)
        session.flush()
        member = StaffMember(party_id=party.id, full_name=full_name, staff_number=staff_number,
                             email=email, service_name=(service_name or "").strip() or None)
        member.party = party
        session.add(member)
    return member


def find_staff(session: Session, actor, text: str = "", limit: int = 200) -> list[StaffRow]:
    """Staff members whose name, staff number or e-mail contains `text` (personal data: staff.read)."""
    require(actor, "staff.read")
    stmt = select(StaffMember, Party.name).join(Party, Party.id == StaffMember.party_id)
    if text.strip():
        like = f"%{text.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(StaffMember.full_name).like(like),
                              func.lower(StaffMember.staff_number).like(like),
                              func.lower(StaffMember.email).like(like)))
    stmt = stmt.order_by(StaffMember.full_name, StaffMember.id).limit(limit)
    return [row(m, name) for m, name in session.execute(stmt)]


def look_up(session: Session, actor, text: str, limit: int = 20) -> list[StaffRow]:
    """At the desk: find the colleague standing there (at least three characters), to register
    their interest; without `staff.read` nobody browses the whole list."""
    require(actor, "sales.interest")
    if len(text.strip()) < 3:
        return []
    like = f"%{text.strip().lower()}%"
    stmt = (select(StaffMember, Party.name).join(Party, Party.id == StaffMember.party_id)
            .where(StaffMember.pseudonymised_at.is_(None),
                   or_(func.lower(StaffMember.full_name).like(like),
                       func.lower(StaffMember.staff_number).like(like)))
            .order_by(StaffMember.full_name, StaffMember.id).limit(limit))
    return [row(m, name) for m, name in session.execute(stmt)]


def row(m: StaffMember, party_name: str) -> StaffRow:
    return StaffRow(m.id, m.party_id, party_name, m.full_name, m.staff_number or "",
                    m.service_name or "", m.email or "", m.pseudonymised_at is not None)


def by_staff_number(session: Session, number: str) -> StaffMember | None:
    return session.scalar(select(StaffMember).where(
        StaffMember.staff_number == number.strip().upper()))


def display(member: StaffMember | None) -> str:
    """How a staff member is named on screen and paper: name and staff number."""
    if member is None:
        return "—"
    if member.staff_number:
        return f"{member.full_name} ({member.staff_number})"
    return member.full_name
