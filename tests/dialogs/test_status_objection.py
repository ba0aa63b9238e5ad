"""Status and objection dialogs on the real pipeline: who may see a request, and the objection
window of UU 14/2008 Pasal 36(1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from handlers.types import InputKind, UserInput
from storage.db import Database
from tests.dialogs.requests_chat import MONDAY_10, WIB, Chat, Clock, start_chat


@pytest.fixture
async def chat(sqlite_db: Database) -> AsyncIterator[Chat]:
    chat = await start_chat(sqlite_db, Clock(MONDAY_10))
    yield chat
    await chat.stop()


async def test_the_filing_chat_sees_status_due_date_and_days_left(chat: Chat) -> None:
    number = await chat.file()
    chat.clock.now = datetime(2026, 3, 27, 9, 0, tzinfo=WIB)  # Friday: 03-30..04-07 less Good Friday left
    answer = await chat.say(f"cek status {number}")
    assert "Status: Diterima" in answer
    assert "Selasa, 7 April 2026 (sisa 6 hari kerja)" in answer


async def test_menu_lists_this_chats_requests(chat: Chat) -> None:
    number = await chat.file()
    answer = await chat.say("cek status permohonan")
    assert f"1. {number} (Diterima)" in answer
    assert "Selasa, 7 April 2026" in await chat.say("1")
    tapped = await chat.say(UserInput(kind=InputKind.CHOICE, choice=f"status:{number}"))
    assert "Status permohonan" in tapped


async def test_another_chat_needs_the_last_four_nik_digits(chat: Chat) -> None:
    number = await chat.file()
    asked = await chat.say(f"cek status {number}", chat_id="stranger")
    assert "4 digit terakhir NIK" in asked
    assert "Status permohonan" not in asked
    wrong = await chat.say("9999", chat_id="stranger")
    await chat.say("cek status PPID-2026-000777", chat_id="stranger")  # does not exist
    missing = await chat.say("0001", chat_id="stranger")
    assert wrong == missing  # the same answer: nothing is revealed
    assert "tidak ditemukan" in wrong
    right = await chat.say(f"cek status {number} 0001", chat_id="stranger")
    assert "Status: Diterima" in right


async def test_asking_for_an_unknown_number_looks_like_asking_for_someone_elses(chat: Chat) -> None:
    number = await chat.file()
    other = await chat.say(f"cek status {number}", chat_id="stranger")
    unknown = await chat.say("cek status PPID-2026-000999", chat_id="stranger")
    assert other.replace(number, "N") == unknown.replace("PPID-2026-000999", "N")


async def test_guessing_the_digits_stops_working_after_ten_tries(chat: Chat) -> None:
    number = await chat.file()
    for guess in range(10):
        assert "tidak ditemukan" in await chat.say(f"cek status {number} {9000 + guess}", chat_id="guesser")
    assert "tidak ditemukan" in await chat.say(f"cek status {number} 0001", chat_id="guesser")


async def test_objection_after_the_deadline_passed_unanswered(chat: Chat) -> None:
    number = await chat.file()
    chat.clock.now = datetime(2026, 4, 8, 9, 0, tzinfo=WIB)  # the day after the due date
    await chat.transcript(
        [
            ("keberatan", [f"1. {number}"]),
            ("1", ["alasan keberatan", "c. Permohonan Anda tidak ditanggapi"]),
            ("z", ["huruf a sampai g"]),
            ("c", ["Mohon jelaskan"]),
            ("ok", ["paling sedikit 3 karakter"]),
        ]
    )
    answer = await chat.say("Sampai hari ini belum ada jawaban dari PPID.")
    assert "KBR-2026-000001" in answer
    assert "Senin, 25 Mei 2026" in answer  # 30 working days after 2026-04-08 (Pasal 36(2))
    assert "Komisi Informasi" in answer
    status = await chat.say(f"cek status {number}")
    assert "Dalam proses keberatan" in status and "KBR-2026-000001" in status


async def test_not_answered_is_no_ground_before_the_due_date(chat: Chat) -> None:
    number = await chat.file()
    await chat.transcript([(f"keberatan {number}", ["alasan keberatan"])])
    answer = await chat.say("c")
    assert "baru berakhir pada Selasa, 7 April 2026" in answer
    assert "Mohon jelaskan" in await chat.say("f")  # unreasonable fees: any time


async def test_objection_window_closed_says_when(chat: Chat) -> None:
    number = await chat.file()
    chat.clock.now = datetime(2026, 6, 1, 9, 0, tzinfo=WIB)
    answer = await chat.say(f"keberatan {number}")
    # 30 working days after 2026-04-07: the window closed on 2026-05-22
    assert "sudah berakhir pada Jumat, 22 Mei 2026" in answer


async def test_objection_from_another_chat_needs_the_nik_digits(chat: Chat) -> None:
    number = await chat.file()
    chat.clock.now = MONDAY_10 + timedelta(days=1)
    assert "4 digit terakhir NIK" in await chat.say(f"keberatan {number}", chat_id="proxy")
    assert "tidak ditemukan" in await chat.say("1111", chat_id="proxy")
    assert "4 digit terakhir NIK" in await chat.say(f"keberatan {number}", chat_id="proxy")
    assert "alasan keberatan" in await chat.say("0001", chat_id="proxy")


async def test_objection_by_buttons_and_an_old_ground_button_is_not_an_explanation(chat: Chat) -> None:
    number = await chat.file()
    chat.clock.now = datetime(2026, 4, 8, 9, 0, tzinfo=WIB)
    await chat.say("keberatan")
    assert "alasan keberatan" in await chat.say(
        UserInput(kind=InputKind.CHOICE, choice=f"objection:request:{number}")
    )
    assert "Mohon jelaskan" in await chat.say(UserInput(kind=InputKind.CHOICE, choice="objection:ground:g"))
    stale = await chat.say(UserInput(kind=InputKind.CHOICE, choice="objection:ground:a"))
    assert "sudah tidak berlaku" in stale
    assert "KBR-2026-000001" in await chat.say("Jawaban datang terlambat dari batas waktu.")
