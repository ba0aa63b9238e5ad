"""Erasure of a requester reaches the copies their chats hold (issue 9, item 9): old messages go,
an idle chat's state and sealed address go and its web sessions end; a chat that still serves a
kept request keeps what it needs; messages still to be handled or sent stay."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.cli import build_parser
from bot.commands import requests as commands
from bot.settings import Settings
from handlers.types import ConversationState, Flow
from storage.crypto import crypto_for
from storage.db import Database
from storage.models import Conversation, InboxMessage, OutboxMessage
from storage.models.pipeline import InboxStatus, OutboxStatus
from storage.models.requests import Requester
from storage.privacy import erase_conversations
from storage.repositories import ConversationRepository, InboxRepository, NewInbox, OutboxRepository
from tests.conftest import SECRET
from tests.dialogs.requests_chat import MONDAY_10, Chat, Clock, start_chat

T0 = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
CUT_OFF = T0 + timedelta(days=10)


async def _chat_with_messages(db: Database, chat_id: str) -> int:
    """A WhatsApp-like chat with a form half-way, an address, and messages before and after the cut-off."""
    state = ConversationState(flow=Flow.REQUEST_FORM, step="phone", data={"nik": "3273010101900001"})
    async with db.write() as session:
        conv = (await ConversationRepository.lock_or_create(session, [("whatsapp", chat_id)], T0))[
            ("whatsapp", chat_id)
        ]
        conv.state, conv.address = state.to_json(), "62812" + chat_id
        rows = [
            NewInbox("whatsapp", f"{chat_id}.old", chat_id, '{"nik": "3273010101900001"}', T0),
            NewInbox("whatsapp", f"{chat_id}.pending", chat_id, '{"text": "x"}', T0),
            NewInbox("whatsapp", f"{chat_id}.new", chat_id, '{"text": "later"}', CUT_OFF + timedelta(days=1)),
        ]
        await InboxRepository.insert_new(session, rows)
        for payload, status in (("old summary", OutboxStatus.SENT), ("unsent", OutboxStatus.PENDING)):
            (sent,) = OutboxRepository.add(session, conv, [payload], T0)
            sent.status = status.value
    async with db.write() as session:
        for message_id in (f"{chat_id}.old", f"{chat_id}.new"):
            row = (
                await session.scalars(select(InboxMessage).where(InboxMessage.message_id == message_id))
            ).one()
            row.status = InboxStatus.PROCESSED.value
        return conv.id


@pytest.mark.usefixtures("installed_key")
async def test_old_messages_go_idle_chats_are_reset_and_kept_chats_keep_their_state(
    database: Database,
) -> None:
    idle = await _chat_with_messages(database, "a")
    kept = await _chat_with_messages(database, "b")
    other = await _chat_with_messages(database, "c")
    async with database.write() as session:
        assert await erase_conversations(session, [idle, kept], before=CUT_OFF, keep_open=[kept]) == 1
    async with database.session() as session:
        convs = {c.id: c for c in (await session.scalars(select(Conversation))).all()}
        inbox = {r.message_id for r in (await session.scalars(select(InboxMessage))).all()}
        outbox = [
            (r.conversation_id, r.payload) for r in (await session.scalars(select(OutboxMessage))).all()
        ]
    assert (convs[idle].state, convs[idle].address, convs[idle].session_epoch) == ("", None, 1)
    assert ConversationState.from_json(convs[kept].state).flow is Flow.REQUEST_FORM
    assert convs[kept].address == "62812b" and convs[kept].session_epoch == 0
    assert inbox == {"a.pending", "a.new", "b.pending", "b.new", "c.old", "c.pending", "c.new"}
    assert sorted(outbox) == sorted(
        [(idle, "unsent"), (kept, "unsent"), (other, "old summary"), (other, "unsent")]
    )
    assert convs[other].session_epoch == 0 and convs[other].address == "62812c"


async def test_a_chat_that_serves_a_request_still_kept_is_not_reset(database: Database) -> None:
    chat: Chat = await start_chat(database, Clock(MONDAY_10))
    first = await chat.file()
    second = await chat.file()  # the same chat, a request still open
    crypto = crypto_for(SECRET)
    settings = Settings(secret_key=SECRET, retention_days=30)

    async def tanya(at: datetime, *argv: str) -> str:
        chat.clock.now = at  # the relay sends what is due by the server's clock
        out = io.StringIO()
        assert (
            await commands.run(
                build_parser().parse_args(argv), commands.Officer(database, crypto, settings, at, out)
            )
            == 0
        )
        return out.getvalue()

    await tanya(MONDAY_10 + timedelta(days=3), "request", "decide", first, "--outcome", "granted")
    assert "erased the personal data of 1" in await tanya(
        MONDAY_10 + timedelta(days=60), "requester", "erase"
    )
    async with database.session() as session:
        conversation = (await session.scalars(select(Conversation))).one()
        requesters = (await session.scalars(select(Requester).order_by(Requester.id))).all()
    assert conversation.session_epoch == 0 and conversation.state != ""
    assert [r.erased_at is not None for r in requesters] == [True, False]
    assert "Status: Diterima" in await chat.say(f"cek status {second}")
    await chat.stop()
