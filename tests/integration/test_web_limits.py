"""The web chat's edge: rate limits, session expiry and revocation, body limits, long-poll wake-ups."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from starlette.requests import Request

from bot.app import create_app
from bot.channels.limits import ClientAddress, KeyedLimiter, Rate
from bot.knowledge_loader import EmptyKnowledge
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.types import Reply
from storage.db import Database
from storage.models import Conversation
from storage.repositories import OutboxRepository, insert_outbox, new_outbox_values
from tests.conftest import SECRET

Client = tuple[httpx.AsyncClient, Runtime]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@asynccontextmanager
async def web_client(
    db: Database, clock: Callable[[], datetime] | None = None, **settings: Any
) -> AsyncIterator[Client]:
    config = Settings(secret_key=SECRET, **settings)
    extra: dict[str, Any] = {"clock": clock} if clock else {}
    runtime = Runtime(settings=config, db=db, knowledge=EmptyKnowledge(), secret_key=SECRET, **extra)
    app = create_app(config, runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http, runtime


async def _session(http: httpx.AsyncClient) -> dict[str, str]:
    response = await http.post("/api/web/session")
    assert response.status_code == 200
    return {"X-Tanya-Session": response.json()["session"]}


def _say(text: str, n: int) -> dict[str, str]:
    return {"text": text, "client_id": f"client{n:04d}"}


# --- rate limits ---


async def test_a_flood_of_messages_from_one_session_gets_429_with_retry_after(sqlite_db: Database) -> None:
    async with web_client(sqlite_db, web_messages_burst=5, web_messages_per_minute=1) as (http, runtime):
        headers = await _session(http)
        codes = [
            (await http.post("/api/web/messages", json=_say("halo", n), headers=headers)).status_code
            for n in range(20)
        ]
        assert codes[:5] == [202] * 5 and set(codes[5:]) == {429}
        refused = await http.post("/api/web/messages", json=_say("halo", 99), headers=headers)
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
        await runtime.pipeline.wait_idle()
        # another session from another address is not affected
        other = await _session(http)
        assert (await http.post("/api/web/messages", json=_say("halo", 1), headers=other)).status_code == 202


async def test_one_address_cannot_flood_with_new_sessions(sqlite_db: Database) -> None:
    async with web_client(sqlite_db, web_sessions_burst=3) as (http, _):
        codes = [(await http.post("/api/web/session")).status_code for _ in range(10)]
        assert codes[:3] == [200] * 3 and set(codes[3:]) == {429}


async def test_one_address_is_limited_across_its_sessions(sqlite_db: Database) -> None:
    settings: dict[str, Any] = {
        "web_address_messages_burst": 4,
        "web_address_messages_per_minute": 1,  # no refill while the test runs, however slow
        "web_sessions_burst": 20,
    }
    async with web_client(sqlite_db, **settings) as (http, runtime):
        codes = []
        for n in range(8):
            headers = await _session(http)
            codes.append(
                (await http.post("/api/web/messages", json=_say("hi", n), headers=headers)).status_code
            )
        assert codes[:4] == [202] * 4 and set(codes[4:]) == {429}
        await runtime.pipeline.wait_idle()


async def test_a_flooding_session_does_not_starve_its_neighbours(sqlite_db: Database) -> None:
    settings: dict[str, Any] = {"web_messages_burst": 5, "web_address_messages_burst": 20}
    async with web_client(sqlite_db, **settings) as (http, runtime):
        flooder, neighbour = await _session(http), await _session(http)
        for n in range(50):
            await http.post("/api/web/messages", json=_say("spam", n), headers=flooder)
        codes = [
            (await http.post("/api/web/messages", json=_say("halo", n), headers=neighbour)).status_code
            for n in range(5)
        ]
        assert codes == [202] * 5  # same address, but the flood took only its own five
        await runtime.pipeline.wait_idle()


async def test_polls_are_limited_per_session(sqlite_db: Database) -> None:
    async with web_client(sqlite_db, web_polls_burst=3, web_polls_per_minute=1) as (http, _):
        headers = await _session(http)
        codes = [(await http.get("/api/web/messages", headers=headers)).status_code for _ in range(6)]
        assert codes[:3] == [200] * 3 and set(codes[3:]) == {429}


def test_token_bucket_refills_and_forgets_old_keys() -> None:
    now = [0.0]
    limiter = KeyedLimiter(Rate(per_minute=60, burst=2), max_keys=2, clock=lambda: now[0])
    assert [limiter.take("a"), limiter.take("a")] == [0.0, 0.0]
    assert limiter.take("a") == pytest.approx(1.0)
    now[0] += 1.0
    assert limiter.take("a") == 0.0
    limiter.take("b")
    limiter.take("c")  # "a" is forgotten: at most two keys are kept
    assert len(limiter._buckets) == 2 and "a" not in limiter._buckets


def _request(peer: str, forwarded: str = "") -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 1234), "headers": headers})


def test_forwarded_for_is_believed_only_from_a_trusted_proxy() -> None:
    untrusting = ClientAddress([])
    assert untrusting(_request("198.51.100.1", "10.9.9.9")) == "198.51.100.1"
    behind_proxy = ClientAddress(["127.0.0.1", "10.0.0.0/8"])
    assert behind_proxy(_request("127.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.5")) == "203.0.113.9"
    assert behind_proxy(_request("198.51.100.1", "203.0.113.9")) == "198.51.100.1"  # not a proxy
    assert behind_proxy(_request("127.0.0.1")) == "127.0.0.1"


# --- sessions ---


async def test_a_session_expires_and_the_page_must_start_a_new_conversation(sqlite_db: Database) -> None:
    clock = Clock()
    async with web_client(sqlite_db, clock, web_session_hours=2) as (http, runtime):
        headers = await _session(http)
        assert (
            await http.post("/api/web/messages", json=_say("halo", 1), headers=headers)
        ).status_code == 202
        await runtime.pipeline.wait_idle()
        clock.now += timedelta(hours=1, minutes=59)
        assert (await http.get("/api/web/messages", headers=headers)).json()["messages"]
        clock.now += timedelta(minutes=2)
        assert (await http.get("/api/web/messages", headers=headers)).status_code == 401
        assert (await http.post("/api/web/messages", json=_say("x", 2), headers=headers)).status_code == 401


async def test_an_untimed_token_of_the_old_kind_is_refused(sqlite_db: Database) -> None:
    from itsdangerous import URLSafeSerializer

    old = URLSafeSerializer(SECRET, salt="tanya-web-session").dumps("a" * 32)
    async with web_client(sqlite_db) as (http, _):
        assert (await http.get("/api/web/messages", headers={"X-Tanya-Session": old})).status_code == 401


async def test_percakapan_baru_ends_the_session_for_good(sqlite_db: Database) -> None:
    async with web_client(sqlite_db) as (http, runtime):
        headers = await _session(http)
        assert (
            await http.post("/api/web/messages", json=_say("halo", 1), headers=headers)
        ).status_code == 202
        await runtime.pipeline.wait_idle()
        assert (await http.get("/api/web/messages", headers=headers)).json()["messages"]
        assert (await http.delete("/api/web/session", headers=headers)).status_code == 204
        assert (await http.get("/api/web/messages", headers=headers)).status_code == 401
        assert (await http.post("/api/web/messages", json=_say("x", 2), headers=headers)).status_code == 401


async def test_erasure_ends_the_web_session_of_the_erased_conversation(sqlite_db: Database) -> None:
    """Erasure raises the conversation's session epoch: the old page cannot read the form back."""
    async with web_client(sqlite_db) as (http, runtime):
        headers = await _session(http)
        assert (
            await http.post("/api/web/messages", json=_say("halo", 1), headers=headers)
        ).status_code == 202
        await runtime.pipeline.wait_idle()
        assert (await http.get("/api/web/messages", headers=headers)).status_code == 200
        async with sqlite_db.write() as session:
            conversation = (await session.scalars(select(Conversation))).one()
            conversation.session_epoch += 1  # what storage.privacy.erase_conversations does
        assert (await http.get("/api/web/messages", headers=headers)).status_code == 401
        assert (await http.post("/api/web/messages", json=_say("x", 2), headers=headers)).status_code == 401


