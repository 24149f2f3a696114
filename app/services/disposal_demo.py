"""End-of-life data for the disposal page's screenshots: a certified processor, a carrier, a few
batches picked up over the past year, an open batch, and devices waiting to be scanned into the
next one.

The `demo` command no longer uses this: its history (services/demo_desk.py) receives every
device in an intake lot and disposes of it through the batches of its eighteen months. This
stays for docs/screenshots/disposal_screenshots.py, which wants a database with nothing but the
end of life; the processor, the carrier and the processor's certificate are shared with the
history. It reuses the demo's users when they exist and adds a second manager for the
four-eyes close.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Asset, Party, PartyType, Role, SanitisationMethod, User, utcnow
from . import assets, auth, disposal, lifecycle, processors, refurbishment, sanitisation

PROCESSOR = {"name": "Galloo Recycling Menen", "enterprise_number": "0403.170.701",
             "registration_number": "OVAM-MV 2019/00123", "street": "Wervikstraat 1",
             "postcode": "8930", "city": "Menen", "contact_name": "An De Smet",
             "phone": "056 52 12 34", "email": "weee@galloo.example"}
CARRIER = {"name": "Transport Claes bv", "enterprise_number": "0202.239.951",
           "registration_number": "OVAM-IHM 55.321", "street": "Industrieweg 14", "postcode": "9030",
           "city": "Mariakerke", "contact_name": "Koen Claes", "phone": "09 226 11 22"}


def _user(session: Session, actor, username: str, name: str, role: Role) -> User:
    from .demo import DEMO_PASSWORD

    found = session.scalar(select(User).where(User.username == username))
    return found or auth.add_user(session, actor, username, name, role, DEMO_PASSWORD)


def _party(session: Session, actor, kind: PartyType, fields: dict) -> Party:
    found = session.scalar(select(Party).where(Party.type == kind, Party.name == fields["name"]))
    if found is not None:
        return found
    make = processors.create_processor if kind == PartyType.RECYCLER else processors.create_carrier
    return make(session, actor, **fields)


def _device(session: Session, rng: random.Random, tech: User, manager: User, *, sanitise: bool,
            returned: bool = False, before: dt.datetime | None = None) -> Asset:
    from .demo import MODELS, TOOLS, _serial

    for _attempt in range(10):
        (cat, make, model, cpu, ram, storage, _screen, _cost, weight, medium, style) = rng.choice(
            MODELS)
        serial = _serial(rng, style)
        if assets.find_by_serial(session, make, serial) is None:
            break
    media = [assets.MediumSpec(medium, _serial(rng, "dell"), storage)] if medium else []
    asset = assets.register_asset(session, tech, category=cat, manufacturer=make, model=model,
                                  serial=serial, media=media, cpu=cpu or None, ram_gb=ram,
                                  storage_gb=storage, weight_kg=Decimal(weight))
    if sanitise:
        # wiped or shredded some days before the pick-up it goes out with
        when = (before or utcnow()) - dt.timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 8))
        for m in sanitisation.media_statuses(session, asset):
            if rng.random() < 0.6:
                sanitisation.record(session, tech, m.medium.id, method=SanitisationMethod.DESTROY,
                                    technique="shred", tool="HSM Powerline",
                                    verification_method="visual", performed_at=when)
            else:
                tool, version, method, technique, check = rng.choice(TOOLS)
                rec = sanitisation.record(session, tech, m.medium.id, method=method,
                                          technique=technique, tool=tool, tool_version=version,
                                          verification_method=check, performed_at=when)
                sanitisation.verify(session, manager, rec.id)
    if returned or rng.random() < 0.3:
        lifecycle.apply(session, tech, asset.id, "retire")
    else:
        refurbishment.start(session, tech, asset.id)
        lifecycle.apply(session, tech, asset.id, "fail_checks")
    return asset


def fill(session: Session, actor, rng: random.Random, *, closed_batches: int = 4,
         batch_size: tuple[int, int] = (12, 30), waiting: int = 55) -> dict[str, int]:
    """Add the end-of-life demo; `actor` must be allowed to add users (an administrator)."""
    tech = session.scalar(select(User).where(User.role == Role.TECHNICIAN, User.active.is_(True))
                          .order_by(User.id)) or _user(session, actor, "technieker",
                                                       "Tine Technieker", Role.TECHNICIAN)
    manager = session.scalar(select(User).where(User.role == Role.MANAGER, User.active.is_(True))
                             .order_by(User.id)) or _user(session, actor, "manager", "Marc Manager",
                                                          Role.MANAGER)
    second = _user(session, actor, "manager2", "Mieke Vandenbroucke", Role.MANAGER)
    if second.id == manager.id:
        second = _user(session, actor, "manager3", "Pieter Claessens", Role.MANAGER)
    processor = _party(session, manager, PartyType.RECYCLER, PROCESSOR)
    if processors.valid_certification(session, processor) is None:
        processors.add_certification(session, manager, processor.id, "weeelabex",
                                     processors.today().replace(day=1) + dt.timedelta(days=400),
                                     certificate_number="BE-0042")
    carrier = _party(session, manager, PartyType.CARRIER, CARRIER)

    now = utcnow()
    closed = 0
    for n in range(closed_batches):
        pickup = now - dt.timedelta(days=int(330 * (closed_batches - n) / closed_batches),
                                    hours=rng.randint(0, 6))
        batch = disposal.open_batch(session, manager, processor.id, carrier.id)
        for _i in range(rng.randint(*batch_size)):
            asset = _device(session, rng, tech, manager, sanitise=True, before=pickup)
            disposal.add_device(session, tech, batch.id, asset.tag)
        for line in disposal.weight_check(batch):
            # a scale reads a little differently from the sum of catalogue weights
            factor = Decimal(rng.randint(96, 106)) / 100
            disposal.record_weighing(session, tech, batch.id, line.weee_category,
                                     (line.device_kg * factor).quantize(Decimal("0.5")) or Decimal(1))
        disposal.close_batch(session, manager, batch.id, second, picked_up_at=pickup)
        if n < closed_batches - 1:  # the latest pick-up still waits for the processor's paper
            disposal.attach_processor_certificate(
                session, manager, batch.id, processor_pdf(batch.number),
                f"galloo-vernietigingsattest-{batch.number}.pdf", f"GAL-{rng.randint(1000, 9999)}")
        closed += 1

    open_batch = disposal.open_batch(session, manager, processor.id, carrier.id)
    for _i in range(6):
        disposal.add_device(session, tech, open_batch.id,
                            _device(session, rng, tech, manager, sanitise=True).tag)
    for i in range(waiting):
        # a few data-bearing devices still lack a record, so the close shows its refusal
        _device(session, rng, tech, manager, sanitise=i % 11 != 0, returned=i % 9 == 0)
    return {"closed_batches": closed, "open_batches": 1, "awaiting_disposal": waiting}


def processor_pdf(number: str) -> bytes:
    """A small stand-in for the processor's own certificate of destruction."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from .documents.fonts import BOLD, REGULAR

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(BOLD, 16)
    c.drawString(72, 760, "Galloo Recycling — Attest van vernietiging")
    c.setFont(REGULAR, 11)
    c.drawString(72, 730, f"Partij {number}: ontvangen, ontmanteld en gerecycleerd volgens WEEELABEX.")
    c.save()
    return buf.getvalue()
