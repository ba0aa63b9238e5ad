"""Route free text, result picks and entry buttons to the search handler.

After a list of results (``Flow.SEARCH_RESULTS``) a typed number picks an entry; anything else is
handled as if no list were open (a new search, a menu word, an intent).
"""

from __future__ import annotations

from handlers.context import HandlerContext
from handlers.router import Router
from handlers.search import (
    FAQ_LIST_ID,
    FAQ_PREFIX,
    REGISTER_PREFIX,
    UNHELPFUL_PAYLOAD,
    UNHELPFUL_WORDS,
    handle_search,
    handle_show_entry,
    pick_from_results,
    unhelpful,
)
from handlers.types import ConversationState, Flow, Outcome, UserInput


async def handle_results_step(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    if entry_id := pick_from_results(inp.text, state):
        return await handle_show_entry(entry_id, state, ctx)
    if inp.text.lower().strip(" !.?") in UNHELPFUL_WORDS:  # "bukan ini" typed under an answer
        return unhelpful(state)
    if ctx.router is None:
        raise RuntimeError("dispatch through a Router")
    return await ctx.router.dispatch_private(inp, state.reset(), ctx)


FAQ_WORDS = frozenset(
    {"faq", "lihat faq", "daftar faq", "pertanyaan umum", "tanya jawab", "pertanyaan yang sering diajukan"}
)


def _faq_words(text: str) -> tuple[str, int]:
    """("lihat faq", 0) for "lihat faq"; ("faq", 10) for "faq 10" (the list from question 10)."""
    words, _, number = text.lower().strip(" ?!.").rpartition(" ")
    if number.isdigit() and 0 < int(number) < 1000:
        return words, int(number)
    return text.lower().strip(" ?!."), 0


def asks_for_faq(text: str) -> bool:
    return _faq_words(text)[0] in FAQ_WORDS


async def handle_faq_words(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    first = _faq_words(inp.text)[1]
    start = f":{first - 1}" if first > 1 else ""
    return await handle_show_entry(f"{FAQ_PREFIX}:{FAQ_LIST_ID}{start}", state, ctx)


async def handle_unhelpful(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    return unhelpful(state)


async def handle_entry_choice(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    return await handle_show_entry(inp.choice, state, ctx)


def install(router: Router) -> None:
    router.set_text_handler(handle_search)
    router.add_flow(Flow.SEARCH_RESULTS, handle_results_step)
    router.add_choice(REGISTER_PREFIX, handle_entry_choice)
    router.add_choice(FAQ_PREFIX, handle_entry_choice)
    router.add_choice(UNHELPFUL_PAYLOAD.partition(":")[0], handle_unhelpful)
    router.add_intent(asks_for_faq, handle_faq_words)
