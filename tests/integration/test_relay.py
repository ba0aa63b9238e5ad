"""The relay: order per conversation, retries with backoff, permanent failures, taking back a dead
relay's rows, fairness between chats, shedding a flood, several relays on one database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.messages import OutboundMessage
from bot.relay import MIN_CLAIM, RateLimiter, RateLimits, Relay, SendResult
from handlers.texts import t
from handlers.types import Channel, Lang, Reply
from storage.db import Database
from storage.models import OutboxMessage
from storage.outbox_claims import ClaimRepository
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


async def _wait_for(predicate: Callable[[], bool], seconds: float = 5.0) -> None:
    async with asyncio.timeout(seconds):
        while True:
            if predicate():
                return
            await asyncio.sleep(0.02)


async def _claim_as(db: Database, owner: str, now: datetime) -> list[int]:
    """Another relay registers, claims what is due and (the test decides) dies or lives on."""
    async with db.write() as session:
        await ClaimRepository.register(session, owner, "elsewhere", 1, now)
        return await ClaimRepository.claim(session, owner, {"telegram": 10}, now, now, 10)


@pytest.mark.parametrize("database", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
async def test_a_dead_relays_rows_are_taken_back_once_its_heartbeat_is_stale(database: Database) -> None:
    """PostgreSQL, several processes: by heartbeat (SQLite takes every claim back at start-up)."""
    clock = Clock()
    await _queue(database, ["lost"], clock.now)
    assert await _claim_as(database, "dead-relay", clock.now)  # claims the row, then dies
    sender = FlakySender({})
    relay = Relay(database, [sender], clock)
    await relay.drain()
    assert sender.delivered == []  # its heartbeat is still fresh: it may be alive
    clock.now += timedelta(seconds=6)  # no heartbeat for 6 s: dead, not 120 s of lease later
    await relay.drain()
    await relay.drain()
    assert sender.delivered == ["lost"]


async def test_a_live_relays_rows_are_never_taken(database: Database) -> None:
    clock = Clock()
    await _queue(database, ["slow"], clock.now)
    assert await _claim_as(database, "busy-relay", clock.now)
    sender = FlakySender({})
    relay = Relay(database, [sender], clock)
    for _ in range(10):  # ten minutes of a slow send: the owner keeps beating
        clock.now += timedelta(seconds=60)
        async with database.write() as session:
            assert await ClaimRepository.heartbeat(session, "busy-relay", clock.now)
        await relay.drain()
    assert sender.delivered == []


async def test_sqlite_start_up_takes_back_every_claim_at_once(sqlite_db: Database) -> None:
    clock = Clock()
    await _queue(sqlite_db, ["a", "b"], clock.now)
    assert await _claim_as(sqlite_db, "killed-process", clock.now)  # heartbeat still fresh
    sender = FlakySender({})
    relay = Relay(sqlite_db, [sender], clock)
    await relay.start()
    try:
        await _wait_for(lambda: len(sender.delivered) >= 2)
    finally:
        await relay.stop()
    assert sender.delivered == ["a", "b"]


class PacedSender(FlakySender):
    """A WhatsApp-like pair rate: one message per ``interval`` to each chat after the first."""

    channel = Channel.WHATSAPP

    def __init__(self, interval: float) -> None:
        super().__init__({})
        self.limits = RateLimits(per_second=1000.0, per_chat_interval=interval, per_chat_burst=1)
        self.at: dict[str, float] = {}

    async def send(self, message: OutboundMessage) -> SendResult:
        self.at.setdefault(message.chat_id, time.monotonic())
        return await super().send(message)


async def _queue_whatsapp(db: Database, chat: str, texts: list[str], now: datetime) -> None:
    async with db.write() as session:
        convs = await ConversationRepository.lock_or_create(session, [("whatsapp", chat)], now)
        OutboxRepository.add(
            session, convs[("whatsapp", chat)], [Reply(text=x).to_json() for x in texts], now
        )


async def test_one_chats_flood_does_not_hold_another_chats_reply(database: Database) -> None:
    """Issue 9 item 6: the flooding chat's paced rows must not fill the relay's rows in flight."""
    clock = Clock()
    sender = PacedSender(interval=0.5)
    relay = Relay(database, [sender], clock, max_in_flight=20, backlog=1000)
    await _queue_whatsapp(database, "6281100", [f"flood {n}" for n in range(100)], clock.now)
    await _queue_whatsapp(database, "6281200", ["welcome"], clock.now)
    started = time.monotonic()
    await relay.start()
    try:
        await _wait_for(lambda: "6281200" in sender.at)
    finally:
        await relay.stop()
    assert sender.at["6281200"] - started < 1.5  # not after 20 paced sends of the flood (10 s)


async def test_a_flood_is_shed_with_one_polite_notice(database: Database) -> None:
    clock = Clock()
    sender = FlakySender({})
    relay = Relay(database, [sender], clock, backlog=5, per_conversation=2)
    notice = t("too_many_messages", Lang.ID)
    await _queue(database, [f"r{n}" for n in range(20)], clock.now)
    await relay.drain()
    assert sender.delivered == ["r0", "r1", "r2", "r3", "r4", notice]  # in order, the notice last
    statuses = [s for s, _, _ in await _statuses(database)]
    assert statuses == ["sent"] * 6 + ["shed"] * 14  # shed rows stay visible, with the reason
    await _queue(database, [f"s{n}" for n in range(10)], clock.now)  # the flood goes on
    await relay.drain()
    assert sender.delivered[6:] == ["s0", "s1", "s2", "s3", "s4"]  # no second notice
    clock.now += timedelta(minutes=31)  # a new flood later gets a new notice
    await _queue(database, [f"u{n}" for n in range(10)], clock.now)
    await relay.drain()
    assert sender.delivered[11:] == ["u0", "u1", "u2", "u3", "u4", notice]


class GatedSender(FlakySender):
    """Holds the first send until the test opens the gate (a slow platform call)."""

    def __init__(self) -> None:
        super().__init__({})
        self.gate = asyncio.Event()
        self.started = asyncio.Event()

    async def send(self, message: OutboundMessage) -> SendResult:
        self.started.set()
        await self.gate.wait()
        return await super().send(message)


async def test_a_later_row_does_not_wait_out_the_other_relays_claim(database: Database) -> None:
    """Two instances: the row after one another relay is sending goes out right after it, in order."""
    clock = Clock()
    first, second = GatedSender(), FlakySender({})
    a = Relay(database, [first], clock)
    b = Relay(database, [second], clock)
    await _queue(database, ["one"], clock.now)
    await a.start()
    try:
        async with asyncio.timeout(5):
            await first.started.wait()  # relay A is sending "one"
        await _queue(database, ["two"], clock.now)
        await b.run_once()  # B sees "two" while A still sends "one"
        assert second.delivered == []
        first.gate.set()
        await _wait_for(lambda: first.delivered + second.delivered == ["one", "two"])
    finally:
        await a.stop()
    assert first.delivered + second.delivered == ["one", "two"]


async def test_rate_limiter_spaces_messages_per_chat() -> None:
    import time

    limiter = RateLimiter(RateLimits(per_second=1000.0, per_chat_interval=0.05))
    start = time.monotonic()
    for _ in range(3):
        await limiter.acquire("chat")
    assert time.monotonic() - start >= 0.1


class WireSender(FlakySender):
    """The platform has the message as soon as it is sent; its answer comes ``delay`` later."""

    def __init__(self, delay: float) -> None:
        super().__init__({})
        self.delay = delay

    async def send(self, message: OutboundMessage) -> SendResult:
        self.delivered.append(message.reply.text)
        await asyncio.sleep(self.delay)
        return SendResult(ok=True, platform_message_id="p")


async def test_a_stop_waits_for_the_send_on_the_wire_and_a_restart_repeats_nothing(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stop cancels sends still waiting for their turn, never one the platform may already have:
    cut off there, its row would go out again after the restart (SQLite takes back every claim)."""
    monkeypatch.setattr("bot.relay.STOP_GRACE", 0.05)
    clock = Clock()
    await _queue(sqlite_db, ["a", "b", "c"], clock.now)
    slow = WireSender(delay=0.5)
    first = Relay(sqlite_db, [slow], clock)
    await first.start()
    await _wait_for(lambda: slow.delivered == ["a"])
    await first.stop()  # while "a" is on the wire
    after = FlakySender({})
    second = Relay(sqlite_db, [after], clock)  # the restarted process
    await second.start()
    try:
        await _wait_for(lambda: len(slow.delivered) + len(after.delivered) >= 3)
        await second.drain()
    finally:
        await second.stop()
    assert slow.delivered + after.delivered == ["a", "b", "c"]
    assert [status for status, _, _ in await _statuses(sqlite_db)] == ["sent"] * 3


