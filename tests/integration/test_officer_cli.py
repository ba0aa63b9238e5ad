"""Officer commands (``tanya request|objection|requester|holidays``): each change reaches the
requester's chat through the outbox; personal data stays masked unless revealed (and logged)."""

from __future__ import annotations

import argparse
import io
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import select

from bot.cli import build_parser
from bot.commands import requests as commands
from bot.request_store import RequestStore
from bot.settings import Settings
from storage.crypto import crypto_for
from storage.db import Database
from storage.models.requests import PersonalDataAccess
from tests.conftest import SECRET
from tests.dialogs.requests_chat import MONDAY_10, NIK, WIB, Chat, Clock, start_chat


@pytest.fixture
async def chat(database: Database) -> AsyncIterator[Chat]:
    """On SQLite and on PostgreSQL (when it answers)."""
    chat = await start_chat(database, Clock(MONDAY_10))
    yield chat
    await chat.stop()


async def tanya(chat: Chat, *argv: str, at: datetime, retention_days: int = 1825) -> tuple[int, str]:
    """Run ``tanya ARGV`` at ``at`` on the chat's database; exit status and output.

    The server's clock moves to ``at`` too (the relay sends what is due by its own clock)."""
    chat.clock.now = at
    args: argparse.Namespace = build_parser().parse_args(argv)
    out = io.StringIO()
    settings = Settings(secret_key=SECRET, retention_days=retention_days)
    officer = commands.Officer(chat.runtime.db, crypto_for(SECRET), settings, at, out)
    status = await commands.run(args, officer)
    return status, out.getvalue()


async def notices(chat: Chat, chat_id: str = "u1") -> list[str]:
    before = len(chat.sender.sent[chat_id])
    await chat.runtime.relay.drain()
    return [r.text for r in chat.sender.sent[chat_id][before:]]


APRIL_2 = datetime(2026, 4, 2, 14, 0, tzinfo=WIB)


async def test_refusal_notifies_the_requester_with_letter_reason_and_objection_date(chat: Chat) -> None:
    number = await chat.file()
    status, out = await tanya(
        chat, "request", "decide", number, "--outcome", "refused", "--pasal", "17h",
        "--reason", "Memuat data kesehatan pribadi warga.", "--by", "rina", at=APRIL_2,
    )  # fmt: skip
    assert status == 0 and "requester notified" in out
    [notice] = await notices(chat)
    assert "Ditolak" in notice and "Pasal 17 huruf h" in notice and "rahasia pribadi" in notice
    assert "Memuat data kesehatan pribadi warga." in notice
    assert "Rabu, 20 Mei 2026" in notice  # objection window: 30 working days after 2 April (Pasal 36(1))
    chat.clock.now = APRIL_2
    assert "Sudah dijawab" in await chat.say(f"cek status {number}")


async def test_a_refusal_without_its_letter_is_refused_and_nobody_is_told(chat: Chat) -> None:
    number = await chat.file()
    status, _ = await tanya(
        chat, "request", "decide", number, "--outcome", "refused", "--reason", "x", at=APRIL_2
    )
    assert status == 1
    assert await notices(chat) == []


async def test_extension_moves_the_due_date_once_and_tells_why(chat: Chat) -> None:
    number = await chat.file()
    status, _ = await tanya(
        chat, "request", "extend", number, "--reason", "Dokumen di arsip kecamatan.", at=APRIL_2
    )
    assert status == 0
    [notice] = await notices(chat)
    assert "Kamis, 16 April 2026" in notice and "Dokumen di arsip kecamatan." in notice
    again, _ = await tanya(chat, "request", "extend", number, "--reason", "lagi", at=APRIL_2)
    assert again == 1  # only one extension (Pasal 22(8))


async def test_lists_mask_personal_data_and_show_overdue(chat: Chat) -> None:
    number = await chat.file()
    late = datetime(2026, 4, 8, 9, 0, tzinfo=WIB)
    _, out = await tanya(chat, "request", "list", "--overdue", at=late)
    assert number in out and "OVERDUE" in out
    assert "************0001" in out and "+62812****7890" in out
    assert NIK not in out and "+6281234567890" not in out
    _, before = await tanya(chat, "request", "list", "--overdue", at=APRIL_2)
    assert number not in before


async def test_show_reveals_only_on_request_and_logs_the_read(chat: Chat) -> None:
    number = await chat.file()
    _, masked = await tanya(chat, "request", "show", number, at=APRIL_2)
    assert NIK not in masked and "************0001" in masked
    _, revealed = await tanya(chat, "request", "show", number, "--reveal", "--by", "rina", at=APRIL_2)
    assert NIK in revealed and "siti.rahma@example.com" in revealed
    async with chat.runtime.db.session() as session:
        reads = (
            await session.scalars(select(PersonalDataAccess).where(PersonalDataAccess.action == "show"))
        ).all()
    assert [r.actor for r in reads] == ["officer:rina"]


