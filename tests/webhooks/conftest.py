"""The service with Telegram and WhatsApp switched on, against local fakes of both platforms.

The app runs in-process (httpx's ASGI transport, lifespan included) on a fresh SQLite file; its
real clients (PTB ``Bot``, httpx) talk over loopback HTTP to :mod:`tests.fake_platforms`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.app import create_app
from bot.channels.media import MemoryAttachments
from bot.channels.telegram import SECRET_HEADER
from bot.channels.whatsapp import SIGNATURE_HEADER, signature
from bot.knowledge_loader import EmptyKnowledge
from bot.runtime import Runtime
from bot.settings import Settings
from storage import migrate
from storage.db import Database
from storage.models import Conversation, InboxMessage, OutboxMessage
from tests.fake_platforms import FakeGraph, FakeTelegram

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "test-secret-key-0123456789abcdefghijklmnop"
TG_SECRET = "tg-webhook-secret-0123456789"
WA_APP_SECRET = "wa-app-secret-0123456789"
WA_VERIFY = "verify-me-please"
PHONE_ID = "106540352242922"

JSON = dict[str, Any]


def fixture(name: str) -> JSON:
    data: JSON = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


class Clock:
    """Real time plus an offset the test can move forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


FAST: dict[str, Any] = {
    "telegram_per_second": 10_000.0,
    "telegram_chat_interval": 0.0,
    "telegram_group_interval": 0.0,
    "whatsapp_per_second": 10_000.0,
    "whatsapp_user_interval": 0.0,
}


def make_settings(telegram: FakeTelegram, graph: FakeGraph, **overrides: Any) -> Settings:
    values: JSON = {
        "secret_key": SECRET,
        "telegram_token": telegram.token,
        "telegram_secret": TG_SECRET,
        "telegram_api_base": telegram.api_base,
        "whatsapp_token": graph.token,
        "whatsapp_app_secret": WA_APP_SECRET,
        "whatsapp_verify_token": WA_VERIFY,
        "whatsapp_phone_id": PHONE_ID,
        "graph_api_base": graph.url,
        "graph_api_version": graph.version,
        "send_process": False,  # in-process senders see the test's clock; test_send_worker runs the child
        **overrides,
    }
    return Settings(_env_file=None, **values)


class Service:
    """The running service plus both fakes, with helpers to post webhooks and read the database."""

    def __init__(
        self,
        runtime: Runtime,
        client: httpx.AsyncClient,
        telegram: FakeTelegram,
        graph: FakeGraph,
        attachments: MemoryAttachments,
        clock: Clock,
    ) -> None:
        self.runtime = runtime
        self.client = client
        self.telegram = telegram
        self.graph = graph
        self.attachments = attachments
        self.clock = clock

    async def post_telegram(self, update: JSON, *, secret: str | None = TG_SECRET) -> httpx.Response:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        return await self.client.post("/webhook/telegram", json=update, headers=headers)

    async def post_whatsapp(
        self, body: JSON | bytes, *, secret: str | None = WA_APP_SECRET
    ) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"content-type": "application/json"}
        if secret is not None:
            headers[SIGNATURE_HEADER] = signature(secret, raw)
        return await self.client.post("/webhook/whatsapp", content=raw, headers=headers)

    async def settle(self) -> None:
        """Every stored message handled and every due reply sent (or recorded as failed)."""
        await self.runtime.pipeline.wait_idle()
        await self.runtime.relay.drain()

    async def outbox(self) -> list[OutboxMessage]:
        async with self.runtime.db.session() as session:
            return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())

    async def inbox(self) -> list[InboxMessage]:
        async with self.runtime.db.session() as session:
            return list((await session.scalars(select(InboxMessage).order_by(InboxMessage.id))).all())

    def chat(self, channel: str, address: str) -> tuple[str, str]:
        """The stored key of a chat: a WhatsApp number or user id only as its pseudonym."""
        if channel == "whatsapp":
            return channel, self.runtime.crypto.chat_pseudonym(address)
        return channel, address

    async def conversation(self, channel: str, chat_id: str) -> Conversation | None:
        channel, chat_id = self.chat(channel, chat_id)
        async with self.runtime.db.session() as session:
            stmt = select(Conversation).where(
                Conversation.channel == channel, Conversation.chat_id == chat_id
            )
            return (await session.scalars(stmt)).first()

    async def wait_for(self, predicate: Any, seconds: float = 20.0) -> None:
        async with asyncio.timeout(seconds):
            while True:
                if predicate():
                    return
                await asyncio.sleep(0.02)


@pytest.fixture
def fakes() -> Iterator[tuple[FakeTelegram, FakeGraph]]:
    telegram, graph = FakeTelegram(), FakeGraph()
    telegram.start()
    graph.start()
    yield telegram, graph
    telegram.stop()
    graph.stop()


@contextlib.asynccontextmanager
async def running(
    tmp_path: Path, telegram: FakeTelegram, graph: FakeGraph, **overrides: Any
) -> AsyncIterator[Service]:
    """The service on both fakes; ``sealed_files=True``: what users send goes into the real sealed
    attachment store (else into memory, where tests read it)."""
    sealed_files = bool(overrides.pop("sealed_files", False))
    settings = make_settings(telegram, graph, **overrides)
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/tanya.db")
    await migrate.upgrade(db)
    clock = Clock()
    attachments = MemoryAttachments()
    runtime = Runtime(
        settings=settings,
        db=db,
        knowledge=EmptyKnowledge(),
        secret_key=SECRET,
        clock=clock,
        attachments=None if sealed_files else attachments,
    )
    app = create_app(settings, runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tanya.test") as client:
            yield Service(runtime, client, telegram, graph, attachments, clock)


@pytest.fixture
async def service(tmp_path: Path, fakes: tuple[FakeTelegram, FakeGraph]) -> AsyncIterator[Service]:
    """Both channels on, with the rate limits lifted (their own tests keep the real ones)."""
    telegram, graph = fakes
    async with running(tmp_path, telegram, graph, **FAST) as svc:
        yield svc
