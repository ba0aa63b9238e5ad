"""Bursts: many users at once through both webhooks, every reply once, in order, within the limits.

The fakes' arrival times are the evidence: no more messages in any second than the platform
allows, and the spacing per chat held. The large burst runs with faster limits so the test stays
short; the platforms' real default limits are checked on a smaller burst.
"""

from __future__ import annotations

import asyncio
import bisect
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from handlers.types import Channel, ConversationInfo, ConversationState, InputKind, UserInput
from tests.fake_platforms import Call, FakeGraph, FakeTelegram
from tests.webhooks.conftest import PHONE_ID, Service, running

DIALOG = ("/start", "bantuan", "menu", "batal", "halo")
NAME = "Warga"
JITTER = 0.03  # seconds of loopback and scheduling noise allowed between sender and fake


def telegram_update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": 1773630000,
        "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup", "first_name": NAME},
        "from": {"id": abs(chat_id), "is_bot": False, "first_name": NAME},
        "text": text,
    }
    if text.startswith("/"):
        command = text.split(" ", 1)[0]
        message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    return {"update_id": update_id, "message": message}


def whatsapp_body(wamid: str, wa_id: str, text: str) -> dict[str, Any]:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6222123456", "phone_number_id": PHONE_ID},
        "contacts": [{"profile": {"name": NAME}, "wa_id": wa_id}],
        "messages": [
            {"from": wa_id, "id": wamid, "timestamp": "1773630000", "type": "text", "text": {"body": text}}
        ],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }


async def expected_texts(service: Service, dialog: tuple[str, ...]) -> list[str]:
    """What the dialog calls for, from the router itself (no channel involved)."""
    state, texts = ConversationState(), []
    info = ConversationInfo(id=0, channel=Channel.CLI, chat_id="x", received_at=datetime.now(UTC))
    for line in dialog:
        command, _, args = line[1:].partition(" ")
        inp = (
            UserInput(kind=InputKind.COMMAND, text=line, command=command, command_args=args, sender_name=NAME)
            if line.startswith("/")
            else UserInput(kind=InputKind.TEXT, text=line, sender_name=NAME)
        )
        context = service.runtime.context_for(None, info, datetime.now(UTC))  # type: ignore[arg-type]
        outcome = await service.runtime.router.dispatch(inp, state, context)
        state = outcome.state
        texts += [r.text for r in outcome.replies]
    return texts


def whatsapp_text(body: dict[str, Any]) -> str:
    if body["type"] == "text":
        return str(body["text"]["body"])
    return str(body["interactive"]["body"]["text"])


def max_in_window(calls: list[Call], window: float) -> int:
    times = sorted(c.at for c in calls)
    return max((bisect.bisect_left(times, t + window) - i for i, t in enumerate(times)), default=0)


def min_gap_per_chat(calls: list[Call], key: str) -> float:
    by_chat: dict[str, list[float]] = defaultdict(list)
    for call in calls:
        by_chat[str(call.params.get(key) or call.params.get("recipient"))].append(call.at)
    gaps = [
        b - a for times in by_chat.values() for a, b in zip(sorted(times), sorted(times)[1:], strict=False)
    ]
    return min(gaps, default=float("inf"))


async def test_a_thousand_updates_from_two_hundred_users(
    tmp_path: Path, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, graph = fakes
    limits = {
        "telegram_per_second": 300.0,
        "telegram_chat_interval": 0.05,
        "whatsapp_per_second": 300.0,
        "whatsapp_user_interval": 0.05,
        "whatsapp_user_burst": 1,
    }
    async with running(tmp_path, telegram, graph, **limits) as service:
        expected = await expected_texts(service, DIALOG)
        tg_users = [910_000 + n for n in range(100)]
        wa_users = [f"62812{n:07d}" for n in range(100)]

        async def telegram_user(n: int, chat: int) -> None:
            for step, text in enumerate(DIALOG):  # one user's updates arrive one after another
                response = await service.post_telegram(
                    telegram_update(200_000_000 + n * 10 + step, chat, text)
                )
                assert response.status_code == 200

        async def whatsapp_user(wa_id: str) -> None:
            for step, text in enumerate(DIALOG):
                response = await service.post_whatsapp(whatsapp_body(f"wamid.{wa_id}.{step}", wa_id, text))
                assert response.status_code == 200

        await asyncio.gather(
            *(telegram_user(n, chat) for n, chat in enumerate(tg_users)),
            *(whatsapp_user(wa_id) for wa_id in wa_users),
        )
        total = len(expected) * 100
        await service.wait_for(lambda: len(telegram.sent()) >= total and len(graph.sent()) >= total, 90)
        await service.settle()

        for chat in tg_users:
            assert [p["text"] for p in telegram.sent(chat)] == expected, chat
        for wa_id in wa_users:
            assert [whatsapp_text(b) for b in graph.sent(wa_id)] == expected, wa_id
        assert len(telegram.sent()) == len(graph.sent()) == total  # nothing twice
        assert len(await service.inbox()) == 1000

        tg_calls, wa_calls = telegram.calls_to("sendMessage"), graph.calls_to("messages")
        assert max_in_window(tg_calls, 1.0 - JITTER) <= 300
        assert max_in_window(wa_calls, 1.0 - JITTER) <= 300
        assert min_gap_per_chat(tg_calls, "chat_id") >= 0.05 - JITTER
        assert min_gap_per_chat(wa_calls, "to") >= 0.05 - JITTER


async def test_the_real_default_limits_hold(tmp_path: Path, fakes: tuple[FakeTelegram, FakeGraph]) -> None:
    """Telegram: 30/s overall, 1/s per chat, one per 3 s in a group; WhatsApp: 80/s per number."""
    telegram, graph = fakes
    async with running(tmp_path, telegram, graph) as service:
        users = [920_000 + n for n in range(40)]
        group = -1009990001
        updates = [telegram_update(300_000_000 + n, chat, "/start") for n, chat in enumerate(users)]
        updates.append(telegram_update(300_000_100, group, "/bantuan"))
        wa_users = [f"62813{n:07d}" for n in range(100)]
        bodies = [whatsapp_body(f"wamid.real.{wa}", wa, "halo") for wa in wa_users]
        responses = await asyncio.gather(
            *(service.post_telegram(u) for u in updates), *(service.post_whatsapp(b) for b in bodies)
        )
        assert {r.status_code for r in responses} == {200}
        await service.wait_for(lambda: len(telegram.sent()) >= 82 and len(graph.sent()) >= 200, 60)

        tg_calls, wa_calls = telegram.calls_to("sendMessage"), graph.calls_to("messages")
        assert max_in_window(tg_calls, 1.0 - JITTER) <= 30
        private = [c for c in tg_calls if int(c.params["chat_id"]) > 0]
        in_group = [c for c in tg_calls if int(c.params["chat_id"]) < 0]
        assert min_gap_per_chat(private, "chat_id") >= 1.0 - JITTER
        assert len(in_group) == 2 and min_gap_per_chat(in_group, "chat_id") >= 3.0 - JITTER
        assert max_in_window(wa_calls, 1.0 - JITTER) <= 80
        first, last = min(c.at for c in wa_calls), max(c.at for c in wa_calls)
        assert last - first >= 2.0  # 200 messages at 80/s take at least two seconds
