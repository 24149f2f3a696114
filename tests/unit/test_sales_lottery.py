"""The allocation draw on its own: the same seed gives the same winners; the limit always holds."""

from __future__ import annotations

import random
from collections import Counter

from app.services.sale_lottery import Lot, draw, new_seed

SEED = "5f1c0a9e3b7d2468ace013579bdf2468"


def contested_round(n_devices=20, n_people=30, seed=7) -> list[Lot]:
    rng = random.Random(seed)
    lots = []
    for i in range(n_devices):
        category = "laptop" if i % 2 else "smartphone"
        lots.append(Lot(f"CD{i:08d}", category, tuple(rng.sample(range(1, n_people + 1),
                                                                 rng.randint(0, 8)))))
    return lots


def test_same_seed_gives_the_same_winners():
    lots = contested_round()
    assert draw(lots, {"laptop": 1, "smartphone": 1}, SEED) == draw(lots, {"laptop": 1, "smartphone": 1},
                                                                     SEED)


def test_candidate_order_does_not_change_the_result():
    lots = contested_round()
    shuffled = [Lot(lot.tag, lot.category, tuple(reversed(lot.candidates))) for lot in reversed(lots)]
    assert draw(lots, {}, SEED) == draw(shuffled, {}, SEED)


def test_another_seed_gives_another_allocation():
    lots = contested_round()
    results = {tuple(sorted(draw(lots, {}, new_seed()).items())) for _ in range(5)}
    assert len(results) > 1


def test_per_category_limit_is_never_exceeded():
    lots = [Lot(f"CD{i:08d}", "laptop", (1, 2, 3)) for i in range(6)]
    result = draw(lots, {"laptop": 1}, SEED)
    winners = Counter(w for w, _lottery in result.values() if w is not None)
    assert set(winners.values()) == {1} and len(winners) == 3
    assert sum(1 for w, _ in result.values() if w is None) == 3


def test_total_limit_counts_every_category():
    lots = [Lot("CD00000001", "laptop", (1,)), Lot("CD00000002", "smartphone", (1,)),
            Lot("CD00000003", "tablet", (1,))]
    result = draw(lots, {"total": 2}, SEED)
    assert sum(1 for w, _ in result.values() if w == 1) == 2


def test_single_candidate_gets_the_device_without_a_draw():
    result = draw([Lot("CD00000001", "laptop", (4,)), Lot("CD00000002", "laptop", (4, 5))],
                  {"laptop": 1}, SEED)
    assert result["CD00000001"] == (4, False)
    assert result["CD00000002"] == (5, True)  # 4 already has a laptop


def test_device_nobody_wants_stays_unallocated():
    assert draw([Lot("CD00000001", "monitor", ())], {}, SEED) == {"CD00000001": (None, False)}


def test_seed_has_128_random_bits():
    seed = new_seed()
    assert len(seed) == 32 and int(seed, 16) >= 0 and seed != new_seed()
