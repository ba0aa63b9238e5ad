"""Indonesian text normalisation shared by the register index and citizens' queries.

Steps: Unicode and case folding, punctuation to spaces, repeated letters ("bangettt"),
reduplication ("anak2"), years split off, a replacement lexicon (chat slang, abbreviations,
regional and English words), acronyms added next to their full phrase, stop words removed.
Stemming (Sastrawi) is offered separately because the index keeps stems as weaker variants.
The word lists live in ``knowledge/data`` so they can be edited without touching code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import Sastrawi as sastrawi_package

from knowledge.concepts import Concept
from knowledge.phrases import PhraseTable
from knowledge.stemming import stemmer

DATA_DIR = Path(__file__).parent / "data"

_TOKEN = re.compile(r"[a-z0-9]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_REPEAT3 = re.compile(r"([a-z])\1{2,}")
_REPEAT2 = re.compile(r"([a-z])\1")
_REDUP_DIGIT = re.compile(r"\b([a-z]{2,})2\b")
_REDUP_DASH = re.compile(r"\b([a-z]{2,})-\1\b")
_GLUED_YEAR = re.compile(r"(?<=[a-z])(?=(?:19|20)\d\d\b)|(?<=\b(?:19|20)\d\d)(?=[a-z])")
_YEARS = re.compile(r"(?<![0-9])(?:19[5-9][0-9]|20[0-9][0-9])(?![0-9])")
_MIN_STEM_LEN = 5
SHORT_TEXT = 80  # analyses of texts this short are cached (unit names, keywords)
SHORT_CACHE = 200_000


def fold(text: str) -> str:
    """Lower-case ASCII text: NFKC, case folding, accents removed, other scripts and emoji dropped."""
    if text.isascii():
        return text.lower()  # NFKC leaves ASCII as it is
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return _NON_ASCII.sub(" ", _COMBINING.sub("", text))


def is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and "1950" <= token <= "2099"


RANGE_WORDS = frozenset({"sampai", "hingga", "sd", "to", "until"})


def year_periods(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Two years joined into one period, earlier first: side by side ("2024/2025", "2021-2026"), with
    a range word between ("2020 sampai 2023") or "s/d"."""
    out: list[tuple[int, int]] = []
    previous = -1  # the position of the last year
    for i, token in enumerate(tokens):
        if not is_year(token):
            continue
        gap = i - previous
        joined = previous >= 0 and (
            gap == 1
            or (gap == 2 and tokens[i - 1] in RANGE_WORDS)
            or (gap == 3 and tokens[i - 2 : i] == ["s", "d"])
        )
        if joined and int(tokens[previous]) < int(token):
            out.append((int(tokens[previous]), int(token)))
        previous = i
    return out


HIJRI_MARKS = frozenset({"h", "hijriah", "hijriyah", "hijri", "ah"})


def hijri_year(tokens: Sequence[str], i: int) -> int | None:
    """The Hijri year at ``tokens[i]`` ("Ramadan 1445 H"), when a Hijri mark follows it; Hijri and
    Gregorian years never collide (1400-1500 against 1950-2099)."""
    token = tokens[i]
    if len(token) == 4 and token.isdigit() and "1400" <= token <= "1500" and i + 1 < len(tokens):
        return int(token) if tokens[i + 1] in HIJRI_MARKS else None
    return None


def dated(tokens: Sequence[str]) -> bool:
    """The tokens name a year, Gregorian or Hijri."""
    return any(is_year(token) or hijri_year(tokens, i) for i, token in enumerate(tokens))


def squeeze_repeats(token: str, keep_double: bool = True) -> str:
    """Collapse letters repeated 3+ times ("bangettt" -> "banget"); optionally doubles as well."""
    token = _REPEAT3.sub(r"\1", token)
    return token if keep_double else _REPEAT2.sub(r"\1", token)


def raw_tokens(text: str, *, chat: bool = True) -> list[str]:
    """Folded tokens, letters and digits only; years stay as tokens (see :func:`is_year`).

    ``chat`` also undoes chat habits (repeated letters, "anak2", "anak-anak", "apbd2024"); the
    register's own text goes without, which keeps the index build fast."""
    text = fold(text)
    if chat:
        text = _REPEAT3.sub(r"\1", text)
        if "-" in text:
            text = _REDUP_DASH.sub(r"\1", text)
        if "2" in text:
            text = _REDUP_DIGIT.sub(r"\1", text)
            text = _GLUED_YEAR.sub(" ", text)
    return _TOKEN.findall(text)


