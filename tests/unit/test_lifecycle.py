"""The lifecycle state machine: every legal transition works, every illegal one is refused
with a message and changes nothing."""

from __future__ import annotations

import dataclasses
import json

import pytest
from bench_helpers import answer_checklist, wipe_and_verify
from sqlalchemy import select

from app.models import Asset, AssetStatus, Category, Grade, MediumKind, PartyType, StorageMedium
from app.services import assets, audit, lifecycle, locations, moves, parties, sanitisation
from app.services.errors import GuardFailed, IllegalTransition, PermissionDenied
from app.services.assets import MediumSpec
from app.services.permissions import SYSTEM
from app.services.uow import unit_of_work

S = AssetStatus

# A path from a fresh "received" device to every status, as the warehouse would walk it.
PATH_TO = {
    S.RECEIVED: [],
    S.IN_REFURBISHMENT: ["start_checks"],
    S.READY: ["start_checks", "pass_checks"],
    S.RESERVED: ["start_checks", "pass_checks", "reserve"],
    S.TRANSFERRED: ["start_checks", "pass_checks", "reserve", "transfer"],
    S.SOLD: ["start_checks", "pass_checks", "reserve", "sell"],
    S.AWAITING_DISPOSAL: ["start_checks", "fail_checks"],
    S.DISPOSED: ["start_checks", "fail_checks", "dispose"],
}


@pytest.fixture
def school(session, manager):
    return parties.create_party(session, manager, PartyType.SCHOOL, name="Basisschool De Regenboog",
                                street="Kerkstraat 12", postcode="9000", city="Gent")


@pytest.fixture
def staff_member(session, manager):
    return parties.create_party(session, manager, PartyType.STAFF, name="An Peeters",
                                staff_number="P1", email="an.peeters@provincie.example")


@pytest.fixture
def context(school, staff_member):
    """What each transition needs from the person doing it."""
    return {
        "reserve": {"purpose": "handover"},
        "transfer": {"recipient": school, "labels_removed": True},
        "sell": {"recipient": staff_member, "labels_removed": True},
    }


def new_device(session, technician, status: AssetStatus | None = S.RECEIVED, serial="SN-1",
               manager=None, context=None) -> Asset:
    asset = assets.register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                                  model="Latitude 5420", serial=serial,
                                  announced=status == S.ANNOUNCED, grade=Grade.B,
                                  media=[MediumSpec(MediumKind.NVME, f"{serial}-D", 256)])
    for step in PATH_TO.get(status, []):
        prepare(session, technician, manager, asset.id, step)
        lifecycle.apply(session, manager or technician, asset.id, step, **(context or {}).get(step, {}))
    return asset


def prepare(session, technician, manager, asset_id: int, step: str) -> None:
    """The work a transition's guards ask for, done as the warehouse does it."""
    if step == "pass_checks":  # the bench: checklist answered, every medium wiped and verified
        answer_checklist(session, technician, asset_id)
        wipe_and_verify(session, technician, manager, asset_id)
    if step == "dispose":  # the disk goes to the shredder before the device leaves
        for medium in session.query(StorageMedium).filter_by(asset_id=asset_id, removed=False):
            sanitisation.record(session, technician, medium.id, method="destroy", technique="shred")


ALL_STATUSES = list(AssetStatus)
CASES = [(name, src) for name, t in lifecycle.TRANSITIONS.items() for src in ALL_STATUSES]


@pytest.mark.parametrize("name,source", [c for c in CASES if c[1] in lifecycle.TRANSITIONS[c[0]].sources],
                         ids=lambda v: str(v))
