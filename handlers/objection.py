"""The objection (keberatan) to the Atasan PPID, in chat (UU 14/2008 Pasal 35-37).

Choose the request, the ground of Pasal 35(1) a-g (explained in plain words), an explanation
(with an example that fits the ground), then a summary to confirm, as the request form does:
nothing is filed before the citizen says "kirim".
Refused once the 30 working days of Pasal 36(1) have passed, with the day the window closed.
The reply gives the objection number, the Atasan PPID's due date (Pasal 36(2)) and how to go to
the Komisi Informasi afterwards (Pasal 37). Only the filing conversation, or someone who gives
the request's access code, may object (as for the status): a stranger who knows a number cannot
file an objection that would block the requester's own. The ground must fit the request's state
(``handlers.domain.grounds``).
"""

from __future__ import annotations

from handlers import core, request_form, request_service, status
from handlers.cleaners import clean_free_text
from handlers.context import HandlerContext
from handlers.domain.access import find_access_code
from handlers.domain.deadlines import office_date
from handlers.domain.lifecycle import ObjectionGround
from handlers.domain.regno import NumberKind, find_number
from handlers.menu import MenuEntry
from handlers.request_ports import RequestRecord
from handlers.request_texts import format_date, status_label
from handlers.router import Router
from handlers.texts import t
from handlers.types import (
    Choice,
    ConversationState,
    Flow,
    InputKind,
    Lang,
    Outcome,
    Reply,
    ReplyStyle,
    UserInput,
)

PICK = "request"
CODE = "code"
GROUND = "ground"
EXPLAIN = "explain"
CONFIRM = "confirm"
GRANTED = "granted"  # state data: this conversation gave the request's access code
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
        return await _choose(str(number), find_access_code(inp.text), state, ctx)
    own = await ctx.requests.requests_of_conversation(ctx.conversation.id)
    if not own:
        return Outcome((Reply(text=t("objection_ask_number", state.lang)),), _state(state, PICK))
    lines = [t("objection_pick", state.lang)]
    lines += [f"{n}. {r.number} ({status_label(r.status, state.lang)})" for n, r in enumerate(own, start=1)]
    choices = tuple(Choice(label=r.number, payload=f"{PREFIX}{PICK}:{r.number}") for r in own)
    return Outcome((Reply(text="\n".join(lines), choices=choices),), _state(state, PICK))


