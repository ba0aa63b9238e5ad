"""RT/RW coordinators in the chat: link the chat with a one-time code from the console, then
"Kirim pengumuman" (area, text, confirm) or "bagikan DIP-2024-0104 ke RW 02". An announcement may
carry one photo or PDF: sent with the text as its caption, or the text in the next message.

What a coordinator may send is decided by ``handlers.services.broadcasts`` behind the port (their
own RW or RT only); a resident who asks to send gets told how to subscribe instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from handlers.area_ports import Announced, AreaRecord, CoordinatorPort, TooManyCodes
from handlers.context import HandlerContext
from handlers.domain.areas import read_area_query
from handlers.domain.files import clean_file_name, megabytes
from handlers.router import Router
from handlers.services.broadcasts import MAX_TEXT
from handlers.texts import t
from handlers.types import Attachment, Choice, ConversationState, Flow, InputKind, Outcome, Reply, UserInput

CHOICE_PREFIX = "coord"
SEND_PAYLOAD = f"{CHOICE_PREFIX}:announce"
AREA, TEXT = "coord_area", "coord_text"
FILE_REF, FILE_TYPE, FILE_SIZE, FILE_NAME = (
    "coord_file",
    "coord_file_type",
    "coord_file_size",
    "coord_file_name",
)
STEP_AREA, STEP_TEXT, STEP_CONFIRM = "area", "text", "confirm"
_CODE = re.compile(r"^(?:kode|code)\s*[:#]?\s*(\d{6})$", re.IGNORECASE)
_SHARE = re.compile(r"^(?:bagikan|share)\s+([a-z]{2,5}-\d{4}-\d{1,6})\s+(?:ke|to)\s+(.+)$", re.IGNORECASE)
SEND_WORDS = frozenset({"kirim pengumuman", "buat pengumuman", "send announcement"})


def _port(ctx: HandlerContext) -> CoordinatorPort | None:
    return ctx.coordinators


def is_coordinator_text(text: str) -> bool:
    lowered = " ".join(text.lower().split())
    return bool(_CODE.match(lowered) or _SHARE.match(lowered)) or lowered in SEND_WORDS


def _say(state: ConversationState, key: str, choices: Sequence[Choice] = (), **values: object) -> Outcome:
    return Outcome((Reply(text=t(key, state.lang, **values), choices=tuple(choices)),), state)


async def handle_text(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    port = _port(ctx)
    lowered = " ".join(inp.text.lower().split())
    if port is None:
        return _say(state.reset(), "co_not_coordinator")
    if code := _CODE.match(lowered):
        try:
            info = await port.link(code.group(1), ctx.conversation.id)
        except TooManyCodes:
            return _say(state.reset(), "co_too_many_codes")
        if info is None:
            return _say(state.reset(), "co_bad_code")
        send = Choice(label=t("co_send", state.lang), payload=SEND_PAYLOAD)
        return _say(state.reset(), "co_linked", (send,), username=info.username, areas=info.labels)
    if share := _SHARE.match(lowered):
        return await _share(port, share.group(1).upper(), share.group(2), state, ctx)
    return await start(inp, state, ctx)


async def _share(
    port: CoordinatorPort, entry_id: str, where: str, state: ConversationState, ctx: HandlerContext
) -> Outcome:
    info = await port.linked(ctx.conversation.id)
    if info is None:
        return _say(state.reset(), "co_not_coordinator")
    query = read_area_query(where)
    mine = [a for a in info.areas if _fits(a, query.rw, query.rt)]
    if len(mine) != 1:
        return _say(state.reset(), "co_not_your_area", areas=info.labels)
    return _announced(
        await port.announce(ctx.conversation.id, mine[0].key, entry_id=entry_id), mine[0], state
    )


def _fits(area: AreaRecord, rw: int | None, rt: int | None) -> bool:
    """Whether a coordinator's own area is what "RW 02" / "RT 3 RW 2" / "RT 3" names."""
    if rw is not None and rt is not None:
        return area.key.endswith(f"/rw{rw:02d}/rt{rt:03d}")
    if rw is not None:
        return area.key.endswith(f"/rw{rw:02d}")
    return rt is not None and area.key.endswith(f"/rt{rt:03d}")


def _announced(result: Announced, area: AreaRecord, state: ConversationState) -> Outcome:
    if result.refused:
        return _say(state.reset(), "co_refused", reason=result.refused)
    key = "co_queued"
    if result.awaiting_approval:
        key = "co_awaiting_no_officer" if result.no_approver else "co_awaiting"
    return _say(state.reset(), key, id=result.broadcast_id, area=area.label)


