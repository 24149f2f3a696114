"""The demo's eighteen months, planned: lots, each device's fate, and the warehouse's rhythm.

Planning only, no database: which service delivers a lot on which working day, what each
device becomes (the lifecycle state it ends in, weighted as `demo.PATHS`), when the bench gets
to it, and on which days requests are handed over, sale rounds open and the recycler picks up.
`demo_desk` then carries the plan out through the services with the clock set to each day.

A device's fate depends on how long it has been in the house: the oldest devices have been
handed over, sold or recycled; the newest still wait at intake or on the bench; some stock in
between has been standing for months (stale stock is part of a real warehouse). Each of three
random streams is seeded from the demo's seed on its own: the devices (models, serials, fates)
do not depend on the calendar, so the same seed gives the same devices whatever day it runs.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

HISTORY_DAYS = 548  # eighteen months
MAX_LOT = 40
MEAN_LOT = 13

# When, typically, a device with this fate came in: (share of recent arrivals, their mean age
# in days, the youngest age of the others, spread evenly back to the start). Devices still at
# intake or on the bench came in lately (a few of them long ago: stale stock); those that left
# came in any time but the last weeks; ready stock is partly fresh and partly months old.
ARRIVAL = {"received": (0.9, 18, 60), "in_refurbishment": (0.95, 25, 40),
           "ready": (0.35, 40, 30), "reserved": (0.5, 40, 30), "awaiting_disposal": (0.3, 30, 30),
           "transferred": (0.0, 0, 25), "sold": (0.0, 0, 25), "disposed": (0.0, 0, 40),
           "returned": (0.0, 0, 150)}


@dataclass
class Device:
    """One device of the demo and what will happen to it."""

    model: tuple  # a row of demo.MODELS
    serial: str
    disk_serial: str | None
    target: str  # the lifecycle state it ends in (a key of demo.PATHS)
    age_days: int  # how old it is when it arrives (for its purchase date)
    cost_pct: int  # its purchase price against the model's list price, in per cent
    in_register: bool  # the service's asset register knows its purchase data (added at the bench)
    arrival: dt.date | None = None
    bench_on: dt.date | None = None  # put on the bench
    done_on: dt.date | None = None  # passed or failed (or retired without checks)
    leave_on: dt.date | None = None  # from this day on it goes with the next handover, round or pick-up
    retire: bool = False  # too old to check: straight to awaiting disposal
    asset_id: int | None = None
    tag: str = ""

    @property
    def free_on(self) -> dt.date | None:
        """From when it goes with the next handover, round or pick-up (or is offered at all)."""
        return self.leave_on or self.done_on


@dataclass
class Lot:
    day: dt.date
    service: int  # index into demo.SERVICES
    devices: list[Device]
    stays_open: bool = False  # the lot still being scanned when the demo ends


@dataclass
class Calendar:
    """The working days of the history (no weekends), with day arithmetic over them."""

    days: list[dt.date]

    def on_or_after(self, day: dt.date) -> dt.date:
        for d in self.days:
            if d >= day:
                return d
        return self.days[-1]

    def shift(self, day: dt.date, n: int) -> dt.date:
        i = self.days.index(self.on_or_after(day)) + n
        return self.days[max(0, min(i, len(self.days) - 1))]

    @property
    def last(self) -> dt.date:
        return self.days[-1]


@dataclass
class Plan:
    start: dt.date
    today: dt.date  # the real today: the history ends the working day before
    calendar: Calendar
    lots: list[Lot]
    announced: list[tuple[dt.date, Device, int]]  # (day, device, service index)
    handover_days: list[dt.date]  # request days of handovers completed within the history
    sale_days: list[dt.date]  # opening days of rounds drawn and handed over within the history
    pickups: list[dt.date]  # disposal pick-ups
    second_life: bool = True
    final: dict[str, dt.date] = field(default_factory=dict)  # the open work at the end

    @property
    def devices(self) -> list[Device]:
        return [d for lot in self.lots for d in lot.devices]


def streams(seed: int) -> tuple[random.Random, random.Random, random.Random]:
    """Random streams for the devices, the calendar and the desk's choices."""
    return (random.Random(f"{seed}:devices"), random.Random(f"{seed}:calendar"),
            random.Random(f"{seed}:desk"))


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    out, day = [], first
    while day <= last:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _quiet(day: dt.date) -> float:
    """Fewer deliveries in the summer and Christmas holidays."""
    if day.month == 8 or (day.month == 7 and day.day > 14):
        return 0.5
    if (day.month == 12 and day.day > 21) or (day.month == 1 and day.day < 3):
        return 0.3
    return 1.0


