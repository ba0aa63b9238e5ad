"""Working calendar: weekends, holidays, day zero, and counting between dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.domain.calendar import WorkingCalendar
from handlers.domain.dates import format_date_en, format_date_id

NYEPI_IDUL_FITRI_2026 = [date(2026, 3, d) for d in range(18, 25)]  # Wed 18 .. Tue 24
CAL = WorkingCalendar([*NYEPI_IDUL_FITRI_2026, date(2026, 4, 3)])


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 16), True),  # Monday
        (date(2026, 3, 14), False),  # Saturday
        (date(2026, 3, 15), False),  # Sunday
        (date(2026, 3, 18), False),  # Nyepi cuti bersama, a Wednesday
        (date(2026, 3, 25), True),
        (date(2026, 4, 3), False),  # Good Friday
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 16), 0, date(2026, 3, 16)),  # day zero is the start itself
        (date(2026, 3, 16), 1, date(2026, 3, 17)),
        (date(2026, 3, 16), 2, date(2026, 3, 25)),  # skips 18..24
        (date(2026, 3, 16), 10, date(2026, 4, 7)),  # skips Good Friday too
        (date(2026, 3, 14), 1, date(2026, 3, 16)),  # from a Saturday
        (date(2026, 3, 25), -1, date(2026, 3, 17)),  # backwards
        (date(2026, 4, 7), -10, date(2026, 3, 16)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected


def test_next_and_previous_working_day_are_strict() -> None:
    assert CAL.next_working_day(date(2026, 3, 16)) == date(2026, 3, 17)
    assert CAL.next_working_day(date(2026, 3, 17)) == date(2026, 3, 25)
    assert CAL.previous_working_day(date(2026, 3, 25)) == date(2026, 3, 17)
    assert CAL.previous_working_day(date(2026, 4, 6)) == date(2026, 4, 2)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2026, 3, 16), date(2026, 4, 7), 10),
        (date(2026, 4, 7), date(2026, 3, 16), -10),
        (date(2026, 4, 7), date(2026, 4, 7), 0),
        (date(2026, 4, 3), date(2026, 4, 6), 1),  # from a holiday: (a, b] holds only Monday
        (date(2026, 4, 4), date(2026, 4, 5), 0),  # a weekend
        (date(2026, 3, 17), date(2026, 3, 24), 0),  # all holidays
    ],
)
def test_working_days_between(a: date, b: date, expected: int) -> None:
    assert CAL.working_days_between(a, b) == expected


def test_holidays_between_lists_weekend_holidays_too() -> None:
    cal = WorkingCalendar([date(2026, 3, 21), date(2026, 3, 19), date(2026, 5, 1)])
    assert cal.holidays_between(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 3, 19), date(2026, 3, 21))
    assert cal.holidays == frozenset({date(2026, 3, 21), date(2026, 3, 19), date(2026, 5, 1)})


def test_format_date() -> None:
    assert format_date_id(date(2026, 4, 7)) == "Selasa, 7 April 2026"
    assert format_date_id(date(2027, 1, 31)) == "Minggu, 31 Januari 2027"
    assert format_date_id(date(2026, 8, 17)) == "Senin, 17 Agustus 2026"
    assert format_date_en(date(2026, 4, 7)) == "Tuesday, 7 April 2026"


# --- properties against a brute-force count ---

_BASE = date(2026, 1, 1)
_days = st.integers(min_value=0, max_value=120).map(lambda k: _BASE + timedelta(days=k))
_calendars = st.frozensets(_days, max_size=30).map(WorkingCalendar)


def _brute_between(cal: WorkingCalendar, a: date, b: date) -> int:
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    count = sum(cal.is_working_day(lo + timedelta(days=k)) for k in range(1, (hi - lo).days + 1))
    return sign * count


@given(cal=_calendars, a=_days, b=_days)
def test_between_matches_brute_force(cal: WorkingCalendar, a: date, b: date) -> None:
    assert cal.working_days_between(a, b) == _brute_between(cal, a, b)


@given(cal=_calendars, start=_days, n=st.integers(min_value=-40, max_value=40))
def test_add_then_count_round_trips(cal: WorkingCalendar, start: date, n: int) -> None:
    end = cal.add_working_days(start, n)
    if n >= 0 or cal.is_working_day(start):  # backwards from a holiday the start is not in (end, start]
        assert cal.working_days_between(start, end) == n
    if n:
        assert cal.is_working_day(end)