async def test_objection_answer_points_to_the_information_commission(chat: Chat) -> None:
    number = await chat.file()
    chat.clock.now = datetime(2026, 4, 8, 9, 0, tzinfo=WIB)
    await chat.transcript(
        [
            (f"keberatan {number}", ["alasan"]),
            ("c", ["jelaskan"]),
            ("Belum dijawab.", ["periksa"]),
            ("1", ["KBR-"]),
        ]
    )
    _, listed = await tanya(chat, "objection", "list", "--pending", at=APRIL_2)
    assert "KBR-2026-000001" in listed
    status, _ = await tanya(
        chat, "objection", "decide", "KBR-2026-000001", "--result", "dismissed",
        "--answer", "PPID sudah menjawab pada 7 April.", at=datetime(2026, 4, 20, 10, 0, tzinfo=WIB),
    )  # fmt: skip
    assert status == 0
    [notice] = await notices(chat)
    assert "DITOLAK" in notice and "Komisi Informasi" in notice
    assert "Senin, 11 Mei 2026" in notice  # 14 working days after 20 April (1 May is a holiday)


async def test_holidays_added_by_an_admin_shift_the_deadline(chat: Chat) -> None:
    status, _ = await tanya(chat, "holidays", "add", "2026-03-17", "Hari jadi Kota Sukamaju", at=MONDAY_10)
    assert status == 0
    _, listed = await tanya(chat, "holidays", "list", "--year", "2026", at=MONDAY_10)
    assert "Hari jadi Kota Sukamaju" in listed and "Hari Suci Nyepi" in listed
    number = await chat.file()
    assert number == "PPID-2026-000001"
    answer = await chat.say(f"cek status {number}")
    assert "Rabu, 8 April 2026" in answer
    removed, _ = await tanya(chat, "holidays", "remove", "2026-03-19", at=MONDAY_10)
    assert removed == 0
    _, listed = await tanya(chat, "holidays", "list", at=MONDAY_10)
    assert "removed: a working day" in listed


async def test_erase_after_the_retention_period_keeps_the_anonymous_request(chat: Chat) -> None:
    number = await chat.file()
    await tanya(chat, "request", "decide", number, "--outcome", "granted", at=APRIL_2)
    soon = datetime(2026, 4, 3, 9, 0, tzinfo=WIB)
    _, out = await tanya(chat, "requester", "erase", at=soon, retention_days=30)
    assert "erased the personal data of 0" in out
    later = datetime(2026, 6, 1, 9, 0, tzinfo=WIB)
    _, dry = await tanya(chat, "requester", "erase", "--dry-run", at=later, retention_days=30)
    assert "would erase the personal data of 1" in dry
    _, out = await tanya(chat, "requester", "erase", at=later, retention_days=30)
    assert "erased the personal data of 1" in out
    async with chat.runtime.db.session() as session:
        repo = RequestStore(session, crypto_for(SECRET))
        record = await repo.get_request(number)
        assert record is not None and record.information.startswith("Salinan dokumen APBD")
        who = (await repo.requesters([record.requester_id]))[record.requester_id]
    assert who.erased and who.nik == "" and who.phone == "" and who.name == ""
    assert "Status permohonan" not in await chat.say(f"cek status {number} 0001", chat_id="stranger")


async def test_a_paper_request_is_recorded_from_the_command_line(chat: Chat) -> None:
    first = await chat.file()
    status, out = await tanya(
        chat, "request", "record", "--channel", "visit", "--name", "Ahmad Sulaiman", "--nik", "3273010101900001",
        "--information", "Daftar puskesmas", "--purpose", "Keperluan keluarga", "--opd", "dinkes",
        "--received", "2026-03-27", "--by", "rina", at=APRIL_2,
    )  # fmt: skip
    assert status == 0, out
    assert "PPID-2026-000002: received 2026-03-27" in out and "routed to DINKES" in out
    assert "access code for the requester" in out and first != "PPID-2026-000002"
    _, shown = await tanya(chat, "request", "show", "2", at=APRIL_2)
    assert "offline_visit" in shown
    bad, _ = await tanya(chat, "request", "record", "--channel", "phone", "--name", "A", "--information", "x",
                         "--purpose", "y", at=APRIL_2)  # fmt: skip
    assert bad == 1
