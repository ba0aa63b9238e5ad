"""The inbox writer: stores inbound messages under their unique id, with group commit.

``submit`` returns only after the rows are committed, so an adapter may acknowledge the platform
(HTTP 200) as soon as it returns: a crash afterwards loses nothing, and a redelivery of the same
message id is recognised and dropped here. Concurrent submits share one transaction, which lets
the service go past the disk's commit rate. Delivery reports (WhatsApp's statuses, up to three
per message sent) join the same transaction through ``submit_reports``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from bot.background import cancel_and_wait
from bot.messages import ConversationKey, InboundMessage
from storage.db import Database
from storage.repositories import DeliveryReport, InboxRepository, NewInbox, OutboxRepository

log = logging.getLogger(__name__)

OnNew = Callable[[list[ConversationKey]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class _Pending:
    messages: Sequence[InboundMessage]
    rows: list[NewInbox]
    future: asyncio.Future[list[bool]]


@dataclass(frozen=True, slots=True)
class _Reports:
    reports: Sequence[DeliveryReport]
    future: asyncio.Future[list[DeliveryReport]]


class InboxWriter:
    def __init__(self, db: Database, on_new: OnNew, *, max_batch: int = 500) -> None:
        self._db = db
        self._on_new = on_new
        self._max_batch = max_batch
        self._queue: list[_Pending | _Reports] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._waiting = 0  # submissions not answered yet: queued or in the commit under way

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="inbox-writer")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    @property
    def backlog(self) -> int:
        """Submissions waiting for their commit (each is a webhook waiting for its 200)."""
        return self._waiting

    async def submit(self, messages: Sequence[InboundMessage]) -> list[bool]:
        """Store the messages; return, per message, True if new and False if already stored."""
        if not messages:
            return []
        rows = [
            NewInbox(m.channel.value, m.message_id, m.chat_id, m.payload_json(), m.received_at)
            for m in messages
        ]  # built here, not while the write lock is held
        future: asyncio.Future[list[bool]] = asyncio.get_running_loop().create_future()
        return cast(list[bool], await self._enqueue(_Pending(messages, rows, future)))

    async def submit_reports(self, reports: Sequence[DeliveryReport]) -> list[DeliveryReport]:
        """Apply delivery reports in the next group commit; return those no sent message matches yet.

        All reports of a commit go in two statements, in a savepoint: if they fail, they raise
        here and the messages' inserts still commit.
        """
        if not reports:
            return []
        future: asyncio.Future[list[DeliveryReport]] = asyncio.get_running_loop().create_future()
        return cast(list[DeliveryReport], await self._enqueue(_Reports(reports, future)))

    async def _enqueue(self, item: _Pending | _Reports) -> object:
        self._queue.append(item)
        self._wake.set()
        self._waiting += 1
        try:
            return await item.future
        finally:
            self._waiting -= 1

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                await self._commit_next()

    def _take(self) -> list[_Pending | _Reports]:
        batch: list[_Pending | _Reports] = []
        size = 0
        while self._queue and (not batch or size + _size(self._queue[0]) <= self._max_batch):
            item = self._queue.pop(0)
            batch.append(item)
            size += _size(item)
        return batch

    async def _commit_next(self) -> None:
        """Commit what is queued once the write lock is ours: what arrived while waiting joins in."""
        batch: list[_Pending | _Reports] = []
        try:
            async with self._db.write(urgent=True) as session:
                batch = self._take()
                pending = [item for item in batch if isinstance(item, _Pending)]
                reports = [item for item in batch if isinstance(item, _Reports)]
                rows: dict[tuple[str, str], NewInbox] = {}
                for item in pending:  # arrival order (it becomes the processing order); first copy wins
                    for row in item.rows:
                        rows.setdefault((row.channel, row.message_id), row)
                inserted = await InboxRepository.insert_new(session, list(rows.values()))
                reported = await _apply(session, reports)
        except Exception as exc:
            batch = batch or self._take()
            log.exception("inbox commit failed for %d submissions", len(batch))
            for failed in batch:
                if not failed.future.done():
                    failed.future.set_exception(exc)
            return
        for report in reports:
            if report.future.done():
                continue  # the webhook went away
            if isinstance(reported, Exception):
                report.future.set_exception(reported)
            else:
                report.future.set_result([r for r in report.reports if r.platform_message_id not in reported])
        claimed: set[tuple[str, str]] = set()
        keys: dict[ConversationKey, None] = {}
        for item in pending:
            result = []
            for m in item.messages:
                ident = (m.channel.value, m.message_id)
                is_new = ident in inserted and ident not in claimed
                claimed.add(ident)
                result.append(is_new)
                if is_new:
                    keys[m.key] = None
            if not item.future.done():
                item.future.set_result(result)
        if keys:
            await self._on_new(list(keys))


def _size(item: _Pending | _Reports) -> int:
    return len(item.rows if isinstance(item, _Pending) else item.reports)


async def _apply(session: AsyncSession, items: list[_Reports]) -> set[str] | Exception:
    """The batch's delivery reports in arrival order, in a savepoint: the ids recorded, or the error."""
    reports = [report for item in items for report in item.reports]
    if not reports:
        return set()
    try:
        async with session.begin_nested():
            return await OutboxRepository.apply_delivery_reports(session, reports)
    except Exception as exc:
        log.exception("%d delivery reports failed; the inserts go on", len(reports))
        return exc
