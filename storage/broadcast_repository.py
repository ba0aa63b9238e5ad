"""Broadcasts and their fan-out into the outbox, on the caller's session; nothing here commits.

The fan-out writes one outbox row per subscribed conversation, a chunk per transaction, and moves
the broadcast's cursor (the last conversation id written) in the same transaction: a crash
between chunks neither loses nor repeats a row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, and_, case, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Conversation, OutboxMessage
from storage.models.areas import Broadcast, BroadcastKind, BroadcastStatus, Subscription
from storage.models.knowledge import RegisterEntryRow
from storage.models.pipeline import OutboxKind, OutboxStatus

_OUTBOX = cast(Table, OutboxMessage.__table__)
UNSUBSCRIBED = "unsubscribed before it was sent"
# (channel, language) -> the payloads one subscriber gets, in order (an over-long text in parts)
Payloads = Mapping[tuple[str, str], Sequence[str]]


class ChunkTaken(Exception):
    """Another process wrote this chunk of the fan-out (or the broadcast is no longer queued)."""


class BroadcastRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(self, **values: object) -> int:
        row = Broadcast(cursor=0, recipients=0, decided_by="", **values)
        self.session.add(row)
        await self.session.flush()
        return row.id

    async def publish_in_register(
        self, entry_id: str, title: str, text: str, keywords: Sequence[str], year: int, now: datetime
    ) -> None:
        """A serta merta notice becomes a register entry (UU 14/2008 Pasal 10), so search finds it
        afterwards; the search index reloads when the register tables change."""
        self.session.add(
            RegisterEntryRow(
                id=entry_id, judul=title, ringkasan=text, kategori="serta_merta", opd="PPID",
                opd_singkatan="PPID", penanggung_jawab="PPID", bentuk="softcopy", tahun=year,
                retensi="", tautan="", kata_kunci="; ".join(keywords), alasan_pengecualian="",
                active=True, created_at=now, updated_at=now,
            )
        )  # fmt: skip
        await self.session.flush()

    async def get(self, broadcast_id: int) -> Broadcast | None:
        return await self.session.get(Broadcast, broadcast_id)

    async def recent(self, limit: int = 50) -> list[Broadcast]:
        stmt = select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)
        return list((await self.session.scalars(stmt)).all())

    async def count_since(self, created_by: str, since: datetime) -> int:
        stmt = select(func.count()).where(Broadcast.created_by == created_by, Broadcast.created_at >= since)
        return int(await self.session.scalar(stmt) or 0)

    async def set_status(self, broadcast_id: int, status: str, decided_by: str) -> None:
        await self.session.execute(
            update(Broadcast).where(Broadcast.id == broadcast_id).values(status=status, decided_by=decided_by)
        )

    async def awaiting(self) -> list[Broadcast]:
        stmt = (
            select(Broadcast)
            .where(Broadcast.status == BroadcastStatus.AWAITING_APPROVAL.value)
            .order_by(Broadcast.id)
        )
        return list((await self.session.scalars(stmt)).all())

    async def entry(self, entry_id: str) -> tuple[str, str] | None:
        """Title and link of an active register entry that is not exempt (Pasal 17)."""
        stmt = select(RegisterEntryRow.judul, RegisterEntryRow.tautan).where(
            RegisterEntryRow.id == entry_id,
            RegisterEntryRow.active.is_(True),
            RegisterEntryRow.kategori != "dikecualikan",
        )
        row = (await self.session.execute(stmt)).first()
        return (str(row[0]), str(row[1])) if row else None

    async def next_queued(self) -> Broadcast | None:
        """The broadcast to fan out next: serta merta first, then the oldest."""
        urgent_first = case((Broadcast.kind == BroadcastKind.SERTA_MERTA.value, 0), else_=1)
        stmt = (
            select(Broadcast)
            .where(Broadcast.status == BroadcastStatus.QUEUED.value)
            .order_by(urgent_first, Broadcast.id)
            .limit(1)
        )
        return (await self.session.scalars(stmt)).first()

    async def next_chunk(
        self, broadcast: Broadcast, area_ids: Sequence[int], size: int
    ) -> tuple[int | None, bool]:
        """Where the next chunk ends: (its last conversation id, whether it is the last chunk);
        ``(None, True)`` when no subscriber is left. Read before the write transaction."""
        subscribed = select(Subscription.conversation_id).where(
            Subscription.area_id.in_(area_ids), Subscription.conversation_id > broadcast.cursor
        )
        bound = await self.session.scalar(
            subscribed.distinct().order_by(Subscription.conversation_id).offset(size - 1).limit(1)
        )
        if bound is not None:
            return int(bound), False
        last = await self.session.scalar(
            select(func.max(Subscription.conversation_id)).where(
                Subscription.area_id.in_(area_ids), Subscription.conversation_id > broadcast.cursor
            )
        )
        return (int(last) if last is not None else None), True

    async def fan_out_chunk(
        self, broadcast: Broadcast, area_ids: Sequence[int], payloads: Payloads, now: datetime,
        chunk: tuple[int | None, bool],
    ) -> int:  # fmt: skip
        """Write the rows of the subscribers after the broadcast's cursor up to the chunk's bound
        (:meth:`next_chunk`), move the cursor there, and mark the broadcast done after the last.
        Returns the subscribers written to.

        Each subscriber gets the payloads of their channel and language (Indonesian when there are
        none in theirs), in order: an over-long announcement in parts. One ``INSERT ... SELECT`` per
        part (a ``CASE`` picks the payload), parts in order, so a conversation's rows keep the parts' order
        and the rows are made by the database from the subscriptions: no Python runs per row while
        the writer is held (nor on the event loop, where building, binding and sealing 500 rows one
        by one held the webhooks' acknowledgements up). A payload is sealed once per chunk: every
        row carries the same ciphertext of the same public text, which tells no more than the
        copies of the row do. Then the cursor moves only if it is still where this chunk began:
        otherwise another process wrote the chunk first, and :class:`ChunkTaken` rolls this
        transaction (and its rows) back.
        """
        bound, done = chunk
        written = 0
        if bound is not None:
            kind = (
                OutboxKind.URGENT
                if broadcast.kind == BroadcastKind.SERTA_MERTA.value
                else OutboxKind.BROADCAST
            )
            subscribed = select(Subscription.conversation_id).where(
                Subscription.area_id.in_(area_ids),
                Subscription.conversation_id > broadcast.cursor,
                Subscription.conversation_id <= bound,
            )
            depth = max((len(parts) for parts in payloads.values()), default=0)
            for part in range(depth):
                same: dict[
                    str, list[ColumnElement[bool]]
                ] = {}  # one statement per part, a CASE over payloads
                for (channel, lang), parts in payloads.items():
                    if part < len(parts):
                        same.setdefault(parts[part], []).append(_audience(payloads, channel, lang))
                sealed = _OUTBOX.c.payload.type
                choices = [(or_(*audiences), literal(payload, sealed)) for payload, audiences in same.items()]
                chosen = choices[0][1] if len(choices) == 1 else case(*choices)  # each payload sealed once
                everyone = or_(*(audience for audience, _ in choices))
                count = await self._insert_part(
                    broadcast, kind, chosen, now, (Conversation.id.in_(subscribed), everyone)
                )
                written += count if part == 0 else 0
        moved = await self.session.execute(
            update(Broadcast)
            .where(
                Broadcast.id == broadcast.id,
                Broadcast.status == BroadcastStatus.QUEUED.value,
                Broadcast.cursor == broadcast.cursor,
            )
            .values(
                cursor=bound if bound is not None else broadcast.cursor,
                recipients=Broadcast.recipients + written,
                **({"status": BroadcastStatus.FANNED_OUT.value, "fanned_out_at": now} if done else {}),
            )
            .execution_options(synchronize_session=False)
        )
        if not getattr(moved, "rowcount", 0):
            raise ChunkTaken(broadcast.id)
        return written

    async def _insert_part(
        self, broadcast: Broadcast, kind: OutboxKind, payload: ColumnElement[str], now: datetime,
        where: tuple[ColumnElement[bool], ...],
    ) -> int:  # fmt: skip
        o = _OUTBOX.c
        rows = select(
            Conversation.id, Conversation.channel, Conversation.chat_id,
            payload, literal(kind.value, o.kind.type),
            literal(OutboxStatus.PENDING.value, o.status.type), literal(0, o.attempts.type),
            literal(now, o.created_at.type), literal(now, o.next_attempt_at.type),
            literal("", o.platform_message_id.type), literal("", o.delivery_state.type),
            literal("", o.error.type), literal("", o.owner.type), literal(broadcast.id, o.broadcast_id.type),
        ).where(*where, Conversation.unreachable.is_(False)).order_by(Conversation.id)  # fmt: skip
        columns = [o.conversation_id, o.channel, o.chat_id, o.payload, o.kind, o.status, o.attempts,
                   o.created_at, o.next_attempt_at, o.platform_message_id, o.delivery_state, o.error,
                   o.owner, o.broadcast_id]  # fmt: skip
        result = await self.session.execute(
            insert(_OUTBOX).from_select(columns, rows, include_defaults=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def withdraw_unsent(self, conversation_id: int, broadcast_ids: Sequence[int]) -> int:
        """An unsubscribed chat's rows of these broadcasts that are not being sent yet: not sent."""
        if not broadcast_ids:
            return 0
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.conversation_id == conversation_id,
                OutboxMessage.broadcast_id.in_(broadcast_ids),
                OutboxMessage.status == OutboxStatus.PENDING.value,
            )
            .values(status=OutboxStatus.FAILED.value, error=UNSUBSCRIBED)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def pending_broadcasts_of(self, conversation_id: int) -> list[tuple[int, int]]:
        """(broadcast id, its area id) of the chat's broadcast rows still waiting to be sent."""
        stmt = select(Broadcast.id, Broadcast.area_id).where(
            Broadcast.id.in_(
                select(OutboxMessage.broadcast_id).where(
                    OutboxMessage.conversation_id == conversation_id,
                    OutboxMessage.broadcast_id.is_not(None),
                    OutboxMessage.status == OutboxStatus.PENDING.value,
                )
            )
        )
        return [(int(b), int(a)) for b, a in (await self.session.execute(stmt)).all()]

    async def figures(self, broadcast_id: int) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
        """Subscribers by (status, delivery state) of their rows of the broadcast, and failure reasons.

        A subscriber whose announcement went in parts counts once, at the least advanced of their
        rows: sent only when every part is sent, failed when any part failed."""
        o = OutboxMessage
        per_subscriber = (
            select(
                func.min(_STATUS_RANK).label("status"),
                func.min(case(*_DELIVERY_RANK, else_=1)).label("delivery"),
            )
            .where(o.broadcast_id == broadcast_id)
            .group_by(o.conversation_id)
            .subquery()
        )
        stmt = select(per_subscriber.c.status, per_subscriber.c.delivery, func.count()).group_by(
            per_subscriber.c.status, per_subscriber.c.delivery
        )
        counts: dict[tuple[str, str], int] = {}
        for status, delivery, n in (await self.session.execute(stmt)).all():
            key = (_STATUS_OF_RANK[int(status)], _DELIVERY_OF_RANK[int(delivery)])
            counts[key] = counts.get(key, 0) + int(n)
        failed = (
            select(o.error, func.count(func.distinct(o.conversation_id)))
            .where(
                o.broadcast_id == broadcast_id,
                o.status.in_([OutboxStatus.FAILED.value, OutboxStatus.HELD.value]),
            )
            .group_by(o.error)
        )
        reasons = {str(e)[:120]: int(n) for e, n in (await self.session.execute(failed)).all()}
        return counts, reasons


