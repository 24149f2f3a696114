"""Proposed prices: the residual-value curve, the grade, the floor, whole euros, missing data."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from app.models import Asset, Category, Grade
from app.services import pricing

TODAY = dt.date(2026, 11, 29)


def device(category=Category.LAPTOP, cost="1000", bought=dt.date(2024, 11, 29), grade=Grade.A):
    return Asset(category=category, purchase_cost=Decimal(cost) if cost else None,
                 purchase_date=bought, grade=grade)


def test_price_follows_the_curve_and_is_rounded_to_whole_euros():
    # 1000 × 0.70 × 0.65² × 1.00 = 295.75 → 296
    proposal = pricing.propose(device(), TODAY)
    assert proposal.price == Decimal(296)
    assert proposal.inputs["months"] == 24 and proposal.inputs["basis"] == "curve"


def test_grade_lowers_the_price():
    a = pricing.propose(device(grade=Grade.A), TODAY).price
    c = pricing.propose(device(grade=Grade.C), TODAY).price
    assert c == Decimal(207) and c < a  # 295.75 × 0.70 = 207.03


def test_very_old_device_gets_the_floor():
    proposal = pricing.propose(device(bought=dt.date(2012, 1, 1)), TODAY)
    assert proposal.price == Decimal(30) and proposal.inputs["floored"] is True
    assert pricing.explain(proposal.rule_json()).endswith("never below €30.00")


def test_without_purchase_cost_the_fallback_is_proposed():
    proposal = pricing.propose(device(cost=None, grade=Grade.B), TODAY)
    assert proposal.price == Decimal(51)  # fallback 60 × 0.85
    assert proposal.inputs["basis"] == "fallback"


def test_without_purchase_date_the_fallback_is_proposed():
    assert pricing.propose(device(bought=None), TODAY).inputs["basis"] == "fallback"


def test_fallback_never_goes_below_the_floor():
    assert pricing.propose(device(Category.MONITOR, cost=None, grade=Grade.D), TODAY).price == Decimal(10)


def test_purchase_date_in_the_future_counts_as_new():
    assert pricing.propose(device(bought=dt.date(2027, 5, 1)), TODAY).inputs["months"] == 0


def test_half_a_euro_rounds_up():
    assert pricing.whole_euros(Decimal("40.50")) == Decimal(41)


def test_the_price_rule_is_explained_in_words_with_its_inputs():
    text = pricing.explain(pricing.propose(device(grade=Grade.B), TODAY).rule_json())
    assert text == ("bought for €1,000.00, 24 months ago · 70% of it on leaving service, then 65% "
                    "kept a year · grade B counts 85% → €251.39")  # 1000 × .70 × .65² × .85


def test_the_price_rule_reads_in_dutch_with_dutch_numbers():
    from app.i18n import set_language

    set_language("nl")
    try:
        text = pricing.explain(pricing.propose(device(cost=Decimal(1150), bought=dt.date(2024, 1, 1),
                                                      grade=Grade.B), TODAY).rule_json())
    finally:
        set_language("en")
    assert text.startswith("gekocht voor €\xa01.150,00, 34 maanden geleden · ")
    assert "70% daarvan bij uitdienstname, daarna 65% behouden per jaar · klasse B telt voor 85% → €\xa0201,90" in text


def test_a_device_without_purchase_data_says_so():
    proposal = pricing.propose(device(cost=None, grade=Grade.B), TODAY)
    assert pricing.explain(proposal.rule_json()) == (
        "no purchase data: a fixed €60.00 · grade B counts 85% · never below €30.00")


def test_every_category_has_a_rule_with_its_rationale_in_the_data_file():
    raw = json.loads(pricing.PRICING_FILE.read_text(encoding="utf-8"))
    assert set(raw["categories"]) == {c.value for c in Category}
    assert set(raw["_rationale"]) >= {"start", "annual_retention", "floor", "fallback"}
