"""A broadcast to 10,000 subscribers through the real relay to the fake Telegram Bot API: each
subscriber gets it exactly once, the fake's arrival times keep the configured rate, and a relay
restart halfway loses and repeats nothing (issue 12)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from bot.area_store import AreaStore
from bot.areas import load_sample_areas
from bot.broadcast_store import BroadcastStore
from handlers.services import broadcasts
from handlers.services.actor import Actor
from storage.db import Database
from storage.models import OutboxMessage
from storage.models.areas import Subscription
from storage.repositories import ConversationRepository
from tests.fake_platforms import FakeGraph, FakeTelegram
from tests.webhooks.conftest import running

SUBSCRIBERS = 10_000
RATE = 1000.0  # messages per second the test configures (the real 30/s would take 5.5 minutes)
AREA = "sukamaju-wetan/rw02"


async def subscribe_many(db: Database, count: int, now: datetime) -> None:
    """``count`` Telegram chats subscribed to the RW's RTs and the RW itself (one row per chat)."""
    async with db.write() as session:
        areas = AreaStore(session)
        rw = await areas.get(AREA)
        assert rw is not None
        targets = [rw.id, *[(await areas.get(f"{AREA}/rt{n:03d}")).id for n in range(1, 6)]]  # type: ignore[union-attr]
        keys = [("telegram", str(700_000 + i)) for i in range(count)]
        convs = await ConversationRepository.lock_or_create(session, keys, now)
        rows = [
            {"conversation_id": convs[key].id, "area_id": targets[i % len(targets)], "created_at": now}
            for i, key in enumerate(keys)
        ]
        await session.execute(insert(Subscription), rows)


async def until(done: Callable[[], bool], seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:  # noqa: ASYNC110 (the fake runs in a thread)
        await asyncio.sleep(0.05)


def max_in_any_second(times: list[float]) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


async def test_ten_thousand_subscribers_get_it_once_within_the_rate(
    tmp_path: Path, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, graph = fakes
    limits = {"telegram_per_second": RATE, "telegram_chat_interval": 0.0, "broadcast_approval": True}
    async with running(tmp_path, telegram, graph, **limits) as service:
        db, now = service.runtime.db, datetime.now(UTC)
        await load_sample_areas(db)
        await subscribe_many(db, SUBSCRIBERS, now)
        async with db.write() as session:
            record = await broadcasts.send(
                BroadcastStore(session),
                Actor.system("op"),
                AREA,
                text="Pemadaman air besok 08.00-12.00",
                now=now,
            )
        service.runtime.broadcaster.wake()
        relay = service.runtime.relay
        await until(lambda: len(telegram.sent()) >= SUBSCRIBERS // 2)
        await relay.stop()  # a restart halfway
        halfway = len(telegram.sent())
        await relay.start()
        await until(lambda: len(telegram.sent()) >= SUBSCRIBERS)
        await service.settle()
        calls = [c for c in telegram.calls_to("sendMessage") if c.status == 200]
        per_chat = Counter(str(c.params["chat_id"]) for c in calls)
        assert 0 < halfway < SUBSCRIBERS  # (the sends under way at the stop finish first)
        assert len(per_chat) == SUBSCRIBERS and set(per_chat.values()) == {1}  # none lost, none twice
        assert max_in_any_second([c.at for c in calls]) <= RATE * 1.02  # the limiter's granularity
        async with db.session() as session:
            _, figures = await broadcasts.status(BroadcastStore(session), Actor.system("op"), record.id)
            rows = await session.scalar(select(func.count()).where(OutboxMessage.broadcast_id == record.id))
        assert rows == SUBSCRIBERS and (figures.sent, figures.queued, figures.failed) == (SUBSCRIBERS, 0, 0)
