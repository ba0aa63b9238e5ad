"""Status and objection dialogs on the real pipeline: who may see and act on a request (the filing
chat, or whoever has its access code), the grounds of UU 14/2008 Pasal 35(1) and the objection
window of Pasal 36(1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from handlers.domain.access import ALPHABET
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


async def test_a_stranger_with_the_number_and_the_nik_digits_sees_nothing(chat: Chat) -> None:
    """Issue 9 item 1: numbers run in order and NIK serials are guessable; neither opens a request."""
    number = await chat.file(chat_id="budi")
    asked = await chat.say(f"cek status {number}", chat_id="eve")
    assert "kode akses" in asked and "Status permohonan" not in asked
    assert "Status permohonan" not in await chat.say("0001", chat_id="eve")
    for attempt in (f"cek status {number} 0001", f"cek status {number} 3273010101900001"):
        answer = await chat.say(attempt, chat_id="eve")
        assert "Status permohonan" not in answer and "Diterima" not in answer


async def test_the_access_code_opens_the_request_from_another_chat(chat: Chat) -> None:
    number = await chat.file(chat_id="budi")
    code = chat.codes[number]
    assert "kode akses" in await chat.say(f"cek status {number}", chat_id="budi-laptop")
    assert "Status: Diterima" in await chat.say(code.lower().replace("-", " "), chat_id="budi-laptop")
    assert "Status: Diterima" in await chat.say(f"cek status {number} {code}", chat_id="kuasa")


async def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(chat: Chat) -> None:
    number = await chat.file()
    wrong = await chat.say(f"cek status {number} ABCD-EFGH-JKMN", chat_id="stranger")
    missing = await chat.say("cek status PPID-2026-000777 ABCD-EFGH-JKMN", chat_id="stranger")
    assert wrong == missing
    assert "tidak ditemukan" in wrong
    asked = await chat.say(f"cek status {number}", chat_id="stranger")
    assert "Kode akses terdiri dari 12" in await chat.say("0001", chat_id="stranger")  # not a try
    assert asked.replace(number, "N") == (
        await chat.say("cek status PPID-2026-000777", chat_id="stranger")
    ).replace("PPID-2026-000777", "N")


async def test_asking_for_an_unknown_number_looks_like_asking_for_someone_elses(chat: Chat) -> None:
    number = await chat.file()
    other = await chat.say(f"cek status {number}", chat_id="stranger")
    unknown = await chat.say("cek status PPID-2026-000999", chat_id="stranger")
    assert other.replace(number, "N") == unknown.replace("PPID-2026-000999", "N")


async def test_failed_tries_are_limited_per_asking_chat_and_end_after_an_hour(chat: Chat) -> None:
    number = await chat.file()
    for n in range(5):
        assert "tidak ditemukan" in await chat.say(
            f"cek status PPID-2026-00090{n} ABCD-EFGH-JKMN", chat_id="g"
        )
    waited = await chat.say(f"cek status {number} {chat.codes[number]}", chat_id="g")
    assert "satu jam" in waited and "Status permohonan" not in waited
    assert "Status: Diterima" in await chat.say(f"cek status {number} {chat.codes[number]}", chat_id="other")
    chat.clock.now = MONDAY_10 + timedelta(hours=1, minutes=1)
    assert "Status: Diterima" in await chat.say(f"cek status {number} {chat.codes[number]}", chat_id="g")


async def test_the_owner_still_sees_the_status_after_many_strangers_fail(chat: Chat) -> None:
    """Issue 9 item 7: tries are counted per asking chat, so strangers cannot lock the owner out;
    a guess spread over many chats meets the per-request cap, which never stops the filing chat."""
    number = await chat.file()
    for n in range(40):  # ten chats, four wrong codes each: under the per-chat limit
        wrong = "ABCD-EFGH-" + "".join(ALPHABET[(n + k) % len(ALPHABET)] for k in range(4))
        assert "tidak ditemukan" in await chat.say(f"cek status {number} {wrong}", chat_id=f"bot{n // 4}")
    assert "Status: Diterima" in await chat.say(f"cek status {number}")
    capped = await chat.say(f"cek status {number} {chat.codes[number]}", chat_id="new")
    assert "tidak ditemukan" in capped  # the cap: no code is checked for the rest of the hour
    chat.clock.now = MONDAY_10 + timedelta(hours=1, minutes=1)
    assert "Status: Diterima" in await chat.say(f"cek status {number} {chat.codes[number]}", chat_id="new")
    assert "Status: Diterima" in await chat.say(f"cek status {number}")


async def test_my_access_code_is_shown_again_only_in_the_filing_chat(chat: Chat) -> None:
    number = await chat.file()
    mine = await chat.say("kode akses saya")
    assert f"{number}: {chat.codes[number]}" in mine
    assert chat.codes[number] in await chat.say("my access code")
    other = await chat.say(f"kode akses {number}", chat_id="stranger")
    assert chat.codes[number] not in other and "hanya ditampilkan di chat tempat permohonan diajukan" in other
    assert "kode akses" in await chat.say(f"keberatan {number}", chat_id="stranger")
    asked_while_asked = await chat.say("kode akses saya", chat_id="stranger")
    assert chat.codes[number] not in asked_while_asked and "hanya ditampilkan" in asked_while_asked


async def test_a_stranger_cannot_object_and_block_the_requesters_objection(chat: Chat) -> None:
    """Issue 9 item 1: the stranger's objection blocked the owner's and got the Atasan's answer."""
    number = await chat.file(chat_id="budi")
    chat.clock.now = datetime(2026, 4, 8, 9, 0, tzinfo=WIB)  # overdue: ground c is open
    asked = await chat.say(f"keberatan {number}", chat_id="eve")
    assert "kode akses" in asked and "alasan keberatan" not in asked
    assert "alasan keberatan" not in await chat.say("0001", chat_id="eve")
    for text in (f"keberatan {number} 0001", "c", "Tidak ada jawaban sama sekali."):
        assert "KBR-" not in await chat.say(text, chat_id="eve")
    await chat.transcript([(f"keberatan {number}", ["alasan keberatan"]), ("c", ["Mohon jelaskan"])], "budi")
    assert "Mohon periksa kembali keberatan" in await chat.say("Belum ada jawaban dari PPID.", chat_id="budi")
    assert "KBR-2026-000001" in await chat.say("1", chat_id="budi")


