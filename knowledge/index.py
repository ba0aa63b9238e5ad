"""The search index over register and FAQ entries, built once at start-up or import.

Each entry becomes a document with weighted fields (title, keywords, unit, summary). Postings map
a normalised token (and its Sastrawi stem, weaker) to ``{doc: field weight}``. An entry's example
questions (``knowledge.examples``) are indexed apart, once per distinct set of questions: older
editions and other units' copies of a document usually carry the same set, and the search must
know a word came only from a citizen's example, not from the entry itself. Documents are
numbered so that newer, shorter entries come first, which lets a query take the head of a long
posting list without sorting it. Near-duplicates (other years, title styles or holders of one
document, see ``knowledge.duplicates``) share keys so the latest edition can be shown first.
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Iterable, KeysView, Sequence
from dataclasses import dataclass
from itertools import chain, islice

from knowledge.duplicates import NearDuplicates
from knowledge.models import EntryKind, FaqEntry, RegisterEntry
from knowledge.normalize import (
    Normalizer,
    default_normalizer,
    hijri_year,
    is_year,
    raw_tokens,
    year_periods,
)
from knowledge.questions import ANSWER_KINDS, kind_token
from knowledge.vocabulary import Vocabulary

# Field weights: a word in the title counts most, in the summary least.
TITLE = 1.0
KEYWORDS = 0.8
UNIT = 0.45
SUMMARY = 0.5
ANSWER = 0.5
EXAMPLES = 0.6  # a word found only in an entry's example questions: a citizen's words, often generic
STEM = 0.8  # a stem match is worth this share of a word match
SUMMARY_STEMS = True
SATURATION = 1.2  # BM25 k1: repeated mentions add less and less
HEAD = 800  # entries kept from a long posting list to find candidates (see ``head``)
STRONG_MATCH = 0.85  # a posting weight at least this high: the word is in the title or keywords
MATCH_CACHE = 50_000
EXAMPLE_CACHE = 512  # entries with a word in their example questions (see ``example_docs``)
EXAMPLE_RARE = 0.04  # a word in more of the sets of example questions ("mau", "info") brings no candidates
EXAMPLE_RARE_MIN = 20
EXAMPLE_PER_SET = 10  # the newest entries of each set (older editions, other units' copies) that
# enter as candidates; the others still come in by the words of their own fields
TITLE_COMMON_SHARE = 0.2  # words in more entries than this ("dinas", "kota") leave the match title

# Words that alone never name a unit ("dinas", "kota"...): a unit alias made only of these is dropped.
GENERIC_UNIT_WORDS = frozenset(
    {"dinas", "badan", "bagian", "kantor", "kecamatan", "kelurahan", "kota", "kabupaten", "daerah"}
    | {"umum", "sekretariat", "unit", "uptd", "pemerintah", "rumah", "sakit"}
)
MAX_SPAN_YEARS = 30  # a longer "period" in a title is two unrelated years

Entry = RegisterEntry | FaqEntry
IdSet = KeysView[int]  # a set of entry ids that the garbage collector does not walk (see ``id_set``)


def id_set(ids: Iterable[int]) -> IdSet:
    """A set of entry ids for a cache that fills as queries arrive, as the keys of a dict of ``None``.

    A ``frozenset`` is a container: every collection of its generation walks each id in it (tens of
    nanoseconds each, a cache miss per int). Caches of such sets made query after query cost a
    collection 3 to 12 ms in the middle of a query at 100,000 entries. A dict whose keys and values
    are ints and ``None`` is never tracked by the collector, and its keys view is one reference;
    it is a ``Set`` (``&``, ``|``, ``-``, ``in``) as the frozenset was, at about half its speed."""
    return dict.fromkeys(ids).keys()


@dataclass(slots=True)  # not frozen: a frozen dataclass is slower to build, by the 100,000
class Doc:
    """What ranking needs to know about one entry."""

    id: str
    kind: EntryKind
    match_title: str  # the title with acronyms collapsed, for rapidfuzz (see ``SearchIndex.common``)
    years: frozenset[int]  # years the entry is about (budget year, report year...)
    span: tuple[int, int]  # the full period for "2021-2026" style titles, else (0, 0)
    latest: int  # the latest year the entry refers to, 0 if none
    unit: int  # index into ``SearchIndex.units``; -1 for FAQ entries
    group: int  # near-duplicates of the same unit (see ``knowledge.duplicates``)
    family: int  # near-duplicates held by any unit
    questions: frozenset[str]  # kinds of question it answers ("how", "cost"...; see ``_questions``)
    exempt: str  # letters of UU 14/2008 Pasal 17 an exempt entry cites ("h", "ai"); "" if open
    examples: int = -1  # its set of example questions (``SearchIndex.example_sets``); -1: none


def entry_years(
    entry: RegisterEntry, title: Sequence[str] | None = None
) -> tuple[frozenset[int], tuple[int, int]]:
    """The years an entry is about: the budget year of "TA 2024" titles, else the title's years
    and ``tahun``; a "2021-2026" period also gives its span. ``title``: its raw tokens, if known."""
    tokens = raw_tokens(entry.judul) if title is None else title
    years: set[int] = set()
    for i, token in enumerate(tokens):
        hijri = hijri_year(tokens, i)
        if hijri:  # "Jadwal Imsakiyah Ramadan 1445 H"
            years.add(hijri)
            continue
        if not is_year(token):
            continue
        year = int(token)
        if tokens[i - 1 : i] == ["ta"] or tokens[max(i - 2, 0) : i] == ["tahun", "anggaran"]:
            return frozenset({year}), (0, 0)
        years.add(year)
    span = next((p for p in reversed(year_periods(tokens)) if p[1] - p[0] <= MAX_SPAN_YEARS), (0, 0))
    if entry.tahun:
        years.add(entry.tahun)
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
        self.faq_docs: tuple[int, ...] = ()  # their document numbers
        self.postings: dict[str, dict[int, float]] = {}
        # example questions: token -> {example set: weight}; the documents of each set, in id order
        self.example_postings: dict[str, dict[int, float]] = {}
        self.example_sets: list[tuple[int, ...]] = []
        self._example_docs: dict[str, IdSet] = {}
        self._texts: dict[str, tuple[str, ...]] = {}  # field text -> tokens, during the build only
        self.example_faq: dict[int, list[int]] = {}  # example set -> the FAQ entries that have it
        self.units: list[str] = []
        self.unit_aliases: dict[str, list[tuple[frozenset[str], int]]] = {}
        self.vocabulary = Vocabulary({})
        self._idf: dict[str, float] = {}
        self._keyword_cache: dict[str, str] = {}
        self._match_cache: dict[str, tuple[str, ...]] = {}
        self._faq_with: dict[str, tuple[int, ...]] = {}  # see ``faq_with``
        self._heads: dict[str, frozenset[int]] = {}  # made in the build: frozen with the index
        self._kinds: dict[frozenset[str], frozenset[str]] = {}  # shared kind sets
        self.common: frozenset[str] = frozenset()
        self.reference_year = 0  # the latest ``tahun`` in the register: "current"  # words in so many entries that rerank ignores them

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
        # The index is millions of small objects that live as long as the process: keep the cyclic
        # garbage collector from walking them during the build and in every later full collection
        # (a full walk of a 100,000-entry index costs more than a query).
        enabled = gc.isenabled()
        gc.disable()
        try:
            index._add_all(active)
            index._texts.clear()
        finally:
            if enabled:
                gc.enable()
        gc.collect()  # so that no cyclic garbage of the moment is frozen with the index
        gc.freeze()  # an index dropped later (a re-import) is still freed: it holds no cycles
        return index

    def __len__(self) -> int:
        return len(self.docs)

    # --- building ---

    def _add_all(self, entries: Sequence[Entry]) -> None:
        normalizer = self.normalizer
        order = []
        for position, entry in enumerate(entries):
            title = raw_tokens(_title(entry), chat=False)
            years, span = (
                entry_years(entry, title) if isinstance(entry, RegisterEntry) else (frozenset[int](), (0, 0))
            )
            order.append((max(years, default=0), len(title), position, years, span))
        # Newest first, then shorter titles: the head of a long posting list is the best prior.
        # "Newest" is capped at the latest year an entry is dated (plans reaching 2045 are not
        # newer than this year's budget); entries with no year (FAQ answers) count as current.
        self.reference_year = max((e.tahun or 0 for e in entries if isinstance(e, RegisterEntry)), default=0)
        reference = self.reference_year
        order.sort(key=lambda o: (-(min(o[0], reference) or reference), o[1], o[2]))
        saturated: dict[float, float] = {}  # also makes entries share float objects
        shared_years: dict[frozenset[int], frozenset[int]] = {}
        duplicates = NearDuplicates(normalizer)
        unit_ids: dict[str, int] = {}
        postings = self.postings
        example_ids: dict[tuple[str, ...], int] = {}
        example_members: list[list[int]] = []
        for doc_id, (_, _, position, years, span) in enumerate(order):
            entry = entries[position]
            replaced = normalizer.replace(raw_tokens(_title(entry), chat=False))
            title_tokens = tuple(normalizer.content(normalizer.add_acronyms(replaced)))
            compact = normalizer.content(normalizer.compact(replaced))
            unit = -1
            if isinstance(entry, RegisterEntry):
                unit = unit_ids.get(entry.opd, -1)
                if unit < 0:
                    unit = unit_ids[entry.opd] = len(self.units)
                    self.units.append(entry.opd)
                    self._add_unit_aliases(entry, unit)
                    duplicates.add_unit(unit, (entry.opd, entry.opd_singkatan))
                group, family = duplicates.keys(unit, replaced, compact)
            else:
                group = family = -1 - doc_id  # FAQ entries have no near-duplicates
            questions = self._questions(entry, replaced)
            self.docs.append(
                Doc(
                    id=entry.id,
                    kind=EntryKind.FAQ if isinstance(entry, FaqEntry) else EntryKind.REGISTER,
                    match_title=" ".join(dict.fromkeys(compact)),
                    years=shared_years.setdefault(years, years),
                    span=span,
                    latest=max(max(years, default=0), span[1]),
                    unit=unit,
                    group=group,
                    family=family,
                    questions=questions,
                    exempt=_exempt_letters(entry),
                )
            )
            if entry.contoh:
                shared = example_ids.get(entry.contoh)
                if shared is None:
                    shared = example_ids[entry.contoh] = len(example_members)
                    example_members.append([])
                    self._add_examples(shared, entry.contoh, saturated)
                example_members[shared].append(doc_id)
                self.docs[-1].examples = shared
            self.entries[entry.id] = entry
            totals: dict[str, float] = {}
            if isinstance(entry, FaqEntry):  # "bayar" finds "Apakah ... dipungut biaya?"
                for kind in questions & ANSWER_KINDS:
                    totals[kind_token(kind)] = TITLE
            for token, total in self._count(self._fields(entry, title_tokens), totals).items():
                value = saturated.get(total)
                if value is None:
                    value = saturated[total] = saturate(total)
                posting = postings.get(token)
                if posting is None:
                    postings[token] = {doc_id: value}
                else:
                    posting[doc_id] = value
        n = len(self.docs)
        self.example_sets = [tuple(members) for members in example_members]
        self.faq_docs = tuple(d for d, doc in enumerate(self.docs) if doc.kind is EntryKind.FAQ)
        for d in self.faq_docs:
            if self.docs[d].examples >= 0:
                self.example_faq.setdefault(self.docs[d].examples, []).append(d)
        self.common = frozenset(t for t, p in postings.items() if len(p) > TITLE_COMMON_SHARE * n)
        self._idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
        faq = len(self.faq_docs)  # kind tokens ("?cost") are FAQ-only: their weight must not grow
        for token, posting in postings.items():  # with the register
            if token[0] == "?":
                self._idf[token] = math.log(1 + (faq - len(posting) + 0.5) / (len(posting) + 0.5))
        example_only: dict[str, int] = {}  # words only citizens' examples use: their own frequency
        for token, sets in self.example_postings.items():
            if token not in postings:
                df = example_only[token] = sum(len(self.example_sets[k]) for k in sets)
                self._idf[token] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        self.vocabulary = Vocabulary({t: len(p) for t, p in postings.items() if t[0] != "?"} | example_only)
        # typos are also repaired into the lexicon's words (chat and regional spellings, English),
        # but not into names of places and bodies, which count only when typed ("asep" is no "asdp")
        lexicon = normalizer.lexicon
        self.vocabulary.extend(lexicon.known - lexicon.cues.words())
        for token, posting in postings.items():  # ready before the first query (0.1 s at 100k)
            if len(posting) > HEAD // 2:
                self.head(token)

    def _fields(self, entry: Entry, title: tuple[str, ...]) -> list[tuple[tuple[str, ...], float, bool]]:
        """(tokens, weight, index stems too) per field. Summaries, the bulk of the text, may go
        without stems: that saves a quarter of the postings (see SUMMARY_STEMS)."""
        analyze = self._analyzed
        if isinstance(entry, FaqEntry):
            return [(title, TITLE, True), (analyze(entry.jawaban), ANSWER, SUMMARY_STEMS)]
        keywords = tuple(t for k in entry.kata_kunci for t in analyze(k))
        unit = analyze(f"{entry.opd} ; {entry.opd_singkatan}")
        summary = analyze(entry.ringkasan)
        return [
            (title, TITLE, True),
            (keywords, KEYWORDS, True),
            (unit, UNIT, True),
            (summary, SUMMARY, SUMMARY_STEMS),
        ]

    def _analyzed(self, text: str) -> tuple[str, ...]:
        """A field's tokens; the same text is analysed once per build (a large register repeats
        its summaries, keywords and unit names from edition to edition and unit to unit)."""
        tokens = self._texts.get(text)
        if tokens is None:
            tokens = self._texts[text] = tuple(self.normalizer.analyze(text).tokens)
        return tokens

    def _count(
        self, fields: Iterable[tuple[tuple[str, ...], float, bool]], totals: dict[str, float]
    ) -> dict[str, float]:
        """Add each field's words to ``totals`` at the field's weight (and their stems, weaker,
        where the field is stemmed): a BM25F term frequency before saturation."""
        stem, stems = self.normalizer.stem, self.normalizer.stems
        for tokens, weight, stemmed in fields:
            if not stemmed:
                for token in tokens:
                    totals[token] = totals.get(token, 0.0) + weight
                continue
            weak = weight * STEM
            for token in tokens:
                totals[token] = totals.get(token, 0.0) + weight
                root = stems.get(token) or stem(token)
                if root != token:
                    totals[root] = totals.get(root, 0.0) + weak
        return totals

    def _add_examples(self, shared: int, examples: tuple[str, ...], saturated: dict[float, float]) -> None:
        """Index one set of example questions (with stems, weaker), as BM25 counts a field."""
        tokens = tuple(self.normalizer.analyze(" ; ".join(examples)).tokens)
        for token, total in self._count([(tokens, 1.0, True)], {}).items():
            value = saturated.get(total)
            if value is None:
                value = saturated[total] = saturate(total)
            self.example_postings.setdefault(token, {})[shared] = value

    def example_docs(self, token: str) -> IdSet:
        """The entries with ``token`` in their example questions, the newest ``EXAMPLE_PER_SET`` of
        each set (ids are in that order); none when the word is common in them (``EXAMPLE_RARE``):
        it brings no candidates, though it still scores. The last ``EXAMPLE_CACHE`` words are kept."""
        cache = self._example_docs
        docs = cache.get(token)
        if docs is None:
            sets = self.example_postings.get(token, {})
            if len(sets) > max(EXAMPLE_RARE_MIN, EXAMPLE_RARE * len(self.example_sets)):
                docs = id_set(())
            else:
                docs = id_set(chain.from_iterable(self.example_sets[k][:EXAMPLE_PER_SET] for k in sets))
            if len(cache) >= EXAMPLE_CACHE:
                del cache[next(iter(cache))]
            cache[token] = docs
        return docs

    def example_weight(self, token: str, doc: int) -> float:
        """The weight of ``token`` in the example questions of ``doc`` (0 when not there)."""
        shared = self.docs[doc].examples
        if shared < 0:
            return 0.0
        return self.example_postings.get(token, {}).get(shared, 0.0)

    def _questions(self, entry: Entry, title: Sequence[str]) -> frozenset[str]:
        """The kinds of question an entry answers: an FAQ entry's question asks them ("Berapa lama
        ...?": duration), a register title offers them ("SOP ...": requirements, duration, cost).
        ``title``: the title's tokens after the lexicon."""
        lexicon = self.normalizer.lexicon
        table = lexicon.cues if isinstance(entry, FaqEntry) else lexicon.answers
        if table.first_words.isdisjoint(title):
            return frozenset()
        kinds = frozenset(k for _, _, found in table.scan_all(title) for k in found)
        return self._kinds.setdefault(kinds, kinds)

    def match_texts(self, doc: Doc) -> tuple[str, ...]:
        """The title and keywords of a document as the rerank compares them with a query."""
        texts = self._match_cache.get(doc.id)
        if texts is None:
            title = " ".join(t for t in doc.match_title.split() if t not in self.common)
            texts = (title, *self.match_keywords(doc.id))
            if len(self._match_cache) >= MATCH_CACHE:
                self._match_cache.clear()
            self._match_cache[doc.id] = texts
        return texts

    def match_keywords(self, entry_id: str) -> list[str]:
        """The entry's keywords as the rerank compares them with a query (acronyms collapsed)."""
        entry = self.entries[entry_id]
        if isinstance(entry, FaqEntry):
            return []
        out: list[str] = []
        for keyword in entry.kata_kunci:
            compacted = self._keyword_cache.get(keyword)
            if compacted is None:
                normalizer = self.normalizer
                compacted = " ".join(
                    normalizer.content(normalizer.compact(normalizer.replace(raw_tokens(keyword))))
                )
                self._keyword_cache[keyword] = compacted
            if compacted:
                out.append(compacted)
        return out

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

    def units_named(self, tokens: Iterable[str]) -> tuple[set[int], set[str]]:
        """Units whose name (or short name, or acronym) appears among ``tokens``, and the words
        that named them other than generic ones ("kelurahan", "dinas")."""
        present = set(tokens)
        found: set[int] = set()
        words: set[str] = set()
        for token in present:
            for alias, unit in self.unit_aliases.get(token, ()):
                if alias <= present:
                    found.add(unit)
                    words.update(alias - GENERIC_UNIT_WORDS)
        return found, words

    def head(self, token: str) -> frozenset[int]:
        """The best entries for a word with a long posting list: those with it in the title or
        keywords first, newest first (ids are in that order), at most ``HEAD`` of them. Cached."""
        head = self._heads.get(token)
        if head is None:
            posting = self.postings.get(token, {})
            if len(posting) <= HEAD:
                head = frozenset(posting)
            else:
                strong = list(islice((d for d, w in posting.items() if w >= STRONG_MATCH), HEAD))
                if len(strong) < HEAD:
                    strong.extend(
                        islice((d for d, w in posting.items() if w < STRONG_MATCH), HEAD - len(strong))
                    )
                head = frozenset(strong)
            self._heads[token] = head
        return head

    def is_common(self, token: str, share: float) -> bool:
        """True when ``token`` appears in more than ``share`` of the entries."""
        return len(self.postings.get(token, ())) > share * max(len(self.docs), 1)

    def faq_with(self, token: str) -> tuple[int, ...]:
        """The FAQ entries with ``token`` in their text, cached (up to ``MATCH_CACHE`` words, then
        the cache starts again, like ``match_texts``'s)."""
        found = self._faq_with.get(token)
        if found is None:
            posting = self.postings.get(token)
            found = tuple(d for d in self.faq_docs if d in posting) if posting else ()
            if len(self._faq_with) >= MATCH_CACHE:
                self._faq_with.clear()
            self._faq_with[token] = found
        return found

    def knows(self, token: str) -> bool:
        return (
            token in self.postings or token in self.example_postings or token in self.normalizer.lexicon.known
        )


_PASAL_17_LETTERS = re.compile(r"\bhuruf\s+([a-j])\b", re.IGNORECASE)
_LETTERS: dict[str, str] = {}  # shared strings


def _exempt_letters(entry: Entry) -> str:
    """The letters of Pasal 17 an exempt entry's reason cites, in order ("ah" for "huruf a ...
    dan huruf h"); "" for open entries and FAQ answers."""
    if not isinstance(entry, RegisterEntry) or not entry.is_exempt:
        return ""
    found = "".join(dict.fromkeys(m.lower() for m in _PASAL_17_LETTERS.findall(entry.alasan_pengecualian)))
    letters = found or entry.pasal_17_letter or "?"
    return _LETTERS.setdefault(letters, letters)


def _title(entry: Entry) -> str:
    return entry.judul if isinstance(entry, RegisterEntry) else entry.pertanyaan
