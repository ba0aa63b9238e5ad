"""Turn what a citizen typed into weighted search terms.

Unknown words are repaired before the lexicon runs: colloquial affixes ("ngurusin", "jadwale",
"carana"), doubled letters, two words typed as one, and typos (a fuzzy lookup in the index's
vocabulary). Then the lexicon, cue phrases (a how-to question, another agency's service), the
civic concept thesaurus (added with a lower weight), acronyms and stems.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.index import SearchIndex
from knowledge.normalize import (
    dictionary_words,
    hijri_year,
    is_year,
    raw_tokens,
    squeeze_repeats,
    year_periods,
)
from knowledge.questions import (
    ANSWER_KINDS,
    GENERIC_QUESTIONS,
    PROCEDURAL,
    SENSITIVE,
    TOPICAL_CUES,
    kind_token,
)

MAX_QUERY_CHARS = 500
MAX_QUERY_TOKENS = 32
# A place elsewhere after these words is where a citizen comes from, not what the question is about.
MOVED_FROM = frozenset({"dari", "from", "asal", "ti", "seko", "soko", "saka"})
# A place elsewhere after these (with "di"/"in" between or not) is where a life event happened or
# someone lives ("lahir di Bali", "kerja di luar negeri"), not what the question is about; after
# these with "ke" between, where someone moves ("pindah ke Semarang", "pulang kampung ke ...").
LIVED_AT = frozenset(
    {
        "lahir", "meninggal", "wafat", "tinggal", "kerja", "bekerja", "kuliah", "alamat", "domisili",
        "merantau", "rantau", "dirawat", "nikah", "menikah", "kos", "ngekos", "kost",
        "born", "died", "live", "lives", "lived", "living", "work", "works", "worked", "working",
    }
)  # fmt: skip
MOVED_TO = frozenset({"pindah", "kampung", "mudik", "move", "moving"})
_AT = frozenset({"di", "in", "at", "nang", "neng", "ning", "ing", "dek", "pas", "waktu", "saat"})
_TO = frozenset({"ke", "to", "nang", "menyang", "ka"})
# A person's name follows these words: personal data, never the topic of the query.
NAME_AFTER = frozenset({"atasnama", "bernama", "namanya", "named", "called"})
MAX_NAME_WORDS = 3
# Another body's service named after these is what the citizen needs this city's document for
# ("resume medis buat klaim asuransi", "surat keterangan usaha untuk pinjam di bank") or the channel of
# this city's service ("bayar PBB lewat Shopee"), not the question.
PURPOSE = frozenset({"buat", "untuk", "dipakai", "dipake", "lewat", "via", "melalui", "pakai", "pake"})
PURPOSE_AFTER = 2  # content words before "buat"/"untuk": "cara buat SIM" asks for the SIM itself
# A year after these words ("nunggak dari 2019", "since 2015") is when something began, not the
# year of the document asked for; "tahun" may come between.
SINCE = frozenset(
    {"dari", "dr", "sejak", "sjk", "semenjak", "mulai", "since", "from", "wiwit", "ti", "kawit"}
)
_YEAR_WORDS = frozenset({"tahun", "thn", "th", "taun", "year"})
STEM_WEIGHT = 0.85  # a query word's stem, as an alternative to the word
CONCEPT_WEIGHT = 0.5  # a word added by the thesaurus, relative to a typed word
CONCEPT_ALT = 0.7  # a thesaurus word as an alternative spelling of the words that triggered it
CONCEPT_COMMON_SHARE = 0.05  # thesaurus words in more entries than this add nothing
CUE_WORD_WEIGHT = 0.5  # a word that names the kind of question ("syarat", "biaya") more than the topic
KIND_ALT = 0.8  # an FAQ entry asking the same kind of question, as a spelling of the cue word
FUZZY_WEIGHTS = {1: 0.9, 2: 0.75, 3: 0.6}  # by edit distance
REAL_WORD_REPAIR = 0.7  # ... times this for a word of the dictionary: maybe no typo at all

# -nya/-nye (Betawi)/-ne/-e (Javanese)/-na (Sundanese) possessives, -in (Jakarta) for -kan/-i.
_SUFFIXES = ("nya", "nye", "kan", "lah", "kah", "pun", "ne", "na", "ku", "mu", "in", "an", "e", "i")
_VOWELS = frozenset("aeiou")


@dataclass(frozen=True, slots=True)
class Term:
    """One thing the query asks for, with acceptable spellings (token, weight <= 1)."""

    token: str
    alts: tuple[tuple[str, float], ...]
    weight: float = 1.0
    core: bool = True  # typed by the citizen (counts toward coverage), not added by the thesaurus


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    terms: tuple[Term, ...]
    years: frozenset[int]
    units: frozenset[int]  # units the query names
    unit_words: frozenset[str]  # the words that named them ("kemuning", "jaya", "dinkes")
    questions: frozenset[str]  # kinds of question asked (see data/cues.txt)
    outside: bool
    text: str  # the core tokens, for string similarity
    elsewhere: bool = False  # it names another city, province or country
    periods: frozenset[tuple[int, int]] = frozenset()  # "2024/2025", "2016-2021", "2020 sampai 2023"

    @property
    def procedural(self) -> bool:
        return bool(self.questions & PROCEDURAL)

    @property
    def asked(self) -> frozenset[str]:
        """The specific kinds of question asked (not "ask", "how", "yesno" nor a topic)."""
        return self.questions - GENERIC_QUESTIONS - SENSITIVE

    @property
    def sought(self) -> frozenset[str]:
        """The kinds an answer must give: those asked, else the steps of a how-to question (an
        SOP, a guide); "siapa yang berhak mengajukan" asks who, not how."""
        return self.asked or self.questions & {"how"}

    @property
    def sensitive(self) -> bool:
        return bool(self.questions & SENSITIVE)

    @property
    def empty(self) -> bool:
        return not any(t.core for t in self.terms)


def colloquial_variants(token: str) -> list[str]:
    """Candidate base forms of a chat-style word: suffixes (-nya, -in, -e, -ne, -na ...) and
    nasal prefixes (nge-, ng-, ny-, m-), alone and together."""
    stems = [token]
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            stems.append(token[: -len(suffix)])
    out: list[str] = []
    for stem in stems:
        if stem != token:
            out.append(stem)
        if stem.startswith("nge") and len(stem) > 5:
            out.append(stem[3:])
        if stem.startswith("ng") and len(stem) > 4 and stem[2] in _VOWELS:
            out.extend((stem[2:], "k" + stem[2:]))
        if stem.startswith("ny") and len(stem) > 4 and stem[2] in _VOWELS:
            out.extend(("s" + stem[2:], "c" + stem[2:]))
        if stem.startswith("n") and len(stem) > 4 and stem[1] in _VOWELS:
            out.append("t" + stem[1:])  # "nambah", "nerima", "numpuk": tambah, terima, tumpuk
        if stem.startswith("m") and len(stem) > 4 and stem[1] not in _VOWELS:
            out.append(stem[1:])
        if stem.startswith("di") and len(stem) > 5:
            out.append(stem[2:])
        if stem[0] in _VOWELS and len(stem) >= 4:
            out.append("h" + stem)  # a dropped initial h: "ilang", "abis", "utang"
    return list(dict.fromkeys(out))


class QueryParser:
    """Parses queries against one index (its vocabulary decides what counts as a typo)."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.normalizer = index.normalizer
        self.lexicon = index.normalizer.lexicon
        self.dictionary = dictionary_words()
        # a variant the lexicon rewrites ("bntuan") is in no entry's text, so a typo alternative
        # spelled so is not worth a stemmer call (the slowest step of a query new to the engine)
        self._variants = self.lexicon.variants - index.postings.keys()

    def _repair(self, token: str) -> list[tuple[str, float]]:
        """Known spellings for one typed word, best first; the word itself when nothing fits."""
        index = self.index
        if index.knows(token) or token.isdigit():
            return [(token, 1.0)]
        single = squeeze_repeats(token, keep_double=False)
        if single != token and index.knows(single):
            return [(single, 1.0)]
        variants = colloquial_variants(token)
        for variant in variants:
            if index.knows(variant):
                return [(variant, 1.0)]
        stem = self.normalizer.stem(token)
        if stem != token and len(stem) >= 4 and index.knows(stem) and stem in self.dictionary:
            # a derived form of a root the register uses ("pernikahan": nikah), not a typo of
            # another word ("perikanan")
            return [(stem, 1.0)]
        real = token if token in self.dictionary else None
        if real is None and len(stem) >= 3 and stem in self.dictionary:
            real = token  # a derived form of a real word ("pengecekan", "diangkat")
        if real is None:
            real = next((v for v in variants if v in self.dictionary), None)
        if real is not None:  # a real word the register does not use, or a typo that made one
            # ("dias" for "dinas"): the word first, its near spellings weaker
            near = index.vocabulary.similar(token)
            return [(real, 1.0), *((w, REAL_WORD_REPAIR * FUZZY_WEIGHTS.get(e, 0.5)) for w, e in near)]
        if len(token) >= 7:
            for cut in range(3, len(token) - 2):
                left, right = token[:cut], token[cut:]
                if left in index.postings and right in index.postings:
                    return [(f"{left} {right}", 1.0)]
        similar = index.vocabulary.similar(token)
        if similar:
            return [(word, FUZZY_WEIGHTS.get(edits, 0.5)) for word, edits in similar]
        return [(token, 1.0)]

    def parse(self, text: str) -> ParsedQuery:
        normalizer = self.normalizer
        tokens: list[str] = []
        extra: dict[str, list[tuple[str, float]]] = {}  # typo alternatives by chosen word
        repaired: dict[str, float] = {}  # a typo's best repair, with its weight
        years: set[int] = set()
        raws = raw_tokens(text[:MAX_QUERY_CHARS])[:MAX_QUERY_TOKENS]
        named = self._names(raws)
        for i, raw in enumerate(raws):
            if is_year(raw):
                if not _since(raws, i):
                    years.add(int(raw))
                continue
            hijri = hijri_year(raws, i)
            if hijri:  # "imsakiyah 1446 H"
                years.add(hijri)
                named.add(i + 1)  # its "H" is no word of the topic
                continue
            if i in named:
                continue
            options = self._repair(raw)
            first, certainty = options[0]
            tokens.extend(first.split())
            if certainty < 1.0:  # a typo's repair counts less than a word typed right
                repaired[first] = min(certainty, repaired.get(first, 1.0))
            if len(options) > 1:
                extra.setdefault(first, []).extend(options[1:])
        words = normalizer.replace(tokens)
        years.update(int(t) for t in words if is_year(t))
        cues: set[str] = set()
        for start, end, kinds in self.lexicon.cues.scan_all(words):
            guessed = not repaired.keys().isdisjoint(words[start:end])
            # "pindah dari Surabaya": a newcomer asks this city; a place reached by repairing a
            # typo ("kutha" -> "kutai") is no place named
            if "elsewhere" in kinds and (guessed or _where_life_happened(words, start)):
                kinds = kinds - {"elsewhere"}
            # "resume medis buat klaim asuransi": what it is for; "bayar PBB lewat Shopee": the
            # channel of this city's service; "asep" repaired into "asdp" is no body named
            if "outside" in kinds and (guessed or self._for_purpose(words, start)):
                kinds = kinds - {"outside"}
            cues.update(kinds)
        # Thesaurus: each concept's words become weaker spellings of the words that named it. A
        # concept named only by question words ("kapan" -> jadwal) becomes a wish of its own.
        content = set(normalizer.content(words))
        synonyms: dict[str, list[tuple[str, float]]] = {}
        concept_words: list[str] = []
        wishes: list[str] = []
        for start, end, targets in self.lexicon.concepts.scan_all(words):
            trigger = words[start:end]
            expansion = [
                t
                for target in targets
                for t in normalizer.content(normalizer.add_acronyms(list(target)))
                if t not in trigger and not self.index.is_common(t, CONCEPT_COMMON_SHARE)
            ]
            if not content.intersection(trigger):
                wishes.extend(expansion)
                continue
            concept_words.extend(expansion)
            for word in trigger:
                synonyms.setdefault(word, []).extend((t, CONCEPT_ALT) for t in expansion)
        terms: dict[str, Term] = {}
        cue_words = self.lexicon.cues
        kinds_named: set[str] = set()  # each kind matches once, through its first word
        for token in normalizer.content(normalizer.add_acronyms(words)):
            if token not in terms:
                alts = [(token, repaired.get(token, 1.0)), *extra.get(token, []), *synonyms.get(token, [])]
                kinds = cue_words.get((token,)) or frozenset()
                weight = CUE_WORD_WEIGHT if kinds - TOPICAL_CUES else 1.0
                alts.extend((kind_token(k), KIND_ALT) for k in sorted(kinds & ANSWER_KINDS - kinds_named))
                kinds_named.update(kinds)
                terms[token] = Term(token, self._with_stems(alts), weight=weight)
        for token in wishes:
            if token not in terms:
                terms[token] = Term(token, self._with_stems([(token, 1.0)]), weight=CONCEPT_WEIGHT)
        for token in concept_words:
            if token not in terms:
                alts = [(token, 1.0)]
                terms[token] = Term(token, self._with_stems(alts), weight=CONCEPT_WEIGHT, core=False)
        units, unit_words = self.index.units_named(t.token for t in terms.values() if t.core)
        return ParsedQuery(
            terms=tuple(terms.values()),
            years=frozenset(years),
            periods=frozenset(p for p in year_periods(raws) if years.issuperset(p)),
            units=frozenset(units),
            unit_words=frozenset(unit_words),
            questions=frozenset(cues - {"outside", "elsewhere"}),
            outside="outside" in cues,
            elsewhere="elsewhere" in cues,
            text=" ".join(normalizer.content(normalizer.compact(words))),
        )

    def _for_purpose(self, words: Sequence[str], start: int) -> bool:
        """The phrase at ``words[start]`` follows "buat"/"untuk"/"lewat" (one word may come between)
        after at least two content words: what the thing asked about is for, or its channel."""
        for at in range(max(start - 2, 0), start):
            if words[at] in PURPOSE and len(self.normalizer.content(words[:at])) >= PURPOSE_AFTER:
                return True
        return False

    def _names(self, raws: Sequence[str]) -> set[int]:
        """Positions of a person's name after "atas nama", "bernama", "namanya" ("data kependudukan
        atas nama Ahmad Fauzi"): personal data, not the topic; up to three words that are neither
        stop words nor known to the register."""
        out: set[int] = set()
        for i, raw in enumerate(raws):
            if raw in NAME_AFTER or (raw == "nama" and i and raws[i - 1] == "atas"):
                for j in range(i + 1, min(i + 1 + MAX_NAME_WORDS, len(raws))):
                    word = raws[j]
                    if self.index.knows(word) or word in self.lexicon.stopwords or is_year(word):
                        break
                    out.add(j)
        return out

    def _with_stems(self, alts: list[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
        best: dict[str, float] = {}
        for token, weight in alts:
            stem = token if token in self._variants else self.normalizer.stem(token)
            for form, w in ((token, weight), (stem, weight * STEM_WEIGHT)):
                if w > best.get(form, 0.0):
                    best[form] = w
        return tuple(best.items())


def _since(raws: Sequence[str], i: int) -> bool:
    """The year at ``raws[i]`` follows "dari"/"sejak"/"since" (perhaps with "tahun" between)."""
    before = raws[i - 1] if i else ""
    if before in _YEAR_WORDS and i > 1:
        before = raws[i - 2]
    return before in SINCE


def _where_life_happened(words: Sequence[str], start: int) -> bool:
    """The place at ``words[start]`` is where the citizen comes from, lives, was born or moves to."""
    before = words[start - 1] if start else ""
    if before in MOVED_FROM or before in LIVED_AT:
        return True
    if before in _TO and start > 1 and words[start - 2] in MOVED_TO:
        return True
    at = start - 1
    while at > start - 3 and at >= 0 and words[at] in _AT:  # "meninggal (pas) di Jakarta"
        at -= 1
    return at < start - 1 and at >= 0 and words[at] in LIVED_AT
