"""The inbox writer: stores inbound messages under their unique id, with group commit.

``submit`` returns only after the rows are committed, so an adapter may acknowledge the platform
(HTTP 200) as soon as it returns: a crash afterwards loses nothing, and a redelivery of the same
message id is recognised and dropped here. Concurrent submits share one transaction, which lets
the service go past the disk's commit rate. Delivery reports (WhatsApp's statuses, up to three
per message sent) join the same transaction through ``submit_reports``.

A bad row fails alone: ids longer than their columns are refused before they are queued, and
when a group commit fails anyway (a byte the database refuses, say), its submissions are written
again each in its own savepoint, so only the one at fault gets the error.
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
MAX_ID_CHARS = 128  # String(128): inbox.message_id and inbox.chat_id (storage/models/pipeline.py)


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
        """Store the messages; return, per message, True if new and False if already stored.

        Raises ``ValueError`` (nothing stored) when an id does not fit its column.
        """
        if not messages:
            return []
        for m in messages:
            if len(m.message_id) > MAX_ID_CHARS or len(m.chat_id) > MAX_ID_CHARS:
                raise ValueError(f"{m.channel.value} message or chat id longer than {MAX_ID_CHARS}")
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
            try:
                async with self._db.write(urgent=True) as session:
                    batch = self._take()
                    inserted, refused, reported = await _store(session, batch, one_by_one=False)
            except Exception:
                if sum(isinstance(item, _Pending) for item in batch) < 2:
                    raise
                log.warning("inbox group commit of %d submissions failed; one by one now", len(batch))
                async with self._db.write(urgent=True) as session:
                    inserted, refused, reported = await _store(session, batch, one_by_one=True)
        except Exception as exc:
            batch = batch or self._take()
            log.exception("inbox commit failed for %d submissions", len(batch))
            for failed in batch:
                if not failed.future.done():
                    failed.future.set_exception(exc)
            return
        for item, error in refused:
            if not item.future.done():
                item.future.set_exception(error)
        refused_ids = {id(item) for item, _ in refused}
        pending = [item for item in batch if isinstance(item, _Pending) and id(item) not in refused_ids]
        reports = [item for item in batch if isinstance(item, _Reports)]
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


async def _store(
    session: AsyncSession, batch: list[_Pending | _Reports], *, one_by_one: bool
) -> tuple[set[tuple[str, str]], list[tuple[_Pending, Exception]], set[str] | Exception]:
    """Insert the batch's messages and apply its reports: (ids inserted, refused submissions, reports).

    ``one_by_one`` puts each submission in its own savepoint: one the database refuses fails alone.
    """
    pending = [item for item in batch if isinstance(item, _Pending)]
    reports = [item for item in batch if isinstance(item, _Reports)]
    inserted: set[tuple[str, str]] = set()
    refused: list[tuple[_Pending, Exception]] = []
    groups = [[item] for item in pending] if one_by_one else [pending]
    for group in groups:
        rows: dict[tuple[str, str], NewInbox] = {}
        for item in group:  # arrival order (it becomes the processing order); first copy wins
            for row in item.rows:
                if (row.channel, row.message_id) not in inserted:
                    rows.setdefault((row.channel, row.message_id), row)
        if not one_by_one:
            inserted |= await InboxRepository.insert_new(session, list(rows.values()))
            continue
        try:
            async with session.begin_nested():
                inserted |= await InboxRepository.insert_new(session, list(rows.values()))
        except Exception as exc:
            log.exception("an inbox submission of %d messages was refused; the others go on", len(rows))
            refused.append((group[0], exc))
    return inserted, refused, await _apply(session, reports)


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
