"""The entries found by the most query words: the candidates a search scores.

Entries in all of the query's word sets come first, then those in all but one, and so on; the
first ``limit`` are taken, the smallest ids (newest entries) first within the tier that overflows.
The levels are computed from the top, and a lower one only when the higher ones hold fewer than
``limit`` entries: the union of every set (the costliest operation) is rarely needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet


def in_at_least(sets: Sequence[AbstractSet[int]], count: int) -> set[int]:
    """The ids in at least ``count`` of ``sets`` (1 <= count <= len(sets)).

    After j sets, "in at least x" is "in at least x before" or "in at least x - 1 before and in
    set j"; only the levels that can still reach ``count`` are kept."""
    total = len(sets)
    levels: dict[int, set[int]] = {}
    for j, docs in enumerate(sets, 1):
        updated: dict[int, set[int]] = {}
        for x in range(max(1, count - (total - j)), min(j, count) + 1):
            added = set(docs) if x == 1 else levels.get(x - 1, set()) & docs
            before = levels.get(x)
            updated[x] = before | added if before else added
        levels = updated
    return levels.get(count, set())


def best_matches(sets: Sequence[AbstractSet[int]], limit: int) -> tuple[set[int], int]:
    """The first ``limit`` ids, tier by tier (see the module's docstring), and how many they are;
    every id of any set when they are fewer."""
    upper: set[int] = set()  # the ids of the tiers above the current level
    for count in range(len(sets), 0, -1):
        level = in_at_least(sets, count)
        if len(level) >= limit:
            fresh = sorted(level - upper)
            upper.update(fresh[: limit - len(upper)])
            return upper, len(upper)
        upper = level
    return upper, len(upper)
