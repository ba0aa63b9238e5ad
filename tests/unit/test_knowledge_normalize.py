"""Indonesian normalisation: folding, repeats, years, lexicon, acronyms, stems, query repair."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from knowledge.normalize import Normalizer, default_normalizer, fold, raw_tokens
from knowledge.query import colloquial_variants
from knowledge.vocabulary import Vocabulary, max_edits, plausible_typo

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def analyze(text: str) -> tuple[str, ...]:
    return default_normalizer().analyze(text).tokens


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Café KTP-el", ["cafe", "ktp", "el"]),
        ("bangettt sampahhh", ["banget", "sampah"]),
        ("anak2 anak-anak", ["anak", "anak"]),
        ("Renstra 2021–2026", ["renstra", "2021", "2026"]),
        ("apbd2024", ["apbd", "2024"]),
        ("😀🙏 Ωmega", ["mega"]),
        ("", []),
    ],
)
def test_raw_tokens(text: str, tokens: list[str]) -> None:
    assert raw_tokens(text) == tokens


def test_fold_drops_other_scripts_and_keeps_words_apart() -> None:
    assert fold("ÉTÉ—Привет").split() == ["ete"]
    assert fold("2021–2026").split() == ["2021", "2026"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gmn cr ngurus akte lahir", ("urus", "akta", "kelahiran")),
        ("yg dgn utk", ()),
        ("jadwal posyandu bln ini", ("jadwal", "posyandu")),
        ("flood prone areas map", ("rawan", "banjir", "peta")),  # the register's own phrase
        (
            "piye carane ngurus akta kematian bapakku sing wis seda",
            ("urus", "akta", "kematian", "bapak", "meninggal"),
        ),
    ],
)
def test_slang_regional_and_english_become_standard_words(text: str, expected: tuple[str, ...]) -> None:
    assert analyze(text) == expected


def test_acronym_is_added_next_to_its_phrase_both_ways() -> None:
    assert "apbd" in analyze("Anggaran Pendapatan dan Belanja Daerah Tahun Anggaran 2024")
    assert "dinkes" in analyze("Rencana Strategis Dinas Kesehatan")
    assert "renstra" in analyze("Rencana Strategis Dinas Kesehatan")
    assert analyze("LAKIP Dinsos") == analyze("LKjIP Dinsos")
    assert "apbdp" in analyze("APBD-P 2024") and "apbd" not in analyze("APBD-P 2024")


def test_years_are_split_off() -> None:
    result = default_normalizer().analyze("LKjIP Dinkes Tahun 2023")
    assert result.years == (2023,) and "2023" not in result.tokens


def test_stems_are_cached_and_acronyms_kept() -> None:
    normalizer = default_normalizer()
    assert normalizer.stem("pengangkutan") == "angkut"
    assert normalizer.stem("apbd") == "apbd" and normalizer.stem("dinkes") == "dinkes"


def test_colloquial_variants_find_base_words() -> None:
    assert "urus" in colloquial_variants("ngurusin")
    assert "cara" in colloquial_variants("caranye")
    assert "jadwal" in colloquial_variants("jadwale")
    assert "cari" in colloquial_variants("nyari")
    assert "hilang" in colloquial_variants("ilang")


def test_typo_lookup_needs_a_plausible_typo() -> None:
    vocabulary = Vocabulary({"apbd": 5, "renstra": 9, "stunting": 4, "dewan": 3, "lhkpn": 2, "golongan": 1})
    assert vocabulary.similar("abpd")[0][0] == "apbd"  # transposition
    assert vocabulary.similar("renstar")[0][0] == "renstra"
    assert vocabulary.similar("stuntng")[0][0] == "stunting"
    assert vocabulary.similar("lhkpm")[0][0] == "lhkpn"  # neighbouring key
    assert vocabulary.similar("depan") == ()  # p/w are not neighbours: another word, not a typo
    assert vocabulary.similar("sim") == ()  # too short to guess
    assert not plausible_typo("bolong", "golong")  # the first letter is rarely wrong


def brute_force_similar(vocabulary: dict[str, int], word: str) -> tuple[tuple[str, int], ...]:
    """``Vocabulary.similar`` by its definition: every known word within the edits allowed (OSA
    distance), sharing all but three bigrams per edit, a plausible typo; closest, then commonest."""
    edits = max_edits(len(word))
    if not edits:
        return ()
    grams = bigrams(word)
    need = max(1, len(grams) - 3 * edits)
    scored = sorted(
        (int(OSA.distance(word, known)), -freq, known)
        for known, freq in vocabulary.items()
        if len(known) >= 3
        and not known.isdigit()
        and OSA.distance(word, known) <= edits
        and len(grams & bigrams(known)) >= need
        and plausible_typo(word, known)
    )
    return tuple((known, distance) for distance, _, known in scored[:3])


def bigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


WORDS = st.text(alphabet="aeiknprstu", min_size=3, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(WORDS, st.integers(0, 9), min_size=1, max_size=200), st.lists(WORDS, max_size=20))
def test_typo_lookup_finds_what_a_scan_of_every_word_finds(known: dict[str, int], typed: list[str]) -> None:
    vocabulary = Vocabulary(known)
    for word in [*typed, *(w[1] + w[0] + w[2:] for w in known), *(w[:-1] for w in known)]:
        assert vocabulary.similar(word) == brute_force_similar(known, word), word


@given(st.text(max_size=300))
def test_normalising_any_text_never_raises(text: str) -> None:
    result = default_normalizer().analyze(text)
    assert all(token.isascii() and token.isalnum() for token in result.tokens)


def test_the_stem_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("knowledge.normalize.STEM_CACHE", 100)
    normalizer = Normalizer()
    for n in range(1000):
        normalizer.stem(f"mengurus{n:04d}x".replace("0", "a").replace("1", "b"))
    assert len(normalizer.stems) <= 100
    assert normalizer.stem("pelayanan") == "layan"
