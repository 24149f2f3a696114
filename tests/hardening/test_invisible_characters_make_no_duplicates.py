"""Finding 3: identifiers are read one way (NFKC, no format characters, no control characters)."""

from __future__ import annotations

import pytest
from hardening_helpers import depot_csv, depot_row
from sqlalchemy import func, select

from app.models import Asset, Category, MediumKind, PartyType, Role, User
from app.services import asset_import, auth, intake, parties, wipe_reports
from app.services.asset_import import ImportMode, RowAction
from app.services.assets import MediumSpec, register_asset
from app.services.codes import ScanKind, classify
from app.services.errors import DuplicateSerial, ValidationError
from app.services.identifiers import normalise_identifier
from app.services.uow import unit_of_work

LOOK_ALIKES = ["INV1", "INV1\u200b", "ＩＮＶ１", "INV\u00ad1"]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alike_serials_normalise_to_the_same_identifier(text):
    assert normalise_identifier(text) == "INV1"


def test_a_control_character_in_an_identifier_is_refused():
    with pytest.raises(ValidationError, match="control character"):
        normalise_identifier("INV\x001")


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alike_scans_are_the_same_serial(text):
    assert (classify(text).kind, classify(text).value) == (ScanKind.SERIAL, "INV1")


def test_a_full_width_tag_scan_opens_the_tag():
    assert classify("ＣＤ００００００１３").kind is ScanKind.TAG


def test_four_look_alike_rows_in_a_file_are_one_device(session, technician):
    plan = asset_import.validate(session, depot_csv(*(depot_row(s) for s in LOOK_ALIKES)), "r.csv")
    result = asset_import.commit(session, technician, plan, ImportMode.VALID_ONLY)
    assert (result.created, result.rejected) == (1, 3)
    assert session.scalar(select(func.count()).select_from(Asset)) == 1


def test_a_known_serial_with_a_zero_width_space_is_not_registered_twice(session, technician):
    register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                   model="Latitude", serial="INV1")
    with pytest.raises(DuplicateSerial):
        register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                       model="Latitude", serial="INV1\u200b")


def test_a_known_serial_with_a_zero_width_space_updates_the_device_on_import(session, technician):
    register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                   model="Latitude 5420", serial="INV1")
    plan = asset_import.validate(session, depot_csv(depot_row("INV1\u200b")), "r.csv")
    assert plan.rows[0].action is RowAction.UNCHANGED


def test_a_manufacturer_with_a_soft_hyphen_is_the_same_manufacturer(session, technician):
    register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                   model="Latitude", serial="INV1")
    with pytest.raises(DuplicateSerial):
        register_asset(session, technician, category=Category.LAPTOP, manufacturer="De\u00adll",
                       model="Latitude", serial="INV1")


def test_a_control_character_in_an_imported_serial_rejects_the_row(session):
    plan = asset_import.validate(session, depot_csv(depot_row("INV\x001")), "r.csv")
    assert "control character" in plan.rows[0].error_text()


def test_the_intake_form_refuses_a_serial_with_a_control_character(session, technician, manager):
    service = parties.create_party(session, manager, PartyType.SERVICE, name="Dienst Welzijn")
    lot = intake.open_lot(session, technician, service.id)
    form = intake.form_for_category("INV\x071", Category.LAPTOP, "Dell", "Latitude")
    with pytest.raises(ValidationError, match="control character"):
        intake.receive(session, technician, lot.id, form)


def test_a_wipe_report_serial_with_a_zero_width_space_finds_the_disk(session, technician, laptop):
    data = (b'{"device": {"serial_no": "S3Z9NB0K123456\\u200b"}, "wipe_result": {"status": '
            b'"success", "start_time": 1763625600, "end_time": 1763629200}}')
    assert wipe_reports.import_report(session, technician, "r.json", data).ok


def test_a_full_width_user_name_is_the_same_user(session, admin):
    auth.add_user(session, admin, "tom", "Tom", Role.TECHNICIAN, "tech-pass-1")
    with pytest.raises(auth.DuplicateUser):
        auth.add_user(session, admin, "ｔｏｍ", "Tom again", Role.TECHNICIAN, "tech-pass-1")


def test_a_full_width_user_name_signs_in(session, admin):
    auth.add_user(session, admin, "tom", "Tom", Role.TECHNICIAN, "tech-pass-1")
    assert auth.authenticate(session, "ｔｏｍ\u200b", "tech-pass-1").username == "tom"


def test_a_password_typed_in_another_normal_form_signs_in(session, admin):
    auth.add_user(session, admin, "tom", "Tom", Role.TECHNICIAN, "ｐａｓｓ-word-1")
    assert auth.authenticate(session, "tom", "pass-word-1").username == "tom"


def test_a_hash_made_before_normalisation_still_signs_in_and_is_rehashed(session, admin):
    user = auth.add_user(session, admin, "tom", "Tom", Role.TECHNICIAN, "placeholder-1")
    with unit_of_work(session, admin, "edit", permission="user.manage"):  # a hash of it as typed
        session.get(User, user.id).password_hash = auth._hasher.hash("ｐａｓｓ-word-1")
    auth.authenticate(session, "tom", "ｐａｓｓ-word-1")
    session.expire_all()
    assert auth._matches(session.get(User, user.id).password_hash, "pass-word-1")


def test_a_disk_serial_typed_with_a_zero_width_space_is_found_by_its_wipe_report(session,
                                                                                 technician):
    register_asset(session, technician, category=Category.LAPTOP, manufacturer="Dell",
                   model="Latitude", serial="LAP-9",
                   media=[MediumSpec(MediumKind.SSD, "DISK\u200b-9", 256)])
    data = (b'{"device": {"serial_no": "DISK-9"}, "wipe_result": {"status": "success", '
            b'"start_time": 1763625600, "end_time": 1763629200}}')
    assert wipe_reports.import_report(session, technician, "r.json", data).ok
