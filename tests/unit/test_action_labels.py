"""Every action the audit trail records is named for people, in English and in Dutch.

The device history shows the audit trail's action names. A name without a label used to show
through as "open sale round" in the Dutch history; this scans the services for every action a
unit of work records, so a new one without a label fails here, not on the screen.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.i18n import catalog, set_language
from app.models import CountResolution, PartyType
from app.services import inventory, lifecycle

APP = Path(__file__).resolve().parents[2] / "app"

# Actions the call does not spell out (built with an f-string, or chosen into a variable first).
BUILT = ({f"create_{t.value}" for t in (PartyType.RECYCLER, PartyType.CARRIER)}
         | {f"count_{r.value}" for r in CountResolution if r != CountResolution.NONE}
         | {"activate_party", "deactivate_party", "announce"})


def recorded_actions() -> set[str]:
    """The action of every `unit_of_work(...)` and `audit.set_context(...)` written as text."""
    found = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in ("unit_of_work", "set_context") or len(node.args) < 3:
                continue
            found |= _texts(node.args[2])
    return found


def _texts(node: ast.expr) -> set[str]:
    """"a" gives {"a"}; `"a" if x else "b"` gives both; a name or an f-string gives nothing."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _texts(node.body) | _texts(node.orelse)
    return set()


def test_the_scan_finds_the_actions_of_the_workflows():
    actions = recorded_actions()
    assert {"open_sale_round", "close_disposal_batch", "hand_over_sale", "enable_user",
            "disable_user", "receive"} <= actions


@pytest.mark.parametrize("action", sorted(recorded_actions() | BUILT))
def test_every_recorded_action_has_a_label_in_both_languages(action):
    assert action in lifecycle.TRANSITIONS or action in inventory.ACTION_NAMES, (
        f"{action}: add a label to inventory.ACTION_NAMES")
    label = (lifecycle.TRANSITIONS[action].label if action in lifecycle.TRANSITIONS
             else inventory.ACTION_NAMES[action])
    assert catalog("nl").get(label), f"{label!r} has no Dutch translation"


def test_the_dutch_history_names_a_sale_round_action_in_dutch():
    set_language("nl")  # the root conftest sets English again after the test
    assert inventory.action_name("open_sale_round") == "verkoopronde geopend"
