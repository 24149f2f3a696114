"""The demo history's hand-offs: handovers, staff sale rounds and disposal pick-ups.

Each is one workflow of `demo_desk.Desk`'s agenda: on its days it takes the devices whose fate
it is (and that are ready for it) through the services, issuing the certificates, receipts and
EOL certificates the real desk would. Kept apart from the desk, which receives and benches.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from ..models import AssetStatus, Grade, ItemStatus, Party, PaymentMethod, SaleRound
from . import disposal, handover_requests, handovers, sales
from .demo_history import Device

if TYPE_CHECKING:
    from .demo_desk import Desk

S = AssetStatus
LIMITS = {"laptop": 1, "smartphone": 1, "total": 2}
ELIGIBILITY = "Alle personeelsleden van de provincie met een personeelsnummer."
# Hours of the working day (Brussels), as on the desk's agenda.
INTAKE, HANDOVER, SALES, DISPOSAL, OFFICE = 8, 11, 13, 14.5, 16


class Part:
    """One workflow of the history, working with the desk's clock, agenda and people."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.s, self.rng, self.plan, self.cal = desk.s, desk.rng, desk.plan, desk.cal
        self.people, self.refs = desk.people, desk.refs
        self.at, self.tick, self.waiting = desk.at, desk.tick, desk.waiting

    @property
    def day(self) -> dt.date:
        return self.desk.day


