"""The working calendar: Monday to Friday minus holidays and cuti bersama.

UU 14/2008 counts its deadlines in *hari kerja* (working days). Holidays and collective leave
(cuti bersama) change every year by decree, so the set of holidays is handed in (seeded from the
``holidays`` package and editable by an administrator); this module only counts.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, timedelta

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


class WorkingCalendar:
    """Weekends plus a fixed set of holiday dates."""

    __slots__ = ("_holidays", "_sorted", "_weekday_holidays")

    def __init__(self, holidays: Iterable[date] = ()) -> None:
        self._holidays = frozenset(holidays)
        self._sorted = tuple(sorted(self._holidays))
        # holidays that fall on a weekday: weekend holidays change no count
        self._weekday_holidays = tuple(d for d in self._sorted if d.weekday() < _SATURDAY)

    @property
    def holidays(self) -> frozenset[date]:
        return self._holidays

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < _SATURDAY and d not in self._holidays

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        d += _ONE_DAY
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        d -= _ONE_DAY
        while not self.is_working_day(d):
            d -= _ONE_DAY
        return d

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``; ``start`` itself is day zero.

        ``n == 0`` gives ``start``; a negative ``n`` counts backwards; ``start`` need not be a
        working day. UU 14/2008 Pasal 22(7) counts *sejak diterimanya permintaan*: the day of
        receipt is day zero and the deadline is the n-th working day after it (Perki 1/2021).
        """
        d = start
        step = self.next_working_day if n >= 0 else self.previous_working_day
        for _ in range(abs(n)):
            d = step(d)
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``, negative when ``b`` is before ``a``.

        Inverse of :meth:`add_working_days`: ``working_days_between(a, add_working_days(a, n)) == n``
        for ``n >= 0`` (and for ``n < 0`` when ``a`` is a working day).
        With ``a`` = today and ``b`` = a due date this is "working days left" (negative: overdue).
        """
        if b < a:
            return -self.working_days_between(b, a)
        return self._weekdays_up_to(b) - self._weekdays_up_to(a) - self._holidays_in(a, b)

    def _holidays_in(self, a: date, b: date) -> int:
        """Weekday holidays in ``(a, b]``."""
        days = self._weekday_holidays
        return bisect_right(days, b) - bisect_right(days, a)

    @staticmethod
    def _weekdays_up_to(d: date) -> int:
        """Monday-to-Friday days from an epoch Monday up to and including ``d``."""
        ordinal = d.toordinal() - 1  # date(1, 1, 1) is a Monday, ordinal 1
        weeks, rest = divmod(ordinal, 7)
        return weeks * 5 + min(rest + 1, 5)

    def holidays_between(self, a: date, b: date) -> tuple[date, ...]:
        """Holidays (weekday or not) in ``[a, b]``, sorted: for explaining a deadline."""
        ordered = self._sorted
        return ordered[bisect_left(ordered, a) : bisect_right(ordered, b)]
