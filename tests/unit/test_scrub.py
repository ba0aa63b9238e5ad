"""Personal data never goes into a gap: the scrubber's table, and how questions are grouped."""

from __future__ import annotations

import pytest

from handlers.gaps import gap_observed, group_key, nearest_group, similarity
from handlers.scrub import scrub_personal_data
from handlers.types import GapReason

CASES = [
    # (typed, scrubbed)
    ("NIK saya 3273010101900001 status bansos?", "NIK saya [NIK] status bansos?"),
    ("nik 3273 0101 0190 0001 ya", "nik [NIK] ya"),
    ("nik 3273.0101.0190.0001", "nik [NIK]"),
    ("hubungi 0812-3456-7890 ya", "hubungi [telepon] ya"),
    ("wa saya +62 812 3456 7890", "wa saya [telepon]"),
    ("no hp 081234567890", "no hp [telepon]"),
    ("telp kantor (022) 4231234", "telp kantor [telepon]"),
    ("email siti.rahma@example.com soal izin", "email [email] soal izin"),
    ("nama saya Siti Rahmawati mau tanya apbd", "nama saya [nama] mau tanya apbd"),
    ("Nama saya: Budi, alamat jl merdeka", "Nama saya: [nama], alamat jl merdeka"),
    ("namaku Dewi Lestari Putri Ayu Kusuma", "namaku [nama] Kusuma"),  # four words at most
    ("saya bernama Andi dari kelurahan sukamaju", "saya bernama [nama] dari kelurahan sukamaju"),
    ("my name is John Smith, where is the budget", "my name is [nama], where is the budget"),
    ("rekening 1234567890123 bank", "rekening [telepon] bank"),
    ("kk 32730101019000011", "kk [angka]"),
    # what is no personal data stays
    ("data apbd 2024 dan 17 agustus", "data apbd 2024 dan 17 agustus"),
    ("perda nomor 12 tahun 2023", "perda nomor 12 tahun 2023"),
    ("nama saya", "nama saya"),
    ("jadwal posyandu rw 05", "jadwal posyandu rw 05"),
]


@pytest.mark.parametrize(("typed", "scrubbed"), CASES)
def test_scrub(typed: str, scrubbed: str) -> None:
    assert scrub_personal_data(typed) == scrubbed


def test_gap_effect_is_scrubbed_and_short() -> None:
    effect = gap_observed("nama saya Siti  NIK 3273010101900001 " + "apbd " * 200, GapReason.ABSTAINED)
    assert effect.question.startswith("nama saya [nama] NIK [NIK] apbd")
    assert len(effect.question) <= 300 and "3273" not in effect.question and "Siti" not in effect.question


def test_group_key_keeps_informative_words() -> None:
    assert group_key("Min, gimana cara dapat data APBD 2024 dong?") == "2024 apbd dapat data"


def test_similar_questions_join_and_others_open_a_group() -> None:
    groups = [
        (1, group_key("berapa jumlah kucing liar di kota")),
        (2, group_key("jadwal lomba 17an kelurahan")),
    ]
    assert nearest_group(group_key("jumlah kucing liar di kota berapa ya"), groups) == 1
    assert nearest_group(group_key("kapan lomba 17an di kelurahan"), groups) == 2
    assert nearest_group(group_key("harga tiket kolam renang"), groups) is None
    assert nearest_group("", groups) is None and nearest_group("apbd", []) is None


def test_one_shared_word_is_not_the_same_question() -> None:
    assert similarity(group_key("izin"), group_key("izin mendirikan bangunan di rt 05")) < 75
