"""The refurbishment bench: the category's checklist, its answers, the grade, pass or fail.

Checklists are data in `resources/checklists/` (Dutch and English texts,
which items are required, which ask for a measured number). A device on the
bench is `in_refurbishment`; `pass_checks` needs every required item passed,
a cosmetic grade and verified sanitisation of every medium — the lifecycle
guards check that, so no screen can skip it.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import N_, current_language
from ..models import Asset, AssetStatus, Category, ChecklistResult, CheckOutcome, Grade, utcnow
from ..paths import RESOURCES
from . import lifecycle, sanitisation
from .errors import NotFound, ValidationError
from .uow import unit_of_work


class ItemKind(enum.StrEnum):
    CHECK = "check"
    NUMBER = "number"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    nl: str
    en: str
    required: bool
    kind: ItemKind = ItemKind.CHECK
    unit: str | None = None
    minimum: Decimal | None = None

    def text(self, language: str | None = None) -> str:
        return self.nl if (language or current_language()) == "nl" else self.en


@dataclass(frozen=True)
class Checklist:
    key: str
    categories: tuple[Category, ...]
    items: tuple[ChecklistItem, ...]


@cache
def _raw_checklists() -> tuple[dict, ...]:
    return tuple(json.loads(p.read_text(encoding="utf-8"))
                 for p in sorted((RESOURCES / "checklists").glob("*.json")))


@cache
def checklist_for(category: Category | str) -> Checklist:
    category = Category(category)
    for raw in _raw_checklists():
        cats = tuple(Category(c) for c in raw["categories"])
        if category in cats:
            items = tuple(
                ChecklistItem(key=i["key"], nl=i["nl"], en=i["en"], required=bool(i.get("required")),
                              kind=ItemKind(i.get("kind", "check")), unit=i.get("unit"),
                              minimum=Decimal(str(i["min"])) if "min" in i else None)
                for i in raw["items"] if category.value in i.get("categories", [category.value]))
            return Checklist(raw["key"], cats, items)
    raise LookupError(f"no checklist covers category {category}")


@cache
def grade_definitions() -> dict[Grade, dict[str, str]]:
    raw = json.loads((RESOURCES / "grades.json").read_text(encoding="utf-8"))
    return {Grade(k): v for k, v in raw.items() if not k.startswith("_")}


def grade_definition(grade: Grade | str, language: str | None = None) -> str:
    return grade_definitions()[Grade(grade)][language or current_language()]


def results(session: Session, asset_id: int) -> dict[str, ChecklistResult]:
    rows = session.scalars(select(ChecklistResult).where(ChecklistResult.asset_id == asset_id))
    return {r.item_key: r for r in rows}


def checklist_problem(session: Session, asset: Asset) -> str | None:
    """The guard of pass_checks: every required item answered and not failed."""
    checklist = checklist_for(asset.category)
    answers = results(session, asset.id)
    for item in checklist.items:
        answer = answers.get(item.key)
        if item.required and answer is None:
            return N_("the checklist is not complete")
        if item.required and answer.outcome == CheckOutcome.FAIL:
            return N_("a required checklist item failed")
    return None


@dataclass
class BenchState:
    asset: Asset
    checklist: Checklist
    answers: dict[str, ChecklistResult]
    media: list[sanitisation.MediumStatus]
    problems: list[str]  # English source texts, translated when shown


def bench_state(session: Session, asset_id: int) -> BenchState:
    asset = session.get(Asset, asset_id)
    if asset is None:
        raise NotFound(what=str(asset_id))
    problems = [p for p in (
        checklist_problem(session, asset),
        None if asset.grade else N_("no cosmetic grade (A/B/C/D) is set"),
        sanitisation.release_problem(session, asset),
    ) if p]
    return BenchState(asset, checklist_for(asset.category), results(session, asset.id),
                      sanitisation.media_statuses(session, asset), problems)


def start(session: Session, actor, asset_id: int) -> Asset:
    """Put a received device on the bench; a device already on it stays there."""
    asset = session.get(Asset, asset_id)
    if asset is None:
        raise NotFound(what=str(asset_id))
    if asset.status == AssetStatus.IN_REFURBISHMENT:
        return asset
    return lifecycle.apply(session, actor, asset_id, "start_checks")


@dataclass(frozen=True)
class Answer:
    item_key: str
    outcome: CheckOutcome | str
    value: Decimal | str | None = None
    note: str | None = None


def record_item(session: Session, actor, asset_id: int, item_key: str,
                outcome: CheckOutcome | str, value: Decimal | str | None = None,
                note: str | None = None) -> ChecklistResult:
    """Answer one checklist item. A number below the item's minimum is a fail, whatever was ticked."""
    return record_items(session, actor, asset_id, [Answer(item_key, outcome, value, note)])[0]


def record_items(session: Session, actor, asset_id: int, answers: list[Answer]) -> list[ChecklistResult]:
    """Answer several checklist items at once: all are stored, or none."""
    with unit_of_work(session, actor, "check_item", permission="bench.record"):
        asset = session.get(Asset, asset_id)
        if asset is None:
            raise NotFound(what=str(asset_id))
        if asset.status != AssetStatus.IN_REFURBISHMENT:
            raise ValidationError(N_("{tag} is not on the bench: scan it at the bench first."), tag=asset.tag)
        checklist = checklist_for(asset.category)
        existing = results(session, asset.id)
        rows = []
        for answer in answers:
            rows.append(_store_answer(session, actor, asset, checklist, existing, answer))
    return rows


def _store_answer(session: Session, actor, asset: Asset, checklist: Checklist,
                  existing: dict[str, ChecklistResult], answer: Answer) -> ChecklistResult:
    outcome = CheckOutcome(answer.outcome)
    item = next((i for i in checklist.items if i.key == answer.item_key), None)
    if item is None:
        raise ValidationError(N_("“{item}” is not on the checklist of this device."), item=answer.item_key)
    number = None
    if item.kind == ItemKind.NUMBER and outcome != CheckOutcome.NOT_APPLICABLE:
        try:
            number = Decimal(str(answer.value).replace(",", ".")) if answer.value not in (None, "") else None
        except InvalidOperation:
            number = None
        if number is None:
            raise ValidationError(N_("“{item}” needs a number."), item=item.text())
        if item.minimum is not None and number < item.minimum:
            outcome = CheckOutcome.FAIL
    row = existing.get(item.key)
    if row is None:
        row = ChecklistResult(asset_id=asset.id, checklist=checklist.key, item_key=item.key,
                              outcome=outcome)
        session.add(row)
        existing[item.key] = row
    row.outcome, row.value, row.note = outcome, number, (answer.note or "").strip() or None
    row.recorded_by_id, row.recorded_at = actor.id, utcnow()
    return row


def set_grade(session: Session, actor, asset_id: int, grade: Grade | str) -> Asset:
    from .assets import edit_asset

    asset = session.get(Asset, asset_id)
    if asset is None:
        raise NotFound(what=str(asset_id))
    return edit_asset(session, actor, asset_id, asset.version, grade=Grade(grade))


def pass_checks(session: Session, actor, asset_id: int) -> Asset:
    return lifecycle.apply(session, actor, asset_id, "pass_checks")


def fail_checks(session: Session, actor, asset_id: int) -> Asset:
    return lifecycle.apply(session, actor, asset_id, "fail_checks")
