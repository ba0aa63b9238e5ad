"""A Telegram block or a WhatsApp opt-out ends the chat's RT/RW subscriptions (issue 12)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.areas import load_sample_areas
from bot.broadcast_store import BroadcastStore
from handlers.services import broadcasts
from handlers.services.actor import Actor
from storage.models.areas import Subscription
from tests.fake_platforms import FakeGraph, FakeTelegram
from tests.webhooks.conftest import FAST, Service, fixture, running

TG_USER = "555001"
WA_NUMBER = "ID.1503012345678901"  # the business-scoped user id replies go to


def tg_text(text: str, message_id: int) -> dict[str, Any]:
    update = fixture("tg_text.json")
    update["update_id"] += message_id
    update["message"]["message_id"] = message_id
    update["message"]["text"] = text
    return update


def wa_text(text: str, n: int) -> dict[str, Any]:
    body = fixture("wa_text.json")
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message["text"]["body"] = text
    message["id"] = f"wamid.sub{n}"
    return body


async def subscriptions(service: Service) -> int:
    async with service.runtime.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Subscription)) or 0)


async def test_a_telegram_block_ends_the_subscriptions(service: Service) -> None:
    await load_sample_areas(service.runtime.db)
    await service.post_telegram(tg_text("langganan RT 3 RW 2 Sukamaju Wetan", 50))
    await service.settle()
    assert "RT 003 RW 02 Sukamaju Wetan" in str(service.telegram.sent(TG_USER)[-1]["text"])
    assert await subscriptions(service) == 1
    await service.post_telegram(fixture("tg_my_chat_member_kicked.json"))
    assert await subscriptions(service) == 0


async def test_blocked_on_send_ends_them_too(service: Service) -> None:
    await load_sample_areas(service.runtime.db)
    await service.post_telegram(tg_text("langganan RW 2 Sukamaju Wetan", 51))
    await service.settle()
    assert await subscriptions(service) == 1
    service.telegram.fail_next(TG_USER, "blocked")
    await service.post_telegram(tg_text("langganan saya", 52))
    await service.settle()
    assert await subscriptions(service) == 0


async def test_a_whatsapp_opt_out_ends_them(service: Service) -> None:
    await load_sample_areas(service.runtime.db)
    await service.post_whatsapp(wa_text("langganan RT 1 RW 1 Pondok Jati", 1))
    await service.settle()
    assert "RT 001 RW 01 Pondok Jati" in str(service.graph.sent(WA_NUMBER)[-1]["text"]["body"])
    assert await subscriptions(service) == 1
    service.graph.fail_next(WA_NUMBER, "opted_out")
    await service.post_whatsapp(wa_text("langganan saya", 2))
    await service.settle()
    assert await subscriptions(service) == 0
    await service.post_whatsapp(wa_text("langganan RT 1 RW 1 Pondok Jati", 3))
    await service.settle()
    assert await subscriptions(service) == 1
    await service.post_whatsapp(wa_text("STOP", 4))  # the opt-out word, outside any form
    await service.settle()
    assert await subscriptions(service) == 0


async def test_whatsapp_outside_the_window_is_held_without_the_broadcast_template(
    tmp_path: Path, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, graph = fakes
    for template, expected in (("", "held"), ("info_rt_rw", "sent")):
        async with running(tmp_path / (template or "none"), telegram, graph, **FAST,
                           whatsapp_template_name="replies_only", whatsapp_broadcast_template_name=template) as service:  # fmt: skip
            await load_sample_areas(service.runtime.db)
            await service.post_whatsapp(wa_text("langganan RW 1 Pondok Jati", 10))
            await service.settle()
            service.clock.offset = timedelta(hours=25)  # the 24-hour window has closed
            async with service.runtime.db.write() as session:
                record = await broadcasts.send(
                    BroadcastStore(session),
                    Actor.system("op"),
                    "pondok-jati/rw01",
                    text="Posyandu",
                    now=service.clock(),
                )
            await service.runtime.broadcaster.run_until_idle()
            await service.settle()
            async with service.runtime.db.session() as session:
                _, figures = await broadcasts.status(BroadcastStore(session), Actor.system("op"), record.id)
            assert (figures.held, figures.sent) == ((1, 0) if expected == "held" else (0, 1)), template
            if template:  # sent as the broadcast's own template, not the replies' one
                body = graph.sent(WA_NUMBER)[-1]
                assert body["type"] == "template" and body["template"]["name"] == "info_rt_rw"
