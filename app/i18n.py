"""The app's translation helper, for every user-visible string, with or without Qt.

Source strings are English in the code, marked with `_()` (translate now) or
`N_()` (mark only, translated later — e.g. a domain error's message, which is
shown in whatever language the screen has when it is shown). Catalogs are
JSON files in `resources/translations/` mapping the English text to the
translation (`nl.json` plus any `nl/*.json`, one per workflow, merged); Dutch (nl-BE) is the default language. A test checks that every
marked string has a Dutch translation, so no English slips onto a Dutch screen.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from .paths import RESOURCES

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = "nl"

_state = {"language": DEFAULT_LANGUAGE}


@cache
def catalog(language: str) -> dict[str, str]:
    if language == "en":
        return {}
    return load_catalog(RESOURCES / "translations", language)


def load_catalog(folder: Path, language: str) -> dict[str, str]:
    """`<language>.json` and every `<language>/*.json` beside it, merged (later files win)."""
    paths = [folder / f"{language}.json", *sorted((folder / language).glob("*.json"))]
    merged: dict[str, str] = {}
    for path in paths:
        if path.exists():
            merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def set_language(language: str) -> None:
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _state["language"] = language


def current_language() -> str:
    return _state["language"]


def translate(text: str, language: str | None = None, /, **params: object) -> str:
    translated = catalog(language or _state["language"]).get(text, text)
    return translated.format(**params) if params else translated


def _(text: str, /, **params: object) -> str:
    """Translate `text` into the current language and fill in `{named}` parameters."""
    return translate(text, None, **params)


def N_(text: str) -> str:
    """Mark `text` for translation without translating it yet."""
    return text


BABEL_LOCALES = {"nl": "nl_BE", "en": "en_GB"}


def babel_locale(language: str | None = None) -> str:
    """The CLDR locale whose numbers and plural rules a language uses here."""
    return BABEL_LOCALES.get(language or _state["language"], BABEL_LOCALES[DEFAULT_LANGUAGE])


def n_(count: int, singular: str, plural: str, /, **params: object) -> str:
    """The singular or plural text for `count`, translated, with `{n}` the count as a number of
    the language: n_(1, "{n} device", "{n} devices") is "1 toestel", with 1146 "1.146 toestellen".

    The form follows the language's CLDR plural rule; the catalog translates each English form.
    """
    from babel import Locale
    from babel.numbers import format_decimal

    locale = babel_locale()
    text = singular if Locale.parse(locale).plural_form(abs(count)) == "one" else plural
    return translate(text, None, n=format_decimal(count, format="#,##0", locale=locale), **params)
