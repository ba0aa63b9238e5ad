"""Transcripts of the core dialog (greeting, menu, help, cancel, bad input) on the real pipeline."""

from __future__ import annotations

import pytest

from handlers.types import InputKind, UserInput
from tests.fakes import ChatHarness


async def test_greeting_then_menu_by_number_word_and_button(harness: ChatHarness) -> None:
    await harness.transcript(
        [
            ("halo", ["Selamat datang", "1. Cari informasi publik", "Bantuan"]),
            ("1", ["Silakan tulis informasi yang Anda cari"]),
            ("menu", ["Silakan pilih layanan"]),
            ("bantuan", ["Cara menggunakan Tanya PPID"]),
        ]
    )
    replies = await harness.send(UserInput(kind=InputKind.CHOICE, choice="menu:search"))
    assert "Silakan tulis informasi" in replies[0].text


async def test_menu_reply_carries_buttons(harness: ChatHarness) -> None:
    replies = await harness.send("menu")
    payloads = [c.payload for c in replies[-1].choices]
    assert payloads[0] == "menu:search" and "menu:help" in payloads


async def test_number_without_menu_is_not_a_menu_choice(harness: ChatHarness) -> None:
    answer = await harness.say("1")
    assert "Silakan tulis informasi yang Anda cari" not in answer


async def test_cancel_with_and_without_flow(harness: ChatHarness) -> None:
    assert "Tidak ada langkah" in await harness.say("batal")
    await harness.say("menu")
    assert "dibatalkan" in await harness.say("batal")


async def test_english_user_gets_english(harness: ChatHarness) -> None:
    answer = await harness.say("hello")
    assert "Welcome to Tanya PPID" in answer
    assert "Please choose a service" in answer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "pesan Anda kosong"),
        ("   \n\t  ", "pesan Anda kosong"),
        ("x" * 10_000, "terlalu panjang (10000 karakter)"),
        ("\x00\x01\x02\x7f", "pesan Anda kosong"),
        ("apa\x00 kabar\x1b[31m", "belum menemukan informasi"),
        ("😀🙏👍", "Ada yang bisa kami bantu"),
        ("/hapusdata", 'perintah "/hapusdata" tidak dikenal'),
        ("\udcff\ud800 bad surrogates", "belum menemukan informasi"),
    ],
)
async def test_bad_input_gets_a_short_polite_answer(harness: ChatHarness, text: str, expected: str) -> None:
    replies = await harness.send(text)
    assert len(replies) == 1
    assert expected.lower() in replies[0].text.lower()
    assert len(replies[0].text) < 300


@pytest.mark.parametrize("kind", [InputKind.STICKER, InputKind.LOCATION, InputKind.OTHER, InputKind.PHOTO])
async def test_non_text_input_is_answered(harness: ChatHarness, kind: InputKind) -> None:
    replies = await harness.send(UserInput(kind=kind))
    assert "hanya bisa membaca pesan teks" in replies[0].text


async def test_tap_on_unknown_button_changes_nothing(harness: ChatHarness) -> None:
    await harness.say("menu")
    replies = await harness.send(UserInput(kind=InputKind.CHOICE, choice="menu:does-not-exist"))
    assert "sudah tidak berlaku" in replies[0].text
    assert "Silakan tulis informasi" in await harness.say("1")  # the menu state survived


async def test_help_in_the_middle_of_a_form_keeps_the_citizens_place(harness: ChatHarness) -> None:
    await harness.say("menu")
    assert "pelindungan data pribadi" in await harness.say("2")
    assert "Cara menggunakan Tanya PPID" in await harness.say("bantuan")
    after_help = await harness.say("1")  # still the consent question: 1 = agree
    assert "mengajukan permohonan sebagai" in after_help  # the form went on to its first question


async def test_contact_an_officer_from_the_menu(harness: ChatHarness) -> None:
    answer = await harness.say("hubungi petugas")
    assert "Petugas PPID siap membantu" in answer and "Senin–Jumat" in answer
