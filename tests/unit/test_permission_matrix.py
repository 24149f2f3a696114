"""The permission matrix: every role × every permission, through the real service functions.

For each permission in PERMISSIONS there is one small case that calls the
service function guarded by it with minimal valid input. A role the table
allows must get past the permission check (no PermissionDenied); a role it
refuses must get PermissionDenied with nothing changed in the database (no row
added, removed or updated, no audit event). The table itself is data; this
test is what proves the services obey it — a service that forgot its check, or
checked the wrong permission, fails here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from bench_helpers import answer_checklist
from sqlalchemy import func, select

from app import clock
from app.models import (
    Asset,
    AuditEvent,
    Base,
    Category,
    CountResolution,
    Grade,
    MediumKind,
    PartyType,
    Role,
    StockCountLine,
    StorageMedium,
    User,
)
from app.services import (
    assets,
    auth,
    certificates,
    intake,
    inventory,
    lifecycle,
    locations,
    parties,
    refurbishment,
    sanitisation,
    spare_parts,
    stock_count,
)
from app.services.errors import (
    DomainError,
    IllegalTransition,
    NotFound,
    PermissionDenied,
)
from app.services.permissions import PERMISSIONS, SYSTEM

PASSWORD = "matrix-pass-1"
_serials = itertools.count(1)


@dataclass
class World:
    """One database with a user of every role, and helpers that prepare what a case needs."""

    session: object
    users: dict[Role, User]
    made: dict = field(default_factory=dict)

    def serial(self) -> str:
        return f"MX{next(_serials):06d}"

    def party(self, ptype=PartyType.SERVICE, **fields):
        fields.setdefault("name", f"Dienst {self.serial()}")
        return parties.create_party(self.session, SYSTEM, ptype, **fields)

    def location(self):
        return locations.create_location(self.session, SYSTEM, "Hoofdmagazijn", "Z" + self.serial())

    def device(self, category=Category.MONITOR, media=None, announced=False) -> Asset:
        return assets.register_asset(self.session, SYSTEM, category=category, manufacturer="Dell",
                                     model="P2419H", serial=self.serial(), media=media,
                                     announced=announced)

    def laptop(self) -> Asset:
        return self.device(Category.LAPTOP, media=[assets.MediumSpec(MediumKind.SSD, self.serial(), 256)])

    def step(self, asset: Asset, *names: str, **ctx) -> Asset:
        for name in names:
            asset = lifecycle.apply(self.session, SYSTEM, asset.id, name, **ctx)
        return asset

    def on_bench(self, asset=None) -> Asset:
        return self.step(asset or self.device(), "start_checks")

    def bench_done(self) -> Asset:
        """A monitor (no storage) with its checklist answered and a grade: ready to pass."""
        asset = self.on_bench()
        answer_checklist(self.session, SYSTEM, asset.id)
        return refurbishment.set_grade(self.session, SYSTEM, asset.id, Grade.B)

    def ready(self) -> Asset:
        return self.step(self.bench_done(), "pass_checks")

    def medium_of(self, asset: Asset) -> StorageMedium:
        return self.session.scalars(select(StorageMedium).where(StorageMedium.asset_id == asset.id)).first()

    def wipe(self, asset: Asset, operator) -> object:
        return sanitisation.record(self.session, operator, self.medium_of(asset).id, method="purge",
                                   technique="crypto_erase", tool="Blancco", tool_version="8.1",
                                   verification_method="full read-back")

    def other(self, role: Role, name: str) -> User:
        key = (role, name)
        if key not in self.made:
            self.made[key] = auth.add_user(self.session, SYSTEM, name, name.title(), role, PASSWORD)
        return self.made[key]


@dataclass(frozen=True)
class Case:
    call: Callable[[World, User], object]  # prepares what it needs (as the system), then acts as the user
    # A domain error the allowed roles may meet after the permission check, when a valid call
    # would need another workflow's full set-up; the check that counts has already passed.
    expect: tuple[type[DomainError], ...] = ()


def _count_case(w: World, actor: User):
    location = w.location()
    asset = w.device()
    assets.move_asset(w.session, SYSTEM, asset.id, location.id)
    count = stock_count.start_count(w.session, SYSTEM, location.id)
    stock_count.close_count(w.session, SYSTEM, count.id)  # the monitor was not scanned: missing
    line = w.session.scalar(select(StockCountLine.id).where(StockCountLine.count_id == count.id))
    return stock_count.resolve_line(w.session, actor, line, CountResolution.MARKED_MISSING,
                                    reason="not on the shelf")


def _verify_case(w: World, actor: User):
    asset = w.on_bench(w.laptop())
    record = w.wipe(asset, w.other(Role.TECHNICIAN, "recorder"))
    return sanitisation.verify(w.session, actor, record.id)


def _certificate_case(w: World, actor: User):
    asset = w.on_bench(w.laptop())
    record = w.wipe(asset, w.other(Role.TECHNICIAN, "recorder"))
    sanitisation.verify(w.session, w.other(Role.MANAGER, "checker"), record.id)
    return certificates.issue_sanitisation_certificate(w.session, actor, [asset.id], language="en")


def _harvest_case(w: World, actor: User):
    asset = w.step(w.device(), "retire")
    return spare_parts.harvest(w.session, actor, asset.id, "other", "VESA-voet")


def _password_case(w: World, actor: User):
    return auth.change_password(w.session, actor, PASSWORD, PASSWORD + "-new")


def _audit_verify_case(w: World, actor: User):
    from app.services import audit

    return audit.verify_chain_as(w.session, actor)


def _edit_case(w: World, actor: User):
    device = w.device()
    return assets.edit_asset(w.session, actor, device.id, device.version, notes="voet ontbreekt")


def _move_case(w: World, actor: User):
    device, location = w.device(), w.location()
    return assets.move_asset(w.session, actor, device.id, location.id)


def _demo_case(w: World, actor: User):
    from app.services import demo

    return demo.fill(w.session, actor, 1, seed=1)


CORE: dict[str, Case] = {
    "asset.register": Case(lambda w, a: assets.register_asset(
        w.session, a, category=Category.MONITOR, manufacturer="Dell", model="P2419H", serial=w.serial())),
    "asset.edit": Case(_edit_case),
    "asset.move": Case(_move_case),
    "asset.add_medium": Case(lambda w, a: assets.add_medium(
        w.session, a, w.device(Category.LAPTOP).id, assets.MediumSpec(MediumKind.HDD, w.serial(), 500))),
    # A new device is registered under asset.register; "announce" through the lifecycle only
    # exists for a device without a status, which no stored device has: the check still runs first.
    "lifecycle.announce": Case(lambda w, a: lifecycle.apply(w.session, a, w.device().id, "announce"),
                               expect=(IllegalTransition,)),
    "lifecycle.receive": Case(lambda w, a: lifecycle.apply(w.session, a, w.device(announced=True).id,
                                                           "receive")),
    "lifecycle.start_checks": Case(lambda w, a: refurbishment.start(w.session, a, w.device().id)),
    "lifecycle.pass_checks": Case(lambda w, a: refurbishment.pass_checks(w.session, a, w.bench_done().id)),
    "lifecycle.fail_checks": Case(lambda w, a: refurbishment.fail_checks(w.session, a, w.on_bench().id)),
    "lifecycle.retire": Case(lambda w, a: lifecycle.apply(w.session, a, w.device().id, "retire")),
    "lifecycle.reserve": Case(lambda w, a: lifecycle.apply(w.session, a, w.ready().id, "reserve",
                                                           purpose="internal")),
    "lifecycle.release": Case(lambda w, a: lifecycle.apply(
        w.session, a, w.step(w.ready(), "reserve", purpose="internal").id, "release")),
    # Handing over and selling need the handover and sales workflows' documents (their own
    # tests); here the devices are in the wrong state, which is said only after the check.
    "lifecycle.transfer": Case(lambda w, a: lifecycle.apply(w.session, a, w.device().id, "transfer"),
                               expect=(IllegalTransition,)),
    "lifecycle.sell": Case(lambda w, a: lifecycle.apply(w.session, a, w.device().id, "sell"),
                           expect=(IllegalTransition,)),
    "lifecycle.return_after_second_life": Case(
        lambda w, a: lifecycle.apply(w.session, a, w.device().id, "return_after_second_life"),
        expect=(IllegalTransition,)),
    "lifecycle.dispose": Case(lambda w, a: lifecycle.apply(w.session, a, w.device().id, "dispose"),
                              expect=(IllegalTransition,)),
    "bench.record": Case(lambda w, a: answer_checklist(w.session, a, w.on_bench().id)),
    "sanitisation.record": Case(lambda w, a: w.wipe(w.on_bench(w.laptop()), a)),
    "sanitisation.verify": Case(_verify_case),
    "sanitisation.certificate": Case(_certificate_case),
    "parts.manage": Case(_harvest_case),
    "count.manage": Case(lambda w, a: stock_count.start_count(w.session, a, w.location().id)),
    "count.resolve": Case(_count_case),
    "party.manage": Case(lambda w, a: parties.create_party(w.session, a, PartyType.SERVICE,
                                                           name="Dienst " + w.serial())),
    "location.manage": Case(lambda w, a: locations.create_location(w.session, a, "Hoofdmagazijn",
                                                                   "Z" + w.serial())),
    "lot.manage": Case(lambda w, a: intake.open_lot(w.session, a, w.party().id)),
    "inventory.read": Case(lambda w, a: inventory.asset_view(w.session, a, w.device().id)),
    "audit.verify": Case(_audit_verify_case),
    "user.manage": Case(lambda w, a: auth.unlock(w.session, a, w.other(Role.TECHNICIAN, "locked").id)),
    "account.password": Case(_password_case),
    "demo.fill": Case(_demo_case),
}

# --- the second-life, end-of-life, resale and privacy workflows -----------------------------
# Their happy paths need whole batches, rounds and certificates (their own tests build those);
# here the permission check is proved on a batch, request or item that does not exist: the
# check comes first, so an allowed role meets "not found" and a refused one "not allowed".
MISSING = 999_999


def _svc(module: str):
    import importlib

    return importlib.import_module(f"app.services.{module}")


def _school(w: World):
    return w.party(PartyType.SCHOOL, name="Sint-Jozefscollege " + w.serial(), street="Collegestraat 24",
                   postcode="8800", city="Roeselare")


def _request_case(w: World, actor: User):
    hr = _svc("handover_requests")
    return hr.create_request(w.session, actor, _school(w).id, [hr.LineSpec(Category.LAPTOP, 1)])


def _price_override_case(w: World, actor: User):
    second = w.other(Role.MANAGER, "second")
    return _svc("sales").override_price(w.session, actor, MISSING, "10.00", "scratched lid",
                                        second.username, PASSWORD)


def _weee_case(w: World, actor: User):

    return _svc("weee_reports").weee_report(w.session, actor, clock.today().year)


NF = (NotFound,)
WORKFLOWS: dict[str, Case] = {
    "handover.request": Case(_request_case),
    "handover.reserve": Case(lambda w, a: _svc("handover_requests").reserve(
        w.session, a, MISSING, [(MISSING, MISSING)]), expect=NF),
    "handover.cancel": Case(lambda w, a: _svc("handover_requests").cancel_request(w.session, a, MISSING),
                            expect=NF),
    "handover.scan": Case(lambda w, a: _svc("handovers").scan_at_desk(w.session, a, MISSING, w.device().tag),
                          expect=NF),
    "handover.complete": Case(lambda w, a: _svc("handovers").complete_handover(
        w.session, a, MISSING, labels_removed=True), expect=NF),
    "lifecycle.return_for_checks": Case(
        lambda w, a: lifecycle.apply(w.session, a, w.device().id, "return_for_checks"),
        expect=(IllegalTransition,)),
    "disposal.open": Case(lambda w, a: _svc("disposal").open_batch(w.session, a, MISSING), expect=NF),
    "disposal.scan": Case(lambda w, a: _svc("disposal").add_device(w.session, a, MISSING, w.device().tag),
                          expect=NF),
    "disposal.close": Case(lambda w, a: _svc("disposal").close_batch(
        w.session, a, MISSING, w.other(Role.MANAGER, "second")), expect=NF),
    "disposal.attach": Case(lambda w, a: _svc("disposal").attach_processor_certificate(
        w.session, a, MISSING, b"%PDF-1.4 certificate", "certificate.pdf"), expect=NF),
    "report.weee": Case(_weee_case),
    "sales.read": Case(lambda w, a: _svc("sales").item_rows(w.session, a, MISSING)),
    "sales.manage": Case(lambda w, a: _svc("sales").expire_unpaid(w.session, a)),
    "sales.price_override": Case(_price_override_case, expect=NF),
    "sales.interest": Case(lambda w, a: _svc("sales").register_interest(w.session, a, MISSING, MISSING),
                           expect=NF),
    "sales.payment": Case(lambda w, a: _svc("sales").register_payment(w.session, a, MISSING, "transfer"),
                          expect=NF),
    # a device that no buyer paid for: refused after the check, with the reason
    "sales.hand_over": Case(lambda w, a: _svc("sales").hand_over(w.session, a, w.device().tag, True),
                            expect=(_svc("sales").NotForSale,)),
    "staff.manage": Case(lambda w, a: _svc("staff").add_staff_member(
        w.session, a, "Jan Peeters", "P" + w.serial(), "jan.peeters@provincie.be")),
    "staff.read": Case(lambda w, a: _svc("staff").find_staff(w.session, a)),
    "privacy.purge": Case(lambda w, a: _svc("privacy").purge(w.session, a, 730)),
    "organisation.manage": Case(lambda w, a: _svc("organisation").save(
        w.session, a, name="Provincie Antwerpen", enterprise_number="0207.725.104")),
}

CASES: dict[str, Case] = {**CORE, **WORKFLOWS}


def test_every_permission_has_a_case():
    assert set(PERMISSIONS) - set(CASES) == set(), "permissions without a case in the matrix"
    assert set(CASES) - set(PERMISSIONS) == set(), "cases for permissions that no longer exist"


def _fingerprint(session) -> dict[str, int]:
    """Rows per table and the number of audit events: a refused call must change none of them."""
    session.expire_all()
    counts = {table.name: session.scalar(select(func.count()).select_from(table))
              for table in Base.metadata.sorted_tables}
    counts["audit_events"] = session.scalar(select(func.count()).select_from(AuditEvent))
    return counts


@pytest.fixture
def world(session) -> World:
    users = {role: auth.add_user(session, SYSTEM, f"as-{role.value}", f"As {role.value}", role, PASSWORD)
             for role in Role}
    return World(session, users)


@pytest.mark.parametrize("permission", sorted(PERMISSIONS))
def test_each_role_is_allowed_or_refused_as_the_table_says(world, permission):
    case = CASES.get(permission)
    if case is None:
        pytest.fail(f"no case for {permission!r}")
    assert not (problems := role_problems(world, permission, case)), (
        f"{permission}: " + "; ".join(problems))


def role_problems(world: World, permission: str, case: Case) -> list[str]:
    """Every role through `case`: what differs from the table (empty when the service obeys it)."""
    problems = []
    for role in Role:
        actor = world.users[role]
        allowed = role in PERMISSIONS[permission]
        before = None
        try:
            if allowed:
                case.call(world, actor)
            else:
                # the case prepares its data as the system first; compare from the actor's call on
                before = _Snapshot(world)
                case.call(world, _Recorder(actor, before))
                problems.append(f"{role.value}: allowed, but the table refuses it")
        except PermissionDenied:
            if allowed:
                problems.append(f"{role.value}: refused, but the table allows it")
            elif before is not None and before.taken and before.before != _fingerprint(world.session):
                problems.append(f"{role.value}: refused, but something was changed")
        except DomainError as err:
            if allowed and isinstance(err, case.expect):
                continue
            problems.append(f"{role.value}: {type(err).__name__}: {err}")
        finally:
            world.session.rollback()
    return problems


class _Snapshot:
    """Takes the database's fingerprint when the actor is first asked about (i.e. at the act)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.before: dict | None = None
        self.taken = False

    def take(self) -> None:
        if not self.taken:
            self.before = _fingerprint(self.world.session)
            self.taken = True


class _Recorder:
    """The refused user, as the service sees them; the first look at them marks the moment the
    service acts, so the fingerprint before it excludes the set-up the case did as the system."""

    def __init__(self, user: User, snapshot: _Snapshot) -> None:
        object.__setattr__(self, "_user", user)
        object.__setattr__(self, "_snapshot", snapshot)

    def __getattr__(self, name):
        self._snapshot.take()
        return getattr(self._user, name)
