"""Fill a benchmark database with N assets quickly.

Real work goes through the services (and the audit trail); a benchmark needs
100 000 or 1 000 000 rows in seconds, so this writes the asset rows directly
with Core executemany. A database seeded like this is for measuring only: its
audit trail does not cover the seeded rows (`audit verify` still passes, as
those rows never had events).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import insert, select

from app.db import Database
from app.models import Asset, AssetStatus, Counter, Party, PartyType
from app.services import sequences
from app.services.codes import format_tag
from app.services.demo import MODELS, SERVICES
from app.services.permissions import SYSTEM
from app.services import parties


def seed_assets(database: Database, n: int, seed: int = 7, batch: int = 20_000) -> None:
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    with database.session() as s:
        have = {p.name for p in s.scalars(select(Party))}
        for name in SERVICES:
            if name not in have:
                parties.create_party(s, SYSTEM, PartyType.SERVICE, name=name)
        service_ids = list(s.scalars(select(Party.id).where(Party.type == PartyType.SERVICE)))
    statuses = list(AssetStatus)
    with database.engine.begin() as conn:
        start = conn.execute(select(Counter.value).where(Counter.name == sequences.ASSET_TAG)).scalar() or 0
        rows = []
        for i in range(1, n + 1):
            cat, make, model, cpu, ram, storage, screen, cost, weight, medium, style = rng.choice(MODELS)
            number = start + i
            rows.append(dict(
                tag=format_tag(number), category=cat.value, manufacturer=make, model=model,
                serial=f"B{number:09d}", serial_normalised=f"B{number:09d}", cpu=cpu or None,
                ram_gb=ram, storage_gb=storage, status=rng.choice(statuses).value,
                status_changed_at=now - dt.timedelta(days=rng.randint(0, 400)),
                origin_service_id=rng.choice(service_ids), data_bearing=medium is not None,
                weight_kg=Decimal(weight), version=1, created_at=now, updated_at=now,
            ))
            if len(rows) == batch:
                conn.execute(insert(Asset.__table__), rows)
                rows = []
        if rows:
            conn.execute(insert(Asset.__table__), rows)
        if start == 0:
            conn.execute(insert(Counter.__table__), [{"name": sequences.ASSET_TAG, "value": start + n}])
        else:
            conn.execute(Counter.__table__.update().where(Counter.name == sequences.ASSET_TAG)
                         .values(value=start + n))
