"""Demo data: eighteen months of a realistic warehouse, ending now, with devices in every state.

`fill` plans the history (services/demo_history.py: lots, fates, the rhythm of handovers, sale
rounds and pick-ups) and carries it out (services/demo_desk.py and demo_exits.py) through the
same services as real work, with the app's clock (app/clock.py) set to each day of those months
and restored afterwards. So the lots have their receipts, the handovers their certificates, the sales their
receipts and the pick-ups their EOL certificates, and the audit trail of a demo database is as
complete and verifiable as a real one — and dated: days in stock, monthly figures and stale
stock have something to show. `workflows` adds what belongs to today: the other users and an
open request. `seed` makes a run reproducible, but for who wins the staff sale draws: those
take a fresh seed, recorded on the round, as at the real desk.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock
from ..models import (
    Asset,
    Category,
    Location,
    MediumKind,
    Party,
    PartyType,
    Role,
    SanitisationMethod,
    StaffMember,
    User,
)
from ..timefmt import BRUSSELS
from . import auth, demo_history, locations, parties, processors, staff
from .demo_desk import Desk, People, Refs
from .permissions import require

DEMO_PASSWORD = "demo-wachtwoord"

SERVICES = [
    "Dienst Mobiliteit", "Departement Onderwijs", "Dienst Financiën", "Provinciaal Archief",
    "Dienst Welzijn", "Dienst Communicatie", "Dienst Ruimtelijke Planning", "Dienst Erfgoed",
    "Provinciale Bibliotheek", "ICT-dienst", "Griffie", "Dienst Economie",
]
SCHOOLS = [
    ("Basisschool De Regenboog", "Kerkstraat 12", "9000", "Gent"),
    ("Provinciaal Technisch Instituut", "Stationslaan 4", "8500", "Kortrijk"),
    ("GO! Atheneum Zottegem", "Bevegemstraat 1", "9620", "Zottegem"),
]
CHARITIES = [
    ("Digitaal Talent vzw", "Dok Noord 7", "9000", "Gent"),
    ("Computers voor Iedereen vzw", "Brugse Poort 21", "9000", "Gent"),
]
PUBLIC_BODIES = [("OCMW Wetteren", "Markt 1", "9230", "Wetteren")]
# Staff members who take part in the sale rounds.
STAFF_FIRST = ["An", "Jan", "Sofie", "Tom", "Els", "Pieter", "Lotte", "Wim", "Nathalie", "Koen",
               "Sarah", "Bart", "Inge", "Dirk", "Fatima", "Youssef", "Hanne", "Ruben", "Marie", "Stijn"]
STAFF_LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
              "Wouters", "De Smet", "Dubois", "Vermeulen", "Van den Broeck", "El Amrani", "Lambrecht"]
STAFF_SERVICES = ["Dienst Mobiliteit", "Dienst Financiën", "Provinciaal Archief", "Dienst Welzijn",
                  "Griffie", "ICT-dienst"]
STAFF_MEMBERS = 30
# The users the history works with (the others come with `workflows`, see auth.DEMO_USERS).
HISTORY_USERS = [("beheerder", "Bart Beheerder", Role.ADMIN),  # disables the leaver's account
                 ("technieker", "Tine Technieker", Role.TECHNICIAN),
                 ("manager", "Marc Manager", Role.MANAGER),
                 ("manager2", "Sofie Tweede", Role.MANAGER),  # countersigns pick-ups
                 ("oud-technieker", "Piet Vroeger", Role.TECHNICIAN)]  # leaves after nine months
FORMER_TECHNICIAN_LEAVES_AFTER = dt.timedelta(days=270)

# (category, manufacturer, model, cpu, ram, storage, screen, cost, weight, media kind, serial style)
MODELS = [
    (Category.LAPTOP, "Dell", "Latitude 5420", "Intel Core i5-1145G7", 16, 256, "14.0", 1150, "1.4", MediumKind.NVME, "dell"),
    (Category.LAPTOP, "Dell", "Latitude 7490", "Intel Core i7-8650U", 16, 512, "14.0", 1400, "1.4", MediumKind.SSD, "dell"),
    (Category.LAPTOP, "HP", "EliteBook 840 G8", "Intel Core i5-1135G7", 16, 512, "14.0", 1250, "1.3", MediumKind.NVME, "hp"),
    (Category.LAPTOP, "HP", "ProBook 450 G7", "Intel Core i5-10210U", 8, 256, "15.6", 850, "1.8", MediumKind.SSD, "hp"),
    (Category.LAPTOP, "Lenovo", "ThinkPad T14 Gen 2", "AMD Ryzen 5 PRO 5650U", 16, 512, "14.0", 1200, "1.5", MediumKind.NVME, "lenovo"),
    (Category.LAPTOP, "Lenovo", "ThinkPad X1 Carbon Gen 9", "Intel Core i7-1165G7", 16, 512, "14.0", 1900, "1.1", MediumKind.NVME, "lenovo"),
    (Category.LAPTOP, "Apple", "MacBook Air M1 (2020)", "Apple M1", 8, 256, "13.3", 1100, "1.3", MediumKind.NVME, "apple"),
    (Category.DESKTOP, "Dell", "OptiPlex 7070 Micro", "Intel Core i5-9500T", 8, 256, "", 750, "1.2", MediumKind.SSD, "dell"),
    (Category.DESKTOP, "HP", "EliteDesk 800 G4 SFF", "Intel Core i5-8500", 8, 500, "", 700, "5.1", MediumKind.HDD, "hp"),
    (Category.DESKTOP, "Lenovo", "ThinkCentre M720q", "Intel Core i5-8400T", 8, 256, "", 650, "1.3", MediumKind.SSD, "lenovo"),
    (Category.MONITOR, "Dell", "P2419H", "", None, None, "23.8", 210, "5.3", None, "dell"),
    (Category.MONITOR, "HP", "E24 G4", "", None, None, "23.8", 190, "5.0", None, "hp"),
    (Category.MONITOR, "Lenovo", "ThinkVision T24i-20", "", None, None, "23.8", 200, "5.6", None, "lenovo"),
    (Category.SMARTPHONE, "Apple", "iPhone SE (2020)", "Apple A13", 3, 64, "4.7", 420, "0.15", MediumKind.FLASH, "imei"),
    (Category.SMARTPHONE, "Fairphone", "Fairphone 4", "Snapdragon 750G", 6, 128, "6.3", 580, "0.23", MediumKind.FLASH, "imei"),
    (Category.SMARTPHONE, "Fairphone", "Fairphone 3+", "Snapdragon 632", 4, 64, "5.7", 470, "0.19", MediumKind.FLASH, "imei"),
    (Category.TABLET, "Apple", "iPad (9th generation)", "Apple A13", 3, 64, "10.2", 390, "0.49", MediumKind.FLASH, "apple"),
    (Category.PRINTER, "HP", "LaserJet Pro M404dn", "", None, None, "", 320, "8.6", MediumKind.FLASH, "hp"),
    (Category.NETWORK, "HP", "Aruba 2530-24G", "", None, None, "", 900, "3.2", MediumKind.FLASH, "hp"),
    (Category.SERVER, "Dell", "PowerEdge R640", "Intel Xeon Silver 4114", 64, 1200, "", 6500, "21.9", MediumKind.HDD, "dell"),
]

# The path each target status takes from "received"; weights give a plausible warehouse
# (demo_history pairs them with arrival dates, demo_desk walks them through the services).
PATHS: list[tuple[str, float, list[str]]] = [
    ("announced", 3, []),
    ("received", 12, []),
    ("in_refurbishment", 9, ["start_checks"]),
    ("ready", 25, ["start_checks", "pass_checks"]),
    ("reserved", 8, ["start_checks", "pass_checks", "reserve"]),
    ("transferred", 15, ["start_checks", "pass_checks", "reserve", "transfer"]),
    ("sold", 7, ["start_checks", "pass_checks", "reserve", "sell"]),
    ("awaiting_disposal", 8, ["start_checks", "fail_checks"]),
    ("returned", 3, ["start_checks", "pass_checks", "reserve", "transfer", "return_after_second_life"]),
    ("disposed", 10, ["start_checks", "fail_checks", "dispose"]),
]


def _serial(rng: random.Random, style: str) -> str:
    alnum = string.ascii_uppercase + string.digits
    if style == "dell":
        return "".join(rng.choices(alnum, k=7))
    if style == "hp":
        return "5CG" + "".join(rng.choices(string.digits, k=3)) + "".join(rng.choices(alnum, k=4))
    if style == "lenovo":
        return "PF" + "".join(rng.choices(alnum, k=6))
    if style == "apple":
        return "C02" + "".join(rng.choices(alnum, k=9))
    return "35" + "".join(rng.choices(string.digits, k=13))  # an IMEI-like number


def _user(session: Session, actor, username: str, name: str, role: Role) -> User:
    existing = session.scalar(select(User).where(User.username == username))
    return existing or auth.add_user(session, actor, username, name, role, DEMO_PASSWORD)


def _party(session: Session, actor, kind: PartyType, **fields) -> Party:
    found = session.scalar(select(Party).where(Party.type == kind, Party.name == fields["name"]))
    return found or parties.create_party(session, actor, kind, **fields)


def _reference_data(session: Session, actor):
    for name in SERVICES:
        _party(session, actor, PartyType.SERVICE, name=name)
    for kind, rows in ((PartyType.SCHOOL, SCHOOLS), (PartyType.CHARITY, CHARITIES),
                       (PartyType.PUBLIC_BODY, PUBLIC_BODIES)):
        for name, street, postcode, city in rows:
            _party(session, actor, kind, name=name, street=street, postcode=postcode, city=city)
    codes = set(session.scalars(select(Location.code)))
    for zone in "ABC":
        for rack in ("01", "02"):
            for shelf in ("1", "2", "3"):
                if locations.location_code(zone, rack, shelf) not in codes:
                    locations.create_location(session, actor, "Centraal magazijn", zone, rack, shelf)
    by_type = {t: list(session.scalars(select(Party).where(Party.type == t).order_by(Party.id)))
               for t in PartyType}
    return by_type, list(session.scalars(select(Location).order_by(Location.id)))


def _staff(session: Session, manager, rng: random.Random, devices: int) -> list[StaffMember]:
    members = []
    for n in range(min(STAFF_MEMBERS, max(8, devices // 4))):  # a small demo, fewer buyers
        name = f"{rng.choice(STAFF_FIRST)} {rng.choice(STAFF_LAST)}"
        number = f"P{20000 + n}"
        members.append(staff.by_staff_number(session, number) or staff.add_staff_member(
            session, manager, name, number,
            f"{name.lower().replace(' ', '.')}.{n}@provincie.example", rng.choice(STAFF_SERVICES)))
    return members


def _recycler(session: Session, manager, valid_until: dt.date) -> tuple[Party, Party]:
    from .disposal_demo import CARRIER, PROCESSOR

    def find(kind: PartyType, fields: dict) -> Party | None:
        return session.scalar(select(Party).where(Party.type == kind, Party.name == fields["name"]))

    processor = find(PartyType.RECYCLER, PROCESSOR) or processors.create_processor(
        session, manager, **PROCESSOR)
    if processors.valid_certification(session, processor) is None:
        processors.add_certification(session, manager, processor.id, "weeelabex", valid_until,
                                     certificate_number="BE-0042")
    carrier = find(PartyType.CARRIER, CARRIER) or processors.create_carrier(session, manager,
                                                                           **CARRIER)
    return processor, carrier


TOOLS = [("nwipe", "0.37", SanitisationMethod.CLEAR, "overwrite", "verify last pass"),
         ("Blancco Drive Eraser", "8.1", SanitisationMethod.PURGE, "crypto_erase", "full read-back"),
         ("hdparm", "9.65", SanitisationMethod.PURGE, "secure_erase", "sampled read-back")]


def _first_morning(plan: demo_history.Plan) -> dt.datetime:
    day = plan.calendar.days[0]
    return dt.datetime.combine(day, dt.time(7, 30), tzinfo=BRUSSELS).astimezone(dt.UTC)


def _cast(session: Session, actor, plan: demo_history.Plan, rng: random.Random) -> tuple[People, Refs]:
    """The users and the reference data, as they were on the history's first morning."""
    users = {u: _user(session, actor, u, name, role) for u, name, role in HISTORY_USERS}
    manager = users["manager"]
    by_type, shelves = _reference_data(session, manager)
    members = _staff(session, manager, rng, len(plan.devices))
    processor, carrier = _recycler(session, manager, plan.start + dt.timedelta(days=400))
    left_on = plan.calendar.on_or_after(plan.start + FORMER_TECHNICIAN_LEAVES_AFTER)
    services = [p for p in by_type[PartyType.SERVICE] if p.name in SERVICES]
    services.sort(key=lambda p: SERVICES.index(p.name))
    recipients = {"school": by_type[PartyType.SCHOOL], "charity": by_type[PartyType.CHARITY],
                  "public_body": by_type[PartyType.PUBLIC_BODY], "service": services}
    people = People(users["technieker"], users["oud-technieker"], manager, users["manager2"],
                    users["beheerder"], left_on)
    return people, Refs(services, recipients, shelves, members, processor, carrier)


