"""Residents subscribe to the notices of their RT, RW or kelurahan, in the chat, on every channel.

"langganan RT 3 RW 2 Sukamaju Wetan", "daftar info rw 02 kel. sukamaju wetan", "RT03/RW02", or a
deep link / QR poster (``/start sub_sukamaju-wetan_rw02_rt003``) subscribe; "langganan saya" lists;
"stop langganan" (or "berhenti" outside any form, after a question) ends one or all. A subscription
keeps only the conversation: no name, number or address is asked (UU 27/2022 Pasal 16: collect
no more than the purpose needs). What reaches subscribers: announcements of RT/RW coordinators and
information *serta merta* (UU 14/2008 Pasal 10), which must reach the people it concerns at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from handlers import core
from handlers.area_ports import AreaPort, AreaRecord
from handlers.context import HandlerContext
from handlers.domain.areas import AreaQuery, normalise_key, read_area_query
from handlers.menu import MenuEntry
from handlers.router import Router
from handlers.texts import t
from handlers.types import Channel, Choice, ConversationState, InputKind, Outcome, Reply, UserInput

CHOICE_PREFIX = "sub"
START_PREFIX = "sub"  # /start sub_sukamaju-wetan_rw02_rt003 ("/" is not allowed in a start payload)
ALL = "all"
KEEP = "keep"

LIST_PHRASES = frozenset(
    {"langganan saya", "langgananku", "langganan ku", "daftar langganan", "daftar langganan saya",
     "lihat langganan", "my subscriptions", "my subscription", "subscriptions"}
)  # fmt: skip
STOP_PREFIXES = (
    "stop langganan", "berhenti langganan", "berhenti berlangganan", "batal langganan", "batalkan langganan",
    "hapus langganan", "unsubscribe", "stop subscription", "end subscription", "stop berlangganan",
)  # fmt: skip
SUBSCRIBE_PREFIXES = (
    "berlangganan",
    "langganan",
    "subscribe",
    "daftar info",
    "daftar langganan",
    "ikut info",
)
STOP_WORDS = frozenset({"stop", "berhenti"})  # router.CANCEL_WORDS that also mean "no more notices"
ALL_WORDS = frozenset({"semua", "semuanya", "all", "everything"})
_AREA_ONLY = re.compile(r"^\s*(rt|rw)\s*[.:]?\s*\d{1,3}\b", re.IGNORECASE)


class Command(StrEnum):
    HOW = "how"  # "langganan" alone: explain
    SUBSCRIBE = "subscribe"
    LIST = "list"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class SubscriptionCommand:
    command: Command
    rest: str = ""  # what follows the command words (the area, or "semua")


def read_command(text: str) -> SubscriptionCommand | None:
    """What a message asks of subscriptions, or None when it is about something else."""
    lowered = " ".join(text.lower().strip(" !.?").split())
    if lowered in LIST_PHRASES:
        return SubscriptionCommand(Command.LIST)
    for prefix in STOP_PREFIXES:
        if lowered == prefix or lowered.startswith(prefix + " "):
            return SubscriptionCommand(Command.STOP, lowered.removeprefix(prefix).strip())
    for prefix in SUBSCRIBE_PREFIXES:
        if lowered == prefix or lowered.startswith(prefix + " "):
            rest = lowered.removeprefix(prefix).strip()
            if read_area_query(rest).empty:
                if prefix.startswith("daftar"):
                    return None  # "daftar info publik" is the register, not a subscription
                return SubscriptionCommand(Command.HOW)
            return SubscriptionCommand(Command.SUBSCRIBE, rest)
    if _AREA_ONLY.match(lowered):
        query = read_area_query(lowered)
        if query.rw is not None and len(query.place.split()) <= 4:  # "RT03/RW02", "rw 2 sukamaju wetan"
            return SubscriptionCommand(Command.SUBSCRIBE, lowered)
    return None


def asks_about_subscriptions(text: str) -> bool:
    return read_command(text) is not None


def _no_areas(state: ConversationState) -> Outcome:
    return Outcome((Reply(text=t("sub_no_areas", state.lang)),), state)


def _area_choices(areas: tuple[AreaRecord, ...] | list[AreaRecord], action: str) -> tuple[Choice, ...]:
    return tuple(Choice(label=a.label, payload=f"{CHOICE_PREFIX}:{action}:{a.id}") for a in areas)


async def _subscribe_to(
    area: AreaRecord, port: AreaPort, state: ConversationState, ctx: HandlerContext
) -> Outcome:
    new = await port.subscribe(ctx.conversation.id, area.id)
    key = "sub_done" if new else "sub_already"
    return Outcome((Reply(text=t(key, state.lang, area=area.label)),), state.reset())


async def subscribe(query: AreaQuery, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """An unambiguous area subscribes at once; otherwise the matching choices (never an error)."""
    if ctx.areas is None:
        return _no_areas(state)
    match = await ctx.areas.match(query)
    if not match.areas:
        return _no_areas(state)
    if match.exact and len(match.areas) == 1:
        return await _subscribe_to(match.areas[0], ctx.areas, state, ctx)
    text = t("sub_pick" if match.exact else "sub_unknown", state.lang)
    return Outcome((Reply(text=text, choices=_area_choices(match.areas, "add")),), state.reset())


async def list_subscriptions(state: ConversationState, ctx: HandlerContext) -> Outcome:
    if ctx.areas is None:
        return _no_areas(state)
    mine = await ctx.areas.subscriptions(ctx.conversation.id)
    if not mine:
        return Outcome((Reply(text=t("sub_none", state.lang)),), state.reset())
    lines = "\n".join(f"• {a.label}" for a in mine)
    return Outcome((Reply(text=t("sub_list", state.lang, areas=lines)),), state.reset())


def _stop_choices(
    mine: tuple[AreaRecord, ...] | list[AreaRecord], state: ConversationState
) -> tuple[Choice, ...]:
    everything = Choice(label=t("sub_stop_all", state.lang), payload=f"{CHOICE_PREFIX}:end:{ALL}")
    return (*_area_choices(mine, "end"), everything) if len(mine) > 1 else _area_choices(mine, "end")


async def _stop_all(port: AreaPort, state: ConversationState, ctx: HandlerContext) -> Outcome:
    count = await port.unsubscribe(ctx.conversation.id)
    if not count:
        return Outcome((Reply(text=t("sub_none", state.lang)),), state.reset())
    return Outcome((Reply(text=t("sub_stopped_all", state.lang, count=count)),), state.reset())


async def _stop_one(
    area: AreaRecord, port: AreaPort, state: ConversationState, ctx: HandlerContext
) -> Outcome:
    await port.unsubscribe(ctx.conversation.id, area.id)
    return Outcome((Reply(text=t("sub_stopped", state.lang, area=area.label)),), state.reset())


async def stop(rest: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """End one subscription or all of them; with several and none named, ask which."""
    if ctx.areas is None:
        return _no_areas(state)
    mine = list(await ctx.areas.subscriptions(ctx.conversation.id))
    if not mine:
        return Outcome((Reply(text=t("sub_none", state.lang)),), state.reset())
    if rest in ALL_WORDS:
        return await _stop_all(ctx.areas, state, ctx)
    if rest and not (query := read_area_query(rest)).empty:
        named = {a.id for a in (await ctx.areas.match(query)).areas}
        mine = [a for a in mine if a.id in named] or mine
    if len(mine) == 1:
        return await _stop_one(mine[0], ctx.areas, state, ctx)
    reply = Reply(text=t("sub_stop_pick", state.lang), choices=_stop_choices(mine, state))
    return Outcome((reply,), state.reset())


async def handle_text(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    command = read_command(inp.text)
    if command is None or command.command is Command.HOW:
        return Outcome((Reply(text=t("sub_how", state.lang)),), state.reset())
    if command.command is Command.LIST:
        return await list_subscriptions(state, ctx)
    if command.command is Command.STOP:
        return await stop(command.rest, state, ctx)
    return await subscribe(read_area_query(command.rest), state, ctx)


async def handle_choice(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """``sub:add:ID``, ``sub:end:ID``, ``sub:end:all``, ``sub:keep`` (buttons of the replies above)."""
    parts = inp.choice.split(":")
    if ctx.areas is None:
        return _no_areas(state)
    if parts[1:] == [KEEP]:
        return Outcome((Reply(text=t("sub_kept", state.lang)),), state.reset())
    if len(parts) != 3 or parts[1] not in ("add", "end"):
        return Outcome((Reply(text=t("stale_choice", state.lang)),), state)
    if parts[1] == "end" and parts[2] == ALL:
        return await _stop_all(ctx.areas, state, ctx)
    area = await ctx.areas.get_by_id(int(parts[2])) if parts[2].isdigit() and len(parts[2]) < 19 else None
    if area is None:
        return Outcome((Reply(text=t("stale_choice", state.lang)),), state)
    if parts[1] == "add":
        return await _subscribe_to(area, ctx.areas, state, ctx)
    return await _stop_one(area, ctx.areas, state, ctx)


def deep_link_payload(key: str) -> str:
    """The ``/start`` payload of an area's link or QR poster (``sub_sukamaju-wetan_rw02_rt003``)."""
    return f"{START_PREFIX}_{key.replace('/', '_')}"