_NAMES = frozenset({"elsewhere", "outside"})  # cue kinds that are names of places and bodies


def _read_lines(name: str) -> Iterable[str]:
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield line


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(raw_tokens(text))


@dataclass(slots=True)
class Lexicon:
    """The word lists of ``knowledge/data``, parsed once."""

    replace: PhraseTable[tuple[str, ...]] = field(default_factory=PhraseTable)
    acronyms: PhraseTable[tuple[str, ...]] = field(default_factory=PhraseTable)
    concepts: PhraseTable[tuple[tuple[str, ...], ...]] = field(default_factory=PhraseTable)
    cues: PhraseTable[frozenset[str]] = field(default_factory=PhraseTable)
    answers: PhraseTable[frozenset[str]] = field(default_factory=PhraseTable)  # kinds a title answers
    stopwords: frozenset[str] = frozenset()
    nostem: frozenset[str] = frozenset()
    known: frozenset[str] = frozenset()
    variants: frozenset[str] = frozenset()  # words only spellings the lexicon rewrites use ("bntuan")

    @staticmethod
    def load(extra_concepts: Iterable[Concept] = ()) -> Lexicon:
        """The built-in lists, plus a PPID's own concepts (``knowledge.concepts``)."""
        lex = Lexicon()
        for line in _read_lines("lexicon.txt"):
            variant, _, standard_form = line.partition("\t")
            lex.replace.add(_phrase(variant), _phrase(standard_form))
        lex.stopwords = frozenset(w for line in _read_lines("stopwords.txt") for w in raw_tokens(line))
        base = Normalizer(lex)

        def standard(text: str) -> tuple[str, ...]:
            return tuple(base.replace(raw_tokens(text)))

        for line in _read_lines("acronyms.txt"):
            phrase, _, acronym = line.partition("\t")
            lex.acronyms.add(standard(phrase), standard(acronym))
        for name, table in (("cues.txt", lex.cues), ("answers.txt", lex.answers)):
            for line in _read_lines(name):
                kind, _, phrase = line.partition("\t")
                key = standard(phrase)
                if kind.strip() in _NAMES and len(key) == 1 and key != tuple(raw_tokens(phrase)):
                    continue  # a name the lexicon reads as an everyday word ("karo", "lombok", "pgn")
                table.add(key, (table.get(key) or frozenset()) | {kind.strip()})
        for line in _read_lines("thesaurus.txt"):
            trigger, _, expansions = line.partition("\t")
            targets = tuple(standard(e) for e in expansions.split(";") if e.strip())
            lex.concepts.add(standard(trigger), targets)
        for concept in extra_concepts:  # a PPID's concept adds to a built-in one with that trigger
            key = standard(concept.situation)
            known = lex.concepts.get(key) or ()
            lex.concepts.add(key, tuple(dict.fromkeys((*known, *(standard(s) for s in concept.services)))))
        acronyms = {w for phrase in lex.acronyms.values() for w in phrase}
        replaced = {w for phrase in lex.replace.values() for w in phrase}
        lex.variants = frozenset(lex.replace.words() - replaced)
        lex.nostem = frozenset(acronyms)
        lex.known = frozenset(
            lex.replace.words()
            | replaced
            | lex.acronyms.words()
            | acronyms
            | lex.concepts.words()
            | lex.cues.words()
            | lex.stopwords
        )
        return lex


@dataclass(frozen=True, slots=True)
class Analysis:
    """Normalised tokens of a text (stop words removed, acronyms added) and the years it names."""

    tokens: tuple[str, ...]
    years: tuple[int, ...]


REPLACE_PASSES = 3  # the lexicon's output read again: a regional word, then its standard phrase
STEM_CACHE = 400_000  # words whose stems are kept (the register's own and those typed lately)