async def start(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """ "Kirim pengumuman": only for a linked coordinator; their area first (when several)."""
    port = _port(ctx)
    info = await port.linked(ctx.conversation.id) if port is not None else None
    if info is None or not info.areas:
        return _say(state.reset(), "co_not_coordinator")
    if len(info.areas) == 1:
        return _ask_text(state, info.areas[0], info.max_file_bytes)
    choices = [Choice(label=a.label, payload=f"{Flow.BROADCAST}:{a.key}") for a in info.areas]
    return _say(
        ConversationState(flow=Flow.BROADCAST, step=STEP_AREA, lang=state.lang), "co_pick_area", choices
    )


def _ask_text(state: ConversationState, area: AreaRecord, max_file_bytes: int) -> Outcome:
    asking = ConversationState(flow=Flow.BROADCAST, step=STEP_TEXT, lang=state.lang, data={AREA: area.key})
    return _say(asking, "co_ask_text", area=area.label, size=megabytes(max_file_bytes))


def _file_of(data: dict[str, str]) -> Attachment | None:
    """The photo or PDF the coordinator sent for this announcement (already in the store)."""
    if not data.get(FILE_REF):
        return None
    return Attachment(data[FILE_REF], data[FILE_TYPE], int(data[FILE_SIZE]), data.get(FILE_NAME, ""))


def _take_file(inp: UserInput, state: ConversationState, max_file_bytes: int) -> Outcome | ConversationState:
    """A photo or PDF for the announcement: kept in the state (too large: refused politely)."""
    file = inp.attachment
    assert file is not None
    if file.size > max_file_bytes:
        return _say(state, "co_file_too_big", size=megabytes(file.size), limit=megabytes(max_file_bytes))
    name = clean_file_name(
        file.file_name, file.mime_type, "foto" if file.mime_type.startswith("image/") else "dokumen"
    )
    return state.with_(
        data={
            **state.data,
            FILE_REF: file.ref,
            FILE_TYPE: file.mime_type,
            FILE_SIZE: str(file.size),
            FILE_NAME: name,
        }
    )


async def handle_flow(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    port = _port(ctx)
    info = await port.linked(ctx.conversation.id) if port is not None else None
    if port is None or info is None:
        return _say(state.reset(), "co_not_coordinator")
    areas = {a.key: a for a in info.areas}
    if state.step == STEP_AREA:
        key = inp.choice.split(":", 1)[1] if inp.kind is InputKind.CHOICE and ":" in inp.choice else ""
        if key not in areas:
            return _say(state, "co_not_your_area", areas=info.labels)
        return _ask_text(state, areas[key], info.max_file_bytes)
    area = areas.get(state.data.get(AREA, ""))
    if area is None:
        return _say(state.reset(), "co_not_your_area", areas=info.labels)
    if state.step == STEP_TEXT:
        if inp.kind in (InputKind.PHOTO, InputKind.DOCUMENT) and inp.attachment is not None:
            taken = _take_file(inp, state, info.max_file_bytes)
            if isinstance(taken, Outcome):
                return taken
            state = taken
            if not inp.text.strip():  # no caption: the next message is the text
                return _say(state, "co_file_received", name=state.data[FILE_NAME])
        text = inp.text.strip() if inp.kind in (InputKind.TEXT, InputKind.PHOTO, InputKind.DOCUMENT) else ""
        if not text:
            return _say(state, "co_ask_text", area=area.label, size=megabytes(info.max_file_bytes))
        if len(text) > MAX_TEXT:
            return _say(state, "co_too_long", length=len(text), limit=MAX_TEXT)
        yes = Choice(label=t("co_yes", state.lang), payload=f"{Flow.BROADCAST}:yes")
        no = Choice(label=t("co_no", state.lang), payload=f"{Flow.BROADCAST}:no")
        confirming = state.with_(step=STEP_CONFIRM, data={**state.data, TEXT: text})
        file = _file_of(confirming.data)
        if file is not None:
            return _say(
                confirming, "co_confirm_file", (yes, no), area=area.label, text=text, name=file.file_name
            )
        return _say(confirming, "co_confirm", (yes, no), area=area.label, text=text)
    answer = inp.choice if inp.kind is InputKind.CHOICE else inp.text.strip().lower()
    if answer in (f"{Flow.BROADCAST}:yes", "ya", "kirim", "yes"):
        announced = await port.announce(
            ctx.conversation.id, area.key, state.data.get(TEXT, ""), attachment=_file_of(state.data)
        )
        return _announced(announced, area, state)
    return _say(state.reset(), "cancelled")


def install(router: Router) -> None:
    router.add_intent(is_coordinator_text, handle_text)
    router.add_flow(Flow.BROADCAST, handle_flow)
    router.add_choice(CHOICE_PREFIX, start)
