"""Longest-match phrase tables over token lists (lexicon, acronyms, thesaurus, cues)."""

from __future__ import annotations

from collections.abc import Iterator, KeysView, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

V = TypeVar("V")


@dataclass(slots=True)
class PhraseTable(Generic[V]):
    """Phrases (token tuples) mapped to values; lookups try the longest phrase first.

    ``_lengths`` maps a phrase's first token to the phrase lengths that start with it, so a token
    that starts no phrase costs one dictionary lookup.
    """

    _phrases: dict[tuple[str, ...], V] = field(default_factory=dict)
    _lengths: dict[str, list[int]] = field(default_factory=dict)

    def add(self, phrase: tuple[str, ...], value: V) -> None:
        if not phrase:
            return
        self._phrases[phrase] = value
        lengths = self._lengths.setdefault(phrase[0], [])
        if len(phrase) not in lengths:
            lengths.append(len(phrase))
            lengths.sort(reverse=True)

    def get(self, phrase: tuple[str, ...]) -> V | None:
        return self._phrases.get(phrase)

    def __contains__(self, phrase: tuple[str, ...]) -> bool:
        return phrase in self._phrases

    def __len__(self) -> int:
        return len(self._phrases)

    @property
    def first_words(self) -> KeysView[str]:
        """The words some phrase begins with (a set-like view)."""
        return self._lengths.keys()

    def values(self) -> list[V]:
        return list(self._phrases.values())

    def words(self) -> set[str]:
        return {word for phrase in self._phrases for word in phrase}

    def match_at(self, tokens: Sequence[str], start: int) -> tuple[int, V] | None:
        """The longest phrase starting at ``start``: (its length, its value), or None."""
        lengths = self._lengths.get(tokens[start])
        if lengths is None:
            return None
        for length in lengths:
            end = start + length
            if end <= len(tokens):
                value = self._phrases.get(tuple(tokens[start:end]))
                if value is not None:
                    return length, value
        return None

    def scan_all(self, tokens: Sequence[str]) -> Iterator[tuple[int, int, V]]:
        """Every match, overlapping ones included (used for cues and concepts)."""
        for i, token in enumerate(tokens):
            for length in self._lengths.get(token, ()):
                end = i + length
                if end <= len(tokens):
                    value = self._phrases.get(tuple(tokens[i:end]))
                    if value is not None:
                        yield i, end, value
