"""Rendering of requests for citizens: dates, masked identifiers, status and written notices.

Used by the chat handlers and by the officer commands that notify a requester, so a citizen
reads the same words whichever side caused the change. Every sentence comes from
``handlers.texts``.
"""

from __future__ import annotations

from datetime import date

from handlers.domain.calendar import WorkingCalendar
from handlers.domain.dates import format_date_en, format_date_id
from handlers.domain.lifecycle import Outcome, RequestStatus
from handlers.request_ports import ObjectionRecord, RequestRecord
from handlers.request_service import Standing, commission_deadline, objection_window_end
from handlers.texts import t
from handlers.types import Lang


def format_date(d: date, lang: Lang) -> str:
    """Dates as a letter writes them: "Selasa, 7 April 2026" (or the English form)."""
    return format_date_en(d) if lang is Lang.EN else format_date_id(d)


def mask_nik(nik: str) -> str:
    """All but the last four digits hidden (UU 27/2022: shown only to whom needs it)."""
    return "*" * max(len(nik) - 4, 0) + nik[-4:] if nik else ""


def mask_phone(phone: str) -> str:
    """``+6281234567890`` -> ``+62812****7890``."""
    if len(phone) < 9:
        return "*" * len(phone)
    return phone[:6] + "*" * (len(phone) - 10) + phone[-4:]


def mask_email(email: str) -> str:
    """``budi.santoso@gmail.com`` -> ``b***@gmail.com``."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else ("***" if email else "")


def status_label(status: RequestStatus, lang: Lang) -> str:
    return t(f"status_{status.value}", lang)


def outcome_lines(record: RequestRecord, lang: Lang) -> list[str]:
    """The outcome of the written notice with what the law requires of it (Pasal 22(7))."""
    if record.outcome is None:
        return []
    lines = [t("notice_outcome", lang, outcome=t(record.outcome.text_key, lang))]
    if record.pasal17 is not None:
        lines.append(
            t("notice_pasal17", lang, label=record.pasal17.label, text=t(record.pasal17.text_key, lang))
        )
    if record.decision_reason:
        lines.append(t("notice_reason", lang, reason=record.decision_reason))
    if record.outcome is Outcome.NOT_HELD and record.holder:
        lines.append(t("notice_holder", lang, holder=record.holder))
    if record.notice:
        lines.append(t("notice_note", lang, note=record.notice))
    return lines


def status_text(
    record: RequestRecord, standing: Standing, objections: list[ObjectionRecord], cal: WorkingCalendar,
    lang: Lang,
) -> str:  # fmt: skip
    """What a citizen sees for "cek status": status, due date, days left, outcome and notice."""
    lines = [
        t("status_header", lang, number=record.number),
        t("status_line", lang, status=status_label(record.status, lang)),
        t("status_received_on", lang, received=format_date(record.received_on, lang)),
    ]
    due = format_date(record.due_on, lang)
    if standing.overdue:
        lines.append(t("status_overdue", lang, due=due))
    elif standing.open:
        lines.append(t("status_due", lang, due=due, days=standing.days_left))
    if record.extension_reason:
        lines.append(t("status_extended_reason", lang, reason=record.extension_reason))
    lines += outcome_lines(record, lang)
    if record.status is RequestStatus.ANSWERED and record.outcome is not Outcome.GRANTED:
        lines.append(
            t("notice_objection_hint", lang, closes=format_date(objection_window_end(record, cal), lang))
        )
    for objection in objections:
        lines.append(objection_line(objection, cal, lang))
    return "\n".join(lines)


def objection_line(objection: ObjectionRecord, cal: WorkingCalendar, lang: Lang) -> str:
    if not objection.result:
        return t(
            "status_objection_pending", lang, number=objection.number, due=format_date(objection.due_on, lang)
        )
    return t(
        f"status_objection_{objection.result}",
        lang,
        number=objection.number,
        answer=objection.answer,
        commission=format_date(commission_deadline(objection, cal), lang),
    )


def decision_notice(record: RequestRecord, cal: WorkingCalendar, lang: Lang) -> str:
    """The message that tells a requester the written notice was issued."""
    lines = [t("notice_decided", lang, number=record.number), *outcome_lines(record, lang)]
    if record.outcome is not Outcome.GRANTED:
        closes = format_date(objection_window_end(record, cal), lang)
        lines.append(t("notice_objection_hint", lang, closes=closes))
    return "\n".join(lines)


def extension_notice(record: RequestRecord, lang: Lang) -> str:
    return t(
        "notice_extended",
        lang,
        number=record.number,
        due=format_date(record.due_on, lang),
        reason=record.extension_reason,
    )


def objection_answer_notice(objection: ObjectionRecord, cal: WorkingCalendar, lang: Lang) -> str:
    return t(
        f"notice_objection_{objection.result}",
        lang,
        number=objection.number,
        request=objection.request_number,
        answer=objection.answer,
        commission=format_date(commission_deadline(objection, cal), lang),
    )
