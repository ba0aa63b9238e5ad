"""Sends from the child process (``send_process``): the same replies, taps answered, a dead child replaced."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels import send_worker
from bot.channels.send_worker import decode_message, decode_result, encode_message, encode_result
from bot.messages import OutboundMessage
from bot.relay import SendResult
from handlers.services.ports import Document
from handlers.types import Channel, Choice, Reply
from tests.fake_platforms import FakeGraph, FakeTelegram
from tests.webhooks.conftest import FAST, Service, fixture, running
from tests.webhooks.test_broadcast_media import (
    JPEG,
    TG_RESIDENTS,
    WA_RESIDENTS,
    announce,
    subscribe_residents,
    tg_residents_calls,
)

USER = "555001"


@pytest.fixture
async def remote(tmp_path: Path, fakes: tuple[FakeTelegram, FakeGraph]) -> AsyncIterator[Service]:
    telegram, graph = fakes
    async with running(tmp_path, telegram, graph, send_process=True, **FAST) as svc:
        yield svc


def test_requests_and_results_survive_the_pipe() -> None:
    reply = Reply(text="Pilih:", choices=(Choice("Satu", "a"), Choice("Dua", "b")))
    message = OutboundMessage(7, 3, Channel.WHATSAPP, "6281", reply, attempts=2, extra={"lang": "en"})
    assert decode_message(encode_message(41, message)) == (41, message)
    result = SendResult(ok=False, retry_after=2.5, error="429 slow down")
    assert decode_result(encode_result(41, result)) == (41, result)


async def test_replies_go_out_through_the_child(remote: Service) -> None:
    worker = remote.runtime.send_worker
    assert worker is not None and worker.pid not in (None, os.getpid())
    await remote.post_telegram(fixture("tg_text.json"))
    await remote.post_whatsapp(fixture("wa_text.json"))
    await remote.settle()
    assert remote.telegram.sent(USER) and remote.graph.sent()
    outbox = await remote.outbox()
    assert outbox and {row.status for row in outbox} == {"sent"}


async def test_a_tap_is_answered_by_the_child(remote: Service) -> None:
    await remote.post_telegram(fixture("tg_callback.json"))
    await remote.settle()
    answers = remote.telegram.calls_to("answerCallbackQuery")
    assert [a.params["callback_query_id"] for a in answers] == ["4382bfdwdsb323b2d9"]
    assert remote.telegram.sent(USER)


async def test_a_killed_child_is_replaced_and_nothing_is_lost(remote: Service) -> None:
    worker = remote.runtime.send_worker
    assert worker is not None and worker.pid is not None
    first = worker.pid
    os.kill(first, signal.SIGKILL)
    await remote.post_telegram(fixture("tg_text.json"))
    await remote.settle()
    await remote.wait_for(lambda: len(remote.telegram.sent(USER)) >= 2)
    assert worker.pid not in (None, first)
    await remote.settle()
    assert {row.status for row in await remote.outbox()} == {"sent"}
    sent = [p["text"] for p in remote.telegram.sent(USER)]
    assert len(sent) == len(set(sent)) == 2  # greeting and menu, each once


async def test_health_says_when_the_send_child_is_gone_until_it_is_back(
    remote: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(send_worker, "RESTART_PAUSE", 1.0)
    worker = remote.runtime.send_worker
    assert worker is not None and worker.pid is not None
    assert (await remote.client.get("/healthz")).status_code == 200
    first = worker.pid
    os.kill(first, signal.SIGKILL)
    await remote.wait_for(lambda: worker.pid is None, 5)
    health = await remote.client.get("/healthz")
    assert health.status_code == 503 and health.json()["send_worker"] is False
    await remote.wait_for(lambda: worker.pid not in (None, first), 10)  # back without waiting for a send
    assert (await remote.client.get("/healthz")).status_code == 200


async def test_health_says_when_the_relay_stops_beating(remote: Service) -> None:
    relay = remote.runtime.relay
    assert (await remote.client.get("/healthz")).json()["relay"] is True
    heart = relay._heart
    assert heart is not None
    heart.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await heart
    health = await remote.client.get("/healthz")
    assert health.status_code == 503 and health.json()["relay"] is False


async def test_an_announcements_photo_goes_up_once_from_the_child_too(remote: Service) -> None:
    await subscribe_residents(remote)
    await announce(remote, "Foto lokasi posko", Document(JPEG, "", "posko.jpg"))
    photos = tg_residents_calls(remote.telegram, "sendPhoto")
    assert Counter(str(c.params["chat_id"]) for c in photos) == {str(c): 1 for c in TG_RESIDENTS}
    assert (
        len([c for c in photos if c.params["photo"] == "<file>"]) == 1
    )  # the file_id came back through the pipe
    assert len(remote.graph.calls_to("upload")) == 1
    assert all([b for b in remote.graph.sent(user) if b["type"] == "image"] for _, user in WA_RESIDENTS)


def test_a_results_media_id_survives_the_pipe() -> None:
    result = SendResult(ok=True, platform_message_id="9", media_id="tgfile9")
    assert decode_result(encode_result(5, result)) == (5, result)