async def test_results_a_busy_database_refused_at_stop_are_recorded_before_the_restart(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording the last results fails once at stop (a locked database): they are written on the
    next try, so the restarted relay, which takes back every claim, sends nothing twice."""
    clock = Clock()
    await _queue(sqlite_db, ["a", "b"], clock.now)
    real, failures = ClaimRepository.record, [1]

    async def record(*args: object, **kwargs: object) -> None:
        if failures:
            failures.pop()
            raise OSError("database is locked")
        await real(*args, **kwargs)  # type: ignore[arg-type]

    slow = WireSender(delay=0.2)
    first = Relay(sqlite_db, [slow], clock)
    await first.start()
    await _wait_for(lambda: slow.delivered == ["a"])
    monkeypatch.setattr(ClaimRepository, "record", staticmethod(record))
    await first.stop()
    after = FlakySender({})
    second = Relay(sqlite_db, [after], clock)
    await second.start()
    try:
        await _wait_for(lambda: len(slow.delivered) + len(after.delivered) >= 2)
        await second.drain()
    finally:
        await second.stop()
    assert not failures
    assert slow.delivered + after.delivered == ["a", "b"]


class HeldSender(FlakySender):
    """Sends only as many messages as the test lets through."""

    def __init__(self) -> None:
        super().__init__({})
        self.allowed = asyncio.Semaphore(0)

    async def send(self, message: OutboundMessage) -> SendResult:
        await self.allowed.acquire()
        return await super().send(message)


async def _count(db: Database, status: str) -> int:
    async with db.session() as session:
        rows = (await session.scalars(select(OutboxMessage.status))).all()
    return sum(1 for s in rows if s == status)


async def test_a_channel_nearly_full_claims_a_batch_not_each_row_sent(database: Database) -> None:
    """Rows in flight at max_in_flight: the relay claims again once MIN_CLAIM of them are done,
    not after each send (a write transaction each, which the webhooks' inbox commits wait for)."""
    clock = Clock()
    for n in range(300):
        await _queue(database, [f"m{n}"], clock.now, chat=str(5000 + n))
    sender = HeldSender()
    relay = Relay(database, [sender], clock, max_in_flight=200)
    claims = 0
    claim = ClaimRepository.claim

    async def counted(*args: object, **kwargs: object) -> list[int]:
        nonlocal claims
        ids = await claim(*args, **kwargs)  # type: ignore[arg-type]
        claims += bool(ids) and not kwargs.get("look")  # claimed, not only looked
        return ids

    await relay.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(ClaimRepository, "claim", counted)
            await _wait_for(lambda: len(relay._in_flight) == 200)
            before = claims
            for _ in range(MIN_CLAIM - 1):  # one by one, each recorded before the next
                sender.allowed.release()
                sent = len(sender.delivered)
                await _wait_for(lambda sent=sent: len(sender.delivered) > sent)  # type: ignore[misc]
            await _wait_for(lambda: len(relay._in_flight) == 200 - MIN_CLAIM + 1)
            await asyncio.sleep(0.3)
            assert claims == before  # 49 rows done: nothing claimed yet
            sender.allowed.release()
            await _wait_for(lambda: len(relay._in_flight) == 200)  # the 50th: 50 claimed at once
            assert claims == before + 1
            for _ in range(300):
                sender.allowed.release()
            await _wait_for(lambda: len(sender.delivered) == 300)
    finally:
        await relay.stop()
    assert sorted(sender.delivered) == sorted(f"m{n}" for n in range(300))  # each once
    assert await _count(database, "sent") == 300


async def test_sqlite_a_claim_that_finds_nothing_takes_no_write_transaction(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wake-ups that find nothing to claim (most of them during a broadcast) leave the writer to
    the webhooks' inbox commits."""
    clock = Clock()
    await _queue(sqlite_db, ["a", "b"], clock.now)
    sender = FlakySender({"a": [SendResult(ok=False, retry_after=5, error="429")]})
    relay = Relay(sqlite_db, [sender], clock)
    await relay.drain()  # "a" waits for its retry, "b" behind it
    writes = 0
    write = sqlite_db.write

    def counted(**kwargs: bool) -> object:
        nonlocal writes
        writes += 1
        return write(**kwargs)

    monkeypatch.setattr(sqlite_db, "write", counted)
    await relay.run_once()
    assert writes == 0 and sender.delivered == []
    clock.now += timedelta(seconds=6)
    await relay.drain()
    assert sender.delivered == ["a", "b"] and writes >= 2  # the claim, then the results
