"""The request form through the real pipeline: every field, every bad input, back, edit, cancel,
and a resume after the process restarts mid-form."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.request_store import RequestStore
from handlers.types import Attachment, InputKind, UserInput
from storage import migrate
from storage.attachments import AttachmentStore
from storage.crypto import crypto_for
from storage.db import Database
from storage.models.requests import StoredAttachment
from tests.conftest import SECRET
from tests.dialogs.requests_chat import GOOD, MONDAY_10, NIK, PHONE_E164, WIB, Chat, Clock, start_chat
from tests.fakes import inbound


@pytest.fixture
async def chat(sqlite_db: Database) -> AsyncIterator[Chat]:
    chat = await start_chat(sqlite_db, Clock(MONDAY_10))
    yield chat
    await chat.stop()


async def filed_count(db: Database) -> int:
    async with db.session() as session:
        return len(await RequestStore(session, crypto_for(SECRET)).list_requests())


async def test_each_bad_answer_is_reprompted_with_an_example(chat: Chat) -> None:
    await chat.transcript(GOOD[:3])
    await chat.transcript([("2 atau 1", ["pilihan belum kami kenali", "Contoh: 1"]), ("1", ["nama lengkap"])])
    await chat.transcript(
        [
            ("Siti 123", ["hanya boleh berisi huruf", "Contoh"]),
            ("Siti Rahmawati", ["NIK"]),
            ("3273 0101 0190", ["harus 16 digit", "12 digit", "3273 0101 0190 0001"]),
            ("9973 0101 0190 0001", ["kode provinsi", "3273 0101 0190 0001"]),
            ("3273 0135 1390 0001", ["tanggal lahir", "ditambah 40"]),
            ("3273O10101900001", ["hanya berisi angka"]),
            ("3273 0141 0190 0001", ["Dukcapil"]),  # a woman born 01-01-1990 (day + 40)
            ("Jl. A", ["alamat lengkap", "paling sedikit"]),
            ("Jl. Merdeka No. 10, RT 02/RW 05, Kel. Sukamaju", ["telepon"]),
            ("12345", ["tidak dapat kami kenali", "0812-3456-7890"]),
            ("0812-3456-7890", ["email"]),
            ("siti@", ["email tersebut belum benar", "budi.santoso@gmail.com"]),
            ("siti@@example.com", ["belum benar"]),
            ("lewati", ["Informasi apa"]),
            ("x" * 2001, ["terlalu panjang", "2001", "2000"]),
            ("APBD", ["lebih rinci", "Contoh"]),
            ("Salinan dokumen APBD Kota Sukamaju tahun 2024", ["Untuk apa"]),
            ("Untuk penelitian skripsi", ["memperoleh informasi"]),
            ("9", ["belum kami kenali", "Contoh: 2"]),
            ("lihat", ["foto KTP"]),  # see/read needs no copy: the delivery question is skipped
        ]
    )
    sticker = await chat.say(UserInput(kind=InputKind.STICKER))
    assert "foto atau berkas" in sticker and "lewati" in sticker
    assert "Lampiran" in await chat.say("lewati")


async def test_sticker_photo_or_location_where_text_is_expected_re_asks(chat: Chat) -> None:
    await chat.transcript(GOOD[:4])
    photo = Attachment(ref="att_x", mime_type="image/jpeg", size=10)
    for inp in (
        UserInput(kind=InputKind.STICKER),
        UserInput(kind=InputKind.PHOTO, attachment=photo),
        UserInput(kind=InputKind.LOCATION),
    ):
        answer = await chat.say(inp)
        assert "mohon jawab dengan mengetik teks" in answer
        assert "nama lengkap" in answer  # the question again
    assert "NIK" in await chat.say("Siti Rahmawati")


async def test_tapped_buttons_answer_choice_questions_and_old_buttons_do_not(chat: Chat) -> None:
    def tap(payload: str) -> UserInput:
        return UserInput(kind=InputKind.CHOICE, choice=payload)

    await chat.say("ajukan permohonan")
    assert "sebagai" in await chat.say(tap("request_form:consent:yes"))
    assert "diri sendiri" in await chat.say(tap("request_form:requester_type:badan_hukum"))
    assert "nama badan hukum" in await chat.say(tap("request_form:filing_as:sendiri"))
    stale = await chat.say(tap("request_form:requester_type:perorangan"))  # a button of an older message
    assert "sudah tidak berlaku" in stale and "nama badan hukum" in stale


async def test_legal_entity_is_asked_its_ratification_number_not_a_nik(chat: Chat) -> None:
    await chat.transcript(
        [
            *GOOD[:2],
            ("badan hukum", ["diri sendiri"]),
            ("1", ["nama badan hukum"]),
            ("Yayasan Cahaya Warga", ["Kemenkumham"]),
            ("AHU", ["belum sesuai", "AHU-0012345"]),
            ("AHU-0012345.AH.01.01.Tahun 2020", ["alamat lengkap"]),
        ]
    )


async def test_email_becomes_required_when_the_copy_goes_by_email(chat: Chat) -> None:
    turns = [*GOOD[:8], ("lewati", ["Informasi apa"]), *GOOD[9:12]]
    await chat.transcript(turns)
    answer = await chat.say("email")
    assert "Anda memilih salinan dikirim lewat email" in answer
    assert "email tersebut belum benar" in await chat.say("lewati")
    assert "foto KTP" in await chat.say("siti.rahma@example.com")


async def test_back_reasks_the_previous_question(chat: Chat) -> None:
    await chat.transcript([*GOOD[:6], ("kembali", ["NIK (16 digit"]), ("kembali", ["nama lengkap"])])
    await chat.transcript([("Siti Aminah", ["NIK"]), ("3273 0101 0190 0001", ["alamat"])])
    await chat.transcript(GOOD[6:])
    answer = await chat.say("kembali")  # from the summary back to the last question
    assert "foto KTP" in answer
    assert "Siti Aminah" in await chat.say("lewati")


async def test_edit_one_field_from_the_summary(chat: Chat) -> None:
    await chat.transcript(GOOD)
    await chat.transcript(
        [
            ("2", ["Data mana yang ingin diubah", "7. Email"]),
            ("99", ["Ketik nomor 1 sampai 12"]),
            ("7", ["Alamat email Anda"]),
            ("siti.baru@example.com", ["Mohon periksa kembali", "siti.baru@example.com"]),
        ]
    )
    assert "siti.rahma@example.com" not in await chat.say("kembali")


async def test_cancel_in_the_form_files_nothing(chat: Chat, sqlite_db: Database) -> None:
    await chat.transcript([*GOOD[:6], ("batal", ["dibatalkan"])])
    answer = await chat.say("1")
    assert "NIK" not in answer and "alamat" not in answer.lower()
    await chat.transcript(GOOD)
    await chat.transcript([("3", ["dibatalkan"])])  # "Batalkan" on the summary
    assert await filed_count(sqlite_db) == 0


async def test_consent_refused_stops_the_form(chat: Chat) -> None:
    await chat.transcript(
        [GOOD[0], ("mungkin", ["1 bila setuju"]), ("tidak", ["tidak ada data yang kami simpan"])]
    )


async def test_resume_after_restart_keeps_every_answer(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/resume.db"
    db = Database.from_url(url)
    await migrate.upgrade(db)
    clock = Clock(MONDAY_10)
    chat = await start_chat(db, clock)
    await chat.transcript(GOOD[:8])
    await chat.runtime.stop()  # the process stops mid-form (and closes the database)

    clock.now = MONDAY_10 + timedelta(hours=3)
    db2 = Database.from_url(url)
    chat2 = await start_chat(db2, clock)
    try:
        await chat2.transcript([("halo", ["Selamat datang kembali", "email"])])
        await chat2.transcript(GOOD[8:])
        answer = await chat2.say("1")
        assert "PPID-2026-000001" in answer and "Selasa, 7 April 2026" in answer
        async with db2.session() as session:
            record = await RequestStore(session, crypto_for(SECRET)).get_request("PPID-2026-000001")
            assert record is not None
            who = await RequestStore(session, crypto_for(SECRET)).requesters([record.requester_id])
        assert who[record.requester_id].nik == NIK
        assert who[record.requester_id].phone == PHONE_E164
    finally:
        await chat2.runtime.stop()


async def test_photo_is_accepted_at_the_attachment_step_and_linked(chat: Chat, sqlite_db: Database) -> None:
    store = AttachmentStore(sqlite_db, crypto_for(SECRET))
    ref = await store.put(b"\xff\xd8 fake jpeg of a KTP", "image/jpeg", "ktp.jpg")
    await chat.transcript(GOOD[:-1])
    photo = UserInput(kind=InputKind.PHOTO, attachment=Attachment(ref=ref, mime_type="image/jpeg", size=22))
    answer = await chat.say(photo)
    assert "lampiran sudah kami terima" in answer and "1 berkas terlampir" in answer
    await chat.say("1")
    async with sqlite_db.session() as session:
        row = await session.get(StoredAttachment, ref)
        assert row is not None and row.request_id is not None
    assert await store.get(ref) == b"\xff\xd8 fake jpeg of a KTP"


async def test_after_hours_receipt_counts_from_the_next_working_day(chat: Chat) -> None:
    chat.clock.now = datetime(2026, 3, 13, 17, 0, tzinfo=WIB)  # Friday after 16:00
    await chat.transcript(GOOD)
    answer = await chat.say("1")
    assert "dihitung diterima pada Senin, 16 Maret 2026" in answer
    assert "Selasa, 7 April 2026" in answer


async def test_a_misspelt_mail_domain_gets_a_suggestion_and_a_choice(chat: Chat) -> None:
    await chat.transcript(GOOD[:8])  # up to the e-mail question
    replies = await chat.harness.send(inbound("budi@gmial.com", received_at=chat.clock.now))
    assert "maksud Anda budi@gmail.com" in replies[-1].text
    assert [c.label for c in replies[-1].choices] == ["budi@gmail.com", "budi@gmial.com"]
    tap = UserInput(kind=InputKind.CHOICE, choice=replies[-1].choices[0].payload, text="budi@gmail.com")
    assert "Informasi apa" in await chat.say(tap)
    await chat.transcript(GOOD[9:-1])
    assert "Email: budi@gmail.com" in await chat.say("lewati")


async def test_an_unusual_domain_typed_twice_is_kept(chat: Chat) -> None:
    await chat.transcript(GOOD[:8])
    await chat.transcript([("budi@yaho.co.id", ["maksud Anda budi@yahoo.co.id"])])
    await chat.transcript([("budi@yaho.co.id", ["Informasi apa"])])  # the citizen insists: it is theirs
    await chat.transcript(GOOD[9:-1])
    assert "Email: budi@yaho.co.id" in await chat.say("lewati")
    await chat.transcript([("2", ["Data mana"]), ("7", ["Alamat email"])])
    await chat.transcript([("siti@kemenkeu.go.id", ["Mohon periksa kembali", "siti@kemenkeu.go.id"])])
