"""The objection (keberatan) to the Atasan PPID, in chat (UU 14/2008 Pasal 35-37).

Choose the request, the ground of Pasal 35(1) a-g (explained in plain words), an explanation.
Refused once the 30 working days of Pasal 36(1) have passed, with the day the window closed.
The reply gives the objection number, the Atasan PPID's due date (Pasal 36(2)) and how to go to
the Komisi Informasi afterwards (Pasal 37). Someone other than the filing conversation must give
the last four NIK digits, as for the status.
"""

from __future__ import annotations

from handlers import core, request_service, status
from handlers.cleaners import clean_free_text
from handlers.context import HandlerContext
from handlers.domain.deadlines import office_date
from handlers.domain.lifecycle import ObjectionGround
from handlers.domain.regno import NumberKind, find_number
from handlers.menu import MenuEntry
from handlers.request_ports import RequestRecord
from handlers.request_texts import format_date, status_label
from handlers.router import Router
from handlers.texts import t
from handlers.types import Choice, ConversationState, Flow, InputKind, Outcome, Reply, UserInput

PICK = "request"
NIK4 = "nik4"
GROUND = "ground"
EXPLAIN = "explain"
PREFIX = f"{Flow.OBJECTION.value}:"
GROUNDS = tuple(ObjectionGround)


def _state(state: ConversationState, step: str, **data: str) -> ConversationState:
    return state.reset().with_(flow=Flow.OBJECTION, step=step, data=data)


