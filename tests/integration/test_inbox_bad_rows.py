"""A bad row fails alone: the messages committed with it in one group commit are stored anyway."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from handlers.types import Channel
from storage.db import Database
from storage.models import InboxMessage
from tests.conftest import make_runtime
from tests.fakes import ChatHarness, RecordingSender, inbound


@pytest.fixture
async def chat(database: Database) -> AsyncIterator[ChatHarness]:
    sender = RecordingSender(Channel.WEB)
    runtime = make_runtime(database, sender)
    await runtime.start()
    yield ChatHarness(runtime, sender)
    await runtime.pipeline.stop()
    await runtime.relay.stop()


async def _stored(db: Database) -> set[str]:
    async with db.session() as session:
        return set((await session.scalars(select(InboxMessage.message_id))).all())


async def test_an_id_longer_than_its_column_is_refused_before_the_commit(chat: ChatHarness) -> None:
    good = [inbound("halo", chat_id=f"web-{n}", channel=Channel.WEB, message_id=f"ok-{n}") for n in range(2)]
    bad = inbound("halo", chat_id="web-x", channel=Channel.WHATSAPP, message_id="wamid." + "A" * 200)
    results = await asyncio.gather(
        chat.runtime.pipeline.submit([good[0]]),
        chat.runtime.pipeline.submit([bad]),
        chat.runtime.pipeline.submit([good[1]]),
        return_exceptions=True,
    )
    assert results[0] == [True] and results[2] == [True]
    assert isinstance(results[1], ValueError)
    assert await _stored(chat.runtime.db) == {"ok-0", "ok-1"}


@pytest.mark.parametrize("database", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
async def test_a_row_the_database_refuses_fails_alone(chat: ChatHarness) -> None:
    """PostgreSQL refuses a NUL in a text column: only that submission gets the error."""
    good = [inbound("halo", chat_id=f"web-{n}", channel=Channel.WEB, message_id=f"ok-{n}") for n in range(3)]
    bad = inbound("halo", chat_id="web-x", channel=Channel.WHATSAPP, message_id="wamid.\x00bad")
    results = await asyncio.gather(
        chat.runtime.pipeline.submit([good[0]]),
        chat.runtime.pipeline.submit([bad, good[1]]),
        chat.runtime.pipeline.submit([good[2]]),
        return_exceptions=True,
    )
    assert results[0] == [True] and results[2] == [True]
    assert isinstance(results[1], Exception)
    assert await _stored(chat.runtime.db) == {"ok-0", "ok-2"}
    await chat.settle()
    assert set(chat.sender.sent) >= {"web-0", "web-2"}
