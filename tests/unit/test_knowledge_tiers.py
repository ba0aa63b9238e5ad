"""``knowledge.tiers``: the ids found by the most sets, checked against counting them one by one."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from knowledge.tiers import best_matches, in_at_least


def _by_counting(sets: list[set[int]], limit: int) -> set[int]:
    counts = Counter(d for docs in sets for d in docs)
    ordered = sorted(counts, key=lambda d: (-counts[d], d))  # most sets first, then smallest id
    if len(ordered) <= limit:
        return set(ordered)
    return set(ordered[:limit])


@pytest.mark.parametrize("seed", range(40))
def test_best_matches_takes_the_highest_tiers_then_the_smallest_ids(seed: int) -> None:
    rng = random.Random(seed)
    sets = [set(rng.sample(range(400), rng.randint(0, 200))) for _ in range(rng.randint(1, 8))]
    limit = rng.choice([5, 50, 100, 1000])
    found, count = best_matches(sets, limit)
    assert found == _by_counting(sets, limit)
    assert count == len(found)


def test_in_at_least_counts_membership() -> None:
    sets = [{1, 2, 3}, {2, 3, 4}, {3, 4, 5}]
    assert in_at_least(sets, 1) == {1, 2, 3, 4, 5}
    assert in_at_least(sets, 2) == {2, 3, 4}
    assert in_at_least(sets, 3) == {3}


def test_no_sets_no_matches() -> None:
    assert best_matches([], 10) == (set(), 0)


@pytest.mark.parametrize("seed", range(30))
def test_in_at_least_equals_counting_for_every_count(seed: int) -> None:
    rng = random.Random(seed)
    sets = [frozenset(rng.sample(range(300), rng.randint(0, 150))) for _ in range(rng.randint(1, 8))]
    counts = Counter(d for docs in sets for d in docs)
    for count in range(1, len(sets) + 1):
        assert set(in_at_least(sets, count)) == {d for d, n in counts.items() if n >= count}
