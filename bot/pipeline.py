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
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.inbox import InboxWriter
from bot.locks import KeyedScheduler
from bot.messages import ConversationKey, InboundMessage
from handlers import router
from handlers.context import HandlerContext
from handlers.texts import t
from handlers.types import Channel, ConversationInfo, ConversationState, Reply
from storage.db import Database
from storage.models import Conversation, InboxMessage
from storage.models.pipeline import InboxStatus
from storage.repositories import ConversationRepository, InboxRepository, OutboxRepository

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
ContextFactory = Callable[[AsyncSession, ConversationInfo, datetime], HandlerContext]
OnCommitted = Callable[[int], None]


class Pipeline:
    def __init__(
        self,
        db: Database,
        context_factory: ContextFactory,
        clock: Clock,
        *,
        workers: int = 2,
        batch_size: int = 64,
        on_committed: OnCommitted | None = None,
    ) -> None:
        self._db = db
        self._context_factory = context_factory
        self._clock = clock
        self._workers = workers
        self._batch_size = batch_size
        self._on_committed = on_committed or (lambda _n: None)
        self._scheduler: KeyedScheduler[ConversationKey] = KeyedScheduler()
        self._inbox = InboxWriter(db, self._scheduler.mark)
        self._tasks: list[asyncio.Task[None]] = []
        self._idle = asyncio.Condition()
        self.before_commit: Callable[[], Awaitable[None]] | None = None  # fault injection in tests
        self.retry_pause = 1.0

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

    async def wait_idle(self, seconds: float = 30.0) -> None:
        """Wait until every stored message has been handled (for the CLI chat and tests)."""
        async with asyncio.timeout(seconds), self._idle:
            await self._idle.wait_for(lambda: self._scheduler.idle)

    async def _work(self) -> None:
        while True:
            keys = await self._scheduler.take(self._batch_size)
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
        now = self._clock()
        replies = 0
        async with self._db.write() as session:
            raw_keys = [(k.channel.value, k.chat_id) for k in keys]
            conversations = await ConversationRepository.lock_or_create(session, raw_keys, now)
            rows = await InboxRepository.pending(session, raw_keys)
            for row in rows:
                conversation = conversations[(row.channel, row.chat_id)]
                replies += await self._handle(session, conversation, row, now)
            if self.before_commit:
                await self.before_commit()
        if replies:
            self._on_committed(replies)

    async def _handle(
        self, session: AsyncSession, conv: Conversation, row: InboxMessage, now: datetime
    ) -> int:
        user_input, _sender, source = InboundMessage.input_from_json(row.payload)
        state = ConversationState.from_json(conv.state)
        info = ConversationInfo(
            id=conv.id,
            channel=Channel(conv.channel),
            chat_id=conv.chat_id,
            received_at=row.received_at,
            source=conv.source or source,
        )
        try:
            async with session.begin_nested():
                outcome = await router.dispatch(user_input, state, self._context_factory(session, info, now))
                conv.state = outcome.state.to_json()
                conv.mode = outcome.state.mode.value
                conv.lang = outcome.state.lang.value
                if source and not conv.source:
                    conv.source = source[:128]
                payloads = [r.to_json() for r in outcome.replies]
                OutboxRepository.add(session, conv, payloads, now, in_reply_to=row.id)
                await session.flush()
            status, error = InboxStatus.PROCESSED, ""
        except Exception as exc:
            await session.refresh(conv)  # the savepoint's rollback expired it
            ref = uuid.uuid4().hex[:8]
            log.exception("handler failed [ref=%s conversation=%s inbox=%s]", ref, conv.id, row.id)
            apology = Reply(text=t("internal_error", state.lang, ref=ref))
            payloads = [apology.to_json()]
            OutboxRepository.add(session, conv, payloads, now, in_reply_to=row.id)
            status, error = InboxStatus.FAILED, f"{ref} {type(exc).__name__}"[:200]
        conv.updated_at = now
        conv.last_inbound_at = row.received_at
        row.status = status.value
        row.processed_at = now
        row.error = error
        return len(payloads)
