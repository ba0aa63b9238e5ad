"""The written notice (pemberitahuan tertulis) as a letter: what UU 14/2008 Pasal 22(7) requires.

The notice says whether the information is held and who holds it if not, whether the request is
granted (in full or in part) or refused with its Pasal 17 letter and reasons, what is blacked out
and why, the form and the way of delivery, and the cost (free; only copying or delivery may cost,
Pasal 21). The console shows it as a printable page and the shell renders the same structure
as a PDF; the requester's chat gets the PDF with the decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.domain.calendar import WorkingCalendar
from handlers.domain.lifecycle import Outcome
from handlers.request_ports import RequestRecord
from handlers.request_service import objection_window_end
from handlers.request_texts import format_date
from handlers.texts import CATALOGUE, t
from handlers.types import Lang


@dataclass(frozen=True, slots=True)
class WrittenNotice:
    title: str
    subtitle: str
    body_name: str
    rows: tuple[tuple[str, str], ...]  # (label, value) in the order of Pasal 22(7)
    closing: tuple[str, ...]
    signed: str
    file_name: str  # "pemberitahuan-PPID-2026-000123.pdf"


def _choice(kind: str, value: str, lang: Lang) -> str:
    key = f"choice_{kind}_{value}"
    return t(key, lang) if key in CATALOGUE else (value or "-")


def _held(record: RequestRecord, lang: Lang) -> str:
    if record.outcome is Outcome.NOT_HELD:
        return t("wn_held_no", lang, holder=record.holder or "-")
    if record.outcome is Outcome.NOT_DOCUMENTED:
        return t("wn_held_undocumented", lang)
    return t("wn_held_yes", lang)


def written_notice(
    record: RequestRecord, cal: WorkingCalendar, lang: Lang, *, body_name: str
) -> WrittenNotice:
    """The notice of a decided request (a request not yet decided has none: ValueError)."""
    if record.outcome is None:
        raise ValueError(f"{record.number} has no decision yet")
    rows: list[tuple[str, str]] = [
        (t("wn_number", lang), record.number),
        (t("wn_received", lang), format_date(record.received_on, lang)),
        (t("wn_information", lang), record.information),
        (t("wn_held", lang), _held(record, lang)),
        (t("wn_outcome", lang), t(record.outcome.text_key, lang)),
    ]
    if record.pasal17 is not None:
        rows.append(
            (
                t("wn_exemption", lang),
                f"{record.pasal17.label} UU 14/2008 ({t(record.pasal17.text_key, lang)})",
            )
        )
    if record.decision_reason:
        rows.append((t("wn_reason", lang), record.decision_reason))
    if record.outcome in (Outcome.GRANTED, Outcome.PARTLY_GRANTED):
        rows.append((t("wn_obtain", lang), _choice("obtain_method", record.obtain_method, lang)))
        rows.append((t("wn_delivery", lang), _choice("copy_delivery", record.copy_delivery, lang)))
    rows.append((t("wn_cost", lang), t("wn_cost_text", lang)))
    if record.notice:
        rows.append((t("wn_note", lang), record.notice))
    if record.answered_on is not None:
        rows.append((t("wn_issued", lang), format_date(record.answered_on, lang)))
    closing: tuple[str, ...] = ()
    if record.outcome is not Outcome.GRANTED:
        closes = format_date(objection_window_end(record, cal), lang)
        closing = (t("notice_objection_hint", lang, closes=closes),)
    return WrittenNotice(
        title=t("wn_title", lang),
        subtitle=t("wn_subtitle", lang),
        body_name=body_name,
        rows=tuple(rows),
        closing=closing,
        signed=t("wn_signed", lang),
        file_name=f"pemberitahuan-{record.number}.pdf",
    )
