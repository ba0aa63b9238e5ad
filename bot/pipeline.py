"""From a stored inbound message to committed replies.

Workers take batches of conversations from the keyed scheduler (so one conversation is handled
by one worker at a time, in arrival order), lock their rows (``FOR UPDATE`` on PostgreSQL, so
several processes serialise too), load state *after* the lock, run the router, and commit the new
state, the domain rows, the outbox rows and the inbox rows' processed marks in **one**
transaction. Each message runs inside a SAVEPOINT: a handler that raises rolls back only its own
effects; the user gets an apology with a correlation id. A crash before the commit leaves the
inbox rows pending, and they are handled again after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.inbox import InboxWriter
from bot.locks import KeyedScheduler
from bot.messages import ConversationKey, InboundMessage
from handlers.context import HandlerContext
from handlers.router import Router
from handlers.texts import t
from handlers.types import Channel, ConversationInfo, ConversationState, Effect, Outcome, Reply
from storage.db import Database
from storage.models import Conversation, InboxMessage
from storage.models.pipeline import InboxStatus
from storage.repositories import (
    ConversationRepository,
    ConversationRow,
    DeliveryReport,
    InboxRepository,
    InboxRow,
    insert_outbox,
    new_outbox_values,
    update_rows,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
ContextFactory = Callable[[AsyncSession, ConversationInfo, datetime], HandlerContext]
# applies an outcome's effects (a gap observed, a question answered) on the message's transaction
EffectApplier = Callable[[AsyncSession, Sequence[Effect], str, datetime], Awaitable[None]]
OnCommitted = Callable[[int], None]


class Pipeline:
    def __init__(
        self,
        db: Database,
        context_factory: ContextFactory,
        clock: Clock,
        router: Router,
        *,
        workers: int = 2,
        batch_size: int = 64,
        on_committed: OnCommitted | None = None,
        apply_effects: EffectApplier | None = None,
    ) -> None:
        self._db = db
        self._apply_effects = apply_effects
        self._context_factory = context_factory
        self._clock = clock
        self._router = router
        self._workers = workers
        self._batch_size = batch_size
        self._on_committed = on_committed or (lambda _n: None)
        self._scheduler: KeyedScheduler[ConversationKey] = KeyedScheduler()
        self._inbox = InboxWriter(db, self._scheduler.mark)
        self._tasks: list[asyncio.Task[None]] = []
        self._idle = asyncio.Condition()
        self.before_commit: Callable[[], Awaitable[None]] | None = None  # fault injection in tests
        self.retry_pause = 1.0
        self.burst_backlog = 16  # SQLite: this many webhooks waiting for their inbox commit make a burst
        self.burst_batch_size = 4  # conversations per batch during a burst
        self.burst_slice_seconds = 0.002  # the slice during a burst
        self.burst_pause_seconds = 0.05  # during a burst, wait up to this long before each batch
        self.burst_turn_seconds = 0.025  # ... then handle messages for this long without waiting
        self.burst_linger_seconds = 0.02  # a burst lasts this long after webhooks last crowded in
        self.slice_seconds = 0.01  # SQLite: a batch gives way to a waiting inbox commit after this long
        self._burst_until = 0.0
        self._turn_until = 0.0
        self.on_processed: Callable[[list[tuple[str, str]]], None] | None = None  # (channel, message_id)

    async def start(self) -> None:
        """Start the writer and workers, then pick up whatever a previous run left pending."""
        self._inbox.start()
        self._tasks = [asyncio.create_task(self._work(), name=f"pipeline-{n}") for n in range(self._workers)]
        async with self._db.session() as session:
            pending = await InboxRepository.pending_keys(session)
        if pending:
            log.info("recovering %d conversations with unprocessed messages", len(pending))
            await self._scheduler.mark(ConversationKey(Channel(c), i) for c, i in pending)

    async def stop(self) -> None:
        await self._inbox.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def submit(self, messages: Sequence[InboundMessage]) -> list[bool]:
        """Store messages durably (returns after the commit); True per message that was new."""
        return await self._inbox.submit(messages)

    async def submit_reports(self, reports: Sequence[DeliveryReport]) -> list[DeliveryReport]:
        """Apply delivery reports with the next inbox commit; returns those for unrecorded sends."""
        return await self._inbox.submit_reports(reports)

    async def wait_idle(self, seconds: float = 30.0) -> None:
        """Wait until every stored message has been handled (for the CLI chat and tests)."""
        async with asyncio.timeout(seconds), self._idle:
            await self._idle.wait_for(lambda: self._scheduler.idle)

    async def _work(self) -> None:
        while True:
            await self._let_acks_through()
            keys = await self._scheduler.take(self._next_batch_size())
            try:
                await self._process(keys)
            except Exception:
                # The transaction rolled back: the messages stay pending. Retry after a pause.
                log.exception("batch of %d conversations failed; will retry", len(keys))
                await asyncio.sleep(self.retry_pause)
                await self._scheduler.mark(keys)  # pending again before release: never looks idle
                await self._scheduler.release(keys)
                continue
            await self._scheduler.release(keys)
            async with self._idle:
                self._idle.notify_all()

    async def _process(self, keys: list[ConversationKey]) -> None:
        """Handle a batch; if a handler raises, redo what is left of it with each message isolated."""
        try:
            await self._process_batch(keys, isolate=False)
        except _HandlerFailed:
            for key in keys:
                await self._process_batch([key], isolate=True)

    async def _process_batch(self, keys: list[ConversationKey], *, isolate: bool) -> None:
        """Lock and load the batch's conversations and pending messages, then handle them in order.

        Each message's effects (state, outbox rows, inbox mark) commit together. On SQLite the
        reads come before the write lock (see :meth:`_read_unlocked`), and the batch commits
        early when an inbox commit (a webhook's 200) waits and the slice is used up, lets it in,
        and goes on where it stopped, taking the write gate back ahead of every ordinary writer.
        """
        now = self._clock()
        raw_keys = [(k.channel.value, k.chat_id) for k in keys]
        read_first = self._db.gate is not None
        conversations, rows = await self._read_unlocked(raw_keys) if read_first else ({}, [])
        position = 0
        loaded = False
        while not loaded or position < len(rows):
            writes = _BatchWrites(now)
            async with self._db.write(resume=loaded) as session:
                if not loaded:
                    if read_first:  # SQLite: only the conversations not stored yet are left
                        missing = [key for key in raw_keys if key not in conversations]
                        locked = await ConversationRepository.create_rows(session, missing, now)
                    else:  # PostgreSQL: lock (creating what is missing), then read the messages
                        locked = await ConversationRepository.lock_rows(session, raw_keys, now)
                        rows = await InboxRepository.pending_rows(session, raw_keys)
                    conversations.update({key: _Conv.of(row) for key, row in locked.items()})
                    loaded = True
                started = time.monotonic()
                for row in rows[position:]:
                    if await self._give_way(started, writes):
                        break  # a webhook's 200 waits on the inbox: commit what we have, let it in
                    position += 1
                    conversation = conversations[(row.channel, row.chat_id)]
                    if isolate:
                        await self._handle_isolated(session, conversation, row, now, writes)
                        continue
                    try:
                        outcome = await self._dispatch(session, conversation, row, now)
                        await self._effects(session, conversation, outcome, now)
                    except Exception as exc:
                        raise _HandlerFailed from exc
                    writes.add(conversation, row, outcome.state, outcome.replies)
                await writes.flush(session)
                if self.before_commit:
                    await self.before_commit()
            if writes.reply_count:
                self._on_committed(writes.reply_count)
            if self.on_processed and writes.done:
                self.on_processed(writes.done)
            if position < len(rows):
                await asyncio.sleep(0)  # let the waiting inbox commit (and the webhooks) run

    async def _read_unlocked(
        self, raw_keys: list[tuple[str, str]]
    ) -> tuple[dict[tuple[str, str], _Conv], list[InboxRow]]:
        """SQLite: the batch's stored conversations and pending messages, read before the write lock.

        SQLite runs one pipeline worker, and it alone writes a conversation's state and marks its
        messages processed; other writers only insert inbox rows or set ``unreachable``, which
        the pipeline never writes. So what is read here is still current under the lock, and the
        write transaction (which the webhooks' inbox commits wait for) holds only the writes.
        """
        async with self._db.session() as session:
            stored = await ConversationRepository.rows(session, raw_keys)
            rows = await InboxRepository.pending_rows(session, raw_keys)
        return {key: _Conv.of(row) for key, row in stored.items()}, rows

    def _next_batch_size(self) -> int:
        """SQLite under a burst of webhooks: small batches, so their inbox commits wait less.

        Loading and writing a batch holds SQLite's only write lock, and the webhooks' 200s
        wait for it; replies may lag a burst, acknowledgements may not. Small batches cost
        throughput (more transactions), so they are taken only while acknowledgements queue.
        """
        return min(self._batch_size, self.burst_batch_size) if self._in_burst() else self._batch_size

    async def _let_acks_through(self) -> None:
        """SQLite under a burst: hold the next batch until the waiting inbox commits are done.

        Handling shares the event loop's one core with the webhooks; a burst is acknowledged
        first and answered right after. The pause is capped: when it runs out, handling gets a
        turn of ``burst_turn_seconds`` without pauses, so under a sustained overload replies
        keep a third of the time and do not fall ever further behind.
        """
        start = time.monotonic()
        if start < self._turn_until:
            return
        deadline = start + self.burst_pause_seconds
        while self._in_burst():
            if time.monotonic() >= deadline:
                self._turn_until = time.monotonic() + self.burst_turn_seconds
                return
            await asyncio.sleep(0.002)

    def _in_burst(self) -> bool:
        """SQLite: webhooks crowd in (enough of them wait, or did a moment ago): take small bites."""
        if self._db.gate is None:
            return False
        now = time.monotonic()
        if self._inbox.backlog >= self.burst_backlog:
            self._burst_until = now + self.burst_linger_seconds
            return True
        return now < self._burst_until

    async def _give_way(self, started: float, writes: _BatchWrites) -> bool:
        """SQLite: the slice is used up, something was done, and an inbox commit is waiting.

        Once the slice is up, each message first lets the event loop run once: handlers often
        never wait on anything, and a webhook cannot queue its inbox commit otherwise.
        """
        slice_seconds = self.burst_slice_seconds if self._in_burst() else self.slice_seconds
        if not self._db.gate or not writes.done or time.monotonic() - started <= slice_seconds:
            return False
        await asyncio.sleep(0)
        return self._db.urgent_waiting

    async def _dispatch(self, session: AsyncSession, conv: _Conv, row: InboxRow, now: datetime) -> Outcome:
        user_input, _sender, source, address = InboundMessage.input_from_json(row.payload)
        if source and not conv.source:
            conv.source = source[:128]
        if address and address != conv.address:  # a pseudonymous chat: keep (sealed) where to reply
            conv.address, conv.address_changed = address, True
        info = ConversationInfo(
            id=conv.id,
            channel=Channel(conv.channel),
            chat_id=conv.chat_id,
            received_at=row.received_at,
            source=conv.source,
        )
        return await self._router.dispatch(user_input, conv.state, self._context_factory(session, info, now))

    async def _effects(self, session: AsyncSession, conv: _Conv, outcome: Outcome, now: datetime) -> None:
        if outcome.effects and self._apply_effects is not None:
            await self._apply_effects(session, outcome.effects, conv.channel, now)

    async def _handle_isolated(
        self, session: AsyncSession, conv: _Conv, row: InboxRow, now: datetime, writes: _BatchWrites
    ) -> None:
        """The slow path: a SAVEPOINT per message, so a failing handler rolls back only its own effects."""
        try:
            async with session.begin_nested():
                outcome = await self._dispatch(session, conv, row, now)
                await self._effects(session, conv, outcome, now)
                await session.flush()
        except Exception as exc:
            ref = uuid.uuid4().hex[:8]
            log.exception("handler failed [ref=%s conversation=%s inbox=%s]", ref, conv.id, row.id)
            apology = Reply(text=t("internal_error", conv.state.lang, ref=ref))
            writes.add(conv, row, conv.state, (apology,), error=f"{ref} {type(exc).__name__}")
            return
        writes.add(conv, row, outcome.state, outcome.replies)


@dataclass(slots=True)
class _Conv:
    """A conversation while its batch runs: the stored row plus its parsed, evolving state."""

    id: int
    channel: str
    chat_id: str
    source: str
    state: ConversationState
    last_inbound_at: datetime | None
    address: str | None = None
    address_changed: bool = False

    @staticmethod
    def of(row: ConversationRow) -> _Conv:
        state = ConversationState.from_json(row.state)
        return _Conv(row.id, row.channel, row.chat_id, row.source, state, row.last_inbound_at, row.address)


class _HandlerFailed(Exception):
    """A handler raised in the fast path: the batch is rolled back and redone message by message."""


class _BatchWrites:
    """The batch's effects, written with three executemany statements just before the commit."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.outbox: list[dict[str, object]] = []
        self.inbox: list[dict[str, object]] = []
        self.conversations: dict[int, _Conv] = {}
        self.done: list[tuple[str, str]] = []
        self.reply_count = 0

    def add(
        self,
        conv: _Conv,
        row: InboxRow,
        state: ConversationState,
        replies: Sequence[Reply],
        *,
        error: str = "",
    ) -> None:
        conv.state = state
        conv.last_inbound_at = row.received_at
        self.conversations[conv.id] = conv
        self.outbox += [
            new_outbox_values(conv.id, conv.channel, conv.chat_id, r.to_json(), self.now, in_reply_to=row.id)
            for r in replies
        ]
        status = InboxStatus.FAILED if error else InboxStatus.PROCESSED
        self.inbox.append(
            {"row_id": row.id, "status": status.value, "processed_at": self.now, "error": error[:200]}
        )
        self.done.append((row.channel, row.message_id))
        self.reply_count += len(replies)

    async def flush(self, session: AsyncSession) -> None:
        if self.outbox:
            await insert_outbox(session, self.outbox)
        if self.inbox:
            await update_rows(session, InboxMessage, self.inbox)
        if self.conversations:
            await update_rows(
                session,
                Conversation,
                [
                    {
                        "row_id": c.id,
                        "state": c.state.to_json(),
                        "mode": c.state.mode.value,
                        "lang": c.state.lang.value,
                        "source": c.source,
                        "updated_at": self.now,
                        "last_inbound_at": c.last_inbound_at,
                    }
                    for c in self.conversations.values()
                ],
            )
            readdressed = [c for c in self.conversations.values() if c.address_changed]
            if readdressed:
                await update_rows(
                    session, Conversation, [{"row_id": c.id, "address": c.address} for c in readdressed]
                )
                for c in readdressed:
                    c.address_changed = False
