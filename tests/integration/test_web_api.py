"""The web chat API through the real FastAPI app (ASGI transport) and the real pipeline."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.runtime import Runtime
from storage.db import Database
from tests.integration.test_web_limits import web_client


@pytest.fixture
async def client(sqlite_db: Database) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    async with web_client(sqlite_db) as made:
        yield made


async def _session(http: httpx.AsyncClient) -> dict[str, str]:
    response = await http.post("/api/web/session")
    assert response.status_code == 200
    return {"X-Tanya-Session": response.json()["session"]}


async def test_page_and_health(client: tuple[httpx.AsyncClient, Runtime]) -> None:
    http, _ = client
    page = await http.get("/")
    assert page.status_code == 200 and "Tanya PPID" in page.text and "chat.js" in page.text
    assert (await http.get("/static/chat.js")).status_code == 200
    health = await http.get("/healthz")
    assert health.json() == {"status": "ok", "database": True, "relay": True}


async def test_message_round_trip_with_long_poll(client: tuple[httpx.AsyncClient, Runtime]) -> None:
    http, _ = client
    headers = await _session(http)
    poll = asyncio.create_task(
        http.get("/api/web/messages", params={"after": 0, "wait": 10}, headers=headers)
    )
    sent = await http.post(
        "/api/web/messages", json={"text": "halo", "client_id": "c0000001"}, headers=headers
    )
    assert sent.status_code == 202 and sent.json() == {"accepted": True, "duplicate": False}
    messages = (await asyncio.wait_for(poll, 10)).json()["messages"]
    assert "Selamat datang" in messages[0]["text"]
    everything = (await http.get("/api/web/messages", params={"after": 0}, headers=headers)).json()[
        "messages"
    ]
    assert everything[-1]["choices"][0]["payload"] == "menu:search"


async def test_retried_post_is_stored_once(client: tuple[httpx.AsyncClient, Runtime]) -> None:
    http, runtime = client
    headers = await _session(http)
    body = {"text": "menu", "client_id": "retry0001"}
    first = await http.post("/api/web/messages", json=body, headers=headers)
    second = await http.post("/api/web/messages", json=body, headers=headers)
    assert first.json()["duplicate"] is False and second.json()["duplicate"] is True
    await runtime.pipeline.wait_idle()
    messages = (await http.get("/api/web/messages", headers=headers)).json()["messages"]
    assert len(messages) == 1


async def test_button_choice(client: tuple[httpx.AsyncClient, Runtime]) -> None:
    http, runtime = client
    headers = await _session(http)
    body = {"text": "Bantuan", "choice": "menu:help", "client_id": "choice001"}
    assert (await http.post("/api/web/messages", json=body, headers=headers)).status_code == 202
    await runtime.pipeline.wait_idle()
    messages = (await http.get("/api/web/messages", headers=headers)).json()["messages"]
    assert "Cara menggunakan" in messages[0]["text"]


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({}, {"text": "halo", "client_id": "abcdefgh"}, 401),
        ({"X-Tanya-Session": "forged.token"}, {"text": "halo", "client_id": "abcdefgh"}, 401),
        (None, {"text": "x" * 20_001, "client_id": "abcdefgh"}, 422),
        (None, {"text": "halo", "client_id": "bad id!"}, 422),
        (None, {"text": "halo"}, 422),
    ],
)
async def test_bad_requests_are_refused(
    client: tuple[httpx.AsyncClient, Runtime],
    headers: dict[str, str] | None,
    body: dict[str, str],
    status: int,
) -> None:
    http, _ = client
    real = await _session(http)
    response = await http.post("/api/web/messages", json=body, headers=real if headers is None else headers)
    assert response.status_code == status


async def test_malformed_json_is_refused(client: tuple[httpx.AsyncClient, Runtime]) -> None:
    http, _ = client
    headers = {**await _session(http), "Content-Type": "application/json"}
    response = await http.post("/api/web/messages", content=b"{not json", headers=headers)
    assert response.status_code == 422


async def test_no_api_page_loads_a_script_from_a_cdn(client: tuple[httpx.AsyncClient, Runtime]) -> None:
    http, _ = client
    assert (await http.get("/api/docs")).status_code == 404
    assert (await http.get("/redoc")).status_code == 404
    assert (await http.get("/docs")).status_code == 404
    schema = await http.get("/api/openapi.json")  # development: the schema, no page around it
    assert schema.status_code == 200 and "/api/web/messages" in schema.json()["paths"]


async def test_production_publishes_no_api_schema(sqlite_db: Database) -> None:
    async with web_client(sqlite_db, env="production") as (http, _):
        assert (await http.get("/api/openapi.json")).status_code == 404
        assert (await http.get("/api/docs")).status_code == 404