def test_legal_transition_moves_status_and_writes_one_event(session, technician, manager, context,
                                                            name, source):
    asset = new_device(session, technician, source, manager=manager, context=context)
    prepare(session, technician, manager, asset.id, name)
    before = audit.event_count(session)
    lifecycle.apply(session, manager, asset.id, name, **context.get(name, {}))
    session.expire_all()
    reloaded = session.get(Asset, asset.id)
    assert reloaded.status == lifecycle.TRANSITIONS[name].target
    assert audit.event_count(session) == before + 1
    last = audit.history(session, "asset", asset.id)[-1]
    assert last.action == name
    assert last.actor_name == "Mia Manager"


@pytest.mark.parametrize("name,source",
                         [c for c in CASES if c[1] not in lifecycle.TRANSITIONS[c[0]].sources],
                         ids=lambda v: str(v))
def test_illegal_transition_is_refused_and_changes_nothing(session, technician, manager, context,
                                                           name, source):
    asset = new_device(session, technician, source, manager=manager, context=context)
    version, events = asset.version, audit.event_count(session)
    with pytest.raises(IllegalTransition) as err:
        lifecycle.apply(session, manager, asset.id, name, **context.get(name, {}))
    assert asset.tag in str(err.value)
    assert lifecycle.status_label(source) in str(err.value)
    session.expire_all()
    reloaded = session.get(Asset, asset.id)
    assert reloaded.status == source
    assert reloaded.version == version
    assert audit.event_count(session) == events


def test_every_status_is_reachable_and_every_transition_is_covered():
    reachable = {t.target for t in lifecycle.TRANSITIONS.values()}
    assert reachable == set(AssetStatus)
    for t in lifecycle.TRANSITIONS.values():
        assert t.sources, t.name


def test_pass_checks_without_grade_is_refused_with_the_reason(session, technician):
    asset = assets.register_asset(session, technician, category=Category.LAPTOP, manufacturer="HP",
                                  model="EliteBook 840 G8", serial="5CG123")
    lifecycle.apply(session, technician, asset.id, "start_checks")
    with pytest.raises(GuardFailed) as err:
        lifecycle.apply(session, technician, asset.id, "pass_checks")
    assert "grade" in str(err.value)
    session.expire_all()
    assert session.get(Asset, asset.id).status == S.IN_REFURBISHMENT


def test_handover_needs_a_recipient_and_removed_labels(session, technician, manager, school):
    asset = new_device(session, technician, S.RESERVED, manager=manager,
                       context={"reserve": {"purpose": "handover"}})
    with pytest.raises(GuardFailed, match="recipient"):
        lifecycle.apply(session, manager, asset.id, "transfer", labels_removed=True)
    with pytest.raises(GuardFailed, match="labels"):
        lifecycle.apply(session, manager, asset.id, "transfer", recipient=school)
    lifecycle.apply(session, manager, asset.id, "transfer", recipient=school, labels_removed=True)
    session.expire_all()
    reloaded = session.get(Asset, asset.id)
    assert reloaded.status == S.TRANSFERRED
    assert reloaded.recipient_id == school.id


def test_sale_only_to_a_staff_member(session, technician, manager, school):
    asset = new_device(session, technician, S.RESERVED, manager=manager,
                       context={"reserve": {"purpose": "sale"}})
    with pytest.raises(GuardFailed, match="staff member"):
        lifecycle.apply(session, manager, asset.id, "sell", recipient=school, labels_removed=True)


def test_reservation_must_say_what_it_is_for(session, technician, manager):
    asset = new_device(session, technician, S.READY, manager=manager)
    with pytest.raises(GuardFailed, match="reservation is for"):
        lifecycle.apply(session, manager, asset.id, "reserve")


def test_registered_guard_blocks_transition(session, technician, monkeypatch):
    """Later workflows (sanitisation, certificates) hook their rules in like this."""
    original = lifecycle.TRANSITIONS["start_checks"]
    monkeypatch.setitem(lifecycle.TRANSITIONS, "start_checks",
                        dataclasses.replace(original, guards=list(original.guards)))
    lifecycle.register_guard("start_checks", lambda s, a, ctx: "the bench is closed")
    asset = new_device(session, technician, S.RECEIVED)
    with pytest.raises(GuardFailed, match="the bench is closed"):
        lifecycle.apply(session, technician, asset.id, "start_checks")


