"""SQLite's single writer: the gate's priorities, one driver trip per statement, batches that give way."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import aiosqlite.core
import pytest
from sqlalchemy import text

from bot.settings import Settings
from handlers.context import HandlerContext
from handlers.types import ConversationState, Outcome, Reply
from storage.db import Database, WriteGate
from storage.repositories import ConversationRepository
from tests.conftest import SECRET, make_runtime
from tests.fakes import ChatHarness, RecordingSender, inbound, text_handler


async def test_the_gate_serves_urgent_then_resumed_then_ordinary_writers() -> None:
    gate, order = WriteGate(), []
    await gate.acquire(WriteGate.NORMAL)

    async def writer(name: str, priority: int) -> None:
        await gate.acquire(priority)
        order.append(name)
        gate.release()

    tasks = [
        asyncio.create_task(writer(name, priority))
        for name, priority in [
            ("relay", WriteGate.NORMAL),
            ("batch resumes", WriteGate.RESUME),
            ("inbox", WriteGate.URGENT),
            ("next batch", WriteGate.NORMAL),
        ]
    ]
    await asyncio.sleep(0)
    assert gate.urgent_waiting
    gate.release()
    await asyncio.gather(*tasks)
    assert order == ["inbox", "batch resumes", "relay", "next batch"]


async def test_a_statement_is_one_trip_to_the_driver_thread(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    trips: list[str] = []
    real = aiosqlite.core.Connection._execute

    async def counted(self: aiosqlite.core.Connection, fn: object, *args: object, **kwargs: object) -> object:
        trips.append(getattr(fn, "__name__", "?"))
        return await real(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counted)
    async with sqlite_db.write() as session:
        await session.execute(text("CREATE TABLE t (x INTEGER)"))
        await session.execute(text("INSERT INTO t VALUES (:x)"), [{"x": 1}, {"x": 2}])
        rows = (await session.execute(text("SELECT x FROM t ORDER BY x"))).all()
    assert [r.x for r in rows] == [1, 2]
    assert trips == ["_run"] * 3 + ["commit"]  # BEGIN with the first of three statements, COMMIT; no rollback


handled: list[str] = []


async def _echo(text: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    handled.append(text)
    return Outcome((Reply(text=f"echo {text}"),), state)


@pytest.fixture
def echo_handler() -> Iterator[None]:
    handled.clear()
    with text_handler(_echo):
        yield


@pytest.mark.usefixtures("echo_handler")
async def test_a_batch_lets_inbox_commits_in_and_goes_on_in_order(sqlite_db: Database) -> None:
    sender = RecordingSender()
    # 40 replies to one chat at once: above the flood cap (TANYA_CHAT_BACKLOG) they would be shed
    runtime = make_runtime(sqlite_db, sender, settings=Settings(secret_key=SECRET, chat_backlog=100))
    runtime.pipeline.slice_seconds = 0.0  # give way after every message when an inbox commit waits
    chat = ChatHarness(runtime, sender)
    messages = [inbound(f"m{n}") for n in range(40)]
    late: list[bool] = []

    async def webhook_meanwhile() -> None:
        while not handled:  # noqa: ASYNC110 (the handler is the test's own)
            await asyncio.sleep(0)
        late.extend(await runtime.pipeline.submit([inbound("late", chat_id="u2")]))
        late.append(len(handled) < len(messages))  # stored while the batch was still going

    await runtime.start()
    meanwhile = asyncio.create_task(webhook_meanwhile())
    await runtime.pipeline.submit(messages)  # one commit, one conversation: one batch
    await meanwhile
    await chat.settle()
    await runtime.pipeline.stop()
    await runtime.relay.stop()
    assert late == [True, True]
    assert [r.text for r in sender.sent["u1"]] == [f"echo m{n}" for n in range(40)]
    assert [r.text for r in sender.sent["u2"]] == ["echo late"]


@pytest.mark.usefixtures("installed_key")
async def test_conversations_created_meanwhile_are_read_not_duplicated(sqlite_db: Database) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    async with sqlite_db.write() as session:
        existing = await ConversationRepository.lock_rows(session, [("web", "a")], now)
    async with sqlite_db.write() as session:
        rows = await ConversationRepository.create_rows(session, [("web", "b"), ("web", "a")], now)
    assert set(rows) == {("web", "a"), ("web", "b")}
    assert rows[("web", "a")].id == existing[("web", "a")].id
    async with sqlite_db.session() as session:
        count = (await session.execute(text("SELECT count(*) FROM conversations"))).scalar_one()
    assert count == 2


async def test_a_burst_of_waiting_webhooks_makes_the_batches_small(sqlite_db: Database) -> None:
    pipeline = make_runtime(sqlite_db, RecordingSender()).pipeline
    assert pipeline._next_batch_size() == 64
    # The pipeline is not started, so these submissions wait for their inbox commit, as the
    # webhooks of a burst do while a batch holds the write lock.
    waiting = [
        asyncio.create_task(pipeline.submit([inbound("halo", chat_id=f"u{n}")]))
        for n in range(pipeline.burst_backlog)
    ]
    await asyncio.sleep(0)
    assert pipeline._next_batch_size() == pipeline.burst_batch_size == 4
    for task in waiting:
        task.cancel()
    await asyncio.gather(*waiting, return_exceptions=True)


async def test_a_burst_holds_the_next_batch_until_the_webhooks_are_answered(sqlite_db: Database) -> None:
    pipeline = make_runtime(sqlite_db, RecordingSender()).pipeline
    pipeline.burst_linger_seconds = 0.0
    await pipeline._let_acks_through()  # no burst: no wait
    crowd = [
        asyncio.create_task(pipeline.submit([inbound("halo", chat_id=f"u{n}")]))
        for n in range(pipeline.burst_backlog)
    ]
    await asyncio.sleep(0)
    pipeline.burst_pause_seconds = 60.0
    held = asyncio.create_task(pipeline._let_acks_through())
    await asyncio.sleep(0.05)
    assert not held.done()  # webhooks wait for their 200: the batch waits for them
    pipeline.burst_pause_seconds = 0.05
    async with asyncio.timeout(5):
        await pipeline._let_acks_through()  # ... but never longer than the pause: replies go on
    pipeline.burst_pause_seconds = 60.0
    async with asyncio.timeout(5):
        await pipeline._let_acks_through()  # and then get a turn without waiting, though webhooks wait
    for task in crowd:
        task.cancel()
    await asyncio.gather(*crowd, return_exceptions=True)
    async with asyncio.timeout(5):
        await held  # the crowd is answered (here: gone): the batch goes


async def test_begin_goes_with_the_first_statement_and_an_empty_transaction_sends_nothing(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with sqlite_db.write() as session:
        await session.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY)"))
    trips: list[str] = []
    real = aiosqlite.core.Connection._execute

    async def counted(self: aiosqlite.core.Connection, fn: object, *args: object, **kwargs: object) -> object:
        trips.append(getattr(fn, "__name__", "?"))
        return await real(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counted)
    async with sqlite_db.write() as session:
        await session.connection()  # a transaction that runs nothing
    assert trips == []
    with pytest.raises(Exception, match="UNIQUE"):  # the first statement fails: nothing stays open
        async with sqlite_db.write() as session:
            await session.execute(text("INSERT INTO t VALUES (1), (1)"))
    async with sqlite_db.write() as session:  # the same pooled connection begins again
        await session.execute(text("INSERT INTO t VALUES (1)"))
        async with session.begin_nested():
            await session.execute(text("INSERT INTO t VALUES (2)"))
    async with sqlite_db.session() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar() == 2
        result = await session.stream(text("SELECT x FROM t ORDER BY x"))  # a server-side cursor
        assert [row.x async for row in result] == [1, 2]
