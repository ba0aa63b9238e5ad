"""Greeting, menu, help, cancel and the polite fallbacks."""

from __future__ import annotations

from handlers.context import HandlerContext
from handlers.menu import Menu, MenuEntry
from handlers.office import hours_text
from handlers.texts import t
from handlers.types import ConversationState, Lang, Mode, Outcome, Reply, UserInput

MENU_STEP = "menu"  # state.step right after the menu was shown: a bare number picks an entry


def menu_reply(menu: Menu, lang: Lang) -> Reply:
    return Reply(text=menu.menu_text(lang), choices=menu.choices(lang))


def show_menu(
    state: ConversationState, menu: Menu, *, greet: bool = False, name: str = "", body: str = ""
) -> Outcome:
    replies = []
    if greet:
        replies.append(Reply(text=t("greeting", state.lang, name=f" {name}" if name else "", body=body)))
    replies.append(menu_reply(menu, state.lang))
    return Outcome(tuple(replies), ConversationState(lang=state.lang, step=MENU_STEP))  # also ends a hand-off


def say(state: ConversationState, key: str, **values: object) -> Outcome:
    """One reply from the catalogue; the state is kept as it is."""
    return Outcome((Reply(text=t(key, state.lang, **values)),), state)


def help_reply(lang: Lang, ctx: HandlerContext) -> Reply:
    return Reply(text=t("help", lang, hours=hours_text(ctx.service_hours, lang)))


async def handle_help(_: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    return Outcome(
        (help_reply(state.lang, ctx), menu_reply(ctx.menu, state.lang)),
        state.reset().with_(step=MENU_STEP),
    )


async def handle_search_prompt(_: UserInput, state: ConversationState, __: HandlerContext) -> Outcome:
    return Outcome((Reply(text=t("menu_search_prompt", state.lang)),), state.reset())


def handle_cancel(state: ConversationState) -> Outcome:
    if state.mode is Mode.HUMAN:  # the citizen leaves the officer's queue
        return Outcome((Reply(text=t("handoff_ended", state.lang)),), ConversationState(lang=state.lang))
    if state.flow or state.step:
        return Outcome((Reply(text=t("cancelled", state.lang)),), state.reset())
    return say(state, "nothing_to_cancel")


SEARCH_ENTRY = MenuEntry(
    key="search",
    label_key="menu_search",
    words=frozenset({"cari", "cari informasi", "search", "pencarian"}),
    handler=handle_search_prompt,
    order=10,
)
HELP_ENTRY = MenuEntry(
    key="help",
    label_key="menu_help",
    words=frozenset({"bantuan", "help", "panduan"}),
    handler=handle_help,
    order=90,
)
