"""Personal data at rest, at start-up: the key must be the data's, and chat addresses pseudonyms.

:func:`check_key` compares the key check value stored with the database with the installed
key's. The first start with a key stores it, after checking that data sealed before (an older
database) opens under this key, and moves the chats of pseudonymous channels (WhatsApp: the chat
id is the user's phone number) to their keyed pseudonym, keeping the number only sealed (UU
27/2022 Pasal 35-39: protect personal data by pseudonymisation and encryption).
"""

from __future__ import annotations

import contextlib
import hmac
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import datetime

from sqlalchemy import Text, delete, select, text, type_coerce, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import PSEUDONYM_PREFIX, SEALED_PREFIX, Crypto, DecryptionError
from storage.db import Database
from storage.models import Conversation, InboxMessage, OutboxMessage
from storage.models.pipeline import InboxStatus, OutboxStatus
from storage.models.privacy import KeyCheck
from storage.models.requests import Requester

_CHECK_ID = 1
_FINAL_OUTBOX = [OutboxStatus.SENT.value, OutboxStatus.FAILED.value, OutboxStatus.HELD.value]


class KeyMismatch(RuntimeError):
    """The installed key is not the one this database's personal data is sealed with."""


async def check_key(db: Database, crypto: Crypto, now: datetime, *, pseudonymous: Sequence[str] = ()) -> bool:
    """Refuse (:class:`KeyMismatch`) a key that is not the data's; True on the first start.

    The first start with a key stores its check value; data sealed before (a database from
    before the check value) must open under it, and the chats of the ``pseudonymous`` channels
    get their pseudonym in the same transaction. Two processes starting at once store one value.
    """
    async with db.write() as session:
        stored = await session.scalar(select(KeyCheck.value).where(KeyCheck.id == _CHECK_ID))
        if stored is not None:
            if not hmac.compare_digest(stored, crypto.key_check()):
                raise KeyMismatch("the installed key is not the key this database was sealed with")
            return False
        await _probe(session, crypto)
        await pseudonymise_chats(session, crypto, pseudonymous)
        insert = sqlite.insert if db.is_sqlite else postgresql.insert
        await session.execute(
            insert(KeyCheck)
            .values(id=_CHECK_ID, value=crypto.key_check(), created_at=now)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        stored = await session.scalar(select(KeyCheck.value).where(KeyCheck.id == _CHECK_ID))
        if stored is None or not hmac.compare_digest(stored, crypto.key_check()):
            raise KeyMismatch("another process stored the check value of a different key")
    if db.is_sqlite:
        await db.checkpoint()  # plain chat ids of older rows leave the WAL
    return True


async def _probe(session: AsyncSession, crypto: Crypto) -> None:
    """Open one value of each kind sealed before the check value existed (none: nothing to check)."""
    try:
        blob = await session.scalar(
            select(Requester.name_enc).where(Requester.name_enc.is_not(None)).limit(1)
        )
        if blob is not None:
            crypto.decrypt(blob, "requester.name")
        # the sealed columns open with the installed key: a wrong one raises DecryptionError here
        for column in (InboxMessage.payload, Conversation.state):
            stored_as_is = type_coerce(column, Text)  # else the pattern itself would be sealed
            await session.scalar(select(column).where(stored_as_is.like(SEALED_PREFIX + "%")).limit(1))
    except DecryptionError:
        raise KeyMismatch("the data in this database does not open with the installed key") from None


async def pseudonymise_chats(session: AsyncSession, crypto: Crypto, channels: Sequence[str]) -> int:
    """Give the chats of ``channels`` still keyed by their address a pseudonym; the address is sealed.

    Conversations, inbox and outbox rows alike; freed space is overwritten (SQLite), so the
    plain numbers do not stay in the file. Returns the conversations changed.
    """
    if not channels:
        return 0
    plain = Conversation.chat_id.not_like(PSEUDONYM_PREFIX + "%")
    async with secure_delete(session):
        found = (
            await session.execute(
                select(Conversation.id, Conversation.chat_id).where(Conversation.channel.in_(channels), plain)
            )
        ).all()
        for row_id, chat_id in found:
            await session.execute(
                update(Conversation)
                .where(Conversation.id == row_id)
                .values(chat_id=crypto.chat_pseudonym(chat_id), address=chat_id)
            )
        for model in (InboxMessage, OutboxMessage):
            chats = await session.scalars(
                select(model.chat_id)
                .distinct()
                .where(model.channel.in_(channels), model.chat_id.not_like(PSEUDONYM_PREFIX + "%"))
            )
            for chat_id in list(chats):
                await session.execute(
                    update(model)
                    .where(model.channel.in_(channels), model.chat_id == chat_id)
                    .values(chat_id=crypto.chat_pseudonym(chat_id))
                )
    return len(found)


@contextlib.asynccontextmanager
async def secure_delete(session: AsyncSession) -> AsyncIterator[None]:
    """SQLite: zero what the statements inside free (deleted rows, old versions of updated ones).

    Connections run with ``secure_delete=FAST`` (``storage.db``: freed space inside pages written
    anyway is zeroed); inside this block also freed pages are. The pragma is the connection's and
    is set back. PostgreSQL keeps old row versions until VACUUM: nothing to do here.
    """
    if session.bind.dialect.name != "sqlite":
        yield
        return
    await session.execute(text("PRAGMA secure_delete = ON"))
    try:
        yield
    finally:
        await session.execute(text("PRAGMA secure_delete = FAST"))


async def erase_conversations(
    session: AsyncSession, conversation_ids: Iterable[int], *, before: datetime, keep_open: Iterable[int] = ()
) -> int:
    """Erase the copies of personal data that chats hold: messages, form answers, the address.

    Inbox and outbox rows of these conversations from before ``before`` are deleted (the form's
    messages, its summary, the notices; rows still to be handled or sent stay). Conversations
    idle since then and not in ``keep_open`` (a chat with a request still kept) lose their state
    and their sealed address, and their ``session_epoch`` goes up, which ends web-chat sessions
    issued before. Freed space is overwritten on SQLite (:func:`secure_delete`); the caller
    checkpoints the WAL after the commit (``Database.checkpoint``). Returns the conversations reset.
    """
    ids = sorted(set(conversation_ids))
    if not ids:
        return 0
    chats = (
        await session.execute(
            select(Conversation.channel, Conversation.chat_id).where(Conversation.id.in_(ids))
        )
    ).all()
    async with secure_delete(session):
        for channel, chat_id in chats:
            await session.execute(
                delete(InboxMessage).where(
                    InboxMessage.channel == channel,
                    InboxMessage.chat_id == chat_id,
                    InboxMessage.status != InboxStatus.PENDING.value,
                    InboxMessage.received_at < before,
                )
            )
        await session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.conversation_id.in_(ids),
                OutboxMessage.status.in_(_FINAL_OUTBOX),
                OutboxMessage.created_at < before,
            )
        )
        reset = await session.execute(
            update(Conversation)
            .where(Conversation.id.in_(set(ids) - set(keep_open)), Conversation.updated_at < before)
            .values(state="", address=None, session_epoch=Conversation.session_epoch + 1)
            .execution_options(synchronize_session=False)
        )
    return int(reset.rowcount or 0)  # type: ignore[attr-defined]
