"""WEEE reference data, read from `resources/weee.json`: categories, mapping, EURAL codes, treatments.

The six categories are those of Directive 2012/19/EU Annex III; which category, waste stream
(household-like 'dual use' or professional) and EURAL code a device category gets is the
province's choice, kept as data with its sources named in the file. A batch stores what it used,
so a later change of the file never rewrites a past pick-up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..i18n import current_language
from ..models import Asset, Category, WasteStream
from ..paths import RESOURCES
from .catalogue import category_defaults

WEEE_FILE = RESOURCES / "weee.json"
CATEGORIES = (1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class WeeeClass:
    """What the waste register says about one device."""

    weee_category: int
    stream: WasteStream
    hazardous: bool
    eural_code: str


@cache
def _data() -> dict:
    return json.loads(WEEE_FILE.read_text(encoding="utf-8"))


def _named(entry: dict, language: str | None) -> str:
    lang = language or current_language()
    return entry.get(lang) or entry["en"]


def category_name(number: int, language: str | None = None) -> str:
    return _named(_data()["categories"][str(number)], language)


def category_short(number: int, language: str | None = None) -> str:
    """A short name for a narrow column ("Screens and monitors")."""
    entry = _data()["categories"][str(number)]
    return entry.get(f"short_{language or current_language()}") or entry["short_en"]


def eural_code(stream: WasteStream | str, hazardous: bool) -> str:
    return _data()["eural"][WasteStream(stream).value]["hazardous" if hazardous else "other"]


def eural_name(code: str, language: str | None = None) -> str:
    entry = _data()["eural_names"].get(code)
    return _named(entry, language) if entry else code


def treatments() -> list[str]:
    return list(_data()["treatments"])


def default_treatment() -> str:
    return _data()["default_treatment"]


def treatment_name(code: str, language: str | None = None) -> str:
    entry = _data()["treatments"].get(code)
    return _named(entry, language) if entry else code


def classify(category: Category | str, weee_category: int | None = None) -> WeeeClass:
    """The WEEE class of a device category; `weee_category` overrides the mapped category."""
    row = _data()["device_categories"][Category(category).value]
    stream, hazardous = WasteStream(row["stream"]), bool(row["hazardous"])
    return WeeeClass(int(weee_category or row["weee_category"]), stream, hazardous,
                     eural_code(stream, hazardous))


def default_weight(asset: Asset) -> Decimal:
    """The device's own recorded weight, else its category's default from categories.json."""
    if asset.weight_kg is not None and asset.weight_kg > 0:
        return Decimal(asset.weight_kg)
    return category_defaults()[Category(asset.category)].weight_kg
