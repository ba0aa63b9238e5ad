"""Legal deadlines in working days (UU 14/2008 Pasal 22, 36, 37; Perki 1/2021), table-driven."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from handlers.domain.calendar import WorkingCalendar
from handlers.domain.deadlines import (
    ServiceHours,
    commission_deadline,
    effective_receipt_date,
    extension_due,
    is_overdue,
    notice_due,
    objection_answer_due,
    objection_reason_date,
    objection_window_end,
    office_date,
    working_days_left,
)
from handlers.domain.errors import ExtensionTooLong
from handlers.holiday_source import calendar_for_years, indonesian_holidays

# Public holidays and cuti bersama 2026 (SKB 3 Menteri), and the start of 2027.
HOLIDAYS = [
    date(2026, 1, 1), date(2026, 1, 16), date(2026, 2, 16), date(2026, 2, 17),
    date(2026, 3, 18), date(2026, 3, 19), date(2026, 3, 20), date(2026, 3, 21), date(2026, 3, 22),
    date(2026, 3, 23), date(2026, 3, 24), date(2026, 4, 3), date(2026, 4, 5), date(2026, 5, 1),
    date(2026, 5, 14), date(2026, 5, 15), date(2026, 5, 27), date(2026, 5, 28), date(2026, 5, 31),
    date(2026, 6, 1), date(2026, 6, 16), date(2026, 8, 17), date(2026, 8, 25), date(2026, 12, 24),
    date(2026, 12, 25), date(2027, 1, 1), date(2027, 1, 5),
]  # fmt: skip
CAL = WorkingCalendar(HOLIDAYS)
WIB = ZoneInfo("Asia/Jakarta")
HOURS = ServiceHours(time(8), time(16), WIB)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("received_at", "day_zero", "due"),
    [
        # the example of domain.md: Monday 10:00 -> Tuesday 7 April (18..24 March and Good Friday off)
        ("2026-03-16T10:00+07:00", date(2026, 3, 16), date(2026, 4, 7)),
        ("2026-03-16T06:30+07:00", date(2026, 3, 16), date(2026, 4, 7)),  # before opening: that day
        ("2026-03-16T16:00+07:00", date(2026, 3, 17), date(2026, 4, 8)),  # closing time is after hours
        # Friday afternoon: inside hours counts that Friday, after hours the Monday
        ("2026-03-13T15:59+07:00", date(2026, 3, 13), date(2026, 4, 6)),
        ("2026-03-13T17:30+07:00", date(2026, 3, 16), date(2026, 4, 7)),
        ("2026-03-14T09:00+07:00", date(2026, 3, 16), date(2026, 4, 7)),  # Saturday
        # inside the Idul Fitri cuti bersama: counts from Wednesday 25 March
        ("2026-03-20T10:00+07:00", date(2026, 3, 25), date(2026, 4, 9)),
        ("2026-03-23T09:00+07:00", date(2026, 3, 25), date(2026, 4, 9)),
        # other offsets are converted to office time first
        ("2026-03-16T02:00+00:00", date(2026, 3, 16), date(2026, 4, 7)),  # 09:00 WIB
        ("2026-03-16T09:30+00:00", date(2026, 3, 17), date(2026, 4, 8)),  # 16:30 WIB
        ("2026-03-15T20:00+00:00", date(2026, 3, 16), date(2026, 4, 7)),  # Sunday UTC = Monday 03:00 WIB
        # year boundary: Christmas cuti bersama, New Year and Isra Mi'raj 2027 (5 January)
        ("2026-12-23T10:00+07:00", date(2026, 12, 23), date(2027, 1, 12)),
        ("2026-12-24T10:00+07:00", date(2026, 12, 28), date(2027, 1, 13)),
        ("2026-12-31T16:05+07:00", date(2027, 1, 4), date(2027, 1, 19)),
    ],
)
def test_receipt_and_notice_due(received_at: str, day_zero: date, due: date) -> None:
    received_on = effective_receipt_date(at(received_at), HOURS, CAL)
    assert received_on == day_zero
    assert notice_due(received_on, CAL) == due


def test_service_hours_follow_the_office_time_zone() -> None:
    wita = ServiceHours.from_settings("08:00", "16:00", "Asia/Makassar")
    # 15:30 WIB is 16:30 WITA: after hours in Makassar, inside them in Jakarta
    assert effective_receipt_date(at("2026-03-16T15:30+07:00"), wita, CAL) == date(2026, 3, 17)
    assert effective_receipt_date(at("2026-03-16T15:30+07:00"), HOURS, CAL) == date(2026, 3, 16)


def test_naive_datetimes_and_unchecked_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        effective_receipt_date(datetime(2026, 3, 16, 10), HOURS, CAL)
    with pytest.raises(TypeError, match="effective_receipt_date"):
        notice_due(at("2026-03-16T10:00+07:00"), CAL)


def test_service_hours_must_start_before_they_end() -> None:
    with pytest.raises(ValueError):
        ServiceHours(time(16), time(8), WIB)
    assert ServiceHours.from_settings("07:30", "15:30", "Asia/Jakarta") == ServiceHours(
        time(7, 30), time(15, 30), WIB
    )


@pytest.mark.parametrize(
    ("extra", "due"),
    [(1, date(2026, 4, 8)), (7, date(2026, 4, 16))],
)
def test_extension_counts_from_the_original_due_date(extra: int, due: date) -> None:
    assert extension_due(date(2026, 4, 7), extra, CAL) == due


@pytest.mark.parametrize("extra", [0, 8, -1])
def test_extension_is_one_to_seven_working_days(extra: int) -> None:
    with pytest.raises(ExtensionTooLong):
        extension_due(date(2026, 4, 7), extra, CAL)


def test_objection_window_edges() -> None:
    # notice sent Tuesday 7 April; May Day, Ascension and its cuti bersama fall inside the 30 days
    window_end = objection_window_end(date(2026, 4, 7), CAL)
    assert window_end == date(2026, 5, 22)
    assert not is_overdue(window_end, date(2026, 5, 22))  # the last day is still in time
    assert is_overdue(window_end, date(2026, 5, 23))
    assert working_days_left(window_end, date(2026, 5, 21), CAL) == 1
    assert working_days_left(window_end, date(2026, 5, 25), CAL) == -1


def test_objection_reason_arises_at_the_notice_or_when_the_deadline_lapses() -> None:
    assert objection_reason_date(date(2026, 4, 7), answered_on=date(2026, 4, 2)) == date(2026, 4, 2)
    assert objection_reason_date(date(2026, 4, 7), answered_on=date(2026, 4, 10)) == date(2026, 4, 10)
    assert objection_reason_date(date(2026, 4, 7)) == date(2026, 4, 7)  # unanswered


def test_objection_answer_and_commission_deadlines() -> None:
    # objection on 22 May: 27-28 May (Idul Adha), 1 June and 16 June are off
    answer_due = objection_answer_due(date(2026, 5, 22), CAL)
    assert answer_due == date(2026, 7, 9)
    assert commission_deadline(answer_due, CAL, answered_on=date(2026, 7, 1)) == date(2026, 7, 21)
    assert commission_deadline(answer_due, CAL) == date(2026, 7, 29)  # the Atasan never answered


@pytest.mark.parametrize(
    ("today", "overdue", "left"),
    [
        (date(2026, 3, 16), False, 10),
        (date(2026, 4, 7), False, 0),
        (date(2026, 4, 8), True, -1),
        (date(2026, 4, 11), True, -3),  # Saturday: Wednesday to Friday have passed
    ],
)
def test_overdue_is_derived(today: date, overdue: bool, left: int) -> None:
    due = date(2026, 4, 7)
    assert is_overdue(due, today) is overdue
    assert working_days_left(due, today, CAL) == left


def test_office_date_is_the_local_date() -> None:
    assert office_date(at("2026-03-16T20:00+00:00"), HOURS) == date(2026, 3, 17)


def test_installed_holidays_package_agrees_with_the_table() -> None:
    """The seed data (public + government categories) holds every date the table above uses."""
    seeded = {day for day, _ in indonesian_holidays([2026, 2027])}
    assert set(HOLIDAYS) <= seeded
    assert {day for day in seeded if day.year == 2026} == {day for day in HOLIDAYS if day.year == 2026}
    package_cal = calendar_for_years([2026])
    received_on = effective_receipt_date(at("2026-03-16T10:00+07:00"), HOURS, package_cal)
    assert notice_due(received_on, package_cal) == date(2026, 4, 7)


def test_holiday_names_are_indonesian() -> None:
    names = dict(indonesian_holidays([2026]))
    assert names[date(2026, 3, 23)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert indonesian_holidays([]) == []
