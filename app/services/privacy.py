"""Pseudonymising personal data after the retention period (GDPR storage limitation).

Two kinds of personal data are kept: staff members who register interest in or
buy a device (`staff_members`: name, staff number, service, e-mail) and the
contact persons of parties (`parties.contact_name/email/phone`, and the name and
staff number of an older staff party). After the retention period (a setting,
default two years) without activity, `purge` overwrites them: the sale, the
price, the device's history and every document stay, linked to a pseudonym.

The audit trail and pseudonymisation coexist like this:
- the purge is a normal audited update (action `privacy_purge`), so the chain
  simply grows; its events say *which* columns were overwritten, never their old
  values (`audit.PRIVACY_PURGE_KEY`), so the purge copies no name into the trail;
- personal columns are never copied into the trail in the first place
  (`audit.SECRET`: the trail says "•••" changed), and staff parties carry only a
  pseudonym, so for staff members there is nothing left behind;
- events written before these columns were masked may still hold a contact's
  name. They are not rewritten: each event's hash covers its content, and a
  rewritten trail could no longer prove that nobody edited it. They are kept as
  the warehouse's legal record (GDPR art. 17(3)(b) and (e)), readable only by
  managers, auditors and administrators, and they age out with the database.
`audit verify` stays green before and after a purge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..i18n import N_
from ..models import (
    Asset,
    AuditEvent,
    ItemStatus,
    Party,
    PartyType,
    SaleInterest,
    SaleItem,
    SaleRound,
    StaffMember,
    utcnow,
)
from . import audit
from .errors import ValidationError
from .permissions import require
from .uow import unit_of_work

DEFAULT_RETENTION_DAYS = 730  # two years after the last sale or activity
SETTING = "privacy_retention_days"
MAX_RETENTION_DAYS = 36_500  # a hundred years: beyond that the date arithmetic overflows


def check_retention(days: object) -> int:
    """The retention period in whole days (1 … 36 500), or a ValidationError that says why not.

    0 or a negative number would pseudonymise everyone at once; it is refused, never
    silently replaced by the default.
    """
    try:
        value = int(days)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        value = None
    if value is None or isinstance(days, bool) or not 1 <= value <= MAX_RETENTION_DAYS:
        raise ValidationError(N_("The retention period must be a whole number of days from 1 to "
                                 "{max} (two years is 730), not “{days}”."),
                              max=MAX_RETENTION_DAYS, days=str(days))
    return value


def retention_days(settings=None) -> int:
    """The retention period from the settings (`extra.privacy_retention_days`), or two years."""
    extra = getattr(settings, "extra", None) or {}
    return check_retention(extra.get(SETTING, DEFAULT_RETENTION_DAYS))


@dataclass(frozen=True)
class Candidate:
    kind: str  # "staff" or "contact"
    id: int
    pseudonym: str  # what the row is called afterwards (never the person's name)
    last_activity: dt.datetime


@dataclass
class PurgePlan:
    cutoff: dt.datetime
    staff: list[Candidate] = field(default_factory=list)
    contacts: list[Candidate] = field(default_factory=list)
    applied: bool = False

    @property
    def total(self) -> int:
        return len(self.staff) + len(self.contacts)


def _latest(*moments: dt.datetime | None) -> dt.datetime:
    return max(m for m in moments if m is not None)


def _staff_candidates(session: Session, cutoff: dt.datetime) -> list[Candidate]:
    interest = dict(session.execute(select(SaleInterest.staff_member_id, func.max(SaleInterest.created_at))
                                    .group_by(SaleInterest.staff_member_id)).all())
    bought = {}
    pending = set()
    for member_id, status, paid, sold, closed in session.execute(
            select(SaleItem.buyer_id, SaleItem.status, SaleItem.paid_at, SaleItem.sold_at,
                   SaleRound.closed_at).join(SaleRound, SaleRound.id == SaleItem.round_id)
            .where(SaleItem.buyer_id.is_not(None))):
        if status in (ItemStatus.ALLOCATED, ItemStatus.PAID):
            pending.add(member_id)  # a sale still running needs the buyer's name
        moments = [m for m in (paid, sold, closed, bought.get(member_id)) if m is not None]
        if moments:
            bought[member_id] = max(moments)
    out = []
    for m, party_name in session.execute(
            select(StaffMember, Party.name).join(Party, Party.id == StaffMember.party_id)
            .where(StaffMember.pseudonymised_at.is_(None)).order_by(StaffMember.id)):
        last = _latest(m.created_at, interest.get(m.id), bought.get(m.id))
        if last < cutoff and m.id not in pending:
            out.append(Candidate("staff", m.id, party_name, last))
    return out


def _contact_candidates(session: Session, cutoff: dt.datetime) -> list[Candidate]:
    changed = dict(session.execute(
        select(AuditEvent.entity_id, func.max(AuditEvent.occurred_at))
        .where(AuditEvent.entity_type == "party").group_by(AuditEvent.entity_id)).all())
    moved = {}
    for column in (Asset.recipient_id, Asset.origin_service_id):
        for party_id, moment in session.execute(select(column, func.max(Asset.status_changed_at))
                                                .where(column.is_not(None)).group_by(column)):
            moved[party_id] = _latest(moment, moved.get(party_id))
    has_personal = or_(Party.contact_name.is_not(None), Party.email.is_not(None),
                       Party.phone.is_not(None), Party.staff_number.is_not(None))
    staff_parties = select(StaffMember.party_id)
    out = []
    for p in session.scalars(select(Party).where(or_(has_personal, (Party.type == PartyType.STAFF)
                                                     & Party.id.not_in(staff_parties)))
                             .order_by(Party.id)):
        if p.type == PartyType.STAFF and p.name == _party_pseudonym(p) and not _personal(p):
            continue  # done before
        last = _latest(p.created_at, changed.get(p.id), moved.get(p.id))
        if last < cutoff:
            out.append(Candidate("contact", p.id, _party_pseudonym(p) if p.type == PartyType.STAFF
                                 else p.name, last))
    return out


def _personal(p: Party) -> bool:
    return any((p.contact_name, p.email, p.phone, p.staff_number))


def _party_pseudonym(p: Party) -> str:
    return f"STAFF-P{p.id:05d}"


def plan(session: Session, actor, retention: int = DEFAULT_RETENTION_DAYS,
         now: dt.datetime | None = None) -> PurgePlan:
    """What a purge would pseudonymise now (the dry run): nothing is changed."""
    require(actor, "privacy.purge")
    cutoff = (now or utcnow()) - dt.timedelta(days=check_retention(retention))
    return PurgePlan(cutoff, _staff_candidates(session, cutoff), _contact_candidates(session, cutoff))


def purge(session: Session, actor, retention: int = DEFAULT_RETENTION_DAYS,
          now: dt.datetime | None = None) -> PurgePlan:
    """Pseudonymise everything `plan` lists, in one audited transaction."""
    moment = now or utcnow()
    with unit_of_work(session, actor, "privacy_purge", permission="privacy.purge"):
        result = plan(session, actor, retention, moment)
        session.info[audit.PRIVACY_PURGE_KEY] = True
        try:
            for c in result.staff:
                member = session.get(StaffMember, c.id)
                member.full_name = c.pseudonym
                member.staff_number = member.email = member.service_name = None
                member.pseudonymised_at = moment
                _clear_party(member.party)
            for c in result.contacts:
                party = session.get(Party, c.id)
                _clear_party(party)
                if party.type == PartyType.STAFF:
                    party.name = c.pseudonym
            session.flush()
        finally:
            session.info.pop(audit.PRIVACY_PURGE_KEY, None)
    result.applied = True
    return result


def _clear_party(party: Party) -> None:
    party.contact_name = party.email = party.phone = None
    if party.type == PartyType.STAFF:
        party.staff_number = party.service_name = None
