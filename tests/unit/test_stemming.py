"""Sastrawi with its patterns compiled once (knowledge.stemming): the same stems, no word compiled as a regex."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from knowledge.normalize import dictionary_words
from knowledge.stemming import _SastrawiRe, stemmer, use_fast_patterns

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
    use_fast_patterns(False)
    try:
        yield
    finally:
        use_fast_patterns(True)


def stems(given: list[str]) -> list[str]:
    fresh = StemmerFactory().create_stemmer().delegatedStemmer  # no results kept from earlier calls
    return [fresh.stem(word) for word in given]


def test_the_patched_stemmer_gives_sastrawis_stems(unpatched: None) -> None:
    given = words(1500)
    expected = stems(given)
    use_fast_patterns(True)
    assert stems(given) == expected
    assert expected.count("") == 0 and sum(s != w for s, w in zip(expected, given, strict=True)) > 1000


def test_no_word_is_compiled_as_a_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = stemmer()
    for word in words(50, seed=7):  # the rules' own patterns, compiled once
        engine.stem(word)
    compiled: list[str] = []
    real_compile = re.compile

    def spy(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(pattern)
        return real_compile(pattern, flags)

    monkeypatch.setattr(re, "compile", spy)
    monkeypatch.setattr(re, "sub", lambda *args, **kwargs: pytest.fail("re.sub called"))
    monkeypatch.setattr(re, "match", lambda *args, **kwargs: pytest.fail("re.match called"))
    for word in words(300, seed=11):
        engine.stem(word)
    assert compiled == []


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
    assert _SastrawiRe.sub(pattern, "", word, count=1) == removed == re.sub(pattern, "", word, count=1)


def test_rule_patterns_still_go_to_re() -> None:
    assert _SastrawiRe.sub(r"(is|isme|isasi|i|kan|an)$", "", "pengangkutan", count=1) == "pengangkut"
    assert _SastrawiRe.sub(r"^(di|ke|se)", "", "dibuat", count=1) == "buat"