class Normalizer:
    """Turns text into matching tokens. One instance is shared; it caches stems."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        self._stems: dict[str, str] = {}
        self._stemmer = stemmer()
        self._short: dict[str, Analysis] = {}  # unit names and keywords repeat across entries

    def replace(self, tokens: Sequence[str]) -> list[str]:
        """Apply the replacement lexicon, longest phrase first, again on what it made (at most
        ``REPLACE_PASSES`` times): a regional word becomes the standard one, which may start a
        standard phrase ("njaluk data" -> "minta data" -> "permohonan informasi")."""
        before, out = tokens, _rewrite(tokens, self.lexicon.replace, keep_phrase=False)
        for _ in range(REPLACE_PASSES - 1):
            if out == before:  # nothing rewritten (most register fields): another pass would not be
                break
            before, out = out, _rewrite(out, self.lexicon.replace, keep_phrase=False)
        return out

    def add_acronyms(self, tokens: Sequence[str]) -> list[str]:
        """Insert each acronym after its full phrase ("dinas kesehatan" -> "... dinkes")."""
        return _rewrite(tokens, self.lexicon.acronyms, keep_phrase=True)

    def compact(self, tokens: Sequence[str]) -> list[str]:
        """Replace each full phrase by its acronym ("dinas kesehatan" -> "dinkes")."""
        return _rewrite(tokens, self.lexicon.acronyms, keep_phrase=False)

    def content(self, tokens: Iterable[str]) -> list[str]:
        """Drop stop words and years."""
        stop = self.lexicon.stopwords
        return [t for t in tokens if t not in stop and not (t.isdigit() and is_year(t))]

    def analyze(self, text: str) -> Analysis:
        """Register-side analysis of one field."""
        cached = self._short.get(text)
        if cached is not None:
            return cached
        tokens = raw_tokens(text, chat=False)
        canonical = self.add_acronyms(self.replace(tokens))
        years = tuple(int(y) for y in _YEARS.findall(text))
        result = Analysis(tokens=tuple(self.content(canonical)), years=years)
        if len(text) <= SHORT_TEXT and len(self._short) < SHORT_CACHE:
            self._short[text] = result
        return result

    @property
    def stems(self) -> dict[str, str]:
        """The stem cache (word -> stem), for hot loops that look up before calling :meth:`stem`."""
        return self._stems

    def stem(self, token: str) -> str:
        """Sastrawi stem of a word, cached; acronyms, numbers and short words are kept as is."""
        stem = self._stems.get(token)
        if stem is None:
            stem = token
            if len(token) >= _MIN_STEM_LEN and token.isalpha() and token not in self.lexicon.nostem:
                # a word of a-z alone is what Sastrawi's text normalisation leaves as it is
                plain = token.isascii() and token.islower()
                stemmed = self._stemmer.stem_word(token) if plain else self._stemmer.stem(token)
                if len(stemmed) >= 3:
                    stem = stemmed
            if len(self._stems) >= STEM_CACHE:  # every new word a chat types would stay otherwise
                self._stems.clear()
            self._stems[token] = stem
        return stem


def _rewrite(tokens: Sequence[str], table: PhraseTable[tuple[str, ...]], *, keep_phrase: bool) -> list[str]:
    starts = table.first_words
    if starts.isdisjoint(tokens):
        return list(tokens)  # the common case: no phrase starts here
    out: list[str] = []
    done = 0  # tokens before this position are in ``out``
    for i in [i for i, token in enumerate(tokens) if token in starts]:
        if i < done:
            continue
        hit = table.match_at(tokens, i)
        if hit is None:
            continue
        length, value = hit
        out.extend(tokens[done:i])
        if keep_phrase:
            phrase = tokens[i : i + length]
            out.extend(phrase)
            out.extend(t for t in value if t not in phrase)
        else:
            out.extend(value)
        done = i + length
    out.extend(tokens[done:])
    return out


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """Indonesian root words (Sastrawi's dictionary, ~30,000): a query word among them is a word
    the register does not use, not a typo of one it does ("pacar" is not "pasar")."""
    path = Path(sastrawi_package.__file__).parent / "Stemmer" / "data" / "kata-dasar.txt"
    return frozenset(w for w in path.read_text(encoding="utf-8").split() if w.isalpha())


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.load()


@lru_cache(maxsize=1)
def default_normalizer() -> Normalizer:
    return Normalizer(default_lexicon())


def normalizer_with(concepts: Sequence[Concept]) -> Normalizer:
    """The default normaliser, or one whose lexicon also knows a PPID's concepts."""
    return Normalizer(Lexicon.load(concepts)) if concepts else default_normalizer()
