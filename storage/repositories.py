"""Repositories of the message pipeline: conversations, inbox and outbox.

Keys are ``(channel, chat_id)`` tuples; every method runs inside the caller's session.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Integer, String, Table, bindparam, case, select, tuple_, update
from sqlalchemy import insert as insert_core
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Conversation, InboxMessage, OutboxMessage
from storage.models.pipeline import InboxStatus, OutboxKind, OutboxStatus

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class NewInbox:
    channel: str
    message_id: str
    chat_id: str
    payload: str
    received_at: datetime


DELIVERY_RANK = {"": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}  # reports only move forward


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """A platform's report on a message this service sent (WhatsApp's statuses)."""

    platform_message_id: str
    state: str  # a key of DELIVERY_RANK
    reason: str = ""  # why it failed


def _on_sqlite(session: AsyncSession) -> bool:
    return session.bind.dialect.name == "sqlite"


def _insert_new(table: Table, unique: list[str]) -> dict[bool, Any]:
    """INSERT that skips rows whose ``unique`` key exists, per backend (key: is SQLite).

    SQLAlchemy's dialect ``Insert`` (``ON CONFLICT``) is not cached, so it would be compiled on
    every call; SQLite gets the plain, cached ``INSERT OR IGNORE`` (every column is always given,
    so the only constraint it can meet is the unique key; a foreign key still raises).
    """
    return {
        True: insert_core(table).prefix_with("OR IGNORE"),
        False: postgresql.insert(table).on_conflict_do_nothing(index_elements=unique),
    }


@dataclass(slots=True)
class ConversationRow:
    id: int
    channel: str
    chat_id: str
    state: str
    source: str
    last_inbound_at: datetime | None
    address: str | None = None  # sealed: where replies go when chat_id is a pseudonym


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


_INSERT_INBOX = {
    is_sqlite: stmt.returning(InboxMessage.channel, InboxMessage.message_id)
    for is_sqlite, stmt in _insert_new(cast(Table, InboxMessage.__table__), ["channel", "message_id"]).items()
}
_INSERT_CONVERSATIONS = _insert_new(cast(Table, Conversation.__table__), ["channel", "chat_id"])


_CONVERSATION_ROW = (
    Conversation.id,
    Conversation.channel,
    Conversation.chat_id,
    Conversation.state,
    Conversation.source,
    Conversation.last_inbound_at,
    Conversation.address,
)
_CREATE_CONVERSATIONS = _INSERT_CONVERSATIONS[True].returning(*_CONVERSATION_ROW)


def _new_conversations(keys: Iterable[Key], now: datetime) -> list[dict[str, object]]:
    return [
        {
            "channel": channel,
            "chat_id": chat_id,
            "state": "",
            "mode": "bot",
            "lang": "id",
            "source": "",
            "opd": "",
            "unreachable": False,
            "address": None,
            "session_epoch": 0,
            "created_at": now,
            "updated_at": now,
        }
        for channel, chat_id in sorted(keys)
    ]


_INSERT_OUTBOX = insert_core(cast(Table, OutboxMessage.__table__))
_UPDATE_BY_ID = {
    model: update(table).where(table.c.id == bindparam("row_id"))
    for model, table in ((m, cast(Table, m.__table__)) for m in (Conversation, InboxMessage, OutboxMessage))
}


async def insert_outbox(session: AsyncSession, rows: Sequence[dict[str, object]]) -> None:
    """New outbox rows (values from :func:`new_outbox_values`) as one executemany."""
    await session.execute(_INSERT_OUTBOX, list(rows))


async def update_rows(
    session: AsyncSession,
    model: type[Conversation] | type[InboxMessage] | type[OutboxMessage],
    rows: Sequence[dict[str, object]],
) -> None:
    """``UPDATE ... WHERE id = :row_id`` as one executemany of a cached statement.

    Each dict holds ``row_id`` and the new column values; all dicts name the same columns. Core,
    not the ORM's bulk update: the hot paths write many rows and need none of its bookkeeping.
    """
    await session.execute(_UPDATE_BY_ID[model], list(rows))


class InboxRepository:
    @staticmethod
    async def insert_new(session: AsyncSession, rows: Sequence[NewInbox]) -> set[tuple[str, str]]:
        """Insert rows whose (channel, message_id) is not stored yet; return the new ones' ids."""
        if not rows:
            return set()
        values = [
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
        ]  # executemany of one cached statement (a VALUES list would be compiled anew each time)
        result = await session.execute(_INSERT_INBOX[_on_sqlite(session)], values)
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


