"""``tanya report``: the annual report of the information service (UU 14/2008 Pasal 12).

``tanya report annual --year YYYY [--opd OPD] [--format html|pdf|csv|xlsx|json] [--output FILE]
[--lang id|en]``: text formats go to standard output unless ``--output`` names a file; PDF and XLSX
go to ``laporan-ppid-YYYY.pdf`` (or ``.xlsx``) by default. ``tanya report commission NUMBER --on DATE``
records that an objection's dispute went to the Komisi Informasi (``--clear`` takes it back).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from bot.holidays import ensure_holidays
from bot.report import ReportFormat, load_annual_report, render
from bot.settings import get_settings
from handlers.domain.deadlines import ServiceHours, office_date
from handlers.domain.report import AnnualReport
from handlers.types import Lang
from storage.db import Database
from storage.migrate import upgrade
from storage.report_repository import ReportRepository


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="the annual report of requests, objections and the bot's service")
    actions = report.add_subparsers(dest="action", metavar="ACTION", required=True)
    annual = actions.add_parser("annual", help="the figures of one year, as HTML, PDF, CSV, XLSX or JSON")
    annual.add_argument("--year", type=int, required=True)
    annual.add_argument("--opd", default="", help="only this OPD (as recorded on the requests)")
    annual.add_argument("--format", choices=[f.value for f in ReportFormat], default=ReportFormat.HTML.value)
    annual.add_argument("--output", help="write to this file (PDF/XLSX default: laporan-ppid-YEAR.EXT)")
    annual.add_argument("--lang", choices=[lang.value for lang in Lang], default=Lang.ID.value)
    annual.set_defaults(func=_annual)
    commission = actions.add_parser(
        "commission", help="record that an objection's dispute went to the Komisi Informasi (Pasal 37)"
    )
    commission.add_argument("number", help="the objection, e.g. KBR-2026-000001")
    when = commission.add_mutually_exclusive_group(required=True)
    when.add_argument("--on", type=date.fromisoformat, help="the date it was registered there (YYYY-MM-DD)")
    when.add_argument("--clear", action="store_true", help="it was not taken there after all")
    commission.set_defaults(func=lambda args: asyncio.run(_commission(args)))


def _annual(args: argparse.Namespace) -> int:
    settings = get_settings()
    hours = ServiceHours.from_settings(settings.service_start, settings.service_end, settings.office_timezone)
    now = datetime.now(UTC)
    if not 2000 <= args.year <= office_date(now, hours).year:
        print(f"error: no report for {args.year}: choose a year up to this one", file=sys.stderr)
        return 2
    fmt = ReportFormat(args.format)
    report = asyncio.run(_load(settings.database_url, args.year, hours, now, args.opd))
    data = render(report, fmt, body_name=settings.body_name, lang=Lang(args.lang))
    output = args.output or (f"laporan-ppid-{args.year}.{fmt.value}" if fmt.binary else "")
    if not output:
        sys.stdout.write(data.decode("utf-8-sig"))
        return 0
    Path(output).write_bytes(data)
    print(f"{output}: the {args.year} report ({fmt.value}, {report.received} requests)")
    return 0


async def _load(url: str, year: int, hours: ServiceHours, now: datetime, opd: str) -> AnnualReport:
    db = Database.from_url(url)
    try:
        await upgrade(db)
        await ensure_holidays(db, (year, year + 1))
        return await load_annual_report(db, year, hours=hours, now=now, opd=opd)
    finally:
        await db.dispose()


async def _commission(args: argparse.Namespace) -> int:
    db = Database.from_url(get_settings().database_url)
    try:
        await upgrade(db)
        async with db.write() as session:
            found = await ReportRepository(session).set_commission(
                args.number, None if args.clear else args.on
            )
    finally:
        await db.dispose()
    if not found:
        print(f"error: there is no objection {args.number}", file=sys.stderr)
        return 1
    print(
        f"{args.number}: "
        + ("no dispute recorded" if args.clear else f"dispute at the Komisi Informasi since {args.on}")
    )
    return 0
