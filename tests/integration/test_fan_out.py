"""The fan-out writes one outbox row per reachable subscriber of a RW and its RTs, a chunk per
transaction (one ``INSERT ... SELECT``), on SQLite and PostgreSQL; a fan-out stopped between two
chunks and taken up by another process writes the rest, none twice (bot.broadcast_store)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select, update

from bot.area_store import AreaStore
from bot.areas import load_sample_areas
from bot.broadcast_store import Broadcaster, BroadcastStore
from handlers.services import broadcasts
from handlers.services.actor import Actor
from handlers.types import Reply
from storage.broadcast_repository import BroadcastRepository, ChunkTaken
from storage.db import Database
from storage.models import Conversation, OutboxMessage
from storage.models.areas import Broadcast, Subscription
from storage.repositories import ConversationRepository

pytestmark = pytest.mark.usefixtures("installed_key")
NOW = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
RW = "sukamaju-wetan/rw02"


async def subscribers(db: Database) -> set[str]:
    """23 chats on the RW and its RTs (one on two of them), 2 of them unreachable, 3 elsewhere."""
    async with db.write() as session:
        areas = AreaStore(session)
        here = [await areas.get(RW)] + [await areas.get(f"{RW}/rt{n:03d}") for n in range(1, 6)]
        elsewhere = await areas.get("pondok-jati/rw01")
        assert elsewhere is not None and all(here)
        keys = [("telegram", f"c{i:02d}") for i in range(26)]
        convs = await ConversationRepository.lock_or_create(session, keys, NOW)
        rows = [
            {"conversation_id": convs[k].id, "area_id": (here[i % 6] if i < 23 else elsewhere).id, "created_at": NOW}  # type: ignore[union-attr]
            for i, k in enumerate(keys)
        ]  # fmt: skip
        rows.append({"conversation_id": convs[keys[0]].id, "area_id": here[3].id, "created_at": NOW})  # type: ignore[union-attr]
        await session.execute(insert(Subscription), rows)
        gone = [convs[keys[5]].id, convs[keys[17]].id]
        await session.execute(update(Conversation).where(Conversation.id.in_(gone)).values(unreachable=True))
    return {f"c{i:02d}" for i in range(23)} - {"c05", "c17"}


async def test_a_fan_out_in_chunks_writes_each_reachable_subscriber_once(database: Database) -> None:
    await load_sample_areas(database)
    expected = await subscribers(database)
    async with database.write() as session:
        record = await broadcasts.send(
            BroadcastStore(session), Actor.system("op"), RW, text="Air mati besok pukul 08.00", now=NOW
        )
    first = Broadcaster(database, lambda: NOW, chunk=4, pause=0)
    for _ in range(3):  # three chunks, then the process stops
        assert await first.step()
    async with database.session() as session:
        row = await session.get(Broadcast, record.id)
        assert row is not None and row.status == "queued" and 0 < row.recipients <= 12
    await Broadcaster(database, lambda: NOW, chunk=4, pause=0).run_until_idle()  # another takes it up
    async with database.session() as session:
        rows = (
            (await session.execute(select(OutboxMessage).where(OutboxMessage.broadcast_id == record.id)))
            .scalars()
            .all()
        )
        done = await session.get(Broadcast, record.id)
        pending = await session.scalar(select(func.count()).where(OutboxMessage.status == "pending"))
    assert sorted(r.chat_id for r in rows) == sorted(expected)  # once each, none unreachable or elsewhere
    assert done is not None and done.status == "fanned_out" and done.recipients == len(expected)
    assert pending == len(expected)
    assert {r.kind for r in rows} == {"broadcast"} and {r.attempts for r in rows} == {0}
    assert {r.created_at for r in rows} == {NOW} and {r.next_attempt_at for r in rows} == {NOW}
    assert {Reply.from_json(r.payload).text for r in rows} == {
        broadcasts.message_text(record.kind, record.area, record.text, None)
    }  # sealed once, read back by every row
    assert not await first.step()  # nothing more to do


async def test_a_chunk_another_process_wrote_first_is_rolled_back(database: Database) -> None:
    await load_sample_areas(database)
    expected = await subscribers(database)
    async with database.write() as session:
        record = await broadcasts.send(BroadcastStore(session), Actor.system("op"), RW, text="Ronda", now=NOW)
    async with database.session() as session:  # this process looks at the chunk to write ...
        repo = BroadcastRepository(session)
        stale = await repo.next_queued()
        assert stale is not None
        areas = await AreaStore(session).repo.descendant_ids(stale.area_id)
        chunk = await repo.next_chunk(stale, areas, 5)
    assert await Broadcaster(database, lambda: NOW, chunk=5, pause=0).step()  # ... another writes it first
    with pytest.raises(ChunkTaken):
        async with database.write() as session:
            await BroadcastRepository(session).fan_out_chunk(
                stale, areas, {("telegram", "id"): ["{}"]}, NOW, chunk
            )
    await Broadcaster(database, lambda: NOW, chunk=5, pause=0).run_until_idle()
    async with database.session() as session:
        chats = (
            await session.scalars(
                select(OutboxMessage.chat_id).where(OutboxMessage.broadcast_id == record.id)
            )
        ).all()
    assert sorted(chats) == sorted(expected)  # none twice
