"""The office a deployment serves, as citizens read it: service hours with the zone's name.

Indonesia has three zones, named WIB, WITA and WIT by law (Keppres 41/1987); the names are
derived from ``TANYA_OFFICE_TIMEZONE`` so an office in Makassar or Jayapura reads its own hours.
"""

from __future__ import annotations

from datetime import datetime, time

from handlers.domain.calendar import WorkingCalendar
from handlers.domain.dates import format_date_en, format_date_id
from handlers.domain.deadlines import ServiceHours
from handlers.texts import t
from handlers.types import Lang

ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
_BY_OFFSET = {7: "WIB", 8: "WITA", 9: "WIT"}  # other IANA names of the same offsets ("Asia/Ujung_Pandang")


def zone_name(hours: ServiceHours) -> str:
    """ "WIB", "WITA" or "WIT"; outside Indonesia the UTC offset ("UTC+10", "UTC+5:30")."""
    key = getattr(hours.tz, "key", "")
    if key in ZONE_NAMES:
        return ZONE_NAMES[key]
    offset = datetime(2026, 1, 1, 12, tzinfo=hours.tz).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes % 60 == 0 and minutes // 60 in _BY_OFFSET and key.startswith("Asia/"):
        return _BY_OFFSET[minutes // 60]
    sign = "+" if minutes >= 0 else "-"
    whole, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{whole}" + (f":{rest:02d}" if rest else "")


def _clock(moment: time, lang: Lang) -> str:
    """08.00 in Indonesian (the dot of PUEBI), 08:00 in English."""
    return f"{moment.hour:02d}{':' if lang is Lang.EN else '.'}{moment.minute:02d}"


def hours_text(hours: ServiceHours, lang: Lang) -> str:
    """ "Senin–Jumat 08.00–16.00 WIB" / "Monday–Friday 08:00–16:00 WIB"."""
    return t(
        "office_hours",
        lang,
        start=_clock(hours.start, lang),
        end=_clock(hours.end, lang),
        zone=zone_name(hours),
    )


def next_opening(now: datetime, hours: ServiceHours, cal: WorkingCalendar | None = None) -> datetime | None:
    """None while the office is open (a working day of ``cal``, ``start`` <= time < ``end``, office
    time zone); else the moment it next opens. ``cal`` carries the public holidays and cuti bersama
    (the holidays table); without it only weekends are closed days."""
    cal = cal or WorkingCalendar()
    local = now.astimezone(hours.tz)
    today = local.date()
    if cal.is_working_day(today) and hours.start <= local.time() < hours.end:
        return None
    day = today if cal.is_working_day(today) and local.time() < hours.start else cal.next_working_day(today)
    return datetime.combine(day, hours.start, tzinfo=hours.tz)


def opening_text(opening: datetime, hours: ServiceHours, lang: Lang) -> str:
    """ "Senin, 7 Desember 2026 pukul 08.00 WIB" / "Monday, 7 December 2026 at 08:00 WIB"."""
    day = format_date_en(opening.date()) if lang is Lang.EN else format_date_id(opening.date())
    return t(
        "office_opens",
        lang,
        day=day,
        time=_clock(opening.time(), lang),
        zone=zone_name(hours),
    )
