"""Reference data for intake: category defaults and the model catalogue, read from resources/.

`resources/categories.json` says per category whether a device holds data, how
many media it usually has and its default weight; `resources/catalogue/models.json`
lists known models per manufacturer with their usual specs. Both are data a
province can extend without touching code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..models import Category, MediumKind
from ..paths import RESOURCES


@dataclass(frozen=True)
class CategoryDefaults:
    data_bearing: bool
    media: int
    medium_kind: MediumKind | None
    weight_kg: Decimal


@dataclass(frozen=True)
class CatalogueModel:
    manufacturer: str
    model: str
    category: Category
    cpu: str | None
    ram_gb: int | None
    storage_gb: int | None
    screen_inch: Decimal | None
    weight_kg: Decimal | None
    medium_kind: MediumKind | None


@cache
def category_defaults() -> dict[Category, CategoryDefaults]:
    raw = json.loads((RESOURCES / "categories.json").read_text(encoding="utf-8"))
    return {
        Category(key): CategoryDefaults(
            data_bearing=bool(v["data_bearing"]), media=int(v["media"]),
            medium_kind=MediumKind(v["medium_kind"]) if v.get("medium_kind") else None,
            weight_kg=Decimal(v["weight_kg"]),
        )
        for key, v in raw.items() if not key.startswith("_")
    }


@cache
def models() -> tuple[CatalogueModel, ...]:
    raw = json.loads((RESOURCES / "catalogue" / "models.json").read_text(encoding="utf-8"))
    out = []
    for make, rows in raw.items():
        if make.startswith("_"):
            continue
        for r in rows:
            out.append(CatalogueModel(
                manufacturer=make, model=r["model"], category=Category(r["category"]),
                cpu=r.get("cpu"), ram_gb=r.get("ram_gb"), storage_gb=r.get("storage_gb"),
                screen_inch=Decimal(r["screen_inch"]) if r.get("screen_inch") else None,
                weight_kg=Decimal(r["weight_kg"]) if r.get("weight_kg") else None,
                medium_kind=MediumKind(r["medium_kind"]) if r.get("medium_kind") else None,
            ))
    return tuple(out)


def manufacturers() -> list[str]:
    return sorted({m.manufacturer for m in models()})


def models_for(manufacturer: str) -> list[CatalogueModel]:
    key = manufacturer.strip().casefold()
    return [m for m in models() if m.manufacturer.casefold() == key]


def lookup(manufacturer: str, model: str) -> CatalogueModel | None:
    key = model.strip().casefold()
    return next((m for m in models_for(manufacturer) if m.model.casefold() == key), None)
