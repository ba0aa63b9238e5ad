"""The entries found by the most query words: the candidates a search scores.

Entries in all of the query's word sets come first, then those in all but one, and so on; the
first ``limit`` are taken, the smallest ids (newest entries) first within the tier that overflows.
The levels are computed from the top, and a lower one only when the higher ones hold fewer than
``limit`` entries: the union of every set (the costliest operation) is rarely needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from itertools import combinations


def in_at_least(sets: Sequence[AbstractSet[int]], count: int) -> AbstractSet[int]:
    """The ids in at least ``count`` of ``sets`` (1 <= count <= len(sets)).

    One set: their union. Two (what most searches that get this far ask): the union of the pairs'
    intersections, each computed in C over the smaller set. More: after j sets, "in at least x" is
    "in at least x before" or "in at least x - 1 before and in set j"; only the levels that can
    still reach ``count`` are kept (their unions of the larger sets cost more than the pairs)."""
    if count == 1:
        return set().union(*sets)
    if count == 2:
        return set().union(*(a & b for a, b in combinations(sets, 2)))
    total = len(sets)
    levels: dict[int, AbstractSet[int]] = {}
    for j, docs in enumerate(sets, 1):
        updated: dict[int, AbstractSet[int]] = {}
        for x in range(max(1, count - (total - j)), min(j, count) + 1):
            added = docs if x == 1 else levels.get(x - 1, frozenset()) & docs
            before = levels.get(x)
            updated[x] = before | added if before else added
        levels = updated
    return levels.get(count, frozenset())


def all_but_one(sets: Sequence[AbstractSet[int]], before: Sequence[AbstractSet[int]]) -> AbstractSet[int]:
    """The ids in all of ``sets`` (two or more) but at most one; ``before[i]``: the intersection of
    ``sets[0..i]``. Missing only set i means being in the intersection of the sets before it and
    of those after it: running intersections from both ends give every such part, and they shrink
    fast, where ``in_at_least`` would first unite the largest sets."""
    last = len(sets) - 1
    after = [sets[last]]  # after[m]: the intersection of sets[last - m..last]
    for docs in reversed(sets[1:last]):
        after.append(docs & after[-1])
    parts = [after[-1], before[last - 1]]  # missing the first set, missing the last one
    parts.extend(before[i - 1] & after[last - i - 1] for i in range(1, last))
    return set().union(*parts)


def best_matches(sets: Sequence[AbstractSet[int]], limit: int) -> tuple[set[int], int]:
    """The first ``limit`` ids, tier by tier (see the module's docstring), and how many they are;
    every id of any set when they are fewer."""
    if not sets:
        return set(), 0
    before = [sets[0]]
    for docs in sets[1:]:
        before.append(before[-1] & docs)
    upper: AbstractSet[int] = frozenset()  # the ids of the tiers above the current level
    for count in range(len(sets), 0, -1):
        if count == len(sets):
            level = before[-1]
        elif count == len(sets) - 1:
            level = all_but_one(sets, before)
        else:
            level = in_at_least(sets, count)
        if len(level) >= limit:
            chosen = set(upper)
            chosen.update(sorted(level - upper)[: limit - len(upper)])
            return chosen, len(chosen)
        upper = level
    return set(upper), len(upper)
