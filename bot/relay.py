"""The relay: sends outbox rows through each channel's sender, in order per conversation.

Rows are claimed with a lease (a relay that dies mid-send leaves them due again when the lease
runs out), sent one after another per conversation and concurrently across conversations within
each platform's rate limits, and their results are written back in one transaction per round:
sent, retried with exponential backoff (or the platform's ``retry_after``), or failed with the
reason (visible to officers). A retried row holds back the later rows of its conversation so the
order is kept. The relay never runs inside a conversation lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import update

from bot.messages import OutboundMessage
from handlers.types import Channel, Reply
from storage.db import Database
from storage.models import OutboxMessage
from storage.models.pipeline import OutboxStatus
from storage.repositories import OutboxRepository

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=120)


@dataclass(frozen=True, slots=True)
class SendResult:
    ok: bool
    platform_message_id: str = ""
    retry_after: float | None = None  # transient failure: try again after this many seconds
    error: str = ""  # permanent failure when not ok and retry_after is None
    held: bool = False  # cannot be delivered now (e.g. outside the WhatsApp 24-hour window)


@dataclass(frozen=True, slots=True)
class RateLimits:
    per_second: float = 30.0  # across all chats of this channel
    per_chat_interval: float = 0.0  # seconds between two messages to one chat


class Sender(Protocol):
    channel: Channel
    limits: RateLimits

    async def send(self, message: OutboundMessage) -> SendResult: ...


class RateLimiter:
    """A token bucket for the channel plus a minimum interval per chat."""

    def __init__(self, limits: RateLimits) -> None:
        self._limits = limits
        self._tokens = limits.per_second
        self._updated = time.monotonic()
        self._next_per_chat: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def acquire(self, chat_id: str) -> None:
        interval = self._limits.per_chat_interval
        if interval:
            wait = self._next_per_chat.get(chat_id, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        async with self._lock:
            while True:
                now = time.monotonic()
                rate = self._limits.per_second
                self._tokens = min(rate, self._tokens + (now - self._updated) * rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    break
                await asyncio.sleep((1 - self._tokens) / rate)
        if interval:
            self._next_per_chat[chat_id] = time.monotonic() + interval
            if len(self._next_per_chat) > 10_000:
                horizon = time.monotonic()
                self._next_per_chat = {k: v for k, v in self._next_per_chat.items() if v > horizon}


def backoff(attempts: int) -> float:
    return float(min(2**attempts, 600))


class Relay:
    def __init__(
        self,
        db: Database,
        senders: Sequence[Sender],
        clock: Callable[[], datetime],
        *,
        batch_size: int = 500,
        concurrency: int = 64,
        idle_poll: float = 1.0,
    ) -> None:
        self._db = db
        self._senders = {s.channel.value: s for s in senders}
        self._limiters = {s.channel.value: RateLimiter(s.limits) for s in senders}
        self._clock = clock
        self._batch_size = batch_size
        self._concurrency = asyncio.Semaphore(concurrency)
        self._idle_poll = idle_poll
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._round_lock = asyncio.Lock()

    def wake(self, _count: int = 0) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._senders:
            self._task = asyncio.create_task(self._run(), name="relay")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def drain(self) -> None:
        """Send everything that is due now (the CLI chat and tests wait on this)."""
        while await self.run_once():
            pass

    async def _run(self) -> None:
        while True:
            try:
                sent = await self.run_once()
            except Exception:
                log.exception("relay round failed")
                sent = 0
            if not sent:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._idle_poll)
                self._wake.clear()

    async def run_once(self) -> int:
        """One round: claim due rows, send them, record the results. Returns rows claimed."""
        async with self._round_lock:
            async with self._db.write() as session:
                rows = await OutboxRepository.claim(
                    session, list(self._senders), self._clock(), LEASE, self._batch_size
                )
                claimed = [
                    OutboundMessage(
                        id=r.id,
                        conversation_id=r.conversation_id,
                        channel=Channel(r.channel),
                        chat_id=r.chat_id,
                        reply=Reply.from_json(r.payload),
                        kind=r.kind,
                        attempts=r.attempts,
                    )
                    for r in rows
                ]
            if not claimed:
                return 0
            by_conversation: dict[int, list[OutboundMessage]] = defaultdict(list)
            for message in claimed:
                by_conversation[message.conversation_id].append(message)
            results: dict[int, SendResult | None] = {}
            await asyncio.gather(*(self._send_in_order(msgs, results) for msgs in by_conversation.values()))
            await self._record(claimed, results)
            return len(claimed)

    async def _send_in_order(
        self, messages: list[OutboundMessage], results: dict[int, SendResult | None]
    ) -> None:
        async with self._concurrency:
            blocked = False
            for message in messages:
                if blocked:
                    results[message.id] = None  # held back behind a retried row
                    continue
                sender = self._senders[message.channel.value]
                await self._limiters[message.channel.value].acquire(message.chat_id)
                try:
                    result = await sender.send(message)
                except Exception as exc:
                    log.warning("send of outbox row %s failed: %s", message.id, type(exc).__name__)
                    result = SendResult(
                        ok=False, retry_after=backoff(message.attempts), error=type(exc).__name__
                    )
                results[message.id] = result
                blocked = not result.ok and result.retry_after is not None

    async def _record(self, claimed: list[OutboundMessage], results: dict[int, SendResult | None]) -> None:
        now = self._clock()
        retry_at: dict[int, datetime] = {}
        async with self._db.write() as session:
            for message in claimed:
                result = results.get(message.id)
                values: dict[str, object]
                if result is None:
                    values = {
                        "status": OutboxStatus.PENDING.value,
                        "next_attempt_at": retry_at.get(message.conversation_id, now),
                    }
                elif result.ok:
                    values = {
                        "status": OutboxStatus.SENT.value,
                        "sent_at": now,
                        "platform_message_id": result.platform_message_id[:128],
                        "attempts": message.attempts + 1,
                    }
                elif result.held:
                    values = {"status": OutboxStatus.HELD.value, "error": result.error[:300]}
                elif result.retry_after is not None and message.attempts + 1 < MAX_ATTEMPTS:
                    when = now + timedelta(seconds=result.retry_after)
                    retry_at[message.conversation_id] = when
                    values = {
                        "status": OutboxStatus.PENDING.value,
                        "next_attempt_at": when,
                        "attempts": message.attempts + 1,
                        "error": result.error[:300],
                    }
                else:
                    values = {
                        "status": OutboxStatus.FAILED.value,
                        "attempts": message.attempts + 1,
                        "error": (result.error or "gave up after retries")[:300],
                    }
                await session.execute(
                    update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values)
                )
