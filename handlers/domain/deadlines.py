"""Legal deadlines of an information request, in working days (UU 14/2008, Perki 1/2021).

The chain: notice 10 (Pasal 22(7)) -> one extension of at most 7 (Pasal 22(8)) -> objection window
30 (Pasal 36(1)) -> the Atasan PPID's answer 30 (Pasal 36(2)) -> the Komisi Informasi 14 (Pasal 37(2)).
Every period starts at a day zero and ends on the n-th working day after it. Overdue is derived
from a due date and today, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from handlers.domain.calendar import WorkingCalendar
from handlers.domain.dates import require_aware
from handlers.domain.errors import ExtensionTooLong

NOTICE_WORKING_DAYS = 10  # UU 14/2008 Pasal 22(7)
MAX_EXTENSION_WORKING_DAYS = 7  # UU 14/2008 Pasal 22(8)
OBJECTION_WINDOW_WORKING_DAYS = 30  # UU 14/2008 Pasal 36(1)
OBJECTION_ANSWER_WORKING_DAYS = 30  # UU 14/2008 Pasal 36(2)
COMMISSION_WORKING_DAYS = 14  # UU 14/2008 Pasal 37(2)


@dataclass(frozen=True, slots=True)
class ServiceHours:
    """Office hours on working days (Monday to Friday), in the office time zone.

    ``start`` is inclusive, ``end`` exclusive: a message at exactly 16:00 is after hours.
    """

    start: time
    end: time
    tz: ZoneInfo

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError("service hours must start before they end")

    @classmethod
    def from_settings(cls, start: str, end: str, tz: str) -> ServiceHours:
        """From setting strings such as ``"08:00"``, ``"16:00"``, ``"Asia/Jakarta"``."""
        return cls(time.fromisoformat(start), time.fromisoformat(end), ZoneInfo(tz))


def _require_plain_date(d: date) -> None:
    if isinstance(d, datetime):  # a datetime is a date: refuse it so the receipt rule is not skipped
        raise TypeError("pass a date (apply effective_receipt_date to a datetime first)")


def office_date(moment: datetime, hours: ServiceHours) -> date:
    """The calendar date of ``moment`` in the office time zone ("today" for overdue checks)."""
    require_aware(moment)
    return moment.astimezone(hours.tz).date()


def effective_receipt_date(received_at: datetime, hours: ServiceHours, cal: WorkingCalendar) -> date:
    """The date a request counts as received: day zero of its deadlines.

    A request that arrives on a non-working day or after service hours counts as received on the
    next working day (Perki 1/2021; UU 14/2008 Pasal 22(7) "sejak diterimanya permintaan"). One
    that arrives before the office opens on a working day counts as received that day, when the
    office opens.
    """
    require_aware(received_at)
    local = received_at.astimezone(hours.tz)
    day = local.date()
    if cal.is_working_day(day) and local.time() < hours.end:
        return day
    return cal.next_working_day(day)


def notice_due(received_on: date, cal: WorkingCalendar, working_days: int = NOTICE_WORKING_DAYS) -> date:
    """Last day for the written notice: 10 working days after receipt (UU 14/2008 Pasal 22(7)).

    ``received_on`` is the effective receipt date (see :func:`effective_receipt_date`).
    """
    _require_plain_date(received_on)
    return cal.add_working_days(received_on, working_days)


def extension_due(original_due: date, extra_working_days: int, cal: WorkingCalendar) -> date:
    """The notice deadline after the one extension, of 1 to 7 working days (UU 14/2008 Pasal 22(8)).

    That there is only one extension is a lifecycle rule (an extended request cannot be extended).
    """
    _require_plain_date(original_due)
    if not 1 <= extra_working_days <= MAX_EXTENSION_WORKING_DAYS:
        raise ExtensionTooLong(
            f"an extension is 1 to {MAX_EXTENSION_WORKING_DAYS} working days, not {extra_working_days}"
        )
    return cal.add_working_days(original_due, extra_working_days)


def objection_reason_date(notice_due_on: date, answered_on: date | None = None) -> date:
    """When the reason for an objection arises (day zero of UU 14/2008 Pasal 36(1)).

    A notice (refusal, partial grant, fees, late answer) gives the reason the day it is sent; a
    request left unanswered gives it when its (possibly extended) notice deadline passes.
    """
    return answered_on if answered_on is not None else notice_due_on


def objection_window_end(reason_arose_on: date, cal: WorkingCalendar) -> date:
    """Last day to object to the Atasan PPID: 30 working days after the reason arose
    (UU 14/2008 Pasal 36(1))."""
    _require_plain_date(reason_arose_on)
    return cal.add_working_days(reason_arose_on, OBJECTION_WINDOW_WORKING_DAYS)


def objection_answer_due(objection_received_on: date, cal: WorkingCalendar) -> date:
    """Last day for the Atasan PPID's written answer: 30 working days after the objection was
    received (UU 14/2008 Pasal 36(2))."""
    _require_plain_date(objection_received_on)
    return cal.add_working_days(objection_received_on, OBJECTION_ANSWER_WORKING_DAYS)


def commission_deadline(answer_due_on: date, cal: WorkingCalendar, answered_on: date | None = None) -> date:
    """Last day to take the dispute to the Komisi Informasi: 14 working days after the Atasan
    PPID's answer, or after the 30 days for it lapsed unanswered (UU 14/2008 Pasal 37(2))."""
    start = answered_on if answered_on is not None else answer_due_on
    _require_plain_date(start)
    return cal.add_working_days(start, COMMISSION_WORKING_DAYS)


def is_overdue(due: date, today: date) -> bool:
    """Past its due date; the due date itself still counts as in time."""
    return today > due


def working_days_left(due: date, today: date, cal: WorkingCalendar) -> int:
    """Working days from ``today`` to ``due``: 0 on the due date, negative when overdue.

    On a weekend right after the due date this is still 0: ask :func:`is_overdue` first.
    """
    return cal.working_days_between(today, due)
