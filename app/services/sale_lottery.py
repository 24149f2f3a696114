"""The allocation of a sale round: reproducible from the candidates and the recorded seed.

Anyone holding the allocation report can re-run it: the report prints the seed,
every device with its candidates, and the per-person limit; this function
(`python -m app sales lottery ROUND`) gives the same winners again.

The rule, in order:
1. Devices are taken in tag order; candidates of a device in staff-member order
   (the number of their staff-member record), so nothing depends on database order.
2. A device with exactly one candidate goes to that person, if the per-person
   limit still allows it (their category count and total).
3. The other devices are shuffled with `random.Random(int(seed, 16))`, and each
   goes, by `rng.choice`, to one of its candidates the limit still allows.
   A device nobody may take any more stays unsold.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Lot:
    """One device in the draw: its tag, category and the candidates' keys (sortable)."""

    tag: str
    category: str
    candidates: tuple[int, ...]


def new_seed() -> str:
    """128 random bits from the operating system, as 32 hex digits (printed on the report)."""
    return secrets.token_hex(16)


def allowed(limits: dict[str, int], won: Counter, total: int, category: str) -> bool:
    if "total" in limits and total >= limits["total"]:
        return False
    return category not in limits or won[category] < limits[category]


def draw(lots: list[Lot], limits: dict[str, int], seed: str) -> dict[str, tuple[int | None, bool]]:
    """tag → (winner or None, drawn by lottery?) for every lot."""
    rng = random.Random(int(seed, 16))
    lots = sorted(lots, key=lambda lot: lot.tag)
    won: dict[int, Counter] = {}
    totals: Counter = Counter()
    result: dict[str, tuple[int | None, bool]] = {}

    def give(person: int, lot: Lot, by_lottery: bool) -> None:
        won.setdefault(person, Counter())[lot.category] += 1
        totals[person] += 1
        result[lot.tag] = (person, by_lottery)

    def may(person: int, lot: Lot) -> bool:
        return allowed(limits, won.get(person, Counter()), totals[person], lot.category)

    contested = []
    for lot in lots:
        candidates = sorted(set(lot.candidates))
        if len(candidates) == 1 and may(candidates[0], lot):
            give(candidates[0], lot, False)
        elif len(candidates) > 1:
            contested.append(lot)
        else:
            result[lot.tag] = (None, False)
    rng.shuffle(contested)
    for lot in contested:
        eligible = [p for p in sorted(set(lot.candidates)) if may(p, lot)]
        if eligible:
            give(rng.choice(eligible), lot, True)
        else:
            result[lot.tag] = (None, False)
    return result
