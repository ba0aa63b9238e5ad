"""The encrypted attachment store: KTP photos, deeds and powers of attorney.

A KTP photo is personal data of high risk (UU 27/2022 Pasal 4(2)): the bytes and the file name
are kept only as AES-GCM ciphertext, in the ``attachments`` table, so they are backed up,
replicated and erased together with the rest of the database. A ref is random and says nothing.
Channel adapters ``put`` what a citizen sends before the message enters the pipeline; the
request form links the ref to the request it belongs to.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import Crypto
from storage.db import Database
from storage.models.areas import Broadcast
from storage.models.requests import StoredAttachment

MAX_BYTES = 10 * 1024 * 1024  # larger files are refused by the adapter before upload
_PURPOSE = "attachment.data"
_NAME_PURPOSE = "attachment.name"


class AttachmentTooLarge(ValueError):
    pass


class AttachmentNotFound(KeyError):
    pass


def new_ref() -> str:
    return f"att_{secrets.token_urlsafe(18)}"


def sealed(
    crypto: Crypto, data: bytes, mime_type: str, file_name: str, at: datetime, request_id: int | None = None
) -> StoredAttachment:
    """A new attachment row: the bytes and the name sealed under a new random ref."""
    if len(data) > MAX_BYTES:
        raise AttachmentTooLarge(f"{len(data)} bytes; at most {MAX_BYTES}")
    ref = new_ref()
    return StoredAttachment(
        ref=ref,
        mime_type=mime_type[:100],
        size=len(data),
        file_name_enc=crypto.encrypt_text(file_name, _NAME_PURPOSE + ref) if file_name else None,
        data_enc=crypto.encrypt(data, _PURPOSE + ref),
        created_at=at,
        request_id=request_id,
    )


async def file_head(session: AsyncSession, crypto: Crypto, ref: str, size: int = 16) -> bytes | None:
    """The first bytes of a stored file (its signature), None when there is no such file."""
    row = await session.get(StoredAttachment, ref)
    return crypto.decrypt(row.data_enc, _PURPOSE + ref)[:size] if row is not None else None


class AttachmentStore:
    """``put(data, mime_type, file_name) -> ref`` and ``get(ref) -> bytes``, each in its own
    transaction; :meth:`add` for callers that already hold a session."""

    def __init__(self, db: Database, crypto: Crypto, clock: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self._crypto = crypto
        self._clock = clock or (lambda: datetime.now(UTC))

    def add(self, session: AsyncSession, data: bytes, mime_type: str, file_name: str = "") -> str:
        row = sealed(self._crypto, data, mime_type, file_name, self._clock())
        session.add(row)
        return row.ref

    async def put(self, data: bytes, mime_type: str, file_name: str = "") -> str:
        async with self._db.write() as session:
            return self.add(session, data, mime_type, file_name)

    async def get(self, ref: str) -> bytes:
        async with self._db.session() as session:
            row = await session.get(StoredAttachment, ref)
        if row is None:
            raise AttachmentNotFound(ref)
        return self._crypto.decrypt(row.data_enc, _PURPOSE + ref)

    async def file_name(self, ref: str) -> str:
        async with self._db.session() as session:
            row = await session.get(StoredAttachment, ref)
        if row is None:
            raise AttachmentNotFound(ref)
        return self._crypto.decrypt_text(row.file_name_enc, _NAME_PURPOSE + ref) if row.file_name_enc else ""

    async def purge_unlinked(self, before: datetime) -> int:
        """Delete attachments never linked to a request (an abandoned form) older than ``before``;
        a broadcast's photo or PDF is linked to its broadcast and stays."""
        async with self._db.write() as session:
            broadcast_refs = select(Broadcast.attachment_ref).where(Broadcast.attachment_ref.is_not(None))
            refs = (
                await session.scalars(
                    select(StoredAttachment.ref).where(
                        StoredAttachment.request_id.is_(None),
                        StoredAttachment.created_at < before,
                        StoredAttachment.ref.not_in(broadcast_refs),
                    )
                )
            ).all()
            if refs:
                await session.execute(delete(StoredAttachment).where(StoredAttachment.ref.in_(refs)))
            return len(refs)
