"""Simulated intake desks for the load and fault tests (and benchmarks/bench_load|faults.py).

A desk is a separate process with its own engine that runs a random mix of what
a warehouse does — intake (with a lot and its receipt), move, bench check,
reserve, handover, dispose — against one shared pool of devices, so desks
collide on the same rows. Every action goes through the services exactly as the
GUI calls them (`run_with_retry` around each), and the desk writes what it saw
to a JSON file: each action's outcome and latency, and every transition it was
told had been committed. `check_invariants` then proves from the database alone
(and from those files when the desks finished) that nothing was lost,
duplicated or half-written.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event, func, select

from app.db import Database, open_database
from app.models import (
    Asset,
    AssetStatus,
    AuditEvent,
    Category,
    Document,
    Location,
    Party,
    PartyType,
    Role,
    User,
)
from app.models import Counter as CounterRow
from app.services import (
    assets,
    audit,
    auth,
    intake,
    lifecycle,
    locations,
    moves,
    parties,
    refurbishment,
    sequences,
)
from app.services.errors import AuditWriteRefused, DatabaseUnavailable, DomainError
from app.services.intake import DeviceForm
from app.services.permissions import SYSTEM
from app.services.retry import run_with_retry
from app.services.uow import TransientConflict

MONITOR_ITEMS = ("dead_pixels", "backlight", "inputs", "stand")
LOCATION_CODES = ("LOC-A-01", "LOC-A-02", "LOC-B-01")
SCHOOL = "Basisschool De Linde"
SERVICE = "Dienst Mobiliteit"
WEIGHTS = {"intake": 14, "move": 26, "check": 22, "reserve": 14, "handover": 10, "dispose": 9,
           "release": 5}
# Errors a technician may see when two desks want the same device: refusals, not failures.
UNEXPECTED = (DatabaseUnavailable, AuditWriteRefused)


@dataclass
class Setup:
    desks: int
    pool: int


def prepare(database: Database, desks: int, pool: int = 40) -> Setup:
    """Users, a service, a school, shelves and a pool of monitors: half ready, half just received."""
    with database.session() as s:
        for i in range(desks):
            auth.add_user(s, SYSTEM, f"desk{i}", f"Desk {i}", Role.MANAGER, "desk-pass-1")
        bench = auth.add_user(s, SYSTEM, "bench", "Bench Technieker", Role.TECHNICIAN, "desk-pass-1")
        parties.create_party(s, SYSTEM, PartyType.SERVICE, name=SERVICE)
        parties.create_party(s, SYSTEM, PartyType.SCHOOL, name=SCHOOL, street="Lindelaan 1",
                             postcode="3000", city="Leuven")
        for code in LOCATION_CODES:
            _loc, zone, rack = code.split("-")
            locations.create_location(s, SYSTEM, "Leuven", zone, rack)
        for n in range(pool):
            a = assets.register_asset(s, bench, category=Category.MONITOR, manufacturer="Dell",
                                      model="P2422H", serial=f"POOL{n:04d}")
            if n % 2 == 0:
                _bench_pass(s, bench, a.id)
    return Setup(desks, pool)


def _bench_pass(s, actor, asset_id: int) -> None:
    refurbishment.start(s, actor, asset_id)
    refurbishment.record_items(s, actor, asset_id, [refurbishment.Answer(k, "pass")
                                                    for k in MONITOR_ITEMS])
    refurbishment.set_grade(s, actor, asset_id, "B")
    refurbishment.pass_checks(s, actor, asset_id)


@dataclass
class DeskLog:
    desk: int
    actions: list = field(default_factory=list)  # [action, outcome, seconds]
    committed: list = field(default_factory=list)  # [asset_id, transition]
    unexpected: list = field(default_factory=list)  # tracebacks
    retries: int = 0


class Desk:
    def __init__(self, database: Database, desk_no: int, rng: random.Random):
        self.db, self.no, self.rng = database, desk_no, rng
        self.log = DeskLog(desk_no)
        with database.session() as s:
            self.actor = s.scalar(select(User).where(User.username == f"desk{desk_no}"))
            self.service_id = s.scalar(select(Party.id).where(Party.name == SERVICE))
            self.school_id = s.scalar(select(Party.id).where(Party.name == SCHOOL))
        self.lot_id: int | None = None
        self.in_lot = 0
        self.serial_no = 0

    # -- the actions ----------------------------------------------------------
    def _pick(self, s, *statuses: AssetStatus) -> Asset:
        """Mostly a device from the list the action shows (so desks race for the same few
        rows, as people working the same list do), sometimes any device (a wrong scan)."""
        query = select(Asset.id)
        if statuses and self.rng.random() < 0.75:
            query = query.where(Asset.status.in_(statuses))
        ids = s.scalars(query).all() or s.scalars(select(Asset.id)).all()
        return s.get(Asset, self.rng.choice(ids), populate_existing=True)

    def intake(self, s) -> None:
        if self.lot_id is None:
            self.lot_id = intake.open_lot(s, self.actor, self.service_id, delivered_by="Jef").id
            self.in_lot = 0
        self.serial_no += 1
        # now and then a serial another desk may receive at the same moment: one wins
        serial = (f"SHARED{self.rng.randint(0, 40):03d}" if self.rng.random() < 0.2
                  else f"D{self.no}S{os.getpid()}N{self.serial_no}")
        a = intake.receive(s, self.actor, self.lot_id, DeviceForm(
            serial=serial, category=Category.MONITOR, manufacturer="Dell", model="P2422H",
            data_bearing=False))
        self.log.committed.append([a.id, "receive"])
        self.in_lot += 1
        if self.in_lot >= 4:
            lot, self.lot_id = self.lot_id, None
            intake.close_lot(s, self.actor, lot, language="en")

    def move(self, s) -> None:
        a = self._pick(s)
        moves.move_by_scan(s, self.actor, self.rng.choice(LOCATION_CODES), a.tag)

    def check(self, s) -> None:
        a = self._pick(s, AssetStatus.RECEIVED, AssetStatus.IN_REFURBISHMENT)
        if a.status == AssetStatus.RECEIVED:
            lifecycle.apply(s, self.actor, a.id, "start_checks", expected_version=a.version)
            self.log.committed.append([a.id, "start_checks"])
            return
        refurbishment.record_items(s, self.actor, a.id, [refurbishment.Answer(k, "pass")
                                                         for k in MONITOR_ITEMS])
        refurbishment.set_grade(s, self.actor, a.id, self.rng.choice("ABC"))
        refurbishment.pass_checks(s, self.actor, a.id)
        self.log.committed.append([a.id, "pass_checks"])

    def _transition(self, s, name: str, **ctx) -> None:
        a = self._pick(s, *(st for st in lifecycle.TRANSITIONS[name].sources if st))
        lifecycle.apply(s, self.actor, a.id, name, expected_version=a.version, **ctx)
        self.log.committed.append([a.id, name])

    def reserve(self, s) -> None:
        self._transition(s, "reserve", purpose="handover")

    def release(self, s) -> None:
        self._transition(s, "release")

    def handover(self, s) -> None:
        self._transition(s, "transfer", recipient=s.get(Party, self.school_id), labels_removed=True)

    def dispose(self, s) -> None:
        a = self._pick(s, AssetStatus.AWAITING_DISPOSAL, AssetStatus.RECEIVED, AssetStatus.READY)
        name = "dispose" if a.status == AssetStatus.AWAITING_DISPOSAL else "retire"
        lifecycle.apply(s, self.actor, a.id, name, expected_version=a.version)
        self.log.committed.append([a.id, name])

    # -- the loop -------------------------------------------------------------
    def one(self) -> None:
        action = self.rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        start = time.perf_counter()

        def counted(attempt, err):
            self.log.retries += 1

        try:
            run_with_retry(self.db, getattr(self, action), on_retry=counted)
            outcome = "ok"
        except UNEXPECTED:
            outcome = "unexpected"
            self.log.unexpected.append(traceback.format_exc())
        except TransientConflict:
            outcome = "gave_way"  # retried to the limit: the technician is told to try again
        except DomainError as err:
            outcome = type(err).__name__
        except Exception:  # noqa: BLE001 - anything else reaching a user is a failure of the proof
            outcome = "unexpected"
            self.log.unexpected.append(traceback.format_exc())
        self.log.actions.append([action, outcome, time.perf_counter() - start])

    def run(self, seconds: float) -> DeskLog:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.one()
        return self.log


def desk_process(url: str, desk_no: int, seed: int, seconds: float, out: str,
                 ready: str | None = None, kill_at_flush: int | None = None) -> None:
    """Entry point of one desk process; writes its DeskLog as JSON to `out` at the end.

    `kill_at_flush`: SIGKILL itself at that flush (rows written, commit not yet): a crash
    exactly in the middle of a transaction.
    """
    database = open_database(url, upgrade=False)
    if kill_at_flush is not None:
        flushes = {"n": 0}

        @event.listens_for(database.sessions, "after_flush")
        def _die(session, _ctx):
            flushes["n"] += 1
            if flushes["n"] >= kill_at_flush:
                os.kill(os.getpid(), signal.SIGKILL)

    desk = Desk(database, desk_no, random.Random(seed))
    if ready:
        Path(ready).write_text("ready")
    log = desk.run(seconds)
    Path(out).write_text(json.dumps(log.__dict__))
    database.dispose()


def read_logs(paths) -> list[DeskLog]:
    return [DeskLog(**json.loads(Path(p).read_text())) for p in paths]


# --- the proof ---------------------------------------------------------------------


def _explicable(old, new) -> bool:
    old = AssetStatus(old) if old else None
    return any(old in t.sources and t.target == AssetStatus(new) for t in lifecycle.TRANSITIONS.values())


def check_invariants(database: Database, logs: list[DeskLog] | None = None,
                     seeded: int | None = None, since_seq: int = 0) -> list[str]:
    """Everything that must hold after any mix of desks, crashes and lost connections."""
    problems: list[str] = []
    with database.session() as s:
        report = audit.verify_chain(s)
        if not report.ok:
            problems.append(report.message())
        all_assets = s.scalars(select(Asset)).all()
        n_assets = len(all_assets)
        tags = {a.tag for a in all_assets}
        if len(tags) != n_assets:
            problems.append("duplicate tags")
        serials = Counter((a.manufacturer, a.serial_normalised) for a in all_assets)
        if any(n > 1 for n in serials.values()):
            problems.append("duplicate serials")
        tag_counter = s.scalar(select(CounterRow.value).where(CounterRow.name == sequences.ASSET_TAG))
        if tag_counter != n_assets:  # every number handed out belongs to exactly one device
            problems.append(f"tag counter {tag_counter} but {n_assets} devices")
        # each device's state is the end of a chain of legal transitions in its history
        events = s.execute(select(AuditEvent.entity_id, AuditEvent.action, AuditEvent.changes,
                                  AuditEvent.seq)
                           .where(AuditEvent.entity_type == "asset").order_by(AuditEvent.seq)).all()
        steps: dict[int, list] = {}
        recorded: Counter = Counter()
        for entity_id, action, changes, seq in events:
            change = json.loads(changes).get("status")
            if change:
                steps.setdefault(entity_id, []).append((action, change))
                if seq > since_seq:
                    recorded[(entity_id, action)] += 1
        for a in all_assets:
            status = None
            for action, (old, new) in steps.get(a.id, []):
                if old != status or not _explicable(old, new):
                    problems.append(f"{a.tag}: {action} {old}->{new} does not follow {status}")
                    break
                status = new
            if status != a.status.value:
                problems.append(f"{a.tag} is {a.status.value} but its history ends at {status}")
            if a.status in (AssetStatus.TRANSFERRED, AssetStatus.SOLD) and a.recipient_id is None:
                problems.append(f"{a.tag} left without a recipient")
        # documents: unique numbers, one per number handed out, none missing
        docs = s.execute(select(Document.kind, Document.number)).all()
        if len({n for _k, n in docs}) != len(docs):
            problems.append("duplicate document numbers")
        for kind, n in Counter(k for k, _n in docs).items():
            counter = s.scalar(select(CounterRow.value).where(CounterRow.name == f"document_{kind.value}"))
            if counter != n:
                problems.append(f"{kind.value}: counter {counter} but {n} documents")
        if logs is not None:
            # what the desks were told was done is exactly what the history holds
            told = Counter((asset_id, name) for log in logs for asset_id, name in log.committed)
            if told != recorded:
                diff = (told - recorded) + (recorded - told)
                problems.append(f"desks and history disagree on {len(diff)} transitions: "
                                f"{list(diff.items())[:5]}")
            for log in logs:
                problems.extend(f"desk {log.desk}: {tb.strip().splitlines()[-1]}"
                                for tb in log.unexpected)
            if seeded is not None:
                received = sum(1 for log in logs for _i, name in log.committed if name == "receive")
                if n_assets != seeded + received:
                    problems.append(f"{n_assets} devices, expected {seeded} + {received}")
    return problems


def summary(logs: list[DeskLog], seconds: float) -> dict:
    latencies = sorted(t for log in logs for _a, _o, t in log.actions)
    outcomes = Counter(o for log in logs for _a, o, _t in log.actions)
    by_action = Counter((a, o == "ok") for log in logs for a, o, _t in log.actions)

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0

    return {"desks": len(logs), "seconds": seconds, "actions": len(latencies),
            "throughput": len(latencies) / seconds if seconds else 0,
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "outcomes": dict(outcomes),
            "retries": sum(log.retries for log in logs),
            "ok_by_action": {a: n for (a, ok), n in by_action.items() if ok}}


def audit_seq(database: Database) -> int:
    with database.session() as s:
        return s.scalar(select(func.max(AuditEvent.seq))) or 0


def pool_size(database: Database) -> int:
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(Asset))


def locations_exist(database: Database) -> bool:
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(Location)) == len(LOCATION_CODES)
