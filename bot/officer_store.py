"""The officer services' unit of work on the database: one write transaction per action.

:class:`OfficerStore` is the request store plus the outbox (the requester's notice) and the audit
log, all on the same session, so an action and its notice commit together.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.request_store import RequestStore
from handlers.services.ports import AuditEntry, Document
from handlers.types import Attachment, Lang, Reply
from storage.accounts import AuditRepository
from storage.attachments import sealed
from storage.crypto import Crypto
from storage.db import Database
from storage.models import Conversation
from storage.repositories import OutboxRepository


class OfficerStore(RequestStore):
    """Implements :class:`handlers.services.ports.OfficerPort`."""

    def __init__(self, session: AsyncSession, crypto: Crypto) -> None:
        super().__init__(session, crypto)
        self._crypto = crypto
        self._audit = AuditRepository(session)

    async def notify(
        self, conversation_id: int | None, text: Callable[[Lang], str], at: datetime,
        attachment: Attachment | None = None,
    ) -> bool:  # fmt: skip
        conversation = await self.session.get(Conversation, conversation_id) if conversation_id else None
        if conversation is None:
            return False
        lang = Lang.EN if conversation.lang == Lang.EN.value else Lang.ID
        reply = Reply(text=text(lang), attachment=attachment)
        OutboxRepository.add(self.session, conversation, [reply.to_json()], at, kind="notice")
        return True

    async def store_document(self, document: Document, request_id: int | None, at: datetime) -> Attachment:
        row = sealed(self._crypto, document.data, document.mime_type, document.file_name, at, request_id)
        self.session.add(row)
        return Attachment(row.ref, row.mime_type, row.size, document.file_name)

    async def audit(self, entry: AuditEntry) -> None:
        await self._audit.add(entry.at, entry.actor, entry.action.value, entry.target, entry.detail)

    async def erasable_requesters(self, last_activity_before: datetime, final: Sequence[str]) -> list[int]:
        return await self.rows.erasable_requesters(last_activity_before, final)

    async def erase_requesters(
        self, ids: Sequence[int], *, actor: str, at: datetime, messages_before: datetime | None = None
    ) -> int:
        return await self.rows.erase_requesters(ids, actor=actor, at=at, messages_before=messages_before)


class OfficerUnitOfWork:
    """``async with uow() as store``: a write transaction committed when the block ends."""

    def __init__(self, db: Database, crypto: Crypto) -> None:
        self.db = db
        self.crypto = crypto

    @contextlib.asynccontextmanager
    async def __call__(self) -> AsyncIterator[OfficerStore]:
        async with self.db.write() as session:
            yield OfficerStore(session, self.crypto)
