"""Repositories of the message pipeline: conversations, inbox and outbox.

Keys are ``(channel, chat_id)`` tuples; every method runs inside the caller's session.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Conversation, InboxMessage, OutboxMessage
from storage.models.pipeline import InboxStatus, OutboxStatus

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class NewInbox:
    channel: str
    message_id: str
    chat_id: str
    payload: str
    received_at: datetime


def _insert(session: AsyncSession) -> type[postgresql.Insert] | type[sqlite.Insert]:
    return sqlite.Insert if session.bind.dialect.name == "sqlite" else postgresql.Insert


@dataclass(slots=True)
class ConversationRow:
    id: int
    channel: str
    chat_id: str
    state: str
    source: str
    last_inbound_at: datetime | None


@dataclass(frozen=True, slots=True)
class InboxRow:
    id: int
    channel: str
    chat_id: str
    message_id: str
    payload: str
    received_at: datetime


def new_outbox_values(
    conversation_id: int,
    channel: str,
    chat_id: str,
    payload: str,
    now: datetime,
    *,
    kind: str = "reply",
    in_reply_to: int | None = None,
) -> dict[str, object]:
    """Column values of a new outbox row (for bulk inserts)."""
    return {
        "conversation_id": conversation_id,
        "channel": channel,
        "chat_id": chat_id,
        "payload": payload,
        "kind": kind,
        "in_reply_to": in_reply_to,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
        "platform_message_id": "",
        "delivery_state": "",
        "error": "",
    }


class InboxRepository:
    @staticmethod
    async def insert_new(session: AsyncSession, rows: Sequence[NewInbox]) -> set[tuple[str, str]]:
        """Insert rows whose (channel, message_id) is not stored yet; return the new ones' ids."""
        if not rows:
            return set()
        insert = _insert(session)
        stmt = (
            insert(InboxMessage)
            .values(
                [
                    {
                        "channel": r.channel,
                        "message_id": r.message_id,
                        "chat_id": r.chat_id,
                        "payload": r.payload,
                        "received_at": r.received_at,
                        "status": InboxStatus.PENDING.value,
                        "error": "",
                    }
                    for r in rows
                ]
            )
            .on_conflict_do_nothing(index_elements=["channel", "message_id"])
            .returning(InboxMessage.channel, InboxMessage.message_id)
        )
        result = await session.execute(stmt)
        return {(c, m) for c, m in result.all()}

    @staticmethod
    async def pending_rows(session: AsyncSession, keys: Sequence[Key]) -> list[InboxRow]:
        """Unprocessed messages of these conversations, in arrival order (plain rows, no ORM state)."""
        if not keys:
            return []
        columns = (
            InboxMessage.id,
            InboxMessage.channel,
            InboxMessage.chat_id,
            InboxMessage.message_id,
            InboxMessage.payload,
            InboxMessage.received_at,
        )
        wanted = set(keys)
        stmt = (
            select(*columns)
            .where(
                InboxMessage.status == InboxStatus.PENDING.value,
                InboxMessage.chat_id.in_({chat for _, chat in wanted}),  # expanding IN: one cached statement
                InboxMessage.channel.in_({channel for channel, _ in wanted}),
            )
            .order_by(InboxMessage.id)
        )
        rows = (await session.execute(stmt)).all()
        return [InboxRow(*r) for r in rows if (r.channel, r.chat_id) in wanted]

    @staticmethod
    async def pending_keys(session: AsyncSession) -> list[Key]:
        """Conversations with unprocessed messages (recovery after a restart)."""
        stmt = (
            select(InboxMessage.channel, InboxMessage.chat_id, InboxMessage.id)
            .where(InboxMessage.status == InboxStatus.PENDING.value)
            .order_by(InboxMessage.id)
        )
        seen: dict[Key, None] = {}
        for channel, chat_id, _ in (await session.execute(stmt)).all():
            seen[(channel, chat_id)] = None
        return list(seen)


