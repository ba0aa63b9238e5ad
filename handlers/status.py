"""Status of a request: "cek status PPID-2026-000123" or the menu.

Shows the status, due date, working days left, outcome and notice (UU 14/2008 Pasal 22(7)).
Only the conversation that filed the request sees it at once; anyone else must also give the
last four digits of the requester's NIK, and gets the same "not found" for a wrong answer as
for a number that does not exist, so the bot reveals nothing about other people's requests
(UU 27/2022 Pasal 35).
"""

from __future__ import annotations

from handlers import core, request_service
from handlers.context import HandlerContext
from handlers.domain.deadlines import office_date
from handlers.domain.regno import NumberKind, RegNo, find_number
from handlers.menu import MenuEntry
from handlers.request_ports import RequestPort, RequestRecord
from handlers.request_texts import status_label, status_text
from handlers.router import Router
from handlers.texts import t
from handlers.types import Choice, ConversationState, Flow, InputKind, Outcome, Reply, UserInput

ASK_NUMBER = "number"
ASK_NIK4 = "nik4"
PREFIX = f"{Flow.STATUS.value}:"


def last4_of(text: str, number: RegNo | None) -> str:
    """Four digits typed after the number ("PPID-2026-000123 4321") or alone ("4321")."""
    rest = text.upper()
    if number is not None:
        rest = rest.split(str(number.year), 1)[-1]
        rest = rest.lstrip(" -/.").lstrip("0123456789")
    digits = "".join(ch for ch in rest if ch.isdigit())
    return digits if len(digits) == 4 else ""


def typed_answer(inp: UserInput, prefix: str) -> str | None:
    """The text of a typed answer or of a tapped button of this flow; None for files, stickers..."""
    if inp.kind is InputKind.CHOICE:
        return inp.choice.removeprefix(prefix)
    if inp.kind in (InputKind.TEXT, InputKind.COMMAND):
        return inp.text
    return None


def is_stale(inp: UserInput, prefix: str) -> bool:
    """A tapped button that belongs to another step of the flow (an older message)."""
    return inp.kind is InputKind.CHOICE and not inp.choice.startswith(prefix)


async def resolve(port: RequestPort, number: RegNo) -> RequestRecord | None:
    """The request a number names; an objection number names the request it objects to."""
    if number.kind is NumberKind.OBJECTION:
        objection = await port.get_objection(str(number))
        return await port.get_request(objection.request_number) if objection else None
    return await port.get_request(str(number))


async def _show(record: RequestRecord, state: ConversationState, ctx: HandlerContext) -> Outcome:
    assert ctx.requests is not None
    cal = await request_service.calendar(ctx.requests)
    today = office_date(ctx.now, ctx.service_hours)
    standing = request_service.standing(record, today, cal)
    objections = list(await ctx.requests.objections_of_request(record.id))
    text = status_text(record, standing, objections, cal, state.lang)
    return Outcome((Reply(text=text),), state.reset())


def _not_found(state: ConversationState) -> Outcome:
    return core.say(state.reset(), "status_not_found")


async def check(number: RegNo, last4: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Show the request when this conversation may see it; otherwise ask for (or refuse on) the
    last four NIK digits, whether or not the number exists."""
    assert ctx.requests is not None
    record = await resolve(ctx.requests, number)
    if record is not None and record.conversation_id == ctx.conversation.id:
        return await _show(record, state, ctx)
    if not last4:
        reply = Reply(text=t("status_ask_nik4", state.lang, number=str(number)))
        data = {"number": str(number)}
        return Outcome((reply,), state.reset().with_(flow=Flow.STATUS, step=ASK_NIK4, data=data))
    allowed = record is not None and await request_service.may_see(
        ctx.requests, record, conversation_id=ctx.conversation.id, last4=last4, now=ctx.now
    )
    return await _show(record, state, ctx) if allowed and record else _not_found(state)


async def start_status(_: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Menu "Cek status permohonan": this chat's requests as buttons, or ask for a number."""
    if ctx.requests is None:
        return core.say(state.reset(), "form_unavailable")
    own = await ctx.requests.requests_of_conversation(ctx.conversation.id)
    flow_state = state.reset().with_(flow=Flow.STATUS, step=ASK_NUMBER)
    if not own:
        return Outcome((Reply(text=t("status_ask_number", state.lang)),), flow_state)
    lines = [t("status_pick", state.lang)]
    lines += [f"{n}. {r.number} ({status_label(r.status, state.lang)})" for n, r in enumerate(own, start=1)]
    choices = tuple(Choice(label=r.number, payload=PREFIX + r.number) for r in own)
    return Outcome((Reply(text="\n".join(lines), choices=choices),), flow_state)


async def handle_status(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Inputs while the status flow waits for a number or the last four NIK digits."""
    if ctx.requests is None:
        return core.say(state.reset(), "form_unavailable")
    text = typed_answer(inp, PREFIX)
    if text is None:
        return core.say(state, "status_need_text")
    if state.step == ASK_NIK4 and find_number(text) is None:
        number = find_number(state.data.get("number", ""))
        digits = last4_of(text, None)
        if number is None:
            return _not_found(state)
        if not digits:
            return core.say(state, "status_nik4_invalid")
        return await check(number, digits, state, ctx)
    number = find_number(text)
    if number is None:
        if state.step == ASK_NUMBER and text.strip().isdigit():
            return await _pick_own(int(text.strip()), state, ctx)
        return core.say(state, "status_number_invalid")
    return await check(number, last4_of(text, number), state, ctx)


async def _pick_own(n: int, state: ConversationState, ctx: HandlerContext) -> Outcome:
    assert ctx.requests is not None
    own = await ctx.requests.requests_of_conversation(ctx.conversation.id)
    if not 1 <= n <= len(own):
        return core.say(state, "status_number_invalid")
    return await _show(own[n - 1], state, ctx)


def mentions_status(text: str) -> bool:
    """Free text naming a request or objection number, not asking to object."""
    return find_number(text) is not None and "keberatan" not in text.lower()


async def handle_status_text(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Free text such as "cek status PPID-2026-000123", typed outside any flow."""
    return await handle_status(inp, state.with_(flow=Flow.STATUS, step=ASK_NUMBER), ctx)


MENU_ENTRY = MenuEntry(
    key="status",
    label_key="menu_status",
    words=frozenset({"cek status", "status", "status permohonan", "cek status permohonan", "lacak",
                     "check status"}),
    handler=start_status,
    order=30,
)  # fmt: skip


def install(router: Router) -> None:
    router.add_flow(Flow.STATUS, handle_status)
    router.add_choice(Flow.STATUS.value, handle_status_text)
    router.add_intent(mentions_status, handle_status_text)
    router.add_menu_entry(MENU_ENTRY)