# --- bodies ---


class CountingBody:
    """A request body that counts what the server pulled of it."""

    def __init__(self, chunks: int, size: int = 1024 * 1024) -> None:
        self.pulled = 0
        self._chunks = chunks
        self._chunk = b" " * size

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self._chunks):
            self.pulled += 1
            yield self._chunk


async def test_a_huge_body_without_a_session_is_refused_before_it_is_read(sqlite_db: Database) -> None:
    async with web_client(sqlite_db) as (http, _):
        body = CountingBody(400)
        response = await http.post("/api/web/messages", content=body.__aiter__())
        assert response.status_code == 401 and body.pulled <= 1


async def test_a_declared_huge_body_is_refused_by_its_length(sqlite_db: Database) -> None:
    async with web_client(sqlite_db) as (http, _):
        headers = {**await _session(http), "Content-Length": str(400 * 1024 * 1024)}
        body = CountingBody(400)
        response = await http.post("/api/web/messages", content=body.__aiter__(), headers=headers)
        assert response.status_code == 413 and body.pulled <= 1


async def test_a_streamed_body_is_cut_at_the_limit(sqlite_db: Database) -> None:
    async with web_client(sqlite_db) as (http, _):
        headers = await _session(http)
        body = CountingBody(400, size=16 * 1024)
        response = await http.post("/api/web/messages", content=body.__aiter__(), headers=headers)
        assert response.status_code == 413 and body.pulled <= 8


