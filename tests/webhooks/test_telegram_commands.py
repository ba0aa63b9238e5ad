"""``tanya telegram set-webhook`` and long polling, against the fake Bot API."""

from __future__ import annotations

import asyncio

import pytest

from bot.commands.telegram import delete_webhook, set_webhook
from tests.fake_platforms import FakeGraph, FakeTelegram
from tests.webhooks.conftest import TG_SECRET, Service, fixture, make_settings


async def test_set_webhook_registers_url_secret_and_commands(fakes: tuple[FakeTelegram, FakeGraph]) -> None:
    telegram, graph = fakes
    settings = make_settings(telegram, graph)
    message = await set_webhook(settings, "https://ppid.sukamaju.go.id/webhook/telegram")
    assert "@TanyaPPIDBot" in message
    assert telegram.webhook["url"] == "https://ppid.sukamaju.go.id/webhook/telegram"
    assert telegram.webhook["secret_token"] == TG_SECRET
    assert "callback_query" in telegram.webhook["allowed_updates"]
    (commands,) = telegram.calls_to("setMyCommands")
    assert [c["command"] for c in commands.params["commands"]] == ["menu", "bantuan", "batal"]
    await delete_webhook(settings)
    assert telegram.webhook == {}


async def test_set_webhook_needs_https_and_a_secret(fakes: tuple[FakeTelegram, FakeGraph]) -> None:
    telegram, graph = fakes
    with pytest.raises(SystemExit):
        await set_webhook(make_settings(telegram, graph), "http://ppid.example/webhook/telegram")
    with pytest.raises(SystemExit):
        await set_webhook(make_settings(telegram, graph, telegram_secret=""), "https://ppid.example/x")
    assert telegram.calls_to("setWebhook") == []


async def test_polling_removes_the_webhook_then_confirms_each_offset(service: Service) -> None:
    channel = service.runtime.telegram
    assert channel is not None
    service.telegram.webhook = {"url": "https://old.example/webhook/telegram"}
    service.telegram.queue_updates(fixture("tg_text.json"), fixture("tg_start_deeplink.json"))
    stop = asyncio.Event()
    polling = asyncio.create_task(channel.poll(stop, wait_seconds=1))
    await service.wait_for(lambda: len(service.telegram.calls_to("getUpdates")) >= 2)
    stop.set()
    await polling
    methods = [c.method for c in service.telegram.calls if c.method in ("deleteWebhook", "getUpdates")]
    assert methods[0] == "deleteWebhook" and service.telegram.webhook == {}
    offsets = [c.params.get("offset") for c in service.telegram.calls_to("getUpdates")]
    assert offsets[0] is None and offsets[1] == "100000003"  # the last update_id + 1
    assert [m.message_id for m in await service.inbox()] == ["u100000001", "u100000002"]
    await service.settle()
    assert len(service.telegram.sent("555001")) == 4  # two greetings with their menus