class Handovers(Part):
    """Monthly requests met from ready stock, reserved, scanned at the desk and handed over with
    their certificate; at the end, one request reserved and half scanned."""

    def schedule(self) -> None:
        for day in self.plan.handover_days:
            self.at(day, HANDOVER, lambda day=day: self.monthly_requests(day))
        self.at(self.plan.final["request"], HANDOVER, self.open_request)

    def _request(self, recipient: Party, devices: list[Device], note: str) -> None:
        by_cat: dict = defaultdict(list)
        for d in devices:
            by_cat[d.model[0]].append(d)
        lines = []
        for cat, group in by_cat.items():
            worst = max((self.desk.grades.get(d.asset_id, Grade.D) for d in group),
                        key=lambda g: list(Grade).index(g))
            lines.append(handover_requests.LineSpec(cat, len(group),
                                                    worst if self.rng.random() < 0.6 else None))
        request = handover_requests.create_request(
            self.s, self.people.manager, recipient.id, lines,
            needed_by=self.day + dt.timedelta(days=self.rng.randint(14, 30)), notes=note)
        self.tick()
        line_of = {line.category: line.id for line in request.lines}
        picks = [(line_of[d.model[0]], d.asset_id) for d in devices]
        self.at(self.cal.shift(self.day, 2), HANDOVER,
                lambda: self._reserve(request.id, picks, devices, recipient))

    def _reserve(self, request_id: int, picks, devices: list[Device], recipient: Party) -> None:
        batch = handover_requests.reserve(self.s, self.people.manager, request_id, picks)
        self.tick()
        day = self.cal.shift(self.day, self.rng.randint(3, 6))
        self.at(day, HANDOVER, lambda: self._hand_over(batch.id, devices, recipient))

    def _hand_over(self, batch_id: int, devices: list[Device], recipient: Party) -> None:
        tech = self.people.tech
        for d in devices:
            handovers.scan_at_desk(self.s, tech, batch_id, d.tag)
            self.tick(0, 1)
        handovers.complete_handover(self.s, tech, batch_id, labels_removed=True)
        self.tick(5, 15)
        coming_back = [d for d in devices if d.target == "returned"]
        if coming_back:  # redeployed inside the province, and handed back after months
            back = self.cal.on_or_after(self.day + dt.timedelta(days=self.rng.randint(45, 150)))
            if back > self.day:
                self.at(back, INTAKE, lambda: self.desk.take_back(recipient, coming_back))

    def monthly_requests(self, day: dt.date) -> None:
        """A month's requests: what recipients asked for, met from the devices ready for them."""
        ready = self.waiting(("transferred", "returned"), S.READY, day)
        if not ready:
            return
        rec = self.refs.recipients
        back = [d for d in ready if d.target == "returned"]
        rest = [d for d in ready if d.target != "returned"]
        if back:
            share = rest[:len(rest) // 3]
            rest = rest[len(rest) // 3:]
            self._request(self.rng.choice(rec["service"]), back + share,
                          "Herinzet binnen de provincie.")
        if rest:
            parts = [rest] if len(rest) < 8 or self.rng.random() < 0.5 else \
                [rest[:len(rest) // 2], rest[len(rest) // 2:]]
            kinds = ["school", "school", "charity", "public_body", "service"]
            for part in parts:
                kind = self.rng.choice(kinds)
                self._request(self.rng.choice(rec[kind]), part,
                              {"school": "Voor de leerlingen.", "charity": "Voor gezinnen zonder "
                               "computer."}.get(kind, "Vervanging van oude toestellen."))

    def open_request(self) -> None:
        """The request still being prepared at the end: reserved, half scanned at the desk."""
        ready = self.waiting(("reserved",), S.READY, self.day)
        mine = ready[:(len(ready) + 1) // 2]
        if not mine:
            return
        charity = self.refs.recipients["charity"][0]
        by_cat: dict = defaultdict(int)
        for d in mine:
            by_cat[d.model[0]] += 1
        request = handover_requests.create_request(
            self.s, self.people.manager, charity.id,
            [handover_requests.LineSpec(c, n) for c, n in by_cat.items()],
            needed_by=self.plan.today + dt.timedelta(days=10), notes="Voor gezinnen zonder computer.")
        line_of = {line.category: line.id for line in request.lines}
        picks = [(line_of[d.model[0]], d.asset_id) for d in mine]
        self.at(self.plan.final["reserve"], HANDOVER,
                lambda: self._reserve_and_scan(request.id, picks, mine))

    def _reserve_and_scan(self, request_id: int, picks, devices: list[Device]) -> None:
        batch = handover_requests.reserve(self.s, self.people.manager, request_id, picks)
        self.tick()

        def scan_some() -> None:
            for d in devices[:len(devices) // 2]:
                handovers.scan_at_desk(self.s, self.people.tech, batch.id, d.tag)
                self.tick(0, 1)
        self.at(self.cal.last, HANDOVER, scan_some)


class SaleRounds(Part):
    """Staff sale rounds every six weeks or so: interest, the draw, payments, collection (with
    the receipt) or expiry; at the end, a round still taking interest."""

    def schedule(self) -> None:
        for day in self.plan.sale_days:
            self.at(day, SALES, lambda day=day: self.open_round(day))
        self.at(self.plan.final["round"], SALES, self.open_last_round)

    def _offer(self, devices: list[Device], opens: dt.date, closes: dt.date, title: str,
               unwanted: list[Device] | None = None) -> SaleRound:
        """Open a round; colleagues want `devices`, nobody wants `unwanted` (back on the shelf)."""
        offered = [d.asset_id for d in devices + (unwanted or [])]
        round_ = sales.open_round(self.s, self.people.manager, title, opens, closes, offered,
                                  limits=LIMITS, eligibility=ELIGIBILITY)
        self.tick()
        wanted = {d.asset_id for d in devices}
        items = [i.id for i in round_.items if i.asset_id in wanted]
        days = sorted({self.cal.on_or_after(opens + dt.timedelta(days=k)) for k in (0, 3, 7)})
        days = [d for d in days if d <= closes]
        for item in items:  # one to four colleagues want each device, over the round's days
            for member in self.rng.sample(self.refs.staff, self.rng.randint(1, 4)):
                day = self.rng.choice(days)
                self.at(day, SALES, lambda i=item, m=member.id: self._interest(i, m))
        return round_

    def _interest(self, item_id: int, member_id: int) -> None:
        sales.register_interest(self.s, self.people.tech, item_id, member_id)
        self.tick(0, 3)

    def open_round(self, day: dt.date) -> None:
        ready = self.waiting(("sold",), S.READY, day)
        if not ready:
            return
        closes = day + dt.timedelta(days=14)
        # some of the stock that has stood for months is offered too; nobody wants it
        old = self.waiting(("ready",), S.READY, day - dt.timedelta(days=90))
        unwanted = self.rng.sample(old, len(old) // 3)
        round_ = self._offer(ready, day, closes, f"Personeelsverkoop {day:%m/%Y}", unwanted)
        self.at(self.cal.on_or_after(closes), SALES, lambda: self.draw(round_.id))

    def draw(self, round_id: int) -> None:
        round_ = sales.close_round(self.s, self.people.manager, round_id)
        self.tick(5, 10)
        # the draw uses a fresh seed, as at the real desk, so who wins differs between runs;
        # what follows it takes its own stream, so the rest of the demo stays the same
        rng = random.Random(f"{self.rng.random()}:{round_id}")
        expiry = None
        for item in round_.items:
            if item.status != ItemStatus.ALLOCATED:
                continue
            if rng.random() < 0.12:  # never paid: the sale lapses and the device is offered again
                expiry = self.cal.on_or_after(item.due_on + dt.timedelta(days=1))
                continue
            paid = self.cal.shift(self.day, rng.randint(1, 8))
            method = rng.choice(list(PaymentMethod))
            self.at(paid, SALES, lambda i=item.id, m=method: self._pay(i, m))
            self.at(self.cal.shift(paid, rng.randint(0, 5)), SALES,
                    lambda t=item.asset.tag: self._collect(t))
        if expiry is not None:
            self.at(expiry, SALES, self._expire)

    def _pay(self, item_id: int, method: PaymentMethod) -> None:
        sales.register_payment(self.s, self.people.manager, item_id, method)
        self.tick(0, 3)

    def _collect(self, tag: str) -> None:
        sales.hand_over(self.s, self.people.tech, tag, labels_removed=True)
        self.tick(2, 6)

    def _expire(self) -> None:
        sales.expire_unpaid(self.s, self.people.manager)
        self.tick()

    def open_last_round(self) -> None:
        """The round open at the end: colleagues are still registering interest."""
        ready = self.waiting(("reserved",), S.READY, self.day)
        left = self.waiting(("sold",), S.READY, self.day)
        devices = ready[(len(ready) + 1) // 2:] + left
        if devices:
            self._offer(devices, self.day, self.plan.today + dt.timedelta(days=10),
                        f"Personeelsverkoop {self.day:%m/%Y}")


class Pickups(Part):
    """Disposal batches filled in the week before the recycler's truck comes, closed at the
    pick-up with the EOL certificate, the processor's own paper weeks later; at the end, a
    batch being filled."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.batched: set[int] = set()  # devices scanned into a batch

    def schedule(self) -> None:
        for day in self.plan.pickups:
            self.at(self.cal.shift(day, -8), DISPOSAL, lambda day=day: self.open_batch(day))
        self.at(self.plan.final["batch"], DISPOSAL, self.open_last_batch)

    def open_batch(self, pickup: dt.date) -> None:
        first_scan = self.cal.shift(pickup, -7)
        if not [d for d in self.desk.by_target["disposed"] if d.free_on and d.free_on < first_scan
                and d.asset_id not in self.batched]:
            return
        batch = disposal.open_batch(self.s, self.people.manager, self.refs.processor.id,
                                    self.refs.carrier.id)
        self.tick()
        for k in (-7, -4, -1):
            self.at(self.cal.shift(pickup, k), DISPOSAL,
                    lambda: self._fill_batch(batch.id, ("disposed",)))
        self.at(pickup, DISPOSAL, lambda: self.pick_up(batch.id))

    def _fill_batch(self, batch_id: int, targets: tuple[str, ...], limit: int | None = None,
                    unrecorded: int = 0) -> None:
        todo = [d for d in self.waiting(targets, S.AWAITING_DISPOSAL, self.day)
                if d.asset_id not in self.batched][:limit]
        for n, d in enumerate(todo):
            if n >= unrecorded:  # the first `unrecorded` still wait for the shredder
                self.desk.shred(d)
            disposal.add_device(self.s, self.people.tech, batch_id, d.tag)
            self.batched.add(d.asset_id)
            self.tick(0, 1)

    def pick_up(self, batch_id: int) -> None:
        batch = disposal.get_batch(self.s, batch_id)
        if not batch.items:
            return
        for line in disposal.weight_check(batch):
            # a scale reads a little differently from the sum of catalogue weights
            factor = Decimal(self.rng.randint(96, 106)) / 100
            disposal.record_weighing(self.s, self.people.tech, batch_id, line.weee_category,
                                     (line.device_kg * factor).quantize(Decimal("0.5")) or Decimal(1))
            self.tick(1, 3)
        disposal.close_batch(self.s, self.people.manager, batch_id, self.people.second)
        self.tick(10, 20)
        paper = self.cal.on_or_after(self.day + dt.timedelta(days=self.rng.randint(15, 40)))
        if paper > self.day:  # the processor's own certificate arrives weeks later
            self.at(paper, OFFICE, lambda: self.processor_paper(batch_id))

    def processor_paper(self, batch_id: int) -> None:
        from .disposal_demo import processor_pdf

        batch = disposal.get_batch(self.s, batch_id)
        disposal.attach_processor_certificate(
            self.s, self.people.manager, batch_id, processor_pdf(batch.number),
            f"galloo-vernietigingsattest-{batch.number}.pdf", f"GAL-{self.rng.randint(1000, 9999)}")
        self.tick()

    def open_last_batch(self) -> None:
        """The batch being filled at the end; one device in it still waits for the shredder."""
        if not self.waiting(("awaiting_disposal", "disposed"), S.AWAITING_DISPOSAL, self.day):
            return
        batch = disposal.open_batch(self.s, self.people.manager, self.refs.processor.id,
                                    self.refs.carrier.id)
        self.tick()
        self.at(self.cal.shift(self.day, 1), DISPOSAL,
                lambda: self._fill_batch(batch.id, ("disposed", "awaiting_disposal"), 6, 1))
