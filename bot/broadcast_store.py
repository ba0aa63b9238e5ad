"""``handlers.services.broadcasts.BroadcastPort`` on storage, and the fan-out worker.

The :class:`Broadcaster` runs in the serving process: it takes the next queued broadcast
(serta merta first) and writes its subscribers' outbox rows a chunk per short transaction, so the
webhooks' inbox commits (urgent writers of the SQLite gate) go between two chunks. A chunk is one
``INSERT ... SELECT`` (no Python per row), and a short pause between chunks leaves the event loop to
the webhooks: measured with ``bench/broadcast.py``, 500-row chunks built in Python held the writer
and the loop for up to 80-160 ms on a loaded machine, and the acknowledgements' p99 with them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.accounts import actor_of as account_actor
from bot.area_store import AreaStore
from bot.background import cancel_and_wait
from handlers.area_ports import AreaRecord
from handlers.services.actor import Actor
from handlers.services.broadcasts import (
    BroadcastRecord,
    Figures,
    Kind,
    NewBroadcast,
    Status,
    message_text,
    serta_merta_entry_id,
    serta_merta_title,
)
from handlers.services.ports import AuditEntry
from handlers.types import Reply
from storage.accounts import AccountRepository, AuditRepository
from storage.area_repository import AreaRepository
from storage.broadcast_repository import BroadcastRepository, ChunkTaken
from storage.db import Database
from storage.models.areas import Broadcast

log = logging.getLogger(__name__)

CHUNK = 100  # outbox rows per fan-out transaction (one INSERT ... SELECT: a few ms of the writer)
PAUSE = 0.01  # seconds between two chunks: the event loop serves the webhooks (up to ~10,000 rows/s,
# far ahead of any platform's send rate, so the relay never waits for the fan-out)


class BroadcastStore:
    def __init__(self, session: AsyncSession, *, now: datetime | None = None) -> None:
        self.areas = AreaStore(session, now=now)
        self.repo = BroadcastRepository(session)
        self.session = session

    async def area(self, key: str) -> AreaRecord | None:
        return await self.areas.get(key)

    async def create(self, new: NewBroadcast) -> int:
        broadcast_id = await self.repo.create(
            kind=new.kind.value, area_id=new.area_id, text=new.text, entry_id=new.entry_id,
            created_by=new.created_by, created_at=new.created_at, status=new.status.value,
        )  # fmt: skip
        if new.kind is Kind.SERTA_MERTA:
            area = await self.areas.get_by_id(new.area_id)
            year = new.created_at.year
            title = serta_merta_title(new.text, area.label if area else "")
            keywords = ["serta merta", "informasi darurat", *([area.name, area.label] if area else [])]
            await self.repo.publish_in_register(
                serta_merta_entry_id(year, broadcast_id), title, new.text, keywords, year, new.created_at
            )
        return broadcast_id

    async def _record(self, row: Broadcast) -> BroadcastRecord:
        area = await self.areas.get_by_id(row.area_id)
        assert area is not None
        return BroadcastRecord(
            id=row.id, kind=Kind(row.kind), area=area, text=row.text, entry_id=row.entry_id,
            created_by=row.created_by, created_at=row.created_at, status=Status(row.status),
            recipients=row.recipients, decided_by=row.decided_by,
        )  # fmt: skip

    async def get(self, broadcast_id: int) -> BroadcastRecord | None:
        row = await self.repo.get(broadcast_id)
        return await self._record(row) if row else None

    async def recent(self, limit: int = 50) -> Sequence[BroadcastRecord]:
        return [await self._record(r) for r in await self.repo.recent(limit)]

    async def count_since(self, created_by: str, since: datetime) -> int:
        return await self.repo.count_since(created_by, since)

    async def set_status(self, broadcast_id: int, status: Status, decided_by: str) -> None:
        await self.repo.set_status(broadcast_id, status.value, decided_by)

    async def entry(self, entry_id: str) -> tuple[str, str] | None:
        return await self.repo.entry(entry_id)

    async def awaiting(self) -> Sequence[BroadcastRecord]:
        return [await self._record(r) for r in await self.repo.awaiting()]

    async def approvers(self, area_id: int) -> frozenset[str]:
        return await self.areas.approvers(area_id)

    async def figures(self, broadcast_id: int) -> Figures:
        counts, reasons = await self.repo.figures(broadcast_id)
        total: dict[str, int] = {}
        for (status, delivery), n in counts.items():
            if status in ("pending", "sending"):
                total["queued"] = total.get("queued", 0) + n
            elif status == "sent":
                total["sent"] = total.get("sent", 0) + n
                if delivery in ("delivered", "read"):
                    total["delivered"] = total.get("delivered", 0) + n
                if delivery == "read":
                    total["read"] = total.get("read", 0) + n
                if delivery == "failed":
                    total["failed"] = total.get("failed", 0) + n
            elif status in ("failed", "held", "shed"):
                total[status] = total.get(status, 0) + n
        return Figures(**total, reasons=reasons)

    async def audit(self, entry: AuditEntry) -> None:
        await AuditRepository(self.session).add(
            entry.at, entry.actor, entry.action.value, entry.target, entry.detail
        )


class Broadcaster:
    """Fans queued broadcasts out into the outbox, a chunk per transaction, restart-safe."""

    def __init__(
        self, db: Database, clock: Callable[[], datetime], *, chunk: int = CHUNK, pause: float = PAUSE
    ) -> None:
        self._db = db
        self._clock = clock
        self._chunk = chunk
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.on_rows: Callable[[], None] = lambda: None  # the relay's wake-up
        self._prepared: dict[int, tuple[str, list[int]]] = {}  # broadcast id -> payload, its areas
        self.pause = pause

    def wake(self) -> None:
        self._wake.set()

    async def step(self) -> bool:
        """One chunk of the next queued broadcast; False when nothing is queued.

        Everything but the chunk's rows is read outside the write transaction (where the chunk
        ends too), so that it holds SQLite's single writer (and the webhooks' inbox commits behind
        it) only for the insert and the cursor's move."""
        async with self._db.session() as session:  # looking costs no write lock
            repo = BroadcastRepository(session)
            row = await repo.next_queued()
            if row is None:
                self._prepared.clear()
                return False
            prepared = self._prepared.get(row.id)
            if prepared is None:
                store = BroadcastStore(session)
                record = await store._record(row)
                entry = await repo.entry(row.entry_id) if row.entry_id else None
                text = message_text(record.kind, record.area, record.text, entry)
                area_ids = await store.areas.repo.descendant_ids(row.area_id)
                prepared = self._prepared[row.id] = (Reply(text=text).to_json(), area_ids)
            payload, area_ids = prepared
            chunk = await repo.next_chunk(row, area_ids, self._chunk)
        try:
            async with self._db.write() as session:
                written = await BroadcastRepository(session).fan_out_chunk(
                    row, area_ids, payload, self._clock(), chunk
                )
        except ChunkTaken:  # another process got there first: look again
            return True
        if written:
            self.on_rows()
        return True

    async def run_until_idle(self) -> None:
        """Fan out everything queued; each chunk is its own transaction, so waiting writers go between."""
        busy = True
        while busy:
            busy = await self.step()
            if busy and self.pause:
                await asyncio.sleep(self.pause)

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_until_idle()
            except Exception:
                log.exception("broadcast fan-out failed; will try again")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):  # another process (the CLI) may have queued one
                await asyncio.wait_for(self._wake.wait(), timeout=2.0)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="broadcaster")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None


async def actor_for(session: AsyncSession, username: str) -> Actor | None:
    """The console account ``username`` as an actor, with a coordinator's areas; None if unknown."""
    row = await AccountRepository(session).get(username.strip().lower())
    if row is None or row.disabled:
        return None
    keys = await AreaRepository(session).account_area_keys(row.id)
    return replace(account_actor(row), areas=frozenset(keys))
