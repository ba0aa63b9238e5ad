"""Rank register and FAQ entries for a query, or abstain.

1. Candidates come from the inverted index: all entries of the rarer query words, plus the head
   of the intersection of the common ones. The whole register is never scanned.
2. Each candidate gets a lexical score (idf-weighted, field-weighted matches, the best spelling of
   each query word), normalised by what a perfect match would score: the share of the query the
   entry covers.
3. The best candidates are reranked with rapidfuzz (query words against the title), then boosted by
   year and unit mentions and by the kind of question asked (``knowledge.questions``): an FAQ
   entry asking it, a register title offering it (an SOP gives time, cost and requirements), and
   for a request for someone's personal data the exempt entry (UU 14/2008 Pasal 17).
4. Below a threshold the engine abstains instead of guessing; near-duplicates (other years, title
   styles and holders of one document) count as one, current edition first.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter, itemgetter

from rapidfuzz import fuzz, process

from knowledge.concepts import Concept
from knowledge.duplicates import TITLE_STYLE_WORDS
from knowledge.index import EXAMPLES, Doc, Entry, SearchIndex
from knowledge.models import Category, EntryKind, FaqEntry, RegisterEntry
from knowledge.normalize import dated, normalizer_with, raw_tokens
from knowledge.query import ParsedQuery, QueryParser, Term
from knowledge.questions import GENERIC_QUESTIONS, SENSITIVE
from knowledge.scope import OutOfScope, scope_for
from knowledge.tiers import best_matches

RARE_SHARE = 0.005  # a word in at most this share of entries (or RARE_MIN) is "rare"
RARE_MIN = 400
TIERED_WORDS = 8  # candidates are tiered by the query's rarest words, up to this many
CANDIDATE_ALT = 0.7  # weaker spellings (a synonym's stem) score but do not bring candidates
SCORED = 100  # entries scored in Python: those matching the most query words
RERANK = 20  # candidates reranked with rapidfuzz
RERANK_MARGIN = 0.7  # ... unless their coverage is this far below the best one's
PRERANK_CAP = 9  # coverage (with repeats in several fields) ordering the first pass
GROUP_SHOWN = 2  # editions of one document reranked and shown: the latest (or the year asked for)
NEAR_BEST = 0.1  # ... among those whose coverage is at most this far below the family's best
CONCEPT_TIEBREAK = 0.1  # the thesaurus' words in the first, lexical pass
# final = 100 * (coverage, concept bonus, query-in-title, title-is-query) weighted as below, * boosts
COVERAGE_SHARE = 0.64
CONCEPT_SHARE = 0.06
CONTAINMENT_SHARE = 0.15
TIGHTNESS_SHARE = 0.15
KEYWORD_SIMILARITY = 0.85  # a keyword that matches the query counts this share of a title
STALE = 1.5  # score points per year an edition is behind its family's newest (query without a year)
RECENCY = 1.5  # score points for the newest entries, less for older ones: current documents first
UNKNOWN_WORD_SHARE = 0.25  # a word found nowhere weighs this share of a rare word in coverage
FAQ_SAME_KIND = 1.12  # FAQ entry asking the same specific kind of question (cost, duration...)
FAQ_SAME_GENERIC = 1.04  # ... only the same generic kind (a how-to question)
FAQ_OTHER_KIND = 0.94  # ... another specific kind than the one asked
FAQ_NOT_ASKED = 0.9  # a query that asks no procedural question
FAQ_SAME_TOPIC = 1.06  # an FAQ entry on personal or exempt data, for a query asking for such data
REGISTER_OTHER_KIND = 0.9  # a register entry whose title answers other kinds than those asked
REGISTER_NO_KIND = 0.94  # ... whose title answers no kind of question ("Keputusan ...", "Profil")
EXEMPT_FIT = 1.1  # an exempt entry for a query asking for personal or not-yet-public information
EXEMPT_LIFT_SHARE = 0.7  # ... and one among the best three scoring this share of the best comes first
NOT_FOR_DATA = frozenset({"where", "remedy", "channel"})  # kinds of question that seek a service, not data
TITLE_SHARE_DECAY = 0.1  # per core query word beyond SHORT_QUERY_WORDS, the title's share shrinks
SHORT_QUERY_WORDS = 3
# Evidence: the query's words (as typed, or a stem, a colloquial form, a one-edit typo) found in the
# best entry, each counted as its idf over the idf of a word found in one entry (a rare word counts
# about 1, whatever the register's size).
EVIDENCE_MIN_IDF = 0.33  # words this common ("kota", "data") are no evidence
CONCEPT_EVIDENCE = 0.5  # a word the concept layer added counts this share of a typed one
EVIDENCE_MIN_ALT = 0.8  # spellings weaker than this (a typo two edits away, a thesaurus word) neither
# A word found in the best entry's example questions only is weaker evidence that the register
# answers the query: citizens' examples are full of generic words ("mau", "cara", "info").
EXAMPLE_EVIDENCE = 0.5
EXAMPLE_COVER = 0.5
EXAMPLE_WHOLE = 0.75  # ... both, when every typed word is in the entry or its example questions
COVER_MIN_ALT = 0.4  # coverage counts a spelling this weak at its weight; weaker ones not at all
MAYBE_SHOWN = 3
OBJECT_WORDS = 2  # the query's most informative words the register uses: what it asks about
SHOW_ABOVE_SHARE = 0.6  # further hits must score at least this share of the best one

FamilyKey = tuple[bool, int]  # (in a unit the query names: its group, else: its family)


@dataclass(frozen=True, slots=True)
class Hit:
    """One result, with what a chat answer needs to show it."""

    id: str
    kind: str  # "register" | "faq"
    score: float
    title: str
    category: str = ""  # Category value; "" for FAQ
    unit: str = ""
    unit_code: str = ""  # the OPD's abbreviation in the register ("Dinkes"): routes a hand-off
    year: int | None = None
    link: str = ""
    text: str = ""  # register summary or FAQ answer
    exemption_reason: str = ""
    pasal_17_letter: str = ""

    @property
    def exempt(self) -> bool:
        return self.category == Category.DIKECUALIKAN.value


# The features the decision weighs, in the order of ``Calibration.weights`` (see ``Signals.features``).
FEATURES = (
    "score",  # the best entry's final score / 100
    "evidence",  # informative query words found in it (rare words ~1 each), capped at 4, / 4
    "words",  # how many informative query words it contains, capped at 5, / 5
    "cover",  # the informative (idf-weighted) share of the query's words found in the best entry
    "cover3",  # ... in any of the best three
    "unknown",  # ... found nowhere in the index (words the register never uses)
    "unknown_words",  # ... of those, real Indonesian words (not slang or typos): another topic
    "concepts",  # service words the concept layer added (a described situation), capped at 6, / 6
    "length",  # typed content words, capped at 10, / 10: citizens describing a need write more
    "outside",  # 1 when the query names another agency's service (SIM, paspor, BPN, PLN ...)
    "margin",  # (best score - the next entry's) / 100
    "elsewhere",  # 1 when the query names another city, province or country
    "object",  # the share of the query's most informative known words (its object) in the best entry
    "outside_share",  # the informative share of the query's words one out-of-scope question holds
)


_WEIGHTS = (1.78, 0.91, 1.01, 1.41, 1.03, -0.99, -0.51, 0.15, 0.72, -1.34, 0.61, -0.69, 0.56, -1.02)


@dataclass(frozen=True, slots=True)
class Calibration:
    """When to answer, offer "maybe" or abstain: a logistic model over ``Signals.features`` gives
    the likelihood that the register answers the query; at ``sure`` or above the best entry is the
    answer, at ``maybe`` or above the best three are offered as "mungkin yang Anda maksud", below
    the engine abstains. Fitted by ``bench/search_calibrate.py`` on tests/data/search_calibration.jsonl,
    tests/data/search_tuning.jsonl and tests/data/search_unanswerable.jsonl (needs described in
    everyday words, questions the register cannot answer); its "maybe" threshold also holds on
    needs lines 1-120 and tests/data/search_kinds.jsonl (English, regional, exempt, procedural);
    checked on the dev queries, the needs set in aggregate and tests/data/search_long.jsonl (long
    need descriptions, near-domain questions; never fitted on). Refitted in session 4 with the
    sample's example questions and the out-of-scope signal (``knowledge.scope``); in session 5 with
    the larger English and regional lexicon, the "maybe" threshold held to 1.5% wrong abstentions
    on the fit and validation sets (a margin under the 3% target on sets never seen)."""

    weights: tuple[float, ...] = _WEIGHTS
    bias: float = -3.75
    sure: float = 0.54
    maybe: float = 0.3


@dataclass(frozen=True, slots=True)
class Signals:
    """What the decision to answer rests on, for one query."""

    score: float  # the best entry's final score (0-100)
    evidence: float  # informative query words found in it, rare words counting about 1 each
    words: int  # how many informative query words it contains
    outside: bool  # the query names another agency's service (SIM, PLN, BPN...)
    cover: float = 0.0  # idf-weighted share of the query's words found in the best entry
    cover3: float = 0.0  # ... in any of the best three entries
    unknown: float = 0.0  # ... found in no entry at all
    unknown_words: float = 0.0  # ... of those, words of the Indonesian dictionary
    concepts: int = 0  # words the concept layer added to the query
    length: int = 0  # the query's typed content words
    second: float = 0.0  # the final score of the best entry of another document
    elsewhere: bool = False  # the query names another city, province or country
    object: float = 1.0  # the query's OBJECT_WORDS most informative known words found in the best entry
    outside_share: float = 0.0  # ... of its words in the closest out-of-scope question (knowledge.scope)
    other_year: bool = False  # the query asks for a year; the best entry is a dated document of others

    def features(self) -> tuple[float, ...]:
        """The model's inputs, each about 0-1, in the order of ``FEATURES``."""
        return (
            self.score / 100,
            min(self.evidence, 4.0) / 4,
            min(self.words, 5) / 5,
            self.cover,
            self.cover3,
            self.unknown,
            self.unknown_words,
            min(self.concepts, 6) / 6,
            min(self.length, 10) / 10,
            1.0 if self.outside else 0.0,
            max(0.0, self.score - self.second) / 100,
            1.0 if self.elsewhere else 0.0,
            self.object,
            self.outside_share,
        )

    def likelihood(self, calibration: Calibration) -> float:
        """How likely the register answers the query (0-1)."""
        z = calibration.bias + sum(w * x for w, x in zip(calibration.weights, self.features(), strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def decide(self, calibration: Calibration) -> Confidence:
        if self.other_year:  # "LKPD 2019" when the register holds 2022 and 2023: not in it (a request)
            return Confidence.NONE
        if self.elsewhere:  # about another city or country ("PBB Kota Depok"): not this register's
            return Confidence.NONE
        likelihood = self.likelihood(calibration)
        if likelihood >= calibration.sure:
            return Confidence.SURE
        if self.outside:  # another agency's service: no guessing
            return Confidence.NONE
        if likelihood >= calibration.maybe:
            return Confidence.MAYBE
        return Confidence.NONE


class Confidence(StrEnum):
    """How sure the engine is of its hits: ``SURE`` shows the best one as the answer, ``MAYBE``
    offers the best few as "mungkin yang Anda maksud"; ``NONE``: it abstained."""

    SURE = "sure"
    MAYBE = "maybe"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class SearchAnswer:
    query: str
    hits: tuple[Hit, ...] = ()
    procedural: bool = False
    outside: bool = False  # it names another body's service (``outside`` cues)
    confidence: Confidence = Confidence.NONE
    elsewhere: bool = False  # it asks about another city or country
    other_year: bool = False  # it asks for a year the register does not hold (see ``nearest``)
    nearest: Hit | None = None  # when abstaining for another year: the edition the register holds

    @property
    def abstained(self) -> bool:
        return not self.hits

    @property
    def tentative(self) -> bool:
        return self.confidence is Confidence.MAYBE


@dataclass(slots=True)
class _Scored:
    doc: int
    lexical: float  # share of the query's words the entry covers (0-1)
    concept: float  # share of the thesaurus' words the entry covers (0-1)
    final: float = 0.0


def hit_from_entry(entry: Entry, score: float = 100.0) -> Hit:
    if isinstance(entry, FaqEntry):
        return Hit(
            id=entry.id,
            kind=EntryKind.FAQ.value,
            score=score,
            title=entry.pertanyaan,
            link=entry.tautan,
            text=entry.jawaban,
        )
    return Hit(
        id=entry.id,
        kind=EntryKind.REGISTER.value,
        score=score,
        title=entry.judul,
        category=entry.kategori.value,
        unit=entry.opd,
        unit_code=entry.opd_singkatan,
        year=entry.tahun,
        link=entry.tautan,
        text=entry.ringkasan,
        exemption_reason=entry.alasan_pengecualian,
        pasal_17_letter=entry.pasal_17_letter,
    )


@dataclass(slots=True)
class SearchEngine:
    """Register and FAQ search; satisfies ``handlers.ports.KnowledgePort``."""

    index: SearchIndex
    calibration: Calibration = field(default_factory=Calibration)
    scope: OutOfScope = field(default_factory=OutOfScope)
    parser: QueryParser = field(init=False)

    def __post_init__(self) -> None:
        self.parser = QueryParser(self.index)

    @classmethod
    def from_entries(
        cls,
        register: Iterable[RegisterEntry],
        faq: Iterable[FaqEntry] = (),
        concepts: Sequence[Concept] = (),
    ) -> SearchEngine:
        """An engine over the active entries; ``concepts``: a PPID's own, besides the built-in ones."""
        normalizer = normalizer_with(concepts)
        return cls(SearchIndex.build(register, faq, normalizer), scope=scope_for(normalizer))

    def __len__(self) -> int:
        return len(self.index)

    def get(self, entry_id: str) -> Hit | None:
        entry = self.index.entries.get(entry_id)
        return hit_from_entry(entry) if entry is not None else None

    def faq(self, limit: int = 10) -> tuple[Hit, ...]:
        """The FAQ in its file's order."""
        return tuple(hit_from_entry(self.index.entries[i]) for i in self.index.faq_ids[: max(limit, 0)])

    def search(self, query: str, limit: int = 5) -> SearchAnswer:
        parsed = self.parser.parse(query)
        if parsed.empty or limit <= 0:
            return SearchAnswer(query=query, procedural=parsed.procedural, outside=parsed.outside)
        ranked = self._rank(parsed)
        signals = self._signals(parsed, ranked) if ranked else None
        confidence = signals.decide(self.calibration) if signals is not None else Confidence.NONE
        hits = self._present(
            parsed, ranked, limit if confidence is Confidence.SURE else min(limit, MAYBE_SHOWN)
        )
        if confidence is Confidence.NONE or not hits:
            hits, confidence = (), Confidence.NONE
        other_year = not hits and signals is not None and signals.other_year
        nearest = self.index.entries[self.index.docs[ranked[0].doc].id] if other_year else None
        return SearchAnswer(
            query=query,
            hits=hits,
            procedural=parsed.procedural,
            outside=parsed.outside,
            confidence=confidence,
            elsewhere=parsed.elsewhere,
            other_year=other_year,
            nearest=hit_from_entry(nearest) if nearest is not None else None,
        )

    def signals(self, query: str) -> Signals | None:
        """The signals the answer to ``query`` rests on (None when nothing matches at all)."""
        parsed = self.parser.parse(query)
        ranked = self._rank(parsed) if not parsed.empty else []
        return self._signals(parsed, ranked) if ranked else None

    def _signals(self, parsed: ParsedQuery, ranked: Sequence[_Scored]) -> Signals:
        """A long need-describing query that shares several rare words with an entry is about it,
        whatever its score; one generic or misspelt word in common is no evidence. Coverage: each
        typed word weighs its idf (a word found nowhere weighs as a rare one), found in an entry
        with the weight of its best spelling there."""
        index = self.index
        docs = index.docs
        family = _family_key(parsed)  # the margin is to another document, not another edition
        best = ranked[0]
        top = [s.doc for s in ranked[:MAYBE_SHOWN]]
        rarest = math.log(1 + (len(index) - 0.5) / 1.5)
        total, words = 0.0, 0
        weight_sum = cover = cover3 = unknown = unknown_words = 0.0
        objects: list[tuple[float, float]] = []  # (informativeness, found in the best entry)
        spelled: list[tuple[float, frozenset[str]]] = []  # each typed word's share and spellings
        dictionary = self.parser.dictionary
        # every word typed is in the best entry, some only in its example questions: the officers
        # wrote questions like this one for it, so those words count more (else half: a word in common)
        whole = all(
            any(
                weight >= COVER_MIN_ALT
                and (best.doc in index.postings.get(token, ()) or index.example_weight(token, best.doc))
                for token, weight in term.alts
            )
            for term in parsed.terms
            if term.core
        )
        example_evidence, example_cover = (
            (EXAMPLE_WHOLE, EXAMPLE_WHOLE) if whole else (EXAMPLE_EVIDENCE, EXAMPLE_COVER)
        )
        for term in parsed.terms:
            found = 0.0
            informative = 0.0  # the word's idf share, over its spellings the index has
            in_best = in_top = 0.0
            for token, weight in term.alts:
                posting = index.postings.get(token)
                examples = token in index.example_postings
                if weight < COVER_MIN_ALT or not (posting or examples):
                    continue
                idf = index.idf(token) / rarest
                informative = max(informative, idf)
                if posting and best.doc in posting:
                    if weight >= EVIDENCE_MIN_ALT:
                        found = max(found, idf * min(1.0, weight * term.weight))
                    in_best = max(in_best, weight)
                elif examples and index.example_weight(token, best.doc):
                    if weight >= EVIDENCE_MIN_ALT:
                        found = max(found, example_evidence * idf * min(1.0, weight * term.weight))
                    in_best = max(in_best, example_cover * weight)
                if posting and any(d in posting for d in top):
                    in_top = max(in_top, weight)
                elif examples and any(index.example_weight(token, d) for d in top):
                    in_top = max(in_top, example_cover * weight)
            if found >= EVIDENCE_MIN_IDF * (term.weight if not term.core else 1.0):
                total += found if term.core else found * CONCEPT_EVIDENCE / term.weight
                words += 1
            if not term.core:
                continue
            share = term.weight * (informative if informative else 1.0)
            # what the best entry leaves unexplained: the words an out-of-scope question may hold
            spelled.append(
                (share * (1.0 - in_best), frozenset(t for t, w in term.alts if w >= COVER_MIN_ALT))
            )
            weight_sum += share
            cover += share * in_best
            cover3 += share * in_top
            if informative and term.weight >= 1.0:
                objects.append((informative, in_best))
            if not informative:
                unknown += share
                if term.token in dictionary or index.normalizer.stem(term.token) in dictionary:
                    unknown_words += share
        norm = weight_sum or 1.0
        return Signals(
            score=best.final,
            evidence=total,
            words=words,
            outside=parsed.outside,
            cover=cover / norm,
            cover3=cover3 / norm,
            unknown=unknown / norm,
            unknown_words=unknown_words / norm,
            concepts=sum(1 for t in parsed.terms if not t.core),
            length=sum(1 for t in parsed.terms if t.core),
            second=next((s.final for s in ranked[1:] if family(docs[s.doc]) != family(docs[best.doc])), 0.0),
            elsewhere=parsed.elsewhere,
            object=_object_cover(objects),
            outside_share=self.scope.cover(spelled) / norm,
            other_year=_other_year(parsed, docs[best.doc], index.entries[docs[best.doc].id]),
        )

    # --- candidates ---

    def _candidates(self, terms: Sequence[Term]) -> set[int]:
        """The entries that match all query words, then all but one, then any; newest first within
        each tier (ids are in that order). A rare word brings all its entries, a common one the head
        of its posting list (``SearchIndex.head``). Only set operations and sorts of ids: no entry
        costs Python work."""
        index = self.index
        rare_limit = max(RARE_MIN, int(RARE_SHARE * len(index)))
        sets: list[AbstractSet[int]] = []
        related: list[list[AbstractSet[int]]] = []  # the thesaurus' words, if the typed ones are too few
        for term in terms:
            found: list[AbstractSet[int]] = []
            for token, weight in term.alts:
                if weight < CANDIDATE_ALT:
                    continue
                posting = index.postings.get(token)
                if posting:
                    found.append(posting.keys() if len(posting) <= rare_limit else index.head(token))
                if token in index.example_postings and (examples := index.example_docs(token)):
                    found.append(examples)
            if not found:
                continue
            if not term.core:
                related.append(found)
            else:  # not cached: a cache of sets of thousands of ids is what the garbage collector
                # walks (see ``knowledge.index.id_set``), and a union costs tens of microseconds
                sets.append(found[0] if len(found) == 1 else set().union(*found))
        sets.sort(key=len)
        taken, chosen = best_matches(sets[:TIERED_WORDS], SCORED)
        if chosen < SCORED // 2:
            extra: set[int] = set()
            for found in related:  # a word whose entries are many does not count
                if all(len(docs) <= rare_limit for docs in found):
                    docs = set().union(*found)
                    if len(docs) <= rare_limit:
                        extra.update(docs)
            taken.update(sorted(extra - taken)[: SCORED - chosen])
        return taken | self._faq_candidates(terms)

    def _faq_candidates(self, terms: Sequence[Term]) -> set[int]:
        """FAQ entries sharing a word (or the kind of question) with the query. The FAQ is small
        and the answer to a how-to question: it is never crowded out by register entries."""
        index = self.index
        found: set[int] = set()
        for term in terms:
            if not term.core:
                continue
            for token, weight in term.alts:
                if weight < CANDIDATE_ALT:
                    continue
                found.update(index.faq_with(token))
                examples = index.example_postings.get(token)
                if examples:
                    for shared in examples.keys() & index.example_faq.keys():
                        found.update(index.example_faq[shared])
        return found

    # --- scoring ---

    def _rank(self, parsed: ParsedQuery) -> list[_Scored]:
        index = self.index
        candidates = self._candidates(parsed.terms)
        if not candidates:
            return []
        max_idf = math.log(1 + len(index))
        by_set: dict[int, list[int]] = {}  # the candidates by their set of example questions
        if index.example_sets:
            for doc in candidates:
                if (shared := index.docs[doc].examples) >= 0:
                    by_set.setdefault(shared, []).append(doc)
        core: dict[int, float] = {}
        bonus: dict[int, float] = {}
        styled: dict[int, float] = {}  # the part of ``core`` from words of a title style
        perfect = perfect_bonus = 0.0
        units, docs = parsed.units, index.docs
        for term in parsed.terms:
            best, term_max = self._term_scores(term, candidates, by_set)
            if term.token in parsed.unit_words:  # another unit's "Jaya" is not the "Jaya" named
                best = {d: value for d, value in best.items() if docs[d].unit in units or docs[d].unit < 0}
            target = core if term.core else bonus
            for doc, value in best.items():
                target[doc] = target.get(doc, 0.0) + value
            if term.core and term.token in TITLE_STYLE_WORDS:  # "info": one title style's word
                for doc, value in best.items():
                    styled[doc] = styled.get(doc, 0.0) + value
            if term.core:
                perfect += term_max if term_max else UNKNOWN_WORD_SHARE * max_idf * term.weight
            else:
                perfect_bonus += term_max
        if perfect <= 0 or not core:
            return []
        if bonus:  # rank the lexical pass with a little of the thesaurus' words
            share = CONCEPT_TIEBREAK * perfect / perfect_bonus
            core = {doc: value + share * bonus.get(doc, 0.0) for doc, value in core.items()}
        # First pass: coverage (times the year factor when the query names a year); ties keep
        # the id order, the prior: newest first. A document family (near-duplicates across years)
        # enters the rerank with its latest editions (or those of the year asked for).
        if parsed.years:
            top = sorted((doc, value * self._year_factor(parsed, docs[doc])) for doc, value in core.items())
        else:
            top = sorted(core.items())
        top.sort(key=itemgetter(1), reverse=True)
        floor = top[0][1] - RERANK_MARGIN * perfect  # far below the best: rerank cannot lift it
        family_of = _family_key(parsed)
        families: dict[FamilyKey, list[int]] = {}
        for doc in core:
            families.setdefault(family_of(docs[doc]), []).append(doc)
        ranked: list[_Scored] = []
        seen: set[FamilyKey] = set()
        for doc, key in top:
            if key < floor or len(ranked) >= RERANK:
                break
            family = family_of(docs[doc])
            if family in seen:
                continue
            seen.add(family)
            members = families[family]
            if len(members) > 1:  # the year asked for, else the current edition, of the best matches
                # (whatever their title style: "Informasi Jadwal ..." is "Jadwal ..." for "info")
                if parsed.years:
                    factor = {d: self._year_factor(parsed, docs[d]) for d in members}
                else:  # no year asked for: every edition's factor is 1
                    factor = dict.fromkeys(members, 1.0)
                match = {d: (core[d] - styled.get(d, 0.0)) * factor[d] for d in members}
                near = max(match.values()) - NEAR_BEST * perfect
                members = heapq.nsmallest(  # sorted(...)[:GROUP_SHOWN], without sorting them all
                    GROUP_SHOWN,
                    (d for d in members if match[d] >= near),
                    key=lambda d: (-factor[d], -docs[d].latest, -core[d], d),
                )
            for member in members:
                concept = min(1.0, bonus.get(member, 0.0) / perfect_bonus) if perfect_bonus else 0.0
                lexical = min(1.0, (core[member] - CONCEPT_TIEBREAK * perfect * concept) / perfect)
                ranked.append(_Scored(member, lexical, concept))
        self._rerank(parsed, ranked)
        ranked.sort(key=attrgetter("doc"))
        ranked.sort(key=attrgetter("final"), reverse=True)
        if parsed.sensitive:
            _lift_exempt(parsed, ranked, docs)
        return ranked

    def _term_scores(
        self, term: Term, candidates: set[int], by_set: dict[int, list[int]]
    ) -> tuple[dict[int, float], float]:
        """Each candidate's best match for one term (over its spellings), and the best possible.
        ``by_set``: the candidates by their set of example questions."""
        index = self.index
        best: dict[int, float] = {}
        term_max = 0.0
        for token, alt_weight in term.alts:
            posting = index.postings.get(token)
            examples = index.example_postings.get(token)
            if not posting and not examples:
                continue
            factor = term.weight * alt_weight * index.idf(token)
            term_max = max(term_max, factor)
            if posting:
                found = posting.keys() & candidates  # the intersection in C; the loop over matches only
                if not best:  # the first spelling found: no earlier match to beat
                    best = {doc: value for doc in found if (value := factor * posting[doc]) > 0.0}
                else:
                    for doc in found:
                        value = factor * posting[doc]
                        if value > best.get(doc, 0.0):
                            best[doc] = value
            if examples:  # a word only the entry's example questions have counts less
                weak = factor * EXAMPLES
                for shared in by_set.keys() & examples.keys():
                    value = weak * examples[shared]
                    for doc in by_set[shared]:
                        if value > best.get(doc, 0.0):
                            best[doc] = value
        return best, term_max

    @staticmethod
    def _year_factor(parsed: ParsedQuery, doc: Doc) -> float:
        """A year in the query: that year's entries first, then periods covering it, then entries
        with no year, then other years."""
        if not parsed.years or doc.years & parsed.years:
            return 1.0
        if doc.span[0] and any(doc.span[0] <= y <= doc.span[1] for y in parsed.years):
            return 0.95
        return 0.85 if not doc.years else 0.7

    def _rerank(self, parsed: ParsedQuery, ranked: list[_Scored]) -> None:
        """Set each entry's final score: rapidfuzz similarity of the query to its title and keywords
        (two batched calls), then the boosts."""
        texts: list[str] = []
        owners: list[tuple[int, float]] = []  # (position in ranked, weight of the text)
        for position, scored in enumerate(ranked):
            for rank, text in enumerate(self.index.match_texts(self.index.docs[scored.doc])):
                texts.append(text)
                owners.append((position, 1.0 if rank == 0 else KEYWORD_SIMILARITY))
        query = parsed.text
        contained = [0.0] * len(texts)
        ordered = [0.0] * len(texts)
        for _, value, i in process.extract(
            query, texts, scorer=fuzz.token_set_ratio, processor=None, limit=None, score_cutoff=50
        ):
            contained[i] = value / 100
        for _, value, i in process.extract(
            query, texts, scorer=fuzz.token_sort_ratio, processor=None, limit=None, score_cutoff=30
        ):
            ordered[i] = value / 100
        words = set(query.split())
        containment = [0.0] * len(ranked)
        tightness = [0.0] * len(ranked)
        for i, (position, weight) in enumerate(owners):
            title_words = texts[i].split()
            share = sum(map(words.__contains__, title_words)) / len(title_words) if title_words else 0.0
            containment[position] = max(containment[position], weight * contained[i])
            tightness[position] = max(tightness[position], weight * (ordered[i] + share) / 2)
        # A citizen describing a situation writes many words, few of them in the title: the
        # longer the query, the more the ranking rests on coverage of the whole entry (BM25F).
        typed = sum(1 for t in parsed.terms if t.core)
        title_share = max(0.0, 1.0 - TITLE_SHARE_DECAY * max(0, typed - SHORT_QUERY_WORDS))
        for position, scored in enumerate(ranked):
            scored.final = self._final(
                parsed,
                self.index.docs[scored.doc],
                scored,
                containment[position],
                tightness[position],
                title_share,
            )

    def _final(
        self,
        parsed: ParsedQuery,
        doc: Doc,
        scored: _Scored,
        containment: float,
        tightness: float,
        title_share: float,
    ) -> float:
        """``title_share``: how much of the title-based shares the query's length leaves them."""
        moved = (1 - title_share) * (CONTAINMENT_SHARE + TIGHTNESS_SHARE)
        score = 100 * (
            (COVERAGE_SHARE + moved) * scored.lexical
            + CONCEPT_SHARE * scored.concept
            + title_share * CONTAINMENT_SHARE * containment
            + title_share * TIGHTNESS_SHARE * tightness
        )
        score *= self._year_factor(parsed, doc)
        if parsed.units and doc.unit not in parsed.units:
            score *= 0.9 if doc.kind is EntryKind.FAQ else 0.82
        if doc.kind is EntryKind.FAQ:
            score *= self._question_fit(parsed, doc)
        elif parsed.procedural and parsed.sought and parsed.sought.isdisjoint(doc.questions):
            # "berapa lama ...?": a decree on the subject does not say, a list of cases says else
            score *= REGISTER_OTHER_KIND if doc.questions else REGISTER_NO_KIND
        # Asked for someone's personal data (Pasal 17 huruf h), or for what is not final or closed
        # (the other letters): the exempt entry is the answer (it says why).
        if _exempt_fit(parsed, doc):
            score *= EXEMPT_FIT
        if parsed.outside:
            score *= 0.6
        latest = min(doc.latest, self.index.reference_year) if doc.latest else self.index.reference_year
        score += RECENCY * max(0, min(latest - 2000, 30)) / 30  # newer first among near-equals
        return round(min(score, 100.0), 1)

    @staticmethod
    def _question_fit(parsed: ParsedQuery, doc: Doc) -> float:
        """An FAQ entry asking the kind of question asked ranks first; one asking another kind
        ("berapa lama ...?" for "ke mana ...?") after; FAQ answers trail a plain register lookup."""
        shared = parsed.questions & doc.questions
        topic = FAQ_SAME_TOPIC if shared & SENSITIVE else 1.0  # someone's data: the personal-data FAQ
        answered = doc.questions - GENERIC_QUESTIONS - SENSITIVE
        if parsed.asked & answered:
            return FAQ_SAME_KIND * topic
        if not parsed.procedural:
            return FAQ_NOT_ASKED * topic
        fit = FAQ_SAME_GENERIC if shared & GENERIC_QUESTIONS else 1.0
        # Another kind than the one asked: "berapa lama ...?" for "ke mana ...?", and for a plain
        # how-to question an entry on the cost or the time rather than the steps.
        asked = parsed.sought
        other = answered and asked and asked.isdisjoint(answered | (doc.questions & {"how"}))
        return fit * topic * (FAQ_OTHER_KIND if other else 1.0)

    # --- presentation ---

    def _present(self, parsed: ParsedQuery, ranked: list[_Scored], limit: int) -> tuple[Hit, ...]:
        if not ranked:
            return ()
        floor = ranked[0].final * SHOW_ABOVE_SHARE
        shown = [s for s in ranked if s.final >= floor]
        docs = self.index.docs
        if not parsed.years:
            shown = _current_first(shown, docs, _family_key(parsed))
        return tuple(hit_from_entry(self.index.entries[docs[s.doc].id], s.final) for s in shown[:limit])


def _other_year(parsed: ParsedQuery, doc: Doc, entry: Entry) -> bool:
    """None of the years the query asks for is one the entry, a document whose title is dated
    ("UMK Tahun 2024", "Renstra 2021-2026"), names or spans. A period asked for is one unit: a
    school or budget year ("2025/2026") needs both its years, a longer one ("renstra 2016-2021") its
    start. Another year's edition is not the answer: that year is not in the register, and the
    citizen may ask for it by a request (UU 14/2008 Pasal 22)."""
    if not parsed.years or not isinstance(entry, RegisterEntry):
        return False
    if not dated(raw_tokens(entry.judul)):
        return False
    start, end = doc.span

    def held(year: int) -> bool:
        return year in doc.years or start <= year <= end

    in_periods = {year for period in parsed.periods for year in period}
    units = [*parsed.periods, *((year, year) for year in parsed.years - in_periods)]
    return not any(held(first) and (last - first != 1 or held(last)) for first, last in units)


def _exempt_fit(parsed: ParsedQuery, doc: Doc) -> bool:
    """Asked for someone's personal data (UU 14/2008 Pasal 17 huruf h), or for what is not final
    or closed (the other letters): an exempt entry on it is the answer (it says why)."""
    return bool(doc.exempt) and parsed.sensitive and ("personal" not in parsed.questions or "h" in doc.exempt)


def _lift_exempt(parsed: ParsedQuery, ranked: list[_Scored], docs: Sequence[Doc]) -> None:
    """A query asking for exempt information ("rekam medis mantan istri", "nama pelapor") is
    answered by the exempt entry on it when that entry is among the best three and close to the
    best: the citizen learns it is exempt and why, not a look-alike public entry."""
    if parsed.questions & NOT_FOR_DATA:  # "tetangga ... lapor ke mana?": where to go, not their data
        return
    best = ranked[0].final
    for position, scored in enumerate(ranked[:MAYBE_SHOWN]):
        if _exempt_fit(parsed, docs[scored.doc]) and scored.final >= EXEMPT_LIFT_SHARE * best:
            if position:
                scored.final = best
                ranked.insert(0, ranked.pop(position))
            return


def _object_cover(objects: list[tuple[float, float]]) -> float:
    """The idf-weighted share of the query's ``OBJECT_WORDS`` most informative words (those the
    register uses, not question words) that the best entry contains: "jadwal posyandu di Garut"
    shares "jadwal" with many entries but its object is the posyandu; a near-domain question
    ("status lamaran CPNS saya di SSCASN") often shares the generic words and misses the object."""
    top = sorted(objects, reverse=True)[:OBJECT_WORDS]
    total = sum(weight for weight, _ in top)
    return sum(weight * found for weight, found in top) / total if total else 1.0


def _family_key(parsed: ParsedQuery) -> Callable[[Doc], FamilyKey]:
    """Near-duplicates count as one document: editions and restyled titles of one unit's
    document, and copies held by other units, except that a unit the query names keeps its own
    entries apart (its document must not give way to another unit's copy)."""
    units = parsed.units

    def key(doc: Doc) -> FamilyKey:
        return (True, doc.group) if doc.unit in units else (False, doc.family)

    return key


def _current_first(
    ranked: list[_Scored], docs: list[Doc], family_of: Callable[[Doc], FamilyKey]
) -> list[_Scored]:
    """Each near-duplicate family at its best score with its newest edition first; an older
    edition follows at its own score less ``STALE`` points per year it is behind, so a current
    document of similar score comes before a superseded edition of another."""
    families: dict[FamilyKey, list[_Scored]] = {}
    for scored in ranked:
        families.setdefault(family_of(docs[scored.doc]), []).append(scored)
    placed: list[tuple[float, int, _Scored]] = []
    for members in families.values():
        best = max(s.final for s in members)
        members.sort(key=lambda s: (-docs[s.doc].latest, -s.final))
        newest = docs[members[0].doc].latest
        for i, scored in enumerate(members):
            if i == 0:
                score = best
            else:
                behind = newest - docs[scored.doc].latest if docs[scored.doc].latest else 0
                score = min(scored.final, best) - STALE * behind
            placed.append((score, len(placed), scored))
    placed.sort(key=lambda p: (-p[0], p[1]))
    return [_Scored(s.doc, s.lexical, s.concept, round(score, 1)) for score, _, s in placed]
