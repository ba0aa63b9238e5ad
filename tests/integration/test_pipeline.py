"""The pipeline's guarantees, on SQLite and PostgreSQL: dedupe, order, isolation, recovery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import case, select, update

from handlers.context import HandlerContext
from handlers.types import ConversationState, Outcome, Reply
from storage.db import Database
from storage.models import InboxMessage, OutboxMessage
from storage.repositories import DeliveryReport, insert_outbox, new_outbox_values
from tests.conftest import make_runtime
from tests.fakes import ChatHarness, RecordingSender, inbound, text_handler

handled: list[tuple[str, str]] = []


async def _echo(text: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    handled.append((ctx.conversation.chat_id, text))
    await asyncio.sleep(0.001)
    if text == "boom":
        raise RuntimeError("handler bug")
    count = int(state.data.get("n", "0")) + 1
    return Outcome((Reply(text=f"echo {text} #{count}"),), state.with_(data={"n": str(count)}))


@pytest.fixture(autouse=True)
def echo_handler() -> Iterator[None]:
    handled.clear()
    with text_handler(_echo):
        yield


@pytest.fixture
async def chat(database: Database) -> AsyncIterator[ChatHarness]:
    sender = RecordingSender()
    runtime = make_runtime(database, sender)
    await runtime.start()
    yield ChatHarness(runtime, sender)
    await runtime.pipeline.stop()
    await runtime.relay.stop()


async def test_redelivered_message_is_answered_once(chat: ChatHarness) -> None:
    message = inbound("apbd", message_id="wamid.1")
    assert await chat.runtime.pipeline.submit([message]) == [True]
    assert await chat.runtime.pipeline.submit([message]) == [False]
    results = await asyncio.gather(*(chat.runtime.pipeline.submit([message]) for _ in range(5)))
    assert results == [[False]] * 5
    await chat.settle()
    assert [r.text for r in chat.sender.sent["u1"]] == ["echo apbd #1"]


async def test_same_id_twice_in_one_batch_counts_once(chat: ChatHarness) -> None:
    message = inbound("apbd", message_id="dup")
    assert await chat.runtime.pipeline.submit([message, message]) == [True, False]
    await chat.settle()
    assert len(chat.sender.sent["u1"]) == 1


async def test_four_messages_of_one_chat_at_once_are_handled_in_order(chat: ChatHarness) -> None:
    messages = [inbound(f"m{n}", message_id=f"id-{n}") for n in range(4)]
    await asyncio.gather(*(chat.runtime.pipeline.submit([m]) for m in messages))
    await chat.settle()
    texts = [r.text for r in chat.sender.sent["u1"]]
    assert texts == [f"echo m{n} #{n + 1}" for n in range(4)]


async def test_hundred_chats_at_once_are_all_answered(chat: ChatHarness) -> None:
    messages = [inbound(f"hi {n}", chat_id=f"c{n}") for n in range(100)]
    await asyncio.gather(*(chat.runtime.pipeline.submit([m]) for m in messages))
    await chat.settle()
    assert all(chat.sender.sent[f"c{n}"][0].text == f"echo hi {n} #1" for n in range(100))
    assert sum(len(v) for v in chat.sender.sent.values()) == 100


async def test_delivery_reports_share_the_inbox_commit_and_only_move_rows_forward(
    chat: ChatHarness, database: Database
) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    async with database.write() as session:
        rows = [new_outbox_values(1, "whatsapp", "6281", "{}", now) | {"status": "sent"} for _ in range(2)]
        await insert_outbox(session, rows)
        await session.execute(
            update(OutboxMessage).values(
                platform_message_id=case((OutboxMessage.id == 1, "wamid.A"), else_="wamid.B")
            )
        )
    pipeline = chat.runtime.pipeline
    results = await asyncio.gather(
        pipeline.submit([inbound("a", chat_id="c1")]),
        pipeline.submit_reports(
            [
                DeliveryReport("wamid.A", "read"),
                DeliveryReport("wamid.A", "delivered"),  # late: never moves a row back
                DeliveryReport("wamid.B", "failed", "131047 Re-engagement message"),
            ]
        ),
        pipeline.submit_reports([DeliveryReport("wamid.X", "sent")]),  # its send is not recorded yet
        pipeline.submit([inbound("b", chat_id="c2")]),
    )
    assert list(results) == [[True], [], [DeliveryReport("wamid.X", "sent")], [True]]
    async with database.session() as session:
        stored = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()
    assert [(r.delivery_state, r.status, r.error) for r in stored] == [
        ("read", "sent", ""),
        ("failed", "failed", "131047 Re-engagement message"),
    ]
    await chat.settle()
    assert [r.text for r in chat.sender.sent["c1"] + chat.sender.sent["c2"]] == ["echo a #1", "echo b #1"]


async def test_failing_delivery_reports_spoil_no_message_of_their_commit(chat: ChatHarness) -> None:
    pipeline = chat.runtime.pipeline
    results = await asyncio.gather(
        pipeline.submit([inbound("a", chat_id="c1")]),
        pipeline.submit_reports([DeliveryReport("wamid.A", "no-such-state")]),
        return_exceptions=True,
    )
    assert results[0] == [True]
    assert isinstance(results[1], KeyError)  # only the reports' savepoint rolled back
    await chat.settle()
    assert [r.text for r in chat.sender.sent["c1"]] == ["echo a #1"]


async def test_handler_exception_rolls_back_and_apologises(chat: ChatHarness) -> None:
    await chat.say("one")
    answer = await chat.say("boom")
    assert "Mohon maaf, terjadi gangguan" in answer and "kode" in answer
    assert await chat.say("two") == "echo two #2"  # the failed message changed no state
    async with chat.runtime.db.session() as session:
        statuses = (await session.scalars(select(InboxMessage.status).order_by(InboxMessage.id))).all()
    assert list(statuses) == ["processed", "failed", "processed"]


async def test_failure_before_commit_saves_nothing_and_is_retried_once(chat: ChatHarness) -> None:
    failures: list[int] = []

    async def fail_once() -> None:
        if not failures:
            failures.append(1)
            raise OSError("disk went away")

    chat.runtime.pipeline.before_commit = fail_once
    chat.runtime.pipeline.retry_pause = 0.05
    await chat.runtime.pipeline.submit([inbound("apbd", message_id="x1")])
    await chat.runtime.pipeline.wait_idle(seconds=10)
    await chat.runtime.relay.drain()
    assert [r.text for r in chat.sender.sent["u1"]] == ["echo apbd #1"]
    assert handled == [("u1", "apbd"), ("u1", "apbd")]  # handled twice, committed once


async def test_crash_before_commit_is_processed_after_restart(database: Database) -> None:
    sender = RecordingSender()
    first = make_runtime(database, sender)
    await first.start()
    stuck = asyncio.Event()

    async def hang() -> None:
        stuck.set()
        await asyncio.Event().wait()  # the worker is killed while it holds the transaction

    first.pipeline.before_commit = hang
    await first.pipeline.submit([inbound("saved before the 200", message_id="k1")])
    await asyncio.wait_for(stuck.wait(), 10)
    await first.pipeline.stop()
    await first.relay.stop()
    assert sender.sent["u1"] == []

    second = make_runtime(database, sender)
    await second.start()
    await second.pipeline.wait_idle(seconds=10)
    await second.relay.drain()
    await second.pipeline.stop()
    await second.relay.stop()
    assert [r.text for r in sender.sent["u1"]] == ["echo saved before the 200 #1"]
