"""Dutch and English both ship: every marked string has a Dutch translation."""

from __future__ import annotations

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
    catalog = i18n.load_catalog(CATALOG.parent, "nl")
    missing = {text: where for text, where in extract().items() if not catalog.get(text)}
    assert not missing, f"untranslated strings (python scripts/translations.py lists them): {missing}"


def test_dutch_translations_keep_every_placeholder():
    catalog = i18n.load_catalog(CATALOG.parent, "nl")
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


def test_a_workflow_catalog_file_adds_to_the_main_one(tmp_path):
    (tmp_path / "nl.json").write_text('{"Save": "Opslaan", "Close": "Sluit"}', encoding="utf-8")
    (tmp_path / "nl").mkdir()
    (tmp_path / "nl" / "handovers.json").write_text('{"Close": "Sluiten", "Hand over": "Overhandigen"}',
                                                     encoding="utf-8")
    merged = i18n.load_catalog(tmp_path, "nl")
    assert merged == {"Save": "Opslaan", "Close": "Sluiten", "Hand over": "Overhandigen"}
