"""Sastrawi with literal patterns (knowledge.stemming): the same stems, no word compiled as a regex."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from knowledge.normalize import dictionary_words
from knowledge.stemming import _LiteralFirst, stemmer, use_literal_patterns

PREFIXES = (
    "",
    "me",
    "mem",
    "men",
    "meng",
    "meny",
    "pe",
    "pem",
    "pen",
    "peng",
    "ber",
    "ter",
    "di",
    "ke",
    "se",
)
SUFFIXES = ("", "an", "kan", "i", "nya", "lah", "annya", "kah", "pun", "isasi")


def words(count: int, seed: int = 3) -> list[str]:
    """Dictionary roots with affixes, and each of those with one letter dropped (a typo)."""
    rng = random.Random(seed)
    out: list[str] = []
    for root in rng.sample(sorted(dictionary_words()), count):
        word = rng.choice(PREFIXES) + root + rng.choice(SUFFIXES)
        cut = rng.randrange(1, len(word) - 1)
        out.extend((root, word, word[:cut] + word[cut + 1 :], f"{word}-{root}"))
    return out


@pytest.fixture
def unpatched() -> Iterator[None]:
    use_literal_patterns(False)
    try:
        yield
    finally:
        use_literal_patterns(True)


def stems(given: list[str]) -> list[str]:
    fresh = StemmerFactory().create_stemmer().delegatedStemmer  # no results kept from earlier calls
    return [fresh.stem(word) for word in given]


def test_the_patched_stemmer_gives_sastrawis_stems(unpatched: None) -> None:
    given = words(1500)
    expected = stems(given)
    use_literal_patterns(True)
    assert stems(given) == expected
    assert expected.count("") == 0 and sum(s != w for s, w in zip(expected, given, strict=True)) > 1000


def test_no_word_is_compiled_as_a_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: set[str] = set()
    real_sub = re.sub

    def sub(pattern: str, repl: str, string: str, count: int = 0, flags: int = 0) -> str:
        seen.add(pattern)
        return real_sub(pattern, repl, string, count=count, flags=flags)

    monkeypatch.setattr(re, "sub", sub)
    engine = stemmer()
    for word in words(300, seed=11):
        engine.stem(word)
    assert seen, "the rules' own patterns still go through re"
    assert not [p for p in seen if p.replace("-", "").isalnum()]
    assert len(seen) < 10  # the visitors' fixed affix patterns, not one per word


@pytest.mark.parametrize(
    ("pattern", "word", "removed"),
    [
        ("angkut", "pengangkutan", "pengan"),
        ("an", "anakan", "akan"),
        ("-nya", "buku-nya", "buku"),
        ("x", "abc", "abc"),
    ],
)
def test_a_literal_pattern_removes_its_first_occurrence(pattern: str, word: str, removed: str) -> None:
    assert _LiteralFirst.sub(pattern, "", word, count=1) == removed == re.sub(pattern, "", word, count=1)


def test_rule_patterns_still_go_to_re() -> None:
    assert _LiteralFirst.sub(r"(is|isme|isasi|i|kan|an)$", "", "pengangkutan", count=1) == "pengangkut"
    assert _LiteralFirst.sub(r"^(di|ke|se)", "", "dibuat", count=1) == "buat"
