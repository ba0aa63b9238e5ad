"""The inbox writer: stores inbound messages under their unique id, with group commit.

``submit`` returns only after the rows are committed, so an adapter may acknowledge the platform
(HTTP 200) as soon as it returns: a crash afterwards loses nothing, and a redelivery of the same
message id is recognised and dropped here. Concurrent submits share one transaction, which lets
the service go past the disk's commit rate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.messages import ConversationKey, InboundMessage
from storage.db import Database
from storage.repositories import InboxRepository, NewInbox

log = logging.getLogger(__name__)

OnNew = Callable[[list[ConversationKey]], Awaitable[None]]


class InboxWriter:
    def __init__(self, db: Database, on_new: OnNew, *, max_batch: int = 500) -> None:
        self._db = db
        self._on_new = on_new
        self._max_batch = max_batch
        self._queue: list[tuple[Sequence[InboundMessage], asyncio.Future[list[bool]]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="inbox-writer")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def submit(self, messages: Sequence[InboundMessage]) -> list[bool]:
        """Store the messages; return, per message, True if new and False if already stored."""
        if not messages:
            return []
        future: asyncio.Future[list[bool]] = asyncio.get_running_loop().create_future()
        self._queue.append((messages, future))
        self._wake.set()
        return await future

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                batch: list[tuple[Sequence[InboundMessage], asyncio.Future[list[bool]]]] = []
                size = 0
                while self._queue and (not batch or size + len(self._queue[0][0]) <= self._max_batch):
                    item = self._queue.pop(0)
                    batch.append(item)
                    size += len(item[0])
                await self._commit(batch)

    async def _commit(self, batch: list[tuple[Sequence[InboundMessage], asyncio.Future[list[bool]]]]) -> None:
        rows: dict[tuple[str, str], NewInbox] = {}
        for messages, _ in batch:
            for m in messages:
                rows.setdefault(
                    (m.channel.value, m.message_id),
                    NewInbox(m.channel.value, m.message_id, m.chat_id, m.payload_json(), m.received_at),
                )
        try:
            async with self._db.write(urgent=True) as session:
                inserted = await InboxRepository.insert_new(session, list(rows.values()))
        except Exception as exc:
            log.exception("inbox commit failed for %d messages", len(rows))
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        claimed: set[tuple[str, str]] = set()
        keys: dict[ConversationKey, None] = {}
        for messages, future in batch:
            result = []
            for m in messages:
                ident = (m.channel.value, m.message_id)
                is_new = ident in inserted and ident not in claimed
                claimed.add(ident)
                result.append(is_new)
                if is_new:
                    keys[m.key] = None
            if not future.done():
                future.set_result(result)
        if keys:
            await self._on_new(list(keys))
