"""Coordinators link their chat with a one-time code and send announcements from it, on every
channel; residents cannot (handlers.coordinator_chat)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select

from bot.accounts import Accounts
from bot.area_store import AreaStore
from bot.assignment_store import AssignmentStore
from bot.broadcast_store import BroadcastStore
from bot.coordinator_store import CoordinatorStore
from handlers.services import assignments, broadcasts
from handlers.services.actor import Actor
from handlers.types import Attachment, InputKind, UserInput
from storage.accounts import AccountRepository
from storage.area_repository import AreaRepository
from storage.attachments import AttachmentStore
from storage.models.areas import Broadcast
from tests.dialogs.test_subscriptions import chat  # noqa: F401  (the fixture: three channels)
from tests.fakes import ChatHarness

NOW = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)


async def new_code(harness: ChatHarness, name: str = "pakrw", key: str = "sukamaju-wetan/rw02") -> str:
    db = harness.runtime.db
    async with db.session() as session:
        exists = await AccountRepository(session).get(name)
    if exists is None:
        await Accounts(db).add(Actor.system("op"), name, "coordinator", [], "a-long-password-123", NOW)
    async with db.write() as session:
        account = await AccountRepository(session).get(name)
        area = await AreaStore(session).get(key)
        assert account is not None and area is not None
        await AreaRepository(session).assign(account.id, area.id)
        return await CoordinatorStore(session, harness.runtime.crypto).issue_code(account.id)


async def bind_officer(harness: ChatHarness, name: str, key: str) -> None:
    db = harness.runtime.db
    await Accounts(db).add(Actor.system("op"), name, "officer", ["DINKES"], "a-long-password-123", NOW)
    async with db.write() as session:
        store = AssignmentStore(session, harness.runtime.crypto, now=NOW)
        await assignments.assign(store, Actor.system("op"), name, key, now=NOW)


def tap(payload: str) -> UserInput:
    return UserInput(kind=InputKind.CHOICE, choice=payload)


async def test_a_coordinator_links_the_chat_and_sends_a_notice(chat: ChatHarness) -> None:  # noqa: F811
    code = await new_code(chat)
    [linked] = await chat.send(f"kode {code}")
    assert "terhubung dengan akun koordinator pakrw (RW 02 Sukamaju Wetan)" in linked.text
    assert [c.payload for c in linked.choices] == ["coord:announce"]
    assert "kode itu tidak berlaku" in await chat.say(f"kode {code}", chat_id="other")  # spent
    [ask] = await chat.send(tap("coord:announce"))
    assert "Tulis pengumuman untuk RW 02 Sukamaju Wetan" in ask.text
    assert "terlalu panjang (20001 karakter" in await chat.say("x" * 20_001)
    [confirm] = await chat.send("Kerja bakti hari Minggu pukul 07.00 di balai RW")
    assert "Kirim pengumuman ini ke RW 02 Sukamaju Wetan?" in confirm.text
    [done] = await chat.send(tap(confirm.choices[0].payload))
    assert "Belum ada petugas kelurahan yang ditetapkan" in done.text  # said where the coordinator sends
    assert "hanya dapat mengirim ke wilayah Anda sendiri" in await chat.say("bagikan DIP-2024-0104 ke RW 03")
    assert "no published register entry" in await chat.say("bagikan DIP-2024-0104 ke RW 02")
    await bind_officer(chat, "rina", "sukamaju-wetan")
    await chat.send(tap("coord:announce"))
    [confirm] = await chat.send("Posyandu hari Selasa")
    [done] = await chat.send(tap(confirm.choices[0].payload))
    assert "menunggu persetujuan petugas kelurahan" in done.text and "Belum ada petugas" not in done.text


async def test_approval_is_not_given_from_the_chat(chat: ChatHarness) -> None:  # noqa: F811
    """Approving is the kelurahan officer's, in the console or on the command line; a chat (even a
    coordinator's) that types an approval changes nothing."""
    code = await new_code(chat)
    await chat.send(f"kode {code}")
    await chat.send(tap("coord:announce"))
    [confirm] = await chat.send("Kerja bakti hari Minggu")
    [done] = await chat.send(tap(confirm.choices[0].payload))
    number = done.text.split("#")[1].split()[0]
    for attempt in (f"setujui {number}", f"approve {number}", f"setujui pengumuman #{number}", "setuju"):
        await chat.say(attempt)
        await chat.say(attempt, chat_id="stranger")
    async with chat.runtime.db.session() as session:
        status = await session.scalar(select(Broadcast.status).where(Broadcast.id == int(number)))
    assert status == "awaiting_approval"


