"""The refurbishment bench from the service layer: checklists, four-eyes, the data rule, parts."""

from __future__ import annotations

import pytest
from bench_helpers import answer_checklist, bench_ready, pass_bench, wipe_and_verify
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.models import (
    Asset,
    AssetStatus,
    Category,
    CheckOutcome,
    Grade,
    MediumKind,
    PartKind,
    PartyType,
    SanitisationRecord,
    StorageMedium,
)
from app.services import assets, lifecycle, parties, refurbishment, sanitisation, spare_parts
from app.services.assets import MediumSpec
from app.services.errors import GuardFailed, PermissionDenied, ValidationError


@pytest.fixture
def laptop(session, technician):
    return assets.register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                                 model="Latitude 5420", serial="7XK2LM3",
                                 media=[MediumSpec(MediumKind.NVME, "S4EWNX0R123", 256)])


@pytest.fixture
def on_bench(session, technician, laptop):
    refurbishment.start(session, technician, laptop.id)
    return laptop


def medium_of(session, asset) -> StorageMedium:
    return session.scalars(select(StorageMedium).where(StorageMedium.asset_id == asset.id)).first()


def status(session, asset) -> AssetStatus:
    session.expire_all()
    return session.get(Asset, asset.id).status


# --- checklists ------------------------------------------------------------------------

def test_every_category_has_a_checklist_in_both_languages():
    for category in Category:
        checklist = refurbishment.checklist_for(category)
        assert checklist.items
        for item in checklist.items:
            assert item.nl.strip() and item.en.strip()


def test_laptop_checklist_asks_battery_health_but_desktop_does_not():
    laptop_keys = {i.key for i in refurbishment.checklist_for(Category.LAPTOP).items}
    desktop_keys = {i.key for i in refurbishment.checklist_for(Category.DESKTOP).items}
    assert {"battery_health", "mdm_released", "firmware_password_removed"} <= laptop_keys
    assert "battery_health" not in desktop_keys and "mdm_released" in desktop_keys


def test_scanning_a_received_device_puts_it_on_the_bench(session, technician, laptop):
    refurbishment.start(session, technician, laptop.id)
    assert status(session, laptop) == AssetStatus.IN_REFURBISHMENT


def test_a_weak_battery_fails_its_item_whatever_was_ticked(session, technician, on_bench):
    row = refurbishment.record_item(session, technician, on_bench.id, "battery_health", "pass", "41")
    assert row.outcome == CheckOutcome.FAIL


def test_a_number_item_needs_a_number(session, technician, on_bench):
    with pytest.raises(ValidationError, match="needs a number"):
        refurbishment.record_item(session, technician, on_bench.id, "battery_health", "pass", "lots")


def test_answers_are_stored_with_who_and_when(session, technician, on_bench):
    refurbishment.record_item(session, technician, on_bench.id, "keyboard", "fail", note="key E missing")
    answer = refurbishment.results(session, on_bench.id)["keyboard"]
    assert answer.outcome == CheckOutcome.FAIL and answer.note == "key E missing"
    assert answer.recorded_by_id == technician.id and answer.recorded_at is not None


def test_incomplete_checklist_blocks_pass(session, technician, manager, on_bench):
    wipe_and_verify(session, technician, manager, on_bench.id)
    refurbishment.set_grade(session, technician, on_bench.id, Grade.B)
    refurbishment.record_item(session, technician, on_bench.id, "powers_on", "pass")
    with pytest.raises(GuardFailed, match="checklist is not complete"):
        refurbishment.pass_checks(session, technician, on_bench.id)
    assert status(session, on_bench) == AssetStatus.IN_REFURBISHMENT


def test_a_failed_required_item_blocks_pass_with_the_reason(session, technician, manager, on_bench):
    bench_ready(session, technician, manager, on_bench.id)
    refurbishment.record_item(session, technician, on_bench.id, "wifi", "fail")
    with pytest.raises(GuardFailed, match="required checklist item failed"):
        refurbishment.pass_checks(session, technician, on_bench.id)


