"""Kinds of question: the entry that answers the kind of question asked comes first (an FAQ
entry asking it, a register title offering it); a request for someone's personal data finds the
exempt entry. The queries were written for these tests, not taken from the dev set."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from knowledge.faq import parse_faq
from knowledge.models import Category, FaqEntry, RegisterEntry
from knowledge.register import parse_register
from knowledge.search import SearchEngine

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"

FAQ = [
    FaqEntry("F-HOW", "Bagaimana cara mengajukan permohonan informasi?", "Isi formulir di meja layanan."),
    FaqEntry("F-TIME", "Berapa lama permohonan informasi dijawab?", "Paling lambat 10 hari kerja."),
    FaqEntry("F-COST", "Apakah permohonan informasi dipungut biaya?", "Tidak, kecuali ongkos salinan."),
    FaqEntry("F-ONLINE", "Apakah permohonan informasi bisa diajukan secara online?", "Bisa, di laman PPID."),
    FaqEntry("F-REFUSED", "Bagaimana jika permohonan informasi saya ditolak?", "Ajukan keberatan."),
    FaqEntry("F-WHAT", "Apa yang dimaksud dengan informasi berkala?", "Informasi yang diumumkan rutin."),
    FaqEntry("F-LIST", "Informasi apa saja yang wajib diumumkan berkala?", "Profil, laporan keuangan, ..."),
]


def reklame(entry_id: str, title: str) -> RegisterEntry:
    return RegisterEntry(
        entry_id, title, "Izin reklame di Kota Sukamaju.", Category.BERKALA, "DPMPTSP", tahun=2024
    )


OTHER_TOPICS = ["Jadwal Posyandu", "Data Stunting", "APBD", "Renstra Dinas Sosial", "Peta Rawan Banjir"]
REGISTER = [
    reklame("R-DECREE", "Keputusan Kepala Dinas tentang Pelayanan Izin Reklame"),
    reklame("R-SOP", "SOP Penerbitan Izin Reklame"),
    reklame("R-LIST", "Daftar Izin Reklame yang Diterbitkan"),
    reklame("R-FEE", "Tarif Retribusi Izin Reklame"),
    *(RegisterEntry(f"O-{i}", title, "", Category.BERKALA, "Dinas") for i, title in enumerate(OTHER_TOPICS)),
]


@lru_cache(maxsize=1)
def small() -> SearchEngine:
    return SearchEngine.from_entries(REGISTER, FAQ)


@lru_cache(maxsize=1)
def sample() -> SearchEngine:
    return SearchEngine.from_entries(
        parse_register(SAMPLE / "register.csv").entries, parse_faq(SAMPLE / "faq.csv").entries
    )


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("berapa lama permohonan diproses", {"duration"}),
        ("syaratnya apa aja", {"requirements", "list"}),
        ("bisa lewat wa?", {"channel"}),
        ("kalau ditolak terus gimana", {"remedy"}),
        ("apa itu informasi berkala", {"define"}),
        ("data atas nama budi", {"personal"}),
        ("rincian hps sebelum tender", {"confidential"}),
    ],
)
def test_the_kind_of_question_is_recognised(query: str, kinds: set[str]) -> None:
    assert kinds <= small().parser.parse(query).questions


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("permohonan informasi bayar nggak?", "F-COST"),  # "bayar": the FAQ says "dipungut biaya"
        ("permohonan informasi berapa hari", "F-TIME"),
        ("bisa ngajuin permohonan informasi lewat wa?", "F-ONLINE"),
        ("permohonan informasi saya ditolak, terus gimana", "F-REFUSED"),
        ("gimana caranya mengajukan permohonan informasi", "F-HOW"),
        ("informasi berkala itu artinya apa", "F-WHAT"),
        ("informasi berkala apa aja", "F-LIST"),
    ],
)
def test_the_faq_entry_asking_the_same_kind_of_question_comes_first(query: str, expected: str) -> None:
    assert small().search(query).hits[0].id == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("izin reklame berapa lama", "R-SOP"),  # an SOP gives the time, a decree does not
        ("syarat izin reklame apa saja", "R-SOP"),
        ("izin reklame mana saja yang sudah terbit", "R-LIST"),
    ],
)
def test_the_register_title_answering_the_kind_asked_comes_first(query: str, expected: str) -> None:
    assert small().search(query).hits[0].id == expected


def test_a_cost_question_puts_the_tariff_and_the_sop_above_the_decree_and_the_list() -> None:
    hits = [hit.id for hit in small().search("berapa biaya izin reklame").hits]
    assert set(hits[:2]) == {"R-FEE", "R-SOP"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("data kependudukan atas nama ahmad fauzi", "DIP-2024-0303"),  # not the SOP on changing names
        ("nomor rekening penerima insentif guru ngaji", "DIP-2024-0059"),  # not the open recap
        ("saya mau lihat data pribadi siswa di dapodik", "DIP-2024-0121"),
    ],
)
def test_a_request_for_someones_personal_data_finds_the_exempt_entry(query: str, expected: str) -> None:
    hit = sample().search(query).hits[0]
    assert hit.id == expected and hit.exempt


def test_an_faq_entry_asking_another_kind_gives_way() -> None:
    """ "Ke mana" is not answered by "berapa lama": the entry on where to go ranks above it."""
    engine = SearchEngine.from_entries(
        [],
        [
            FaqEntry("F-TIME", "Berapa lama keberatan ditanggapi?", "30 hari kerja."),
            FaqEntry("F-WHERE", "Ke mana mengajukan keberatan?", "Kepada atasan PPID."),
        ],
    )
    assert engine.search("keberatan ke mana?").hits[0].id == "F-WHERE"


def test_english_complaint_question_finds_the_complaint_faq() -> None:
    # FAQ-022 (SP4N-LAPOR!) and FAQ-025 (where to report poor public service) both answer it
    assert sample().search("where can i file a complaint about public services").hits[0].id in {
        "FAQ-022",
        "FAQ-025",
    }


def test_a_word_naming_the_kind_matches_an_faq_entry_worded_otherwise() -> None:
    """ "bayar" is not in "Apakah ... dipungut biaya?", but it asks the same thing: the FAQ entry
    comes before a report that shares the topic words."""
    engine = SearchEngine.from_entries(
        [
            RegisterEntry(
                "REPORT", "Laporan Layanan Permohonan Informasi", "", Category.BERKALA, "Diskominfo"
            ),
            *(RegisterEntry(f"O-{i}", t, "", Category.BERKALA, "Dinas") for i, t in enumerate(OTHER_TOPICS)),
        ],
        [FAQ[2], FaqEntry("F-STATUS", "Bagaimana mengecek status permohonan informasi?", "Di laman PPID.")],
    )
    assert engine.search("apakah permohonan informasi harus bayar?").hits[0].id == "F-COST"
    assert [hit.id for hit in engine.search("apakah harus bayar?").hits] == ["F-COST"]


def test_an_faq_entry_asking_the_kind_outranks_a_generic_one() -> None:
    engine = SearchEngine.from_entries([], [FAQ[0], FAQ[1]])  # "Bagaimana cara ...", "Berapa lama ..."
    assert engine.search("permohonan informasi berapa hari?").hits[0].id == "F-TIME"
