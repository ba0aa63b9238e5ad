"""Indonesian holidays and cuti bersama from the ``holidays`` package, to seed the holidays table.

Category ``public`` holds the national holidays and ``government`` the *cuti bersama* (collective
leave of the SKB of three ministers); both are non-working days for a PPID. Late decrees and
regional holidays are added by an administrator on top of these.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import holidays

from handlers.domain.calendar import WorkingCalendar

COUNTRY = "ID"
CATEGORIES = ("public", "government")
LANGUAGE = "id"


def indonesian_holidays(years: Iterable[int]) -> list[tuple[date, str]]:
    """``(date, Indonesian name)`` of every holiday and cuti bersama in ``years``, sorted by date."""
    wanted = sorted(set(years))
    if not wanted:
        return []
    table = holidays.country_holidays(COUNTRY, years=wanted, categories=CATEGORIES, language=LANGUAGE)
    return sorted((day, str(name)) for day, name in table.items())


def calendar_for_years(years: Iterable[int]) -> WorkingCalendar:
    """A working calendar from the package alone (no administrator's edits): for tools and tests."""
    return WorkingCalendar(day for day, _ in indonesian_holidays(years))
