"""Wire the intents a citizen states in their own words (``handlers.intents``) to the flows that
serve them: the request form (UU 14/2008 Pasal 22), the status check, the objection (Pasal 35),
"contact an officer", the greeting with the menu, and a short reply to thanks."""

from __future__ import annotations

from handlers import core, objection, officer, request_form, status
from handlers.context import HandlerContext
from handlers.intents import Intent
from handlers.router import Router
from handlers.types import ConversationState, Outcome, UserInput


async def handle_greeting(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    return core.show_menu(state, ctx.menu, greet=True, name=inp.sender_name, body=ctx.body_name)


async def handle_thanks(_: UserInput, state: ConversationState, __: HandlerContext) -> Outcome:
    return core.say(state.reset(), "thanks_reply")


def install(router: Router) -> None:
    """The intents of :mod:`handlers.intents`, each to the flow that serves it."""
    router.add_named_intent(Intent.REQUEST, request_form.start_form)
    router.add_named_intent(Intent.STATUS, status.start_status)
    router.add_named_intent(Intent.OBJECTION, objection.start_objection)
    # "Talk to a person": the officer's contact; the live hand-off, when on, re-points this intent.
    router.add_named_intent(Intent.OFFICER, officer.handle_officer)
    router.add_named_intent(Intent.GREETING, handle_greeting)
    router.add_named_intent(Intent.THANKS, handle_thanks)
