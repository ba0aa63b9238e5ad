"""Outgoing messages that did not go: held (e.g. outside WhatsApp's 24-hour window without a
template), failed for good (the platform refused), or shed in a flood; shown to officers with the
reason, and sent again on request.

A retry puts the row back to ``pending`` (attempts kept, reason cleared) in the same transaction as
its audit row; the relay then sends it in the conversation's order. An officer sees the rows of
conversations that concern one of their OPD (a request routed there, or a hand-off routed there);
the PPID Utama sees all. A row not visible is reported as not found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers import handoff
from handlers.domain.errors import DomainError
from handlers.services.actor import Actor, Permission, Role
from handlers.services.ports import AuditAction
from handlers.types import ConversationState, Reply
from storage.accounts import AuditRepository
from storage.db import Database
from storage.models import Conversation, OutboxMessage
from storage.models.pipeline import OutboxStatus
from storage.models.requests import InfoRequest

UNDELIVERED = (OutboxStatus.HELD.value, OutboxStatus.FAILED.value, OutboxStatus.SHED.value)
LIST_LIMIT = 200
PREVIEW = 120


class OutboxRowNotFound(DomainError):
    """Not an undelivered row, or not one the officer may see: the console answers 404."""


@dataclass(frozen=True, slots=True)
class Undelivered:
    id: int
    conversation_id: int
    channel: str
    kind: str
    status: str
    reason: str
    created_at: datetime
    attempts: int
    preview: str  # the text's beginning (an officer sees the conversation anyway)
    opds: tuple[str, ...]


class OutboxDesk:
    def __init__(self, db: Database, clock: Callable[[], datetime], wake: Callable[[], None]) -> None:
        self.db, self.clock, self.wake = db, clock, wake

    @staticmethod
    async def _opds(session: AsyncSession, conversation_ids: Iterable[int]) -> dict[int, set[str]]:
        ids = sorted(set(conversation_ids))
        found: dict[int, set[str]] = {i: set() for i in ids}
        if not ids:
            return found
        for conversation_id, opd in await session.execute(
            select(InfoRequest.conversation_id, InfoRequest.opd).where(InfoRequest.conversation_id.in_(ids))
        ):
            if conversation_id is not None and opd:
                found[conversation_id].add(opd)
        for row in (await session.scalars(select(Conversation).where(Conversation.id.in_(ids)))).all():
            opd = str(ConversationState.from_json(row.state).data.get(handoff.OPD, "") or "")
            if opd:
                found[row.id].add(opd)
        return found

    @staticmethod
    def _visible(actor: Actor, opds: set[str]) -> bool:
        if actor.role in (Role.ADMIN, Role.SYSTEM):
            return True
        return any(actor.may(Permission.ACT_ON_REQUEST, opd) for opd in opds)

    async def undelivered(self, actor: Actor, conversation_id: int | None = None) -> list[Undelivered]:
        """Held, failed and shed rows the actor may see, newest first."""
        stmt = select(OutboxMessage).where(OutboxMessage.status.in_(UNDELIVERED))
        if conversation_id is not None:
            stmt = stmt.where(OutboxMessage.conversation_id == conversation_id)
        stmt = stmt.order_by(OutboxMessage.id.desc()).limit(LIST_LIMIT)
        async with self.db.session() as session:
            rows = (await session.scalars(stmt)).all()
            opds = await self._opds(session, (r.conversation_id for r in rows))
        return [
            Undelivered(
                r.id,
                r.conversation_id,
                r.channel,
                r.kind,
                r.status,
                r.error,
                r.created_at,
                r.attempts,
                Reply.from_json(r.payload).text[:PREVIEW],
                tuple(sorted(opds[r.conversation_id])),
            )
            for r in rows
            if self._visible(actor, opds[r.conversation_id])
        ]

    async def retry(self, actor: Actor, row_id: int) -> None:
        """Back to ``pending``, to be sent in order; on record with the status and reason it had."""
        now = self.clock()
        async with self.db.write() as session:
            row = await session.get(OutboxMessage, row_id)
            if row is None or row.status not in UNDELIVERED:
                raise OutboxRowNotFound(str(row_id))
            opds = await self._opds(session, [row.conversation_id])
            if not self._visible(actor, opds[row.conversation_id]):
                raise OutboxRowNotFound(str(row_id))
            detail = f"{row.status}: {row.error}"[:300]
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.status.in_(UNDELIVERED))
                .values(status=OutboxStatus.PENDING.value, error="", owner="", next_attempt_at=now)
            )
            await AuditRepository(session).add(now, actor.label, AuditAction.OUTBOX_RETRY.value,
                                               f"outbox:{row_id}", detail)  # fmt: skip
        self.wake()
