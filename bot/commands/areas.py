"""``tanya areas import FILE [--dry-run]``, ``tanya areas list [KEY]``, ``tanya areas assign|unassign
USERNAME KEY``: the kota, kecamatan, kelurahan, RW and RT that residents subscribe to and
coordinators serve.

The file is CSV with the columns ``kota,kecamatan,kelurahan,rw,rt`` (one row per RT); every
problem is listed and nothing is imported unless the whole file is good, in one transaction.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.area_store import AreaStore
from bot.areas import import_areas, read_area_file
from bot.coordinator_store import CoordinatorStore
from bot.secrets import open_sealed_database
from bot.settings import get_settings
from handlers.domain.areas import normalise_key
from handlers.services.actor import Role
from handlers.services.ports import AuditAction
from storage.accounts import AccountRepository, AuditRepository
from storage.area_repository import AreaRepository
from storage.db import Database
from storage.migrate import upgrade


def register(sub: argparse._SubParsersAction[Any]) -> None:
    areas = sub.add_parser("areas", help="areas (kota, kecamatan, kelurahan, RW, RT): import, list")
    actions = areas.add_subparsers(dest="areas_action", metavar="ACTION", required=True)
    load = actions.add_parser(
        "import", help="validate and import an area CSV (kota,kecamatan,kelurahan,rw,rt)"
    )
    load.add_argument("file", type=Path)
    load.add_argument("--dry-run", action="store_true", help="only check the file; change nothing")
    load.set_defaults(func=_import)
    listing = actions.add_parser("list", help="the areas under KEY (default: all), one key a line")
    listing.add_argument("key", nargs="?", default="", help="e.g. sukamaju-wetan or sukamaju-wetan/rw02")
    listing.set_defaults(func=lambda args: asyncio.run(_list(args)))
    for name, what in (("assign", "bind a coordinator account to its RW or RT"), ("unassign", "undo that")):
        bound = actions.add_parser(name, help=what)
        bound.add_argument("username")
        bound.add_argument("key", help="e.g. sukamaju-wetan/rw02")
        bound.set_defaults(func=lambda args: asyncio.run(_assign(args)))
    code = actions.add_parser(
        "link-code", help="a one-time code a coordinator types in their chat (15 minutes)"
    )
    code.add_argument("username")
    code.set_defaults(func=lambda args: asyncio.run(_link_code(args)))


async def _link_code(args: argparse.Namespace) -> int:
    settings = get_settings()
    db, _key, crypto = await open_sealed_database(settings)
    try:
        async with db.write() as session:
            account = await AccountRepository(session).get(args.username.strip().lower())
            if account is None or account.disabled or account.role != Role.COORDINATOR.value:
                print(f"error: no coordinator account {args.username!r}", file=sys.stderr)
                return 1
            code = await CoordinatorStore(session, crypto).issue_code(account.id)
            await AuditRepository(session).add(
                datetime.now(UTC), "system", AuditAction.LINK_CODE.value, account.username, ""
            )
        print(f"kode {code}")
        return 0
    finally:
        await db.dispose()


async def _assign(args: argparse.Namespace) -> int:
    """Only a coordinator account is bound to an RW or RT (officers reach every area anyway)."""
    db = Database.from_url(get_settings().database_url)
    try:
        await upgrade(db)
        async with db.write() as session:
            account = await AccountRepository(session).get(args.username.strip().lower())
            area = await AreaStore(session).neighbourhood(args.key)
            if account is None or account.role != Role.COORDINATOR.value:
                print(f"error: no coordinator account {args.username!r}", file=sys.stderr)
                return 1
            if area is None:
                print(f"error: no RW or RT {args.key!r}", file=sys.stderr)
                return 1
            repo = AreaRepository(session)
            if args.areas_action == "assign":
                changed = await repo.assign(account.id, area.id)
                action = AuditAction.AREA_ASSIGN
            else:
                changed = await repo.unassign(account.id, area.id)
                action = AuditAction.AREA_UNASSIGN
            await AuditRepository(session).add(
                datetime.now(UTC), "system", action.value, account.username, area.key
            )
        print(f"{account.username} {'now serves' if args.areas_action == 'assign' else 'no longer serves'} "
              f"{area.label}{'' if changed else ' (unchanged)'}")  # fmt: skip
        return 0
    finally:
        await db.dispose()


def _import(args: argparse.Namespace) -> int:
    parsed = read_area_file(args.file)
    if parsed.problems:
        for problem in parsed.problems[:200]:
            print(problem, file=sys.stderr)
        if len(parsed.problems) > 200:
            print(f"... and {len(parsed.problems) - 200} more", file=sys.stderr)
        print(f"{args.file}: {len(parsed.problems)} problem(s); nothing imported", file=sys.stderr)
        return 1
    if args.dry_run:
        print(f"{args.file}: {len(parsed.areas)} areas, no problems (dry run, nothing imported)")
        return 0
    summary = asyncio.run(_store(parsed))
    print(f"{args.file}: {summary}")
    return 0


async def _store(parsed: Any) -> Any:
    db = Database.from_url(get_settings().database_url)
    try:
        await upgrade(db)
        return await import_areas(db, parsed)
    finally:
        await db.dispose()


async def _list(args: argparse.Namespace) -> int:
    db = Database.from_url(get_settings().database_url)
    try:
        await upgrade(db)
        async with db.session() as session:
            repo = AreaStore(session)
            if args.key:
                key = normalise_key(args.key)
                root = await repo.get(key) if key else None
                if root is None:
                    print(f"error: no area {args.key!r}", file=sys.stderr)
                    return 1
                ids = set(await repo.repo.descendant_ids(root.id))
                rows = [a for a in await repo.all() if a.id in ids]
            else:
                rows = list(await repo.all())
        for area in rows:
            print(f"{area.key:<40} {area.level.value:<10} {area.label}")
        print(f"{len(rows)} area(s)")
        return 0
    finally:
        await db.dispose()
