"""Live hand-off: the citizen asks for a person, and an officer takes the conversation.

The citizen's side: "chat dengan petugas" (or the button after "Hubungi petugas") puts the
conversation in human mode; from then on their messages go to the console and the bot stays
silent, until the officer hands it back or the citizen types "selesai" / "batal".

The officer's side enters as synthetic inbox events (``InputKind.OFFICER``) that the pipeline
applies in order with the citizen's messages, so only the pipeline writes conversation state
(architecture.md, "Growing it"): ``take``, ``reply`` (text), ``release`` and ``route`` (an OPD).
"""

from __future__ import annotations

from enum import StrEnum

from handlers.context import HandlerContext
from handlers.office import hours_text, next_opening, opening_text
from handlers.request_service import calendar
from handlers.router import TextHandler
from handlers.texts import t
from handlers.types import ConversationState, Flow, InputKind, Lang, Mode, Outcome, Reply, UserInput

MISSES = "search_misses"  # searches in a row that found nothing
MISSES_BEFORE_HANDOFF = 2
SINCE = "handoff_since"  # when the citizen asked (ISO time): the console's "waiting since"
OPD = "handoff_opd"  # the OPD it is routed to ("" = the PPID Utama's desk)
OFFICER = "handoff_officer"  # who took it
CHOICE_PREFIX = "handoff"
START_PAYLOAD = f"{CHOICE_PREFIX}:start"
ASK_WORDS = frozenset(
    {"chat dengan petugas", "bicara dengan petugas", "minta petugas", "hubungkan ke petugas", "petugas manusia",
     "chat with an officer", "talk to a person", "talk to a human", "human"}
)  # fmt: skip
END_WORDS = frozenset({"selesai", "akhiri", "done", "end chat"})


class OfficerEvent(StrEnum):
    TAKE = "take"
    REPLY = "reply"
    RELEASE = "release"
    ROUTE = "route"


def asks_for_officer(text: str) -> bool:
    return text.lower().strip(" ?!.") in ASK_WORDS


def topic_opd(text: str, ctx: HandlerContext) -> str:
    """The OPD of the best register match for what the citizen wrote ("" when nothing matched, or
    the best match is an FAQ answer): a hand-off is routed there; the PPID Utama can re-route it."""
    if not text.strip() or asks_for_officer(text):
        return ""
    hits = ctx.knowledge.search(text, limit=1).hits
    if not hits or hits[0].kind != "register":
        return ""
    return hits[0].unit_code.strip().upper()[:32]


async def start_handoff(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    if state.mode is Mode.HUMAN:
        return Outcome((Reply(text=t("handoff_waiting", state.lang)),), state)
    data = {SINCE: ctx.now.isoformat()}
    if opd := topic_opd(inp.text, ctx):  # the inbox shows it to that OPD's PPID Pelaksana at once
        data[OPD] = opd
    waiting = ConversationState(flow=Flow.HANDOFF, lang=state.lang, mode=Mode.HUMAN, data=data)
    text = t("handoff_started", state.lang)
    cal = await calendar(ctx.requests) if ctx.requests is not None else None  # holidays and cuti bersama
    if (
        opens := next_opening(ctx.now, ctx.service_hours, cal)
    ) is not None:  # said with the office's own hours
        hours = hours_text(ctx.service_hours, state.lang)
        when = opening_text(opens, ctx.service_hours, state.lang)
        text += "\n\n" + t("handoff_after_hours", state.lang, hours=hours, opens=when)
    return Outcome((Reply(text=text),), waiting)


def after_failed_searches(search: TextHandler) -> TextHandler:
    """Free text goes to ``search``; when it has found nothing twice in a row, an officer is asked for.

    A search that found something opens its result list (``Flow.SEARCH_RESULTS``); anything else
    counts as a miss. The count lives in the state, so anything else the citizen does resets it.
    """

    async def handle(text: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
        outcome = await search(text, state, ctx)
        if outcome.state.flow is Flow.SEARCH_RESULTS or outcome.state.mode is Mode.HUMAN:
            return outcome
        misses = int(state.data.get(MISSES, "0") or "0") + 1 if state.flow is Flow.NONE else 1
        if misses < MISSES_BEFORE_HANDOFF:
            return Outcome(
                outcome.replies,
                outcome.state.with_(data={**outcome.state.data, MISSES: str(misses)}),
                outcome.effects,  # the search's gap stays recorded
            )
        handed = await start_handoff(UserInput(kind=InputKind.TEXT, text=text), outcome.state, ctx)
        return Outcome(outcome.replies + handed.replies, handed.state, outcome.effects + handed.effects)

    return handle


def back_to_bot(state: ConversationState, key: str) -> Outcome:
    return Outcome((Reply(text=t(key, state.lang)),), ConversationState(lang=state.lang))


async def handle_human(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """A citizen's message in human mode: no bot reply (the officer reads it in the console)."""
    if inp.kind in (InputKind.TEXT, InputKind.COMMAND) and inp.text.lower().strip(" !.") in END_WORDS:
        return back_to_bot(state, "handoff_ended")
    return Outcome((), state)


async def handle_officer_event(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Apply a console action; one on a conversation that is not waiting for an officer is void."""
    try:
        event = OfficerEvent(inp.command)
    except ValueError:
        return Outcome((), state)
    if state.mode is not Mode.HUMAN:
        return Outcome((), state)
    lang = state.lang
    if event is OfficerEvent.TAKE:
        taken = state.with_(data={**state.data, OFFICER: inp.sender_name})
        return Outcome((Reply(text=t("handoff_taken", lang)),), taken)
    if event is OfficerEvent.REPLY:
        text = inp.text.strip()
        if not text and inp.attachment is None:
            return Outcome((), state)
        kept = state.with_(data={**state.data, OFFICER: state.data.get(OFFICER) or inp.sender_name})
        shown = text or (inp.attachment.file_name if inp.attachment else "")
        said = t("handoff_officer_says", lang, text=shown)
        return Outcome((Reply(text=said, attachment=inp.attachment),), kept)
    if event is OfficerEvent.ROUTE:
        return Outcome((), state.with_(data={**state.data, OPD: inp.text.strip().upper()[:32], OFFICER: ""}))
    return back_to_bot(state, "handoff_released")


def officer_said(text: str) -> bool:
    """Whether a sent reply is an officer's words ("Petugas PPID: ..."), in any language."""
    return any(text.startswith(t("handoff_officer_says", lang, text="")) for lang in Lang)
