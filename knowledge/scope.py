"""Questions a city register does not answer, as data: the out-of-scope examples.

A citizen's message that shares a generic word and a topic with a register entry ("harga emas hari
ini", "PBB kota Depok jatuh tempo kapan") looks answerable to lexical evidence alone. The search
also asks how much of the message one known out-of-scope question holds: private businesses' prices,
other cities, national agencies, a citizen's own private case, personal advice, trivia
(``knowledge/data/out_of_scope.txt``, one question a line, ``#`` comments). That share is one signal
of the decision to answer, offer "mungkin yang Anda maksud" or say "tidak ditemukan"
(``knowledge.search.Signals.outside_share``); it is never a rule by itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from knowledge.normalize import Normalizer, default_normalizer

DATA = Path(__file__).resolve().parent / "data" / "out_of_scope.txt"


@dataclass(frozen=True, slots=True)
class OutOfScope:
    """An inverted index over the out-of-scope questions: word (and stem) -> question numbers."""

    postings: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, questions: Iterable[str], normalizer: Normalizer) -> OutOfScope:
        found: dict[str, list[int]] = {}
        for number, question in enumerate(questions):
            tokens = normalizer.analyze(question).tokens
            for word in set(tokens) | {normalizer.stem(t) for t in tokens}:
                found.setdefault(word, []).append(number)
        return cls({word: tuple(numbers) for word, numbers in found.items()})

    def cover(self, spelled: Sequence[tuple[float, frozenset[str]]]) -> float:
        """The largest sum of ``share`` over the query's words (``spelled``: each word's share and
        its spellings) that one out-of-scope question holds."""
        totals: dict[int, float] = {}
        for share, spellings in spelled:
            numbers: set[int] = set()
            for spelling in spellings:
                numbers.update(self.postings.get(spelling, ()))
            for number in numbers:
                totals[number] = totals.get(number, 0.0) + share
        return max(totals.values(), default=0.0)


def read_questions(path: Path = DATA) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def default_scope() -> OutOfScope:
    return OutOfScope.build(read_questions(), default_normalizer())


def scope_for(normalizer: Normalizer) -> OutOfScope:
    """The out-of-scope index for an engine's normaliser (built again for a PPID's own lexicon)."""
    if normalizer is default_normalizer():
        return default_scope()
    return OutOfScope.build(read_questions(), normalizer)
