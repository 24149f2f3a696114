"""Test helpers: take a device over the bench the way a technician and a manager would."""

from __future__ import annotations

from app.models import Asset, AssetStatus, CheckOutcome, Grade, StorageMedium
from app.services import refurbishment, sanitisation


def answer_checklist(session, technician, asset_id: int, outcome=CheckOutcome.PASS) -> None:
    asset = session.get(Asset, asset_id)
    answers = [refurbishment.Answer(i.key, outcome, "90" if i.kind == "number" else None)
               for i in refurbishment.checklist_for(asset.category).items]
    refurbishment.record_items(session, technician, asset_id, answers)


def wipe_and_verify(session, technician, manager, asset_id: int) -> None:
    media = session.query(StorageMedium).filter_by(asset_id=asset_id).all()
    for medium in media:
        rec = sanitisation.record(session, technician, medium.id, method="purge",
                                  technique="crypto_erase", tool="Blancco", tool_version="8.1",
                                  verification_method="full read-back")
        sanitisation.verify(session, manager, rec.id)


def bench_ready(session, technician, manager, asset_id: int, grade: Grade = Grade.B) -> Asset:
    """Everything `pass_checks` asks for, done properly: on the bench, checklist, wipe, grade."""
    refurbishment.start(session, technician, asset_id)
    answer_checklist(session, technician, asset_id)
    wipe_and_verify(session, technician, manager, asset_id)
    refurbishment.set_grade(session, technician, asset_id, grade)
    return session.get(Asset, asset_id)


def pass_bench(session, technician, manager, asset_id: int) -> Asset:
    bench_ready(session, technician, manager, asset_id)
    refurbishment.pass_checks(session, technician, asset_id)
    asset = session.get(Asset, asset_id)
    assert asset.status == AssetStatus.READY
    return asset
