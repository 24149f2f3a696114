"""Proposed prices for staff sales: a residual-value curve per category, as data.

`resources/pricing.json` holds, per category, the share of the purchase cost a
device is worth when it leaves service (`start`), the share of its value it
keeps each further year (`annual_retention`), a floor and a fallback for devices
without purchase data; and a factor per cosmetic grade. The proposal keeps its
inputs, so the screen and the catalogue can show how each price came about.
Money is `Decimal` in euros throughout.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from .. import clock, formats
from ..i18n import N_, _, n_
from ..models import Asset
from ..paths import RESOURCES

PRICING_FILE = RESOURCES / "pricing.json"
EURO = Decimal(1)


@dataclass(frozen=True)
class CategoryRule:
    start: Decimal
    annual_retention: Decimal
    floor: Decimal
    fallback: Decimal


@dataclass(frozen=True)
class PriceRules:
    categories: dict[str, CategoryRule]
    grade_factors: dict[str, Decimal]
    payment_days: int

    def for_category(self, category: str) -> CategoryRule:
        return self.categories.get(category) or self.categories["other"]


def load_rules(path: Path = PRICING_FILE) -> PriceRules:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return PriceRules(
        {name: CategoryRule(*(Decimal(str(r[k])) for k in ("start", "annual_retention", "floor",
                                                           "fallback")))
         for name, r in raw["categories"].items()},
        {g: Decimal(str(f)) for g, f in raw["grade_factors"].items()},
        int(raw.get("payment_days", 14)))


@cache
def default_rules() -> PriceRules:
    return load_rules()


@dataclass(frozen=True)
class Proposal:
    price: Decimal
    inputs: dict  # JSON-ready: what the rule saw and which branch it took

    def rule_json(self) -> str:
        return json.dumps(self.inputs, sort_keys=True)


def whole_euros(amount: Decimal) -> Decimal:
    return amount.quantize(EURO, rounding=ROUND_HALF_UP)


def age_in_months(purchased: dt.date, today: dt.date) -> int:
    months = (today.year - purchased.year) * 12 + today.month - purchased.month
    if today.day < purchased.day:
        months -= 1
    return max(0, months)  # a purchase date in the future is an input error, not a younger device


def propose(asset: Asset, today: dt.date | None = None, rules: PriceRules | None = None) -> Proposal:
    """The price the rule proposes for this device today, with the inputs it used."""
    rules = rules or default_rules()
    today = today or clock.today()
    category = asset.category.value if asset.category else "other"
    rule = rules.for_category(category)
    grade = asset.grade.value if asset.grade else None
    factor = rules.grade_factors.get(grade, Decimal(1)) if grade else Decimal(1)
    inputs: dict = {"category": category, "grade": grade, "grade_factor": str(factor),
                    "floor": str(rule.floor)}
    cost = asset.purchase_cost
    if cost is None or asset.purchase_date is None or cost <= 0:
        inputs.update(basis="fallback", fallback=str(rule.fallback))
        return Proposal(whole_euros(max(rule.fallback * factor, rule.floor)), inputs)
    months = age_in_months(asset.purchase_date, today)
    # retention ** (months / 12) on Decimal, computed in float and brought back: the exponent is
    # fractional, and a cent of difference is rounded away to whole euros anyway.
    curve = Decimal(repr(math.pow(float(rule.annual_retention), months / 12)))
    residual = cost * rule.start * curve * factor
    floored = residual < rule.floor
    inputs.update(basis="curve", purchase_cost=str(cost), months=months, start=str(rule.start),
                  annual_retention=str(rule.annual_retention),
                  residual=str(residual.quantize(Decimal("0.01"))), floored=floored)
    return Proposal(whole_euros(max(residual, rule.floor)), inputs)


def explain(rule_json: str) -> str:
    """How a proposed price came about, in words with its inputs (for the screen and the
    catalogue): "bought for € 1.000, 24 months ago · 70% of it on leaving service, then 65% kept
    a year · grade B counts 85% → € 245,23"."""
    try:
        i = json.loads(rule_json)
    except ValueError:
        return ""
    grade = (_("grade {grade} counts {share}", grade=i["grade"],
               share=formats.percent(Decimal(i["grade_factor"])))
             if i.get("grade") else _("no grade"))
    if i.get("basis") == "fallback":
        parts = [_("no purchase data: a fixed {amount}", amount=formats.money(Decimal(i["fallback"]))),
                 grade]
    else:
        months = int(i["months"])
        parts = [n_(months, "bought for {cost}, {n} month ago", "bought for {cost}, {n} months ago",
                    cost=formats.money(Decimal(i["purchase_cost"]))),
                 _("{start} of it on leaving service, then {kept} kept a year",
                   start=formats.percent(Decimal(i["start"])),
                   kept=formats.percent(Decimal(i["annual_retention"]))),
                 grade + " → " + formats.money(Decimal(i["residual"]))]
    text = " · ".join(parts)
    if i.get("floored") or i.get("basis") == "fallback":
        text += " · " + _("never below {floor}", floor=formats.money(Decimal(i["floor"])))
    return text


RULE_HEADING = N_("Price rule")
