"""The organisation's identity on paper: full and short name, address, enterprise number, logo.

Shared by every desk through the database (one row): an administrator sets it
once in Settings → Organisation and every document issued afterwards carries it
in its header (`documents/a4.letterhead`), every asset label its short name.
Until it is set, documents say "Provincie", as they always did. Reading needs no
permission (every document needs it); changing it is for administrators and is
audited like any other record, the logo by its SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import N_
from ..models import Organisation
from ..models.organisation import SINGLE_ROW_ID
from .errors import ValidationError
from .parties import InvalidEnterpriseNumber, normalise_enterprise_number
from .uow import unit_of_work

DEFAULT_NAME = "Provincie"
LOGO_MAX_BYTES = 512 * 1024  # a sharp logo for A4 paper is far smaller; the row stays light
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_MIN_PIXELS, LOGO_MAX_PIXELS = 16, 4000
LIMITS = {"name": 200, "short_name": 60, "street": 200, "postcode": 12, "city": 100}
FIELD_NAMES = {"name": N_("Full name"), "short_name": N_("Short name"), "street": N_("Street"),
               "postcode": N_("Postcode"), "city": N_("City")}
BELGIAN_POSTCODE = re.compile(r"^[1-9]\d{3}$")


class NameRequired(ValidationError):
    message = N_("Give the organisation's full name: it heads every document. Nothing was saved.")


class TooLong(ValidationError):
    message = N_("{field} is too long: at most {limit} characters. Nothing was saved.")


class InvalidPostcode(ValidationError):
    message = N_("“{postcode}” is not a Belgian postcode: four digits, such as 2000. "
                 "Nothing was saved.")


class InvalidOwnNumber(ValidationError):
    message = N_("“{number}” is not a valid enterprise number (KBO/BCE). Write it as 0123.456.789: "
                 "ten digits, starting with 0 or 1, the last two a check of the first eight. "
                 "Nothing was saved.")


class InvalidLogo(ValidationError):
    message = N_("The logo must be a PNG or JPEG picture. Nothing was saved.")


class LogoTooLarge(ValidationError):
    message = N_("The logo is {size} KB; at most {limit} KB is allowed. Save it smaller (for "
                 "paper, 600 pixels wide is plenty). Nothing was saved.")


class LogoUnreadable(ValidationError):
    message = N_("The logo could not be read as a picture ({detail}). Nothing was saved.")


class LogoSize(ValidationError):
    message = N_("The logo is {width} × {height} pixels: each side must be between {low} and "
                 "{high} pixels. Nothing was saved.")


@dataclass(frozen=True)
class Identity:
    """What a document says about who issued it."""

    name: str = DEFAULT_NAME
    short_name: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    enterprise_number: str = ""
    logo: bytes | None = None
    logo_type: str | None = None

    @property
    def short(self) -> str:
        """For a small label and a footer: the short name, else the full name."""
        return self.short_name or self.name

    @property
    def address(self) -> str:
        """"Koningin Elisabethlei 22, 2018 Antwerpen" (empty when nothing is set)."""
        town = " ".join(x for x in (self.postcode, self.city) if x)
        return ", ".join(x for x in (self.street, town) if x)


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()  # save(logo=KEEP): leave the logo as it is


def get(session: Session) -> Identity:
    """The identity to print: the one an administrator set, or the default."""
    row = session.get(Organisation, SINGLE_ROW_ID)
    if row is None:
        return Identity()
    return Identity(name=row.name, short_name=row.short_name or "", street=row.street or "",
                    postcode=row.postcode or "", city=row.city or "",
                    enterprise_number=row.enterprise_number or "", logo=row.logo,
                    logo_type=row.logo_type)


def label_name(session: Session) -> str:
    """The name on asset and location labels (without reading the logo)."""
    row = session.execute(select(Organisation.name, Organisation.short_name)
                          .where(Organisation.id == SINGLE_ROW_ID)).first()
    if row is None:
        return DEFAULT_NAME
    return row.short_name or row.name


def check_logo(data: bytes) -> str:
    """The picture's media type; refused when it is no PNG/JPEG, too big or unreadable."""
    kind = next((t for magic, t in LOGO_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        raise InvalidLogo()
    if len(data) > LOGO_MAX_BYTES:
        raise LogoTooLarge(size=round(len(data) / 1024), limit=LOGO_MAX_BYTES // 1024)
    from reportlab.lib.utils import ImageReader

    try:  # the reader documents use: what passes here prints
        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception as err:  # PIL raises many kinds; "unreadable" is all the person needs
        raise LogoUnreadable(detail=str(err)[:120] or type(err).__name__) from err
    if not all(LOGO_MIN_PIXELS <= side <= LOGO_MAX_PIXELS for side in (width, height)):
        raise LogoSize(width=width, height=height, low=LOGO_MIN_PIXELS, high=LOGO_MAX_PIXELS)
    return kind


def check(name: str, short_name: str = "", street: str = "", postcode: str = "", city: str = "",
          enterprise_number: str = "") -> Identity:
    """The identity as it would be saved (trimmed, the enterprise number in its printed form)."""
    values = {"name": name, "short_name": short_name, "street": street, "postcode": postcode,
              "city": city}
    values = {k: " ".join((v or "").split()) for k, v in values.items()}
    if not values["name"]:
        raise NameRequired()
    for key, limit in LIMITS.items():
        if len(values[key]) > limit:
            raise TooLong(field=FIELD_NAMES[key], limit=limit)
    if values["postcode"] and not BELGIAN_POSTCODE.match(values["postcode"]):
        raise InvalidPostcode(postcode=values["postcode"])
    try:
        number = normalise_enterprise_number(enterprise_number) or ""
    except InvalidEnterpriseNumber as err:
        raise InvalidOwnNumber(number=(enterprise_number or "").strip()) from err
    return Identity(**values, enterprise_number=number)


def save(session: Session, actor, *, name: str, short_name: str = "", street: str = "",
         postcode: str = "", city: str = "", enterprise_number: str = "",
         logo: bytes | None | _Keep = KEEP) -> Identity:
    """Set the identity every desk prints; `logo=None` removes the logo, KEEP leaves it."""
    with unit_of_work(session, actor, "set_organisation", permission="organisation.manage"):
        wanted = check(name, short_name, street, postcode, city, enterprise_number)
        logo_type = check_logo(logo) if isinstance(logo, bytes) else None
        row = session.get(Organisation, SINGLE_ROW_ID)
        if row is None:
            row = Organisation(id=SINGLE_ROW_ID, name=wanted.name)
            session.add(row)
        row.name = wanted.name
        row.short_name = wanted.short_name or None
        row.street = wanted.street or None
        row.postcode = wanted.postcode or None
        row.city = wanted.city or None
        row.enterprise_number = wanted.enterprise_number or None
        if logo is None:
            row.logo = row.logo_type = row.logo_sha256 = None
        elif isinstance(logo, bytes):
            row.logo, row.logo_type = logo, logo_type
            row.logo_sha256 = hashlib.sha256(logo).hexdigest()
    return get(session)
