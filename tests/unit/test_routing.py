"""The router is an instance built from the enabled features; nothing registers itself on import."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.knowledge_loader import EmptyKnowledge
from handlers.context import HandlerContext
from handlers.routing import ALL_FEATURES, Feature, build_router
from handlers.texts import t
from handlers.types import Channel, ConversationInfo, ConversationState, InputKind, UserInput

CTX = HandlerContext(
    conversation=ConversationInfo(id=1, channel=Channel.CLI, chat_id="x", received_at=datetime.now(UTC)),
    now=datetime.now(UTC),
    knowledge=EmptyKnowledge(),
)


def test_the_menu_follows_the_features() -> None:
    full = [e.key for e in build_router().menu.entries()]
    assert full == ["search", "request", "status", "objection", "officer", "langganan", "help"]
    lean = build_router(ALL_FEATURES - {Feature.REQUEST, Feature.OBJECTION, Feature.SUBSCRIPTIONS})
    assert [e.key for e in lean.menu.entries()] == ["search", "status", "officer", "help"]


async def test_two_routers_do_not_share_state() -> None:
    one, two = build_router(), build_router({Feature.STATUS})
    text = UserInput(kind=InputKind.TEXT, text="menu")
    menu_one = (await one.dispatch(text, ConversationState(), CTX)).replies[0].text
    menu_two = (await two.dispatch(text, ConversationState(), CTX)).replies[0].text
    assert t("menu_request") in menu_one and t("menu_request") not in menu_two
    refused = await two.dispatch(UserInput(kind=InputKind.TEXT, text="permohonan"), ConversationState(), CTX)
    assert refused.state.flow == ""  # the form is not a feature of this router: no flow starts