async def _choose(number: str, code: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """The request to object to, if this conversation may act on it: it filed it, or it gives the
    access code. A wrong code and an unknown number get the same answer."""
    assert ctx.requests is not None
    parsed = find_number(number, NumberKind.REQUEST)
    record = await ctx.requests.get_request(number) if parsed else None
    asking = _state(state, CODE, number=number)
    refused = await status.gate(record, number, code, asking, state, ctx)
    if refused is not None:
        return refused
    assert record is not None
    return await _ask_ground(
        record, state, ctx, granted=not request_service.is_owner(record, ctx.conversation.id)
    )


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
    except request_service.GroundDoesNotFit as misfit:
        return core.say(state, misfit.problem.text_key)
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


async def _ask_ground(
    record: RequestRecord, state: ConversationState, ctx: HandlerContext, *, granted: bool = False
) -> Outcome:
    """Ask for the ground; ``granted`` marks a conversation let in by the access code, so the
    later steps know it passed the gate (the filing conversation needs no mark)."""
    refusal = await _refusal(record, state, ctx)
    if refusal is not None:
        return refusal
    data = {"number": record.number, **({GRANTED: "1"} if granted else {})}
    return Outcome((_grounds_reply(state),), _state(state, GROUND, **data))


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
    asked = status.ASK_CODE if step == CODE else status.ASK_NUMBER
    if (
        step in (PICK, CODE)
        and inp.kind is not InputKind.CHOICE
        and ctx.router is not None
        and status.moved_on(text, asked)
    ):
        return await ctx.router.dispatch_private(inp, state.reset(), ctx)  # no number: moved on
    if step == PICK:
        return await _on_pick(text, state, ctx)
    if step == CODE:
        code = await status.code_answer(inp, text, state, ctx)
        if isinstance(code, Outcome):
            return code
        return await _choose(state.data.get("number", ""), code, state, ctx)
    record = await ctx.requests.get_request(state.data.get("number", ""))
    allowed = request_service.is_owner(record, ctx.conversation.id) or state.data.get(GRANTED) == "1"
    if record is None or not allowed:
        return core.say(state.reset(), "status_not_found")
    if step == GROUND:
        return await _on_ground(text, record, state, ctx)
    if step == CONFIRM:
        return await _on_confirm(text, record, state, ctx)
    return await _on_explanation(text, record, state, ctx)


async def _on_pick(text: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    assert ctx.requests is not None
    number = find_number(text, NumberKind.REQUEST)
    if number is not None:
        return await _choose(str(number), find_access_code(text), state, ctx)
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
    lang = state.lang
    text = t(
        "objection_ask_explanation", lang, ground=t(ground.text_key, lang), example=_example(ground, lang)
    )
    return Outcome((Reply(text=text),), state.with_(step=EXPLAIN, data=data))


def _example(ground: ObjectionGround, lang: Lang) -> str:
    """An explanation that fits ``ground``: a fee complaint under f, a late answer under g."""
    return t(f"objection_example_{ground.value}", lang)


_EXPLAIN_ERRORS = {
    "clean_free_text_short": "objection_explain_short",
    "clean_free_text_long": "objection_explain_long",
}


async def _on_explanation(
    text: str, record: RequestRecord, state: ConversationState, ctx: HandlerContext
) -> Outcome:
    ground = ObjectionGround(state.data.get("ground", "c"))
    cleaned = clean_free_text(text)
    if not cleaned.ok:
        key = _EXPLAIN_ERRORS.get(cleaned.error, cleaned.error)
        return core.say(state, key, example=_example(ground, state.lang), **cleaned.values)
    data = {**state.data, EXPLAIN: cleaned.value}
    return Outcome(
        (_summary(record, ground, cleaned.value, state.lang),), state.with_(step=CONFIRM, data=data)
    )


def _summary(record: RequestRecord, ground: ObjectionGround, explanation: str, lang: Lang) -> Reply:
    """What will be filed, before it is (as the request form's summary)."""
    text = t(
        "objection_summary",
        lang,
        request=record.number,
        letter=ground.value,
        ground=t(ground.text_key, lang),
        explanation=explanation,
    )
    choices = (
        Choice(t("objection_choice_send", lang), f"{PREFIX}{CONFIRM}:send"),
        Choice(t("objection_choice_edit", lang), f"{PREFIX}{CONFIRM}:edit"),
        Choice(t("form_choice_discard", lang), f"{PREFIX}{CONFIRM}:discard"),
    )
    return Reply(text=text, choices=choices)


async def _on_confirm(
    text: str, record: RequestRecord, state: ConversationState, ctx: HandlerContext
) -> Outcome:
    words = " ".join(text.lower().split()).rstrip(".!")
    ground = ObjectionGround(state.data.get("ground", "c"))
    explanation = state.data.get(EXPLAIN, "")
    if words in request_form.CONFIRM_WORDS or words in {"kirim keberatan", "send"}:
        return await _file(record, ground, explanation, state, ctx)
    if words in request_form.EDIT_WORDS or words == "ubah alasan atau penjelasan":
        data = {k: v for k, v in state.data.items() if k not in ("ground", EXPLAIN)}
        return Outcome((_grounds_reply(state),), state.with_(step=GROUND, data=data))
    if words in request_form.DISCARD_WORDS or words in {"discard", "batal"}:
        return core.handle_cancel(state)
    lead = t("objection_summary_invalid", state.lang)
    return Outcome((Reply(text=lead), _summary(record, ground, explanation, state.lang)), state)


async def _file(
    record: RequestRecord, ground: ObjectionGround, explanation: str, state: ConversationState,
    ctx: HandlerContext,
) -> Outcome:  # fmt: skip
    assert ctx.requests is not None
    refusal = await _refusal(record, state, ctx, ground)
    if refusal is not None:
        return refusal
    objection = await request_service.file_objection(
        ctx.requests,
        record,
        ground,
        explanation,
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
    return Outcome((Reply(text=text, style=ReplyStyle.NOTICE),), state.reset())


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
