"""Numbers, weights and money as the reader's language writes them, by Babel (CLDR data).

One helper for the screen and for paper, so a weight never reads "1.6" on one page and "1,60"
on the next, and English never shows a Dutch decimal comma. Dutch follows nl-BE (1.146 · 1,6 kg
· € 1.262,50), English en-GB (1,146 · 1.6 kg · €1,262.50). Plurals are `i18n.n_`.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, format_decimal, format_percent

from .i18n import babel_locale


def number(value: int | Decimal | float, language: str | None = None) -> str:
    """A whole number with the language's grouping: 1.146 (nl), 1,146 (en)."""
    return format_decimal(value, format="#,##0", locale=babel_locale(language))


def decimal(value: Decimal | float, places: int = 2, language: str | None = None) -> str:
    """A number with at least one and at most `places` decimals: 1,6 · 12,0 · 0,25."""
    pattern = "#,##0.0" + "#" * max(0, places - 1)
    return format_decimal(value, format=pattern, locale=babel_locale(language))


def kg(value: Decimal | float | None, language: str | None = None) -> str:
    """A weight: "1,6 kg"; "" when there is none."""
    return "" if value is None else f"{decimal(value, 2, language)} kg"


def percent(share: Decimal | float, language: str | None = None) -> str:
    """A share as a percentage: 0.65 → "65%" (up to one decimal: 0.125 → "12,5%")."""
    return format_percent(share, format="#,##0.#%", locale=babel_locale(language))


def money(value: Decimal, language: str | None = None) -> str:
    """Euros with cents: € 1.262,50 (nl), €1,262.50 (en)."""
    return format_currency(value, "EUR", locale=babel_locale(language))
