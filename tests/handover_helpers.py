"""Test helpers for the second life: ready devices with chosen specs, recipients, a reserved batch."""

from __future__ import annotations

import datetime as dt

from bench_helpers import bench_ready

from app import clock
from app.models import Asset, Category, Grade, MediumKind, PartyType
from app.services import assets, handover_requests, parties, refurbishment
from app.services.assets import MediumSpec


def ready_device(session, technician, manager, serial: str, *, category=Category.LAPTOP,
                 grade=Grade.B, ram_gb: int | None = 8, storage_gb: int | None = 256,
                 model: str = "Latitude 5420", manufacturer: str = "Dell") -> Asset:
    """A device taken over the bench properly (checklist, verified wipe, grade) and passed."""
    media = [MediumSpec(MediumKind.NVME, f"{serial}-D", storage_gb)] if category != Category.MONITOR else []
    asset = assets.register_asset(session, technician, category=category, manufacturer=manufacturer,
                                  model=model, serial=serial, ram_gb=ram_gb, storage_gb=storage_gb,
                                  media=media)
    bench_ready(session, technician, manager, asset.id, grade=grade)
    return refurbishment.pass_checks(session, technician, asset.id)


def school(session, manager, name="Sint-Jozefscollege", **extra):
    return parties.create_party(session, manager, PartyType.SCHOOL, name=name,
                                enterprise_number="0419.028.518", street="Collegestraat 24",
                                postcode="8800", city="Roeselare", contact_name="Els De Smet",
                                **extra)


def internal_service(session, manager, name="Dienst Welzijn"):
    return parties.create_party(session, manager, PartyType.SERVICE, name=name)


def laptops_request(session, manager, recipient, quantity=3, **line):
    return handover_requests.create_request(
        session, manager, recipient.id,
        [handover_requests.LineSpec(Category.LAPTOP, quantity, **line)],
        needed_by=clock.today() + dt.timedelta(days=14))


def reserve_all_proposals(session, manager, request):
    picks = [(p.line_id, p.asset_id) for p in handover_requests.propose(session, request.id)]
    return handover_requests.reserve(session, manager, request.id, picks)
