"""``tanya gaps``: what citizens could not find, grouped, and what officers do about it.

``tanya gaps list [--since DATE] [--json]`` (with ``--json`` one object a line:
``{"group": ID, "count": N, "examples": [...], "first_seen": ..., "last_seen": ...}``),
``tanya gaps show GROUP``, ``tanya gaps link GROUP ENTRY_ID``, ``tanya gaps publish GROUP --opd OPD``,
``tanya gaps not-ours GROUP --referral TEXT``, ``tanya gaps reopen GROUP``. The same services
(``bot.gap_store``) serve the console's page.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

from bot import gap_store
from bot.settings import get_settings
from handlers.domain.deadlines import ServiceHours
from handlers.gaps import GapStatus
from storage.db import Database
from storage.migrate import upgrade

Action = Callable[[argparse.Namespace, Database, ServiceHours, datetime], Awaitable[int]]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    gaps = sub.add_parser("gaps", help="questions citizens could not find an answer to, grouped")
    actions = gaps.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="groups, most asked first")
    listing.add_argument(
        "--since", type=date.fromisoformat, help="only questions from this date (YYYY-MM-DD)"
    )
    listing.add_argument(
        "--status", choices=[s.value for s in GapStatus], help="only groups in this state (default: all)"
    )
    listing.add_argument("--json", action="store_true", help="one JSON object a line")
    _bind(listing, _list)
    show = actions.add_parser("show", help="every phrasing of one group")
    show.add_argument("group", type=int)
    _bind(show, _show)
    link = actions.add_parser("link", help="link a group to the entry that answers it (learned search terms)")
    link.add_argument("group", type=int)
    link.add_argument("entry_id", help="a register (DIP-...) or FAQ (FAQ-...) id")
    _bind(link, _link)
    publish = actions.add_parser("publish", help="note a group as information an OPD should publish")
    publish.add_argument("group", type=int)
    publish.add_argument("--opd", required=True, help="the OPD that should publish it")
    _bind(publish, _publish)
    not_ours = actions.add_parser(
        "not-ours", help="mark a group as another body's, with where to send people"
    )
    not_ours.add_argument("group", type=int)
    not_ours.add_argument("--referral", required=True, help='e.g. "Silakan sampaikan ke SP4N-LAPOR! ..."')
    _bind(not_ours, _not_ours)
    reopen = actions.add_parser("reopen", help="set a group back to open")
    reopen.add_argument("group", type=int)
    _bind(reopen, _reopen)


def _bind(parser: argparse.ArgumentParser, action: Action) -> None:
    parser.set_defaults(func=lambda args: asyncio.run(_main(args, action)))


async def _main(args: argparse.Namespace, action: Action) -> int:
    settings = get_settings()
    hours = ServiceHours.from_settings(settings.service_start, settings.service_end, settings.office_timezone)
    db = Database.from_url(settings.database_url)
    try:
        await upgrade(db)
        return await action(args, db, hours, datetime.now(UTC))
    except (gap_store.GapGroupNotFound, gap_store.EntryNotFound, ValueError) as error:
        print(f"error: {_explain(error)}", file=sys.stderr)
        return 1
    finally:
        await db.dispose()


def _explain(error: Exception) -> str:
    if isinstance(error, gap_store.GapGroupNotFound):
        return f"there is no group {error.args[0]} (see 'tanya gaps list')"
    if isinstance(error, gap_store.EntryNotFound):
        return f"there is no active register or FAQ entry {error.args[0]!r}"
    return str(error)


async def _list(args: argparse.Namespace, db: Database, hours: ServiceHours, now: datetime) -> int:
    statuses = (GapStatus(args.status),) if args.status else ()
    views = await gap_store.list_groups(db, hours, now=now, since=args.since, statuses=statuses)
    for view in views:
        if args.json:
            print(json.dumps(view.as_json(), ensure_ascii=False))
            continue
        where = {"linked": view.entry_id, "to_publish": view.opd, "not_ours": view.referral}.get(
            view.status, ""
        )
        state = f"{view.status.value} {where}".strip()
        print(
            f"{view.id}\t{view.count}\t{view.first_seen:%Y-%m-%d}..{view.last_seen:%Y-%m-%d}\t{view.trend}"
            f"\t{state}\t{' | '.join(view.examples)}"
        )
    if not views and not args.json:
        print("no questions the bot could not answer" + (f" since {args.since}" if args.since else ""))
    return 0


async def _show(args: argparse.Namespace, db: Database, hours: ServiceHours, now: datetime) -> int:
    phrasings = await gap_store.group_phrasings(db, args.group)
    if not phrasings:
        raise gap_store.GapGroupNotFound(args.group)
    for phrasing in phrasings:
        print(phrasing)
    return 0


async def _link(args: argparse.Namespace, db: Database, hours: ServiceHours, now: datetime) -> int:
    taught = await gap_store.link_group(db, args.group, args.entry_id, now=now)
    print(
        f"group {args.group} linked to {args.entry_id}: {len(taught)} phrasings are now learned search terms"
    )
    print("the running service picks them up within its reload interval")
    return 0


async def _publish(args: argparse.Namespace, db: Database, hours: ServiceHours, now: datetime) -> int:
    await gap_store.mark_to_publish(db, args.group, args.opd, now=now)
    print(f"group {args.group}: to publish by {args.opd}")
    return 0


async def _not_ours(args: argparse.Namespace, db: Database, hours: ServiceHours, now: datetime) -> int:
    await gap_store.mark_not_ours(db, args.group, args.referral, now=now)
    print(f"group {args.group}: not this body's; citizens asking the same are told: {args.referral}")
    return 0


async def _reopen(args: argparse.Namespace, db: Database, hours: ServiceHours, now: datetime) -> int:
    await gap_store.reopen(db, args.group, now=now)
    print(f"group {args.group} is open again")
    return 0
