"""A Telegram block or a WhatsApp opt-out ends the chat's RT/RW subscriptions (issue 12)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.areas import load_sample_areas
from storage.models.areas import Subscription
from tests.webhooks.conftest import Service, fixture

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