def fill(session: Session, actor, n_assets: int, seed: int = 1,
         progress: Callable[[int, int], None] | None = None, *,
         second_life: bool = True) -> dict[str, int]:
    """Eighteen months of history ending now, with `n_assets` devices spread over every
    lifecycle state; return the count per state of those devices.

    `second_life=False` keeps to intake and the bench: nothing is handed over, sold or disposed
    of. The clock is the app's own again afterwards, also when something fails half-way.
    """
    require(actor, "demo.fill")
    end = clock.now()
    plan = demo_history.plan(n_assets, seed, clock.today(), models=MODELS, paths=PATHS,
                             serial=_serial, second_life=second_life, services=len(SERVICES))
    _dev, _cal, rng = demo_history.streams(seed)
    history = clock.FixedClock(_first_morning(plan))
    with clock.use(history):
        people, refs = _cast(session, actor, plan, rng)
        _unique_serials(session, plan)
        desk = Desk(session, plan, people, refs, rng, history, end, progress, n_assets)
        desk.schedule()
        desk.run()
    ids = [d.asset_id for d in plan.devices] + [d.asset_id for _day, d, _s in plan.announced]
    counts: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        for status, n in session.execute(select(Asset.status, func.count())
                                         .where(Asset.id.in_(ids[start:start + 500]))
                                         .group_by(Asset.status)):
            counts[status.value] = counts.get(status.value, 0) + n
    return counts


