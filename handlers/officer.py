"""'Contact an officer': how to reach the PPID's desk (offered when the search abstains)."""

from __future__ import annotations

from handlers.context import HandlerContext
from handlers.handoff import CHOICE_PREFIX, START_PAYLOAD
from handlers.menu import MenuEntry
from handlers.office import hours_text
from handlers.texts import t
from handlers.types import Choice, ConversationState, Outcome, Reply, UserInput


async def handle_officer(_: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    lang = state.lang
    hours = hours_text(ctx.service_hours, lang)
    text = t("officer_contact", lang, contact=ctx.ppid_contact or ctx.body_name, hours=hours)
    choices: tuple[Choice, ...] = (Choice(t("choice_request", lang), "menu:request"),)
    if ctx.router is not None and ctx.router.has_choice(CHOICE_PREFIX):  # live hand-off is on
        choices = (Choice(t("choice_handoff", lang), START_PAYLOAD), *choices)
    return Outcome((Reply(text=text, choices=choices),), state.reset())


MENU_ENTRY = MenuEntry(
    key="officer",
    label_key="menu_officer",
    words=frozenset({"petugas", "hubungi petugas", "admin", "operator", "cs", "officer", "contact"}),
    handler=handle_officer,
    order=80,
)
