"""The formal information request in chat (UU 14/2008 Pasal 22; Perki 1/2021 request form).

First a personal-data notice and the citizen's agreement (UU 27/2022 Pasal 20(2)), then the
fields of :data:`FIELDS`. The next question is always the first missing field; every answer is
cleaned (``handlers.cleaners``) and a wrong one gets a specific re-prompt with an example. The
citizen can go back, edit one field from the summary, cancel ("batal", handled by the router),
or come back hours later: the answers live in the conversation state in the database (sealed at
rest). The request exists only once the summary is confirmed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from handlers import core, request_service
from handlers.cleaners import (
    COPY_DELIVERY_OPTIONS,
    FILING_AS_OPTIONS,
    OBTAIN_METHOD_OPTIONS,
    REQUESTER_TYPE_OPTIONS,
    Cleaned,
    Option,
    clean_address,
    clean_copy_delivery,
    clean_email,
    clean_filing_as,
    clean_information,
    clean_legal_entity_number,
    clean_name,
    clean_nik,
    clean_obtain_method,
    clean_phone,
    clean_purpose,
    clean_requester_type,
    is_skip_answer,
    suggest_mail_domain,
)
from handlers.context import DEFAULT_CITY, HandlerContext
from handlers.domain.access import format_access_code
from handlers.domain.fields import CopyDelivery, FilingAs, ObtainMethod, RequesterType
from handlers.menu import MenuEntry
from handlers.request_ports import RequestDraft
from handlers.request_texts import format_date, mask_nik
from handlers.router import GREETING_WORDS, Router
from handlers.status import is_stale, typed_answer
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

Data = Mapping[str, str]

CONSENT = "consent"
SUMMARY = "summary"
EDIT = "edit"
PREFIX = f"{Flow.REQUEST_FORM.value}:"
BACK_WORDS = frozenset({"kembali", "back", "sebelumnya", "mundur", "balik"})
RESUME_WORDS = frozenset({"lanjut", "lanjutkan", "continue", "teruskan"})
YES_WORDS = frozenset({"1", "ya", "yes", "setuju", "saya setuju", "ok", "oke", "agree", "y"})
NO_WORDS = frozenset({"2", "tidak", "no", "tidak setuju", "tolak", "n"})
CONFIRM_WORDS = frozenset({"1", "kirim", "ya", "benar", "sudah benar", "yes", "send", "confirm", "ok", "oke"})
EDIT_WORDS = frozenset({"2", "ubah", "edit", "ganti", "perbaiki", "koreksi", "change"})
DISCARD_WORDS = frozenset({"3", "batalkan", "hapus"})
_AT = "_at"  # when the last answer came (ISO), to greet a returning citizen
_NIK_NOTE = "_nik_note"
_EMAIL_TYPO = "_email_typo"  # an address with a likely misspelt domain, kept when typed again
MAX_PAYLOAD = 64  # the shortest button payload limit of the channels (Telegram callback_data bytes)
_CITY = "_city"  # the office's region, for the examples of the address and information questions


def _always(_: Data) -> bool:
    return True


def _never(_: Data) -> bool:
    return False


def _is_entity(data: Data) -> bool:
    return data.get("requester_type") == RequesterType.LEGAL_ENTITY.value


def _wants_copy(data: Data) -> bool:
    return data.get("obtain_method", "") != ObtainMethod.VIEW.value


def _email_optional(data: Data) -> bool:
    return data.get("copy_delivery") != CopyDelivery.EMAIL.value


def _keep_attachment(raw: str) -> Cleaned:
    """Text at the attachment step: only "lewati" (skip) is an answer; a file is expected."""
    return Cleaned(value="") if is_skip_answer(raw) else Cleaned(error="form_attachment_need_file")


def _fixed(key: str) -> Callable[[Data], str]:
    return lambda _data: key


def _by_type(default: str, entity: str, group: str) -> Callable[[Data], str]:
    keys = {RequesterType.LEGAL_ENTITY.value: entity, RequesterType.GROUP.value: group}
    return lambda data: keys.get(data.get("requester_type", ""), default)


def _attachment_question(data: Data) -> str:
    if data.get("filing_as") == FilingAs.PROXY.value:
        return "form_q_attachment_proxy"
    return "form_q_attachment_entity" if _is_entity(data) else "form_q_attachment"


@dataclass(frozen=True, slots=True)
class FormField:
    """One question of the form: its answer is stored under ``name`` after ``cleaner``."""

    name: str
    question: Callable[[Data], str]  # texts key, may depend on earlier answers
    cleaner: Callable[[str], Cleaned]
    label: str  # texts key of the summary line
    applies: Callable[[Data], bool] = _always
    optional: Callable[[Data], bool] = _never  # "lewati" stores ""
    options: tuple[Option, ...] = ()
    accepts_file: bool = False
    secret: bool = False  # shown masked in the summary


FIELDS: tuple[FormField, ...] = (
    FormField("requester_type", _fixed("form_q_requester_type"), clean_requester_type,
              "form_label_requester_type", options=REQUESTER_TYPE_OPTIONS),
    FormField("filing_as", _fixed("form_q_filing_as"), clean_filing_as, "form_label_filing_as",
              options=FILING_AS_OPTIONS),
    FormField("name", _by_type("form_q_name", "form_q_name_entity", "form_q_name_group"), clean_name,
              "form_label_name"),
    FormField("nik", _fixed("form_q_nik"), clean_nik, "form_label_nik",
              applies=lambda d: not _is_entity(d), secret=True),
    FormField("legal_entity_number", _fixed("form_q_legal_entity_number"), clean_legal_entity_number,
              "form_label_legal_entity_number", applies=_is_entity),
    FormField("address", _fixed("form_q_address"), clean_address, "form_label_address"),
    FormField("phone", _fixed("form_q_phone"), clean_phone, "form_label_phone", optional=_always),
    FormField("email", lambda d: "form_q_email" if _email_optional(d) else "form_q_email_required",
              clean_email, "form_label_email", optional=_email_optional),
    FormField("information", _fixed("form_q_information"), clean_information, "form_label_information"),
    FormField("purpose", _fixed("form_q_purpose"), clean_purpose, "form_label_purpose"),
    FormField("obtain_method", _fixed("form_q_obtain_method"), clean_obtain_method,
              "form_label_obtain_method", options=OBTAIN_METHOD_OPTIONS),
    FormField("copy_delivery", _fixed("form_q_copy_delivery"), clean_copy_delivery,
              "form_label_copy_delivery", applies=_wants_copy, options=COPY_DELIVERY_OPTIONS),
    FormField("attachment", _attachment_question, _keep_attachment, "form_label_attachment",
              optional=_always, accepts_file=True),
)  # fmt: skip
"""The form as data: (name, question key, cleaner) plus when it applies and whether it may be skipped."""

_BY_NAME = {f.name: f for f in FIELDS}


def applicable(data: Data) -> list[FormField]:
    return [f for f in FIELDS if f.applies(data)]


def _missing(field: FormField, data: Data) -> bool:
    return field.name not in data or (data[field.name] == "" and not field.optional(data))


def next_field(data: Data) -> FormField | None:
    """The first applicable field without an answer: the next question."""
    return next((f for f in applicable(data) if _missing(f, data)), None)


# --- rendering ---


def _numbered(options: tuple[Option, ...], lang: Lang) -> str:
    return "\n".join(f"{n}. {t(o.label_key, lang)}" for n, o in enumerate(options, start=1))


def _payload(step: str, value: str) -> str:
    """A button's payload names its step, so a tap on an older message cannot answer a later question."""
    return f"{PREFIX}{step}:{value}"


