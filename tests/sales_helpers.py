"""Test helpers for staff resale: ready devices and staff members, made the way the warehouse does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bench_helpers import pass_bench

from app.models import Category, MediumKind
from app.services import assets, staff
from app.services.assets import MediumSpec

LAPTOP = (Category.LAPTOP, "Dell", "Latitude 5420", MediumKind.NVME)
PHONE = (Category.SMARTPHONE, "Fairphone", "Fairphone 4", MediumKind.FLASH)


def ready_device(session, technician, manager, serial: str, kind=LAPTOP,
                 cost: str | None = "1150", bought: dt.date | None = dt.date(2022, 3, 1)):
    category, make, model, medium = kind
    asset = assets.register_asset(session, technician, category=category, manufacturer=make,
                                  model=model, serial=serial, cpu="Intel Core i5", ram_gb=16,
                                  storage_gb=256, purchase_cost=Decimal(cost) if cost else None,
                                  purchase_date=bought,
                                  media=[MediumSpec(medium, f"{serial}-D", 256)])
    pass_bench(session, technician, manager, asset.id)
    return asset


def staff_members(session, manager, n: int):
    return [staff.add_staff_member(session, manager, f"Collega{i} Achternaam{i}", f"P{10000 + i}",
                                   f"collega{i}@provincie.example", "Dienst Financiën")
            for i in range(n)]