def _lot_sizes(rng: random.Random, total: int) -> list[int]:
    """`total` devices in lots of a few up to about forty, at least one lot a month or so."""
    if total <= 0:
        return []
    lots = min(total, max(round(total / MEAN_LOT), min(total // 4, 24), 1))
    weights = [min(math.exp(rng.gauss(0, 0.8)), 3.0) for _ in range(lots)]
    scale = total / sum(weights)
    sizes = [max(1, min(MAX_LOT, int(w * scale))) for w in weights]
    i = 0
    while sum(sizes) != total:  # hand out (or take back) the rounding, one device at a time
        j = i % lots
        if sum(sizes) < total and sizes[j] < MAX_LOT:
            sizes[j] += 1
        elif sum(sizes) > total and sizes[j] > 1:
            sizes[j] -= 1
        i += 1
    return sizes


def plan(n: int, seed: int, today: dt.date, *, models, paths, serial, second_life: bool = True,
         services: int = 12) -> Plan:
    """Everything the demo will do, for `n` devices ending the working day before `today`."""
    rng_dev, rng_cal, _rng_desk = streams(seed)
    targets = _targets(rng_dev, n, paths)
    announced = [t for t in targets if t == "announced"]
    kept = [t for t in targets if t != "announced"]
    if not second_life:  # devices only: nothing has left the warehouse yet
        kept = [{"transferred": "ready", "sold": "ready", "reserved": "ready",
                 "returned": "awaiting_disposal", "disposed": "awaiting_disposal"}.get(t, t)
                for t in kept]
    open_size = min(5, max(len(kept) // 20, 1), kept.count("received")) if len(kept) >= 10 else 0
    sizes = _lot_sizes(rng_dev, len(kept) - open_size) + ([open_size] if open_size else [])
    # each fate draws how long ago it came in; ranked, oldest first, they meet the devices
    # ranked by arrival (the lots come in order)
    fates = [t for _age, t in sorted(((_arrival_age(rng_dev, t), t) for t in kept), reverse=True)]
    if open_size:  # the lot still open at the end holds devices just received
        tail = fates[-open_size:]
        for k, t in enumerate(tail):
            if t != "received":
                j = max(i for i, x in enumerate(fates[:-open_size]) if x == "received")
                fates[j], tail[k] = t, "received"
        fates[-open_size:] = tail
    lots, at = [], 0
    for number, size in enumerate(sizes):
        service = rng_dev.randrange(services)
        stays_open = bool(open_size) and number == len(sizes) - 1
        # a lot is mostly one or two models: a service replaces its devices in batches
        pool = [m for m in models if m[0].value == "laptop"] if stays_open else \
            rng_dev.sample(models, rng_dev.choice((1, 2, 2, 3)))
        members = []
        for _i in range(size):
            members.append(_device(rng_dev, rng_dev.choice(pool), fates[at], serial))
            at += 1
        lots.append(Lot(dt.date.min, service, members, stays_open))
    ann = [(_device(rng_dev, rng_dev.choice(models), "announced", serial),
            rng_dev.randrange(services)) for _t in announced]

    last = today - dt.timedelta(days=1)
    start = today - dt.timedelta(days=HISTORY_DAYS)
    cal = Calendar(working_days(start, last))
    _date_lots(rng_cal, cal, lots)
    result = Plan(start, today, cal, lots,
                  [(cal.shift(cal.last, -rng_cal.randint(0, 8)), d, s) for d, s in ann],
                  [], [], [], second_life)
    _rhythm(rng_cal, result, n)
    _bench_dates(rng_cal, result)
    return result


def _targets(rng: random.Random, n: int, paths) -> list[str]:
    """Each device's fate by the weights of PATHS; with ten or more, every state at least once."""
    names = [p[0] for p in paths]
    weights = [p[1] for p in paths]
    return [names[i] if i < len(names) else rng.choices(names, weights)[0] for i in range(n)]


def _arrival_age(rng: random.Random, fate: str) -> float:
    recent, mean, youngest = ARRIVAL[fate]
    if rng.random() < recent:
        return rng.expovariate(1 / mean)
    return rng.uniform(youngest, HISTORY_DAYS)


def _device(rng: random.Random, model: tuple, target: str, serial) -> Device:
    style, medium = model[10], model[9]
    return Device(model, serial(rng, style), serial(rng, "dell") if medium else None, target,
                  rng.randint(365, 8 * 365), rng.randint(90, 110), rng.random() < 0.85)


def _date_lots(rng: random.Random, cal: Calendar, lots: list[Lot]) -> None:
    """Spread the lots over the working days, evenly by weight, quieter in the holidays; the
    lot left open arrives on the last day."""
    dated = [lot for lot in lots if not lot.stays_open]
    # more deliveries as the months go by: the services got to know the warehouse
    days = cal.days[:-1] or cal.days
    weights = [_quiet(d) * (0.6 + 0.8 * i / len(days)) for i, d in enumerate(days)]
    cumulative, running = [], 0.0
    for w in weights:
        running += w
        cumulative.append(running)
    picked = []
    for i in range(len(dated)):
        # the i-th lot at the quantile (i + u) / n of the weighted working days; the first in
        # the warehouse's first week
        goal = (i + rng.random()) / len(dated) * running
        k = rng.randrange(5) if i == 0 else next(j for j, c in enumerate(cumulative) if c >= goal)
        picked.append(cal.days[min(k, len(cal.days) - 1)])
    for lot, day in zip(dated, sorted(picked), strict=True):
        lot.day = day
    for lot in lots:
        if lot.stays_open:
            lot.day = cal.last
        for d in lot.devices:
            d.arrival = lot.day


def _rhythm(rng: random.Random, p: Plan, n: int) -> None:
    """The days of handovers (monthly or so), sale rounds (every six to nine weeks) and
    disposal pick-ups (every two months or so), and the work still open at the end. A small
    warehouse (a demo of a few dozen devices) does each less often, in bigger batches."""
    cal, last = p.calendar, p.calendar.last
    slower = min(max(250 / max(n, 1), 1.0), 3.0)

    def every(low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=round(rng.randint(low, high) * slower))

    day = p.start + dt.timedelta(days=35)
    final_handover = cal.shift(last, -9)
    while day < final_handover - dt.timedelta(days=14):
        p.handover_days.append(cal.on_or_after(day))
        day += every(21, 35)
    p.handover_days.append(final_handover)
    day = p.start + dt.timedelta(days=55)
    while day + dt.timedelta(days=14 + 30) <= last:
        p.sale_days.append(cal.on_or_after(day))
        day += every(42, 63)
    day = p.start + dt.timedelta(days=80)
    while day <= last - dt.timedelta(days=20):
        p.pickups.append(cal.on_or_after(day))
        day += every(55, 80)
    p.final = {"request": cal.shift(last, -4), "reserve": cal.shift(last, -2),
               "round": cal.shift(last, -4), "batch": cal.shift(last, -6)}


def last_chance(p: Plan, target: str) -> dt.date | None:
    """The last day a device with this fate can leave: the last handover, round or pick-up."""
    if not p.second_life:
        return None
    if target in ("transferred", "returned"):
        fits = [d for d in p.handover_days if d + dt.timedelta(days=65) <= p.calendar.last]
        return (fits or p.handover_days)[-1] if target == "returned" else p.handover_days[-1]
    if target == "sold":
        return p.sale_days[-1] if p.sale_days else None
    if target == "disposed":
        return p.calendar.shift(p.pickups[-1], -7) if p.pickups else None
    if target == "reserved":
        return p.final["round"]
    return None


def deadline(p: Plan, target: str) -> dt.date:
    """The last day the bench may finish a device so that its fate still fits in the history."""
    cal, last = p.calendar, p.calendar.last
    if not p.second_life or target in ("received", "in_refurbishment", "ready",
                                       "awaiting_disposal"):
        return last
    if target == "transferred":
        return cal.shift(p.handover_days[-1], -1)
    if target == "returned":  # handed over, and back again at least seven weeks later
        fits = [d for d in p.handover_days if d + dt.timedelta(days=65) <= last]
        return cal.shift((fits or p.handover_days)[-1], -1)
    if target == "sold" and p.sale_days:
        return cal.shift(p.sale_days[-1], -1)
    if target == "disposed" and p.pickups:
        return cal.shift(p.pickups[-1], -9)
    return cal.shift(p.final["round"], -1)  # reserved, or an exit the history has no day for


def _bench_dates(rng: random.Random, p: Plan) -> None:
    """When the bench takes each device (days to weeks after intake) and finishes it."""
    cal = p.calendar
    for lot in p.lots:
        for d in lot.devices:
            if d.target == "received":
                continue
            delay = 1 + min(int(rng.expovariate(1 / 10)), 90)
            d.bench_on = cal.on_or_after(d.arrival + dt.timedelta(days=delay))
            d.done_on = cal.shift(d.bench_on, rng.choice((0, 0, 1, 1, 2, 3)))
            end = deadline(p, d.target)
            if d.done_on > end:  # a backlog the bench caught up with in time
                d.done_on = max(end, d.arrival)
                d.bench_on = min(d.bench_on, d.done_on)
            if d.target == "in_refurbishment":
                d.done_on = None
            d.retire = d.target in ("awaiting_disposal", "disposed") and rng.random() < 0.3
            leave = last_chance(p, d.target)
            if leave is not None and d.done_on is not None:
                # ready devices wait for someone who asks for them: weeks to months (and no
                # longer than the history has left, without piling up at its end)
                window = max((cal.shift(leave, -1) - d.done_on).days, 0)
                wait = rng.expovariate(1 / (30 if d.target == "disposed" else 130))
                if wait >= window:
                    wait = rng.uniform(0, window)
                d.leave_on = d.done_on + dt.timedelta(days=int(wait))