def _option_choices(field: FormField, lang: Lang) -> tuple[Choice, ...]:
    return tuple(Choice(t(o.label_key, lang), _payload(field.name, o.value.value)) for o in field.options)


def _city(data: Data) -> str:
    return data.get(_CITY) or DEFAULT_CITY


def question(field: FormField, data: Data, lang: Lang, *, lead: str = "") -> Reply:
    parts = [lead] if lead else []
    parts.append(t(field.question(data), lang, city=_city(data)))
    if field.options:
        parts.append(_numbered(field.options, lang))
    if field.optional(data) and not field.accepts_file:
        parts.append(t("form_optional_hint", lang))
    choices = _option_choices(field, lang)
    if field.accepts_file:  # a button for the answer that is not a file
        choices += (Choice(t("form_choice_skip", lang), _payload(field.name, "lewati")),)
    return Reply(text="\n".join(parts), choices=choices)


def _display(field: FormField, value: str, lang: Lang) -> str:
    if value == "":
        return t("form_not_given", lang)
    if field.accepts_file:
        return t("form_file_attached", lang)
    if field.secret:
        return mask_nik(value)
    for option in field.options:
        if option.value.value == value:
            return t(option.label_key, lang)
    return value


def summary(data: Data, lang: Lang) -> Reply:
    lines = [t("form_summary_title", lang)]
    for n, field in enumerate(applicable(data), start=1):
        lines.append(f"{n}. {t(field.label, lang)}: {_display(field, data.get(field.name, ''), lang)}")
    lines.append("")
    lines.append(t("form_summary_actions", lang))
    choices = (
        Choice(t("form_choice_confirm", lang), _payload(SUMMARY, "confirm")),
        Choice(t("form_choice_edit", lang), _payload(SUMMARY, "edit")),
        Choice(t("form_choice_discard", lang), _payload(SUMMARY, "discard")),
    )
    return Reply(text="\n".join(lines), choices=choices)


