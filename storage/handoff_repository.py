"""Conversations waiting for an officer, and a conversation's messages, for the console.

Rows only (payloads decrypted by their column type); ``bot.handoff_desk`` reads them. Nothing here
writes conversation state: the pipeline alone does.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Conversation, InboxMessage, OutboxMessage
from storage.models.pipeline import InboxStatus

HUMAN = "human"


class HandoffRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def waiting(self, limit: int = 500) -> list[Conversation]:
        """Conversations in human mode (an officer has them, or is asked for)."""
        stmt = select(Conversation).where(Conversation.mode == HUMAN).order_by(Conversation.id).limit(limit)
        return list((await self.session.scalars(stmt)).all())

    async def get(self, conversation_id: int) -> Conversation | None:
        return await self.session.get(Conversation, conversation_id)

    async def inbound(self, conversation: Conversation, limit: int = 200) -> list[InboxMessage]:
        stmt = (
            select(InboxMessage)
            .where(
                InboxMessage.status.in_([s.value for s in InboxStatus]),  # the index starts with status
                InboxMessage.channel == conversation.channel,
                InboxMessage.chat_id == conversation.chat_id,
            )
            .order_by(InboxMessage.id.desc())
            .limit(limit)
        )
        return list((await self.session.scalars(stmt)).all())

    async def outbound(self, conversation_id: int, limit: int = 200) -> list[OutboxMessage]:
        stmt = (
            select(OutboxMessage)
            .where(OutboxMessage.conversation_id == conversation_id)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
        return list((await self.session.scalars(stmt)).all())