def _among(session: AsyncSession, keys: Sequence[Key]) -> list[ColumnElement[bool]]:
    """WHERE clauses for the conversations among ``keys``.

    SQLite scans the whole table for a row-value IN; two plain INs search the unique index, but
    may match extra pairs (callers drop them). PostgreSQL gets exactly these rows.
    """
    if _on_sqlite(session):
        return [
            Conversation.channel.in_({channel for channel, _ in keys}),
            Conversation.chat_id.in_({chat for _, chat in keys}),
        ]
    return [tuple_(Conversation.channel, Conversation.chat_id).in_(keys)]


class ConversationRepository:
    @staticmethod
    async def _create_missing(session: AsyncSession, ordered: Sequence[Key], now: datetime) -> None:
        """Insert the conversations that do not exist yet (one statement, run as executemany)."""
        existing = await session.execute(
            select(Conversation.channel, Conversation.chat_id).where(*_among(session, ordered))
        )
        missing = set(ordered) - {(c, i) for c, i in existing.all()}
        if missing:
            await session.execute(
                _INSERT_CONVERSATIONS[_on_sqlite(session)], _new_conversations(missing, now)
            )

    @staticmethod
    async def create_rows(
        session: AsyncSession, keys: Iterable[Key], now: datetime
    ) -> dict[Key, ConversationRow]:
        """SQLite: create the conversations for keys known to be missing, in one statement.

        A key stored meanwhile is skipped by the insert and read instead.
        """
        ordered = sorted(set(keys))
        if not ordered:
            return {}
        result = await session.execute(_CREATE_CONVERSATIONS, _new_conversations(ordered, now))
        created = {(r[1], r[2]): ConversationRow(*r) for r in result.all()}
        others = [key for key in ordered if key not in created]
        return created | await ConversationRepository.rows(session, others)

    @staticmethod
    def _locked(session: AsyncSession, stmt: Any) -> Any:
        return stmt if _on_sqlite(session) else stmt.with_for_update()

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
        return await ConversationRepository.rows(session, ordered, lock=True)

    @staticmethod
    async def rows(
        session: AsyncSession, keys: Iterable[Key], *, lock: bool = False
    ) -> dict[Key, ConversationRow]:
        """The stored conversations among ``keys``, as plain rows (locked on PostgreSQL if ``lock``)."""
        ordered = sorted(set(keys))
        if not ordered:
            return {}
        stmt = (
            select(*_CONVERSATION_ROW)
            .where(*_among(session, ordered))
            .order_by(Conversation.channel, Conversation.chat_id)
        )
        if lock and not _on_sqlite(session):  # SQLite locks no rows
            stmt = stmt.with_for_update()
        wanted = set(ordered)  # SQLite's filter may match extra pairs
        rows = (await session.execute(stmt)).all()
        return {(r[1], r[2]): ConversationRow(*r) for r in rows if (r[1], r[2]) in wanted}

    @staticmethod
    async def get(session: AsyncSession, key: Key) -> Conversation | None:
        stmt = select(Conversation).where(Conversation.channel == key[0], Conversation.chat_id == key[1])
        return (await session.scalars(stmt)).first()


_OUTBOX = cast(Table, OutboxMessage.__table__)
_FAILED = OutboxStatus.FAILED.value
_REPORT_RANK = bindparam("report_rank", type_=Integer)
_REPORTS_FAILURE = bindparam("report_rank", type_=Integer) == DELIVERY_RANK["failed"]
_APPLY_REPORT = (
    update(_OUTBOX)
    .where(
        _OUTBOX.c.platform_message_id == bindparam("report_id", type_=String),
        case(DELIVERY_RANK, value=_OUTBOX.c.delivery_state, else_=0) < _REPORT_RANK,
    )
    .values(
        delivery_state=bindparam("report_state", type_=String),
        status=case((_REPORTS_FAILURE, _FAILED), else_=_OUTBOX.c.status),
        error=case(
            (_REPORTS_FAILURE, bindparam("report_reason", type_=String)),
            else_=_OUTBOX.c.error,
        ),
    )
)  # one cached statement, run as an executemany over a commit's reports


class OutboxRepository:
    @staticmethod
    async def apply_delivery_reports(session: AsyncSession, reports: Sequence[DeliveryReport]) -> set[str]:
        """Move sent rows forward by the reports (sent < delivered < read; failed wins, with its reason).

        Returns the platform message ids that some outbox row holds: a report for any other id
        came before its send was recorded (or is not this service's). Two statements for any
        number of reports.
        """
        if not reports:
            return set()
        await session.execute(
            _APPLY_REPORT,
            [
                {
                    "report_id": r.platform_message_id,
                    "report_state": r.state,
                    "report_rank": DELIVERY_RANK[r.state],
                    "report_reason": r.reason[:300],
                }
                for r in reports
            ],
        )
        ids = {r.platform_message_id for r in reports}
        query = select(OutboxMessage.platform_message_id).where(OutboxMessage.platform_message_id.in_(ids))
        return set(await session.scalars(query))

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
        kind = OutboxKind(kind).value  # an unknown kind is refused: the relay claims a kind at a time
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
