"""Processors (certified recyclers) and carriers, and the certifications of processors.

The waste register needs each party's enterprise number (KBO/BCE, checked with its mod-97 check
digits) and, for a processor, its environmental permit or OVAM registration number; a carrier
needs its registration as a waste carrier (the OVAM register of carriers). A processor takes
devices only while it holds a certification (R2, e-Stewards, WEEELABEX or another scheme) that has
not expired: `certification_problem` is the rule that opening and closing a batch apply.
The party table itself belongs to the recipients' workflow; this module only adds and checks the
end-of-life parties, under their own rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.be import vat
from stdnum.exceptions import ValidationError as StdnumError

from .. import clock
from ..i18n import N_, _
from ..models import CertificationScheme, Party, PartyType, ProcessorCertification
from .errors import DomainError, NotFound, ValidationError
from .uow import unit_of_work

SCHEME_NAMES = {
    CertificationScheme.R2: "R2",
    CertificationScheme.E_STEWARDS: "e-Stewards",
    CertificationScheme.WEEELABEX: "WEEELABEX",
    CertificationScheme.OTHER: N_("other"),
}

REQUIRED = {
    PartyType.RECYCLER: ("name", "enterprise_number", "registration_number", "street", "postcode",
                         "city"),
    PartyType.CARRIER: ("name", "enterprise_number", "registration_number"),
}
FIELD_LABELS = {
    "name": N_("name"), "enterprise_number": N_("enterprise number"),
    "registration_number": N_("permit or registration number"), "street": N_("street"),
    "postcode": N_("postcode"), "city": N_("city"),
}


class InvalidEnterpriseNumber(ValidationError):
    message = N_("“{number}” is not a valid Belgian enterprise number (KBO/BCE): check the ten "
                 "digits, for example 0403.170.701.")


class NotAProcessor(DomainError):
    message = N_("{name} is not a recycler or processor.")


class NotACarrier(DomainError):
    message = N_("{name} is not a carrier.")


class ProcessorNotCertified(DomainError):
    message = N_("{name} has no certification (R2, e-Stewards, WEEELABEX or other) on record: "
                 "record its certificate first.")


class CertificationExpired(DomainError):
    message = N_("The certification of {name} expired on {date}: no devices can go to this "
                 "processor until a valid certificate is recorded.")


class PartyInactive(DomainError):
    message = N_("{name} is deactivated.")


def format_enterprise_number(text: str) -> str:
    """0403.170.701 from any spelling (BE 403 170 701, 0403170701…); refuses a wrong check."""
    try:
        digits = vat.validate(text)
    except StdnumError:
        raise InvalidEnterpriseNumber(number=(text or "").strip()) from None
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _add_party(session: Session, actor, ptype: PartyType, fields: dict) -> Party:
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    missing = [f for f in REQUIRED[ptype] if not fields.get(f)]
    if missing:
        raise ValidationError(N_("Missing: {fields}."),
                              fields=", ".join(_(FIELD_LABELS[f]) for f in missing))
    fields["enterprise_number"] = format_enterprise_number(fields["enterprise_number"])
    with unit_of_work(session, actor, f"create_{ptype.value}", permission="party.manage"):
        party = Party(type=ptype, **fields)
        session.add(party)
    return party


def create_processor(session: Session, actor, **fields) -> Party:
    """A recycler/processor with its enterprise number, permit number, address and contact."""
    return _add_party(session, actor, PartyType.RECYCLER, fields)


def create_carrier(session: Session, actor, **fields) -> Party:
    return _add_party(session, actor, PartyType.CARRIER, fields)


def add_certification(session: Session, actor, party_id: int, scheme: CertificationScheme | str,
                      valid_until: dt.date, certificate_number: str | None = None,
                      scheme_name: str | None = None) -> ProcessorCertification:
    scheme = CertificationScheme(scheme)
    if scheme == CertificationScheme.OTHER and not (scheme_name or "").strip():
        raise ValidationError(N_("Name the certification scheme."))
    if not isinstance(valid_until, dt.date):
        raise ValidationError(N_("Give the date until which the certificate is valid."))
    with unit_of_work(session, actor, "add_certification", permission="party.manage"):
        party = _processor(session, party_id)
        cert = ProcessorCertification(party_id=party.id, scheme=scheme, valid_until=valid_until,
                                      certificate_number=(certificate_number or "").strip() or None,
                                      scheme_name=(scheme_name or "").strip() or None)
        session.add(cert)
    return cert


def _processor(session: Session, party_id: int) -> Party:
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(what=str(party_id))
    if party.type != PartyType.RECYCLER:
        raise NotAProcessor(name=party.name)
    return party


def certifications(session: Session, party_id: int) -> list[ProcessorCertification]:
    return list(session.scalars(select(ProcessorCertification)
                                .where(ProcessorCertification.party_id == party_id)
                                .order_by(ProcessorCertification.valid_until.desc())))


def scheme_label(cert: ProcessorCertification) -> str:
    if cert.scheme == CertificationScheme.OTHER:
        return cert.scheme_name or _(SCHEME_NAMES[cert.scheme])
    return SCHEME_NAMES[cert.scheme]


def today() -> dt.date:
    return clock.today()


def valid_certification(session: Session, party: Party, on: dt.date | None = None
                        ) -> ProcessorCertification | None:
    """The certification that is valid longest on `on` (today in Brussels), if any."""
    day = on or today()
    return next((c for c in certifications(session, party.id) if c.valid_until >= day), None)


def check_processor(session: Session, party: Party, on: dt.date | None = None
                    ) -> ProcessorCertification:
    """Raise why devices cannot go to `party` now; return its valid certification otherwise."""
    if party.type != PartyType.RECYCLER:
        raise NotAProcessor(name=party.name)
    if not party.active:
        raise PartyInactive(name=party.name)
    found = certifications(session, party.id)
    if not found:
        raise ProcessorNotCertified(name=party.name)
    valid = valid_certification(session, party, on)
    if valid is None:
        raise CertificationExpired(name=party.name, date=found[0].valid_until.strftime("%d/%m/%Y"))
    return valid


def check_carrier(party: Party) -> None:
    if party.type != PartyType.CARRIER:
        raise NotACarrier(name=party.name)
    if not party.active:
        raise PartyInactive(name=party.name)


def processors(session: Session) -> list[Party]:
    return list(session.scalars(select(Party).where(Party.type == PartyType.RECYCLER,
                                                    Party.active.is_(True)).order_by(Party.name)))


def carriers(session: Session) -> list[Party]:
    return list(session.scalars(select(Party).where(Party.type == PartyType.CARRIER,
                                                    Party.active.is_(True)).order_by(Party.name)))


@dataclass(frozen=True)
class PartyRow:
    """A processor or carrier as the processors dialog lists it."""

    id: int
    type: PartyType
    name: str
    enterprise_number: str
    registration_number: str
    certification: str  # "WEEELABEX BE-0042" or "" (carriers need none)
    valid_until: dt.date | None
    usable: bool  # a processor with a valid certification, or an active carrier


def overview(session: Session, on: dt.date | None = None) -> list[PartyRow]:
    day = on or today()
    rows = []
    for party in session.scalars(select(Party).where(
            Party.type.in_([PartyType.RECYCLER, PartyType.CARRIER]), Party.active.is_(True))
            .order_by(Party.type.desc(), Party.name)):
        cert = None
        if party.type == PartyType.RECYCLER:
            found = certifications(session, party.id)
            cert = next((c for c in found if c.valid_until >= day), found[0] if found else None)
        label = " ".join(x for x in (scheme_label(cert), cert.certificate_number or "") if x) if cert else ""
        rows.append(PartyRow(party.id, party.type, party.name, party.enterprise_number or "",
                             party.registration_number or "", label,
                             cert.valid_until if cert else None,
                             party.type == PartyType.CARRIER or bool(cert and cert.valid_until >= day)))
    return rows
