"""Relay behaviour the channels rely on: order behind a retry, unreachable chats, restart, rendering."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update

from bot.channels.render import whatsapp_bodies
from bot.messages import OutboundMessage
from bot.relay import RateLimits, Relay, SendResult
from handlers.domain.text_split import split_text, utf16_len
from handlers.types import Channel, Choice, Reply
from storage.db import Database
from storage.models import Conversation, OutboxMessage
from storage.repositories import ConversationRepository, OutboxRepository

pytestmark = pytest.mark.usefixtures("installed_key")  # rows written through repositories


class Script:
    channel = Channel.TELEGRAM
    limits = RateLimits(per_second=1000.0)

    def __init__(self, plan: dict[str, list[SendResult]] | None = None, delay: float = 0.0) -> None:
        self.plan = plan or {}
        self.delay = delay
        self.delivered: list[str] = []

    async def send(self, message: OutboundMessage) -> SendResult:
        await asyncio.sleep(self.delay)
        planned = self.plan.get(message.reply.text, [])
        result = planned.pop(0) if planned else SendResult(ok=True, platform_message_id="p")
        if result.ok:
            self.delivered.append(message.reply.text)
        return result


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def queue(db: Database, texts: list[str], now: datetime, chat: str = "42") -> None:
    async with db.write() as session:
        convs = await ConversationRepository.lock_or_create(session, [("telegram", chat)], now)
        OutboxRepository.add(
            session, convs[("telegram", chat)], [Reply(text=t).to_json() for t in texts], now
        )


async def test_a_row_written_after_a_retry_waits_behind_it(sqlite_db: Database) -> None:
    clock = Clock()
    sender = Script({"a": [SendResult(ok=False, retry_after=5, error="429")]})
    relay = Relay(sqlite_db, [sender], clock)
    await queue(sqlite_db, ["a", "b"], clock.now)
    await relay.drain()
    clock.now += timedelta(seconds=1)
    await queue(sqlite_db, ["c"], clock.now)  # the handler answers again while "a" waits
    await relay.drain()
    assert sender.delivered == []
    clock.now += timedelta(seconds=5)
    await relay.drain()
    assert sender.delivered == ["a", "b", "c"]


async def test_an_unreachable_conversation_gets_nothing(sqlite_db: Database) -> None:
    clock = Clock()
    sender = Script()
    await queue(sqlite_db, ["x", "y"], clock.now)
    async with sqlite_db.write() as session:
        await session.execute(update(Conversation).values(unreachable=True))
    await Relay(sqlite_db, [sender], clock).drain()
    async with sqlite_db.session() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    assert sender.delivered == [] and {r.status for r in rows} == {"failed"}


async def test_a_stopped_relay_gives_back_unsent_rows_and_a_new_one_sends_each_once(
    sqlite_db: Database,
) -> None:
    clock = Clock()
    slow = Script(delay=0.2)
    first = Relay(sqlite_db, [slow], clock)
    await queue(sqlite_db, [f"m{n}" for n in range(5)], clock.now)
    await first.start()
    first.wake()
    await asyncio.sleep(0.3)  # one or two sent, the rest queued
    await first.stop()
    fresh = Script()
    await Relay(sqlite_db, [fresh], clock).drain()
    assert slow.delivered + fresh.delivered == [f"m{n}" for n in range(5)]


@given(st.text(alphabet=st.sampled_from("ab .\n😀"), max_size=400), st.integers(min_value=8, max_value=60))
def test_split_text_keeps_every_word_within_the_limit(text: str, limit: int) -> None:
    chunks = split_text(text, limit, utf16_len)
    assert all(0 < utf16_len(c) <= limit for c in chunks)
    assert "".join("".join(c.split()) for c in chunks) == "".join(text.split())


def test_whatsapp_lists_shorten_long_titles_and_keep_the_label() -> None:
    choices = tuple(Choice(f"Ajukan permohonan informasi {n}", f"menu:{n}") for n in range(4))
    (body,) = whatsapp_bodies(Reply(text="Pilih", choices=choices))
    rows = body["interactive"]["action"]["sections"][0]["rows"]  # type: ignore[index]
    assert all(len(r["title"]) <= 24 for r in rows)
    assert rows[0]["description"] == "Ajukan permohonan informasi 0"