def test_a_failed_optional_item_does_not_block_pass(session, technician, manager, on_bench):
    bench_ready(session, technician, manager, on_bench.id)
    refurbishment.record_item(session, technician, on_bench.id, "webcam", "fail")
    refurbishment.pass_checks(session, technician, on_bench.id)
    assert status(session, on_bench) == AssetStatus.READY


def test_grade_definitions_exist_in_both_languages():
    for grade in Grade:
        assert refurbishment.grade_definition(grade, "nl") != refurbishment.grade_definition(grade, "en")


# --- the data rule ---------------------------------------------------------------------------

def test_a_laptop_with_an_unwiped_disk_cannot_pass(session, technician, on_bench):
    answer_checklist(session, technician, on_bench.id)
    refurbishment.set_grade(session, technician, on_bench.id, Grade.B)
    with pytest.raises(GuardFailed, match="no successful wipe"):
        refurbishment.pass_checks(session, technician, on_bench.id)
    assert status(session, on_bench) == AssetStatus.IN_REFURBISHMENT


def test_an_unverified_wipe_is_not_enough(session, technician, on_bench):
    answer_checklist(session, technician, on_bench.id)
    refurbishment.set_grade(session, technician, on_bench.id, Grade.B)
    sanitisation.record(session, technician, medium_of(session, on_bench).id, method="clear",
                        technique="overwrite", tool="nwipe")
    with pytest.raises(GuardFailed, match="second person"):
        refurbishment.pass_checks(session, technician, on_bench.id)


def test_a_failed_wipe_cannot_be_verified_and_does_not_count(session, technician, manager, on_bench):
    rec = sanitisation.record(session, technician, medium_of(session, on_bench).id, method="clear",
                              technique="overwrite", verification_result="failed")
    with pytest.raises(sanitisation.FailedRecordCannotBeVerified):
        sanitisation.verify(session, manager, rec.id)
    assert sanitisation.release_problem(session, on_bench) is not None


def test_a_device_that_holds_data_but_has_no_media_recorded_cannot_pass(session, technician, manager):
    phone = assets.register_asset(session, technician, category=Category.SMARTPHONE,
                                  manufacturer="Fairphone", model="Fairphone 4", serial="35000000001")
    pass_attempt = bench_ready(session, technician, manager, phone.id)
    with pytest.raises(GuardFailed, match="no storage medium is recorded"):
        refurbishment.pass_checks(session, technician, pass_attempt.id)


def test_a_monitor_holds_no_data_and_passes_without_media(session, technician, manager):
    screen = assets.register_asset(session, technician, category=Category.MONITOR, manufacturer="Dell",
                                   model="P2419H", serial="CN0J8T2K")
    pass_bench(session, technician, manager, screen.id)


def test_handover_is_refused_when_a_medium_was_added_after_the_bench(session, technician, manager,
                                                                     laptop):
    school = parties.create_party(session, manager, PartyType.SCHOOL, name="School", street="s",
                                  postcode="9000", city="Gent")
    pass_bench(session, technician, manager, laptop.id)
    lifecycle.apply(session, manager, laptop.id, "reserve", purpose="handover")
    assets.add_medium(session, technician, laptop.id, MediumSpec(MediumKind.HDD, "WD-EXTRA", 1000))
    with pytest.raises(GuardFailed, match="no successful wipe"):
        lifecycle.apply(session, manager, laptop.id, "transfer", recipient=school, labels_removed=True)
    assert status(session, laptop) == AssetStatus.RESERVED


def test_a_shredded_disk_counts_as_destroyed(session, technician, manager, on_bench):
    rec = sanitisation.record(session, technician, medium_of(session, on_bench).id, method="destroy",
                              technique="shred", tool="HSM Powerline")
    sanitisation.verify(session, manager, rec.id)
    session.expire_all()
    assert medium_of(session, on_bench).removed
    assert sanitisation.release_problem(session, session.get(Asset, on_bench.id)) is None


