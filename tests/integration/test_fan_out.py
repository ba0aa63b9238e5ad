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


async def test_each_subscriber_gets_their_language_and_channel_in_ordered_parts(database: Database) -> None:
    """A long announcement: the parts of every subscriber in order, in English for one who writes
    English, in Indonesian for the others (whatever other language a chat has), one count each."""
    await load_sample_areas(database)
    async with database.write() as session:
        rw = await AreaStore(session).get(RW)
        assert rw is not None
        keys = [("telegram", "id1"), ("telegram", "en1"), ("web", "id2"), ("whatsapp", "xx1")]
        convs = await ConversationRepository.lock_or_create(session, keys, NOW)
        await session.execute(insert(Subscription), [
            {"conversation_id": convs[k].id, "area_id": rw.id, "created_at": NOW} for k in keys])  # fmt: skip
        langs = {"en1": "en", "xx1": "jv"}
        for (_, chat), conv in ((k, convs[k]) for k in keys):
            conv.lang = langs.get(chat, "id")
        text = "\n\n".join(f"Paragraf {n}: " + "kata " * 300 for n in range(4))  # ~6,000 characters
        record = await broadcasts.send(BroadcastStore(session), Actor.system("op"), RW, text=text, now=NOW)
    await Broadcaster(database, lambda: NOW, chunk=2, pause=0).run_until_idle()
    async with database.session() as session:
        rows = (
            await session.execute(
                select(OutboxMessage.chat_id, OutboxMessage.payload)
                .where(OutboxMessage.broadcast_id == record.id)
                .order_by(OutboxMessage.id)
            )
        ).all()
        done = await session.get(Broadcast, record.id)
    texts: dict[str, list[str]] = {}
    for chat, payload in rows:
        texts.setdefault(chat, []).append(Reply.from_json(payload).text)
    assert set(texts) == {"id1", "en1", "id2", "xx1"} and done is not None and done.recipients == 4
    for chat, parts in texts.items():
        assert len(parts) == 2 and parts[0].endswith("(1/2)") and parts[1].endswith("(2/2)"), chat
        assert "Paragraf 0" in parts[0] and "Paragraf 3" in parts[1], chat
    assert "stop subscription" in texts["en1"][-1]
    assert all("stop langganan" in texts[chat][-1] for chat in ("id1", "id2", "xx1"))
