"""``handlers.services.broadcasts.BroadcastPort`` on storage, and the fan-out worker.

The :class:`Broadcaster` runs in the serving process: it takes the next queued broadcast
(serta merta first) and writes its subscribers' outbox rows a chunk per short transaction, so the
webhooks' inbox commits (urgent writers of the SQLite gate) go between two chunks. A chunk is one
``INSERT ... SELECT`` per part and language (no Python per row), and a short pause between chunks
leaves the event loop to the webhooks: measured with ``bench/broadcast.py``, 500-row chunks built in
Python held the writer and the loop for up to 80-160 ms on a loaded machine, and the
acknowledgements' p99 with them.

Each subscriber gets the messages of their channel and language (an over-long announcement in
numbered parts, one outbox row each, in order); a photo or PDF rides on the first as a reference
into the sealed attachment store, whose bytes the relay sends once per platform and reuses.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.accounts import actor_of as account_actor
from bot.area_store import AreaStore
from bot.background import cancel_and_wait
from bot.settings import Settings
from handlers.area_ports import AreaRecord
from handlers.services.actor import Actor
from handlers.services.broadcasts import (
    PART_LIMITS,
    BroadcastRecord,
    BroadcastRules,
    Figures,
    Kind,
    NewBroadcast,
    Status,
    serta_merta_entry_id,
    serta_merta_title,
    subscriber_messages,
)
from handlers.services.ports import AuditEntry, Document
from handlers.types import Attachment, Lang
from storage.accounts import AccountRepository, AuditRepository
from storage.area_repository import AreaRepository
from storage.attachments import file_head, sealed
from storage.broadcast_repository import BroadcastRepository, ChunkTaken, Payloads
from storage.crypto import Crypto, NoKeyInstalled, installed
from storage.db import Database
from storage.models.areas import Broadcast

log = logging.getLogger(__name__)

CHUNK = 100  # subscribers per fan-out transaction (INSERT ... SELECT: a few ms of the writer)
PAUSE = 0.01  # seconds between two chunks: the event loop serves the webhooks (up to ~10,000 rows/s,
# far ahead of any platform's send rate, so the relay never waits for the fan-out)
ALL_PARTS = 1000  # the fan-out sends every part the service accepted, whatever the setting is now


class BroadcastStore:
    def __init__(
        self, session: AsyncSession, *, now: datetime | None = None, crypto: Crypto | None = None
    ) -> None:
        self.areas = AreaStore(session, now=now)
        self.repo = BroadcastRepository(session)
        self.session = session
        self._now = now
        self._crypto = crypto

    @property
    def crypto(self) -> Crypto:
        crypto = self._crypto or installed()
        if crypto is None:
            raise NoKeyInstalled("a broadcast's file is sealed at rest: no key is installed")
        return crypto

    async def area(self, key: str) -> AreaRecord | None:
        return await self.areas.get(key)

    async def create(self, new: NewBroadcast) -> int:
        file = new.attachment
        broadcast_id = await self.repo.create(
            kind=new.kind.value, area_id=new.area_id, text=new.text, entry_id=new.entry_id,
            created_by=new.created_by, created_at=new.created_at, status=new.status.value,
            attachment_ref=file.ref if file else None, attachment_type=file.mime_type if file else "",
            attachment_size=file.size if file else 0, attachment_name=file.file_name if file else "",
        )  # fmt: skip
        if new.kind is Kind.SERTA_MERTA and not new.entry_id:  # a published entry is in the register already
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
            recipients=row.recipients, decided_by=row.decided_by, attachment=attachment_of(row),
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

    async def store_file(self, document: Document) -> Attachment:
        at = self._now or datetime.now(UTC)
        row = sealed(self.crypto, document.data, document.mime_type, document.file_name, at)
        self.session.add(row)
        await self.session.flush()
        return Attachment(row.ref, row.mime_type, row.size, document.file_name)

    async def file_head(self, ref: str) -> bytes | None:
        return await file_head(self.session, self.crypto, ref)

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
        self._prepared: dict[int, tuple[Payloads, list[int]]] = {}  # broadcast id -> payloads, areas
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
                messages = {
                    (channel.value, lang.value): subscriber_messages(
                        record.kind,
                        record.area,
                        record.text,
                        entry,
                        record.attachment,
                        channel,
                        lang,
                        ALL_PARTS,
                    )
                    for channel in PART_LIMITS
                    for lang in Lang
                }
                payloads: Payloads = {key: [m.to_json() for m in ms] for key, ms in messages.items()}
                area_ids = await store.areas.repo.descendant_ids(row.area_id)
                prepared = self._prepared[row.id] = (payloads, area_ids)
            ready, area_ids = prepared
            chunk = await repo.next_chunk(row, area_ids, self._chunk)
        try:
            async with self._db.write() as session:
                written = await BroadcastRepository(session).fan_out_chunk(
                    row, area_ids, ready, self._clock(), chunk
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


def rules_from(settings: Settings) -> BroadcastRules:
    """The broadcast settings (``TANYA_BROADCAST_*``) as the service's rules."""
    return BroadcastRules(
        approval_required=settings.broadcast_approval,
        per_hour=settings.broadcast_per_hour,
        max_file_bytes=int(settings.broadcast_file_mb * 1024 * 1024),
        max_parts=settings.broadcast_max_parts,
    )


def attachment_of(row: Broadcast) -> Attachment | None:
    """The broadcast's photo or PDF, as a reference into the attachment store."""
    if not row.attachment_ref:
        return None
    return Attachment(row.attachment_ref, row.attachment_type, row.attachment_size, row.attachment_name)


async def actor_for(session: AsyncSession, username: str) -> Actor | None:
    """The console account ``username`` as an actor, with a coordinator's areas; None if unknown."""
    row = await AccountRepository(session).get(username.strip().lower())
    if row is None or row.disabled:
        return None
    keys = await AreaRepository(session).account_area_keys(row.id)
    return replace(account_actor(row), areas=frozenset(keys))