async def start_objection(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Menu "Ajukan keberatan" or "keberatan PPID-2026-000123": choose the request first."""
    if ctx.requests is None:
        return core.say(state.reset(), "form_unavailable")
    number = find_number(inp.text, NumberKind.REQUEST) if inp.kind is InputKind.TEXT else None
    if number is not None:
        return await _choose(str(number), status.last4_of(inp.text, number), state, ctx)
    own = await ctx.requests.requests_of_conversation(ctx.conversation.id)
    if not own:
        return Outcome((Reply(text=t("objection_ask_number", state.lang)),), _state(state, PICK))
    lines = [t("objection_pick", state.lang)]
    lines += [f"{n}. {r.number} ({status_label(r.status, state.lang)})" for n, r in enumerate(own, start=1)]
    choices = tuple(Choice(label=r.number, payload=f"{PREFIX}{PICK}:{r.number}") for r in own)
    return Outcome((Reply(text="\n".join(lines), choices=choices),), _state(state, PICK))


async def _choose(number: str, last4: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """The request to object to, if this conversation may act on it."""
    assert ctx.requests is not None
    parsed = find_number(number, NumberKind.REQUEST)
    record = await ctx.requests.get_request(number) if parsed else None
    own = record is not None and record.conversation_id == ctx.conversation.id
    if not own:
        if not last4:
            reply = Reply(text=t("status_ask_nik4", state.lang, number=number))
            return Outcome((reply,), _state(state, NIK4, number=number))
        allowed = record is not None and await request_service.may_see(
            ctx.requests, record, conversation_id=ctx.conversation.id, last4=last4, now=ctx.now
        )
        if not allowed:
            return core.say(state.reset(), "status_not_found")
    assert record is not None
    return await _ask_ground(record, state, ctx)


async def _refusal(record: RequestRecord, state: ConversationState, ctx: HandlerContext,
                   ground: ObjectionGround | None = None) -> Outcome | None:  # fmt: skip
    """Why an objection cannot be filed now, as a reply; None when it can."""
    assert ctx.requests is not None
    today = office_date(ctx.now, ctx.service_hours)
    lang = state.lang
    try:
        await request_service.check_objection_allowed(ctx.requests, record, today, ground)
    except request_service.ObjectionWindowClosed as closed:
        return core.say(state.reset(), "objection_window_closed", closes=format_date(closed.closed_on, lang))
    except request_service.AlreadyObjected:
        text = t("objection_already", lang, number=record.number, status=status_label(record.status, lang))
        return Outcome((Reply(text=text),), state.reset())
    except request_service.ObjectionTooEarly as early:
        return core.say(state, "objection_too_early", due=format_date(early.due_on, lang))
    return None


def _grounds_reply(state: ConversationState, *, lead: str = "") -> Reply:
    lang = state.lang
    lines = [lead] if lead else []
    lines.append(t("objection_grounds_title", lang))
    lines += [f"{g.value}. {t(g.text_key, lang)}" for g in GROUNDS]
    choices = tuple(
        Choice(label=f"{g.value.upper()}", payload=f"{PREFIX}{GROUND}:{g.value}") for g in GROUNDS
    )
    return Reply(text="\n".join(lines), choices=choices)


async def _ask_ground(record: RequestRecord, state: ConversationState, ctx: HandlerContext) -> Outcome:
    refusal = await _refusal(record, state, ctx)
    if refusal is not None:
        return refusal
    return Outcome((_grounds_reply(state),), _state(state, GROUND, number=record.number))


def parse_ground(text: str) -> ObjectionGround | None:
    """``"c"``, ``"C."``, ``"3"``, ``"huruf c"`` -> ``ObjectionGround.C``."""
    value = text.strip().lower().removeprefix("huruf").strip().rstrip(".)")
    if value.isdigit() and 1 <= int(value) <= len(GROUNDS):
        return GROUNDS[int(value) - 1]
    try:
        return ObjectionGround(value)
    except ValueError:
        return None


async def handle_objection(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    if ctx.requests is None:
        return core.say(state.reset(), "form_unavailable")
    step_prefix = f"{PREFIX}{state.step}:"
    if status.is_stale(inp, step_prefix):
        return core.say(state, "stale_choice")
    text = status.typed_answer(inp, step_prefix)
    if text is None:
        return core.say(state, "status_need_text")
    step = state.step
    if step == PICK:
        return await _on_pick(text, state, ctx)
    if step == NIK4:
        digits = status.last4_of(text, None)
        if not digits:
            return core.say(state, "status_nik4_invalid")
        return await _choose(state.data.get("number", ""), digits, state, ctx)
    record = await ctx.requests.get_request(state.data.get("number", ""))
    if record is None:
        return core.say(state.reset(), "status_not_found")
    if step == GROUND:
        return await _on_ground(text, record, state, ctx)
    return await _on_explanation(text, record, state, ctx)


async def _on_pick(text: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    assert ctx.requests is not None
    number = find_number(text, NumberKind.REQUEST)
    if number is not None:
        return await _choose(str(number), status.last4_of(text, number), state, ctx)
    own = await ctx.requests.requests_of_conversation(ctx.conversation.id)
    choice = text.strip()
    if choice.isdigit() and 1 <= int(choice) <= len(own):
        return await _ask_ground(own[int(choice) - 1], state, ctx)
    return core.say(state, "status_number_invalid")


async def _on_ground(
    text: str, record: RequestRecord, state: ConversationState, ctx: HandlerContext
) -> Outcome:
    ground = parse_ground(text)
    if ground is None:
        lead = t("objection_ground_invalid", state.lang)
        return Outcome((_grounds_reply(state, lead=lead),), state)
    refusal = await _refusal(record, state, ctx, ground)
    if refusal is not None:
        return refusal
    data = {**state.data, "ground": ground.value}
    reply = Reply(text=t("objection_ask_explanation", state.lang, ground=t(ground.text_key, state.lang)))
    return Outcome((reply,), state.with_(step=EXPLAIN, data=data))


async def _on_explanation(
    text: str, record: RequestRecord, state: ConversationState, ctx: HandlerContext
) -> Outcome:
    assert ctx.requests is not None
    cleaned = clean_free_text(text)
    if not cleaned.ok:
        return core.say(state, cleaned.error, **cleaned.values)
    ground = ObjectionGround(state.data.get("ground", "c"))
    refusal = await _refusal(record, state, ctx, ground)
    if refusal is not None:
        return refusal
    objection = await request_service.file_objection(
        ctx.requests,
        record,
        ground,
        cleaned.value,
        received_at=ctx.conversation.received_at,
        hours=ctx.service_hours,
        conversation_id=ctx.conversation.id,
        channel=ctx.conversation.channel.value,
    )
    cal = await request_service.calendar(ctx.requests)
    lang = state.lang
    text = t(
        "objection_filed",
        lang,
        number=objection.number,
        request=record.number,
        due=format_date(objection.due_on, lang),
        commission=format_date(request_service.commission_deadline(objection, cal), lang),
    )
    return Outcome((Reply(text=text),), state.reset())


def mentions_objection(text: str) -> bool:
    return "keberatan" in text.lower() and find_number(text, NumberKind.REQUEST) is not None


MENU_ENTRY = MenuEntry(
    key="objection",
    label_key="menu_objection",
    words=frozenset({"keberatan", "ajukan keberatan", "objection", "banding", "komplain permohonan"}),
    handler=start_objection,
    order=40,
)


def install(router: Router) -> None:
    router.add_flow(Flow.OBJECTION, handle_objection)
    router.add_intent(mentions_objection, start_objection)
    router.add_menu_entry(MENU_ENTRY)
