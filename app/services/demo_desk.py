"""The demo's eighteen months, carried out: every step of `demo_history`'s plan through the
services a technician or manager would use, with the app's clock set to the day and hour.

The desk keeps the agenda and the clock, and does the intake and the bench: lots with their
receipts, shelves, the checklist, the wipe and its four-eyes verification, the grade (with the
purchase data from the service's register), pass or fail, devices coming back after their
second life. The hand-offs — handovers, sale rounds, disposal pick-ups — are in `demo_exits`.
Nothing is written around the services, so the audit trail and the documents of a demo are
those a real warehouse would have; the clock only ever moves forward.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from .. import clock
from ..models import (
    Asset,
    AssetStatus,
    CheckOutcome,
    Grade,
    Location,
    Party,
    SanitisationMethod,
    StaffMember,
    User,
)
from ..timefmt import BRUSSELS
from . import (
    assets,
    auth,
    intake,
    lifecycle,
    moves,
    processors,
    refurbishment,
    sanitisation,
)
from .assets import MediumSpec
from .demo_history import Device, Lot, Plan

S = AssetStatus
COURIERS = ["Koen (logistiek)", "Sarah (onthaal)", "Dirk (technische dienst)", "Inge (secretariaat)",
            "Transportdienst provincie", None]
GRADES = [Grade.A, Grade.B, Grade.B, Grade.B, Grade.C, Grade.C, Grade.D]
# Hours of the working day (Brussels) at which each kind of work is done (the hand-offs' hours
# are in demo_exits).
INTAKE, BENCH_START, BENCH_END, OFFICE = 8, 9.5, 10.5, 16


@dataclass
class People:
    tech: User
    former_tech: User  # did intake in the first months, then left the province
    manager: User
    second: User  # the second manager: four-eyes close of a disposal batch
    admin: User  # disables the former technician's account
    left_on: dt.date


@dataclass
class Refs:
    services: list[Party]
    recipients: dict[str, list[Party]]  # school, charity, public_body, service
    shelves: list[Location]
    staff: list[StaffMember]
    processor: Party
    carrier: Party


class Desk:
    """Runs the agenda day by day: each step is a service call at its hour on its day."""

    def __init__(self, session, plan: Plan, people: People, refs: Refs, rng: random.Random,
                 history: clock.FixedClock, end: dt.datetime,
                 progress: Callable[[int, int], None] | None, total: int) -> None:
        self.s, self.plan, self.people, self.refs, self.rng = session, plan, people, refs, rng
        self.clock, self.end, self.progress, self.total = history, end, progress, total
        self.cal = plan.calendar
        # timing noise has its own stream: the desk's choices stay the same whatever the minutes
        self.jitter = random.Random(rng.random())
        self.agenda: dict[dt.date, list[tuple[float, int, Callable[[], None]]]] = defaultdict(list)
        self._seq = itertools.count()
        self.done = 0
        self.day: dt.date | None = None  # the day being worked, once the history runs
        self.by_target: dict[str, list[Device]] = defaultdict(list)
        for d in plan.devices:
            self.by_target[d.target].append(d)
        self.grades: dict[int, Grade] = {}

    # --- the clock and the agenda ------------------------------------------------------------

    def at(self, day: dt.date, hour: float, step: Callable[[], None]) -> None:
        """Do `step` on `day` at `hour`; a day already past means the next working day, and a
        day after the history's last is left to the future (the demo ends before it)."""
        if self.day is not None and day < self.day:
            day = self.cal.shift(self.day, 1)
        if day > self.cal.last:
            return
        heapq.heappush(self.agenda[day], (hour, next(self._seq), step))

    def _limit(self) -> dt.datetime:
        evening = dt.datetime.combine(self.day, dt.time(23), tzinfo=BRUSSELS).astimezone(dt.UTC)
        return min(evening, self.end - dt.timedelta(minutes=1))

    def _to(self, hour: float) -> None:
        start = dt.datetime.combine(self.day, dt.time(int(hour), int(hour % 1 * 60)),
                                    tzinfo=BRUSSELS).astimezone(dt.UTC)
        moment = min(start + dt.timedelta(minutes=self.jitter.randint(0, 20)), self._limit())
        if moment > self.clock.now():
            self.clock.set(moment)

    def tick(self, low: int = 1, high: int = 4) -> None:
        """A few minutes pass between two things a person does (never past the evening)."""
        now = self.clock.now()
        later = now + dt.timedelta(minutes=self.jitter.randint(low, high),
                                   seconds=self.jitter.randint(0, 59))
        self.clock.set(max(now, min(later, self._limit())))

    def run(self) -> None:
        for day in self.cal.days:
            self.day = day
            todo = self.agenda.get(day)
            while todo:  # a step may add another for later the same day
                hour, _seq, step = heapq.heappop(todo)
                self._to(hour)
                step()
            self.agenda.pop(day, None)

    def statuses(self, devices: list[Device]) -> dict[int, AssetStatus]:
        ids = [d.asset_id for d in devices if d.asset_id is not None]
        out: dict[int, AssetStatus] = {}
        for start in range(0, len(ids), 500):
            out.update(self.s.execute(select(Asset.id, Asset.status)
                                      .where(Asset.id.in_(ids[start:start + 500]))).all())
        return out

    def waiting(self, targets: tuple[str, ...], status: AssetStatus, before: dt.date) -> list[Device]:
        """Devices meant for one of `targets`, now in `status`, free to go before `before`."""
        pool = [d for t in targets for d in self.by_target[t]
                if d.free_on is not None and d.free_on < before]
        now = self.statuses(pool)
        return sorted((d for d in pool if now.get(d.asset_id) == status),
                      key=lambda d: d.asset_id)

    # --- planning the agenda -----------------------------------------------------------------

    def schedule(self) -> None:
        p = self.plan
        for lot in p.lots:
            self.at(lot.day, INTAKE, lambda lot=lot: self.receive_lot(lot))
            for d in lot.devices:
                if d.retire:
                    self.at(d.done_on, BENCH_END, lambda d=d: self.retire(d))
                    continue
                if d.bench_on is not None:
                    self.at(d.bench_on, BENCH_START, lambda d=d: self.bench_start(d))
                if d.done_on is not None:
                    self.at(d.done_on, BENCH_END, lambda d=d: self.bench_finish(d))
        for day, d, service in p.announced:
            self.at(day, INTAKE, lambda d=d, s=service: self.announce(d, s))
        self.at(self.people.left_on, OFFICE, self.former_technician_leaves)
        renewal = self.cal.on_or_after(p.start + dt.timedelta(days=372))
        self.at(renewal, OFFICE, self.renew_certification)
        if p.second_life:
            from .demo_exits import Handovers, Pickups, SaleRounds

            for part in (Handovers(self), SaleRounds(self), Pickups(self)):
                part.schedule()

    # --- intake ------------------------------------------------------------------------------

    def _purchase(self, d: Device) -> dict:
        bought = d.arrival - dt.timedelta(days=d.age_days)
        cost = Decimal(d.model[7]) * d.cost_pct / 100
        return {"purchase_date": bought, "purchase_cost": cost.quantize(Decimal("0.01")),
                "warranty_end": bought + dt.timedelta(days=3 * 365)}

    def _form(self, d: Device) -> intake.DeviceForm:
        cat, make, model, cpu, ram, storage, screen, _cost, weight, medium, _style = d.model
        media = [MediumSpec(medium, d.disk_serial, storage)] if medium else []
        return intake.DeviceForm(serial=d.serial, category=cat, manufacturer=make, model=model,
                                 cpu=cpu or None, ram_gb=ram, storage_gb=storage,
                                 screen_inch=Decimal(screen) if screen else None,
                                 weight_kg=Decimal(weight), data_bearing=bool(media), media=media)

    def _counted(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)

    def receive_lot(self, lot: Lot) -> None:
        p = self.people
        before = self.day < p.left_on
        tech = p.former_tech if before and (lot is self.plan.lots[0] or self.rng.random() < 0.4) \
            else p.tech
        row = intake.open_lot(self.s, tech, self.refs.services[lot.service].id,
                              delivered_by=self.rng.choice(COURIERS))
        self.tick()
        for d in lot.devices:
            asset = intake.receive(self.s, tech, row.id, self._form(d))
            d.asset_id, d.tag = asset.id, asset.tag
            self.tick(0, 2)
            self._counted()
        if lot.stays_open:  # still being scanned when the demo ends: no receipt yet
            return
        intake.close_lot(self.s, tech, row.id)
        self.tick()
        shelf = self.rng.choice(self.refs.shelves)
        for d in lot.devices:  # the trolley goes to a shelf
            moves.move_by_scan(self.s, tech, shelf.code, d.tag)
            self.tick(0, 1)

    def announce(self, d: Device, service: int) -> None:
        """A service announces a device it will deliver (from its asset register)."""
        d.arrival = self.day
        cat, make, model, cpu, ram, storage, screen, _cost, weight, medium, _style = d.model
        asset = assets.register_asset(
            self.s, self.people.tech, category=cat, manufacturer=make, model=model,
            serial=d.serial, announced=True,
            media=[MediumSpec(medium, d.disk_serial, storage)] if medium else [],
            cpu=cpu or None, ram_gb=ram, storage_gb=storage,
            screen_inch=Decimal(screen) if screen else None, weight_kg=Decimal(weight),
            origin_service_id=self.refs.services[service].id, **self._purchase(d))
        d.asset_id, d.tag = asset.id, asset.tag
        self.tick(0, 2)
        self._counted()

    def take_back(self, service: Party, devices: list[Device]) -> None:
        tech = self.people.tech
        lot = intake.open_lot(self.s, tech, service.id, delivered_by=self.rng.choice(COURIERS),
                              notes="Terug na gebruik in de dienst.")
        for d in devices:
            intake.take_back(self.s, tech, lot.id, d.asset_id)
            self.tick(0, 2)
        intake.close_lot(self.s, tech, lot.id)
        self.tick()

    # --- the bench ---------------------------------------------------------------------------

    def _answers(self, d: Device, failing: bool, share: float = 1.0) -> None:
        checklist = refurbishment.checklist_for(d.model[0])
        items = list(checklist.items)[:max(1, int(len(checklist.items) * share))]
        bad = self.rng.choice([i for i in items if i.required] or items) if failing else None
        answers = [refurbishment.Answer(
            i.key, CheckOutcome.FAIL if bad is not None and i.key == bad.key else CheckOutcome.PASS,
            str(self.rng.randint(80, 98)) if i.kind == "number" else None) for i in items]
        refurbishment.record_items(self.s, self.people.tech, d.asset_id, answers)
        self.tick(3, 12)

    def bench_start(self, d: Device) -> None:
        refurbishment.start(self.s, self.people.tech, d.asset_id)
        self.tick()
        if d.target == "in_refurbishment" and self.rng.random() < 0.7:
            self._answers(d, failing=False, share=0.5)  # waiting for a part, half checked

    def bench_finish(self, d: Device) -> None:
        tech, boss = self.people.tech, self.people.manager
        if d.target in ("awaiting_disposal", "disposed"):
            self._answers(d, failing=True)
            refurbishment.fail_checks(self.s, tech, d.asset_id)
            self.tick()
            return
        self._answers(d, failing=False)
        from .demo import TOOLS

        for medium in self.s.get(Asset, d.asset_id).media:
            tool, version, method, technique, check = self.rng.choice(TOOLS)
            rec = sanitisation.record(self.s, tech, medium.id, method=method, technique=technique,
                                      tool=tool, tool_version=version, verification_method=check)
            self.tick(20, 90)  # the wipe runs
            sanitisation.verify(self.s, boss, rec.id)
            self.tick()
        grade = self.rng.choice(GRADES)
        self.grades[d.asset_id] = grade
        # the device's record is completed with its grade, and its purchase data when the
        # service's asset register has them (the price of a sale is reckoned from them)
        asset = self.s.get(Asset, d.asset_id)
        assets.edit_asset(self.s, tech, asset.id, asset.version, grade=grade,
                          **(self._purchase(d) if d.in_register else {}))
        refurbishment.pass_checks(self.s, tech, d.asset_id)
        self.tick()

    def retire(self, d: Device) -> None:
        """Too old or too broken to be worth checking: straight to awaiting disposal."""
        lifecycle.apply(self.s, self.people.tech, d.asset_id, "retire")
        self.tick()

    def shred(self, d: Device) -> None:
        """The disks go through the shredder before the device goes into the recycler's cage."""
        for medium in self.s.get(Asset, d.asset_id).media:
            if not medium.removed:
                sanitisation.record(self.s, self.people.tech, medium.id,
                                    method=SanitisationMethod.DESTROY, technique="shred",
                                    tool="HSM Powerline", verification_method="visual")
                self.tick(0, 2)

    # --- the office ----------------------------------------------------------------------------

    def former_technician_leaves(self) -> None:
        auth.set_active(self.s, self.people.admin, self.people.former_tech.id, False)
        self.tick()

    def renew_certification(self) -> None:
        processors.add_certification(self.s, self.people.manager, self.refs.processor.id,
                                     "weeelabex", self.day + dt.timedelta(days=3 * 365),
                                     certificate_number="BE-0042-R")
        self.tick()

