"""Coordinators link their chat with a one-time code and send announcements from it, on every
channel; residents cannot (handlers.coordinator_chat)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.accounts import Accounts
from bot.area_store import AreaStore
from bot.assignment_store import AssignmentStore
from bot.coordinator_store import CoordinatorStore
from handlers.services import assignments
from handlers.services.actor import Actor
from handlers.types import InputKind, UserInput
from storage.accounts import AccountRepository
from storage.area_repository import AreaRepository
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
    assert "terlalu panjang (4001 karakter" in await chat.say("x" * 4001)
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