# --- four eyes ------------------------------------------------------------------------

def test_the_operator_cannot_verify_their_own_wipe(session, manager, on_bench, technician):
    rec = sanitisation.record(session, manager, medium_of(session, on_bench).id, method="purge",
                              technique="crypto_erase")
    with pytest.raises(sanitisation.FourEyesViolation):
        sanitisation.verify(session, manager, rec.id)
    session.expire_all()
    assert session.get(SanitisationRecord, rec.id).verifier_id is None


def test_a_technician_cannot_verify(session, technician, manager, on_bench):
    rec = sanitisation.record(session, manager, medium_of(session, on_bench).id, method="purge",
                              technique="crypto_erase")
    with pytest.raises(PermissionDenied):
        sanitisation.verify(session, technician, rec.id)


def test_the_database_itself_refuses_a_self_verified_record(session, technician, on_bench):
    rec = sanitisation.record(session, technician, medium_of(session, on_bench).id, method="purge",
                              technique="crypto_erase")
    from sqlalchemy import text

    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE sanitisation_records SET verifier_id = operator_id WHERE id = :i"),
                        {"i": rec.id})
        session.flush()
    session.rollback()


def test_verification_records_both_people(session, technician, manager, on_bench):
    rec = sanitisation.record(session, technician, medium_of(session, on_bench).id, method="clear",
                              technique="overwrite", tool="nwipe", tool_version="0.37",
                              verification_method="verify last pass")
    sanitisation.verify(session, manager, rec.id)
    session.expire_all()
    stored = session.get(SanitisationRecord, rec.id)
    assert (stored.operator_id, stored.verifier_id) == (technician.id, manager.id)
    assert stored.verified and stored.verified_at is not None
    assert stored.media_serial == "S4EWNX0R123" and stored.media_kind == MediumKind.NVME


# --- spare parts -----------------------------------------------------------------------

@pytest.fixture
def failed_laptop(session, technician, on_bench):
    refurbishment.fail_checks(session, technician, on_bench.id)
    return on_bench


def test_parts_are_harvested_counted_and_issued(session, technician, failed_laptop):
    ram = spare_parts.harvest(session, technician, failed_laptop.id, PartKind.RAM, "8 GB DDR4 SO-DIMM")
    spare_parts.harvest(session, technician, failed_laptop.id, PartKind.CHARGER, "Dell 65 W USB-C")
    assert spare_parts.stock(session) == {PartKind.RAM: 1, PartKind.CHARGER: 1}
    spare_parts.issue(session, technician, ram.id, "into CD00000021")
    assert spare_parts.stock(session) == {PartKind.CHARGER: 1}
    with pytest.raises(spare_parts.PartAlreadyIssued):
        spare_parts.issue(session, technician, ram.id, "again")


def test_parts_only_come_from_devices_that_will_not_get_a_second_life(session, technician, on_bench):
    with pytest.raises(spare_parts.NotForHarvest):
        spare_parts.harvest(session, technician, on_bench.id, PartKind.RAM, "8 GB")


def test_a_harvested_disk_needs_its_own_verified_wipe_before_reuse(session, technician, manager,
                                                                    failed_laptop):
    medium = medium_of(session, failed_laptop)
    disk = spare_parts.harvest(session, technician, failed_laptop.id, PartKind.SSD, "256 GB NVMe",
                               medium_id=medium.id)
    with pytest.raises(spare_parts.DiskNotSanitised):
        spare_parts.issue(session, technician, disk.id, "into a desktop")
    rec = sanitisation.record(session, technician, medium.id, method="purge", technique="crypto_erase")
    sanitisation.verify(session, manager, rec.id)
    spare_parts.issue(session, technician, disk.id, "into a desktop")
    assert spare_parts.stock(session) == {}