async def handle_deep_link(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    raw = inp.command_args.strip().split("_", 1)[1] if "_" in inp.command_args else ""
    key = normalise_key(raw.replace("_", "/")[:200])
    area = await ctx.areas.get(key) if ctx.areas is not None and key else None
    if area is None or ctx.areas is None:
        return Outcome((Reply(text=t("sub_how", state.lang)),), state.reset())
    return await _subscribe_to(area, ctx.areas, state, ctx)


async def handle_idle_stop(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """A bare "stop"/"berhenti" outside any form: with subscriptions, ask whether to end them
    ("batal" and the rest cancel as they always did)."""
    said = inp.command if inp.kind is InputKind.COMMAND else inp.text
    is_stop = said.strip(" /!.").lower() in STOP_WORDS
    mine = await ctx.areas.subscriptions(ctx.conversation.id) if ctx.areas is not None and is_stop else ()
    if not mine:
        return core.handle_cancel(state)
    if ctx.conversation.channel is Channel.WHATSAPP:  # WhatsApp's opt-out word: honoured at once
        return await _stop_all(ctx.areas, state, ctx) if ctx.areas is not None else core.handle_cancel(state)
    keep = Choice(label=t("sub_keep", state.lang), payload=f"{CHOICE_PREFIX}:{KEEP}")
    reply = Reply(
        text=t("sub_stop_or_nothing", state.lang), choices=(*_stop_choices(list(mine), state), keep)
    )
    return Outcome((reply,), state.reset())


async def _menu(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    return Outcome((Reply(text=t("sub_how", state.lang)),), state.reset())


MENU_ENTRY = MenuEntry(
    key="langganan",
    label_key="menu_subscribe",
    words=frozenset({"info rt", "info rw", "info rt/rw", "langganan info", "neighbourhood news"}),
    handler=_menu,
    order=85,
)


def install(router: Router) -> None:
    """Subscriptions: free text, buttons, deep links, the menu entry and "stop" outside a form."""
    router.add_menu_entry(MENU_ENTRY)
    router.add_intent(asks_about_subscriptions, handle_text)
    router.add_choice(CHOICE_PREFIX, handle_choice)
    router.add_start_payload(START_PREFIX, handle_deep_link)
    router.set_idle_cancel(handle_idle_stop)
