"""Sastrawi's Indonesian stemmer (PySastrawi 1.2.1, pinned in the lock files), built once, without
three costs of its own.

- **Its result cache** keeps every word it is ever given; ``Normalizer.stem`` keeps a bounded
  cache instead, so the stemmer used is the one behind that cache (``delegatedStemmer``).
- **Its affix visitors compile the word as a pattern.** Each visitor that strips an affix finds
  the part it removed with ``re.sub(result, "", word, count=1)``: the word left over is used as a
  regular expression. Every word new to the process compiled a few patterns, and those pushed
  Sastrawi's own rule patterns out of ``re``'s cache of 512, so they were compiled again too. The
  words Sastrawi is given hold only letters, digits and "-" (its text normaliser keeps nothing
  else; ``Normalizer.stem`` gives it plain words), which a pattern matches literally: removing the
  first occurrence with ``str.replace`` gives the same string.
- **Its rules call ``re.match(pattern, word)``**, about 200 times for a word it cannot stem (a
  typo), each through ``re``'s cache lookup. Here each pattern is compiled once and found in a
  dict: a typo's stemming takes about a fifth less time.

Every Sastrawi module's ``re`` is swapped for :class:`_SastrawiRe`, which does the above and
nothing else (``match``, ``sub`` and the two flags Sastrawi uses). ``tests/unit/test_stemming.py``
compares the stems with the unpatched stemmer's on dictionary words, their derived and misspelt
forms.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import ClassVar, Protocol

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

PACKAGE = "Sastrawi."
MAX_PATTERNS = 1024  # Sastrawi's own patterns are a few hundred; any others are compiled each time


class Stemmer(Protocol):
    """The part of Sastrawi's stemmer used here (Sastrawi ships no type hints)."""

    def stem(self, text: str) -> str: ...

    def stem_word(self, word: str) -> str: ...


def _literal(pattern: str) -> bool:
    """A pattern of letters, digits and "-" only: it matches itself and nothing else."""
    return pattern.replace("-", "").isalnum()


class _SastrawiRe:
    """``re`` as Sastrawi's modules use it: ``match``, ``sub`` and two flags."""

    IGNORECASE = re.IGNORECASE
    MULTILINE = re.MULTILINE
    _compiled: ClassVar[dict[tuple[str, int], re.Pattern[str]]] = {}

    @classmethod
    def _pattern(cls, pattern: str, flags: int) -> re.Pattern[str]:
        compiled = cls._compiled.get((pattern, flags))
        if compiled is None:
            compiled = re.compile(pattern, flags)
            if len(cls._compiled) < MAX_PATTERNS:
                cls._compiled[(pattern, flags)] = compiled
        return compiled

    @classmethod
    def match(cls, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return cls._pattern(pattern, flags).match(string)

    @classmethod
    def sub(cls, pattern: str, repl: str, string: str, count: int = 0, flags: int = 0) -> str:
        if not flags and _literal(pattern):
            return string.replace(pattern, repl, count or -1)
        return cls._pattern(pattern, flags).sub(repl, string, count=count)


def use_fast_patterns(enabled: bool = True) -> None:
    """Swap every loaded Sastrawi module's ``re`` for :class:`_SastrawiRe` (or back, for a test)."""
    for name, module in list(sys.modules.items()):
        if name.startswith(PACKAGE) and getattr(module, "re", None) in (re, _SastrawiRe):
            module.re = _SastrawiRe if enabled else re  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def stemmer() -> Stemmer:
    """The process' one stemmer, without Sastrawi's unbounded cache, its modules' ``re`` swapped
    (all of them are loaded by the factory's import)."""
    use_fast_patterns()
    built: Stemmer = StemmerFactory().create_stemmer().delegatedStemmer
    return built