def _unique_serials(session: Session, plan: demo_history.Plan) -> None:
    """A second demo in the same database: a serial already there gets a suffix (the intake
    desk would open the existing device instead)."""
    from .assets import find_by_serial

    devices = plan.devices + [d for _day, d, _s in plan.announced]
    seen: set[tuple[str, str]] = set()
    for d in devices:
        make, base, n = d.model[1], d.serial, 1
        while (make, d.serial) in seen or find_by_serial(session, make, d.serial) is not None:
            n += 1
            d.serial = f"{base}-{n}"
        seen.add((make, d.serial))


def workflows(session: Session, actor, seed: int = 1) -> dict[str, int]:
    """What belongs to today on top of `fill`'s history: the other users (an auditor, an intern
    who mistyped a password) and a school's open request for ten laptops that ready stock can
    meet. Returns the devices per state."""
    from . import handovers

    require(actor, "demo.fill")
    rng = random.Random(seed)
    manager = _user(session, actor, "manager", "Marc Manager", Role.MANAGER)
    auth.demo_users(session, actor, rng)
    handovers.demo_handovers(session, manager, rng)
    return {status.value: n for status, n in
            session.execute(select(Asset.status, func.count()).group_by(Asset.status))}


def accounts(session: Session) -> list[User]:
    """Every demo account in the database, in the order the closing message lists them."""
    names = [u for u, _name, _role in HISTORY_USERS] + [
        u for u, *_rest in auth.DEMO_USERS if u not in {h for h, _n, _r in HISTORY_USERS}]
    found = {u.username: u for u in session.scalars(select(User).where(User.username.in_(names)))}
    return [found[n] for n in names if n in found]
