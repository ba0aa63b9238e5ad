"""The search index over register and FAQ entries, built once at start-up or import.

Each entry becomes a document with weighted fields (title, keywords, unit, summary). Postings map
a normalised token (and its Sastrawi stem, weaker) to ``{doc: field weight}``; documents are
numbered so that newer, shorter entries come first, which lets a query take the head of a long
posting list without sorting it. Near-duplicates (same unit, same title words, other year) share a
group so the latest year can be shown first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.models import EntryKind, FaqEntry, RegisterEntry
from knowledge.normalize import Normalizer, default_normalizer, fold, is_year, raw_tokens
from knowledge.vocabulary import Vocabulary

# Field weights: a word in the title counts most, in the summary least.
TITLE = 1.0
KEYWORDS = 0.8
UNIT = 0.45
SUMMARY = 0.3
ANSWER = 0.3
STEM = 0.8  # a stem match is worth this share of a word match
SATURATION = 1.2  # BM25 k1: repeated mentions add less and less
TITLE_COMMON_SHARE = 0.2  # words in more entries than this ("dinas", "kota") leave the match title

# Words that alone never name a unit ("dinas", "kota"...): a unit alias made only of these is dropped.
GENERIC_UNIT_WORDS = frozenset(
    {"dinas", "badan", "bagian", "kantor", "kecamatan", "kelurahan", "kota", "kabupaten", "daerah"}
    | {"umum", "sekretariat", "unit", "uptd", "pemerintah", "rumah", "sakit"}
)
_BUDGET_YEAR = re.compile(r"\b(?:tahun anggaran|ta)\s*((?:19|20)\d\d)\b")
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|/|s\s*d|sampai|hingga)\s*((?:19|20)\d\d)\b")

Entry = RegisterEntry | FaqEntry


@dataclass(frozen=True, slots=True)
class Doc:
    """What ranking needs to know about one entry."""

    id: str
    kind: EntryKind
    match_titles: tuple[str, ...]  # title (acronyms collapsed, very common words out) and keywords
    years: frozenset[int]  # years the entry is about (budget year, report year...)
    span: tuple[int, int]  # the full period for "2021-2026" style titles, else (0, 0)
    latest: int  # the latest year the entry refers to, 0 if none
    unit: int  # index into ``SearchIndex.units``; -1 for FAQ entries
    group: int  # near-duplicate group
    questions: frozenset[str]  # kinds of question an FAQ entry answers ("how", "cost"...)


def entry_years(entry: RegisterEntry) -> tuple[frozenset[int], tuple[int, int]]:
    """The years an entry is about: the budget year of "TA 2024" titles, else the title's years
    and ``tahun``; a "2021-2026" period also gives its span."""
    title = fold(entry.judul).replace("\u2013", "-")
    title = re.sub(r"\s+", " ", re.sub(r"[^a-z0-9/-]+", " ", title))
    budget = _BUDGET_YEAR.search(title)
    if budget:
        return frozenset({int(budget.group(1))}), (0, 0)
    years = {int(t) for t in raw_tokens(entry.judul) if is_year(t)}
    if entry.tahun:
        years.add(entry.tahun)
    span = (0, 0)
    period = _YEAR_RANGE.search(title)
    if period:
        start, end = int(period.group(1)), int(period.group(2))
        if 0 < end - start <= 30:
            span = (start, end)
    return frozenset(years), span


def saturate(weight: float) -> float:
    return round(weight * (SATURATION + 1) / (weight + SATURATION), 2)


class SearchIndex:
    """Inverted index over register and FAQ entries. Build with :meth:`build`."""

    def __init__(self, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self.docs: list[Doc] = []
        self.entries: dict[str, Entry] = {}
        self.faq_ids: list[str] = []  # in the FAQ file's order
        self.postings: dict[str, dict[int, float]] = {}
        self.units: list[str] = []
        self.unit_aliases: dict[str, list[tuple[frozenset[str], int]]] = {}
        self.vocabulary = Vocabulary({})
        self._idf: dict[str, float] = {}

    @classmethod
    def build(
        cls,
        register: Iterable[RegisterEntry],
        faq: Iterable[FaqEntry] = (),
        normalizer: Normalizer | None = None,
    ) -> SearchIndex:
        index = cls(normalizer or default_normalizer())
        active: list[Entry] = [e for e in register if e.active]
        faq_entries = [e for e in faq if e.active]
        active.extend(faq_entries)
        index.faq_ids = [e.id for e in faq_entries]
        index._add_all(active)
        return index

    def __len__(self) -> int:
        return len(self.docs)

    # --- building ---

    def _add_all(self, entries: Sequence[Entry]) -> None:
        prepared = [(e, *_years(e)) for e in entries]
        # Newest first, then shorter titles: the head of a long posting list is the best prior.
        prepared.sort(key=lambda p: (-max(p[1], default=0), len(_title(p[0]))))
        shared_floats: dict[float, float] = {}
        groups: dict[tuple[int, frozenset[str]], int] = {}
        unit_ids: dict[str, int] = {}
        pending: list[tuple[Entry, frozenset[int], tuple[int, int], int, int, list[str]]] = []
        for doc_id, (entry, years, span) in enumerate(prepared):
            fields = self._fields(entry)
            unit = -1
            if isinstance(entry, RegisterEntry):
                unit = unit_ids.get(entry.opd, -1)
                if unit < 0:
                    unit = unit_ids[entry.opd] = len(self.units)
                    self.units.append(entry.opd)
                    self._add_unit_aliases(entry, unit)
                signature = frozenset(t for t in fields[0][0] if not t.isdigit())
                group = groups.setdefault((unit, signature), len(groups))
            else:
                group = -1 - doc_id  # FAQ entries have no near-duplicates
            compact = self.normalizer.content(
                self.normalizer.compact(self.normalizer.replace(raw_tokens(_title(entry))))
            )
            pending.append((entry, years, span, unit, group, compact))
            self.entries[entry.id] = entry
            totals: dict[str, float] = {}
            for tokens, weight in fields:
                for token in tokens:
                    totals[token] = totals.get(token, 0.0) + weight
                    stem = self.normalizer.stem(token)
                    if stem != token:
                        totals[stem] = totals.get(stem, 0.0) + weight * STEM
            for token, total in totals.items():
                value = saturate(total)
                value = shared_floats.setdefault(value, value)
                self.postings.setdefault(token, {})[doc_id] = value
        n = len(prepared)
        common = {t for t, p in self.postings.items() if len(p) > TITLE_COMMON_SHARE * n}
        cues = self.normalizer.lexicon.cues
        for entry, years, span, unit, group, compact in pending:
            is_faq = isinstance(entry, FaqEntry)
            questions = frozenset[str]()
            if isinstance(entry, FaqEntry):
                words = self.normalizer.replace(raw_tokens(entry.pertanyaan))
                questions = frozenset(k for _, _, kinds in cues.scan_all(words) for k in kinds)
            self.docs.append(
                Doc(
                    id=entry.id,
                    kind=EntryKind.FAQ if is_faq else EntryKind.REGISTER,
                    match_titles=(
                        " ".join(dict.fromkeys(t for t in compact if t not in common)),
                        *self._compact_keywords(entry),
                    ),
                    years=years,
                    span=span,
                    latest=max(max(years, default=0), span[1]),
                    unit=unit,
                    group=group,
                    questions=questions,
                )
            )
        self._idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}
        self.vocabulary = Vocabulary({t: len(p) for t, p in self.postings.items()})
        self.vocabulary.extend(self.normalizer.lexicon.known)

    def _fields(self, entry: Entry) -> list[tuple[tuple[str, ...], float]]:
        analyze = self.normalizer.analyze
        if isinstance(entry, FaqEntry):
            return [(analyze(entry.pertanyaan).tokens, TITLE), (analyze(entry.jawaban).tokens, ANSWER)]
        keywords = tuple(t for k in entry.kata_kunci for t in analyze(k).tokens)
        unit = analyze(f"{entry.opd} ; {entry.opd_singkatan}").tokens
        return [
            (analyze(entry.judul).tokens, TITLE),
            (keywords, KEYWORDS),
            (unit, UNIT),
            (analyze(entry.ringkasan).tokens, SUMMARY),
        ]

    def _compact_keywords(self, entry: Entry) -> list[str]:
        if isinstance(entry, FaqEntry):
            return []
        normalizer = self.normalizer
        compacted = (
            normalizer.content(normalizer.compact(normalizer.replace(raw_tokens(k))))
            for k in entry.kata_kunci
        )
        return [" ".join(words) for words in compacted if words]

    def _add_unit_aliases(self, entry: RegisterEntry, unit: int) -> None:
        """Ways a query may name this unit: its full name, its short name, and their acronyms."""
        normalizer = self.normalizer
        aliases: set[frozenset[str]] = set()
        for name in (entry.opd, entry.opd_singkatan):
            if not name:
                continue
            words = normalizer.content(normalizer.replace(raw_tokens(name)))
            with_acronyms = normalizer.content(normalizer.add_acronyms(normalizer.replace(raw_tokens(name))))
            aliases.add(frozenset(words))
            aliases.update(frozenset({t}) for t in set(with_acronyms) - set(words))
        for alias in aliases:
            if alias and not alias <= GENERIC_UNIT_WORDS:
                rarest = min(alias, key=lambda t: (len(self.postings.get(t, ())), t))
                self.unit_aliases.setdefault(rarest, []).append((alias, unit))

    # --- reading ---

    def idf(self, token: str) -> float:
        return self._idf.get(token, 0.0)

    def units_named(self, tokens: Iterable[str]) -> set[int]:
        """Units whose name (or short name, or acronym) appears among ``tokens``."""
        present = set(tokens)
        found: set[int] = set()
        for token in present:
            for alias, unit in self.unit_aliases.get(token, ()):
                if alias <= present:
                    found.add(unit)
        return found

    def is_common(self, token: str, share: float) -> bool:
        """True when ``token`` appears in more than ``share`` of the entries."""
        return len(self.postings.get(token, ())) > share * max(len(self.docs), 1)

    def knows(self, token: str) -> bool:
        return token in self.postings or token in self.normalizer.lexicon.known


def _years(entry: Entry) -> tuple[frozenset[int], tuple[int, int]]:
    return entry_years(entry) if isinstance(entry, RegisterEntry) else (frozenset(), (0, 0))


def _title(entry: Entry) -> str:
    return entry.judul if isinstance(entry, RegisterEntry) else entry.pertanyaan
