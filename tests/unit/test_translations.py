"""Dutch and English both ship: every marked string has a Dutch translation."""

from __future__ import annotations

import json
import string
import sys
from pathlib import Path

from app import i18n
from app.services.errors import IllegalTransition

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from translations import CATALOG, extract  # noqa: E402


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_marked_string_has_a_dutch_translation():
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    missing = {text: where for text, where in extract().items() if not catalog.get(text)}
    assert not missing, f"untranslated strings (python scripts/translations.py lists them): {missing}"


def test_dutch_translations_keep_every_placeholder():
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    broken = {k: v for k, v in catalog.items() if placeholders(k) != placeholders(v)}
    assert not broken


def test_the_language_switch_changes_domain_messages():
    err = IllegalTransition(tag="CD00000013", status="x", action="y", allowed="z")
    i18n.set_language("nl")
    dutch = str(err)
    i18n.set_language("en")
    english = str(err)
    assert dutch != english
    assert "CD00000013" in dutch and "CD00000013" in english
