"""Numbers, weights, money and plurals as each language writes them (one helper, Babel's CLDR)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app import formats
from app.i18n import n_, set_language


@pytest.mark.parametrize(("language", "count", "weight", "price"), [
    ("nl", "1.146", "1,6 kg", "€\u00a01.262,50"),  # a no-break space keeps € with the amount
    ("en", "1,146", "1.6 kg", "€1,262.50"),
])
def test_numbers_weights_and_money_follow_the_language(language, count, weight, price):
    assert formats.number(1146, language) == count
    assert formats.kg(Decimal("1.60"), language) == weight
    assert formats.money(Decimal("1262.5"), language) == price


def test_a_weight_keeps_one_to_two_decimals():
    assert [formats.decimal(Decimal(v), 2, "nl") for v in ("12", "1.6", "0.25", "0.333")] == \
        ["12,0", "1,6", "0,25", "0,33"]


@pytest.mark.parametrize(("language", "count", "text"), [
    ("nl", 1, "1 toestel"), ("nl", 2, "2 toestellen"), ("nl", 0, "0 toestellen"),
    ("nl", 1146, "1.146 toestellen"), ("en", 1, "1 device"), ("en", 1146, "1,146 devices"),
])
def test_counts_take_the_singular_or_the_plural(language, count, text):
    set_language(language)  # the root conftest sets English again after the test
    assert n_(count, "{n} device", "{n} devices") == text