def test_technician_cannot_hand_over(session, technician, manager, school):
    asset = new_device(session, technician, S.RESERVED, manager=manager,
                       context={"reserve": {"purpose": "handover"}})
    with pytest.raises(PermissionDenied):
        lifecycle.apply(session, technician, asset.id, "transfer", recipient=school, labels_removed=True)


def test_status_cannot_be_written_outside_the_lifecycle(session, technician):
    asset = new_device(session, technician, S.RECEIVED)
    from app.services.errors import AuditWriteRefused

    with pytest.raises(AuditWriteRefused, match="lifecycle"):
        with unit_of_work(session, technician, "edit", permission="asset.edit"):
            asset.status = S.READY
    session.expire_all()
    assert session.scalar(select(Asset.status).where(Asset.id == asset.id)) == S.RECEIVED


def test_illegal_transition_message_is_dutch_in_the_dutch_ui(session, technician):
    from app import i18n

    asset = new_device(session, technician, S.RECEIVED)
    i18n.set_language("nl")
    with pytest.raises(IllegalTransition) as err:
        lifecycle.apply(session, SYSTEM, asset.id, "dispose")
    assert "ontvangen" in str(err.value)  # the status, in Dutch
    assert "afvoeren" in str(err.value) or "afvoer" in str(err.value)


# --- many devices in one flush (the register import) -----------------------------------------------

def test_enter_many_moves_every_device_with_one_event_each(session, technician):
    devices = [new_device(session, technician, serial=f"SN-M{i}") for i in range(3)]
    before = audit.event_count(session)
    with unit_of_work(session, technician, "start_checks", permission="lifecycle.start_checks"):
        lifecycle.enter_many(session, [session.get(Asset, d.id) for d in devices], "start_checks",
                             technician)
    session.expire_all()
    assert {session.get(Asset, d.id).status for d in devices} == {S.IN_REFURBISHMENT}
    assert audit.event_count(session) == before + 3
    assert audit.verify_chain(session).ok


def test_enter_many_with_one_illegal_device_changes_none(session, technician, manager, context):
    fine = new_device(session, technician, serial="SN-OK")
    ready = new_device(session, technician, S.READY, serial="SN-READY", manager=manager,
                       context=context)
    before = audit.event_count(session)
    with pytest.raises(IllegalTransition) as err, unit_of_work(
            session, technician, "start_checks", permission="lifecycle.start_checks"):
        lifecycle.enter_many(session, [session.get(Asset, fine.id), session.get(Asset, ready.id)],
                             "start_checks", technician)
    assert ready.tag in str(err.value)
    session.expire_all()
    assert session.get(Asset, fine.id).status == S.RECEIVED
    assert session.get(Asset, ready.id).status == S.READY
    assert audit.event_count(session) == before


@pytest.mark.parametrize(("name", "source"), [("transfer", S.RESERVED), ("sell", S.RESERVED),
                                              ("dispose", S.AWAITING_DISPOSAL)])
def test_a_device_that_leaves_leaves_its_shelf_in_the_same_event(session, technician, manager,
                                                                 context, name, source):
    shelf = locations.create_location(session, manager, site="Gent", zone="A", rack="1", shelf="2")
    asset = new_device(session, technician, source, manager=manager, context=context)
    moves.move_by_scan(session, technician, shelf.code, asset.tag)
    assert locations.devices_here(session, shelf.id) == 1
    prepare(session, technician, manager, asset.id, name)
    lifecycle.apply(session, manager, asset.id, name, **context.get(name, {}))
    session.expire_all()
    assert session.get(Asset, asset.id).location_id is None
    last = audit.history(session, "asset", asset.id)[-1]
    assert last.action == name and json.loads(last.changes)["location_id"] == [shelf.id, None]