def _consent(lang: Lang, retention_days: int) -> Reply:
    years, rest = divmod(retention_days, 365)
    period = t("form_years", lang, n=years) if not rest else t("form_days", lang, n=retention_days)
    return Reply(
        text=t("form_pdp_notice", lang, retention=period),
        choices=(
            Choice(t("form_choice_agree", lang), _payload(CONSENT, "yes")),
            Choice(t("form_choice_disagree", lang), _payload(CONSENT, "no")),
        ),
    )


# --- state helpers ---


def _stamp(data: Mapping[str, str], now: datetime, **changes: str) -> dict[str, str]:
    return {**data, **changes, _AT: now.isoformat()}


def _ask_next(state: ConversationState, data: dict[str, str], *, lead: str = "") -> Outcome:
    field = next_field(data)
    if field is None:
        replies = (Reply(text=lead),) if lead else ()
        return Outcome((*replies, summary(data, state.lang)), state.with_(step=SUMMARY, data=data))
    return Outcome((question(field, data, state.lang, lead=lead),), state.with_(step=field.name, data=data))


def _reask(state: ConversationState, lead_key: str, **values: object) -> Outcome:
    """Say what was wrong, then the current step's question again; the state is kept."""
    lead = t(lead_key, state.lang, **{"city": _city(state.data), **values})
    if state.step == SUMMARY:
        return Outcome((Reply(text=lead), summary(state.data, state.lang)), state)
    if state.step == EDIT:
        return Outcome((_edit_prompt(state.data, state.lang, lead=lead),), state)
    if state.step == CONSENT:
        return Outcome((Reply(text=lead), _consent(state.lang, _retention(state))), state)
    field = _BY_NAME.get(state.step) or next_field(state.data)
    if field is None:
        return Outcome((Reply(text=lead), summary(state.data, state.lang)), state)
    return Outcome((question(field, state.data, state.lang, lead=lead),), state)


def _retention(state: ConversationState) -> int:
    return int(state.data.get("_retention", "1825"))


def _edit_prompt(data: Data, lang: Lang, *, lead: str = "") -> Reply:
    lines = [lead] if lead else []
    lines.append(t("form_edit_prompt", lang))
    lines += [f"{n}. {t(f.label, lang)}" for n, f in enumerate(applicable(data), start=1)]
    return Reply(text="\n".join(lines))


