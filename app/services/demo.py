"""Demo data: a realistic warehouse with devices in every lifecycle state.

Everything is created through the same services as real work (register,
lifecycle transitions, moves), so the audit trail of a demo database is as
complete and verifiable as a real one. `seed` makes a run reproducible.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..models import (
    Category,
    CheckOutcome,
    Grade,
    Location,
    MediumKind,
    Party,
    PartyType,
    Role,
    SanitisationMethod,
    User,
)
from . import assets, auth, lifecycle, locations, parties, refurbishment, sanitisation
from .assets import MediumSpec
from .permissions import require
from .uow import unit_of_work

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
STAFF = [("An Peeters", "P10234"), ("Jan Maes", "P10871"), ("Sofie Claes", "P11452"),
         ("Tom Wouters", "P12007")]

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

# The path each target status takes from "received"; weights give a plausible warehouse.
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


def _reference_data(session: Session, actor):
    have = {p.name for p in session.scalars(select(Party))}
    for name in SERVICES:
        if name not in have:
            parties.create_party(session, actor, PartyType.SERVICE, name=name)
    for kind, rows in ((PartyType.SCHOOL, SCHOOLS), (PartyType.CHARITY, CHARITIES)):
        for name, street, postcode, city in rows:
            if name not in have:
                parties.create_party(session, actor, kind, name=name, street=street,
                                     postcode=postcode, city=city)
    for name, number in STAFF:
        if name not in have:
            parties.create_party(session, actor, PartyType.STAFF, name=name, staff_number=number,
                                 email=name.lower().replace(" ", ".") + "@provincie.example")
    codes = set(session.scalars(select(Location.code)))
    for zone in "ABC":
        for rack in ("01", "02"):
            for shelf in ("1", "2", "3"):
                if locations.location_code(zone, rack, shelf) not in codes:
                    locations.create_location(session, actor, "Centraal magazijn", zone, rack, shelf)
    by_type = {t: list(session.scalars(select(Party).where(Party.type == t))) for t in PartyType}
    return by_type, list(session.scalars(select(Location)))


TOOLS = [("nwipe", "0.37", SanitisationMethod.CLEAR, "overwrite", "verify last pass"),
         ("Blancco Drive Eraser", "8.1", SanitisationMethod.PURGE, "crypto_erase", "full read-back"),
         ("hdparm", "9.65", SanitisationMethod.PURGE, "secure_erase", "sampled read-back")]


def _bench_work(session: Session, rng: random.Random, tech: User, manager: User, asset, step: str):
    """What the bench does before a transition: checklist, wipe and its verification, shredding."""
    if step in ("pass_checks", "fail_checks"):
        checklist = refurbishment.checklist_for(asset.category)
        failing = step == "fail_checks" and checklist.items and rng.choice(
            [i for i in checklist.items if i.required] or checklist.items)
        answers = [refurbishment.Answer(
            i.key, CheckOutcome.FAIL if failing and i.key == failing.key else CheckOutcome.PASS,
            str(rng.randint(80, 98)) if i.kind == "number" else None) for i in checklist.items]
        refurbishment.record_items(session, tech, asset.id, answers)
    if step == "pass_checks":
        for medium in asset.media:
            tool, version, method, technique, check = rng.choice(TOOLS)
            rec = sanitisation.record(session, tech, medium.id, method=method, technique=technique,
                                      tool=tool, tool_version=version, verification_method=check)
            sanitisation.verify(session, manager, rec.id)
    if step == "dispose":
        for medium in asset.media:
            if not medium.removed:
                sanitisation.record(session, tech, medium.id, method=SanitisationMethod.DESTROY,
                                    technique="shred", tool="HSM Powerline", verification_method="visual")


def fill(session: Session, actor, n_assets: int, seed: int = 1,
         progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Create `n_assets` devices spread over every lifecycle state; return the count per state."""
    require(actor, "demo.fill")
    rng = random.Random(seed)
    tech = _user(session, actor, "technieker", "Tine Technieker", Role.TECHNICIAN)
    manager = _user(session, actor, "manager", "Marc Manager", Role.MANAGER)
    by_type, locs = _reference_data(session, manager)
    recipients = by_type[PartyType.SCHOOL] + by_type[PartyType.CHARITY] + by_type[PartyType.SERVICE]
    counts: dict[str, int] = {}
    today = clock.today()
    weights = [w for _, w, _ in PATHS]
    for i in range(n_assets):
        (cat, make, model, cpu, ram, storage, screen, cost, weight, medium, style) = rng.choice(MODELS)
        # the first rows cover every state, so even a tiny demo shows them all
        target, _weight, steps = PATHS[i] if i < len(PATHS) else rng.choices(PATHS, weights)[0]
        bought = today - dt.timedelta(days=rng.randint(365, 9 * 365))
        media = [MediumSpec(medium, _serial(rng, "dell"), storage)] if medium else []
        asset = None
        for _attempt in range(5):  # a random serial may, rarely, repeat
            serial = _serial(rng, style)
            if assets.find_by_serial(session, make, serial) is None:
                asset = assets.register_asset(
                    session, tech, category=cat, manufacturer=make, model=model, serial=serial,
                    media=media, announced=target == "announced",
                    cpu=cpu or None, ram_gb=ram, storage_gb=storage,
                    screen_inch=Decimal(screen) if screen else None, purchase_date=bought,
                    purchase_cost=Decimal(cost) * Decimal(rng.randint(90, 110)) / 100,
                    warranty_end=bought + dt.timedelta(days=3 * 365), weight_kg=Decimal(weight),
                    origin_service_id=rng.choice(by_type[PartyType.SERVICE]).id,
                    location_id=rng.choice(locs).id if target != "announced" else None,
                )
                break
        if asset is None:
            continue
        for step in steps:
            actor_for_step = manager if step in ("reserve", "transfer", "sell", "dispose") else tech
            _bench_work(session, rng, tech, manager, asset, step)
            with unit_of_work(session, actor_for_step, step, permission=f"lifecycle.{step}"):
                if step == "pass_checks":
                    asset.grade = rng.choice([Grade.A, Grade.B, Grade.B, Grade.C, Grade.D])
                ctx: dict = {"purpose": "sale" if "sell" in steps else "handover",
                             "labels_removed": True}
                if step == "transfer":
                    ctx["recipient"] = rng.choice(recipients)
                if step == "sell":
                    ctx["recipient"] = rng.choice(by_type[PartyType.STAFF])
                lifecycle.enter(session, asset, step, actor_for_step, ctx)
        counts[asset.status.value] = counts.get(asset.status.value, 0) + 1
        if progress:
            progress(i + 1, n_assets)
    return counts


def workflows(session: Session, actor, seed: int = 1) -> dict[str, int]:
    """The workflows on top of `fill`'s devices: more users, a school's request for 10 laptops,
    sale rounds for staff, disposal batches with certificates. Returns the devices per state after."""
    from sqlalchemy import func

    from ..models import Asset
    from . import disposal, handovers, sales

    require(actor, "demo.fill")
    rng = random.Random(seed)
    manager = _user(session, actor, "manager", "Marc Manager", Role.MANAGER)
    auth.demo_users(session, actor, rng)
    handovers.demo_handovers(session, manager, rng)
    ready = session.scalar(select(func.count()).select_from(Asset).where(Asset.status == "ready"))
    if ready >= 4:  # half of the ready stock at most: some stays on show as ready
        sales.demo_sales(session, manager, rng, devices=min(20, ready // 2))
    disposal.demo_disposal(session, actor, rng)
    return {status.value: n for status, n in
            session.execute(select(Asset.status, func.count()).group_by(Asset.status))}