async def test_a_resident_cannot_send_and_wrong_codes_are_limited(chat: ChatHarness) -> None:  # noqa: F811
    assert "hanya untuk koordinator RT/RW" in await chat.say("kirim pengumuman")
    [stale] = await chat.send(tap("coord:announce"))
    assert "hanya untuk koordinator RT/RW" in stale.text
    for _ in range(5):
        assert "tidak berlaku" in await chat.say("kode 000000")
    code = await new_code(chat)
    assert "Terlalu banyak kode yang salah" in await chat.say(f"kode {code}")  # even a right one now


JPEG = b"\xff\xd8\xff\xe0" + b"jfif-bytes" * 100


async def stored_photo(harness: ChatHarness, data: bytes = JPEG, mime: str = "image/jpeg") -> UserInput:
    """A photo as each channel's adapter hands it on: already in the sealed attachment store."""
    ref = await AttachmentStore(harness.runtime.db, harness.runtime.crypto).put(data, mime, "")
    return UserInput(kind=InputKind.PHOTO, attachment=Attachment(ref, mime, len(data)))


async def test_a_coordinator_sends_a_photo_and_then_its_text(chat: ChatHarness) -> None:  # noqa: F811
    code = await new_code(chat)
    await chat.send(f"kode {code}")
    [ask] = await chat.send(tap("coord:announce"))
    assert "Boleh disertai satu foto atau PDF (paling besar 5 MB)" in ask.text
    [received] = await chat.send(await stored_photo(chat))
    assert "Berkas foto.jpg diterima. Sekarang tulis teks pengumumannya." in received.text
    [confirm] = await chat.send("Jadwal posyandu bulan ini, lihat foto.")
    assert "Jadwal posyandu bulan ini" in confirm.text and "📎 Lampiran: foto.jpg" in confirm.text
    [done] = await chat.send(tap(confirm.choices[0].payload))
    assert "menunggu persetujuan" in done.text
    async with chat.runtime.db.session() as session:
        [record] = await broadcasts.recent(BroadcastStore(session), Actor.system("op"))
    assert record.attachment is not None
    assert (record.attachment.file_name, record.attachment.mime_type, record.attachment.size) == (
        "foto.jpg", "image/jpeg", len(JPEG),
    )  # fmt: skip
    assert record.text == "Jadwal posyandu bulan ini, lihat foto."


async def test_a_photo_with_its_caption_is_the_whole_announcement(chat: ChatHarness) -> None:  # noqa: F811
    code = await new_code(chat)
    await chat.send(f"kode {code}")
    await chat.send(tap("coord:announce"))
    photo = await stored_photo(chat, b"%PDF-1.7 jadwal", "application/pdf")
    [confirm] = await chat.send(replace(photo, kind=InputKind.DOCUMENT, text="Jadwal ronda terlampir"))
    assert "Jadwal ronda terlampir" in confirm.text and "📎 Lampiran: dokumen.pdf" in confirm.text


async def test_a_file_too_large_or_not_what_it_says_is_refused_politely(chat: ChatHarness) -> None:  # noqa: F811
    code = await new_code(chat)
    await chat.send(f"kode {code}")
    await chat.send(tap("coord:announce"))
    big = await stored_photo(chat, b"\xff\xd8\xff" + b"x" * (6 * 1024 * 1024))
    [refused] = await chat.send(big)
    assert "berkas itu berukuran 6 MB; lampiran pengumuman paling besar 5 MB" in refused.text
    assert "tidak dapat dikirim" not in refused.text  # the step waits for another file or the text
    fake = await stored_photo(chat, b"MZ\x90\x00 not a photo")  # a channel said image/jpeg
    await chat.send(replace(fake, text="Info"))
    [done] = await chat.send(tap("broadcast:yes"))
    assert "tidak dapat dikirim: only a photo (JPEG, PNG, WebP) or a PDF may be attached" in done.text