def _audience(payloads: Payloads, channel: str, lang: str) -> ColumnElement[bool]:
    """The conversations of ``channel`` that read ``lang``; Indonesian also takes every language
    the channel has no payloads of (the fan-out's default)."""
    # coalesce: a plain ``channel = ...`` lets SQLite walk the (channel, chat_id) index over every
    # chat of the channel instead of the chunk's few ids (measured: ~40 ms a chunk at 10,000 chats)
    on_channel = func.coalesce(Conversation.channel, "") == channel
    if lang != "id":
        return and_(on_channel, Conversation.lang == lang)
    others = [lg for ch, lg in payloads if ch == channel and lg != "id"]
    return and_(on_channel, Conversation.lang.not_in(others))


# a subscriber's rows, least advanced first: failed, shed, held, waiting, sent
_STATUS_OF_RANK = ("failed", "shed", "held", "pending", "sent")
_STATUS_RANK = case(
    (OutboxMessage.status == OutboxStatus.FAILED.value, 0),
    (OutboxMessage.status == OutboxStatus.SHED.value, 1),
    (OutboxMessage.status == OutboxStatus.HELD.value, 2),
    (OutboxMessage.status == OutboxStatus.SENT.value, 4),
    else_=3,
)
_DELIVERY_OF_RANK = ("failed", "", "delivered", "read")
_DELIVERY_RANK = (
    (OutboxMessage.delivery_state == "failed", 0),
    (OutboxMessage.delivery_state == "delivered", 2),
    (OutboxMessage.delivery_state == "read", 3),
)