class ConversationRepository:
    @staticmethod
    async def _create_missing(session: AsyncSession, ordered: Sequence[Key], now: datetime) -> None:
        """Insert the conversations that do not exist yet (one cached statement, run as executemany)."""
        existing = await session.execute(
            select(Conversation.channel, Conversation.chat_id).where(
                Conversation.chat_id.in_({chat for _, chat in ordered})
            )
        )
        missing = set(ordered) - {(c, i) for c, i in existing.all()}
        if not missing:
            return
        insert = _insert(session)
        await session.execute(
            insert(Conversation).on_conflict_do_nothing(index_elements=["channel", "chat_id"]),
            [
                {
                    "channel": c,
                    "chat_id": i,
                    "state": "",
                    "mode": "bot",
                    "lang": "id",
                    "source": "",
                    "opd": "",
                    "unreachable": False,
                    "created_at": now,
                    "updated_at": now,
                }
                for c, i in sorted(missing)
            ],
        )

    @staticmethod
    def _locked(session: AsyncSession, stmt: Any) -> Any:
        return stmt if session.bind.dialect.name == "sqlite" else stmt.with_for_update()

    @staticmethod
    async def lock_or_create(
        session: AsyncSession, keys: Iterable[Key], now: datetime
    ) -> dict[Key, Conversation]:
        """Create missing conversations, then load them all, row-locked on PostgreSQL.

        Locks are taken in key order so that two workers never deadlock.
        """
        ordered = sorted(set(keys))
        if not ordered:
            return {}
        await ConversationRepository._create_missing(session, ordered, now)
        stmt = (
            select(Conversation)
            .where(tuple_(Conversation.channel, Conversation.chat_id).in_(ordered))
            .order_by(Conversation.channel, Conversation.chat_id)
        )
        rows = (await session.scalars(ConversationRepository._locked(session, stmt))).all()
        return {(r.channel, r.chat_id): r for r in rows}

    @staticmethod
    async def lock_rows(
        session: AsyncSession, keys: Iterable[Key], now: datetime
    ) -> dict[Key, ConversationRow]:
        """As ``lock_or_create``, as plain rows (the pipeline's hot path avoids ORM bookkeeping)."""
        ordered = sorted(set(keys))
        if not ordered:
            return {}
        await ConversationRepository._create_missing(session, ordered, now)
        stmt = (
            select(
                Conversation.id,
                Conversation.channel,
                Conversation.chat_id,
                Conversation.state,
                Conversation.source,
                Conversation.last_inbound_at,
            )
            .where(tuple_(Conversation.channel, Conversation.chat_id).in_(ordered))
            .order_by(Conversation.channel, Conversation.chat_id)
        )
        rows = (await session.execute(ConversationRepository._locked(session, stmt))).all()
        return {(r[1], r[2]): ConversationRow(*r) for r in rows}

    @staticmethod
    async def get(session: AsyncSession, key: Key) -> Conversation | None:
        stmt = select(Conversation).where(Conversation.channel == key[0], Conversation.chat_id == key[1])
        return (await session.scalars(stmt)).first()


class OutboxRepository:
    @staticmethod
    def add(
        session: AsyncSession,
        conversation: Conversation,
        payloads: Iterable[str],
        now: datetime,
        *,
        kind: str = "reply",
        in_reply_to: int | None = None,
    ) -> list[OutboxMessage]:
        rows = [
            OutboxMessage(
                **new_outbox_values(
                    conversation.id,
                    conversation.channel,
                    conversation.chat_id,
                    payload,
                    now,
                    kind=kind,
                    in_reply_to=in_reply_to,
                )
            )
            for payload in payloads
        ]
        session.add_all(rows)
        return rows

    @staticmethod
    async def claim(
        session: AsyncSession, channels: Sequence[str], now: datetime, lease: timedelta, limit: int
    ) -> list[OutboxMessage]:
        """Take due rows for these channels, oldest first, and lease them to this relay.

        A leased row whose relay died becomes due again when the lease runs out. On PostgreSQL
        ``FOR UPDATE SKIP LOCKED`` lets several relays claim side by side.
        """
        stmt = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status.in_([OutboxStatus.PENDING.value, "sending"]),
                OutboxMessage.next_attempt_at <= now,
                OutboxMessage.channel.in_(list(channels)),
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if session.bind.dialect.name != "sqlite":
            stmt = stmt.with_for_update(skip_locked=True)
        rows = list((await session.scalars(stmt)).all())
        if rows:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_([r.id for r in rows]))
                .values(status="sending", next_attempt_at=now + lease)
                .execution_options(synchronize_session=False)
            )
        return rows

    @staticmethod
    async def for_conversation(
        session: AsyncSession, conversation_id: int, after_id: int, limit: int = 100
    ) -> list[OutboxMessage]:
        stmt = (
            select(OutboxMessage)
            .where(OutboxMessage.conversation_id == conversation_id, OutboxMessage.id > after_id)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return list((await session.scalars(stmt)).all())
