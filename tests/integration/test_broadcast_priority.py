"""The relay's claim puts serta merta notices first and RT/RW broadcasts after replies, however
many broadcast rows wait (storage.outbox_claims), and keeps each conversation's order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.types import Reply
from storage.db import Database
from storage.models.pipeline import OutboxKind
from storage.outbox_claims import ClaimRepository
from storage.repositories import ConversationRepository, OutboxRepository

pytestmark = pytest.mark.usefixtures("installed_key")
NOW = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)


async def queue(db: Database, chat: str, kind: OutboxKind, texts: list[str], at: datetime) -> None:
    async with db.write() as session:
        convs = await ConversationRepository.lock_or_create(session, [("telegram", chat)], at)
        OutboxRepository.add(session, convs[("telegram", chat)], [Reply(text=t).to_json() for t in texts], at,
                             kind=kind.value)  # fmt: skip


async def claim(db: Database, room: int) -> list[str]:
    async with db.write() as session:
        await ClaimRepository.register(session, "r1", "here", 1, NOW)
        await ClaimRepository.serialise(session)
        ids = await ClaimRepository.claim(
            session, "r1", {"telegram": room}, NOW + timedelta(minutes=5), NOW, 10
        )
    async with db.session() as session:
        rows = await ClaimRepository.claimed(session, ids)
    return [Reply.from_json(r.payload).text for r in rows]


async def test_urgent_first_then_replies_then_broadcasts(database: Database) -> None:
    for n in range(60):  # an older broadcast to many chats
        await queue(database, f"b{n}", OutboxKind.BROADCAST, [f"broadcast {n}"], NOW)
    await queue(database, "citizen", OutboxKind.REPLY, ["an answer"], NOW + timedelta(seconds=1))
    await queue(database, "flood", OutboxKind.URGENT, ["banjir"], NOW + timedelta(seconds=2))
    assert set(await claim(database, 3)) == {"banjir", "an answer", "broadcast 0"}  # not broadcasts 1, 2


async def test_one_conversations_order_is_kept(database: Database) -> None:
    await queue(database, "x", OutboxKind.BROADCAST, ["older broadcast"], NOW)
    await queue(database, "x", OutboxKind.REPLY, ["newer reply"], NOW + timedelta(seconds=1))
    assert await claim(database, 1) == ["older broadcast"]  # the reply waits behind its own chat's row


async def test_an_unknown_kind_is_refused(database: Database) -> None:
    """The claim looks for due rows a kind at a time: a row of another kind would never be sent."""
    async with database.write() as session:
        convs = await ConversationRepository.lock_or_create(session, [("telegram", "x")], NOW)
        with pytest.raises(ValueError):
            OutboxRepository.add(
                session, convs[("telegram", "x")], [Reply(text="?").to_json()], NOW, kind="memo"
            )
