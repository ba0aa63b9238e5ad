"""Status of a request: "cek status PPID-2026-000123" or the menu.

Shows the status, due date, working days left, outcome and notice (UU 14/2008 Pasal 22(7)).
Only the conversation that filed the request sees it at once; anyone else must give the access
code handed out at filing ("cek status PPID-2026-000123 ABCD-EFGH-JKMN"), and gets the same
"not found" for a wrong code as for a number that does not exist, so the bot reveals nothing
about other people's requests (UU 27/2022 Pasal 35). Failed tries are limited per asking
conversation (``request_service.check_access``). "kode akses saya" shows the filing conversation
its codes again.
"""

from __future__ import annotations

from handlers import core, request_service
from handlers.context import HandlerContext
from handlers.domain.access import find_access_code, format_access_code, normalize_access_code
from handlers.domain.deadlines import office_date
from handlers.domain.regno import NumberKind, RegNo, find_number
from handlers.menu import MenuEntry
from handlers.request_ports import RequestPort, RequestRecord
from handlers.request_texts import status_label, status_text
from handlers.router import Router
from handlers.texts import t
from handlers.types import Choice, ConversationState, Flow, InputKind, Outcome, Reply, UserInput

ASK_NUMBER = "number"
ASK_CODE = "code"
PREFIX = f"{Flow.STATUS.value}:"


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


async def gate(
    record: RequestRecord | None, number: str, code: str, asking: ConversationState,
    state: ConversationState, ctx: HandlerContext,
) -> Outcome | None:  # fmt: skip
    """None when this conversation may see and act on ``record``; otherwise the reply: a request
    for the access code (``asking`` is the state that waits for it), "not found" for a wrong code
    or an unknown number alike, or a polite wait after too many failed tries."""
    assert ctx.requests is not None
    if request_service.is_owner(record, ctx.conversation.id):
        return None
    if not code:
        return Outcome((Reply(text=t("status_ask_code", state.lang, number=number)),), asking)
    granted = await request_service.check_access(
        ctx.requests, record, conversation_id=ctx.conversation.id, code=code, now=ctx.now
    )
    if granted is request_service.Access.WAIT:
        return core.say(state.reset(), "status_wait")
    return None if granted is request_service.Access.GRANTED else _not_found(state)


async def check(number: RegNo, code: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Show the request when this conversation may see it; otherwise ask for (or refuse on) the
    access code, whether or not the number exists."""
    assert ctx.requests is not None
    record = await resolve(ctx.requests, number)
    asking = state.reset().with_(flow=Flow.STATUS, step=ASK_CODE, data={"number": str(number)})
    refused = await gate(record, str(number), code, asking, state, ctx)
    if refused is not None:
        return refused
    assert record is not None
    return await _show(record, state, ctx)


async def code_answer(
    inp: UserInput, text: str, state: ConversationState, ctx: HandlerContext
) -> str | Outcome:
    """The access code typed while one is asked for, or the reply: to a malformed code, or to
    "kode akses saya" (the asker may be the filing chat after all)."""
    code = normalize_access_code(text)
    if code:
        return code
    if asks_for_my_code(text):
        return await show_my_codes(inp, state, ctx)
    return core.say(state, "status_code_invalid")


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
    if inp.kind is not InputKind.CHOICE and ctx.router is not None and moved_on(text, state.step):
        # "makasih", "emang semua info bisa diminta?": the citizen has moved on; answer that
        return await ctx.router.dispatch_private(inp, state.reset(), ctx)
    if state.step == ASK_CODE and find_number(text) is None:
        number = find_number(state.data.get("number", ""))
        if number is None:
            return _not_found(state)
        code = await code_answer(inp, text, state, ctx)
        return code if isinstance(code, Outcome) else await check(number, code, state, ctx)
    number = find_number(text)
    if number is None:
        if state.step == ASK_NUMBER and text.strip().isdigit():
            return await _pick_own(int(text.strip()), state, ctx)
        return core.say(state, "status_number_invalid")
    return await check(number, find_access_code(text), state, ctx)


def moved_on(text: str, step: str) -> bool:
    """Free text that is no answer to the number (or the access code) asked for: words and no
    digit at all (a mistyped number has digits; an access code is one word of letters)."""
    if any(ch.isdigit() for ch in text) or normalize_access_code(text):
        return False
    return len(text.split()) >= (3 if step == ASK_CODE else 1) and any(ch.isalpha() for ch in text)


async def _pick_own(n: int, state: ConversationState, ctx: HandlerContext) -> Outcome:
    assert ctx.requests is not None
    own = await ctx.requests.requests_of_conversation(ctx.conversation.id)
    if not 1 <= n <= len(own):
        return core.say(state, "status_number_invalid")
    return await _show(own[n - 1], state, ctx)


def mentions_status(text: str) -> bool:
    """Free text naming a request or objection number, not asking to object."""
    return find_number(text) is not None and "keberatan" not in text.lower()


MY_CODE_WORDS = ("kode akses", "access code")


def asks_for_my_code(text: str) -> bool:
    """Asks for this chat's codes: "kode akses saya", "my access code", "kode akses PPID-2026-000123"."""
    lowered = text.lower()
    return any(w in lowered for w in MY_CODE_WORDS) and not find_access_code(text)


async def show_my_codes(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """The access codes of the requests filed from this conversation, and of no other."""
    if ctx.requests is None:
        return core.say(state.reset(), "form_unavailable")
    own = list(await ctx.requests.requests_of_conversation(ctx.conversation.id))
    number = find_number(inp.text, NumberKind.REQUEST)
    if number is not None:
        own = [r for r in own if r.number == str(number)]
    if not own:
        return core.say(state.reset(), "access_code_none")
    lines = [t("access_code_title", state.lang)]
    for record in own:
        code = await ctx.requests.access_code_of(record.id)
        shown = format_access_code(code) if code else t("access_code_missing", state.lang)
        lines.append(f"• {record.number}: {shown}")
    lines.append(t("access_code_keep", state.lang))
    return Outcome((Reply(text="\n".join(lines)),), state.reset())


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
    router.add_intent(asks_for_my_code, show_my_codes)
    router.add_intent(mentions_status, handle_status_text)
    router.add_menu_entry(MENU_ENTRY)