# --- entry points ---


async def start_form(_: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Menu "Ajukan permohonan informasi": the personal-data notice first (UU 27/2022)."""
    if ctx.requests is None:
        return core.say(state.reset(), "form_unavailable")
    data = _stamp({}, ctx.now, _retention=str(ctx.retention_days), _city=ctx.city_name)
    reply = _consent(state.lang, ctx.retention_days)
    return Outcome((reply,), state.reset().with_(flow=Flow.REQUEST_FORM, step=CONSENT, data=data))


async def handle_form(inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Every input while the form is open: an answer, a file, "kembali", or something else."""
    step = state.step
    field = _BY_NAME.get(step)
    is_file = inp.kind in (InputKind.PHOTO, InputKind.DOCUMENT) and inp.attachment is not None
    if field is not None and field.accepts_file and is_file and inp.attachment is not None:
        data = _stamp(state.data, ctx.now, **{field.name: inp.attachment.ref})
        return _ask_next(state, data, lead=t("form_attachment_received", state.lang))
    if is_stale(inp, _payload(step, "")):
        return _reask(state, "stale_choice")
    answer = typed_answer(inp, _payload(step, ""))
    if answer is None and step == "phone" and inp.kind is InputKind.CONTACT and inp.contact_phone:
        answer = inp.contact_phone
    if answer is None:
        return _reask(state, "form_need_file_or_skip" if field and field.accepts_file else "form_need_text")
    words = " ".join(answer.lower().split()).rstrip(".!")
    if words in GREETING_WORDS or words in RESUME_WORDS:
        return _reask(state, "form_welcome_back")
    if words in BACK_WORDS:
        return _go_back(state, ctx.now)
    if step == CONSENT:
        return _on_consent(words, state, ctx.now)
    if step == SUMMARY:
        return await _on_summary(words, state, ctx)
    if step == EDIT:
        return _on_edit(words, state, ctx.now)
    if field is None:  # an unknown step (an older version's state): continue where the data says
        return _ask_next(state, dict(state.data))
    return _on_answer(field, answer, state, ctx.now)


def _on_answer(field: FormField, answer: str, state: ConversationState, now: datetime) -> Outcome:
    if field.optional(state.data) and is_skip_answer(answer):
        cleaned = Cleaned(value="")
    else:
        cleaned = field.cleaner(answer)
    if not cleaned.ok:
        return _reask(state, cleaned.error, **cleaned.values)
    if field.name == "email" and (typo := _email_typo(cleaned.value, state)) is not None:
        return typo
    data = _stamp(state.data, now, **{field.name: cleaned.value})
    lead = ""
    if field.name == "nik" and _NIK_NOTE not in data:
        data[_NIK_NOTE] = "1"
        lead = t("nik_not_verified", state.lang)
    return _ask_next(state, data, lead=lead)


def _email_typo(address: str, state: ConversationState) -> Outcome | None:
    """Ask "did you mean gmail.com?" for a likely misspelt domain; an address typed (or tapped)
    twice is the citizen's own and is kept."""
    suggested = suggest_mail_domain(address)
    if suggested is None or state.data.get(_EMAIL_TYPO) == address:
        return None
    field, lang = _BY_NAME["email"], state.lang
    lead = t("form_email_typo", lang, typed=address, suggested=suggested)
    reply = question(field, state.data, lang, lead=lead)
    payloads = [_payload(field.name, a) for a in (suggested, address)]
    if all(len(p.encode()) <= MAX_PAYLOAD for p in payloads):
        reply = replace(reply, choices=(Choice(suggested, payloads[0]), Choice(address, payloads[1])))
    return Outcome((reply,), state.with_(data={**state.data, _EMAIL_TYPO: address}))


def _on_consent(words: str, state: ConversationState, now: datetime) -> Outcome:
    if words in YES_WORDS:
        return _ask_next(state, _stamp(state.data, now), lead=t("form_consent_thanks", state.lang))
    if words in NO_WORDS:
        return Outcome((Reply(text=t("form_consent_declined", state.lang)),), state.reset())
    return _reask(state, "form_consent_invalid")


def _go_back(state: ConversationState, now: datetime) -> Outcome:
    """Re-ask the question before the current one (the summary goes back to the last field)."""
    fields = applicable(state.data)
    if state.step in (SUMMARY, EDIT):
        index = len(fields)
    elif state.step in _BY_NAME and _BY_NAME[state.step] in fields:
        index = fields.index(_BY_NAME[state.step])
    else:
        index = 0
    if index == 0:
        return _reask(state, "form_first_question")
    previous = fields[index - 1]
    data = _stamp({k: v for k, v in state.data.items() if k != previous.name}, now)
    return Outcome((question(previous, data, state.lang),), state.with_(step=previous.name, data=data))


def _on_edit(words: str, state: ConversationState, now: datetime) -> Outcome:
    fields = applicable(state.data)
    chosen = None
    if words.isdigit() and 1 <= int(words) <= len(fields):
        chosen = fields[int(words) - 1]
    else:
        chosen = next((f for f in fields if words == t(f.label, state.lang).lower()), None)
    if chosen is None:
        return _reask(state, "form_edit_invalid", count=len(fields))
    data = _stamp({k: v for k, v in state.data.items() if k != chosen.name}, now)
    return Outcome((question(chosen, data, state.lang),), state.with_(step=chosen.name, data=data))


async def _on_summary(words: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    if words in CONFIRM_WORDS or words == "confirm":
        return await _file(state, ctx)
    if words in EDIT_WORDS:
        return Outcome((_edit_prompt(state.data, state.lang),), state.with_(step=EDIT))
    if words in DISCARD_WORDS or words == "discard":
        return core.handle_cancel(state)
    return _reask(state, "form_summary_invalid")


def draft_from(data: Data) -> RequestDraft:
    """The confirmed answers of the fields that apply (an answer to a field that no longer
    applies, e.g. a NIK after switching to badan hukum, is dropped)."""
    values = {f.name: data.get(f.name, "") for f in applicable(data)}
    attachment = values.pop("attachment", "")
    return RequestDraft(**values, attachment_refs=(attachment,) if attachment else ())


async def _file(state: ConversationState, ctx: HandlerContext) -> Outcome:
    if ctx.requests is None:
        return core.say(state, "form_unavailable")
    if next_field(state.data) is not None:  # edited state from an older version: ask what is missing
        return _ask_next(state, dict(state.data))
    filed = await request_service.file_request(
        ctx.requests,
        draft_from(state.data),
        received_at=ctx.conversation.received_at,
        hours=ctx.service_hours,
        conversation_id=ctx.conversation.id,
        channel=ctx.conversation.channel.value,
    )
    record, lang = filed.record, state.lang
    received_local = record.received_at.astimezone(ctx.service_hours.tz).date()
    text = t("form_filed", lang, number=record.number, due=format_date(record.due_on, lang))
    if record.received_on != received_local:
        text += "\n" + t("form_filed_after_hours", lang, received=format_date(record.received_on, lang))
    text += "\n" + t("form_filed_next", lang, number=record.number)
    text += "\n" + t("form_filed_access_code", lang, code=format_access_code(filed.access_code))
    return Outcome((Reply(text=text, style=ReplyStyle.NOTICE),), state.reset())


MENU_ENTRY = MenuEntry(
    key="request",
    label_key="menu_request",
    words=frozenset({"ajukan permohonan", "permohonan", "permohonan informasi", "ajukan permohonan informasi",
                     "minta informasi", "formulir", "request", "information request"}),
    handler=start_form,
    order=20,
)  # fmt: skip


def install(router: Router) -> None:
    router.add_flow(Flow.REQUEST_FORM, handle_form)
    router.add_menu_entry(MENU_ENTRY)
