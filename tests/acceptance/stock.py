"""Stock for the second life and the end of life, made through the services before the window opens.

Each function puts devices in the state a workflow starts from, the way the warehouse gets them
there (bench, wipe, reservation, round, retirement), and returns what the person at the desk
has in hand: the tags on the devices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bench_helpers import answer_checklist, wipe_and_verify
from handover_helpers import laptops_request, ready_device, reserve_all_proposals, school
from sales_helpers import ready_device as sale_ready_device
from sales_helpers import staff_members
from sqlalchemy import select

from app import clock
from app.models import Category, CheckOutcome, MediumKind, Role, User
from app.services import assets, auth, disposal, lifecycle, processors, refurbishment, sales
from app.services.assets import MediumSpec

SECOND_MANAGER = ("max", "mgr-pass-2")


def _users(session) -> tuple[User, User]:
    by_name = {u.username: u for u in session.scalars(select(User))}
    return by_name["tine"], by_name["mia"]


@dataclass(frozen=True)
class Handover:
    reserved: list[str]  # the batch's devices, reserved for the school
    ready: str  # a ready laptop of nobody's handover
    received: str  # a laptop just received, not yet over the bench


def handover_for_a_school(database, devices: int = 3) -> Handover:
    """A school asked for `devices` laptops; the manager reserved them: one batch at the desk."""
    with database.session() as s:
        tine, mia = _users(s)
        tags = [ready_device(s, tine, mia, f"HO-{i}").tag for i in range(devices)]
        request = laptops_request(s, mia, school(s, mia), quantity=devices)
        reserve_all_proposals(s, mia, request)
        spare = ready_device(s, tine, mia, "HO-SPARE").tag
        fresh = assets.register_asset(s, tine, category=Category.LAPTOP, manufacturer="Dell",
                                      model="Latitude 5420", serial="HO-NEW",
                                      media=[MediumSpec(MediumKind.NVME, "HO-NEW-D", 256)]).tag
    return Handover(tags, spare, fresh)


@dataclass(frozen=True)
class SaleRound:
    paid: str  # allocated to Collega0 Achternaam0, who paid
    unpaid: str  # allocated to Collega1 Achternaam1, not paid yet
    unsold: str  # nobody wanted it
    buyer: str


def drawn_sale_round(database, *, newer_round: bool = False) -> SaleRound:
    """A staff round that closed today: one laptop paid, one allocated but unpaid, one unsold.
    `newer_round`: the next round is open already (the page shows the newest round first)."""
    today = clock.today()
    with database.session() as s:
        tine, mia = _users(s)
        devices = [sale_ready_device(s, tine, mia, f"SL-{i}") for i in range(3)]
        people = staff_members(s, mia, 2)
        round_ = sales.open_round(s, mia, "Personeelsverkoop najaar", today - dt.timedelta(days=7),
                                  today, [d.id for d in devices], today=today)
        items = list(round_.items)
        for item, person in zip(items, people, strict=False):
            sales.register_interest(s, tine, item.id, person.id, today=today)
        sales.close_round(s, mia, round_.id, today=today)
        sales.register_payment(s, mia, items[0].id, "transfer")
        if newer_round:
            later = sale_ready_device(s, tine, mia, "SL-NEXT")
            sales.open_round(s, mia, "Personeelsverkoop winter", today, today + dt.timedelta(days=14),
                             [later.id], today=today)
        return SaleRound(*(d.tag for d in devices), buyer="Collega0 Achternaam0")


@dataclass(frozen=True)
class Yard:
    monitors: list[str]  # retired monitors: no data on them
    laptop: str  # failed at the bench, its disk wiped and verified
    ready: str  # a ready laptop: not for the recycler


def disposal_yard(database, *, batch_open: bool = False) -> Yard:
    """A certified processor, a second manager to countersign the pick-up, and devices awaiting
    disposal (two monitors, a laptop that failed its checks after its wipe) beside a ready one.
    `batch_open`: the manager opened a batch for the processor already."""
    with database.session() as s:
        tine, mia = _users(s)
        admin = s.scalars(select(User).where(User.role == Role.ADMIN)).first()
        auth.add_user(s, admin, SECOND_MANAGER[0], "Max Tweede", Role.MANAGER, SECOND_MANAGER[1])
        processor = processors.create_processor(
            s, mia, name="Galloo Recycling", enterprise_number="0403170701",
            registration_number="OVAM 1", street="Wervikstraat 1", postcode="8930", city="Menen")
        processors.add_certification(s, mia, processor.id, "r2", dt.date(2099, 1, 1))
        monitors = []
        for serial in ("MON-1", "MON-2"):
            monitor = assets.register_asset(s, tine, category=Category.MONITOR, manufacturer="Dell",
                                            model="P2419H", serial=serial)
            lifecycle.apply(s, mia, monitor.id, "retire")
            monitors.append(monitor.tag)
        laptop = assets.register_asset(s, tine, category=Category.LAPTOP, manufacturer="Dell",
                                       model="Latitude E7450", serial="BROKEN-1",
                                       media=[MediumSpec(MediumKind.SSD, "BROKEN-1-D", 256)])
        refurbishment.start(s, tine, laptop.id)
        answer_checklist(s, tine, laptop.id, CheckOutcome.FAIL)
        wipe_and_verify(s, tine, mia, laptop.id)
        refurbishment.fail_checks(s, tine, laptop.id)
        ready = ready_device(s, tine, mia, "STILL-GOOD").tag
        if batch_open:
            disposal.open_batch(s, mia, processor.id)
    return Yard(monitors, laptop.tag, ready)