async def test_a_holder_of_the_access_code_may_object(chat: Chat) -> None:
    number = await chat.file()
    chat.clock.now = datetime(2026, 4, 8, 9, 0, tzinfo=WIB)
    assert "kode akses" in await chat.say(f"keberatan {number}", chat_id="proxy")
    assert "tidak ditemukan" in await chat.say("ABCD-EFGH-JKMN", chat_id="proxy")
    assert "kode akses" in await chat.say(f"keberatan {number}", chat_id="proxy")
    assert "alasan keberatan" in await chat.say(chat.codes[number], chat_id="proxy")
    assert "Mohon jelaskan" in await chat.say("c", chat_id="proxy")
    assert "Mohon periksa kembali keberatan" in await chat.say(
        "Belum ada jawaban dari PPID.", chat_id="proxy"
    )
    assert "KBR-2026-000001" in await chat.say("kirim", chat_id="proxy")


async def test_refused_under_pasal_17_is_no_ground_for_a_request_never_refused(chat: Chat) -> None:
    """Issue 9 item 2: ground a needs a refusal; the unanswered request gets c instead."""
    number = await chat.file()
    chat.clock.now = datetime(2026, 4, 8, 9, 0, tzinfo=WIB)
    await chat.transcript([(f"keberatan {number}", ["alasan keberatan"])])
    refused = await chat.say("a")
    assert "tidak ditolak berdasarkan Pasal 17" in refused and "Mohon jelaskan" not in refused
    assert "belum ditanggapi" in await chat.say("d")
    assert "Mohon jelaskan" in await chat.say("c")


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
    summary = await chat.say("Sampai hari ini belum ada jawaban dari PPID.")
    assert "KBR-" not in summary and "Penjelasan: Sampai hari ini belum ada jawaban dari PPID." in summary
    answer = await chat.say("1")
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
    assert "huruf g" in await chat.say("Jawaban datang terlambat dari batas waktu.")
    assert "KBR-2026-000001" in await chat.say(
        UserInput(kind=InputKind.CHOICE, choice="objection:confirm:send")
    )


async def test_an_objection_is_filed_only_after_its_summary_is_confirmed(chat: Chat) -> None:
    number = await chat.file()
    chat.clock.now = datetime(2026, 4, 8, 9, 0, tzinfo=WIB)
    await chat.transcript([(f"keberatan {number}", ["alasan keberatan"])])
    fees = await chat.say("f")
    assert "Rp500.000" in fees and "belum menerima jawaban" not in fees  # the example fits the ground
    assert "Rp500.000" in await chat.say("ok")  # too short: the re-prompt keeps the ground's example
    summary = await chat.say("Saya diminta membayar Rp1.000.000 untuk 5 halaman.")
    assert "Mohon periksa kembali keberatan" in summary and "huruf f" in summary and "Rp1.000.000" in summary
    assert "KBR-" not in summary
    assert "Mohon pilih 1 untuk mengirim keberatan" in await chat.say("mungkin")
    assert "alasan keberatan" in await chat.say("2")  # change: the ground again, then the explanation
    late = await chat.say("c")
    assert "Sampai hari ini saya belum menerima jawaban" in late
    assert "huruf c" in await chat.say("Belum ada jawaban sama sekali.")
    assert "dibatalkan" in await chat.say("3")
    status = await chat.say(f"cek status {number}")
    assert "KBR-" not in status and "Dalam proses keberatan" not in status
    await chat.transcript([(f"keberatan {number}", ["alasan keberatan"]), ("c", ["Mohon jelaskan"])])
    await chat.transcript([("Belum ada jawaban.", ["Kirim keberatan"]), ("kirim", ["KBR-2026-000001"])])


async def test_a_citizen_who_moves_on_is_not_held_in_the_number_question(chat: Chat) -> None:
    """Asked for a number, a citizen who thanks, asks something else or wants an officer is
    answered for that; a mistyped number is told the format and the way out."""
    assert "nomor pendaftaran" in await chat.say("status permohonan saya gmn", chat_id="sari")
    wrong = await chat.say("PPID-2026", chat_id="sari")
    assert "belum kami kenali" in wrong and "hubungi petugas" in wrong and "batal" in wrong
    thanks = await chat.say("makasih ya", chat_id="sari")
    assert "Sama-sama" in thanks and "belum kami kenali" not in thanks
    assert "nomor pendaftaran" in await chat.say("saya mau ajukan keberatan", chat_id="sari")
    searched = await chat.say("jadwal posyandu", chat_id="sari")
    assert "posyandu" in searched.lower() and "belum kami kenali" not in searched  # searched
    assert "belum kami kenali" not in await chat.say("cek status", chat_id="sari")
    assert "petugas" in (await chat.say("hubungi petugas", chat_id="sari")).lower()
