"""The conversation router of a bot, built in one place from the features it offers.

Like PTB's ``Application.add_handler`` or aiogram's ``Router.include_router``: every feature
module exposes ``install(router)``, and :func:`build_router` calls them for the enabled features,
so the menu and the dispatch follow the configuration, and tests build the router they need.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from handlers import (
    coordinator_chat,
    core,
    handoff,
    intent_routes,
    objection,
    officer,
    request_form,
    search_routes,
    status,
    subscriptions,
)
from handlers.intents import Intent
from handlers.router import Router
from handlers.types import Flow


class Feature(StrEnum):
    SEARCH = "search"  # the register and FAQ (free text)
    REQUEST = "request"  # the formal request form (UU 14/2008 Pasal 22)
    STATUS = "status"
    OBJECTION = "objection"  # keberatan (Pasal 35-36)
    OFFICER_CONTACT = "officer"  # how to reach the PPID desk
    HANDOFF = "handoff"  # live chat with an officer (the console's inbox)
    SUBSCRIPTIONS = "subscriptions"  # residents' RT/RW subscriptions (announcements, serta merta)


ALL_FEATURES = frozenset(Feature)


def build_router(features: Collection[Feature] = ALL_FEATURES) -> Router:
    """A router with the flows, intents and menu entries of ``features`` (help is always there)."""
    router = Router()
    if Feature.SEARCH in features:
        router.add_menu_entry(core.SEARCH_ENTRY)
        search_routes.install(router)
    if Feature.REQUEST in features:
        request_form.install(router)
    if Feature.STATUS in features:
        status.install(router)
    if Feature.OBJECTION in features:
        objection.install(router)
    if Feature.OFFICER_CONTACT in features:
        router.add_menu_entry(officer.MENU_ENTRY)
    if Feature.SUBSCRIPTIONS in features:
        subscriptions.install(router)
        coordinator_chat.install(router)  # coordinators link their chat and send announcements
    intent_routes.install(router)  # request, status, objection, officer, greeting, thanks in own words
    if Feature.HANDOFF in features:
        router.add_flow(Flow.HANDOFF, handoff.handle_human)
        router.add_choice(handoff.CHOICE_PREFIX, handoff.start_handoff)
        router.add_intent(handoff.asks_for_officer, handoff.start_handoff)
        router.add_named_intent(Intent.OFFICER, handoff.start_handoff)
        router.set_officer_handler(handoff.handle_officer_event)
        if Feature.SEARCH in features:  # found nothing twice in a row: an officer is asked for
            router.set_text_handler(handoff.after_failed_searches(router.text_handler))
    router.add_menu_entry(core.HELP_ENTRY)
    return router
