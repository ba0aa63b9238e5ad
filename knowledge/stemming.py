"""Sastrawi's Indonesian stemmer (PySastrawi 1.2.1, pinned in the lock files), built once, without
two costs of its own.

- **Its result cache** keeps every word it is ever given; ``Normalizer.stem`` keeps a bounded
  cache instead, so the stemmer used is the one behind that cache (``delegatedStemmer``).
- **Its affix visitors compile the word as a pattern.** Each visitor that strips an affix finds
  the part it removed with ``re.sub(result, "", word, count=1)``: the word left over is used as a
  regular expression. Every word new to the process compiled a few patterns, and those pushed
  Sastrawi's own rule patterns out of ``re``'s cache of 512, so they were compiled again too:
  together about a third of the time a new word took. The words Sastrawi is given hold only
  letters, digits and "-" (its text normaliser keeps nothing else; ``Normalizer.stem`` gives it
  plain words), which a pattern matches literally: removing the first occurrence with
  ``str.replace`` gives the same string. The visitor modules' ``re`` is swapped for
  :class:`_LiteralFirst`, which does that for such patterns and hands every other pattern (the
  rules' own) to ``re``. ``tests/unit/test_stemming.py`` compares the stems with the unpatched
  stemmer's on the dictionary and its derived and misspelt forms.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Protocol

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# The modules whose visitors call ``re.sub(result, "", word, count=1)``.
VISITOR_MODULES = tuple(
    f"Sastrawi.Stemmer.Context.Visitor.{name}"
    for name in (
        "AbstractDisambiguatePrefixRule",
        "RemoveDerivationalSuffix",
        "RemoveInflectionalParticle",
        "RemoveInflectionalPossessivePronoun",
        "RemovePlainPrefix",
    )
)


class Stemmer(Protocol):
    """The part of Sastrawi's stemmer used here (Sastrawi ships no type hints)."""

    def stem(self, text: str) -> str: ...

    def stem_word(self, word: str) -> str: ...


def _literal(pattern: str) -> bool:
    """A pattern of letters, digits and "-" only: it matches itself and nothing else."""
    return pattern.replace("-", "").isalnum()


class _LiteralFirst:
    """``re`` as Sastrawi's visitor modules use it (``re.sub`` only), with literal patterns
    replaced by ``str.replace`` instead of being compiled."""

    @staticmethod
    def sub(pattern: str, repl: str, string: str, count: int = 0) -> str:
        if _literal(pattern):
            return string.replace(pattern, repl, count or -1)
        return re.sub(pattern, repl, string, count=count)


def use_literal_patterns(enabled: bool = True) -> None:
    """Swap the visitor modules' ``re`` for :class:`_LiteralFirst` (or back, for a test)."""
    for name in VISITOR_MODULES:
        module = importlib.import_module(name)
        module.re = _LiteralFirst if enabled else re  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def stemmer() -> Stemmer:
    """The process' one stemmer, without Sastrawi's unbounded cache, its visitors patched."""
    use_literal_patterns()
    built: Stemmer = StemmerFactory().create_stemmer().delegatedStemmer
    return built
