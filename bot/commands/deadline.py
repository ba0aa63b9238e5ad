"""``tanya deadline RECEIVED_AT [--working-days N]``: an officer's deadline calculator.

Prints the due date (ISO) and, on a second line, the date in Indonesian ("Selasa, 7 April 2026").
Receipt rule and counting: UU 14/2008 Pasal 22(7), Perki 1/2021 (see ``handlers.domain.deadlines``).
Holidays come from the ``holidays`` package (public holidays and cuti bersama).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from bot.settings import get_settings
from handlers.domain.calendar import WorkingCalendar
from handlers.domain.dates import format_date_id
from handlers.domain.deadlines import NOTICE_WORKING_DAYS, ServiceHours, effective_receipt_date, notice_due
from handlers.holiday_source import calendar_for_years

_WORKING_DAYS_PER_YEAR = 240  # fewer than any real year has: how many years of holidays to load


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "deadline",
        help="the due date of a request received at RECEIVED_AT",
        description="Due date in working days (day of receipt is day zero; after service hours or on "
        "a non-working day counts as the next working day). Holidays: the holidays package (ID).",
    )
    parser.add_argument(
        "received_at",
        metavar="RECEIVED_AT",
        type=_moment,
        help="ISO date-time, e.g. 2026-03-16T10:00+07:00 (without an offset: office time zone)",
    )
    parser.add_argument(
        "--working-days",
        type=_working_days,
        default=NOTICE_WORKING_DAYS,
        metavar="N",
        help=f"working days to add (default {NOTICE_WORKING_DAYS}, UU 14/2008 Pasal 22(7))",
    )
    parser.set_defaults(func=_run)


def _moment(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date-time: {raw!r}") from None


def _working_days(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a number of working days: {raw!r}")
    return value


def _calendar(first_year: int, working_days: int) -> WorkingCalendar:
    """Holidays of the package for every year the count can reach (no database edits)."""
    last_year = first_year + 1 + working_days // _WORKING_DAYS_PER_YEAR
    return calendar_for_years(range(first_year, last_year + 1))


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    hours = ServiceHours.from_settings(settings.service_start, settings.service_end, settings.office_timezone)
    received_at: datetime = args.received_at
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=hours.tz)
    working_days: int = args.working_days
    cal = _calendar(received_at.astimezone(hours.tz).year, working_days)
    due = notice_due(effective_receipt_date(received_at, hours, cal), cal, working_days)
    print(due.isoformat())
    print(format_date_id(due))
    return 0
