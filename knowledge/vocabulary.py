"""Typo-tolerant lookup over the words of the index: the known words of nearby length that start
as the typed word does are the candidates, an optimal-string-alignment distance (transpositions
count once) and shared character bigrams confirm them.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_FUZZY_LEN = 4


def max_edits(length: int) -> int:
    """Edits allowed for a word of this length: none below 4 letters, then 1, 2 and 3."""
    if length < MIN_FUZZY_LEN:
        return 0
    if length <= 5:
        return 1
    if length <= 9:
        return 2
    return 3


_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, set[str]] = {}
for _r, _row in enumerate(_KEYBOARD_ROWS):
    for _c, _key in enumerate(_row):
        near = _NEIGHBOURS.setdefault(_key, set())
        for _dr in (-1, 0, 1):
            if 0 <= _r + _dr < len(_KEYBOARD_ROWS):
                other = _KEYBOARD_ROWS[_r + _dr]
                near.update(other[max(0, _c - 1) : _c + 2])
        near.discard(_key)


def plausible_typo(typed: str, known: str) -> bool:
    """Typos keep the first letter (unless two letters swap). In a 4-5 letter word a changed
    letter makes another word too often ("depan"/"dewan"), so only a transposition or a slip to
    a neighbouring key ("lhkpm"/"lhkpn") counts there."""
    if typed[0] != known[0] and typed[:2] != known[1::-1]:
        return False
    if len(typed) <= 5 and len(typed) == len(known):
        if sorted(typed) == sorted(known):
            return True
        diff = [(a, b) for a, b in zip(typed, known, strict=True) if a != b]
        return len(diff) == 1 and diff[0][1] in _NEIGHBOURS.get(diff[0][0], set())
    return True


def _bigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


class Vocabulary:
    """The index's words with their document frequencies, searchable by similar spelling.

    A typo keeps the word's first letter or swaps the first two (``plausible_typo``), and changes
    its length by at most the edits allowed: the candidates for a typed word are the known words
    of those lengths that start so, a few hundred at most. One rapidfuzz call measures their
    distance to it in C. (Counting shared bigrams over every known word of those lengths, as
    before, cost up to a millisecond for a long word.)"""

    def __init__(self, frequencies: dict[str, int]) -> None:
        self._freq: dict[str, int] = {}
        self._by_start: dict[tuple[str, int], list[str]] = {}  # (first letter, length) -> words
        self._by_pair: dict[tuple[str, int], list[str]] = {}  # (first two letters, length) -> words
        self._cache: dict[str, tuple[tuple[str, int], ...]] = {}
        self._add(frequencies.items())

    def _add(self, words: Iterable[tuple[str, int]]) -> None:
        known = self._freq
        for word, freq in words:
            if len(word) < MIN_FUZZY_LEN - 1 or word.isdigit() or word in known:
                continue
            known[word] = freq
            self._by_start.setdefault((word[0], len(word)), []).append(word)
            self._by_pair.setdefault((word[:2], len(word)), []).append(word)

    def __len__(self) -> int:
        return len(self._freq)

    def similar(self, word: str, limit: int = 3) -> tuple[tuple[str, int], ...]:
        """Up to ``limit`` known words within the allowed edits: (word, edits), closest first."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        edits = max_edits(len(word))
        found: tuple[tuple[str, int], ...] = ()
        if edits:
            lengths = range(len(word) - edits, len(word) + edits + 1)
            choices = [w for n in lengths for w in self._by_start.get((word[0], n), ())]
            if word[1] != word[0]:  # the first two letters swapped ("aspbd")
                choices.extend(w for n in lengths for w in self._by_pair.get((word[1::-1], n), ()))
            grams = _bigrams(word)
            # An edit destroys at most three bigrams (a transposition); require the rest shared.
            need = max(1, len(grams) - 3 * edits)
            scored: list[tuple[int, int, str]] = []
            for other, dist, _ in process.extract(
                word, choices, scorer=OSA.distance, processor=None, score_cutoff=edits, limit=None
            ):
                if len(grams & _bigrams(other)) >= need and plausible_typo(word, other):
                    scored.append((int(dist), -self._freq[other], other))
            scored.sort()
            found = tuple((w, d) for d, _, w in scored[:limit])
        if len(self._cache) < 50_000:
            self._cache[word] = found
        return found

    def extend(self, words: Iterable[str]) -> None:
        """Add words that are known without being in the index (lexicon entries)."""
        self._add((word, 0) for word in words)
        self._cache.clear()
