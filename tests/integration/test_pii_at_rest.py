"""After a request is filed by chat, the SQLite files hold no NIK, phone, e-mail, address or access code in
plain text (UU 27/2022): not in the request tables, the inbox, the outbox, the conversation
state, the WAL, nor in freed pages. WhatsApp numbers are stored only as keyed pseudonyms (and
sealed, to send); after ``tanya requester erase`` nothing in the files decrypts to the personal
data any more; the files are the user's alone (0600)."""

from __future__ import annotations

import base64
import io
import os
import re
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from bot.cli import build_parser
from bot.commands import requests as commands
from bot.settings import Settings
from storage import migrate
from storage.attachments import AttachmentStore
from storage.crypto import SEALED_PREFIX, Crypto, DecryptionError, crypto_for
from storage.db import Database
from storage.models import Conversation, InboxMessage, OutboxMessage
from storage.models.requests import InfoRequest, Requester
from storage.repositories import InboxRepository, NewInbox
from tests.conftest import SECRET
from tests.dialogs.requests_chat import ADDRESS, EMAIL, MONDAY_10, NIK, PHONE_E164, Chat, Clock, start_chat
from tests.fake_platforms import FakeGraph, FakeTelegram
from tests.webhooks.conftest import FAST, fakes, fixture, running

__all__ = ["fakes"]  # the fake Telegram and Graph servers, a fixture

SECRETS_TYPED = [NIK, "3273 0101 0190 0001", "0812-3456-7890", PHONE_E164, "81234567890", EMAIL, ADDRESS]


def _files(directory: Path, prefix: str = "pii.db") -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.name.startswith(prefix)}


def _leaks(files: dict[str, bytes], needles: list[str]) -> list[tuple[str, str]]:
    found = []
    for name, data in files.items():
        for needle in needles:
            for encoded in (needle.encode("utf-8"), needle.encode("utf-16-le")):
                if encoded in data:
                    found.append((name, needle))
    return found


