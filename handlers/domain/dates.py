"""Dates written out the way an Indonesian letter writes them ("Selasa, 7 April 2026"), and the
timezone-aware guard every domain rule applies to a moment."""

from __future__ import annotations

from datetime import date, datetime

DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date_id(d: date) -> str:
    """``date(2026, 4, 7)`` -> ``"Selasa, 7 April 2026"`` (locale-independent)."""
    return f"{DAYS_ID[d.weekday()]}, {d.day} {MONTHS_ID[d.month - 1]} {d.year}"


def format_date_en(d: date) -> str:
    """``date(2026, 4, 7)`` -> ``"Tuesday, 7 April 2026"``."""
    return f"{DAYS_EN[d.weekday()]}, {d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def require_aware(moment: datetime) -> None:
    """Refuse a naive datetime: every moment in the domain carries its time zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
