"""Example questions (``contoh_pertanyaan``) of register and FAQ entries: read from the files'
optional column, checked, indexed apart from the entry's own words, and searched with less weight
than the entry's title."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from knowledge.examples import MAX_EXAMPLE_CHARS, MAX_EXAMPLES
from knowledge.faq import parse_faq
from knowledge.models import Category, FaqEntry, ImportProblem, RegisterEntry
from knowledge.register import parse_register
from knowledge.search import Confidence, SearchEngine

REGISTER_HEADER = ["id", "judul", "ringkasan", "kategori", "opd", "opd_singkatan"]
FAQ_HEADER = ["id", "pertanyaan", "jawaban"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _register_row(entry_id: str, examples: str) -> list[str]:
    return [
        entry_id,
        f"Jadwal Fogging {entry_id}",
        "Jadwal pengasapan.",
        "berkala",
        "Dinas Kesehatan",
        "Dinkes",
        examples,
    ]


# --- reading the column ---


@pytest.mark.parametrize("column", ["contoh_pertanyaan", "Contoh Pertanyaan"])
def test_register_examples_are_split_tidied_and_deduplicated(tmp_path: Path, column: str) -> None:
    cell = "  kapan   disemprot? ;banyak nyamuk|kapan disemprot?\n\n anak kena DBD  ; ;"
    path = _write(tmp_path / "dip.csv", [*REGISTER_HEADER, column], [_register_row("DIP-1", cell)])
    parsed = parse_register(path)
    assert parsed.ok, parsed.problems
    [entry] = parsed.entries
    assert entry.contoh == ("kapan disemprot?", "banyak nyamuk", "anak kena DBD")


@pytest.mark.parametrize("column", ["contoh_pertanyaan", "Contoh Pertanyaan"])
def test_faq_examples_are_split_tidied_and_deduplicated(tmp_path: Path, column: str) -> None:
    cell = "perlu materai?|surat harus bermaterai ya\nperlu   materai? ; berapa lama diproses"
    rows = [["FAQ-1", "Berapa lama permohonan diproses?", "10 hari kerja.", cell]]
    path = _write(tmp_path / "faq.csv", [*FAQ_HEADER, column], rows)
    parsed = parse_faq(path)
    assert parsed.ok, parsed.problems
    [entry] = parsed.entries
    assert entry.pertanyaan == "Berapa lama permohonan diproses?"  # the column is not the question's
    assert entry.contoh == ("perlu materai?", "surat harus bermaterai ya", "berapa lama diproses")


def test_files_without_the_column_still_parse(tmp_path: Path) -> None:
    register = _write(tmp_path / "dip.csv", REGISTER_HEADER, [_register_row("DIP-1", "")[:-1]])
    faq = _write(tmp_path / "faq.csv", FAQ_HEADER, [["FAQ-1", "Apa itu PPID?", "Pejabat informasi."]])
    parsed_register, parsed_faq = parse_register(register), parse_faq(faq)
    assert parsed_register.ok and parsed_faq.ok
    assert [e.contoh for e in parsed_register.entries] == [()]
    assert [e.contoh for e in parsed_faq.entries] == [()]


def test_an_empty_cell_gives_no_examples(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "dip.csv", [*REGISTER_HEADER, "contoh_pertanyaan"], [_register_row("DIP-1", " ; | ")]
    )
    assert parse_register(path).entries[0].contoh == ()


TOO_MANY = "; ".join(f"pertanyaan nomor {i}" for i in range(MAX_EXAMPLES + 1))
TOO_LONG = "pendek; " + "x" * (MAX_EXAMPLE_CHARS + 1)


@pytest.mark.parametrize(("text", "words"), [(TOO_MANY, "at most"), (TOO_LONG, "longer than")])
def test_too_many_or_too_long_examples_are_a_row_problem(tmp_path: Path, text: str, words: str) -> None:
    register = _write(
        tmp_path / "dip.csv",
        [*REGISTER_HEADER, "contoh_pertanyaan"],
        [_register_row("DIP-1", "fine"), _register_row("DIP-2", text)],
    )
    parsed = parse_register(register)
    assert [e.id for e in parsed.entries] == ["DIP-1"]
    [problem] = parsed.problems
    assert (problem.row, problem.column) == (3, "contoh_pertanyaan") and words in problem.message
    faq = _write(tmp_path / "faq.csv", [*FAQ_HEADER, "Contoh Pertanyaan"], [["FAQ-1", "Apa?", "Itu.", text]])
    parsed_faq = parse_faq(faq)
    assert parsed_faq.entries == []
    [faq_problem] = parsed_faq.problems
    assert isinstance(faq_problem, ImportProblem)
    assert (faq_problem.row, faq_problem.column) == (2, "contoh_pertanyaan") and words in faq_problem.message


def test_the_limits_themselves_are_allowed(tmp_path: Path) -> None:
    """Exactly MAX_EXAMPLES questions of MAX_EXAMPLE_CHARS each; duplicates count once."""
    longest = [f"{i:02d} " + "y" * (MAX_EXAMPLE_CHARS - 3) for i in range(MAX_EXAMPLES)]
    cell = "; ".join([*longest, longest[0]])  # one more cell part, but a duplicate
    path = _write(
        tmp_path / "dip.csv", [*REGISTER_HEADER, "contoh_pertanyaan"], [_register_row("DIP-1", cell)]
    )
    parsed = parse_register(path)
    assert parsed.ok, parsed.problems
    assert parsed.entries[0].contoh == tuple(longest)


# --- the index and the search, on hand-made entries ---


def _entry(
    entry_id: str,
    judul: str,
    ringkasan: str,
    opd: str = "Dinas Kesehatan",
    *,
    tahun: int | None = None,
    contoh: tuple[str, ...] = (),
) -> RegisterEntry:
    return RegisterEntry(
        id=entry_id,
        judul=judul,
        ringkasan=ringkasan,
        kategori=Category.BERKALA,
        opd=opd,
        opd_singkatan="Dinkes",
        tahun=tahun,
        contoh=contoh,
    )


FILLER = [
    _entry("DIP-1", "Daftar Puskesmas dan Jam Pelayanan", "Alamat dan jam buka puskesmas di kota."),
    _entry("DIP-2", "Jadwal Imunisasi Anak", "Jadwal imunisasi dasar lengkap di posyandu."),
    _entry("DIP-3", "Anggaran Pendapatan dan Belanja Daerah", "Dokumen APBD tahunan.", opd="BPKAD"),
    _entry("DIP-4", "Data Kemiskinan Kota", "Jumlah penduduk miskin per kecamatan.", opd="Bappeda"),
    _entry("DIP-5", "Rencana Tata Ruang Wilayah", "Peta RTRW kota.", opd="Dinas PUPR"),
]
FOGGING = _entry("DIP-7", "Jadwal Fogging Demam Berdarah", "Jadwal pengasapan di kelurahan.")
SANITATION = _entry(
    "DIP-8",
    "Laporan Kegiatan Kesehatan Lingkungan",
    "Kegiatan sanitasi.",
    contoh=("kapan fogging di kampung kami", "banyak nyamuk di gang, kapan disemprot?"),
)
FAQ = [
    FaqEntry(
        "FAQ-1",
        "Berapa lama permohonan informasi diproses?",
        "Paling lambat 10 hari kerja.",
        contoh=("apakah surat permohonan harus pakai materai?",),
    ),
    FaqEntry("FAQ-2", "Apa itu PPID?", "Pejabat pengelola informasi dan dokumentasi."),
]


def _engine(*extra: RegisterEntry) -> SearchEngine:
    return SearchEngine.from_entries([*FILLER, *extra], FAQ)


def test_a_word_only_in_the_examples_finds_the_entry() -> None:
    engine = _engine(FOGGING, SANITATION)
    for query in ("nyamuk", "disemprot", "banyak nyamuk di gang"):
        answer = engine.search(query)
        assert answer.hits and answer.hits[0].id == "DIP-8", query
    without = SearchEngine.from_entries([*FILLER, FOGGING, replace(SANITATION, contoh=())], FAQ)
    assert without.search("nyamuk").hits == ()  # the examples alone brought it


def test_an_faq_entry_is_found_by_a_word_only_in_its_examples() -> None:
    engine = _engine(FOGGING, SANITATION)
    answer = engine.search("materai")
    assert answer.hits and answer.hits[0].id == "FAQ-1" and answer.hits[0].kind == "faq"
    assert engine.search("pakai materai").hits[0].id == "FAQ-1"
    plain = SearchEngine.from_entries([*FILLER, FOGGING], [replace(f, contoh=()) for f in FAQ])
    assert plain.search("materai").hits == ()


def test_a_title_word_outranks_the_same_word_in_another_entrys_examples() -> None:
    alone = _engine(SANITATION).search("kapan fogging di kampung")  # its examples alone find it ...
    assert alone.hits and alone.hits[0].id == "DIP-8"
    engine = _engine(FOGGING, SANITATION)
    answer = engine.search("fogging")  # ... but the entry with the word in its title comes first
    assert answer.hits[0].id == "DIP-7"
    signals = engine.signals("fogging")
    assert signals is not None and 0.0 < signals.second < answer.hits[0].score  # DIP-8 ranked, lower


def test_entries_with_one_identical_set_of_examples_share_it() -> None:
    examples = ("kapan fogging di kampung kami", "banyak nyamuk di gang")
    older = _entry(
        "DIP-2023-7", "Jadwal Fogging Demam Berdarah Tahun 2023", "Pengasapan.", tahun=2023, contoh=examples
    )
    newer = _entry(
        "DIP-2024-7", "Jadwal Fogging Demam Berdarah Tahun 2024", "Pengasapan.", tahun=2024, contoh=examples
    )
    other = replace(SANITATION, contoh=("lingkungan kotor banyak tikus",))
    index = _engine(older, newer, other).index
    doc = {d.id: n for n, d in enumerate(index.docs)}
    assert len(index.example_sets) == 3  # the shared set, the sanitation set and FAQ-1's
    shared = index.docs[doc["DIP-2023-7"]].examples
    assert shared >= 0 and index.docs[doc["DIP-2024-7"]].examples == shared
    assert set(index.example_sets[shared]) == {doc["DIP-2023-7"], doc["DIP-2024-7"]}
    assert index.docs[doc["DIP-8"]].examples not in (-1, shared)
    assert [s for s in index.example_sets if doc["DIP-2024-7"] in s] == [index.example_sets[shared]]
    for entry_id in ("DIP-1", "DIP-2", "DIP-5", "FAQ-2"):  # no examples: no set
        assert index.docs[doc[entry_id]].examples == -1
    assert index.docs[doc["FAQ-1"]].examples >= 0


def test_the_same_word_in_the_examples_is_weaker_evidence_than_in_the_title() -> None:
    in_title = _entry("DIP-9", "Jadwal Penyemprotan Nyamuk", "Jadwal kegiatan di kelurahan.")
    in_examples = _entry(
        "DIP-9", "Jadwal Penyemprotan Kelurahan", "Jadwal kegiatan di kelurahan.", contoh=("banyak nyamuk",)
    )
    title_signals = _engine(in_title).signals("nyamuk")
    example_signals = _engine(in_examples).signals("nyamuk")
    assert title_signals is not None and example_signals is not None
    assert _engine(in_title).search("nyamuk").hits[0].id == "DIP-9"
    assert _engine(in_examples).search("banyak nyamuk").hits[0].id == "DIP-9"
    assert 0.0 < example_signals.evidence < title_signals.evidence
    assert 0.0 < example_signals.cover < title_signals.cover
    assert example_signals.score < title_signals.score


def test_example_words_are_in_the_vocabulary_and_a_typo_is_repaired_to_them() -> None:
    """ "nyamuk" is only in DIP-8's examples; "nyamuq" (one edit) is read as it. Alone, the repaired
    example word is too weak to be sure of (a guess at most, though DIP-8 ranks first); with a
    second word of the examples the entry is found."""
    engine = _engine(FOGGING, SANITATION)
    assert engine.index.knows("nyamuk") and "nyamuk" not in engine.index.postings
    [term] = engine.parser.parse("nyamuq").terms
    assert term.token == "nyamuk" and ("nyamuk", 0.9) in term.alts
    signals = engine.signals("nyamuq")
    assert signals is not None and signals.evidence > 0.0
    assert engine.search("nyamuq").confidence is not Confidence.SURE
    answer = engine.search("nyamuq disemprot")
    assert answer.hits and answer.hits[0].id == "DIP-8"