async def test_no_personal_data_in_plain_text_after_filing(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/pii.db")
    await migrate.upgrade(db)
    chat: Chat = await start_chat(db, Clock(MONDAY_10))
    store = AttachmentStore(db, chat.runtime.crypto)
    await store.put(b"KTP-PHOTO-BYTES-" + NIK.encode(), "image/jpeg", f"ktp_{NIK}.jpg")
    number = await chat.file()
    assert number == "PPID-2026-000001"
    assert "Status: Diterima" in await chat.say("cek status " + number)
    code = chat.codes[number]  # the access code: only a keyed hash and a ciphertext are stored
    needles = [*SECRETS_TYPED, "KTP-PHOTO-BYTES", code, code.replace("-", "")]

    running = _files(tmp_path)
    assert "pii.db-wal" in running and len(running["pii.db-wal"]) > 0  # the WAL is really checked
    everything = b"".join(running.values())
    assert b"Salinan dokumen APBD" in everything  # not personal: kept readable, so the scan does see text
    assert _leaks(running, needles) == []

    await chat.runtime.stop()  # checkpoints the WAL into the main file
    assert _leaks(_files(tmp_path), needles) == []


# --- WhatsApp numbers: a keyed pseudonym in every table, the number itself only sealed ---

SITI_WA, SITI_BSUID, BUDI_WA = "6281234567890", "ID.1503012345678901", "6281398765432"


def _encodings(number: str) -> list[str]:
    """The number as typed, and as a wamid carries it (base64 of a message holding it)."""
    return [number, base64.b64encode(number.encode()).decode()[:12]]


async def test_whatsapp_numbers_are_not_stored_in_plain_text(
    tmp_path: Path, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, graph = fakes
    async with running(tmp_path, telegram, graph, **FAST) as service:
        await service.post_whatsapp(fixture("wa_two_users.json"))
        await service.post_whatsapp(fixture("wa_statuses.json"))
        await service.settle()
        assert graph.sent(BUDI_WA)[0]["to"] == BUDI_WA  # replies still reach the real number
        assert graph.sent(SITI_BSUID)[0]["recipient"] == SITI_BSUID
        running_files = _files(tmp_path, "tanya.db")
        assert len(running_files.get("tanya.db-wal", b"")) > 0
        needles = [*_encodings(SITI_WA), *_encodings(BUDI_WA), "1503012345678901"]
        assert _leaks(running_files, needles) == []
        async with service.runtime.db.session() as session:
            conversations = (await session.scalars(select(Conversation))).all()
        assert {c.address for c in conversations} == {SITI_BSUID, BUDI_WA}  # sealed, for the relay only
    assert _leaks(_files(tmp_path, "tanya.db"), needles) == []


# --- erasure: nothing of it decrypts afterwards ---

_SEALED = re.compile(re.escape(SEALED_PREFIX).encode() + rb"[A-Za-z0-9_=-]{20,}")
_PURPOSES = ["inbox.payload", "outbox.payload", "conversation.state", "conversation.address"]


def _opened(files: dict[str, bytes], crypto: Crypto) -> str:
    """Every sealed value anywhere in the files (live rows, freed pages, WAL frames), opened."""
    texts = []
    for data in files.values():
        for token in set(_SEALED.findall(data)):
            for purpose in _PURPOSES:
                try:
                    texts.append(crypto.unseal(token.decode(), purpose))
                except (DecryptionError, ValueError):
                    continue
    return "\n".join(texts)


def _personal(text: str) -> list[str]:
    digits = re.sub(r"\D", "", text)
    found = [s for s in (EMAIL, ADDRESS, PHONE_E164) if s in text]
    return found + [s for s in (NIK, "81234567890") if s in digits]


async def test_erasure_leaves_nothing_that_decrypts_to_the_personal_data(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/pii.db")
    await migrate.upgrade(db)
    chat: Chat = await start_chat(db, Clock(MONDAY_10))
    crypto = chat.runtime.crypto
    number = await chat.file()
    assert "Status: Diterima" in await chat.say("cek status " + number)
    await chat.say("ajukan permohonan")  # a second form, left half-way: its answers sit in the state
    await chat.say("1")
    assert _personal(_opened(_files(tmp_path), crypto))  # the scan does open what is there
    decided = MONDAY_10 + timedelta(days=3)
    assert await _tanya(chat, decided, "request", "decide", number, "--outcome", "granted") == 0
    later = MONDAY_10 + timedelta(days=60)
    assert await _tanya(chat, later, "requester", "erase") == 0

    assert _personal(_opened(_files(tmp_path), crypto)) == []  # running: main file and WAL
    async with db.session() as session:
        requester = (await session.scalars(select(Requester))).one()
        assert requester.erased_at is not None and requester.nik_enc is None
        assert (await session.scalars(select(InfoRequest.number))).all() == [number]  # statistics kept
        conversation = (await session.scalars(select(Conversation))).one()
        assert conversation.state == "" and conversation.session_epoch == 1  # web sessions end
        left = [
            *(await session.scalars(select(InboxMessage.payload))),
            *(await session.scalars(select(OutboxMessage.payload))),
        ]
    assert _personal("\n".join(left)) == []
    await chat.runtime.stop()
    assert _personal(_opened(_files(tmp_path), crypto)) == []


async def _tanya(chat: Chat, at: datetime, *argv: str) -> int:
    """``tanya ARGV`` at ``at`` (retention 30 days) on the chat's database."""
    chat.clock.now = at
    settings = Settings(secret_key=SECRET, retention_days=30)
    out = io.StringIO()
    officer = commands.Officer(chat.runtime.db, crypto_for(SECRET), settings, at, out)
    status = await commands.run(build_parser().parse_args(argv), officer)
    assert "erased the personal data of 0" not in out.getvalue()
    return status


# --- the files are the service user's alone ---


async def test_database_files_are_created_readable_by_the_owner_only(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/var/new.db")
        await migrate.upgrade(db)
        files = sorted((tmp_path / "var").iterdir())
        assert [p.name for p in files] == ["new.db", "new.db-shm", "new.db-wal"]
        assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
        assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700
        await db.dispose()
        old = tmp_path / "old.db"  # made by an earlier version, readable by all
        old.touch(mode=0o644)
        reopened = Database.from_url(f"sqlite+aiosqlite:///{old}")
        await migrate.upgrade(reopened)
        assert stat.S_IMODE(old.stat().st_mode) == 0o600
        await reopened.dispose()
    finally:
        os.umask(old_umask)


@pytest.mark.usefixtures("installed_key")
async def test_a_failed_statement_does_not_carry_what_was_typed(sqlite_db: Database) -> None:
    """Errors are logged with their message: SQLAlchemy must not put the parameters in it."""
    row = NewInbox("web", "m1", "chat", f'{{"text": "NIK saya {NIK}"}}', MONDAY_10)
    async with sqlite_db.write() as session:
        await InboxRepository.insert_new(session, [row])
    with pytest.raises(IntegrityError) as failed:
        async with sqlite_db.write() as session:
            values = {"channel": "web", "message_id": "m2", "chat_id": "chat", "payload": row.payload}
            await session.execute(insert(InboxMessage).values(id=1, received_at=MONDAY_10, **values))
    assert NIK not in str(failed.value) and "hidden" in str(failed.value)
