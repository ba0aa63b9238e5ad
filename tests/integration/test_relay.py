"""The relay: order per conversation, retries with backoff, permanent failures, lease recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.messages import OutboundMessage
from bot.relay import RateLimiter, RateLimits, Relay, SendResult
from handlers.types import Channel, Reply
from storage.db import Database
from storage.models import OutboxMessage
from storage.repositories import ConversationRepository, OutboxRepository

pytestmark = pytest.mark.usefixtures("installed_key")  # rows written through repositories


class FlakySender:
    channel = Channel.TELEGRAM
    limits = RateLimits(per_second=1000.0)

    def __init__(self, script: dict[str, list[SendResult]]) -> None:
        self.script = script
        self.delivered: list[str] = []

    async def send(self, message: OutboundMessage) -> SendResult:
        planned = self.script.get(message.reply.text, [])
        result = planned.pop(0) if planned else SendResult(ok=True, platform_message_id="p")
        if result.ok:
            self.delivered.append(message.reply.text)
        return result


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def _queue(db: Database, texts: list[str], now: datetime, chat: str = "42") -> None:
    async with db.write() as session:
        convs = await ConversationRepository.lock_or_create(session, [("telegram", chat)], now)
        OutboxRepository.add(
            session, convs[("telegram", chat)], [Reply(text=t).to_json() for t in texts], now
        )


async def _statuses(db: Database) -> list[tuple[str, str, int]]:
    async with db.session() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
        return [(r.status, r.error, r.attempts) for r in rows]


async def test_retry_keeps_order_and_backs_off(database: Database) -> None:
    clock = Clock()
    sender = FlakySender({"a": [SendResult(ok=False, retry_after=5, error="429")]})
    relay = Relay(database, [sender], clock)
    await _queue(database, ["a", "b", "c"], clock.now)
    await relay.drain()
    assert sender.delivered == []  # "a" must wait 5 s and "b", "c" wait behind it
    clock.now += timedelta(seconds=4)
    await relay.drain()
    assert sender.delivered == []
    clock.now += timedelta(seconds=2)
    await relay.drain()
    assert sender.delivered == ["a", "b", "c"]
    assert [s for s, _, _ in await _statuses(database)] == ["sent"] * 3


async def test_permanent_failure_is_recorded_and_not_retried(database: Database) -> None:
    clock = Clock()
    sender = FlakySender({"x": [SendResult(ok=False, error="403 bot was blocked by the user")]})
    relay = Relay(database, [sender], clock)
    await _queue(database, ["x", "y"], clock.now)
    await relay.drain()
    assert sender.delivered == ["y"]
    assert (await _statuses(database))[0] == ("failed", "403 bot was blocked by the user", 1)


async def test_held_row_is_kept_for_officers(database: Database) -> None:
    clock = Clock()
    sender = FlakySender({"late": [SendResult(ok=False, held=True, error="outside 24h window")]})
    relay = Relay(database, [sender], clock)
    await _queue(database, ["late"], clock.now)
    await relay.drain()
    assert (await _statuses(database))[0][0] == "held"


async def test_a_dead_relays_lease_expires_and_the_row_is_sent_once(database: Database) -> None:
    clock = Clock()
    await _queue(database, ["lost"], clock.now)
    async with database.write() as session:  # a relay claims the row, then dies before sending
        await OutboxRepository.claim(session, ["telegram"], clock.now, timedelta(seconds=120), 10)
    sender = FlakySender({})
    relay = Relay(database, [sender], clock)
    await relay.drain()
    assert sender.delivered == []
    clock.now += timedelta(seconds=121)
    await relay.drain()
    await relay.drain()
    assert sender.delivered == ["lost"]


async def test_rate_limiter_spaces_messages_per_chat() -> None:
    import time

    limiter = RateLimiter(RateLimits(per_second=1000.0, per_chat_interval=0.05))
    start = time.monotonic()
    for _ in range(3):
        await limiter.acquire("chat")
    assert time.monotonic() - start >= 0.1