@pytest.mark.parametrize("after", ["99999999999999999999", "-1", "abc"])
async def test_an_impossible_cursor_is_refused_not_a_crash(sqlite_db: Database, after: str) -> None:
    async with web_client(sqlite_db) as (http, _):
        headers = await _session(http)
        response = await http.get("/api/web/messages", params={"after": after}, headers=headers)
        assert response.status_code == 422


# --- long-poll ---


async def test_a_waiting_long_poll_does_not_query_the_database_and_wakes_on_a_reply(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = []
    original = OutboxRepository.for_conversation

    async def counting(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return await original(*args, **kwargs)

    monkeypatch.setattr(OutboxRepository, "for_conversation", counting)
    async with web_client(sqlite_db) as (http, runtime):
        headers = await _session(http)
        assert (
            await http.post("/api/web/messages", json=_say("halo", 1), headers=headers)
        ).status_code == 202
        await runtime.pipeline.wait_idle()
        await runtime.relay.drain()  # every reply delivered: no wake-up is due
        first = (await http.get("/api/web/messages", headers=headers)).json()["messages"]
        cursor = first[-1]["id"]
        reads.clear()
        poll = asyncio.create_task(
            http.get("/api/web/messages", params={"after": cursor, "wait": 20}, headers=headers)
        )
        for _ in range(500):
            if runtime.hub.listening:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(2.5)
        assert len(reads) == 1  # the first look only: no query a second while it waits
        started = asyncio.get_running_loop().time()
        await http.post("/api/web/messages", json=_say("menu", 2), headers=headers)
        messages = (await asyncio.wait_for(poll, 10)).json()["messages"]
        assert messages and messages[0]["id"] > cursor
        assert asyncio.get_running_loop().time() - started < 5
        assert runtime.hub.listening == 0


@pytest.mark.parametrize("database", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
async def test_on_postgresql_a_reply_another_process_delivered_is_found_by_the_slow_look(
    database: Database,
) -> None:
    async with web_client(database, web_poll_fallback_seconds=1.0) as (http, runtime):
        headers = await _session(http)
        assert (
            await http.post("/api/web/messages", json=_say("halo", 1), headers=headers)
        ).status_code == 202
        await runtime.pipeline.wait_idle()
        await runtime.relay.drain()
        cursor = (await http.get("/api/web/messages", headers=headers)).json()["messages"][-1]["id"]
        await runtime.relay.stop()  # from now on replies come only from "another process"
        poll = asyncio.create_task(
            http.get("/api/web/messages", params={"after": cursor, "wait": 20}, headers=headers)
        )
        await asyncio.sleep(0.5)
        async with database.write() as session:
            conversation = (await session.scalars(select(Conversation))).one()
            payload = Reply(text="jawaban petugas").to_json()
            await insert_outbox(
                session,
                [new_outbox_values(conversation.id, "web", conversation.chat_id, payload, runtime.clock())],
            )
        started = asyncio.get_running_loop().time()
        messages = (await asyncio.wait_for(poll, 10)).json()["messages"]
        assert [m["text"] for m in messages] == ["jawaban petugas"]
        assert asyncio.get_running_loop().time() - started < 3
